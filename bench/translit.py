"""Latin-script names to the archive's Arabic entities: hit rate at 1 and at 5 of ``arshif.translit``.

    .venv/bin/python bench/translit.py [--db ARCHIVE.db] [--misses N]

The candidates are the entities of an archive (default: antcorpus built with ``--ner gazetteer`` into a
temporary folder), plus each Arabic name of ``bench/data/translit_pairs.tsv`` that the archive lacks (a person
name the gazetteer cannot tag), counted as many times as the archive's vocabulary holds its last word. For each
pair, the Latin spelling is looked up; a hit is the pair's Arabic name (normalized) among the first 1 or 5
suggestions, or a person whose full name holds it as one of its words (Trump -> دونالد ترامب). Before arshif.translit, a Latin query found no entity at all (hit rate 0).
"""

from __future__ import annotations

import argparse
import shlex
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from arshif.text.normalize import normalize  # noqa: E402
from arshif.translit import NameIndex  # noqa: E402

PAIRS = ROOT / "bench" / "data" / "translit_pairs.tsv"
CORPUS = ROOT.parent / "shared" / "data" / "news" / "antcorpus"


def load_pairs(path: Path = PAIRS) -> list[tuple[str, str]]:
    pairs = []
    for line in path.read_text("utf-8").splitlines():
        if line and not line.startswith("#") and not line.startswith("latin\t"):
            latin, arabic = line.split("\t")
            pairs.append((latin, arabic))
    return pairs


def candidates(conn: sqlite3.Connection, pairs: list[tuple[str, str]]) -> list[tuple[int, str, str, int]]:
    rows = [tuple(row) for row in conn.execute(
        "select id, name, type, article_count from entities where type in ('PER', 'LOC', 'ORG')")]
    known = {normalize(name) for _, name, _, _ in rows}
    conn.execute("create virtual table if not exists temp.v using fts5vocab(main, articles_fts, row)")
    extra = -1
    for _, arabic in pairs:
        if normalize(arabic) in known:
            continue
        last = normalize(arabic).split()[-1]
        found = conn.execute("select doc from temp.v where term = ?", (last,)).fetchone()
        rows.append((extra, arabic, "PER", found[0] if found else 1))
        known.add(normalize(arabic))
        extra -= 1
    return rows


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--db", help="an archive whose entities are the candidates (default: build antcorpus)")
    parser.add_argument("--misses", type=int, default=20, help="print up to this many misses at 1")
    args = parser.parse_args()
    pairs = load_pairs()
    with tempfile.TemporaryDirectory(prefix="arshif-bench-translit-") as tmp:
        db = args.db
        if db is None:
            if not CORPUS.exists():
                print(f"skipped: {CORPUS} is absent (the benchmark data lives in ../shared/data)")
                return 0
            from arshif.build import build

            db = str(Path(tmp) / "ant.db")
            build([CORPUS], db, ner="gazetteer")
        conn = sqlite3.connect(db)
        rows = candidates(conn, pairs)
        started = time.perf_counter()
        index = NameIndex(rows)
        built = time.perf_counter() - started
        at1 = at5 = 0
        misses = []
        started = time.perf_counter()
        for latin, arabic in pairs:
            found = index.suggest(latin, limit=5)
            names = [normalize(s.name) for s in found]
            target = normalize(arabic)
            # a person's full name counts for one of its names (Trump -> دونالد ترامب)
            hits = [name == target or s.type == "PER" and target in name.split() for s, name in zip(found, names)]
            at1 += bool(hits) and hits[0]
            at5 += any(hits)
            if not hits or not hits[0]:
                misses.append(f"{latin} -> {arabic} (got {', '.join(names[:3]) or 'nothing'})")
        elapsed = (time.perf_counter() - started) / len(pairs)
    print(f"{len(pairs)} Latin/Arabic pairs; {len(rows)} candidate entities (index built in {built * 1000:.0f} ms,"
          f" {elapsed * 1000:.2f} ms per lookup)")
    print(f"hit@1 {100 * at1 / len(pairs):.1f}%  ({at1} of {len(pairs)})")
    print(f"hit@5 {100 * at5 / len(pairs):.1f}%  ({at5} of {len(pairs)})")
    if misses and args.misses:
        print("misses at 1: " + "; ".join(misses[: args.misses]))
    print("command: .venv/bin/python bench/translit.py " + " ".join(shlex.quote(a) for a in sys.argv[1:]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
