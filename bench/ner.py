"""Tokens per second of the NER taggers (the CRF, the neural models alone, and the default ensemble of both), one
process, one core.

Reproduce:  .venv/bin/python bench/ner.py              (ANERcorp dev: last 10% of anercorp-camellab/train.conll)
            .venv/bin/python bench/ner.py --news 300   (also extract() on 300 saudinewsnet articles, original text)

Timings include feature extraction (the neural tagger's per-type input projections are cached like the CRF's
features, so "cold" clears both caches).  "cold" starts from an empty per-word-type feature cache, "warm" runs the
same text again.  Throughput is given per second of CPU time of this process (what one core does, whatever
else runs on the machine) and per second of wall-clock time (which drops when other processes share the core).
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from arshif.entities.crf import CrfExtractor  # noqa: E402
from arshif.entities.neural import DEFAULT_MODEL as NEURAL_MODEL  # noqa: E402
from arshif.entities.train import anercorp_split, news_texts  # noqa: E402
from arshif.text.tokenize import words  # noqa: E402


def timed(fn) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    fn()
    return time.process_time() - cpu, time.perf_counter() - wall


def report(label: str, n: int, cold: tuple[float, float], warm: tuple[float, float]) -> None:
    print(f"{label}: {n} tokens | cold: {n / cold[0]:,.0f} tokens/s CPU, {n / cold[1]:,.0f} wall"
          f" | warm: {n / warm[0]:,.0f} tokens/s CPU, {n / warm[1]:,.0f} wall")


def compare_builds(source: Path) -> None:
    """The whole build of the same articles without NER, with places and demonyms only, and with the CRF too."""
    import tempfile

    from arshif.build import build

    results = {}
    with tempfile.TemporaryDirectory() as folder:
        for ner in ("none", "gazetteer", "default"):
            summary = None

            def run() -> None:
                nonlocal summary
                summary = build([source], Path(folder) / f"{ner}.db", ner=ner, full=True)

            results[ner] = (timed(run), summary)
    base_cpu = results["none"][0][0]
    for ner, ((cpu, wall), summary) in results.items():
        print(f"build --ner {ner:<9}: {summary.articles} articles, {summary.entities} entities, {summary.mentions}"
              f" mentions | {cpu:.1f} s CPU ({summary.articles / cpu:,.0f} articles/s), {wall:.1f} s wall"
              f" | {cpu / base_cpu:.1f}x the CPU of --ner none")


def main(argv=None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--news", type=int, default=0, help="also time extract() on this many news articles")
    parser.add_argument("--build", type=Path, default=None, metavar="INPUT",
                        help="also time the whole build of INPUT with --ner none, gazetteer and default")
    args = parser.parse_args(argv)
    t0 = time.perf_counter()
    extractor = CrfExtractor().load()
    print(f"model load: {time.perf_counter() - t0:.2f} s")
    _, dev = anercorp_split()
    sentences = [w for w, _ in dev]
    n = sum(map(len, sentences))
    extractor.features._cache.clear()
    cold = timed(lambda: extractor.tag_sentences(sentences))
    warm = timed(lambda: extractor.tag_sentences(sentences))
    report("CRF tag_sentences, ANERcorp dev", n, cold, warm)
    ensemble = None
    if NEURAL_MODEL.exists():
        from arshif.entities.neural import EnsembleExtractor, default_tagger

        t0 = time.perf_counter()
        neural = default_tagger(with_crf=False)
        ensemble = EnsembleExtractor().load()
        print(f"neural model load: {time.perf_counter() - t0:.2f} s ({len(neural.neural)} model(s))")

        def clear() -> None:
            extractor.features._cache.clear()
            ensemble.features._cache.clear()
            ensemble._ensemble._scorer._cache.clear()
            for model in neural.neural:
                model._type_cache.clear()

        clear()
        cold = timed(lambda: neural.tag_sentences(sentences))
        warm = timed(lambda: neural.tag_sentences(sentences))
        report("neural tag_sentences, ANERcorp dev", n, cold, warm)
        clear()
        cold = timed(lambda: ensemble.tag_sentences(sentences))
        warm = timed(lambda: ensemble.tag_sentences(sentences))
        report("default (neural + CRF ensemble) tag_sentences, ANERcorp dev", n, cold, warm)
    else:
        print(f"no neural model at {NEURAL_MODEL}: the default tagger is the CRF alone")
    if args.news:
        texts = []
        for text in news_texts():
            if len(text) > 200:
                texts.append(text)
            if len(texts) >= args.news:
                break
        n = sum(len(words(t)) for t in texts)
        for label, ex in (("CRF", extractor), ("default ensemble", ensemble)):
            if ex is None:
                continue
            if ex is ensemble:
                clear()
            ex.features._cache.clear()
            cold = timed(lambda: [ex.extract(t) for t in texts])
            warm = timed(lambda: [ex.extract(t) for t in texts])
            report(f"{label} extract() on {len(texts)} saudinewsnet articles (word tokens)", n, cold, warm)
        if ensemble is not None:
            clear()

            def many() -> None:
                for i in range(0, len(texts), 50):
                    ensemble.extract_many(texts[i:i + 50])

            cold = timed(many)
            warm = timed(many)
            report(f"default ensemble extract_many() on {len(texts)} articles, 50 at a time", n, cold, warm)
    if args.build:
        compare_builds(args.build)
    print("command: .venv/bin/python bench/ner.py" + (f" --news {args.news}" if args.news else "")
          + (f" --build {args.build}" if args.build else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
