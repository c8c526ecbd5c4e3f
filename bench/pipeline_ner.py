"""The whole entity pipeline scored on gold NER data: dev sentences built as articles, mentions read back.

Reproduce:  .venv/bin/python bench/pipeline_ner.py                     (every dev set, --ner default)
            .venv/bin/python bench/pipeline_ner.py --ner gazetteer --sets anercorp-dev

``arshif eval-ner`` scores the tagger alone on token lists. What a reader sees is the whole pipeline: the
article's text tokenized by the build, organizations, places, demonyms, the tagger, span cleaning and linking,
types voted across the archive. This script writes the sentences of each dev set as articles (JSON Lines, ten
sentences an article, tokens joined by spaces, one sentence a line), runs ``arshif.build.build`` on them, reads the
``mentions`` table (names only; demonyms such as الروسي are no name mentions in these corpora) and scores them
against the gold chunks, with the usual exact-match entity micro F1 per type. A mention counts at the level of
the corpus's tokens: its characters are mapped to the tokens they overlap, so a proclitic that the archive leaves
outside a span (و in وموسكو) does not count against it.
"""

from __future__ import annotations

import argparse
import json
import sqlite3
import sys
import tempfile
import time
from bisect import bisect_right
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from arshif.build import build  # noqa: E402
from arshif.entities.chain import chunks  # noqa: E402
from arshif.entities.evaluate import read_conll  # noqa: E402
from arshif.entities.extractor import ENTITY_TYPES  # noqa: E402
from arshif.entities.train import anercorp_split, shared_root  # noqa: E402

SENTENCES_PER_ARTICLE = 10


def dev_sets() -> dict[str, list[tuple[list[str], list[str]]]]:
    ner = shared_root() / "ner"
    sets = {"anercorp-dev": anercorp_split(ner)[1]}
    for name in ("newsfane-gold", "aqmar", "wikifane-gold", "wojood-sample"):
        path = ner / name / "dev.conll"
        if path.exists():
            sets[name] = read_conll(path)
    return sets


def articles_of(sentences):
    """(article text, token start offsets, token end offsets, gold chunks as (first, last+1, type)) per article."""
    for first in range(0, len(sentences), SENTENCES_PER_ARTICLE):
        lines, starts, ends, gold = [], [], [], set()
        offset = 0
        base = 0
        for words, tags in sentences[first : first + SENTENCES_PER_ARTICLE]:
            line_starts = []
            for word in words:
                line_starts.append(offset)
                starts.append(offset)
                ends.append(offset + len(word))
                offset += len(word) + 1
            lines.append(" ".join(words))
            gold |= {(base + s, base + e, t) for s, e, t in chunks(tags)}
            base += len(words)
        yield "\n".join(lines), starts, ends, gold


def token_span(start: int, end: int, starts: list[int], ends: list[int]) -> tuple[int, int]:
    first = max(0, bisect_right(starts, start) - 1)
    if ends[first] <= start:
        first += 1
    last = bisect_right(starts, end - 1)
    return first, last


def score(gold: set, predicted: set) -> dict:
    result = {}
    for type_ in (*ENTITY_TYPES, "ALL"):
        g = {c for c in gold if type_ == "ALL" or c[-1] == type_}
        p = {c for c in predicted if type_ == "ALL" or c[-1] == type_}
        tp = len(g & p)
        precision = tp / len(p) if p else 0.0
        recall = tp / len(g) if g else 0.0
        f1 = 2 * precision * recall / (precision + recall) if precision + recall else 0.0
        result[type_] = (precision, recall, f1, len(g))
    return result


def run(name: str, sentences, ner: str, folder: Path) -> dict:
    inputs = folder / f"{name}.jsonl"
    index = {}
    gold_all: set = set()
    with inputs.open("w", encoding="utf-8") as handle:
        for number, (text, starts, ends, gold) in enumerate(articles_of(sentences)):
            url = f"https://dev.example/{name}/{number}"
            handle.write(json.dumps({"title": f"مقال {number}", "content": text, "url": url}, ensure_ascii=False))
            handle.write("\n")
            index[url] = (number, starts, ends)
            gold_all |= {(number, *chunk) for chunk in gold}
    db = folder / f"{name}.db"
    started = time.process_time()
    build([inputs], db, ner=ner, full=True)
    cpu = time.process_time() - started
    conn = sqlite3.connect(db)
    predicted = set()
    rows = conn.execute(
        "SELECT a.url, m.start, m.\"end\", m.type FROM mentions m JOIN articles a ON a.id = m.article_id"
        " WHERE m.kind = 'name'"
    )
    for url, start, end, type_ in rows:
        number, starts, ends = index[url]
        first, last = token_span(start, end, starts, ends)
        predicted.add((number, first, last, type_))
    result = score(gold_all, predicted)
    result["cpu"] = cpu
    return result


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--ner", default="default")
    parser.add_argument("--sets", nargs="*", help="dev sets to score (default: all present)")
    args = parser.parse_args(argv)
    sets = dev_sets()
    chosen = args.sets or list(sets)
    print(f"whole pipeline (--ner {args.ner}), entity micro F1 on the mentions table; P / R / F1 per type")
    print(f"| dev set | {' | '.join(ENTITY_TYPES)} | micro P / R / F1 | build CPU |")
    print("|---|" + "---|" * (len(ENTITY_TYPES) + 2))
    with tempfile.TemporaryDirectory() as folder:
        for name in chosen:
            result = run(name, sets[name], args.ner, Path(folder))
            cells = [f"{result[t][2] * 100:.1f}" for t in ENTITY_TYPES]
            p, r, f, _ = result["ALL"]
            print(f"| {name} | {' | '.join(cells)} | {p * 100:.1f} / {r * 100:.1f} / **{f * 100:.1f}** |"
                  f" {result['cpu']:.1f} s |", flush=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
