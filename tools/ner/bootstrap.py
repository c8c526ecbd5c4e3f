"""Paired bootstrap of two taggers in the shipped combination, on every dev set.

    python tools/ner/bootstrap.py --a arshif/entities/data/ner_neural.npz --b /tmp/arshif-ner/M.npz \
        [--crf-a A.crfsuite] [--crf-b B.crfsuite] [--weight 0.3] [--resamples 1000] [--json OUT]

Each side is the neural model(s) averaged with the CRF's marginals at ``--weight`` (arithmetic mean, the shipped
``EnsembleTagger``), decoded under BIO, then document-level consistency over pseudo-documents of 10 consecutive
sentences: the row ``eval_levers.py MODEL --quick --weights 0.3 --geometric`` prints as ``+crf w=0.3 +doc``.
The pseudo-documents are resampled with replacement (the same draws for both sides) and the 95% interval of
F1(b) - F1(a) (entity micro F1) is printed per dev set, with both point figures and per-type F1s.
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from arshif.entities import neural  # noqa: E402
from arshif.entities.crf import CrfExtractor  # noqa: E402
from arshif.entities.evaluate import chunks, score  # noqa: E402
from eval_levers import with_documents  # noqa: E402
from train_neural import dev_sets  # noqa: E402

DOC = 10


def doc_counts(gold: list, pred: list, size: int = DOC) -> np.ndarray:
    """(documents, 3) true positives, predicted and gold entity counts per pseudo-document."""
    rows = []
    for start in range(0, len(gold), size):
        tp = npred = ngold = 0
        for g_tags, p_tags in zip(gold[start:start + size], pred[start:start + size]):
            g, p = chunks(g_tags), chunks(p_tags)
            tp += len(g & p)
            npred += len(p)
            ngold += len(g)
        rows.append((tp, npred, ngold))
    return np.array(rows, dtype=np.float64)


def f1(c: np.ndarray) -> np.ndarray:
    """Micro F1 (0-100) from summed counts (..., 3)."""
    tp, npred, ngold = c[..., 0], c[..., 1], c[..., 2]
    return np.where(npred + ngold > 0, 200.0 * tp / np.maximum(npred + ngold, 1), 0.0)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--a", nargs="+", type=Path, default=[neural.DEFAULT_MODEL], help="baseline neural model(s)")
    parser.add_argument("--b", nargs="+", type=Path, required=True, help="candidate neural model(s)")
    parser.add_argument("--crf-a", type=Path, default=None)
    parser.add_argument("--crf-b", type=Path, default=None)
    parser.add_argument("--vectors", type=Path, default=neural.DEFAULT_VECTORS)
    parser.add_argument("--weight", type=float, default=neural.CRF_WEIGHT)
    parser.add_argument("--resamples", type=int, default=1000)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--json", type=Path)
    args = parser.parse_args(argv)
    sets = dev_sets()
    sides = {}
    for side, models, crf_path in (("a", args.a, args.crf_a), ("b", args.b, args.crf_b)):
        crf = CrfExtractor(model_path=crf_path).load()
        ens = neural.EnsembleTagger([neural.NeuralTagger(m, args.vectors) for m in models], crf,
                                    crf_weight=args.weight)
        sides[side] = with_documents(ens.tag_sentences, crf)
    rng = np.random.default_rng(args.seed)
    results = {}
    print(f"a = {' '.join(map(str, args.a))} (CRF {args.crf_a or 'shipped'}); "
          f"b = {' '.join(map(str, args.b))} (CRF {args.crf_b or 'shipped'}); CRF weight {args.weight}, +doc")
    for name, sentences in sets.items():
        gold = [s[1] for s in sentences]
        words = [s[0] for s in sentences]
        pred = {side: tag(words) for side, tag in sides.items()}
        counts = {side: doc_counts(gold, p) for side, p in pred.items()}
        n = len(counts["a"])
        draws = rng.integers(0, n, size=(args.resamples, n))
        delta = f1(counts["b"][draws].sum(axis=1)) - f1(counts["a"][draws].sum(axis=1))
        lo, hi = np.percentile(delta, [2.5, 97.5])
        per_type = {side: {t: v["f1"] for t, v in score(gold, p)["per_type"].items()} for side, p in pred.items()}
        fa, fb = float(f1(counts["a"].sum(axis=0))), float(f1(counts["b"].sum(axis=0)))
        results[name] = {"a": round(fa, 2), "b": round(fb, 2), "delta": round(fb - fa, 2),
                         "interval": [round(float(lo), 2), round(float(hi), 2)], "per_type": per_type}
        types = " ".join(f"{t} {per_type['a'].get(t, 0):.1f}->{per_type['b'].get(t, 0):.1f}"
                         for t in ("PER", "LOC", "ORG", "MISC"))
        print(f"{name:<15} a {fa:5.1f}  b {fb:5.1f}  delta {fb - fa:+5.1f}  95% [{lo:+.1f}, {hi:+.1f}]  "
              f"({n} docs; {types})", flush=True)
    if args.json:
        args.json.write_text(json.dumps(results, ensure_ascii=False, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
