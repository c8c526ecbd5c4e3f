"""Incremental, parallel and interrupted builds: a rebuild equals a full build, --jobs 2 equals --jobs 1, and a
build killed at any point leaves the previous archive intact."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import time
from pathlib import Path

import pytest

from arshif.build import build

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = (ROOT / "seeds" / "000_2399a9a2b0d5824e.txt").read_text("utf-8")
PARAGRAPHS = [line for line in SAMPLE.splitlines() if len(line) > 80]


def make_corpus(folder: Path, files: int = 6, per_file: int = 5) -> None:
    folder.mkdir(parents=True, exist_ok=True)
    for f in range(files):
        records = [
            {"title": f"خبر {f}-{i}", "content": f"{PARAGRAPHS[(f + i) % len(PARAGRAPHS)]}\nرقم {f * 100 + i}.",
             "url": f"https://example.org/{f}/{i}", "date": f"2016-0{1 + f % 9}-1{i % 9}", "source": f"مصدر {f % 3}"}
            for i in range(per_file)
        ]
        (folder / f"part-{f}.json").write_text(json.dumps(records, ensure_ascii=False), "utf-8")
    (folder / "sample.txt").write_text(SAMPLE, "utf-8")


def dump(path: Path) -> dict[str, list]:
    """Everything a reader of the archive can see, order-independent."""
    conn = sqlite3.connect(path)
    conn.execute("CREATE VIRTUAL TABLE temp.fts_terms USING fts5vocab(main, articles_fts, instance)")
    queries = {
        "articles": "SELECT id, title, published, source_id, category, url, body, year, month, words, entity_count,"
                    " content_hash, body_key, origin FROM articles",
        # the index is contentless: every term of every article, with its column and position
        "fts": "SELECT a.id, v.term, v.col, v.offset FROM temp.fts_terms v JOIN articles a ON a.rowid = v.doc",
        "sources": "SELECT * FROM sources",
        "entities": "SELECT * FROM entities",
        "aliases": "SELECT * FROM entity_aliases",
        "article_entities": "SELECT * FROM article_entities",
        "mentions": "SELECT * FROM mentions",
        "origins": "SELECT * FROM article_origins",
        "files": "SELECT path, status, articles, duplicates, skipped, reason, size, sha1 FROM build_files",
        "skipped": "SELECT * FROM skipped",
        "entity_months": "SELECT * FROM entity_months",
        "entity_together": "SELECT * FROM entity_together",
        "entity_latest": "SELECT * FROM entity_latest",
        # the facets' short rows, by article id (rowids may differ), their entity ids unpacked
        "article_facets": "SELECT a.id, f.source_id, f.category, f.year, f.month, hex(f.entity_ids)"
                          " FROM article_facets f JOIN articles a ON a.rowid = f.article_rowid",
    }
    return {name: sorted(map(repr, conn.execute(sql).fetchall())) for name, sql in queries.items()}


def test_rebuild_after_changes_equals_full_build(tmp_path):
    corpus = tmp_path / "corpus"
    make_corpus(corpus)
    incremental = tmp_path / "incremental.db"
    first = build([corpus], incremental, ner="gazetteer")
    assert first.articles == 31
    # change one file, remove one, add one, add a duplicate of an existing article
    changed = json.loads((corpus / "part-1.json").read_text("utf-8"))
    changed[0]["content"] = "نص جديد كليا عن موسكو وواشنطن."
    (corpus / "part-1.json").write_text(json.dumps(changed, ensure_ascii=False), "utf-8")
    (corpus / "part-2.json").unlink()
    (corpus / "new.json").write_text(json.dumps([{"title": "جديد", "content": "خبر جديد من حلب."}],
                                                ensure_ascii=False), "utf-8")
    shutil.copy(corpus / "sample.txt", corpus / "sample copy.txt")
    second = build([corpus], incremental, ner="gazetteer")
    assert second.files_unchanged == 5 and second.files_removed == 1
    assert second.duplicates == 1
    full = tmp_path / "full.db"
    build([corpus], full, ner="gazetteer", full=True)
    assert dump(incremental) == dump(full)


def test_rebuild_with_nothing_changed_reads_nothing(tmp_path):
    corpus = tmp_path / "corpus"
    make_corpus(corpus)
    db = tmp_path / "a.db"
    build([corpus], db, ner="gazetteer")
    before = dump(db)
    again = build([corpus], db, ner="gazetteer")
    assert again.files_unchanged == again.files == 7 and again.articles_added == 0
    assert dump(db) == before


def test_two_jobs_give_the_same_archive_as_one(tmp_path):
    corpus = tmp_path / "corpus"
    make_corpus(corpus, files=8, per_file=20)
    one, two = tmp_path / "one.db", tmp_path / "two.db"
    build([corpus], one, ner="gazetteer", jobs=1)
    build([corpus], two, ner="gazetteer", jobs=2)
    assert dump(one) == dump(two)


def test_same_article_twice_is_stored_once_with_both_origins(tmp_path):
    (tmp_path / "a.txt").write_text(SAMPLE, "utf-8")
    (tmp_path / "نسخة من الخبر.txt").write_text(SAMPLE.replace("سوريا", "سُوريا"), "utf-8")  # same normalized text
    summary = build([tmp_path], tmp_path / "x.db", ner="none")
    assert (summary.articles, summary.duplicates, summary.files_built, summary.files_duplicate) == (1, 1, 1, 1)
    conn = sqlite3.connect(tmp_path / "x.db")
    assert conn.execute("SELECT count(*) FROM article_origins").fetchone()[0] == 2
    assert dict(conn.execute("SELECT status, count(*) FROM build_files GROUP BY status")) == {"built": 1,
                                                                                             "duplicate": 1}


@pytest.mark.skipif(sys.platform == "win32", reason="kill -9 is POSIX")
def test_killed_build_leaves_previous_archive_intact(tmp_path):
    corpus = tmp_path / "corpus"
    make_corpus(corpus, files=2, per_file=3)
    db = tmp_path / "archive.db"
    build([corpus], db, ner="gazetteer")
    before = dump(db)
    big = tmp_path / "big"
    make_corpus(big, files=40, per_file=100)
    for delay in (0.5, 1.5, 3.0):
        process = subprocess.Popen([sys.executable, str(ROOT / "build"), str(corpus), str(big), "--db", str(db),
                                    "--ner", "default"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        time.sleep(delay)
        if process.poll() is not None:
            break
        os.kill(process.pid, signal.SIGKILL)
        process.wait()
        assert dump(db) == before  # untouched and readable
        assert sqlite3.connect(db).execute("PRAGMA integrity_check").fetchone() == ("ok",)
    # the next build cleans up what the killed one left behind, and succeeds
    build([corpus], db, ner="gazetteer")
    assert not list(tmp_path.glob(".archive.db.building-*"))
