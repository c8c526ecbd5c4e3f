"""The archive's schema, in one place, and the writes that fill it (sqlite-utils).

This is the only module that knows table names. Row ids of entities and sources are derived from their keys,
so that a rebuild gives every row the same id (links stay valid, and incremental equals full).
"""

from __future__ import annotations

import hashlib
import json
import sqlite3
from pathlib import Path
from typing import Any, Iterable

import sqlite_utils

SCHEMA = """
CREATE TABLE IF NOT EXISTS sources (
    id INTEGER PRIMARY KEY,
    name TEXT NOT NULL UNIQUE,
    article_count INTEGER NOT NULL DEFAULT 0
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
    extra TEXT
);
CREATE VIRTUAL TABLE IF NOT EXISTS articles_fts USING fts5(
    title, body, title_stems, body_stems,
    tokenize = 'unicode61 remove_diacritics 0'
    /* content="articles": so that Datasette and its plugins (datasette-search-all, datasette-graphql) see the
       articles as searchable; the index holds analyzed text, and arshif's analyzer answers every search */
);
-- ORDER BY rank: bm25 with the title above the body, and exact forms above stems
INSERT INTO articles_fts (articles_fts, rank) VALUES ('rank', 'bm25(8.0, 1.0, 4.0, 0.5)');
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
CREATE TABLE IF NOT EXISTS build_files (
    path TEXT PRIMARY KEY,
    status TEXT NOT NULL,
    articles INTEGER NOT NULL,
    duplicates INTEGER NOT NULL,
    skipped INTEGER NOT NULL,
    reason TEXT,
    size INTEGER,
    mtime_ns INTEGER,
    sha1 TEXT
);
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

INDEXES = {
    "articles": [["source_id"], ["category"], ["year"], ["month"], ["published"], ["date"], ["body_key"],
                 ["source_id", "category", "year", "month", "date", "published", "id"]],  # covers the search page
    "article_origins": [["article_id"], ["input"]],
    "article_entities": [["entity_id", "article_id"], ["entity_type", "entity_id"], ["article_id", "entity_type", "entity_id"]],
    "mentions": [["entity_id"], ["entity_key"], ["article_key"]],
    "entities": [["type", "article_count"], ["article_count"]],
    "entity_aliases": [["alias"]],
    "skipped": [["file"]],
    "build_files": [["status"]],
}


def key_id(key: str) -> int:
    """A stable positive integer id for a key (48 bits of its SHA-1)."""
    return int(hashlib.sha1(key.encode("utf-8")).hexdigest()[:12], 16)


def connect(path: str | Path) -> sqlite_utils.Database:
    """Open (creating if needed) an archive with the full schema."""
    db = sqlite_utils.Database(path)
    db.conn.execute("PRAGMA journal_mode = OFF")
    db.conn.execute("PRAGMA synchronous = OFF")
    db.conn.execute("PRAGMA cache_size = -64000")
    db.conn.executescript(SCHEMA)
    columns = {row[1] for row in db.conn.execute("PRAGMA table_info(articles)")}
    if "date" not in columns:  # an archive built before the date column: add it, filled from published
        db.conn.execute("ALTER TABLE articles ADD COLUMN date TEXT")
        db.conn.execute("UPDATE articles SET date = substr(published, 1, 10) WHERE published IS NOT NULL")
    return db


def create_indexes(db: sqlite_utils.Database) -> None:
    for table, indexes in INDEXES.items():
        for columns in indexes:
            db[table].create_index(columns, if_not_exists=True)


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
    """The article with this normalized text, if any: (id, origin file, position)."""
    row = db.conn.execute(
        "SELECT a.id, o.file, o.position FROM articles a JOIN article_origins o ON o.article_id = a.id"
        " WHERE a.body_key = ? ORDER BY o.file, o.position LIMIT 1",
        (body_key,),
    ).fetchone()
    return (row[0], row[1], row[2]) if row else None


def article_exists(db: sqlite_utils.Database, article_id: str) -> bool:
    return db.conn.execute("SELECT 1 FROM articles WHERE id = ?", (article_id,)).fetchone() is not None


def insert_article(db: sqlite_utils.Database, row: dict[str, Any], fts: tuple[str, str, str, str],
                   mentions: Iterable[dict[str, Any]]) -> None:
    """Insert one article with its index entry and mentions."""
    columns = ", ".join(f'"{name}"' for name in row)
    marks = ", ".join("?" for _ in row)
    cursor = db.conn.execute(f"INSERT INTO articles ({columns}) VALUES ({marks})", list(row.values()))
    db.conn.execute(
        "INSERT INTO articles_fts (rowid, title, body, title_stems, body_stems) VALUES (?, ?, ?, ?, ?)",
        (cursor.lastrowid, *fts),
    )
    db.conn.executemany(
        'INSERT INTO mentions (article_id, start, "end", surface, type, kind, role, name, "full", article_key)'
        " VALUES (:article_id, :start, :end, :surface, :type, :kind, :role, :name, :full, :article_key)",
        list(mentions),
    )


def add_origin(db: sqlite_utils.Database, article_id: str, file: str, position: int | None, url: str | None,
               input_file: str) -> None:
    db.conn.execute(
        "INSERT OR IGNORE INTO article_origins (article_id, file, position, url, input) VALUES (?, ?, ?, ?, ?)",
        (article_id, file, -1 if position is None else position, url, input_file),
    )


def delete_article(db: sqlite_utils.Database, article_id: str) -> None:
    """Remove an article with its index entry and mentions (its origins stay, for the caller to move)."""
    rowid = db.conn.execute("SELECT rowid FROM articles WHERE id = ?", (article_id,)).fetchone()
    if rowid:
        db.conn.execute("DELETE FROM articles_fts WHERE rowid = ?", rowid)
    db.conn.execute("DELETE FROM mentions WHERE article_id = ?", (article_id,))
    db.conn.execute("DELETE FROM articles WHERE id = ?", (article_id,))


def move_origins(db: sqlite_utils.Database, old_id: str, new_id: str) -> None:
    db.conn.execute("UPDATE article_origins SET article_id = ? WHERE article_id = ?", (new_id, old_id))


def shift_file_counts(db: sqlite_utils.Database, path: str, articles: int) -> None:
    """Move ``articles`` articles of a recorded file between its built and duplicate counts."""
    db.conn.execute(
        "UPDATE build_files SET articles = articles + ?, duplicates = duplicates - ?,"
        " status = CASE WHEN articles + ? > 0 THEN 'built' ELSE 'duplicate' END WHERE path = ?",
        (articles, articles, articles, path),
    )


def remove_file(db: sqlite_utils.Database, path: str) -> None:
    """Remove what an input file contributed. An article that other files also hold stays, re-keyed to the
    first of its remaining origins, as a full build without this file would have made it."""
    from .model import article_id

    orphans = [row[0] for row in db.conn.execute(
        "SELECT DISTINCT article_id FROM article_origins WHERE input = ?", (path,))]
    db.conn.execute("DELETE FROM article_origins WHERE input = ?", (path,))
    for old_id in orphans:
        remaining = db.conn.execute(
            "SELECT file, position, url, input FROM article_origins WHERE article_id = ?"
            " ORDER BY file, position LIMIT 1", (old_id,)
        ).fetchone()
        if not remaining:
            delete_article(db, old_id)
            continue
        file, position, url, input_file = remaining
        new_id = article_id(url, file, None if position == -1 else position)
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


def record_file(db: sqlite_utils.Database, row: dict[str, Any]) -> None:
    db["build_files"].upsert(row, pk="path")


def record_skips(db: sqlite_utils.Database, file: str, skips: list[tuple[str, str]]) -> None:
    db.conn.executemany("INSERT INTO skipped (path, file, reason) VALUES (?, ?, ?)",
                        [(path, file, reason) for path, reason in skips])


def known_files(db: sqlite_utils.Database) -> dict[str, tuple[int, int, str]]:
    return {
        row[0]: (row[1], row[2], row[3])
        for row in db.conn.execute("SELECT path, size, mtime_ns, sha1 FROM build_files")
    }


def rebuild_entities(db: sqlite_utils.Database) -> None:
    """Recompute entities, aliases, article links and counts from the mentions table: each mention's entity is
    its key in its article, or where ``archive_remap`` sends it (variants, one type per name, longer person names).
    """
    from .entities.link import archive_remap

    conn = db.conn
    remap = archive_remap(
        dict(conn.execute("SELECT article_key, count(*) FROM mentions GROUP BY article_key").fetchall())
    )
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
    conn.execute(
        """
        INSERT INTO article_entities (article_id, entity_id, entity_type, mention_count)
        SELECT article_id, entity_id, min(type), count(*) FROM mentions GROUP BY article_id, entity_id
        """
    )
    conn.execute(
        "UPDATE articles SET entity_count = (SELECT count(*) FROM article_entities"
        " WHERE article_id = articles.id)"
    )
    conn.execute(
        "UPDATE sources SET article_count = (SELECT count(*) FROM articles WHERE source_id = sources.id)"
    )
    conn.execute("DELETE FROM sources WHERE article_count = 0")


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
