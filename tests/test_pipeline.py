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


def test_each_ner_choice_names_its_extractors():
    names = {choice: [extractor.name for extractor in pipeline.extractors(choice)]
             for choice in ("default", "crf", "gazetteer", "none")}
    assert names["none"] == []
    assert names["gazetteer"] == ["works", "orgs", "gazetteer", "demonyms"]
    assert names["crf"] == names["gazetteer"] + ["crf"]  # the CRF alone, as base85's default was
    assert names["default"] == names["gazetteer"] + ["ensemble"]


def test_the_crf_alone_tags_names_that_no_list_holds():
    text = "قال المتحدث باسم الحكومة عبد الرحيم الزعبلاوي إن الاجتماع سيعقد غدا."
    def people(ner: str) -> list[str]:
        return [m.surface for m in pipeline.find_mentions(text, ner) if m.type == "PER"]

    assert not any("الزعبلاوي" in name for name in people("gazetteer"))
    assert any("الزعبلاوي" in name for name in people("crf")), people("crf")
