"""Build ``arshif/text/data/stem_lexicon.tsv``, the word counts that guide the light stemmer.

Source: the ANT Corpus v1.1 development slice (Apache License 2.0; cite Chouigui, Ben Khiroun & Elayeb,
"ANT Corpus: An Arabic News Text Collection for Textual Classification", AICCSA 2017), read from
``/work/shared/data/news/antcorpus`` or the folder given as the first argument. Only Apache-2.0 data may
feed this file: never point it at SaudiNewsNet (CC BY-NC-SA) or the unlicensed arabic-newspapers-corpus.

Every ``<TITLE>``, ``<ABSTRACT>`` and ``<TEXT>`` is normalized with ``arshif.text.normalize``, split with
``arshif.text.tokenize.words``, and each all-Arabic-letter token is counted. Tokens seen at least
``MIN_COUNT`` times are written as ``word<TAB>count``, most frequent first (ties in code-point order), so
the output is deterministic. The file holds counts of single words only, no text.

    .venv/bin/python tools/build_lexicon.py [ANTCORPUS_DIR]
"""

from __future__ import annotations

import collections
import re
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from arshif.text.normalize import normalize  # noqa: E402
from arshif.text.tokenize import words  # noqa: E402

DEFAULT_SOURCE = Path("/work/shared/data/news/antcorpus")
OUTPUT = ROOT / "arshif" / "text" / "data" / "stem_lexicon.tsv"
MIN_COUNT = 2
ARABIC_WORD = re.compile(r"^[\u0621-\u064A]+$")
FIELD = re.compile(r"<(TITLE|ABSTRACT|TEXT)>(.*?)</\1>", re.S)


def count(source: Path) -> collections.Counter[str]:
    counts: collections.Counter[str] = collections.Counter()
    files = sorted(source.glob("*/*.txt"))
    if not files:
        raise SystemExit(f"no ANT corpus files under {source}")
    for path in files:
        text = path.read_text("utf-8")
        for _, field in FIELD.findall(text):
            for word in words(normalize(field)):
                if ARABIC_WORD.match(word):
                    counts[word] += 1
    return counts


def main() -> None:
    source = Path(sys.argv[1]) if len(sys.argv) > 1 else DEFAULT_SOURCE
    counts = count(source)
    kept = sorted(((w, n) for w, n in counts.items() if n >= MIN_COUNT), key=lambda item: (-item[1], item[0]))
    header = (
        "# Word counts for arshif.text.stem, built by tools/build_lexicon.py from the ANT Corpus v1.1\n"
        "# development slice (Apache-2.0; see SOURCES.md). Normalized words seen at least "
        f"{MIN_COUNT} times: word<TAB>count.\n"
    )
    OUTPUT.write_text(header + "".join(f"{w}\t{n}\n" for w, n in kept), "utf-8")
    print(f"{len(kept)} words ({len(counts)} types, {sum(counts.values())} tokens) -> {OUTPUT.relative_to(ROOT)}")


if __name__ == "__main__":
    main()
