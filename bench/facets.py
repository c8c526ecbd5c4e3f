"""Latency of the entity facet on a search, beside Datasette's ``_facet_array`` over a JSON column of the same data.

    python bench/facets.py ARCHIVE.db [--repeat 5]

ARCHIVE.db is a large archive (``bench/big_archive.py ant.db big.db --articles 100000``). The script copies it,
adds ``articles.entity_ids`` (a JSON array of the article's entity ids) to the copy, and times through
Datasette (``datasette.client``, project plugins) ``articles.json?_search=Q&_size=0`` three ways: with no facet,
with ``_facet_entity=T`` for each entity type present (one query answers them all), and with
``_facet_array=entity_ids``. Time limits are lifted so that no facet is cut off.
"""

from __future__ import annotations

import argparse
import asyncio
import shutil
import sqlite3
import statistics
import sys
import tempfile
import time
from pathlib import Path
from urllib.parse import quote

from datasette.app import Datasette

ROOT = Path(__file__).resolve().parents[1]
QUERIES = ["تونس", "الحكومة", "وزير", "الأمن", "سوسة", "الانتخابات", "المهرجان", "فيلم", "كرة القدم", "ليبيا",
           "الاقتصاد", "البرلمان"]


def array_copy(source: Path, target: Path) -> None:
    shutil.copyfile(source, target)
    conn = sqlite3.connect(target)
    conn.execute("ALTER TABLE articles ADD COLUMN entity_ids TEXT")
    conn.execute(
        "UPDATE articles SET entity_ids = (SELECT json_group_array(CAST(entity_id AS TEXT))"
        " FROM article_entities WHERE article_id = articles.id)"
    )
    conn.commit()
    conn.close()


def percentile(values: list[float], p: float) -> float:
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, round(p / 100 * (len(ordered) - 1)))]


async def measure(db_path: Path, repeat: int) -> dict[str, list[float]]:
    metadata = {"databases": {"archive": {"tables": {"articles": {"facets": []}}}}}
    ds = Datasette([str(db_path)], metadata=metadata, plugins_dir=str(ROOT / "plugins"),
                   settings={"facet_time_limit_ms": 120_000, "sql_time_limit_ms": 120_000,
                             "suggest_facets": False, "num_sql_threads": 1})
    name = db_path.stem
    types = [row[0] for row in sqlite3.connect(db_path).execute("select distinct type from entities order by type")]
    entity_facets = "".join(f"&_facet_entity={kind}" for kind in types)
    ways = {"no facet": "", "entity facet (" + ",".join(types) + ")": entity_facets,
            "_facet_array": "&_facet_array=entity_ids"}
    times: dict[str, list[float]] = {way: [] for way in ways}
    for query in QUERIES:
        for way, extra in ways.items():
            url = f"/{name}/articles.json?_search={quote(query)}&_size=0{extra}"
            response = await ds.client.get(url)  # warm up
            assert response.status_code == 200, (url, response.text[:500])
            assert not response.json().get("facets_timed_out"), url
            for _ in range(repeat):
                started = time.perf_counter()
                await ds.client.get(url)
                times[way].append((time.perf_counter() - started) * 1000)
    return times


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("archive", type=Path)
    parser.add_argument("--repeat", type=int, default=5)
    args = parser.parse_args()
    conn = sqlite3.connect(args.archive)
    articles = conn.execute("select count(*) from articles").fetchone()[0]
    links = conn.execute("select count(*) from article_entities").fetchone()[0]
    matches = {}
    sys.path.insert(0, str(ROOT))
    from arshif.query import compile_query

    for query in QUERIES:
        matches[query] = conn.execute("select count(*) from articles_fts where articles_fts match ?",
                                      [compile_query(query)]).fetchone()[0]
    conn.close()
    with tempfile.TemporaryDirectory() as folder:
        copy = Path(folder) / "archive.db"
        started = time.perf_counter()
        array_copy(args.archive, copy)
        print(f"copy with entity_ids JSON column made in {time.perf_counter() - started:.1f} s")
        times = asyncio.run(measure(copy, args.repeat))
    print(f"command: python bench/facets.py {args.archive} --repeat {args.repeat}")
    print(f"archive: {articles:,} articles, {links:,} article-entity links")
    print("searches (matching articles): " + ", ".join(f"{q} ({n:,})" for q, n in matches.items()))
    print(f"{'articles.json?_search=Q&_size=0 +':40} {'p50 ms':>8} {'p95 ms':>8} {'max ms':>8}")
    for way, values in times.items():
        print(f"{way:40} {statistics.median(values):8.0f} {percentile(values, 95):8.0f} {max(values):8.0f}")
    base = times["no facet"]
    for way, values in times.items():
        if way != "no facet":
            added = [v - b for v, b in zip(values, base)]
            print(f"added by {way:31} {statistics.median(added):8.0f} {percentile(added, 95):8.0f}")


if __name__ == "__main__":
    main()
