"""Per-article processing: a failing tagger never loses the article."""

from __future__ import annotations

import json
import sqlite3

from arshif import pipeline
from arshif.build import build


def test_article_is_kept_when_entity_extraction_fails(tmp_path, monkeypatch):
    class Broken:
        name = "broken"

        def extract(self, text):
            raise ValueError("tagger bug")

    monkeypatch.setattr(pipeline, "extractors", lambda ner: (Broken(),))
    (tmp_path / "a.txt").write_text("زار الوزير حلب.", "utf-8")
    summary = build([tmp_path / "a.txt"], tmp_path / "a.db", ner="none")
    assert summary.articles == 1 and summary.mentions == 0
    extra = sqlite3.connect(tmp_path / "a.db").execute("SELECT extra FROM articles").fetchone()[0]
    assert json.loads(extra)["entity_error"] == "ValueError: tagger bug"
