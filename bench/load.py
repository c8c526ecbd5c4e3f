"""Load on loopback, bounded in count and time: many readers, and a hostile burst, against ``arshif serve`` as
it is now and as another checkout served it (today's figures, measured in the same run).

    nice .venv/bin/python bench/load.py ARCHIVE.db [--baseline /path/to/checkout] [--clients 50] [--seconds 60]
        [--heavy 20] [--normal 5] [--burst-seconds 30] [--max-requests 20000]

Scenarios, each run against every server in turn, each scenario on a freshly started server (one server at a time,
stopped before the next starts) whose readers draw their own sequence of requests (their own seed), so that no
scenario is answered from a response cache that an earlier one filled. The words come from a seeded draw of 300
title words, so over a minute most requests repeat an earlier one, as the popular searches of a site do:
``--uncached`` measures the same server again without its response caches.

* **mix**: ``--clients`` readers for ``--seconds``: ranked search 50 % (the canned query ``search``), table search
  with facets 30 % (``articles.json?_search=W&_facet=source_id&_facet=month&_facet_entity=PER&_facet_entity=LOC``)
  and entity or article pages 20 % (HTML, the most mentioned entities included).
* **normal alone**: ``--normal`` readers on the same mix for ``--burst-seconds`` (what they get on a quiet server).
* **hostile burst**: ``--normal`` readers on the same mix while ``--heavy`` clients send expensive requests: ``_size=max``,
  the HTML page of a search that matches almost everything, a CSV stream, 2,000 characters of noise, the prefix
  ``ا*``, ``?sql=`` with a recursive CTE and ``arshif_highlight`` over a million words.

Every client has a loopback address of its own (127.0.x.y), as readers behind a front server would. Requests
are HTTP/1.1 with ``Connection: close`` over asyncio streams (a light client, so the server gets the cores);
each has a 30 s limit, and the whole run stops after ``--max-requests`` requests per scenario. Prints one table
per scenario: requests/s, p50, p95 and max of the full response time, and the statuses, per server and kind.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import os
import random
import re
import shutil
import sqlite3
import statistics
import subprocess
import sys
import tempfile
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import quote, unquote

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from arshif.serving import background_server, free_port  # noqa: E402

REQUEST_TIMEOUT = 30.0
WORD = re.compile(r"[\u0621-\u064a]{4,}")


@dataclass
class Server:
    """How to start one version of the server on a port."""

    name: str
    checkout: Path
    command: list[str]
    #: path templates of entity and article pages
    entity: str
    article: str
    #: environment variables of the server process
    env: dict = field(default_factory=dict)


@dataclass
class Result:
    kind: str
    status: int
    seconds: float
    cached: bool = False
    path: str = ""


@dataclass
class Tally:
    results: list[Result] = field(default_factory=list)
    started: float = 0.0
    ended: float = 0.0


def draw_inputs(db: Path, seed: int = 11) -> dict:
    """Words, entity ids and article ids of the archive for the requests (seeded draw)."""
    rnd = random.Random(seed)
    conn = sqlite3.connect(f"{db.resolve().as_uri()}?mode=ro&immutable=1", uri=True)
    try:
        rowids = [row[0] for row in conn.execute("select rowid from articles")]
        titles = [row[0] or "" for row in conn.execute(
            "select title from articles where rowid in (%s)" % ",".join(map(str, rnd.sample(rowids, 800))))]
        words = sorted({w for t in titles for w in WORD.findall(t)})
        rnd.shuffle(words)
        top = [row[0] for row in conn.execute("select id from entities order by article_count desc limit 100")]
        articles = [row[0] for row in conn.execute(
            "select id from articles where rowid in (%s)" % ",".join(map(str, rnd.sample(rowids, 400))))]
    finally:
        conn.close()
    return {"words": words[:300] or ["سوريا"], "entities": top, "articles": articles}


def mix_request(rnd: random.Random, inputs: dict, server: Server) -> tuple[str, str]:
    """(kind, path) of one reader's request."""
    roll = rnd.random()
    word = quote(rnd.choice(inputs["words"]))
    if roll < 0.5:
        return "ranked search", f"/archive/search.json?q={word}&_shape=array"
    if roll < 0.8:
        return "table search + facets", (f"/archive/articles.json?_search={word}&_facet=source_id&_facet=month"
                                         "&_facet_entity=PER&_facet_entity=LOC&_size=20")
    if rnd.random() < 0.5:
        # the most mentioned entities come up often, as they do on a site
        ident = inputs["entities"][min(int(rnd.expovariate(0.15)), len(inputs["entities"]) - 1)]
        return "entity page", server.entity.format(id=ident)
    return "article page", server.article.format(id=quote(str(rnd.choice(inputs["articles"])), safe=""))


NOISE = "".join(chr(0x0621 + (i * 7) % 40) + ("*" if i % 11 == 0 else "") + (" " if i % 5 == 0 else "")
                + ('"' if i % 13 == 0 else "") for i in range(2000))[:2000]
HEAVY = [
    ("_size=max", "/archive/articles.json?_size=max"),
    ("match-all HTML", "/archive/articles?_search=" + quote("في")),
    ("CSV stream", "/archive/articles.csv?_search=" + quote("السعودية") + "&_stream=on&_size=max"),
    ("noise", "/archive/articles.json?_search=" + quote(NOISE)),
    ("prefix ا*", "/archive/articles.json?_search=" + quote("ا*") + "&_facet_entity=PER"),
    ("sql recursive CTE", "/archive.json?sql=" + quote(
        "with recursive c(x) as (select 1 union all select x + 1 from c) select count(*) from c")),
    ("sql highlight 1M words", "/archive.json?sql=" + quote(
        "select length(arshif_highlight((select group_concat(body, ' ') from (select body from articles limit 1500)),"
        " 'سوريا')) as n")),
]


async def fetch(port: int, path: str, local: str) -> tuple[int, bool]:
    """The status of a GET of ``path`` (its whole body read and dropped; 0 when the connection fails), and
    whether the server answered from its response cache."""
    try:
        reader, writer = await asyncio.open_connection("127.0.0.1", port, local_addr=(local, 0))
    except OSError:
        return 0, False
    try:
        writer.write(f"GET {path} HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n".encode())
        await writer.drain()
        line = await reader.readline()
        status = int(line.split()[1]) if line.startswith(b"HTTP/") else 0
        cached = False
        while True:
            header = await reader.readline()
            if header in (b"\r\n", b""):
                break
            cached = cached or header.lower().startswith(b"x-arshif-cache: hit")
        while await reader.read(262144):
            pass
        return status, cached
    except (OSError, ValueError, IndexError):
        return 0, False
    finally:
        writer.close()


async def client(port: int, local: str, pick, tally: Tally, deadline: float, budget: list[int]) -> None:
    while time.monotonic() < deadline and budget[0] > 0:
        budget[0] -= 1
        kind, path = pick()
        started = time.monotonic()
        cached = False
        try:
            status, cached = await asyncio.wait_for(fetch(port, path, local), REQUEST_TIMEOUT)
        except asyncio.TimeoutError:
            status = -1  # no answer within the client's limit
        tally.results.append(Result(kind, status, time.monotonic() - started, cached, path))
        if status in (429, 503):
            await asyncio.sleep(0.2)  # a refused client backs off a little, as Retry-After asks


async def scenario(port: int, groups: list[tuple[str, int, object]], seconds: float,
                   max_requests: int) -> dict[str, Tally]:
    """Run each group (name, clients, picker) at once for ``seconds``; a tally per group."""
    deadline = time.monotonic() + seconds
    budget = [max_requests]
    tallies = {name: Tally(started=time.monotonic()) for name, _, _ in groups}
    tasks = []
    for group_index, (name, count, pick) in enumerate(groups):
        for index in range(count):
            local = f"127.0.{group_index + 1}.{index + 1}"
            tasks.append(client(port, local, pick, tallies[name], deadline, budget))
    await asyncio.gather(*tasks)
    for tally in tallies.values():
        tally.ended = time.monotonic()
    return tallies


def percentile(values: list[float], share: float) -> float:
    if not values:
        return float("nan")
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, int(share * len(ordered)))]


def row(label: str, results: list[Result], seconds: float) -> str:
    ok = [r.seconds for r in results if r.status == 200]
    statuses = Counter(r.status if r.status > 0 else ("timeout" if r.status < 0 else "conn") for r in results)
    status_text = " ".join(f"{k}×{v}" for k, v in sorted(statuses.items(), key=lambda kv: str(kv[0])))
    cached = sum(r.cached for r in results)
    return (f"| {label} | {len(results)} | {len(ok) / seconds:.1f} | {percentile(ok, 0.5) * 1000:.0f} |"
            f" {percentile(ok, 0.95) * 1000:.0f} | {max(ok, default=float('nan')) * 1000:.0f} | {status_text} |"
            f" {100 * cached / max(len(results), 1):.0f} % |")


HEADER = ("| server · kind | requests | ok/s | p50 ms | p95 ms | max ms | statuses | from cache |\n"
          "|---|---|---|---|---|---|---|---|")


def report(title: str, measured: dict[str, dict[str, Tally]], group: str, slowest: int = 0) -> str:
    lines = [f"\n### {title}\n", HEADER]
    for server, tallies in measured.items():
        tally = tallies[group]
        seconds = max(tally.ended - tally.started, 1e-9)
        lines.append(row(f"**{server}** all", tally.results, seconds))
        by_kind: dict[str, list[Result]] = defaultdict(list)
        for result in tally.results:
            by_kind[result.kind].append(result)
        for kind in sorted(by_kind):
            lines.append(row(f"{server} · {kind}", by_kind[kind], seconds))
    if slowest:
        for server, tallies in measured.items():
            lines.append(f"\nslowest of {server}:")
            for result in sorted(tallies[group].results, key=lambda r: -r.seconds)[:slowest]:
                lines.append(f"  {result.seconds * 1000:7.0f} ms {result.status} {unquote(result.path)[:140]}")
    return "\n".join(lines)


def warm(port: int, inputs: dict, server: Server) -> None:
    rnd = random.Random(3)

    async def run():
        for _ in range(30):
            _, path = mix_request(rnd, inputs, server)
            await asyncio.wait_for(fetch(port, path, "127.0.0.1"), REQUEST_TIMEOUT)  # also fills the cache a little

    asyncio.run(run())


def mix_picker(seed: int, inputs: dict, server: Server):
    """A reader's sequence of mix requests, drawn with its own seed."""
    rnd = random.Random(seed)
    return lambda: mix_request(rnd, inputs, server)


@contextlib.contextmanager
def serving(server: Server, inputs: dict):
    """A freshly started ``server`` (its port), warmed with a few requests, stopped at the end."""
    port = free_port()
    command = [part.replace("{port}", str(port)) for part in server.command]
    print(f"starting {server.name}: {' '.join(command)}", flush=True)
    saved = {name: os.environ.get(name) for name in server.env}
    os.environ.update(server.env)
    try:
        with background_server(None, command=command, port=port, cwd=server.checkout, startup_seconds=300):
            warm(port, inputs, server)
            yield port
    finally:
        for name, value in saved.items():
            if value is None:
                os.environ.pop(name, None)
            else:
                os.environ[name] = value


def servers(archive: Path, baseline: Path | None, workers: int | None,
            uncached: bool = False, settings: list[list[str]] | None = None) -> list[tuple[Server, Path]]:
    python = sys.executable
    found = []
    if baseline:
        # the checkout's own `arshif serve` command line, run directly (its `arshif serve` would leave its child
        # server running when stopped)
        import json

        listed = subprocess.run([python, "-c", "import json, sys; from arshif.cli import serve_command;"
                                 " print(json.dumps(serve_command(sys.argv[1], 1)))", str(archive)],
                                cwd=baseline, capture_output=True, text=True, check=True).stdout
        command = json.loads(listed)
        command[command.index("--port") + 1] = "{port}"
        found.append(Server(f"baseline {git_head(baseline)}", baseline, command, "/-/entity/{id}", "/-/article/{id}"))
    found.append(Server(f"now {git_head(ROOT)}", ROOT,
                        [python, "-m", "arshif.serve_workers", str(archive), "--port", "{port}",
                         *(["--workers", str(workers)] if workers else []),
                         *[part for name, value in settings or [] for part in ("--setting", name, value)]],
                        "/archive/-/entity/{id}", "/archive/-/article/{id}"))
    if uncached:
        now = found[-1]
        found.append(Server(now.name + " without its response cache", ROOT, now.command, now.entity, now.article,
                            {"ARSHIF_LIMITS": '{"cache_bytes": 0}'}))
    return [(server, archive) for server in found]


def git_head(folder: Path) -> str:
    try:
        return subprocess.run(["git", "-C", str(folder), "rev-parse", "--short", "HEAD"], capture_output=True,
                              text=True, check=True).stdout.strip()
    except (OSError, subprocess.CalledProcessError):
        return folder.name


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("archive", type=Path, help="the archive to serve (e.g. made by bench/big_archive.py)")
    parser.add_argument("--baseline", type=Path, help="another checkout to measure in the same run")
    parser.add_argument("--clients", type=int, default=50)
    parser.add_argument("--seconds", type=float, default=60)
    parser.add_argument("--heavy", type=int, default=20)
    parser.add_argument("--normal", type=int, default=5)
    parser.add_argument("--burst-seconds", type=float, default=30)
    parser.add_argument("--max-requests", type=int, default=20000, help="per scenario, all clients together")
    parser.add_argument("--workers", type=int, default=None, help="workers of the current server (default: cores)")
    parser.add_argument("--setting", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                        help="a Datasette setting of the current server (repeatable)")
    parser.add_argument("--slowest", type=int, default=0, help="list this many slowest requests of each run")
    parser.add_argument("--only", choices=("mix", "hostile"), default=None)
    parser.add_argument("--uncached", action="store_true",
                        help="measure the current server a second time without its response cache")
    args = parser.parse_args()
    args.clients, args.heavy, args.normal = min(args.clients, 200), min(args.heavy, 100), min(args.normal, 100)
    args.seconds, args.burst_seconds = min(args.seconds, 300), min(args.burst_seconds, 300)
    folder = Path(tempfile.mkdtemp(prefix="arshif-load-"))
    archive = folder / "archive.db"  # the name the URLs use
    try:
        archive.symlink_to(args.archive.resolve())
        inputs = draw_inputs(archive)
        mix: dict[str, dict[str, Tally]] = {}
        quiet: dict[str, dict[str, Tally]] = {}
        burst: dict[str, dict[str, Tally]] = {}
        for server, db in servers(archive, args.baseline, args.workers, args.uncached, args.setting):
            # each scenario on a freshly started server (empty caches), its readers drawing their own sequence of
            # requests (another seed): no scenario is answered from what an earlier one left in a cache
            if args.only in (None, "mix"):
                with serving(server, inputs) as port:
                    pick = mix_picker(7, inputs, server)
                    mix[server.name] = asyncio.run(scenario(port, [("mix", args.clients, pick)], args.seconds,
                                                            args.max_requests))
                print(report(f"mix: {args.clients} clients × {args.seconds:.0f} s", {server.name: mix[server.name]},
                             "mix", slowest=args.slowest), flush=True)
            if args.only in (None, "hostile"):
                with serving(server, inputs) as port:
                    pick = mix_picker(8, inputs, server)
                    quiet[server.name] = asyncio.run(scenario(port, [("normal", args.normal, pick)],
                                                              args.burst_seconds, args.max_requests))
                with serving(server, inputs) as port:
                    pick = mix_picker(9, inputs, server)
                    hrnd = random.Random(5)
                    heavy = lambda hrnd=hrnd: hrnd.choice(HEAVY)  # noqa: E731
                    burst[server.name] = asyncio.run(scenario(
                        port, [("normal", args.normal, pick), ("heavy", args.heavy, heavy)], args.burst_seconds,
                        args.max_requests))
                print(report("hostile burst (normal clients)", {server.name: burst[server.name]}, "normal",
                             slowest=args.slowest), flush=True)
        print("\n## Results (same run, same archive, same machine)")
        print(f"archive: {args.archive} ({args.archive.stat().st_size / 1e6:.0f} MB)")
        if mix:
            print(report(f"mix: {args.clients} clients × {args.seconds:.0f} s "
                         "(ranked search 50 %, table search + facets 30 %, entity/article pages 20 %)", mix, "mix"))
        if burst:
            print(report(f"{args.normal} normal clients alone, {args.burst_seconds:.0f} s", quiet, "normal"))
            print(report(f"{args.normal} normal clients (the same mix) during a burst of {args.heavy} heavy clients,"
                         f" {args.burst_seconds:.0f} s", burst, "normal"))
            print(report(f"the {args.heavy} heavy clients", burst, "heavy"))
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    return 0


if __name__ == "__main__":
    sys.exit(main())
