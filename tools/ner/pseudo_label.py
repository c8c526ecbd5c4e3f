"""Pseudo-label unlabeled news with the shipped ensemble, for self-training (``train_neural.py --pseudo``).

    python tools/ner/pseudo_label.py --out /tmp/arshif-ner/pseudo.conll [--sentences 40000] [--seed 1] \
        [--permissive] [--models M.npz ...]

The teacher is what ``extract`` runs: ``EnsembleExtractor`` (the shipped neural model(s) plus the CRF's marginals
at weight 0.3, BIO-constrained Viterbi) over the sentences of ONE article (``arshif.entities.crf.split_sentences``
of its body), then document-level consistency over that article (``--no-crf``: the neural model(s) alone, then consistency).  Articles are drawn in a seeded random order from
the SaudiNewsNet ZIPs (JSON ``content``) and the ANT Corpus ``<TEXT>`` (``--permissive``: ANT only, Apache-2.0;
SaudiNewsNet is CC BY-NC-SA 4.0, so a file made with it, and a model trained on it, derives from that license).

Kept: sentences of 5 to 60 tokens with at least 3 words, none of whose 20-character windows overlaps a dev or
test sentence of any NER corpus (the overlap rule of ``arshif.entities.train.load_training``).  Output: CoNLL
(``token<TAB>tag``, blank line between sentences); each sentence is preceded by a comment line
``# conf C src S`` where C is the smallest, over the sentence's tokens, of the ensemble's probability of the tag
it chose (before document consistency), for ``train_neural.py --pseudo-min-conf``.
"""

from __future__ import annotations

import argparse
import glob
import json
import random
import re
import sys
import time
import zipfile
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from arshif.entities.chain import LABEL_INDEX, viterbi_many  # noqa: E402
from arshif.entities.crf import split_sentences  # noqa: E402
from arshif.entities.evaluate import read_conll  # noqa: E402
from arshif.entities.neural import EnsembleExtractor  # noqa: E402
from arshif.entities.train import _ngrams, data_root, shared_root  # noqa: E402

MIN_TOKENS, MAX_TOKENS = 5, 60


def articles(permissive: bool) -> list[tuple[str, str]]:
    """(source id, body text) of every unlabeled news article (SaudiNewsNet unless ``permissive``, and ANT)."""
    news = shared_root() / "news"
    out: list[tuple[str, str]] = []
    if not permissive:
        for path in sorted(glob.glob(str(news / "saudinewsnet" / "*.zip"))):
            with zipfile.ZipFile(path) as archive:
                for name in sorted(archive.namelist()):
                    if name.endswith(".json"):
                        for k, article in enumerate(json.loads(archive.read(name))):
                            if article.get("content"):
                                out.append((f"saudinewsnet/{name}#{k}", article["content"]))
    for path in sorted(glob.glob(str(news / "antcorpus" / "*" / "*.txt"))):
        text = Path(path).read_text("utf-8", errors="replace")
        match = re.search(r"<TEXT>(.*?)(</TEXT>|$)", text, re.S)
        if match and match.group(1).strip():
            out.append(("antcorpus/" + "/".join(Path(path).parts[-2:]), match.group(1)))
    return out


def held_out_grams() -> set[str]:
    """20-character windows of every dev and test sentence of the NER corpora (and of the ANERcorp dev tail)."""
    from arshif.entities.train import anercorp_split

    grams: set[str] = set()
    root = data_root()
    sentences = list(anercorp_split(root)[1])
    for path in sorted(root.glob("*/*.conll")):
        if path.stem != "train":
            sentences.extend(read_conll(path))
    for words, _ in sentences:
        grams |= _ngrams(words)
    return grams


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--out", type=Path, default=Path("/tmp/arshif-ner/pseudo.conll"))
    parser.add_argument("--sentences", type=int, default=40_000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--permissive", action="store_true", help="ANT only (no SaudiNewsNet)")
    parser.add_argument("--models", nargs="*", type=Path, default=None, help="teacher neural models (default: shipped)")
    parser.add_argument("--no-crf", action="store_true", help="teacher without the CRF's marginals (neural alone, "
                        "still with document consistency)")
    args = parser.parse_args(argv)

    from arshif.pipeline import one_blas_thread

    started = time.perf_counter()
    pool = articles(args.permissive)
    random.Random(args.seed).shuffle(pool)
    held = held_out_grams()
    teacher = EnsembleExtractor(with_crf=not args.no_crf, models=args.models).load()
    ensemble = teacher._ensemble
    kept = n_articles = n_tokens = n_overlap = 0
    per_source: dict[str, int] = {}
    args.out.parent.mkdir(parents=True, exist_ok=True)
    one_blas_thread()
    with open(args.out, "w", encoding="utf-8") as out:
        for source, text in pool:
            if kept >= args.sentences:
                break
            sentences = [[tok[0] for tok in s] for s in split_sentences(text)]
            if not sentences:
                continue
            n_articles += 1
            probs = ensemble.probabilities(sentences)
            tags = viterbi_many([np.log(p + 1e-6) for p in probs])  # = EnsembleExtractor.tag_sentences
            conf = [float(p[np.arange(len(t)), [LABEL_INDEX[x] for x in t]].min()) if t else 0.0
                    for p, t in zip(probs, tags)]
            teacher._make_consistent(sentences, tags)  # = tag_document: what extract() tags
            for words, sentence_tags, c in zip(sentences, tags, conf):
                if not MIN_TOKENS <= len(words) <= MAX_TOKENS or sum(any(ch.isalpha() for ch in w) for w in words) < 3:
                    continue
                grams = _ngrams(words)
                if grams & held:
                    n_overlap += 1
                    continue
                out.write(f"# conf {c:.4f} src {source}\n")
                out.write("".join(f"{w}\t{t}\n" for w, t in zip(words, sentence_tags)) + "\n")
                kept += 1
                n_tokens += len(words)
                key = source.split("/", 1)[0]
                per_source[key] = per_source.get(key, 0) + 1
                if kept >= args.sentences:
                    break
    seconds = time.perf_counter() - started
    print(f"wrote {args.out}: {kept} sentences, {n_tokens} tokens from {n_articles} articles "
          f"({', '.join(f'{k} {v}' for k, v in sorted(per_source.items()))}; {n_overlap} dropped for overlap "
          f"with dev/test text), {seconds:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
