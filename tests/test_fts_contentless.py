"""The full-text index is contentless (no copy of the analyzed text in the file): an article's entry is deleted
with the values it was made of, re-derived from the stored title and body by the same analysis
(``arshif.build.index_row``), and an archive indexed by another analysis is rebuilt in full."""

from __future__ import annotations

import json
import sqlite3

import arshif.build as build_module
from arshif.build import analyzer_fingerprint, build, index_row
from arshif.model import Article
from arshif.pipeline import process
from arshif.text.analyze import analyze

from test_build_incremental import dump, make_corpus


def terms(path, word: str) -> int:
    """In how many articles the index holds ``word`` (as the analysis writes it)."""
    word = analyze(word).surface
    conn = sqlite3.connect(path)
    conn.execute("CREATE VIRTUAL TABLE temp.fts_terms USING fts5vocab(main, articles_fts, row)")
    found = conn.execute("SELECT coalesce(sum(doc), 0) FROM temp.fts_terms WHERE term = ?", (word,)).fetchone()[0]
    conn.close()
    return found


def test_the_index_holds_no_copy_of_the_text(tmp_path):
    corpus = tmp_path / "corpus"
    make_corpus(corpus, files=2)
    path = tmp_path / "a.db"
    build([corpus], path, ner="gazetteer")
    conn = sqlite3.connect(path)
    tables = {row[0] for row in conn.execute("SELECT name FROM sqlite_master WHERE type = 'table'")}
    assert "articles_fts_content" not in tables and "articles_fts_data" in tables
    assert conn.execute("SELECT count(*) FROM articles_fts WHERE title IS NOT NULL OR body IS NOT NULL").fetchone() == (0,)
    assert conn.execute("SELECT count(*) FROM articles_fts WHERE articles_fts MATCH 'body : موسكو'").fetchone()[0] > 0
    assert conn.execute("SELECT value FROM build_info WHERE key = 'analyzer'").fetchone() == (analyzer_fingerprint(),)
    conn.close()


def test_index_row_is_what_the_pipeline_indexes():
    for title, body in [("زيارة رسمية إلى تونس", "وصل الوفد إلى تونس صباح اليوم.\nثم توجه الوفد إلى سوسة."),
                        (None, "قال الرَّئيسُ إن المفاوضات ستستأنف قريبا في سوريا."), ("", "نص")]:
        processed = process(Article(origin="x.txt", title=title, body=body), "none")
        assert index_row(processed.row.title, processed.row.body) == processed.index


def test_a_removed_file_leaves_no_term_in_the_index(tmp_path):
    corpus = tmp_path / "corpus"
    make_corpus(corpus, files=3)
    (corpus / "odd.json").write_text(json.dumps([{"title": "كلمةفريدة", "content": "نص فيه كلمةنادرة وحدها."}],
                                                ensure_ascii=False), "utf-8")
    path = tmp_path / "a.db"
    build([corpus], path, ner="gazetteer")
    assert terms(path, "كلمةنادرة") == 1 and terms(path, "كلمةفريدة") == 1
    (corpus / "odd.json").unlink()
    second = build([corpus], path, ner="gazetteer")
    assert second.files_removed == 1
    assert terms(path, "كلمةنادرة") == 0 and terms(path, "كلمةفريدة") == 0
    conn = sqlite3.connect(path)
    conn.execute("INSERT INTO articles_fts (articles_fts, rank) VALUES ('integrity-check', 0)")  # raises if corrupt
    conn.close()
    full = tmp_path / "full.db"
    build([corpus], full, ner="gazetteer", full=True)
    assert dump(path) == dump(full)


def _built_twice(tmp_path):
    """A corpus and its archive, built, then built again with nothing changed (every file skipped, no note)."""
    corpus = tmp_path / "corpus"
    make_corpus(corpus, files=2)
    path = tmp_path / "a.db"
    build([corpus], path, ner="gazetteer")
    again = build([corpus], path, ner="gazetteer")
    assert again.files_unchanged == again.files and not again.notes
    return corpus, path


def test_another_analysis_rebuilds_in_full(tmp_path, monkeypatch):
    corpus, path = _built_twice(tmp_path)
    monkeypatch.setattr(build_module, "analyzer_fingerprint", lambda: "another analysis")
    changed = build([corpus], path, ner="gazetteer")
    assert changed.files_unchanged == 0 and changed.articles_added == changed.articles
    assert any("another version of the analysis" in note for note in changed.notes)
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT value FROM build_info WHERE key = 'analyzer'").fetchone() == ("another analysis",)
    conn.close()


def test_other_entity_rules_or_another_ner_rebuild_in_full(tmp_path, monkeypatch):
    """Mentions found by another version of the extractors, or another --ner choice, would mix with the new ones
    (one name in two rows): the archive is rebuilt in full, and the summary says why."""
    corpus, path = _built_twice(tmp_path)
    other_ner = build([corpus], path, ner="none")
    assert other_ner.files_unchanged == 0 and any("entities with other rules" in note for note in other_ner.notes)
    monkeypatch.setattr(build_module, "extraction_fingerprint", lambda ner: "other rules " + ner)
    changed = build([corpus], path, ner="none")
    assert changed.files_unchanged == 0 and changed.articles_added == changed.articles
    conn = sqlite3.connect(path)
    assert conn.execute("SELECT value FROM build_info WHERE key = 'extraction'").fetchone() == ("other rules none",)
    conn.close()
