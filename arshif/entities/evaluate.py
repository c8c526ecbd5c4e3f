"""Entity-level scoring of the NER tagger on CoNLL files (``arshif eval-ner FILE.conll [--json]``).

Scores follow conlleval: a predicted entity counts as correct only when its span and type both match a gold
entity exactly; chunks are read from BIO tags (an ``I-X`` that does not continue an ``X`` chunk starts one).
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path
from typing import Iterable, Sequence

from arshif.entities.chain import chunks
from arshif.entities.extractor import ENTITY_TYPES


def read_conll(path: str | Path) -> list[tuple[list[str], list[str]]]:
    """Sentences of a ``token<TAB>tag`` (or ``token tag``) file, blank line between sentences."""
    sentences: list[tuple[list[str], list[str]]] = []
    words: list[str] = []
    tags: list[str] = []
    with open(path, encoding="utf-8-sig") as handle:
        for line in handle:
            line = line.rstrip("\r\n")
            if not line.strip():
                if words:
                    sentences.append((words, tags))
                    words, tags = [], []
                continue
            if "\t" in line:
                word, _, tag = line.rpartition("\t")
            else:
                word, _, tag = line.rpartition(" ")
            if not word:
                word, tag = tag, "O"
            words.append(word)
            tags.append(tag.strip() or "O")
    if words:
        sentences.append((words, tags))
    return sentences


def score(gold: Iterable[Sequence[str]], predicted: Iterable[Sequence[str]]) -> dict:
    """Micro and per-type precision/recall/F1 (0-100) over sentences of gold and predicted tags."""
    counts: dict[str, list[int]] = {}  # type -> [true positives, predicted, gold]
    for gold_tags, pred_tags in zip(gold, predicted):
        g = chunks(gold_tags)
        p = chunks(pred_tags)
        for chunk in g:
            counts.setdefault(chunk[2], [0, 0, 0])[2] += 1
        for chunk in p:
            entry = counts.setdefault(chunk[2], [0, 0, 0])
            entry[1] += 1
            if chunk in g:
                entry[0] += 1

    def prf(tp: int, npred: int, ngold: int) -> dict:
        precision = 100.0 * tp / npred if npred else 0.0
        recall = 100.0 * tp / ngold if ngold else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        return {"precision": round(precision, 2), "recall": round(recall, 2), "f1": round(f1, 2)}

    types = [t for t in ENTITY_TYPES if t in counts] + sorted(t for t in counts if t not in ENTITY_TYPES)
    per_type = {t: {**prf(*counts[t]), "support": counts[t][2]} for t in types}
    total = [sum(c[i] for c in counts.values()) for i in range(3)]
    micro = prf(*total)
    return {"micro": micro, "per_type": per_type}


def eval_ner(path: str | Path, as_json: bool = False, tagger=None) -> dict:
    """Tag the tokens of a CoNLL file with the default tagger and score it against the file's tags."""
    sentences = read_conll(path)
    if tagger is None:
        tagger = make_tagger("default")
    words = [s[0] for s in sentences]
    started, cpu_started = time.perf_counter(), time.process_time()
    predicted = tagger(words)
    elapsed = time.process_time() - cpu_started
    wall = time.perf_counter() - started
    result = score([s[1] for s in sentences], predicted)
    n_tokens = sum(len(w) for w in words)
    result["tokens"] = n_tokens
    # tokens per second of CPU time of this (single-threaded) process: what one core does, whatever else
    # runs on the machine; the wall-clock figure is printed in the text report.
    result["tokens_per_second"] = round(n_tokens / elapsed, 1) if elapsed > 0 else 0.0
    if as_json:
        print(json.dumps(result, ensure_ascii=False))
    else:
        print(format_report(result, str(path)))
        print(f"wall clock: {wall:.2f} s ({n_tokens / wall if wall > 0 else 0:.0f} tokens/s)")
    return result


TAGGERS = ("default", "ensemble", "crf", "neural")


def make_tagger(name: str = "default", model: str | Path | None = None):
    """``tag_sentences`` of a tagger: ``crf`` (alone; ``model`` = its file), ``neural`` (the neural models
    alone), ``ensemble`` (neural models and CRF averaged), ``default`` (what ``--ner default`` uses: the
    ensemble, or the CRF when no neural model is shipped)."""
    from arshif.entities.crf import CrfExtractor

    if name == "default":
        from arshif.entities.neural import DEFAULT_MODEL as NEURAL_MODEL

        name = "ensemble" if NEURAL_MODEL.exists() and model is None else "crf"
    if name == "crf":
        return CrfExtractor(model_path=model).load().tag_sentences
    from arshif.entities.neural import default_tagger

    if name == "neural":
        return default_tagger(with_crf=False).tag_sentences
    if name == "ensemble":
        ensemble = default_tagger(with_crf=False)
        ensemble.crf = CrfExtractor(model_path=model).load()
        from arshif.entities.neural import CRF_WEIGHT

        ensemble.crf_weight = CRF_WEIGHT
        return ensemble.prepare().tag_sentences
    raise ValueError(f"unknown tagger {name!r} (choose from {', '.join(TAGGERS)})")


def format_report(result: dict, title: str = "") -> str:
    """A conlleval-like table of a ``score`` result."""
    lines = []
    if title:
        lines.append(title)
    lines.append(f"{'type':<6} {'prec':>7} {'rec':>7} {'F1':>7} {'support':>8}")
    for kind, row in result["per_type"].items():
        lines.append(f"{kind:<6} {row['precision']:7.2f} {row['recall']:7.2f} {row['f1']:7.2f} {row['support']:8d}")
    m = result["micro"]
    support = sum(row["support"] for row in result["per_type"].values())
    lines.append(f"{'micro':<6} {m['precision']:7.2f} {m['recall']:7.2f} {m['f1']:7.2f} {support:8d}")
    if "tokens" in result:
        lines.append(f"tokens: {result['tokens']}  tokens/s (CPU time, one core): {result['tokens_per_second']:.0f}")
    return "\n".join(lines)


def main_eval(argv: list[str] | None = None) -> int:
    """``arshif eval-ner FILE.conll [--json]``."""
    parser = argparse.ArgumentParser(prog="arshif eval-ner", description="Score the NER tagger on a CoNLL file.")
    parser.add_argument("file", help="CoNLL file: token<TAB>tag per line, BIO tags over PER/LOC/ORG/MISC")
    parser.add_argument("--json", action="store_true", help="print the scores as one JSON object")
    parser.add_argument("--model", help="CRF model file (default: the packaged arshif/entities/data/ner.crfsuite)")
    parser.add_argument("--tagger", choices=TAGGERS, default="default",
                        help="which tagger: the default one (ensemble of the neural models and the CRF), or "
                        "the CRF or the neural models alone")
    args = parser.parse_args(argv)
    tagger = make_tagger(args.tagger, args.model)
    eval_ner(args.file, as_json=args.json, tagger=tagger)
    return 0


if __name__ == "__main__":
    sys.exit(main_eval())
