"""Search latency over HTTP on a 100,000-article archive: p50 and p95 of the JSON API, as a user gets it.

    .venv/bin/python bench/search_latency.py [--source-db REAL.db] [--articles 100000] [--queries 50] [--rounds 3]
        [--big KEEP.db]

1. A real archive: ``--source-db`` (an archive already built), or else one built here from ``--input``
   (default ../shared/data/news/saudinewsnet) with ``arshif build``.
2. A big archive of ``--articles`` articles made from it with bench/big_archive.py (the real articles
   repeated under new ids, each with its own index row and mentions).
3. ``datasette serve`` on it, started with ``arshif.cli.serve_command`` (the project's metadata, plugins and
   templates) as a subprocess on a free port of 127.0.0.1, and stopped at the end.
4. ``--queries`` words from the corpus vocabulary (the body column of ``articles_fts`` in the real archive,
   Arabic words of three letters or more, seeded draw): 40% frequent (in >= 2% of articles), 30% mid, 30%
   rare (in 2 to 5 articles). Each is sent once as a warm-up, then ``--rounds`` times, in turn to

   * ``/archive/-/search.json?q=WORD`` (the search page's JSON: ranked page of 20 with snippets, exact total,
     and every facet: people, places, organizations, source, category, year, month),
   * ``/archive/-/search?q=WORD`` (the same as the HTML page a reader gets),
   * ``/archive/search.json?q=WORD`` (the canned ranked search: bm25, snippets, first 100 rows), and
   * ``/archive/articles.json?_search=WORD&_facet=source_id`` (table search with a facet; the table's
     default facets from metadata.yml are computed too, as on the site).

``--big PATH`` keeps the big archive at PATH (made there if it is not yet), so that later runs skip steps 1-2.

5. Then, once each: the entity pages (HTML and JSON) of the ``--entities`` most mentioned entities, an article page,
   page 50 of ``articles.json`` and of a frequent word's table search (following ``next`` links, 49 of them), and
   page 50 of the search page (``-/search.json?q=WORD&page=50``), with the status and time of each.

The server runs without its response caches (``ARSHIF_LIMITS={"cache_bytes": 0}``): every measured request is
computed, not answered from what the warm-up left. Every table search response is checked for its facets: each facet of the table (metadata.yml's, entities included)
must be present, or listed in ``facets_timed_out`` / marked ``timed_out``. The file size per article is printed.

Prints p50, p95, mean and max of the request time (sequential requests, one client) for each endpoint,
overall and per frequency band, with the errors and facet time-outs Datasette reported. Skips with a
message when ../shared/data is absent and no ``--source-db`` is given. Temporary files are removed.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import re
import shlex
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.error
import urllib.parse
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from arshif.serving import background_server  # noqa: E402
from big_archive import make as make_big  # noqa: E402

DEFAULT_INPUT = ROOT.parent / "shared" / "data" / "news" / "saudinewsnet"
CRF_MODEL = ROOT / "arshif" / "entities" / "data" / "ner.crfsuite"
ENDPOINTS = {
    "-/search.json (all facets)": "/archive/-/search.json?q={q}",
    "-/search (HTML page)": "/archive/-/search?q={q}",
    "search.json (canned)": "/archive/search.json?q={q}",
    "articles.json _search+_facet": "/archive/articles.json?_search={q}&_facet=source_id",
}


def vocabulary_queries(db: Path, count: int, seed: int) -> list[tuple[str, str, int]]:
    """(band, word, articles containing it in the real archive), drawn from the body vocabulary."""
    conn = sqlite3.connect(str(db))
    try:
        total = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
        conn.execute("CREATE VIRTUAL TABLE temp.vocab USING fts5vocab(main, articles_fts, col)")
        rows = conn.execute(
            "SELECT term, doc FROM temp.vocab WHERE col = 'body' AND length(term) >= 3"
            " AND term GLOB '[ء-ي]*' AND term NOT GLOB '*[^ء-ي]*'"
        ).fetchall()
    finally:
        conn.close()
    frequent_floor = max(6, int(0.02 * total))
    bands = {
        "frequent": [row for row in rows if row[1] >= frequent_floor],
        "mid": [row for row in rows if 6 <= row[1] < frequent_floor],
        "rare": [row for row in rows if 2 <= row[1] <= 5],
    }
    shares = {"frequent": 0.4, "mid": 0.3, "rare": 0.3}
    rng = random.Random(seed)
    chosen = []
    for band, share in shares.items():
        pool = sorted(bands[band])
        take = round(count * share) if band != "rare" else count - len(chosen)
        chosen.extend((band, term, docs) for term, docs in rng.sample(pool, min(take, len(pool))))
    return chosen


def fetch(url: str) -> tuple[float, int, dict | None]:
    started = time.perf_counter()
    try:
        with urllib.request.urlopen(url, timeout=60) as response:
            body = response.read()
            status = response.status
    except urllib.error.HTTPError as error:
        body = error.read()
        status = error.code
    elapsed = time.perf_counter() - started
    try:
        document = json.loads(body)
    except ValueError:
        document = None
    return elapsed, status, document


#: The facets of a table search: metadata's (arshif/data/archive.yml) and the request's ``_facet=source_id``.
TABLE_FACETS = ("source_id", "category", "year", "month", "PER", "LOC", "ORG")
DEEP_PAGE = 50


def follow(base: str, path: str, pages: int) -> tuple[int, float, int]:
    """Follow ``next_url`` from ``path`` to page ``pages``: (status of the last request, seconds of the slowest,
    the page reached)."""
    url, slowest, reached, status = base + path, 0.0, 1, 0
    while True:
        elapsed, status, document = fetch(url)
        slowest = max(slowest, elapsed)
        if status != 200 or not document or reached >= pages or not document.get("next_url"):
            return status, slowest, reached
        url = document["next_url"]
        if url.startswith("/"):
            url = base + url
        reached += 1


def once_each(base: str, db: Path, word: str, entities: int) -> list[tuple[str, int, float]]:
    """Entity pages of the most mentioned entities, an article page, and page 50 of the articles, of a table
    search and of the search page: (label, status, seconds)."""
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        top = conn.execute("SELECT id, article_count FROM entities ORDER BY article_count DESC LIMIT ?",
                           (entities,)).fetchall()
        article = conn.execute("SELECT id FROM articles ORDER BY rowid DESC LIMIT 1").fetchone()[0]
    finally:
        conn.close()
    found = []
    for ident, articles in top:
        for suffix in ("", ".json"):
            elapsed, status, _ = fetch(f"{base}/archive/-/entity/{ident}{suffix}")
            found.append((f"entity page {ident}{suffix} ({articles} articles)", status, elapsed))
    elapsed, status, _ = fetch(f"{base}/archive/-/article/{urllib.parse.quote(article, safe='')}")
    found.append(("article page", status, elapsed))
    q = urllib.parse.quote(word)
    for label, path in ((f"articles.json, page {DEEP_PAGE} by next links (slowest page)", "/archive/articles.json"),
                        (f"articles.json?_search={word}, page {DEEP_PAGE} by next links (slowest page)",
                         f"/archive/articles.json?_search={q}")):
        status, slowest, reached = follow(base, path, DEEP_PAGE)
        found.append((label + ("" if reached == DEEP_PAGE else f": stopped at page {reached}"), status, slowest))
    for path in (f"/archive/-/search.json?q={q}&page={DEEP_PAGE}", f"/archive/-/search.json?page={DEEP_PAGE}",
                 f"/archive/-/search?q={q}&page={DEEP_PAGE}"):
        elapsed, status, document = fetch(base + path)
        shown = len((document or {}).get("results") or []) if document else None
        found.append((urllib.parse.unquote(path) + (f" ({shown} results)" if shown is not None else ""), status,
                      elapsed))
    return found


def _link(kept: Path, served: Path) -> None:
    """Serve the kept archive under the name archive.db (a hard link: Datasette names a symlinked file after its
    target); a copy where the two folders are on different file systems."""
    import shutil

    try:
        os.link(kept, served)
    except OSError:
        shutil.copyfile(kept, served)


def percentile(values: list[float], share: float) -> float:
    ordered = sorted(values)
    index = min(len(ordered) - 1, max(0, round(share * (len(ordered) - 1))))
    return ordered[index]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--source-db", type=Path, default=None, help="a real archive to grow (skips the build)")
    parser.add_argument("--input", default=str(DEFAULT_INPUT), help="articles to build the real archive from")
    parser.add_argument("--ner", default=None, help="tagger for that build (default: 'default' if built, else gazetteer)")
    parser.add_argument("--articles", type=int, default=100_000, help="size of the archive served")
    parser.add_argument("--queries", type=int, default=50)
    parser.add_argument("--rounds", type=int, default=3, help="measured requests per query and endpoint")
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--show", action="store_true", help="print the queries")
    parser.add_argument("--big", type=Path, default=None, help="keep the big archive here (reused when present)")
    parser.add_argument("--entities", type=int, default=10, help="entity pages of the most mentioned entities")
    args = parser.parse_args()
    command = ".venv/bin/python bench/search_latency.py " + " ".join(shlex.quote(a) for a in sys.argv[1:])

    if args.source_db is None and not Path(args.input).exists():
        print(f"skipped: {args.input} is absent (the benchmark data lives in ../shared/data)")
        return 0
    if args.source_db is not None and not args.source_db.exists():
        print(f"no archive at {args.source_db}", file=sys.stderr)
        return 2

    with tempfile.TemporaryDirectory(prefix="arshif-bench-latency-") as tmp:
        folder = Path(tmp)
        source = args.source_db
        if source is None:
            ner = args.ner or ("default" if CRF_MODEL.exists() else "gazetteer")
            source = folder / "real.db"
            build = [sys.executable, "-m", "arshif.cli", "build", args.input, "--db", str(source), "--ner", ner]
            started = time.perf_counter()
            subprocess.run(build, cwd=ROOT, check=True, stdout=subprocess.DEVNULL)
            print(f"real archive built in {time.perf_counter() - started:.0f} s (--ner {ner})")
        big = folder / "archive.db"  # datasette names the database after the file: /archive/...
        started = time.perf_counter()
        if args.big is not None and args.big.exists():
            count = sqlite3.connect(str(args.big)).execute("SELECT count(*) FROM articles").fetchone()[0]
            _link(args.big, big)
            print(f"big archive: {count} articles, kept at {args.big}")
        else:
            count = make_big(source, args.big or big, args.articles)
            if args.big is not None:
                _link(args.big, big)
            print(f"big archive: {count} articles made from {source} in {time.perf_counter() - started:.0f} s"
                  f" ({big.stat().st_size / 2**20:.0f} MB)")
        queries = vocabulary_queries(source, args.queries, args.seed)
        copies = -(-args.articles // sqlite3.connect(str(source)).execute("SELECT count(*) FROM articles").fetchone()[0])
        if args.show:
            for band, word, docs in queries:
                print(f"  {band:<9} {word} ({docs} articles in the real archive)")

        # every request computed: the server's response caches would answer the measured rounds from the warm-up's
        os.environ["ARSHIF_LIMITS"] = json.dumps({"cache_bytes": 0})
        with background_server(big, startup_seconds=1200) as base:  # a big file's inspect file takes minutes
            times: dict[tuple[str, str], list[float]] = {}
            rows: dict[tuple[str, str], list[int]] = {}
            errors: dict[str, list[str]] = {name: [] for name in ENDPOINTS}
            facet_timeouts: dict[str, int] = {name: 0 for name in ENDPOINTS}
            facets_missing: dict[str, int] = {}
            failed: dict[tuple[str, str], int] = {}
            for round_number in range(args.rounds + 1):  # round 0 warms up and is not counted
                for band, word, _ in queries:
                    q = urllib.parse.quote(word)
                    for name, template in ENDPOINTS.items():
                        elapsed, status, document = fetch(base + template.format(q=q))
                        if round_number == 0:
                            continue
                        times.setdefault((name, band), []).append(elapsed)
                        if "HTML" in name and status == 200:
                            continue
                        if status != 200 or not document or document.get("ok") is False:
                            message = (document or {}).get("error") or f"HTTP {status}"
                            message = re.sub(r"<[^>]+>", "", message.split("\n")[0]).strip()[:100]
                            errors[name].append(f"{word}: {message}")
                            failed[(name, band)] = failed.get((name, band), 0) + 1
                            continue
                        if document.get("facets_timed_out"):
                            facet_timeouts[name] += 1
                        if "facet_results" in document:
                            facets = document["facet_results"]
                            cut = set(document.get("facets_timed_out") or [])
                            missing = [f for f in TABLE_FACETS if f not in facets and f not in cut]
                            if missing:
                                facets_missing[name] = facets_missing.get(name, 0) + 1
                                errors[name].append(f"{word}: facets missing without a word: {missing}")
                        if document.get("messages"):
                            facet_timeouts[name] += 1
                        found = document.get("filtered_table_rows_count", document.get("total"))
                        if found is None:
                            found = len(document.get("rows", []))
                        rows.setdefault((name, band), []).append(found)
            frequent = next((word for band, word, _ in queries if band == "frequent"), queries[0][1])
            once = once_each(base, big, frequent, args.entities)

        print(f"\n{len(queries)} queries x {args.rounds} rounds per endpoint, sequential, after one warm-up round;"
              f" {count} articles; load average {os.getloadavg()[0]:.2f} at the end")
        print(f"{'endpoint':<32}{'band':<10}{'n':>5}{'p50 ms':>9}{'p95 ms':>9}{'mean ms':>9}{'max ms':>9}{'rows/count':>12}{'errors':>8}")
        for name in ENDPOINTS:
            for band in ("all", "frequent", "mid", "rare"):
                if band == "all":
                    values = [t for (n, _), ts in times.items() if n == name for t in ts]
                    found = [r for (n, _), rs in rows.items() if n == name for r in rs]
                else:
                    values = times.get((name, band), [])
                    found = rows.get((name, band), [])
                bad = sum(v for (n, b), v in failed.items() if n == name and band in ("all", b))
                if not values:
                    continue
                print(
                    f"{name if band == 'all' else '':<32}{band:<10}{len(values):>5}"
                    f"{1000 * percentile(values, 0.5):>9.0f}{1000 * percentile(values, 0.95):>9.0f}"
                    f"{1000 * statistics.fmean(values):>9.0f}{1000 * max(values):>9.0f}"
                    f"{statistics.fmean(found) if found else float('nan'):>12.0f}{bad:>8}"
                )
        for name in ENDPOINTS:
            missing = f", {facets_missing[name]} with a facet missing unmarked" if name in facets_missing else ""
            print(f"{name}: {len(errors[name])} errors, {facet_timeouts[name]} responses with a facet timed out"
                  f"{missing}")
            for message in sorted(set(errors[name]))[:10]:
                print(f"  {message}")
            if len(set(errors[name])) > 10:
                print(f"  ... and {len(set(errors[name])) - 10} more")
        print("times include failed requests (Datasette stops a query at its sql_time_limit_ms, 1000 ms by default);"
              " rows/count over successful ones")
        print("rows/count = mean rows returned (search.json, at most 100) or filtered count (articles.json);"
              f" each real article appears {copies} times in the big archive")
        print(f"\nonce each (status, ms):")
        for label, status, elapsed in once:
            print(f"  {label:<70}{status:>6}{elapsed * 1000:>9.0f}")
        size = big.stat().st_size
        print(f"file: {size / 2**20:.0f} MB for {count} articles: {size / count / 1024:.1f} KB per article")
        print(f"command: {command.strip()}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
