"""The schema of an immutable archive is read once per worker, not once per request.

Datasette asks a database for its tables, columns, keys and full-text tables on every page (about a dozen
statements for a table search, ten for an article page). Each one is a trip through the pool of SQL threads, and
under load each trip waits behind the slow statements of other readers (a search's facets), so a page of ten
cheap lookups took longer than one search. An immutable file's schema cannot change while it is served: here
those answers are kept per database object, and the statements that only read ``sqlite_master`` or a schema
``PRAGMA`` are answered from the same memory. Mutable and in-memory databases are left alone, except Datasette's
``_internal`` one, whose tables are made once at start-up.
"""

from __future__ import annotations

import copy
import functools
import re

from datasette import hookimpl
from datasette.database import Database

#: Database methods whose answer depends only on the schema (and their arguments)
SCHEMA_METHODS = (
    "table_exists", "table_names", "view_names", "hidden_table_names", "table_columns", "table_column_details",
    "primary_keys", "fts_table", "label_column_for_table", "foreign_keys_for_table", "get_all_foreign_keys",
    "get_table_definition", "get_view_definition",
)
#: a schema PRAGMA: ``PRAGMA table_info(t)`` and the like, or ``PRAGMA schema_version``
SCHEMA_PRAGMA = re.compile(r"^\s*pragma\s+(\w+\s*\(\s*['\"]?\w+['\"]?\s*\)|schema_version)\s*;?\s*$", re.IGNORECASE)
#: every table a statement reads: what follows each ``from`` or ``join``
SOURCES = re.compile(r"\b(?:from|join)\s+([\w\[\]\"`]+)", re.IGNORECASE)
SCHEMA_SOURCE = re.compile(r"^[\[\"`]?(sqlite_master|sqlite_schema|pragma_\w+)[\]\"`]?$", re.IGNORECASE)
#: a table list with a comma (``from a, b``), whose other tables ``SOURCES`` would not see
COMMA_JOIN = re.compile(r"\bfrom\s+[\w\[\]\"`]+(\s*\([^()]*\))?(\s+(as\s+)?(?!where\b|order\b|group\b|limit\b|join\b)\w+)?\s*,",
                        re.IGNORECASE)


def is_schema_sql(sql: str) -> bool:
    """Whether ``sql`` only reads the schema: a schema PRAGMA, or a ``select`` each of whose tables is
    ``sqlite_master`` or a ``pragma_…()`` function."""
    sql = sql or ""
    if SCHEMA_PRAGMA.match(sql):
        return True
    if not sql.lstrip().lower().startswith("select") or ";" in sql.strip().rstrip(";"):
        return False
    sources = SOURCES.findall(sql)
    return bool(sources) and not COMMA_JOIN.search(sql) and all(SCHEMA_SOURCE.match(source) for source in sources)


class _Unkeyed(Exception):
    """Arguments that cannot be a memo key."""


def _frozen(value):
    """A hashable form of statement parameters or method arguments (raises ``_Unkeyed``)."""
    if value is None or isinstance(value, (str, int, float, bytes)):
        return value
    if isinstance(value, dict):
        return ("dict", tuple(sorted((str(k), _frozen(v)) for k, v in value.items())))
    if isinstance(value, (list, tuple)):
        return ("seq", tuple(_frozen(v) for v in value))
    raise _Unkeyed


def _fixed(db: Database) -> bool:
    """Whether the schema of ``db`` is fixed while it is served: an immutable file, or Datasette's own
    ``_internal`` database once Datasette has created its tables (it only changes their rows)."""
    if db.name == "_internal":
        return bool(getattr(db.ds, "internal_db_created", False))
    return not db.is_mutable and not db.is_memory


def _memo(db: Database) -> dict:
    memo = db.__dict__.get("_arshif_schema")
    if memo is None:
        memo = db.__dict__["_arshif_schema"] = {}
    return memo


def _remembering(name: str, method):
    @functools.wraps(method)
    async def remembered(self, *args, **kwargs):
        try:
            key = (name, _frozen(args))
        except _Unkeyed:
            key = None
        if key is None or kwargs or not _fixed(self):
            return await method(self, *args, **kwargs)
        memo = _memo(self)
        if key not in memo:
            memo[key] = await method(self, *args)
        return copy.copy(memo[key])  # a caller may extend a list it was given

    remembered.arshif_schema_cache = True
    return remembered


def _remembering_execute(method):
    @functools.wraps(method)
    async def execute(self, sql, params=None, *args, **kwargs):
        key = None
        if not args and _fixed(self) and is_schema_sql(sql):
            try:
                key = ("execute", sql, _frozen(params), _frozen(kwargs))
            except _Unkeyed:
                pass
        if key is None:
            return await method(self, sql, params, *args, **kwargs)
        memo = _memo(self)
        if key not in memo:
            memo[key] = await method(self, sql, params, **kwargs)
        return memo[key]

    execute.arshif_schema_cache = True
    return execute


def install() -> None:
    """Wrap Database's schema methods once per process, however often plugins are loaded."""
    for name in SCHEMA_METHODS:
        method = getattr(Database, name, None)
        if method is not None and not getattr(method, "arshif_schema_cache", False):
            setattr(Database, name, _remembering(name, method))
    if not getattr(Database.execute, "arshif_schema_cache", False):
        Database.execute = _remembering_execute(Database.execute)


install()


@hookimpl
def startup(datasette):
    async def inner():
        # Datasette makes its _internal tables on the first table page; made now, their schema is fixed from the
        # first request on, whatever the page
        await datasette.refresh_schemas()

    return inner
