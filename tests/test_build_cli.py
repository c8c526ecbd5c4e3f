"""`./build`: the summary it prints, bad files reported while the rest builds, exit codes."""

from __future__ import annotations

import json
import sqlite3
import subprocess
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def run_build(*args: str, cwd: Path | None = None) -> subprocess.CompletedProcess:
    return subprocess.run([sys.executable, str(ROOT / "build"), *args], capture_output=True, text=True,
                          cwd=cwd or ROOT, timeout=300)


def test_build_reports_bad_files_and_builds_the_rest(tmp_path):
    folder = tmp_path / "in"
    folder.mkdir()
    (folder / "good.txt").write_text("زار الوزير موسكو أمس.\nوقال إن المحادثات بناءة.", "utf-8")
    (folder / "more.json").write_text(json.dumps([{"title": "عنوان", "content": "نص من حلب."}], ensure_ascii=False),
                                      "utf-8")
    (folder / "broken.json").write_text('[{"title": "x", "content": ', "utf-8")
    (folder / "binary.txt").write_bytes(bytes(range(256)) * 20)
    (folder / "notes.docx").write_bytes(b"PK\x03\x04")
    db = tmp_path / "out.db"
    result = run_build(str(folder), "--db", str(db), "--ner", "gazetteer")
    assert result.returncode == 0, result.stderr
    out = result.stdout
    assert "2 articles in the archive" in out
    assert "5 files: 2 built, 0 duplicate, 3 skipped" in out
    for name in ("broken.json", "binary.txt", "notes.docx"):
        assert name in out
    conn = sqlite3.connect(db)
    assert conn.execute("SELECT count(*) FROM skipped").fetchone()[0] == 3
    statuses = dict(conn.execute("SELECT path, status FROM build_files"))
    assert sorted(statuses.values()) == ["built", "built", "skipped", "skipped", "skipped"]
    assert "seconds" in out and "entities" in out


def test_build_fails_only_when_nothing_could_be_built(tmp_path):
    (tmp_path / "broken.json").write_text("{", "utf-8")
    result = run_build(str(tmp_path), "--db", str(tmp_path / "out.db"), "--ner", "none")
    assert result.returncode != 0
    assert "broken.json" in result.stdout
    missing = run_build(str(tmp_path / "nope"), "--db", str(tmp_path / "out.db"))
    assert missing.returncode != 0 and "nope" in missing.stderr


def test_default_input_is_seeds_and_default_db_is_archive_db(tmp_path):
    result = run_build(cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "archive.db").exists()
    assert "1 articles in the archive" in result.stdout
