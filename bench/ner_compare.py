"""extract() CPU throughput of several neural models in the shipped ensemble (each with the CRF at weight 0.3),
measured in one process, interleaved: round after round, each model runs cold (every cache cleared) over the
same news articles, so that a busy machine slows them alike.  BLAS on one thread, as in the build.

    .venv/bin/python bench/ner_compare.py --news 1000 --rounds 3 A.npz B.npz [C.npz ...]
"""

from __future__ import annotations

import argparse
import statistics
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
sys.path.insert(0, str(Path(__file__).resolve().parent))

from ner import clear_word_caches, news_sample  # noqa: E402

from arshif.entities.neural import EnsembleExtractor  # noqa: E402
from arshif.pipeline import one_blas_thread  # noqa: E402
from arshif.text.tokenize import words  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("models", type=Path, nargs="+")
    parser.add_argument("--news", type=int, default=1000)
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args(argv)
    one_blas_thread()
    texts = news_sample(args.news)
    n = sum(len(words(t)) for t in texts)
    extractors = [EnsembleExtractor(models=[m]).load() for m in args.models]
    figures: dict[int, list[float]] = {i: [] for i in range(len(extractors))}
    for r in range(args.rounds):
        for i, ex in enumerate(extractors):
            clear_word_caches()
            ex.features._cache.clear()
            ex._ensemble._scorer.clear_cache()
            for model in ex._ensemble.neural:
                model.clear_cache()
            cpu = time.process_time()
            for t in texts:
                ex.extract(t)
            cpu = time.process_time() - cpu
            figures[i].append(n / cpu)
            print(f"round {r + 1} {args.models[i]}: {n / cpu:,.0f} tokens/s CPU (cold, {len(texts)} articles, "
                  f"{n} tokens)", flush=True)
    for i, m in enumerate(args.models):
        print(f"{m}: median {statistics.median(figures[i]):,.0f} tokens/s CPU, "
              f"rounds {', '.join(f'{x:,.0f}' for x in figures[i])}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
