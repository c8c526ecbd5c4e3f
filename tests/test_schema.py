"""The archive's tables: columns, foreign keys (so Datasette links them), indexes on faceted and joined columns."""

from __future__ import annotations

import sqlite3

import sqlite_utils

from arshif.db import integrity_errors

FOREIGN_KEYS = {
    ("articles", "source_id", "sources", "id"),
    ("article_origins", "article_id", "articles", "id"),
    ("entity_aliases", "entity_id", "entities", "id"),
    ("article_entities", "article_id", "articles", "id"),
    ("article_entities", "entity_id", "entities", "id"),
    ("mentions", "article_id", "articles", "id"),
    ("mentions", "entity_id", "entities", "id"),
    ("skipped", "file", "build_files", "path"),
}


def test_tables_and_foreign_keys(variants_archive):
    db = sqlite_utils.Database(variants_archive)
    tables = set(db.table_names())
    assert {"sources", "articles", "entities", "article_entities", "mentions", "entity_aliases",
            "article_origins", "build_files", "skipped", "articles_fts"} <= tables
    declared = {
        (table, fk.column, fk.other_table, fk.other_column)
        for table in tables if not table.startswith("articles_fts")
        for fk in db[table].foreign_keys
    }
    assert FOREIGN_KEYS <= declared
    assert integrity_errors(variants_archive) == []


def test_indexes_on_faceted_and_joined_columns(variants_archive):
    db = sqlite_utils.Database(variants_archive)
    indexed = {(table, index.columns[0]) for table in db.table_names() for index in db[table].indexes}
    for needed in [("articles", "source_id"), ("articles", "category"), ("articles", "year"), ("articles", "month"),
                   ("article_entities", "entity_id"), ("mentions", "entity_id"), ("entity_aliases", "alias")]:
        assert needed in indexed, needed
    # primary keys index the other joined columns
    assert db["article_entities"].pks == ["article_id", "entity_id"]
    assert db["mentions"].pks == ["article_id", "start"]


def test_original_text_stored_exactly_and_analyzed_text_in_the_index(variants_archive):
    conn = sqlite3.connect(variants_archive)
    body, rowid = conn.execute("SELECT body, rowid FROM articles WHERE url = 'https://example.org/3'").fetchone()
    assert body == "قال الرَّئيسُ إن المفاوضات ستستأنف قريبا في سوريا."
    conn.execute("CREATE VIRTUAL TABLE temp.fts_terms USING fts5vocab(main, articles_fts, instance)")
    analyzed = {row[0] for row in conn.execute("SELECT term FROM temp.fts_terms WHERE doc = ? AND col = 'body'",
                                               (rowid,))}
    assert "الرئيس" in analyzed and "الرَّئيسُ" not in analyzed


def test_article_fields_and_facet_columns(variants_archive):
    conn = sqlite3.connect(variants_archive)
    conn.row_factory = sqlite3.Row
    row = conn.execute(
        "SELECT a.*, s.name AS source FROM articles a JOIN sources s ON s.id = a.source_id"
        " WHERE url = 'https://example.org/1'").fetchone()
    assert (row["title"], row["source"], row["published"], row["year"], row["month"], row["category"]) == (
        "زيارة إلى أمريكا", "وكالة أ", "2016-08-02", 2016, "2016-08", "سياسة")
    assert len(row["content_hash"]) == 40
    counts = dict(conn.execute("SELECT name, article_count FROM sources"))
    assert counts == {"وكالة أ": 2, "وكالة ب": 2, "وكالة ج": 1, "سيريانيوز": 1}


def test_mention_offsets_point_into_the_original_text(variants_archive):
    conn = sqlite3.connect(variants_archive)
    rows = conn.execute(
        'SELECT a.body, m.start, m."end", m.surface FROM mentions m JOIN articles a ON a.id = m.article_id').fetchall()
    assert rows
    for body, start, end, surface in rows:
        assert body[start:end] == surface


def test_entity_and_link_counts(variants_archive):
    conn = sqlite3.connect(variants_archive)
    for entity_id, article_count, mention_count in conn.execute(
            "SELECT id, article_count, mention_count FROM entities"):
        assert article_count == conn.execute(
            "SELECT count(*) FROM article_entities WHERE entity_id = ?", (entity_id,)).fetchone()[0]
        assert mention_count == conn.execute(
            "SELECT count(*) FROM mentions WHERE entity_id = ?", (entity_id,)).fetchone()[0]
    for article_id, entity_id, count in conn.execute(
            "SELECT article_id, entity_id, mention_count FROM article_entities"):
        assert count == conn.execute("SELECT count(*) FROM mentions WHERE article_id = ? AND entity_id = ?",
                                     (article_id, entity_id)).fetchone()[0]


def test_places_of_the_sample_article_with_clitics_outside_the_span(variants_archive):
    conn = sqlite3.connect(variants_archive)
    sample = conn.execute("SELECT id, body FROM articles WHERE source_id IN"
                          " (SELECT id FROM sources WHERE name = 'سيريانيوز')").fetchone()
    names = {row[0] for row in conn.execute(
        "SELECT e.name FROM article_entities ae JOIN entities e ON e.id = ae.entity_id WHERE ae.article_id = ?",
        (sample[0],))}
    assert {"سوريا", "حلب", "موسكو", "روسيا", "واشنطن"} <= names
    body = sample[1]
    wa = body.index("وسوريا")
    mention = conn.execute('SELECT start, "end", surface FROM mentions WHERE article_id = ? AND start >= ? AND start <= ?',
                           (sample[0], wa, wa + 1)).fetchone()
    assert mention == (wa + 1, wa + 6, "سوريا")
