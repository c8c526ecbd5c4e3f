"""Compare arshif's light stemmer with Lucene's ArabicStemmer (light10), Snowball Arabic and Tashaphyne.

    .venv/bin/python bench/stem_compare.py [--news DIR] [--days N]

1. The fixture tests/fixtures/stem_pairs.tsv (the same tables as tests/test_stem.py): groups whose words must
   share a stem (groups fully matched, and pairs within groups matched), and words whose first letter is their
   own (damaged = the stem lost that letter or equals the stem of the word without its first one or two
   letters).
2. When /work/shared/data/news/saudinewsnet is there (held out: the lexicon comes from another corpus), a
   vocabulary from N daily files, with two automatic lists (heuristic, counts from that vocabulary only):
   - keep: words starting with و ف ب ك ل seen >= 20 times bare and >= 20 times with the article (الوزير shows
     that the و of وزير is the word's own; the article never stands before a clitic);
   - match: x and c+x (c in و ب ل, x seen >= 50 times, c+x >= 5 times) when c+x never takes the article nor
     an unstackable clitic, and the article groups (الx, والx, بالx, للx) seen >= 5 times each.
   Speed is measured on the vocabulary: distinct words, every cache cleared first, then the same words again
   (cached) for stemmers that cache.
All words go through arshif.text.normalize first, as the build does.
"""

from __future__ import annotations

import argparse
import collections
import itertools
import json
import re
import sys
import time
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from arshif.text import stem as arshif_stem  # noqa: E402
from arshif.text.normalize import normalize  # noqa: E402
from arshif.text.tokenize import words  # noqa: E402

FIXTURE = ROOT / "tests" / "fixtures" / "stem_pairs.tsv"
ARABIC_WORD = re.compile(r"^[\u0621-\u064A]+$")


# --- Lucene org.apache.lucene.analysis.ar.ArabicStemmer, rule for rule -------------------------------------
# The input is already normalized the way Lucene's ArabicNormalizer does it (ة → ه, ى → ي, hamza alefs → ا,
# tashkeel and tatweel removed), so the suffixes ية and ة never match, exactly as in Lucene's analyzer chain.
LUCENE_PREFIXES = ("ال", "وال", "بال", "كال", "فال", "لل", "و")
LUCENE_SUFFIXES = ("ها", "ان", "ات", "ون", "ين", "يه", "ية", "ه", "ة", "ي")


def lucene_light10(word: str) -> str:
    for prefix in LUCENE_PREFIXES:  # stemPrefix: the first prefix that fits, once
        if len(prefix) == 1 and len(word) < 4:
            continue
        if len(word) < len(prefix) + 2:
            continue
        if word.startswith(prefix):
            word = word[len(prefix) :]
            break
    for suffix in LUCENE_SUFFIXES:  # stemSuffix: every suffix in turn, in this order
        if len(word) >= len(suffix) + 2 and word.endswith(suffix):
            word = word[: -len(suffix)]
    return word


def make_stemmers() -> dict[str, tuple]:
    import Stemmer
    from tashaphyne.stemming import ArabicLightStemmer

    snowball = Stemmer.Stemmer("arabic")
    snowball.maxCacheSize = 0
    tashaphyne = ArabicLightStemmer()

    def arshif_uncached_reset() -> None:
        arshif_stem.stem.cache_clear()
        arshif_stem.strip_proclitics.cache_clear()

    return {
        "arshif": (arshif_stem.stem, arshif_uncached_reset),
        "lucene-light10": (lucene_light10, None),
        "snowball": (snowball.stemWord, None),
        "tashaphyne": (tashaphyne.light_stem, None),
    }


def load_fixture() -> tuple[list[list[str]], list[str]]:
    match, keep = [], []
    for line in FIXTURE.read_text("utf-8").splitlines():
        if line and not line.startswith("#"):
            label, text = line.split("\t")
            row = [normalize(w) for w in text.split()]
            (match.append(row) if label == "match" else keep.extend(row))
    return match, keep


def score_match(fn, groups) -> tuple[int, int, int, int]:
    full = pairs = total_pairs = 0
    for group in groups:
        stems = [fn(w) for w in group]
        full += len(set(stems)) == 1
        for a, b in itertools.combinations(stems, 2):
            total_pairs += 1
            pairs += a == b
    return full, len(groups), pairs, total_pairs


def damaged(fn, word: str) -> bool:
    result = fn(word)
    return not result or result[0] != word[0] or result == fn(word[1:]) or result == fn(word[2:])


def news_vocabulary(news: Path, days: int) -> collections.Counter[str]:
    counts: collections.Counter[str] = collections.Counter()
    for path in sorted((news / "saudinewsnet").glob("*.zip"))[:days]:
        with zipfile.ZipFile(path) as archive:
            for name in archive.namelist():
                for article in json.loads(archive.read(name)):
                    text = (article.get("title") or "") + "\n" + (article.get("content") or "")
                    for w in words(normalize(text)):
                        if ARABIC_WORD.match(w):
                            counts[w] += 1
    return counts


def auto_lists(counts) -> tuple[list[list[str]], list[str]]:
    keep = [
        w for w, n in counts.items()
        if w[0] in "وفبكل" and len(w) >= 3 and n >= 20 and counts.get("ال" + w, 0) >= 20 and not w.startswith("ال")
    ]
    unstackable = {"و": "وفكل", "ب": "بكل", "ل": "بك"}
    match = []
    for x, n in counts.items():
        if n < 50 or len(x) < 3 or x.startswith("ال"):
            continue
        for c in "وبل":
            cx = c + x
            if counts.get(cx, 0) >= 5 and counts.get("ال" + cx, 0) == 0 and not any(
                counts.get(q + cx, 0) for q in unstackable[c]
            ):
                match.append([x, cx])
        if x.startswith("ال"):
            continue
    for x in list(counts):
        if x.startswith("ال") and len(x) >= 5:
            group = [x] + [p + x[2:] for p in ("وال", "بال", "لل")]
            if all(counts.get(w, 0) >= 5 for w in group):
                match.append(group)
    return match, keep


def speed(fn, reset, vocab: list[str]) -> tuple[float, float | None]:
    if reset:
        reset()
    start = time.perf_counter()
    for w in vocab:
        fn(w)
    cold = len(vocab) / (time.perf_counter() - start)
    warm = None
    if reset:
        start = time.perf_counter()
        for _ in range(3):
            for w in vocab:
                fn(w)
        warm = 3 * len(vocab) / (time.perf_counter() - start)
    return cold, warm


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--news", type=Path, default=Path("/work/shared/data/news"))
    parser.add_argument("--days", type=int, default=4, help="SaudiNewsNet daily files to read (default 4)")
    args = parser.parse_args()
    stemmers = make_stemmers()
    match, keep = load_fixture()
    counts = news_vocabulary(args.news, args.days) if (args.news / "saudinewsnet").is_dir() else collections.Counter()
    auto_match, auto_keep = auto_lists(counts) if counts else ([], [])
    vocab = sorted(counts) or sorted({w for g in match for w in g} | set(keep))

    print(f"fixture: {len(match)} must-match groups, {len(keep)} must-keep words ({FIXTURE.relative_to(ROOT)})")
    if counts:
        print(
            f"news: saudinewsnet, {args.days} days, {len(counts)} word types; auto lists: "
            f"{len(auto_match)} must-match groups, {len(auto_keep)} must-keep words"
        )
    header = f"{'stemmer':<15} {'groups':>10} {'pairs':>11} {'damaged':>9}"
    if counts:
        header += f" {'auto-groups':>13} {'auto-damaged':>13}"
    header += f" {'stems/s cold':>13} {'cached':>11}"
    print(header)
    print("-" * len(header))
    examples = {}
    for name, (fn, reset) in stemmers.items():
        full, groups, pairs, total = score_match(fn, match)
        bad = [w for w in keep if damaged(fn, w)]
        row = f"{name:<15} {full:>4}/{groups:<5} {pairs:>5}/{total:<5} {len(bad):>4}/{len(keep):<4}"
        if counts:
            afull, agroups, _, _ = score_match(fn, auto_match)
            abad = [w for w in auto_keep if damaged(fn, w)]
            row += f" {afull:>6}/{agroups:<6} {len(abad):>6}/{len(auto_keep):<6}"
            examples[name] = abad[:8]
        cold, warm = speed(fn, reset, vocab)
        row += f" {cold:>13,.0f} {warm:>11,.0f}" if warm else f" {cold:>13,.0f} {'-':>11}"
        print(row)
    if examples:
        print("\nauto-keep words damaged (first few):")
        for name, bad in examples.items():
            print(f"  {name}: {' '.join(bad)}")
    print(f"\nreproduce: .venv/bin/python bench/stem_compare.py --days {args.days}")


if __name__ == "__main__":
    main()
