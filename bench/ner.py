"""Tokens per second of the NER taggers (the CRF, the neural models alone, and the default ensemble of both), one
process, one core, NumPy's BLAS on one thread as in the build (``arshif.pipeline.one_blas_thread``).

Reproduce:  .venv/bin/python bench/ner.py              (ANERcorp dev: last 10% of anercorp-camellab/train.conll)
            .venv/bin/python bench/ner.py --news 1000  (also extract() on 1000 saudinewsnet articles, original text,
                                                        and where the ensemble's time goes)
            .venv/bin/python bench/ner.py --news 1000 --neural other.npz   (another neural model)

Timings include feature extraction (the neural tagger's per-type input projections are cached like the CRF's
features, so "cold" clears both caches).  "cold" starts from an empty per-word-type feature cache, "warm" runs the
same text again.  Throughput is given per second of CPU time of this process (what one core does, whatever
else runs on the machine) and per second of wall-clock time (which drops when other processes share the core).
Multi-threaded BLAS would make the CPU figures meaningless (idle BLAS threads spin), hence ``one_blas_thread``.

The breakdown (``--news``) runs the ensemble's ``extract()`` once more, cold, with the stages below wrapped in
CPU-time counters (exclusive time: a stage's figure leaves out the stages it calls); the wrapping adds a little
overhead, so the breakdown's total is slightly above the plain cold run.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from arshif.entities import chain as chain_module  # noqa: E402
from arshif.entities import charlm as charlm_module  # noqa: E402
from arshif.entities import features as features_module  # noqa: E402
from arshif.entities import crf as crf_module  # noqa: E402
from arshif.entities import neural as neural_module  # noqa: E402
from arshif.entities.crf import CrfExtractor  # noqa: E402
from arshif.entities.neural import DEFAULT_MODEL as NEURAL_MODEL  # noqa: E402
from arshif.entities.train import anercorp_split, news_texts  # noqa: E402
from arshif.pipeline import one_blas_thread  # noqa: E402
from arshif.text.tokenize import words  # noqa: E402


def clear_word_caches() -> None:
    """Forget the per-process caches of word keys and sentence gazetteer matches (for a cold run)."""
    features_module.token_key.cache_clear()
    features_module._MATCHES.clear()


def news_sample(count: int) -> list[str]:
    """The first ``count`` shared news texts longer than 200 characters."""
    texts = []
    for text in news_texts():
        if len(text) > 200:
            texts.append(text)
        if len(texts) >= count:
            break
    return texts


def timed(fn) -> tuple[float, float]:
    cpu, wall = time.process_time(), time.perf_counter()
    fn()
    return time.process_time() - cpu, time.perf_counter() - wall


def report(label: str, n: int, cold: tuple[float, float], warm: tuple[float, float]) -> None:
    print(f"{label}: {n} tokens | cold: {n / cold[0]:,.0f} tokens/s CPU, {n / cold[1]:,.0f} wall"
          f" | warm: {n / warm[0]:,.0f} tokens/s CPU, {n / warm[1]:,.0f} wall")


# (owner, attribute, label) of the stages the breakdown times; owner is a class or a module (a function imported
# into two modules is wrapped in both, under one label)
STAGES = (
    (crf_module, "split_sentences", "tokenization and sentence splitting"),
    (neural_module.NeuralTagger, "_type_features", "neural word-type features (normalization, clitics, n-gram hashing)"),
    (neural_module.NeuralTagger, "_types", "neural input projection of new types (vector + n-gram lookup, matmul)"),
    (neural_module.TokenFeaturizer, "gazetteer_rows", "neural gazetteer features"),
    (neural_module.NeuralTagger, "_lstm", "BiLSTM recurrence"),
    (charlm_module, "lm_pass", "character LM recurrence (models trained with --charlm)"),
    (charlm_module.CharLM, "embed", "character LM strings, character ids and states of the tokens"),
    (charlm_module.CharLM, "embed_many", "character LM batching by string length"),
    (neural_module.NeuralTagger, "_charlm_rows", "character LM features' input projection"),
    (neural_module, "crf_marginals", "forward-backward (neural CRF head and CRF)"),
    (chain_module, "crf_marginals", "forward-backward (neural CRF head and CRF)"),
    (neural_module.NeuralTagger, "_batch_probabilities", "neural batch assembly and output layer"),
    (neural_module.NeuralTagger, "probabilities", "neural batching by length"),
    (chain_module.CrfScorer, "_types", "CRF word features and state scores of new types"),
    (chain_module.CrfScorer, "marginals", "CRF scoring of sentences (gather, bigrams, gazetteer)"),
    (chain_module.CrfScorer, "tags", "CRF scoring of sentences (gather, bigrams, gazetteer)"),
    (neural_module.EnsembleTagger, "probabilities", "ensemble averaging"),
    (neural_module.EnsembleTagger, "_mixed", "ensemble averaging"),
    (neural_module, "viterbi_many", "Viterbi decoding"),
    (chain_module, "viterbi_many", "Viterbi decoding"),
    (crf_module.CrfExtractor, "_make_consistent", "document consistency"),
    (crf_module.CrfExtractor, "extract", "mentions from tags (spans, clitics, roles)"),
)


def breakdown(run) -> list[tuple[str, float]]:
    """CPU seconds of each stage of ``STAGES`` (exclusive) while ``run()`` runs, and the total."""
    clock = time.process_time
    spent: dict[str, float] = {}
    stack: list[list] = []  # [label, start, time spent in callees]
    saved = []

    def wrap(fn, label):
        def timed_call(*args, **kwargs):
            frame = [label, clock(), 0.0]
            stack.append(frame)
            try:
                return fn(*args, **kwargs)
            finally:
                stack.pop()
                total = clock() - frame[1]
                spent[label] = spent.get(label, 0.0) + total - frame[2]
                if stack:
                    stack[-1][2] += total
        return timed_call

    for owner, attr, label in STAGES:
        fn = owner.__dict__[attr]
        saved.append((owner, attr, fn))
        setattr(owner, attr, wrap(fn, label))
    try:
        start = clock()
        run()
        total = clock() - start
    finally:
        for owner, attr, fn in saved:
            setattr(owner, attr, fn)
    rows = [(label, spent.get(label, 0.0)) for label in dict.fromkeys(label for _, _, label in STAGES)]
    rows.append(("other (outside the stages above)", total - sum(spent.values())))
    rows.append(("total", total))
    return rows


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
    parser.add_argument("--neural", type=Path, nargs="*", default=None, metavar="MODEL",
                        help="neural model(s) of the ensemble (default: the shipped data/ner_neural*.npz)")
    args = parser.parse_args(argv)
    one_blas_thread()  # as the build does (arshif.pipeline.process_batch)
    t0 = time.perf_counter()
    extractor = CrfExtractor().load()
    print(f"model load: {time.perf_counter() - t0:.2f} s")
    _, dev = anercorp_split()
    sentences = [w for w, _ in dev]
    n = sum(map(len, sentences))
    extractor.features._cache.clear()
    clear_word_caches()
    cold = timed(lambda: extractor.tag_sentences(sentences))
    warm = timed(lambda: extractor.tag_sentences(sentences))
    report("CRF tag_sentences, ANERcorp dev", n, cold, warm)
    ensemble = None
    if NEURAL_MODEL.exists() or args.neural:
        from arshif.entities.neural import EnsembleExtractor, default_tagger

        t0 = time.perf_counter()
        neural = default_tagger(with_crf=False, models=args.neural)
        ensemble = EnsembleExtractor(models=args.neural).load()
        print(f"neural model load: {time.perf_counter() - t0:.2f} s ({len(neural.neural)} model(s))")

        def clear() -> None:
            clear_word_caches()
            extractor.features._cache.clear()
            ensemble.features._cache.clear()
            ensemble._ensemble._scorer.clear_cache()
            for model in neural.neural:
                model.clear_cache()

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
        texts = news_sample(args.news)
        n = sum(len(words(t)) for t in texts)
        for label, ex in (("CRF", extractor), ("default ensemble", ensemble)):
            if ex is None:
                continue
            if ex is ensemble:
                clear()
            ex.features._cache.clear()
            clear_word_caches()
            cold = timed(lambda: [ex.extract(t) for t in texts])
            warm = timed(lambda: [ex.extract(t) for t in texts])
            report(f"{label} extract() on {len(texts)} saudinewsnet articles (word tokens)", n, cold, warm)
        if ensemble is not None:
            clear()
            rows = breakdown(lambda: [ensemble.extract(t) for t in texts])
            total = rows[-1][1]
            print(f"where the ensemble's extract() time goes (cold, {len(texts)} articles, CPU seconds):")
            for label, seconds in rows:
                print(f"  {label:<72} {seconds:7.2f} s {100 * seconds / total:5.1f} %")
    if args.build:
        compare_builds(args.build)
    print("command: .venv/bin/python bench/ner.py" + (f" --news {args.news}" if args.news else "")
          + (f" --build {args.build}" if args.build else "")
          + (" --neural " + " ".join(map(str, args.neural)) if args.neural else ""))
    return 0


if __name__ == "__main__":
    sys.exit(main())
