"""`--ner camel`: stops at once with the command to run when CAMeL Tools or its data is missing; runs when present."""

from __future__ import annotations

import subprocess
import sys
import time
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]


def camel_ready() -> bool:
    try:
        from arshif.entities.camel import load_recognizer

        load_recognizer()
    except Exception:
        return False
    return True


@pytest.mark.skipif(camel_ready(), reason="CAMeL Tools and its NER data are installed: the error path cannot happen")
def test_build_with_camel_stops_at_once_naming_the_command(tmp_path):
    started = time.monotonic()
    result = subprocess.run([sys.executable, str(ROOT / "build"), str(ROOT / "seeds"), "--db", str(tmp_path / "a.db"),
                             "--ner", "camel"], capture_output=True, text=True, timeout=120)
    assert result.returncode != 0
    assert "camel_data -i ner-arabert" in result.stderr
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "a.db").exists()
    assert time.monotonic() - started < 60


def test_camel_extractor_maps_labels_and_offsets():
    from arshif.entities.camel import CamelExtractor

    class Recognizer:  # the interface of camel_tools.ner.NERecognizer used here
        def predict_sentence(self, words):
            labels = {"لافروف": "B-PERS", "سيرغي": "B-PERS", "وموسكو": "B-LOC", "ومجلس": "B-ORG", "الأمن": "I-ORG"}
            out, previous = [], None
            for word in words:
                label = labels.get(word, "O")
                if word == "لافروف" and previous == "سيرغي":
                    label = "I-PERS"
                out.append(label)
                previous = word
            return out

    text = "التقى سيرغي لافروف وموسكو ومجلس الأمن"
    mentions = CamelExtractor(Recognizer()).extract(text)
    assert [(m.surface, m.type) for m in mentions] == [("سيرغي لافروف", "PER"), ("موسكو", "LOC"), ("مجلس الأمن", "ORG")]
    for mention in mentions:
        assert text[mention.start:mention.end] == mention.surface


@pytest.mark.skipif(not camel_ready(), reason="CAMeL Tools or its NER data (camel_data -i ner-arabert) not installed")
def test_real_camel_tagger_on_the_sample(tmp_path):
    from arshif.entities.camel import CamelExtractor

    text = (ROOT / "seeds" / "000_2399a9a2b0d5824e.txt").read_text("utf-8")
    names = {m.surface for m in CamelExtractor().extract(text)}
    assert "موسكو" in names
