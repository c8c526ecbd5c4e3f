"""arshif's normalizer against pyarabic's equivalent chain of calls, on the same text, in one run.

    python bench/normalize.py [--repeat 200]

pyarabic's chain: normalize_ligature, strip_tashkeel, strip_tatweel, normalize_alef (أ إ آ ى → ا; note it folds ى to
ا where Lucene and arshif fold it to ي), normalize_teh; it does not fold digits, Persian letters or controls, so
arshif does more work in the same call. Prints characters per second for each and their ratio.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

import pyarabic.araby as araby  # noqa: E402

from arshif.text.normalize import normalize  # noqa: E402


def pyarabic_chain(text: str) -> str:
    text = araby.normalize_ligature(text)
    text = araby.strip_tashkeel(text)
    text = araby.strip_tatweel(text)
    text = araby.normalize_alef(text)
    return araby.normalize_teh(text)


def rate(function, texts: list[str], repeat: int) -> float:
    chars = sum(len(t) for t in texts) * repeat
    started = time.perf_counter()
    for _ in range(repeat):
        for text in texts:
            function(text)
    return chars / (time.perf_counter() - started)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--repeat", type=int, default=200)
    args = parser.parse_args()
    seed = (ROOT / "seeds" / "000_2399a9a2b0d5824e.txt").read_text("utf-8")
    vocalized = "قَالَ الرَّئِيسُ إِنَّ ســوريا وَأَمْرِيكَا وَقَّعَتَا اتِّفَاقِيَّةً فِي مَدِينَةِ حَلَبَ عَامَ ٢٠١٦."
    texts = [seed, vocalized * 20]
    ours = rate(normalize, texts, args.repeat)
    theirs = rate(pyarabic_chain, texts, args.repeat)
    print(f"arshif normalize      : {ours / 1e6:8.2f} M chars/s")
    print(f"pyarabic chain (5 calls): {theirs / 1e6:8.2f} M chars/s")
    print(f"ratio arshif / pyarabic: {ours / theirs:.1f}x")
    print(f"command: python bench/normalize.py --repeat {args.repeat}")


if __name__ == "__main__":
    main()
