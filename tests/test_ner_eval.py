"""Entity-level NER scoring (conlleval counting) on a small hand-made CoNLL fixture."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from arshif.entities.chain import chunks
from arshif.entities.evaluate import eval_ner, main_eval, read_conll, score

FIXTURE = Path(__file__).parent / "fixtures" / "ner_tiny.conll"

# Hand-made predictions for the three fixture sentences:
# 1: both entities right; 2: person span too short, ORG right, LOC typed ORG; 3: ORG starting with I- (counts).
PREDICTED = [
    ["O", "O", "B-PER", "I-PER", "O", "B-LOC", "O"],
    ["O", "O", "O", "O", "B-PER", "B-ORG", "I-ORG", "O", "B-ORG"],
    ["O", "I-ORG", "I-ORG", "O"],
]


def test_read_conll():
    sentences = read_conll(FIXTURE)
    assert [len(words) for words, _ in sentences] == [7, 9, 4]
    assert sentences[0][0][2] == "فلاديمير" and sentences[0][1][2] == "B-PER"


def test_chunks_bio():
    assert chunks(["B-PER", "I-PER", "O", "I-LOC", "I-LOC", "B-LOC", "I-ORG"]) == {
        (0, 2, "PER"), (3, 5, "LOC"), (5, 6, "LOC"), (6, 7, "ORG")}


def test_score_by_hand():
    gold = [tags for _, tags in read_conll(FIXTURE)]
    result = score(gold, PREDICTED)
    # gold: PER 2, LOC 2, ORG 2; predicted: PER 2 (1 right), LOC 1 (1 right), ORG 3 (2 right)
    assert result["micro"] == {"precision": 66.67, "recall": 66.67, "f1": 66.67}
    assert result["per_type"]["PER"] == {"precision": 50.0, "recall": 50.0, "f1": 50.0, "support": 2}
    assert result["per_type"]["LOC"] == {"precision": 100.0, "recall": 50.0, "f1": 66.67, "support": 2}
    assert result["per_type"]["ORG"] == {"precision": 66.67, "recall": 100.0, "f1": 80.0, "support": 2}
    perfect = score(gold, gold)
    assert perfect["micro"]["f1"] == 100.0


def test_eval_json_shape(capsys):
    result = eval_ner(FIXTURE, as_json=True, tagger=lambda sentences: PREDICTED)
    printed = json.loads(capsys.readouterr().out)
    assert printed == result
    assert set(printed) == {"micro", "per_type", "tokens", "tokens_per_second"}
    assert set(printed["micro"]) == {"precision", "recall", "f1"}
    assert printed["tokens"] == 20
    assert set(printed["per_type"]) == {"PER", "LOC", "ORG"}


def test_main_eval_json_with_packaged_model(capsys):
    from arshif.entities.crf import DEFAULT_MODEL

    if not DEFAULT_MODEL.exists():
        pytest.skip(f"no trained model at {DEFAULT_MODEL} (run `arshif train-ner`)")
    assert main_eval([str(FIXTURE), "--json"]) == 0
    printed = json.loads(capsys.readouterr().out)
    assert set(printed) == {"micro", "per_type", "tokens", "tokens_per_second"}
    assert 0 <= printed["micro"]["f1"] <= 100
    assert printed["tokens_per_second"] > 0
