"""Arabic search for Datasette: the text typed into ``_search`` (HTML and JSON alike) goes through the same
analyzer as the indexed text, and SQL functions expose the analyzer to canned queries.

Datasette's own table search does not see the index (``articles_fts`` is not declared as the table's
``fts_table``), so this hook alone answers ``_search`` on ``articles``; the search box keeps what the user typed.
"""

from __future__ import annotations

from datasette import hookimpl
from datasette.filters import FilterArguments

from arshif.highlight import highlight, snippet
from arshif.query import compile_query
from arshif.text.analyze import analyze, term_stem
from arshif.text.normalize import normalize

SEARCHABLE = {"articles": "articles_fts"}
NO_MATCH = '""'  # an empty FTS5 phrase: valid syntax that matches nothing


def match_expression(query: str | None) -> str:
    """The FTS5 expression for a user's query; one that matches nothing when the query has no words."""
    return compile_query(query) or NO_MATCH


@hookimpl
def prepare_connection(conn):
    conn.create_function("arshif_match", 1, match_expression, deterministic=True)
    conn.create_function("arshif_snippet", 2, snippet, deterministic=True)
    conn.create_function("arshif_highlight", 2, highlight, deterministic=True)
    conn.create_function("arshif_normalize", 1, lambda text: normalize(text) if text else text, deterministic=True)
    conn.create_function("arshif_stem", 1, lambda word: term_stem(normalize(word)) if word else word,
                         deterministic=True)
    conn.create_function("arshif_analyze", 1, lambda text: analyze(text).surface, deterministic=True)


@hookimpl(trylast=True)
def filters_from_request(request, database, table, datasette):
    fts_table = SEARCHABLE.get(table)
    if fts_table is None:
        return None

    async def inner():
        db = datasette.get_database(database)
        if not await db.table_exists(fts_table):
            return None
        text = request.args.get("_search")
        if text is None or not text.strip():
            return FilterArguments([], extra_context={"supports_search": True})
        return FilterArguments(
            [f"rowid in (select rowid from [{fts_table}] where [{fts_table}] match :arshif_search)"],
            params={"arshif_search": match_expression(text)},
            human_descriptions=[f'search matches "{text}"'],
            extra_context={"supports_search": True, "search": text},
        )

    return inner
