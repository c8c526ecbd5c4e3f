"""The archive's schema, in one place, and every write that fills it.

This is the only module that knows table and column names on the write side. Rows are typed records (one
dataclass per written table; ``tests/test_build_schema.py`` checks their fields against the table's columns),
and the INSERT statements are made from those fields. Row ids of entities and sources are derived from their
keys, so that a rebuild gives every row the same id (links stay valid, and incremental equals full).

``SCHEMA_VERSION`` is stored in ``build_info``: an archive written by another version is rebuilt in full
(``arshif.build``), never updated in place.
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
import sys
from array import array
from dataclasses import dataclass, fields
from functools import lru_cache
from operator import attrgetter
from pathlib import Path
from typing import Any, Callable, Iterable, Mapping

import sqlite_utils

from .model import article_id as make_article_id

#: Bump when a table, a column or a stored rule changes; archives of another version are rebuilt in full.
#: 1: before versions were stored; 2: ``build_files.status`` generated from the counts, ``mtime_ns`` read back;
#: 3: ``articles.sort_key``; 4: ``build_files.status`` kept by triggers (a generated column hid it from GraphQL);
#: 5: ``sources.entity_id``, the organization that publishes the source; 6: what entity pages show, stored by the
#: build (``entity_months``, ``entity_together``, ``entity_latest``); 7: ``articles_fts`` contentless (no copy of the
#: analyzed text; ``build_info.analyzer`` names the analysis it was made with); 9: ``spellings``, the words that
#: one entity's names write two ways, for search.
SCHEMA_VERSION = 9

SCHEMA = """
CREATE TABLE IF NOT EXISTS sources (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    article_count INTEGER NOT NULL DEFAULT 0,
    -- the organization that publishes the source, as an entity of the archive (filled by rebuild_entities;
    -- NULL when the source is not a known organization or the archive never mentions it)
    entity_id INTEGER REFERENCES entities(id)
);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    title TEXT,
    published TEXT,
    date TEXT,
    source_id INTEGER REFERENCES sources(id),
    category TEXT,
    author TEXT,
    url TEXT,
    body TEXT NOT NULL,
    year INTEGER,
    month TEXT,
    published_raw TEXT,
    date_unreadable INTEGER NOT NULL DEFAULT 0,
    title_derived INTEGER NOT NULL DEFAULT 0,
    words INTEGER NOT NULL,
    entity_count INTEGER NOT NULL DEFAULT 0,
    encoding TEXT,
    origin TEXT NOT NULL,
    content_hash TEXT NOT NULL,
    body_key TEXT NOT NULL,
    extra TEXT,
    -- what pages of articles sort on (newest first): the date then the id, never NULL and unique, so that keyset
    -- pagination stays on its index (no NULL-or chain, no ties for a first page without a tie-breaker); undated
    -- articles last. Filled with entity_count (rebuild_entities); a plain column, as plugins that read
    -- PRAGMA table_info (datasette-graphql) see no generated ones
    sort_key TEXT NOT NULL DEFAULT ''
);
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
    title, body, title_stems, body_stems,
    content = '',
    tokenize = 'unicode61 remove_diacritics 0'
    /* content="articles": so that Datasette and its plugins (datasette-search-all, datasette-graphql) see the
       articles as searchable; the index holds analyzed text, and arshif's analyzer answers every search.
       Contentless: the index alone, no copy of the analyzed text (nothing reads it: snippets come from the body);
       deleting an entry takes the values it was indexed with, re-derived from the stored article (delete_article) */
);
CREATE TABLE IF NOT EXISTS article_origins (
    article_id TEXT NOT NULL REFERENCES articles(id),
    file TEXT NOT NULL,
    position INTEGER NOT NULL,
    url TEXT,
    input TEXT NOT NULL REFERENCES build_files(path),
    PRIMARY KEY (file, position, article_id)
);
CREATE TABLE IF NOT EXISTS entities (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL,
    type TEXT NOT NULL,
    article_count INTEGER NOT NULL,
    mention_count INTEGER NOT NULL,
    demonym_count INTEGER NOT NULL,
    alias_count INTEGER NOT NULL,
    key TEXT NOT NULL UNIQUE
);
CREATE TABLE IF NOT EXISTS entity_aliases (
    entity_id INTEGER NOT NULL REFERENCES entities(id),
    alias TEXT NOT NULL,
    mention_count INTEGER NOT NULL,
    PRIMARY KEY (entity_id, alias)
);
-- words that the names of one entity write two ways (ترمب and ترامب, الأمريكية and الأميركية), both ways round:
-- a search for one also finds the other (rebuild_entities, from the entity aliases)
CREATE TABLE IF NOT EXISTS spellings (
    word TEXT NOT NULL,  -- normalized, as the index holds words
    variant TEXT NOT NULL,
    PRIMARY KEY (word, variant)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS article_entities (
    article_id TEXT NOT NULL REFERENCES articles(id),
    entity_id INTEGER NOT NULL REFERENCES entities(id),
    entity_type TEXT NOT NULL,
    mention_count INTEGER NOT NULL,
    PRIMARY KEY (article_id, entity_id)
);
CREATE TABLE IF NOT EXISTS mentions (
    article_id TEXT NOT NULL REFERENCES articles(id),
    start INTEGER NOT NULL,
    "end" INTEGER NOT NULL,
    surface TEXT NOT NULL,
    entity_id INTEGER REFERENCES entities(id),
    type TEXT NOT NULL,
    kind TEXT NOT NULL,
    role TEXT,
    name TEXT NOT NULL,
    "full" INTEGER NOT NULL,
    article_key TEXT NOT NULL,
    entity_key TEXT,
    PRIMARY KEY (article_id, start)
);
-- what the facets of a search count, one short row per article (rebuild_article_facets): the facet columns of
-- its ``articles`` row and the ids of the entities it mentions, packed (``pack_ids``), so that the facets of
-- 20,000 matching articles read 20,000 short rows rather than the long article rows and 220,000 link rows
CREATE TABLE IF NOT EXISTS article_facets (
    article_rowid INTEGER PRIMARY KEY,  -- the article's rowid (the full-text index's rowid too)
    source_id INTEGER,
    category TEXT,
    year INTEGER,
    month TEXT,
    entity_ids BLOB NOT NULL
);
-- what an entity page shows, computed by the build (rebuild_entity_pages) so that serving a page of the most
-- mentioned entity reads a few rows instead of grouping all its articles
CREATE TABLE IF NOT EXISTS entity_months (  -- the timeline: articles and mentions per month of publication
    entity_id INTEGER NOT NULL REFERENCES entities(id),
    month TEXT NOT NULL,
    articles INTEGER NOT NULL,
    mentions INTEGER NOT NULL,
    PRIMARY KEY (entity_id, month)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS entity_together (  -- the entities most often mentioned in the same articles
    entity_id INTEGER NOT NULL REFERENCES entities(id),
    position INTEGER NOT NULL,
    other_id INTEGER NOT NULL REFERENCES entities(id),
    articles INTEGER NOT NULL,
    PRIMARY KEY (entity_id, position)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS entity_latest (  -- the newest articles that mention it, with its first mention's offsets
    entity_id INTEGER NOT NULL REFERENCES entities(id),
    position INTEGER NOT NULL,
    article_id TEXT NOT NULL REFERENCES articles(id),
    start INTEGER,
    "end" INTEGER,
    PRIMARY KEY (entity_id, position)
) WITHOUT ROWID;
CREATE TABLE IF NOT EXISTS build_files (
    path TEXT PRIMARY KEY,
    articles INTEGER NOT NULL,
    duplicates INTEGER NOT NULL,
    skipped INTEGER NOT NULL,
    reason TEXT,
    size INTEGER,
    mtime_ns INTEGER,
    sha1 TEXT,
    status TEXT NOT NULL DEFAULT 'skipped'  -- kept by the triggers below: never written by the build
);
-- the one rule for a file's outcome (triggers, not a generated column: datasette-graphql cannot read those)
CREATE TRIGGER IF NOT EXISTS build_files_status_insert AFTER INSERT ON build_files BEGIN
    UPDATE build_files SET status = CASE WHEN NEW.articles > 0 THEN 'built' WHEN NEW.duplicates > 0 THEN 'duplicate'
        ELSE 'skipped' END WHERE path = NEW.path;
END;
CREATE TRIGGER IF NOT EXISTS build_files_status_update AFTER UPDATE OF articles, duplicates ON build_files BEGIN
    UPDATE build_files SET status = CASE WHEN NEW.articles > 0 THEN 'built' WHEN NEW.duplicates > 0 THEN 'duplicate'
        ELSE 'skipped' END WHERE path = NEW.path;
END;
CREATE TABLE IF NOT EXISTS skipped (
    path TEXT NOT NULL,
    file TEXT NOT NULL REFERENCES build_files(path),
    reason TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS build_info (
    key TEXT PRIMARY KEY,
    value TEXT
);
"""
# ORDER BY rank: bm25 with the title above the body, and exact forms above stems
_RANK = "INSERT INTO articles_fts (articles_fts, rank) VALUES ('rank', 'bm25(8.0, 1.0, 4.0, 0.5)')"

INDEXES = {
    "articles": [["source_id"], ["category"], ["year"], ["month"], ["published"], ["date"], ["body_key"], ["sort_key"],
                 ["source_id", "category", "year", "month", "date", "published", "id"]],  # covers the search page
    "article_origins": [["article_id"], ["input"]],
    "article_entities": [["entity_id", "article_id"], ["entity_type", "entity_id"], ["article_id", "entity_type", "entity_id"]],
    "mentions": [["entity_id"], ["entity_key"], ["article_key"]],
    "entities": [["type", "article_count"], ["article_count"]],
    "entity_aliases": [["alias"]],
    "skipped": [["file"]],
    "build_files": [["status"]],
}


# --- typed records: one per written table ------------------------------------------------------------------

@dataclass(slots=True)
class ArticleRow:
    """A row of ``articles`` (``entity_count`` is filled by ``rebuild_entities``)."""

    id: str
    title: str | None
    published: str | None
    date: str | None
    source_id: int | None
    category: str | None
    author: str | None
    url: str | None
    body: str
    year: int | None
    month: str | None
    published_raw: str | None
    date_unreadable: int
    title_derived: int
    words: int
    encoding: str | None
    origin: str
    content_hash: str
    body_key: str
    extra: str | None


@dataclass(slots=True)
class IndexRow:
    """A row of ``articles_fts``: analyzed title and body, and their stems (its rowid is the article's)."""

    title: str
    body: str
    title_stems: str
    body_stems: str


@dataclass(slots=True)
class MentionRow:
    """A row of ``mentions`` (``entity_key`` and ``entity_id`` are filled by ``rebuild_entities``)."""

    article_id: str
    start: int
    end: int
    surface: str
    type: str
    kind: str
    role: str | None
    name: str
    full: int
    article_key: str


@dataclass(slots=True)
class OriginRow:
    """A row of ``article_origins``: where an article was found (``position`` -1 for a one-article file)."""

    article_id: str
    file: str
    position: int
    url: str | None
    input: str


@dataclass(slots=True)
class FileRow:
    """A row of ``build_files`` (``status`` is derived from the counts by the schema's triggers)."""

    path: str
    articles: int
    duplicates: int
    skipped: int
    reason: str | None
    size: int | None
    mtime_ns: int | None
    sha1: str | None


@dataclass(slots=True)
class SpellingRow:
    """A row of ``spellings``."""

    word: str
    variant: str


@dataclass(slots=True)
class SkipRow:
    """A row of ``skipped``."""

    path: str
    file: str
    reason: str


#: The record of each table the build writes row by row; the columns each table has beyond its record's
#: fields are computed in SQL (``DERIVED``).
RECORDS: dict[str, type] = {
    "articles": ArticleRow, "articles_fts": IndexRow, "mentions": MentionRow, "article_origins": OriginRow,
    "build_files": FileRow, "skipped": SkipRow, "spellings": SpellingRow,
}
DERIVED: dict[str, set[str]] = {
    "articles": {"entity_count", "sort_key"}, "mentions": {"entity_id", "entity_key"}, "build_files": {"status"},
}


@lru_cache(maxsize=None)
def _getter(record: type) -> Callable[[Any], tuple]:
    return attrgetter(*(field.name for field in fields(record)))


def astuple(record: Any) -> tuple:
    """A record's values in column order (``dataclasses.astuple`` deep-copies, and is ten times slower)."""
    return _getter(type(record))(record)


@lru_cache(maxsize=None)
def _insert_sql(table: str, verb: str = "INSERT", rowid: bool = False) -> str:
    names = [field.name for field in fields(RECORDS[table])]
    columns = ", ".join((["rowid"] if rowid else []) + [f'"{name}"' for name in names])
    marks = ", ".join("?" for _ in range(len(names) + rowid))
    return f"{verb} INTO {table} ({columns}) VALUES ({marks})"


def position_stored(position: int | None) -> int:
    """How an origin's position is stored: -1 for a file that holds one article."""
    return -1 if position is None else position


def position_read(stored: int) -> int | None:
    return None if stored == -1 else stored


def key_id(key: str) -> int:
    """A stable positive integer id for a key (48 bits of its SHA-1)."""
    return int(hashlib.sha1(key.encode("utf-8")).hexdigest()[:12], 16)


# --- opening and closing -----------------------------------------------------------------------------------

def schema_version(path: str | Path) -> int | None:
    """The schema version an existing archive was written with (1 for one written before versions were
    stored); ``None`` when the file is no archive."""
    try:
        conn = sqlite3.connect(f"file:{Path(path)}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
        if "build_info" not in tables:
            return None
        row = conn.execute("SELECT value FROM build_info WHERE key = 'schema_version'").fetchone()
        return int(row[0]) if row and str(row[0]).isdigit() else 1
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def info_value(path: str | Path, key: str) -> str | None:
    """A value of an existing archive's ``build_info`` (None when absent or unreadable)."""
    try:
        conn = sqlite3.connect(f"file:{Path(path)}?mode=ro", uri=True)
    except sqlite3.Error:
        return None
    try:
        row = conn.execute("SELECT value FROM build_info WHERE key = ?", (key,)).fetchone()
        return row[0] if row else None
    except sqlite3.Error:
        return None
    finally:
        conn.close()


def connect(path: str | Path) -> sqlite_utils.Database:
    """Open (creating if needed) an archive with the full schema, stamped with ``SCHEMA_VERSION``."""
    db = sqlite_utils.Database(path)
    db.conn.execute("PRAGMA journal_mode = OFF")
    db.conn.execute("PRAGMA synchronous = OFF")
    db.conn.execute("PRAGMA cache_size = -64000")
    db.conn.executescript(SCHEMA)
    db.conn.execute(_RANK)
    db.conn.execute("INSERT OR REPLACE INTO build_info (key, value) VALUES ('schema_version', ?)",
                    (str(SCHEMA_VERSION),))
    return db


def create_indexes(db: sqlite_utils.Database) -> None:
    for table, indexes in INDEXES.items():
        for columns in indexes:
            name = f"idx_{table}_{'_'.join(columns)}"
            quoted = ", ".join(f'"{column}"' for column in columns)
            db.conn.execute(f"CREATE INDEX IF NOT EXISTS {name} ON {table} ({quoted})")


def finish(db: sqlite_utils.Database) -> None:
    """Let SQLite gather statistics for the planner, and close."""
    db.conn.execute("PRAGMA optimize")
    db.close()


# --- articles ----------------------------------------------------------------------------------------------

def source_id(db: sqlite_utils.Database, name: str | None, cache: dict[str, int]) -> int | None:
    """The id of a source by name, created on first use."""
    if not name:
        return None
    if name not in cache:
        ident = key_id(f"source:{name}")
        db.conn.execute("INSERT OR IGNORE INTO sources (id, name) VALUES (?, ?)", (ident, name))
        cache[name] = ident
    return cache[name]


def find_by_body_key(db: sqlite_utils.Database, body_key: str) -> tuple[str, str, int] | None:
    """The article with this normalized text, if any: (id, its first origin's file, position)."""
    row = db.conn.execute(
        "SELECT a.id, o.file, o.position FROM articles a JOIN article_origins o ON o.article_id = a.id"
        " WHERE a.body_key = ? ORDER BY o.file, o.position LIMIT 1",
        (body_key,),
    ).fetchone()
    return (row[0], row[1], row[2]) if row else None


def article_exists(db: sqlite_utils.Database, article_id: str) -> bool:
    return db.conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is not None


def insert_article(db: sqlite_utils.Database, row: ArticleRow, index: IndexRow,
                   mentions: Iterable[MentionRow]) -> None:
    """Insert one article with its index entry and mentions."""
    cursor = db.conn.execute(_insert_sql("articles"), astuple(row))
    db.conn.execute(_insert_sql("articles_fts", rowid=True), (cursor.lastrowid, *astuple(index)))
    db.conn.executemany(_insert_sql("mentions"), [astuple(mention) for mention in mentions])


def add_origin(db: sqlite_utils.Database, origin: OriginRow) -> None:
    db.conn.execute(_insert_sql("article_origins", "INSERT OR IGNORE"), astuple(origin))


def origin_input(db: sqlite_utils.Database, article_id: str, file: str, position: int) -> str | None:
    """The input file of the build that holds this origin of an article (stored position), if recorded."""
    row = db.conn.execute(
        "SELECT input FROM article_origins WHERE article_id = ? AND file = ? AND position = ?",
        (article_id, file, position),
    ).fetchone()
    return row[0] if row else None


#: How the build analyzes a stored article's title and body into its index entry (``arshif.build.index_row``).
IndexOf = Callable[[str | None, str], IndexRow]


def delete_article(db: sqlite_utils.Database, article_id: str, index_of: IndexOf) -> None:
    """Remove an article with its index entry and mentions (its origins stay, for the caller to move). The index is
    contentless: its entry is deleted with the values it was made of, ``index_of`` the stored title and body (the
    same analysis: ``build_info.analyzer`` rebuilds the archive in full when the analysis changed)."""
    found = db.conn.execute("SELECT rowid, title, body FROM articles WHERE id = ?", (article_id,)).fetchone()
    if found:
        rowid, title, body = found
        db.conn.execute(
            "INSERT INTO articles_fts (articles_fts, rowid, title, body, title_stems, body_stems)"
            " VALUES ('delete', ?, ?, ?, ?, ?)", (rowid, *astuple(index_of(title, body))))
    db.conn.execute("DELETE FROM mentions WHERE article_id = ?", (article_id,))
    db.conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))


def move_origins(db: sqlite_utils.Database, old_id: str, new_id: str) -> None:
    db.conn.execute("UPDATE article_origins SET article_id = ? WHERE article_id = ?", (new_id, old_id))


# --- input files -------------------------------------------------------------------------------------------

def shift_file_counts(db: sqlite_utils.Database, path: str, articles: int) -> None:
    """Move ``articles`` articles of a recorded file between its built and duplicate counts."""
    db.conn.execute(
        "UPDATE build_files SET articles = articles + ?, duplicates = duplicates - ? WHERE path = ?",
        (articles, articles, path),
    )


def remove_file(db: sqlite_utils.Database, path: str, index_of: IndexOf) -> None:
    """Remove what an input file contributed. An article that other files also hold stays, re-keyed to the
    first of its remaining origins, as a full build without this file would have made it."""
    orphans = [row[0] for row in db.conn.execute(
        "SELECT DISTINCT article_id FROM article_origins WHERE input = ?", (path,))]
    db.conn.execute("DELETE FROM article_origins WHERE input = ?", (path,))
    for old_id in orphans:
        remaining = db.conn.execute(
            "SELECT file, position, url, input FROM article_origins WHERE article_id = ?"
            " ORDER BY file, position LIMIT 1", (old_id,)
        ).fetchone()
        if not remaining:
            delete_article(db, old_id, index_of)
            continue
        file, position, url, input_file = remaining
        new_id = make_article_id(url, file, position_read(position))
        primary_removed = db.conn.execute("SELECT origin FROM articles WHERE id = ?", (old_id,)).fetchone()[0] != file
        if new_id != old_id and not article_exists(db, new_id):
            db.conn.execute("UPDATE articles SET id = ? WHERE id = ?", (new_id, old_id))
            db.conn.execute("UPDATE mentions SET article_id = ? WHERE article_id = ?", (new_id, old_id))
            move_origins(db, old_id, new_id)
        db.conn.execute("UPDATE articles SET origin = ? WHERE id IN (?, ?)", (file, old_id, new_id))
        if primary_removed:
            shift_file_counts(db, input_file, 1)
    db.conn.execute("DELETE FROM skipped WHERE file = ?", (path,))
    db.conn.execute("DELETE FROM build_files WHERE path = ?", (path,))


def record_file(db: sqlite_utils.Database, row: FileRow, skips: Iterable[SkipRow] = ()) -> str:
    """Record an input file's outcome and its skips; returns its status (built, duplicate or skipped)."""
    db.conn.execute(_insert_sql("build_files", "INSERT OR REPLACE"), astuple(row))
    db.conn.executemany(_insert_sql("skipped"), [astuple(skip) for skip in skips])
    return db.conn.execute("SELECT status FROM build_files WHERE path = ?", (row.path,)).fetchone()[0]


def touch_file(db: sqlite_utils.Database, path: str, mtime_ns: int) -> None:
    """A file whose content is unchanged has a new modification time: remember it, so it is not hashed again."""
    db.conn.execute("UPDATE build_files SET mtime_ns = ? WHERE path = ?", (mtime_ns, path))


def known_files(db: sqlite_utils.Database) -> dict[str, FileRow]:
    """The input files of the last build, by path."""
    names = ", ".join(f'"{field.name}"' for field in fields(FileRow))
    return {row[0]: FileRow(*row) for row in db.conn.execute(f"SELECT {names} FROM build_files")}


# --- what the build reports --------------------------------------------------------------------------------

def counts(db: sqlite_utils.Database) -> dict[str, int]:
    """Articles, entities and mentions in the archive."""
    return {table: db.conn.execute(f"SELECT count(*) FROM {table}").fetchone()[0]
            for table in ("articles", "entities", "mentions")}


def skips(db: sqlite_utils.Database) -> list[tuple[str, str]]:
    """Every file or record that could not be read, with its reason, in file order."""
    return [(row[0], row[1]) for row in db.conn.execute("SELECT path, reason FROM skipped ORDER BY file, path")]


def rebuild_entities(db: sqlite_utils.Database,
                     archive_remap: Callable[[dict[str, int], dict[str, int]], Mapping[str, str]],
                     source_key: Callable[[str], str | None] | None = None,
                     source_remap: Callable[[list[str]], Mapping[str, str]] | None = None,
                     spellings: Callable[[Iterable[tuple[int, str]]], Iterable[tuple[str, str]]] | None = None) -> None:
    """Recompute entities, aliases, article links and counts from the mentions table: each mention's entity is
    its key in its article, or where ``archive_remap`` sends it (variants, one type per name, longer person names;
    ``arshif.entities.link.archive_remap``, passed in by the build so that storage does not depend on linking).
    ``source_key`` gives the entity key of the organization that publishes a source (by the source's name;
    ``arshif.entities.link.source_entity_key``): ``sources.entity_id`` links each source to that entity.
    ``source_remap`` sends the other names of the sources' publishers to their keys (``link.source_remap``).
    ``spellings`` gives, from (entity id, name) pairs, the words its names write two ways (``link.spellings``).
    """
    conn = db.conn
    conn.execute(
        "UPDATE sources SET article_count = (SELECT count(*) FROM articles WHERE source_id = sources.id)"
    )
    conn.execute("DELETE FROM sources WHERE article_count = 0")
    counted = conn.execute(
        "SELECT article_key, count(*), count(DISTINCT article_id) FROM mentions GROUP BY article_key").fetchall()
    key_counts = {key: mentions for key, mentions, _ in counted}
    remap = dict(archive_remap(key_counts, {key: articles for key, _, articles in counted}))
    if source_remap is not None:
        names = [name for (name,) in conn.execute("SELECT name FROM sources ORDER BY name")]
        publishers = source_remap(names)
        remap = {old: publishers.get(new, new) for old, new in remap.items()}
        remap.update((old, new) for old, new in publishers.items() if old in key_counts and old not in remap)
        remap = {old: new for old, new in remap.items() if old != new}
    conn.execute("UPDATE mentions SET entity_key = article_key WHERE entity_key IS NOT article_key")
    if remap:
        conn.execute("CREATE TEMP TABLE IF NOT EXISTS remap (old TEXT PRIMARY KEY, new TEXT)")
        conn.execute("DELETE FROM remap")
        conn.executemany("INSERT INTO remap VALUES (?, ?)", remap.items())
        conn.execute(
            "UPDATE mentions SET entity_key = (SELECT new FROM remap WHERE old = mentions.article_key)"
            " WHERE article_key IN (SELECT old FROM remap)"
        )
    conn.execute("DELETE FROM entity_aliases")
    conn.execute("DELETE FROM article_entities")
    conn.execute("DELETE FROM entities")
    conn.create_function("key_id", 1, key_id, deterministic=True)
    conn.execute(
        """
        INSERT INTO entities (id, key, name, type, article_count, mention_count, demonym_count, alias_count)
        SELECT key_id(entity_key), entity_key,
               (SELECT name FROM mentions m2 WHERE m2.entity_key = m.entity_key
                GROUP BY name ORDER BY sum("full" AND article_key = entity_key) DESC, sum(kind = 'name') DESC,
                count(*) DESC, length(name) DESC, name LIMIT 1),
               substr(entity_key, 1, instr(entity_key, ':') - 1), count(DISTINCT article_id), count(*), sum(kind = 'demonym'), count(DISTINCT surface)
        FROM mentions m GROUP BY entity_key
        """
    )
    conn.execute("UPDATE mentions SET entity_id = key_id(entity_key)")
    conn.execute(  # a mention's type is its entity's: one type per name across the archive
        "UPDATE mentions SET type = substr(entity_key, 1, instr(entity_key, ':') - 1)"
        " WHERE type IS NOT substr(entity_key, 1, instr(entity_key, ':') - 1)"
    )
    conn.execute(
        """
        INSERT INTO entity_aliases (entity_id, alias, mention_count)
        SELECT entity_id, surface, count(*) FROM mentions GROUP BY entity_id, surface
        """
    )
    conn.execute("DELETE FROM spellings")
    if spellings is not None:
        names = conn.cursor().execute(  # names, not demonyms (الأمريكيون is an adjective of أمريكا)
            "SELECT entity_id, surface FROM mentions WHERE kind = 'name'"
            " GROUP BY entity_id, surface ORDER BY entity_id")
        pairs = spellings(names)
        rows = (SpellingRow(word, variant) for word, variant in pairs)
        conn.executemany(_insert_sql("spellings", "INSERT OR IGNORE"), map(astuple, rows))
    conn.execute(
        """
        INSERT INTO article_entities (article_id, entity_id, entity_type, mention_count)
        SELECT article_id, entity_id, min(type), count(*) FROM mentions GROUP BY article_id, entity_id
        """
    )
    conn.execute(
        "UPDATE articles SET entity_count = (SELECT count(*) FROM article_entities"
        " WHERE article_id = articles.id), sort_key = coalesce(date, '') || ' ' || id"
    )
    if source_key is not None:
        links = []
        for ident, name in conn.execute("SELECT id, name FROM sources").fetchall():
            key = source_key(name)
            links.append((key_id(remap.get(key, key)) if key else None, ident))
        conn.executemany("UPDATE sources SET entity_id = (SELECT id FROM entities WHERE id = ?) WHERE id = ?", links)


#: How many co-mentioned entities and newest articles the build stores for each entity page.
TOGETHER_STORED = 15
LATEST_STORED = 10


#: The columns of ``articles`` that ``article_facets`` repeats.
FACET_COLUMNS = ("source_id", "category", "year", "month")


def pack_ids(ids: Iterable[int]) -> bytes:
    """Entity ids as ``article_facets.entity_ids`` holds them: ascending, 8-byte signed little-endian integers."""
    packed = array("q", sorted(ids))
    if sys.byteorder == "big":
        packed.byteswap()
    return packed.tobytes()


def unpack_ids(blob: bytes) -> list[int]:
    packed = array("q")
    packed.frombytes(blob)
    if sys.byteorder == "big":
        packed.byteswap()
    return packed.tolist()


class _PackIds:
    """SQL aggregate ``arshif_pack_ids(entity_id)``."""

    def __init__(self) -> None:
        self.ids: list[int] = []

    def step(self, value) -> None:
        self.ids.append(value)

    def finalize(self) -> bytes:
        return pack_ids(self.ids)


def rebuild_article_facets(db: sqlite_utils.Database) -> None:
    """Recompute ``article_facets`` from ``articles`` and ``article_entities`` (after ``rebuild_entities``):
    every value follows from those tables, so an incremental build stores what a full build does."""
    conn = db.conn
    conn.create_aggregate("arshif_pack_ids", 1, _PackIds)
    columns = ", ".join(FACET_COLUMNS)
    conn.execute("DELETE FROM article_facets")
    conn.execute(
        f"INSERT INTO article_facets (article_rowid, {columns}, entity_ids)"
        f" SELECT a.rowid, {', '.join('a.' + c for c in FACET_COLUMNS)},"
        "  coalesce((SELECT arshif_pack_ids(entity_id) FROM article_entities WHERE article_id = a.id), x'')"
        " FROM articles a"
    )


def rebuild_entity_pages(db: sqlite_utils.Database) -> None:
    """Recompute what entity pages show from ``article_entities``, ``articles`` and ``mentions`` (after
    ``rebuild_entities``): the monthly timeline (the month read off ``published``), the ``TOGETHER_STORED`` entities
    most often in the same articles (ties by id) and the ``LATEST_STORED`` newest articles (``published``, then id,
    newest first) with the first mention of the entity in each. Every value follows from the other tables alone,
    so an incremental build stores what a full build does."""
    conn = db.conn
    for table in ("entity_months", "entity_together", "entity_latest"):
        conn.execute(f"DELETE FROM {table}")
    conn.execute(
        "INSERT INTO entity_months (entity_id, month, articles, mentions)"
        " SELECT ae.entity_id, substr(a.published, 1, 7), count(*), sum(ae.mention_count)"
        " FROM article_entities ae JOIN articles a ON a.id = ae.article_id"
        " WHERE a.published IS NOT NULL AND a.published != '' GROUP BY 1, 2"
    )
    # one entity at a time: the pairs of all entities at once would be sorted in one temporary b-tree of
    # (entities per article)^2 rows per article
    together = (
        "INSERT INTO entity_together (entity_id, position, other_id, articles)"
        " SELECT :entity, row_number() OVER (ORDER BY n DESC, other), other, n FROM ("
        "  SELECT ae2.entity_id AS other, count(*) AS n FROM article_entities ae1"
        "  JOIN article_entities ae2 ON ae2.article_id = ae1.article_id AND ae2.entity_id != ae1.entity_id"
        "  WHERE ae1.entity_id = :entity GROUP BY ae2.entity_id ORDER BY n DESC, other LIMIT :limit)"
    )
    latest = (
        'INSERT INTO entity_latest (entity_id, position, article_id, start, "end")'
        " SELECT :entity, row_number() OVER (ORDER BY published DESC, id DESC), id,"
        "  (SELECT start FROM mentions m WHERE m.article_id = t.id AND m.entity_id = :entity ORDER BY m.start LIMIT 1),"
        '  (SELECT "end" FROM mentions m WHERE m.article_id = t.id AND m.entity_id = :entity ORDER BY m.start LIMIT 1)'
        " FROM (SELECT a.id, a.published FROM article_entities ae JOIN articles a ON a.id = ae.article_id"
        "  WHERE ae.entity_id = :entity ORDER BY a.published DESC, a.id DESC LIMIT :limit) t"
    )
    for (entity,) in conn.execute("SELECT id FROM entities ORDER BY id").fetchall():
        conn.execute(together, {"entity": entity, "limit": TOGETHER_STORED})
        conn.execute(latest, {"entity": entity, "limit": LATEST_STORED})


def set_info(db: sqlite_utils.Database, values: dict[str, Any]) -> None:
    db["build_info"].upsert_all(
        [{"key": key, "value": value if isinstance(value, str) else json.dumps(value)} for key, value in values.items()],
        pk="key",
    )


def integrity_errors(path: str | Path) -> list[str]:
    """Foreign key violations in an archive (an empty list when all is well)."""
    conn = sqlite3.connect(str(path))
    try:
        return [str(row) for row in conn.execute("PRAGMA foreign_key_check")]
    finally:
        conn.close()
