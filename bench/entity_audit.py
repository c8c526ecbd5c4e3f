"""Read an archive's entities the way a reader meets them, and print what to check by eye.

Reproduce:  .venv/bin/python bench/entity_audit.py ARCHIVE.db [--top 30] [--sample 100] [--seed 1]

Prints, for the archive built by ``./build``:

* the top entities per type with their article counts (what the front page and the facets show);
* names stored under several types, and entities whose keys differ only as the build's variant rule allows
  (``arshif.entities.link.variant_form``: the article ال, a hamza seat; rows that should be one entity);
* one-word person rows (a given name alone is rarely a whole person);
* random mentions in their context, the mention between [brackets], with its type and entity, for reading and
  judging by hand (the same seed gives the same sample).
"""

from __future__ import annotations

import argparse
import random
import sqlite3
import sys
from collections import defaultdict
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from arshif.entities.extractor import ENTITY_TYPES  # noqa: E402
from arshif.entities.link import variant_form  # noqa: E402

def top_entities(conn: sqlite3.Connection, top: int) -> None:
    for type_ in ENTITY_TYPES:
        rows = conn.execute(
            "SELECT name, article_count, mention_count FROM entities WHERE type = ?"
            " ORDER BY article_count DESC, name LIMIT ?", (type_, top),
        ).fetchall()
        print(f"\n## top {type_} ({conn.execute('SELECT count(*) FROM entities WHERE type = ?', (type_,)).fetchone()[0]} entities)")
        for rank, (name, articles, mentions) in enumerate(rows, 1):
            print(f"{rank:3}. {name}  ({articles} articles, {mentions} mentions)")


def several_types(conn: sqlite3.Connection, limit: int = 40) -> None:
    rows = conn.execute(
        "SELECT substr(key, instr(key, ':') + 1) AS form, group_concat(type || ' ' || article_count, ', '), "
        "sum(article_count) FROM entities GROUP BY form HAVING count(*) > 1 ORDER BY sum(article_count) DESC"
    ).fetchall()
    print(f"\n## names under several types: {len(rows)}")
    for form, types, _ in rows[:limit]:
        print(f"- {form}: {types}")


def variants(conn: sqlite3.Connection, limit: int = 40) -> None:
    groups: dict[tuple[str, str], list[tuple[str, int]]] = defaultdict(list)
    for key, type_, count in conn.execute("SELECT key, type, article_count FROM entities"):
        groups[(type_, variant_form(key))].append((key.partition(":")[2], count))
    split = sorted(
        ((k, v) for k, v in groups.items() if len(v) > 1), key=lambda kv: -sum(c for _, c in kv[1])
    )
    print(f"\n## entities whose keys differ only by ال or a hamza seat: {len(split)} groups")
    for (type_, _), members in split[:limit]:
        print(f"- {type_}: " + ", ".join(f"{name} ({count})" for name, count in members))


def one_word_people(conn: sqlite3.Connection, limit: int = 40) -> None:
    rows = conn.execute(
        "SELECT name, article_count FROM entities WHERE type = 'PER' AND instr(trim(name), ' ') = 0"
        " ORDER BY article_count DESC"
    ).fetchall()
    total = conn.execute("SELECT count(*) FROM entities WHERE type = 'PER'").fetchone()[0]
    print(f"\n## one-word person rows: {len(rows)} of {total}")
    print(", ".join(f"{name} ({count})" for name, count in rows[:limit]))


def sample_mentions(conn: sqlite3.Connection, size: int, seed: int) -> None:
    total = conn.execute("SELECT count(*) FROM mentions WHERE kind = 'name'").fetchone()[0]
    rng = random.Random(seed)
    picks = sorted(rng.sample(range(total), min(size, total)))
    print(f"\n## {len(picks)} random name mentions of {total} (seed {seed})")
    for number, offset in enumerate(picks, 1):
        article_id, start, end, type_, entity = conn.execute(
            "SELECT m.article_id, m.start, m.\"end\", m.type, e.name FROM mentions m"
            " LEFT JOIN entities e ON e.id = m.entity_id WHERE m.kind = 'name'"
            " ORDER BY m.rowid LIMIT 1 OFFSET ?", (offset,),
        ).fetchone()
        body = conn.execute("SELECT body FROM articles WHERE id = ?", (article_id,)).fetchone()[0]
        left = body[max(0, start - 45):start].replace("\n", " ")
        right = body[end:end + 45].replace("\n", " ")
        print(f"{number:3}. {type_:4} {entity} | …{left}[{body[start:end]}]{right}…")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("archive", type=Path)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--sample", type=int, default=100)
    parser.add_argument("--seed", type=int, default=1)
    args = parser.parse_args(argv)
    if not args.archive.exists():
        parser.error(f"archive not found: {args.archive}")
    conn = sqlite3.connect(f"file:{args.archive}?mode=ro", uri=True)
    articles = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    entities = conn.execute("SELECT count(*) FROM entities").fetchone()[0]
    print(f"# {args.archive}: {articles} articles, {entities} entities")
    top_entities(conn, args.top)
    several_types(conn)
    variants(conn)
    one_word_people(conn)
    sample_mentions(conn, args.sample, args.seed)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
