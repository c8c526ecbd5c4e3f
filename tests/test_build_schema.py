"""The write side owns its schema: typed records match the tables, the schema version forces a full rebuild,
an unchanged file is not hashed again, and a file's status is the schema's one rule."""

from __future__ import annotations

import dataclasses
import json
import os
import sqlite3
from pathlib import Path

import arshif.build
from arshif import db as archive
from arshif.build import build
from arshif.model import article_id, distinct_id

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = (ROOT / "seeds" / "000_2399a9a2b0d5824e.txt").read_text("utf-8")


def corpus(folder: Path) -> Path:
    folder.mkdir()
    records = [{"title": f"خبر {i}", "content": f"وصل وزير الخارجية إلى موسكو في الزيارة رقم {i}.",
                "url": f"https://example.org/{i}"} for i in range(4)]
    (folder / "a.json").write_text(json.dumps(records, ensure_ascii=False), "utf-8")
    (folder / "sample.txt").write_text(SAMPLE, "utf-8")
    return folder


def test_every_record_has_exactly_the_columns_of_its_table(tmp_path):
    db = archive.connect(tmp_path / "a.db")
    for table, record in archive.RECORDS.items():
        declared = {row[1] for row in db.conn.execute(f"PRAGMA table_xinfo({table})")}  # generated ones too
        if table == "articles_fts":  # the FTS5 table's shadow columns are not columns of its rows
            declared = {row[1] for row in db.conn.execute(f"PRAGMA table_info({table})")}
        fields = {field.name for field in dataclasses.fields(record)}
        assert fields | archive.DERIVED.get(table, set()) == declared, table
        assert not fields & archive.DERIVED.get(table, set()), table


def test_generated_inserts_write_the_record_fields(tmp_path):
    db = archive.connect(tmp_path / "a.db")
    row = archive.ArticleRow("x1", "t", None, None, None, None, None, "u", "نص", None, None, None, 0, 0, 1, None,
                             "f.txt", "h", "k", None)
    mention = archive.MentionRow("x1", 0, 2, "نص", "LOC", "name", None, "نص", 1, "LOC:نص")
    archive.insert_article(db, row, archive.IndexRow("t", "نص", "t", "نص"), [mention])
    stored = db.conn.execute("SELECT id, title, url, body, origin, body_key, entity_count FROM articles").fetchone()
    assert stored == ("x1", "t", "u", "نص", "f.txt", "k", 0)
    assert db.conn.execute('SELECT article_id, "end", article_key FROM mentions').fetchone() == ("x1", 2, "LOC:نص")
    db.conn.execute("CREATE VIRTUAL TABLE temp.fts_terms USING fts5vocab(main, articles_fts, instance)")
    assert db.conn.execute("SELECT term, col FROM temp.fts_terms WHERE col = 'body'").fetchall() == [("نص", "body")]


def test_status_is_derived_from_the_counts_in_the_schema(tmp_path):
    db = archive.connect(tmp_path / "a.db")
    assert archive.record_file(db, archive.FileRow("a", 2, 0, 0, None, 1, 1, "s")) == "built"
    assert archive.record_file(db, archive.FileRow("b", 0, 1, 0, None, 1, 1, "s")) == "duplicate"
    assert archive.record_file(db, archive.FileRow("c", 0, 0, 1, "bad", 1, 1, "s")) == "skipped"
    archive.shift_file_counts(db, "a", -2)
    assert db.conn.execute("SELECT status, articles, duplicates FROM build_files WHERE path = 'a'").fetchone() == (
        "duplicate", 0, 2)
    archive.record_file(db, archive.FileRow("b", 3, 1, 0, None, 1, 1, "s"))  # recorded anew
    assert db.conn.execute("SELECT status FROM build_files WHERE path = 'b'").fetchone() == ("built",)
    # a plain column, so that every reader sees it (datasette-graphql and sqlite-utils skip generated ones)
    assert "status" in {row[1] for row in db.conn.execute("PRAGMA table_info(build_files)")}


def test_article_id_rules():
    assert article_id(" https://x.org/1 ", "f.json", 3) == article_id("https://x.org/1", "g.json", 0)
    assert article_id(None, "f.json", None) == article_id("", "f.json", 0) != article_id(None, "f.json", 1)
    assert distinct_id("abc", "k1") != distinct_id("abc", "k2") and len(distinct_id("abc", "k1")) == 16


def test_archive_of_another_schema_version_is_rebuilt_in_full(tmp_path):
    folder = corpus(tmp_path / "in")
    db = tmp_path / "archive.db"
    build([folder], db, ner="gazetteer")
    assert archive.schema_version(db) == archive.SCHEMA_VERSION
    conn = sqlite3.connect(db)
    conn.execute("DELETE FROM build_info WHERE key = 'schema_version'")  # as archives before versions were
    conn.execute("INSERT INTO articles (id, body, words, origin, content_hash, body_key) VALUES"
                 " ('stale', 'x', 1, 'gone.txt', '', '')")  # state an update would wrongly keep
    conn.commit()
    conn.close()
    assert archive.schema_version(db) == 1
    again = build([folder], db, ner="gazetteer")
    assert any("schema version 1" in note and "rebuilt in full" in note for note in again.notes)
    assert any("rebuilt in full" in line for line in again.lines())
    assert again.files_unchanged == 0 and again.articles_added == 5
    assert sqlite3.connect(db).execute("SELECT count(*) FROM articles WHERE id = 'stale'").fetchone() == (0,)
    assert archive.schema_version(db) == archive.SCHEMA_VERSION
    assert build([folder], db, ner="gazetteer").notes == []


def test_unchanged_file_is_not_hashed_again(tmp_path, monkeypatch):
    folder = corpus(tmp_path / "in")
    db = tmp_path / "archive.db"
    first = build([folder], db, ner="gazetteer")
    assert first.files_hashed == 2
    hashed: list[Path] = []
    real = arshif.build.file_sha1
    monkeypatch.setattr(arshif.build, "file_sha1", lambda path: hashed.append(path) or real(path))
    again = build([folder], db, ner="gazetteer")
    assert hashed == [] and again.files_unchanged == 2 and again.files_hashed == 0
    # a new modification time with the same bytes: hashed once, found unchanged, and not hashed the next time
    stat = (folder / "a.json").stat()
    os.utime(folder / "a.json", ns=(stat.st_atime_ns, stat.st_mtime_ns + 5_000_000_000))
    touched = build([folder], db, ner="gazetteer")
    assert [path.name for path in hashed] == ["a.json"] and touched.files_unchanged == 2
    assert touched.articles_added == 0
    hashed.clear()
    assert build([folder], db, ner="gazetteer").files_unchanged == 2 and hashed == []
    # changed bytes are read again
    (folder / "sample.txt").write_text(SAMPLE + "\nسطر جديد عن حلب.", "utf-8")
    changed = build([folder], db, ner="gazetteer")
    assert [path.name for path in hashed] == ["sample.txt"] and changed.files_unchanged == 1


def test_only_the_db_module_writes_sql():
    """build.py, pipeline.py and distributed.py name no table: the write side's SQL is all in arshif/db.py."""
    tables = ["articles", "mentions", "build_files", "article_origins", "skipped", "sources", "entities",
              "build_info"]
    for name in ("build.py", "pipeline.py", "distributed.py"):
        source = (ROOT / "arshif" / name).read_text("utf-8")
        assert "SELECT" not in source and "INSERT" not in source and "UPDATE " not in source, name
        assert not any(f'db["{table}"]' in source or f"FROM {table}" in source for table in tables), name


def test_the_facets_short_rows_follow_the_articles_and_their_links(tmp_path):
    path = tmp_path / "a.db"
    build([corpus(tmp_path / "in")], path, ner="gazetteer")
    conn = sqlite3.connect(path)
    links: dict[int, list[int]] = {}
    for rowid, entity in conn.execute("SELECT a.rowid, ae.entity_id FROM article_entities ae"
                                      " JOIN articles a ON a.id = ae.article_id"):
        links.setdefault(rowid, []).append(entity)
    rows = conn.execute("SELECT f.article_rowid, f.source_id, f.category, f.year, f.month, f.entity_ids,"
                        " a.source_id, a.category, a.year, a.month FROM article_facets f"
                        " JOIN articles a ON a.rowid = f.article_rowid").fetchall()
    assert len(rows) == conn.execute("SELECT count(*) FROM articles").fetchone()[0] == 5
    for rowid, *short, packed, source_id, category, year, month in rows:
        assert short == [source_id, category, year, month]
        assert archive.unpack_ids(packed) == sorted(links.get(rowid, []))
    assert any(links.values())
    assert archive.unpack_ids(archive.pack_ids([3, -2, 2 ** 62])) == [-2, 3, 2 ** 62]
