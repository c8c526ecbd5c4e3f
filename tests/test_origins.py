"""Origins are stored relative to the input folder given to the build: no table of a published archive holds the
server's absolute paths, and the names (so the ids of articles without a url) do not depend on where the build
ran from."""

from __future__ import annotations

import json
import os
import sqlite3

from arshif.build import build


def _paths(db) -> list[str]:
    conn = sqlite3.connect(db)
    found = [row[0] for row in conn.execute("select origin from articles")]
    found += [row[0] for row in conn.execute("select file from article_origins")]
    found += [row[0] for row in conn.execute("select input from article_origins")]
    found += [row[0] for row in conn.execute("select path from build_files")]
    found += [row[0] for row in conn.execute("select path from skipped")]
    return found


def test_no_absolute_path_is_stored(tmp_path):
    folder = tmp_path / "news"
    (folder / "day").mkdir(parents=True)
    (folder / "day" / "a.txt").write_text("خبر عن حلب\nوصل الوفد إلى حلب.", "utf-8")
    (folder / "b.json").write_text(json.dumps([{"title": "تونس", "content": "زار الوفد تونس."}], ensure_ascii=False),
                                   "utf-8")
    (folder / "c.bin").write_bytes(b"\x00\x01")
    db = tmp_path / "archive.db"
    build([folder.resolve()], db, ner="none")
    paths = _paths(db)
    assert paths and not any(path.startswith("/") or str(tmp_path) in path for path in paths), paths
    assert "news/day/a.txt" in paths and "news/b.json" in paths and "news/c.bin" in paths


def test_names_do_not_depend_on_where_the_build_runs(tmp_path):
    folder = tmp_path / "news"
    folder.mkdir()
    (folder / "a.txt").write_text("خبر عن حلب\nوصل الوفد إلى حلب.", "utf-8")
    build([folder.resolve()], tmp_path / "one.db", ner="none")
    here = os.getcwd()
    try:
        os.chdir(tmp_path)
        build(["news"], tmp_path / "two.db", ner="none")
    finally:
        os.chdir(here)
    ids = [sqlite3.connect(tmp_path / name).execute("select id, origin from articles").fetchall()
           for name in ("one.db", "two.db")]
    assert ids[0] == ids[1] and ids[0][0][1] == "news/a.txt"
