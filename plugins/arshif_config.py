"""Configuration follows the archive, whatever its file name: each attached database that holds an arshif
archive gets the descriptions, facets, sort order and canned queries of ``arshif/data/archive.yml``.
Local metadata (``--metadata metadata.yml``) still takes precedence, database by database."""

from __future__ import annotations

from datasette import hookimpl

from arshif.site import metadata_for


@hookimpl
def get_metadata(datasette, key, database, table):
    return metadata_for(datasette)
