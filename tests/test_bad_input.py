"""Bad input, each through the real build: every file ends as built, duplicate or skipped, with a message that
names the file and the reason, and files in = built + duplicate + skipped."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest

from arshif.build import build

ROOT = Path(__file__).resolve().parents[1]
SAMPLE = (ROOT / "seeds" / "000_2399a9a2b0d5824e.txt").read_text("utf-8")

CASES = {
    "empty.txt": (b"", "skipped", "empty"),
    "whitespace.txt": (b"  \n\t\n   \r\n", "skipped", "whitespace"),
    "diacritics.txt": ("َُِّ ًٌٍْ\n".encode(), "skipped", "diacritics"),
    "image.txt": (bytes(range(256)) * 40, "skipped", "binary"),
    "truncated.json": ('[{"title": "خبر", "content": "نص'.encode(), "skipped", "broken JSON"),
    "no-text.json": (json.dumps({"title": "عنوان بلا نص", "url": "https://example.org/empty"}).encode(), "skipped",
                     "no text"),
    "huge.txt": (("سوريا " * 9_000_000).encode(), "skipped", "too large"),
    "invalid-middle.txt": ("خبر عن سوريا.\n".encode() * 30 + b"\xff\xfe\xc3" + "وفقرة عن حلب.\n".encode() * 30,
                           "built", None),
    "zero-width.txt": ("زار الوزير مو\u200cسكو و\u200fحلب أمس، والتقى نظيره في سو\u2066ريا.".encode(), "built", None),
    "مجلد عربي/خبر من حلب.txt": ("زار الوفد مدينة حلب أمس.\nوقال إن الزيارة ناجحة.".encode(), "built", None),
    "one.txt": (SAMPLE.encode(), "built", None),
    "two.txt": (SAMPLE.encode(), "duplicate", None),
}


@pytest.fixture(scope="module")
def built(tmp_path_factory):
    folder = tmp_path_factory.mktemp("bad") / "in put"
    for name, (data, _, _) in CASES.items():
        path = folder / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    db = folder.parent / "archive.db"
    summary = build([folder], db, ner="gazetteer")
    return folder, db, summary


def named(folder, name: str) -> str:
    """How the archive names a file of the input folder: relative to it, never by its absolute path."""
    return f"{folder.name}/{name}"


def test_every_file_has_exactly_one_outcome(built):
    folder, db, summary = built
    assert summary.files == len(CASES) == summary.files_built + summary.files_duplicate + summary.files_skipped
    statuses = {row[0]: row[1] for row in sqlite3.connect(db).execute("SELECT path, status FROM build_files")}
    assert statuses == {named(folder, name): status for name, (_, status, _) in CASES.items()}


@pytest.mark.parametrize("name", [name for name, (_, status, _) in CASES.items() if status == "skipped"])
def test_skipped_files_are_reported_with_their_reason(built, name):
    folder, db, summary = built
    reasons = [reason for path, reason in summary.skipped if path == named(folder, name)]
    assert len(reasons) == 1 and CASES[name][2].lower() in reasons[0].lower(), reasons
    stored = sqlite3.connect(db).execute("SELECT reason FROM build_files WHERE path = ?", (named(folder, name),))
    assert stored.fetchone()[0] == reasons[0]


def test_invalid_bytes_in_the_middle_are_replaced_and_flagged(built):
    folder, db, _ = built
    body, extra = sqlite3.connect(db).execute(
        "SELECT body, extra FROM articles WHERE origin = ?", (named(folder, "invalid-middle.txt"),)).fetchone()
    assert "\ufffd" in body and "حلب" in body
    assert "invalid_utf8" in json.loads(extra)


def test_controls_inside_words_are_kept_for_display_and_ignored_for_search(built):
    folder, db, _ = built
    conn = sqlite3.connect(db)
    body = conn.execute("SELECT body FROM articles WHERE origin = ?", (named(folder, "zero-width.txt"),)).fetchone()[0]
    assert "مو\u200cسكو" in body
    names = {row[0] for row in conn.execute(
        "SELECT e.name FROM mentions m JOIN entities e ON e.id = m.entity_id JOIN articles a ON a.id = m.article_id"
        " WHERE a.origin = ?", (named(folder, "zero-width.txt"),))}
    assert {"موسكو", "حلب", "سوريا"} <= names
    hits = {row[0] for row in conn.execute(
        "SELECT a.origin FROM articles_fts f JOIN articles a ON a.rowid = f.rowid WHERE articles_fts MATCH 'body : موسكو'")}
    assert named(folder, "zero-width.txt") in hits


def test_arabic_path_with_spaces(built):
    folder, db, _ = built
    row = sqlite3.connect(db).execute("SELECT title FROM articles WHERE origin = ?",
                                      (named(folder, "مجلد عربي/خبر من حلب.txt"),)).fetchone()
    assert row is not None


def test_same_article_in_two_files_is_stored_once(built):
    folder, db, summary = built
    conn = sqlite3.connect(db)
    origins = conn.execute("SELECT o.file FROM article_origins o JOIN articles a ON a.id = o.article_id"
                           " WHERE a.origin = ? ORDER BY o.file", (named(folder, "one.txt"),)).fetchall()
    assert [row[0] for row in origins] == [named(folder, "one.txt"), named(folder, "two.txt")]
