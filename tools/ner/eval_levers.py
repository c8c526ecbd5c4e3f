"""Score exported neural models, alone and combined, on every dev set (the inference-time levers).

    python tools/ner/eval_levers.py MODEL.npz [MODEL.npz ...] [--vectors ner_vectors.npz] [--crf M.crfsuite] [--json OUT]

Rows: the CRF alone; each model alone (BIO-constrained Viterbi over its probabilities, and greedy argmax with
stray I- tags read as B-); the models averaged (seed ensemble); the models averaged with the CRF's marginals at
several CRF weights; and the last with document-level consistency (``CrfExtractor._make_consistent``) over
pseudo-documents of 10 consecutive sentences.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from arshif.entities import chain, neural  # noqa: E402
from arshif.entities.crf import CrfExtractor  # noqa: E402
from train_neural import dev_sets, evaluate_all, table  # noqa: E402


def greedy(tagger: neural.NeuralTagger):
    def tag(sentences):
        return [[chain.LABELS[i] for i in p.argmax(axis=1)] for p in tagger.probabilities(sentences)]
    return tag


def with_documents(tag, crf: CrfExtractor, size: int = 10):
    def run(sentences):
        out = []
        for start in range(0, len(sentences), size):
            doc = sentences[start:start + size]
            tags = tag(doc)
            crf._make_consistent(doc, tags)
            out.extend(tags)
        return out
    return run


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("models", nargs="+", type=Path)
    parser.add_argument("--vectors", type=Path, default=neural.DEFAULT_VECTORS)
    parser.add_argument("--weights", type=float, nargs="*", default=[0.3, 0.4, 0.5, 0.6])
    parser.add_argument("--quick", action="store_true", help="only the combinations, not each model alone")
    parser.add_argument("--geometric", type=float, nargs="*", default=[0.4, 0.5, 0.6],
                        help="CRF weights of the geometric-mean rows (none: leave them out)")
    parser.add_argument("--crf", type=Path, default=None,
                        help="CRF model file (default: the shipped arshif/entities/data/ner.crfsuite)")
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    sets = dev_sets()
    crf = CrfExtractor(model_path=args.crf).load()
    taggers = [neural.NeuralTagger(m, args.vectors) for m in args.models]
    rows = {"crf": evaluate_all(crf.tag_sentences, sets)}
    for m, t in zip(args.models, taggers if not args.quick else []):
        rows[f"{m.stem} viterbi"] = evaluate_all(t.tag_sentences, sets)
        rows[f"{m.stem} greedy"] = evaluate_all(greedy(t), sets)
    if len(taggers) > 1:
        rows["seed ensemble"] = evaluate_all(neural.EnsembleTagger(taggers).tag_sentences, sets)
    best = None
    for w in args.weights:
        ens = neural.EnsembleTagger(taggers, crf, crf_weight=w)
        rows[f"+crf w={w}"] = evaluate_all(ens.tag_sentences, sets)
        score = np.mean([r["micro"] for r in rows[f"+crf w={w}"].values()])
        if best is None or score > best[0]:
            best = (score, w)
    for w in args.geometric:
        geo = neural.EnsembleTagger(taggers, crf, crf_weight=w, geometric=True)
        rows[f"+crf w={w} geometric"] = evaluate_all(geo.tag_sentences, sets)
    ens = neural.EnsembleTagger(taggers, crf, crf_weight=best[1])
    rows[f"+crf w={best[1]} +doc"] = evaluate_all(with_documents(ens.tag_sentences, crf), sets)
    rows["crf +doc"] = evaluate_all(with_documents(crf.tag_sentences, crf), sets)
    print(table(rows))
    if args.json:
        args.json.write_text(json.dumps(rows, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
