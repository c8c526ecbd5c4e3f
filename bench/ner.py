"""Tokens per second of the default NER tagger (CrfExtractor), one process, one core.

Reproduce:  .venv/bin/python bench/ner.py            (ANERcorp dev: last 10% of anercorp-camellab/train.conll)
            .venv/bin/python bench/ner.py --news N   (also extract() on N saudinewsnet articles, original text)

Timing includes feature extraction from a cold per-type feature cache (the cache is cleared before each run).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from arshif.entities.crf import CrfExtractor  # noqa: E402
from arshif.entities.train import anercorp_split, news_texts  # noqa: E402
from arshif.text.tokenize import words  # noqa: E402


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--news", type=int, default=0, help="also time extract() on this many news articles")
    parser.add_argument("--repeat", type=int, default=3)
    args = parser.parse_args(argv)
    extractor = CrfExtractor().load()
    _, dev = anercorp_split()
    sentences = [w for w, _ in dev]
    n = sum(map(len, sentences))
    best = 0.0
    for _ in range(args.repeat):
        extractor.features._cache.clear()
        t0 = time.perf_counter()
        extractor.tag_sentences(sentences)
        best = max(best, n / (time.perf_counter() - t0))
    print(f"tag_sentences on ANERcorp dev: {n} tokens, {best:,.0f} tokens/s (best of {args.repeat}, cold cache)")
    if args.news:
        texts = []
        for text in news_texts():
            if len(text) > 200:
                texts.append(text)
            if len(texts) >= args.news:
                break
        n = sum(len(words(t)) for t in texts)
        extractor.features._cache.clear()
        t0 = time.perf_counter()
        mentions = sum(len(extractor.extract(t)) for t in texts)
        dt = time.perf_counter() - t0
        print(f"extract() on {len(texts)} news articles: {n} word tokens, {mentions} mentions, {n / dt:,.0f} tokens/s")
    print("command: .venv/bin/python bench/ner.py" + (f" --news {args.news}" if args.news else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
