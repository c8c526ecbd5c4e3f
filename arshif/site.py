"""Which attached databases are arshif archives, and what Datasette is told about them.

An archive is recognised by its tables, whatever its file name, so that ``arshif serve news.db``, plain
``datasette`` with the project's plugins, and several archives served at once all get the archive's metadata
(``arshif/data/archive.yml``: descriptions, facets, sort, canned queries) and pages.
"""

from __future__ import annotations

import copy
import sqlite3
from functools import lru_cache
from pathlib import Path

import yaml

ARCHIVE_TABLES = {"articles", "articles_fts", "entities", "article_entities", "mentions", "sources"}
CONFIG = Path(__file__).with_name("data") / "archive.yml"
#: Arabic names of the category codes that collections use (antcorpus: localNews, internationalNews, …).
CATEGORY_LABELS = {
    "localNews": "أخبار محلية", "internationalNews": "أخبار دولية", "politics": "سياسة", "politic": "سياسة",
    "economy": "اقتصاد", "culture": "ثقافة", "sport": "رياضة", "sports": "رياضة", "diverse": "منوعات",
    "society": "مجتمع", "technology": "تكنولوجيا", "health": "صحة", "world": "العالم", "local": "محليات",
    "opinion": "رأي",
}


@lru_cache(maxsize=1)
def archive_metadata() -> dict:
    """The metadata every archive gets (a fresh copy is the caller's to change)."""
    return yaml.safe_load(CONFIG.read_text("utf-8"))


def _tables_of(db) -> set[str]:
    """The table names of a Datasette database, read synchronously (read-only; immutable files stay untouched)."""
    if getattr(db, "is_memory", False) or not getattr(db, "path", None):
        return set()
    path = Path(db.path).resolve()
    mode = "ro&immutable=1" if not db.is_mutable else "ro"
    try:
        conn = sqlite3.connect(f"{path.as_uri()}?mode={mode}", uri=True)
        try:
            return {row[0] for row in conn.execute("select name from sqlite_master where type in ('table', 'view')")}
        finally:
            conn.close()
    except sqlite3.Error:
        return set()


def is_archive(datasette, name: str) -> bool:
    """Whether the attached database ``name`` is an arshif archive (checked once per database)."""
    db = datasette.databases.get(name)
    if db is None or name.startswith("_"):
        return False
    known = getattr(db, "_arshif", None)
    if known is None:
        known = ARCHIVE_TABLES <= _tables_of(db)
        db._arshif = known
    return known


def archive_names(datasette) -> list[str]:
    """The attached archives, in the order they were given."""
    return [name for name in list(datasette.databases) if is_archive(datasette, name)]


def metadata_for(datasette) -> dict:
    """Plugin metadata: the archive configuration under each archive's own name."""
    names = archive_names(datasette)
    if not names:
        return {}
    config = archive_metadata()
    databases = {}
    for name in names:
        databases[name] = copy.deepcopy(config)
        columns = article_columns(datasette, name)
        if "sort_key" not in columns:  # an archive built before the sort key (or the date column)
            databases[name]["tables"]["articles"]["sort_desc"] = "date" if "date" in columns else "published"
    return {"databases": databases}


def article_columns(datasette, name: str) -> set[str]:
    """The columns of an archive's ``articles`` table (read once per database)."""
    db = datasette.databases.get(name)
    if db is None:
        return set()
    known = getattr(db, "_arshif_article_columns", None)
    if known is None:
        known = set()
        if not getattr(db, "is_memory", False) and getattr(db, "path", None):
            mode = "ro&immutable=1" if not db.is_mutable else "ro"
            try:
                conn = sqlite3.connect(f"{Path(db.path).resolve().as_uri()}?mode={mode}", uri=True)
                try:
                    known = {row[1] for row in conn.execute("pragma table_xinfo(articles)")}  # generated too
                finally:
                    conn.close()
            except sqlite3.Error:
                pass
        db._arshif_article_columns = known
    return known
