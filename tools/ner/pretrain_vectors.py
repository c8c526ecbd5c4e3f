"""Pretrain fastText word vectors (subword-aware) on the unlabeled news for the neural NER tagger.

    python tools/ner/pretrain_vectors.py [--permissive] [--out /tmp/arshif-ner/fasttext.kv]

Corpus: ``arshif.entities.train.news_sentences`` (normalized tokens of SaudiNewsNet, CC BY-NC-SA 4.0, and ANT
Corpus v1.1, Apache-2.0); ``--permissive`` uses ANT alone.  gensim FastText, skip-gram, one worker, seed 1, so
the run is reproducible.  The vectors are a training input only: ``train_neural.py`` stores the (int8) vectors of
the words it ships, never the text.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[2]))

from arshif.entities.train import news_sentences, shared_root  # noqa: E402

DEFAULT_OUT = Path("/tmp/arshif-ner/fasttext.kv")


def sentences(permissive: bool) -> list[list[str]]:
    """Normalized news sentences; ANT only when ``permissive``."""
    if not permissive:
        return list(news_sentences())
    import tempfile

    # news_sentences reads <root>/news/{saudinewsnet,antcorpus}: point it at a folder holding only ANT
    folder = Path(tempfile.mkdtemp()) / "news"
    folder.mkdir()
    (folder / "antcorpus").symlink_to(shared_root() / "news" / "antcorpus")
    return list(news_sentences(folder.parent))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--permissive", action="store_true", help="ANT only (Apache-2.0), no SaudiNewsNet")
    parser.add_argument("--out", type=Path, default=DEFAULT_OUT)
    parser.add_argument("--dim", type=int, default=100)
    parser.add_argument("--epochs", type=int, default=5)
    args = parser.parse_args(argv)
    from gensim.models import FastText

    started = time.perf_counter()
    data = sentences(args.permissive)
    print(f"news ({'ANT only' if args.permissive else 'SaudiNewsNet + ANT'}): {len(data)} sentences, "
          f"{sum(map(len, data))} tokens", flush=True)
    model = FastText(vector_size=args.dim, window=5, min_count=3, sg=1, negative=5, min_n=2, max_n=5,
                     bucket=500_000, epochs=args.epochs, workers=1, seed=1)
    model.build_vocab(corpus_iterable=data)
    model.train(corpus_iterable=data, total_examples=len(data), epochs=args.epochs)
    args.out.parent.mkdir(parents=True, exist_ok=True)
    model.wv.save(str(args.out))
    print(f"wrote {args.out}: {len(model.wv.index_to_key)} words, {time.perf_counter() - started:.0f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
