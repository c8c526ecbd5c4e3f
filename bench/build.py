"""Measure the build: articles, seconds, articles per second and peak memory of ``arshif build``.

    .venv/bin/python bench/build.py [INPUT ...] [--jobs 1 2] [--ner NER ...] [--rebuild] [--big 10000 100000]
    .venv/bin/python bench/build.py INPUT --compare ../base85 --ner none gazetteer default --jobs 1 2 --dask 2
    .venv/bin/python bench/build.py INPUT --compare ../base85 --ner crf default --base-ner crf=default --jobs 2

``--compare DIR`` prints the issue's table: every ``--ner`` × ``--jobs`` build of another checkout (a worktree
at DIR, e.g. ``git worktree add ../base85 85630b5``) and of this one, side by side in one run, each round
alternating the two, against a bare load of the same input in the same round (read the JSON, insert title
and body with sqlite-utils, build FTS5 unicode61 on the raw text), with peak memory. ``--dask N`` adds this
checkout's build on a local Dask cluster of N one-thread workers (``--scheduler``; a scheduler and a worker
process of its own, whose memory is counted with the build's). ``--rounds R`` repeats it all and reports
the median (and minimum) of the rounds. ``--base-ner crf=default`` builds the other checkout's ``--ner default``
where this one builds ``--ner crf``: base85's default was the CRF alone, this checkout's is an ensemble.

Each build runs as its own subprocess (``python -m arshif.cli build ... --full``) into a fresh temporary
folder, so the figures are those of the command a user runs. Memory is sampled from /proc every 0.1 s over
the build's whole process tree (the build and its worker processes): the peak of the summed RSS, the peak
of the summed PSS (shared pages counted once: forked workers share the parent's pages), and the largest
single process's own peak (VmHWM). CPU seconds (user + system, workers included) come from
``getrusage(RUSAGE_CHILDREN)``; on a shared machine they are steadier than wall-clock seconds.

Options:

* ``--jobs 1 2``: one build per value, all in this run; every build's output is compared with the first
  one's (same article ids, same entities with the same counts, same mentions).
* ``--rebuild``: after the first full build, run the same command again without ``--full`` (nothing
  changed, so every file is skipped as unchanged) and report its time as a share of the full build's.
* ``--big N [N ...]``: also build from N articles made from the real ones: copy k of an article gets a new
  url (so a new id) and its copy number appended as a last line of the body (otherwise the build would
  store it once, as a duplicate of the original: duplicates are found by normalized text). The articles are
  written as JSON Lines files of ``--big-file-size`` articles each. Comparing peak memory at 10,000 and
  100,000 articles shows whether memory stays flat as the archive grows. ``--live`` prints each big build's
  progress lines as they come (every 10 s), with the summed RSS of the moment and the peak so far, so that a
  build of a million articles shows its rate and memory before it ends.

Every figure is printed with the exact command that reproduces it. Skips with a message when the default
data (../shared/data/news/saudinewsnet) is absent. Temporary files are removed at the end.
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import shlex
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

DATA = ROOT.parent / "shared" / "data"
DEFAULT_INPUT = DATA / "news" / "saudinewsnet"
CRF_MODEL = ROOT / "arshif" / "entities" / "data" / "ner.crfsuite"


# --- memory of a process tree, sampled from /proc ----------------------------------------------------------

def _children(pid: int) -> list[int]:
    found = []
    try:
        for task in os.listdir(f"/proc/{pid}/task"):
            with open(f"/proc/{pid}/task/{task}/children") as handle:
                found.extend(int(child) for child in handle.read().split())
    except OSError:
        pass
    return found


def _tree(pid: int) -> list[int]:
    out, todo = [], [pid]
    while todo:
        current = todo.pop()
        out.append(current)
        todo.extend(_children(current))
    return out


def tree_cpu_seconds(roots: tuple[int, ...]) -> float:
    """User + system CPU seconds of the live processes of these trees so far (from /proc): for processes that
    are not this one's reaped children (a Dask cluster's), which ``getrusage(RUSAGE_CHILDREN)`` does not count."""
    ticks = 0
    for pid in (pid for root in roots for pid in _tree(root)):
        try:
            with open(f"/proc/{pid}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            ticks += int(fields[11]) + int(fields[12])
        except (OSError, IndexError, ValueError):
            pass
    return ticks / os.sysconf("SC_CLK_TCK")


def _status_kb(pid: int, fields: tuple[str, ...]) -> dict[str, int]:
    values: dict[str, int] = {}
    try:
        with open(f"/proc/{pid}/status") as handle:
            for line in handle:
                name, _, rest = line.partition(":")
                if name in fields:
                    values[name] = int(rest.split()[0])
    except (OSError, ValueError, IndexError):
        pass
    return values


def _pss_kb(pid: int) -> int:
    try:
        with open(f"/proc/{pid}/smaps_rollup") as handle:
            for line in handle:
                if line.startswith("Pss:"):
                    return int(line.split()[1])
    except (OSError, ValueError, IndexError):
        pass
    return 0


class TreeMemory(threading.Thread):
    """Samples process trees until stopped: peak summed RSS and PSS, peak of any single process (VmHWM)."""

    def __init__(self, pid: int, interval: float = 0.1, others: tuple[int, ...] = ()) -> None:
        super().__init__(daemon=True)
        self.pid = pid
        self.others = others
        self.interval = interval
        self.peak_rss_kb = 0
        self.rss_kb = 0  # the latest sample's summed RSS
        self.peak_pss_kb = 0
        self.peak_single_kb = 0
        self.max_processes = 0
        self._halt = threading.Event()

    def run(self) -> None:
        while not self._halt.is_set():
            pids = [pid for root in (self.pid, *self.others) for pid in _tree(root)]
            rss = 0
            pss = 0
            for pid in pids:
                status = _status_kb(pid, ("VmRSS", "VmHWM"))
                rss += status.get("VmRSS", 0)
                self.peak_single_kb = max(self.peak_single_kb, status.get("VmHWM", 0))
                pss += _pss_kb(pid)
            self.rss_kb = rss
            self.peak_rss_kb = max(self.peak_rss_kb, rss)
            self.peak_pss_kb = max(self.peak_pss_kb, pss)
            self.max_processes = max(self.max_processes, len(pids))
            self._halt.wait(self.interval)

    def stop(self) -> None:
        self._halt.set()
        self.join()


# --- one measured build -------------------------------------------------------------------------------------

def build_command(inputs: list[str], db: Path, ner: str, jobs: int, full: bool = True,
                  scheduler: str | None = None) -> list[str]:
    command = [sys.executable, "-m", "arshif.cli", "build", *inputs, "--db", str(db), "--ner", ner, "--jobs", str(jobs)]
    return command + (["--full"] if full else []) + (["--scheduler", scheduler] if scheduler else [])


def shown(command: list[str]) -> str:
    """The command as a user types it from the project root."""
    parts = list(command)
    if parts[:3] == [sys.executable, "-m", "arshif.cli"]:
        parts = [".venv/bin/arshif", *parts[3:]]
    return " ".join(shlex.quote(part) for part in parts)


def _echo(stream, sampler: "TreeMemory", started: float, kept: list[str]) -> None:
    """Print the build's progress lines as they come, each with the memory of the moment."""
    for line in stream:
        kept.append(line)
        print(f"    {time.strftime('%H:%M:%S')} +{time.perf_counter() - started:.0f} s {line.rstrip()}"
              f" | RSS now {sampler.rss_kb / 1024:.0f} MB, peak {sampler.peak_rss_kb / 1024:.0f} MB", flush=True)


def measure(command: list[str], cwd: Path = ROOT, others: tuple[int, ...] = (), live: bool = False) -> dict:
    """Run one build (from ``cwd``: ``-m arshif.cli`` imports the checkout there); wall seconds, CPU seconds,
    memory (of the build's process tree and of the ``others`` trees, e.g. Dask workers), and its own report.
    ``live``: print the build's progress lines (every 10 s) as they come, with the memory of the moment."""
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    others_before = tree_cpu_seconds(others) if others else 0.0
    started = time.perf_counter()
    process = subprocess.Popen(command, cwd=cwd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    sampler = TreeMemory(process.pid, others=others)
    sampler.start()
    if live:
        kept: list[str] = []
        echo = threading.Thread(target=_echo, args=(process.stderr, sampler, started, kept), daemon=True)
        echo.start()
        out = process.stdout.read()
        process.wait()
        echo.join()
        err = "".join(kept)
    else:
        out, err = process.communicate()
    wall = time.perf_counter() - started
    sampler.stop()
    after = resource.getrusage(resource.RUSAGE_CHILDREN)
    if process.returncode != 0:
        raise SystemExit(f"build failed ({process.returncode}): {shown(command)}\n{err[-3000:]}")
    build_seconds = None
    for line in out.splitlines():
        if line.endswith(" seconds") and line.split()[0].replace(".", "", 1).isdigit():
            build_seconds = float(line.split()[0])
    return {
        "wall": wall,
        "build_seconds": build_seconds,  # the build's own timer: no interpreter start-up or imports
        # the build's process tree, and the work of the ``others`` (a Dask cluster's processes) meanwhile
        "cpu": (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
        + ((tree_cpu_seconds(others) - others_before) if others else 0.0),
        "peak_rss_mb": sampler.peak_rss_kb / 1024,
        "peak_pss_mb": sampler.peak_pss_kb / 1024,
        "peak_single_mb": sampler.peak_single_kb / 1024,
        "processes": sampler.max_processes,
        "summary": out.splitlines()[1] if len(out.splitlines()) > 1 else out,
    }


def archive_facts(db: Path) -> dict:
    conn = sqlite3.connect(str(db))
    try:
        return {
            "articles": conn.execute("SELECT count(*) FROM articles").fetchone()[0],
            "ids": {row[0] for row in conn.execute("SELECT id FROM articles")},
            "entities": {
                tuple(row)
                for row in conn.execute(
                    "SELECT key, name, type, article_count, mention_count, demonym_count, alias_count FROM entities"
                )
            },
            "mentions": conn.execute(
                "SELECT count(*), total(start), total(entity_id % 1000003) FROM mentions"
            ).fetchone(),
        }
    finally:
        conn.close()


def compare(first: dict, other: dict) -> list[str]:
    """Differences between two archives' outputs (empty when the same)."""
    problems = []
    if first["ids"] != other["ids"]:
        problems.append(
            f"article ids differ: {len(first['ids'] - other['ids'])} only in the first,"
            f" {len(other['ids'] - first['ids'])} only in the other"
        )
    if first["entities"] != other["entities"]:
        problems.append(
            f"entities differ: {len(first['entities'] - other['entities'])} rows only in the first,"
            f" {len(other['entities'] - first['entities'])} only in the other"
        )
    if first["mentions"] != other["mentions"]:
        problems.append(f"mentions differ: {first['mentions']} vs {other['mentions']}")
    return problems


def bench_command(*extra: str) -> str:
    """This benchmark's command line, as typed from the project root."""
    return " ".join(shlex.quote(part) for part in [".venv/bin/python", "bench/build.py", *extra])


def report(label: str, articles: int, result: dict, command: list[str], again: str = "") -> None:
    seconds = result["build_seconds"] or result["wall"]
    print(f"\n{label}")
    print(f"  articles            {articles}")
    print(f"  seconds             {seconds:.1f} (build's own timer; wall incl. start-up {result['wall']:.1f})")
    print(f"  articles per second {articles / seconds:.1f}")
    print(f"  CPU seconds         {result['cpu']:.1f} (user+system, workers included)")
    print(
        f"  peak memory         {result['peak_rss_mb']:.0f} MB RSS summed over {result['processes']} process(es),"
        f" {result['peak_pss_mb']:.0f} MB PSS, largest single process {result['peak_single_mb']:.0f} MB"
    )
    print(f"  build said          {result['summary']}")
    print(f"  command             {shown(command)}")
    if again:
        print(f"  reproduce           {again}")


# --- articles made from real ones, for --big --------------------------------------------------------------

def real_articles(inputs: list[str]) -> list[dict]:
    from arshif.model import Skipped
    from arshif.readers import discover, read_path

    found = []
    for path in discover(inputs):
        for record in read_path(path):
            if isinstance(record, Skipped):
                continue
            found.append(
                {
                    "title": None if record.title_derived else record.title,
                    "content": record.body,
                    "url": record.url,
                    "source": record.source,
                    "category": record.category,
                    "author": record.author,
                    "published": record.published_raw or record.published,
                }
            )
    return found


def write_big(articles: list[dict], count: int, folder: Path, per_file: int) -> int:
    """``count`` articles as JSON Lines files of ``per_file`` each; returns the number of files."""
    folder.mkdir(parents=True, exist_ok=True)
    files = 0
    handle = None
    for n in range(count):
        if n % per_file == 0:
            if handle:
                handle.close()
            handle = open(folder / f"big-{files:04d}.jsonl", "w", encoding="utf-8")
            files += 1
        original = articles[n % len(articles)]
        copy = n // len(articles)
        item = {key: value for key, value in original.items() if value is not None}
        base = original["url"] or f"https://bench.invalid/{n % len(articles)}"
        item["url"] = f"{base}#copy-{copy}" if copy else base
        if copy:
            item["content"] = f"{original['content']}\n{copy}"
        handle.write(json.dumps(item, ensure_ascii=False) + "\n")
    if handle:
        handle.close()
    return files


# --- the side-by-side table (--compare) ----------------------------------------------------------------------

BARE_LOAD = r"""
import json, sys, time, zipfile
from pathlib import Path
import sqlite_utils
started = time.perf_counter()
rows = []
for item in sys.argv[2:]:
    paths = sorted(Path(item).rglob("*")) if Path(item).is_dir() else [Path(item)]
    for path in paths:
        if path.suffix == ".zip":
            with zipfile.ZipFile(path) as archive:
                blobs = [archive.read(name) for name in archive.namelist() if name.endswith(".json")]
        elif path.suffix == ".json":
            blobs = [path.read_bytes()]
        else:
            continue
        for blob in blobs:
            for record in json.loads(blob):
                body = record.get("content") or record.get("body") or record.get("text")
                if body:
                    rows.append({"title": record.get("title"), "body": body})
db = sqlite_utils.Database(sys.argv[1])
db["articles"].insert_all(rows)
db["articles"].enable_fts(["title", "body"], tokenize="unicode61")
db.conn.commit()
print(len(rows), "articles")
print(f"{time.perf_counter() - started:.3f} seconds")
"""


def bare_load(inputs: list[str], db: Path) -> dict:
    """The bare load of the same input: JSON read, title and body inserted, FTS5 unicode61 on the raw text."""
    db.unlink(missing_ok=True)
    result = measure([sys.executable, "-c", BARE_LOAD, str(db), *inputs])
    result["articles"] = sqlite3.connect(str(db)).execute("SELECT count(*) FROM articles").fetchone()[0]
    db.unlink(missing_ok=True)
    return result


class LocalDask:
    """A Dask scheduler and one ``dask worker`` process with ``workers`` one-thread workers, on 127.0.0.1."""

    def __init__(self, workers: int, port: int = 8786) -> None:
        self.address = f"tcp://127.0.0.1:{port}"
        bin_dir = Path(sys.executable).parent
        self.scheduler = subprocess.Popen(
            [str(bin_dir / "dask"), "scheduler", "--host", "127.0.0.1", "--port", str(port), "--no-dashboard"],
            stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.worker = subprocess.Popen(
            [str(bin_dir / "dask"), "worker", self.address, "--nworkers", str(workers), "--nthreads", "1",
             "--no-dashboard", "--memory-limit", "0"], cwd=ROOT, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
            # the workers import this checkout's arshif, as the builds do (``dask worker`` would import the
            # installed one: its sys.path starts at the script's folder, not at cwd)
            env={**os.environ, "PYTHONPATH": os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)})
        from dask.distributed import Client

        with Client(self.address, timeout="60s") as client:
            client.wait_for_workers(workers, timeout=120)

    @property
    def pids(self) -> tuple[int, ...]:
        return (self.scheduler.pid, self.worker.pid)

    def close(self) -> None:
        for process in (self.worker, self.scheduler):
            process.terminate()
            try:
                process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                process.kill()


def _median(values: list[float]) -> float:
    ordered = sorted(values)
    middle = len(ordered) // 2
    return ordered[middle] if len(ordered) % 2 else (ordered[middle - 1] + ordered[middle]) / 2


def compare_table(inputs: list[str], base: Path, ners: list[str], jobs_list: list[int], dask_workers: int,
                  rounds: int, folder: Path, reproduce: str, base_ner: dict[str, str] | None = None) -> None:
    """Every configuration of the other checkout and of this one, alternating, each round against a bare load.
    ``base_ner`` names the other checkout's choice where this one's differs (``{"crf": "default"}``: this
    checkout's ``--ner crf`` is what the other one built as ``--ner default``)."""
    base_ner = base_ner or {}
    configs = [(ner, jobs, None) for ner in ners for jobs in jobs_list]
    configs += [(ner, dask_workers, "dask") for ner in ners] if dask_workers else []
    runs: dict[tuple, list[dict]] = {}
    bare: list[dict] = []
    cluster = LocalDask(dask_workers) if dask_workers else None
    try:
        for round_ in range(rounds):
            bare.append(bare_load(inputs, folder / "bare.db"))
            print(f"round {round_ + 1}: bare load {bare[-1]['wall']:.2f} s, {bare[-1]['articles']} articles",
                  flush=True)
            for ner, jobs, engine in configs:
                for side, cwd in ((("base", base), ("this", ROOT)) if engine is None else (("this", ROOT),)):
                    db = folder / f"{side}-{ner}-{jobs}-{engine}.db"
                    chosen = base_ner.get(ner, ner) if side == "base" else ner
                    command = build_command(inputs, db, chosen, jobs, scheduler=cluster.address if engine else None)
                    result = measure(command, cwd=cwd, others=cluster.pids if engine else ())
                    result["facts"] = archive_facts(db)
                    runs.setdefault((side, ner, jobs, engine), []).append(result)
                    db.unlink(missing_ok=True)
                    print(f"  {side} --ner {chosen} --jobs {jobs}{' dask' if engine else ''}: {result['wall']:.1f} s",
                          flush=True)
    finally:
        if cluster:
            cluster.close()
    bare_wall = _median([b["wall"] for b in bare])
    articles = bare[0]["articles"]
    print(f"\nbare load: {articles} articles, {bare_wall:.2f} s, {articles / bare_wall:.0f} articles/s"
          f" (median of {rounds}; wall incl. interpreter start-up)")
    print(f"\n| `./build` | {base.name} articles/s | this articles/s | speed-up | × bare load ({base.name} / this)"
          f" | CPU s ({base.name} / this) | CPU speed-up | peak RSS ({base.name} / this) | peak PSS ({base.name} / this) |")
    print("|---|---|---|---|---|---|---|---|---|")
    for ner, jobs, engine in configs:
        this = runs[("this", ner, jobs, engine)]
        stored = this[0]["facts"]["articles"]
        t_wall = _median([r["wall"] for r in this])
        t_rss = max(r["peak_rss_mb"] for r in this)
        t_pss = max(r["peak_pss_mb"] for r in this)
        t_cpu = _median([r["cpu"] for r in this])
        if engine:
            label = f"`--ner {ner} --scheduler` ({jobs} local workers)"
            print(f"| {label} | | {stored / t_wall:.0f} | | – / {t_wall / bare_wall:.1f} | – / {t_cpu:.1f} | "
                  f"| – / {t_rss:.0f} MB | – / {t_pss:.0f} MB |")
            continue
        other = runs[("base", ner, jobs, engine)]
        b_wall = _median([r["wall"] for r in other])
        b_cpu = _median([r["cpu"] for r in other])
        label = f"`--ner {ner} --jobs {jobs}`" + (f" ({base.name}: `--ner {base_ner[ner]}`)" if ner in base_ner else "")
        print(f"| {label} | {stored / b_wall:.0f} | {stored / t_wall:.0f} | ×{b_wall / t_wall:.2f}"
              f" | {b_wall / bare_wall:.1f} / {t_wall / bare_wall:.1f} | {b_cpu:.1f} / {t_cpu:.1f} | ×{b_cpu / t_cpu:.2f}"
              f" | {max(r['peak_rss_mb'] for r in other):.0f} / {t_rss:.0f} MB"
              f" | {max(r['peak_pss_mb'] for r in other):.0f} / {t_pss:.0f} MB |")
    print(f"\narticles/s = stored articles / wall seconds of the whole command (interpreter start-up and model"
          f" loading included), median of {rounds} round(s); CPU s = user + system seconds of the build's processes"
          f" (and of the Dask cluster's meanwhile), steadier than wall time on a shared machine; peak memory summed"
          f" over the build's process tree (and the Dask scheduler's and workers')")
    for ner, jobs, engine in configs:
        facts = runs[("this", ner, jobs, engine)][0]["facts"]
        reference = runs.get(("this", ner, jobs_list[0], None), [{}])[0].get("facts")
        if reference is not None and (jobs, engine) != (jobs_list[0], None):
            problems = compare(reference, facts)
            print(f"output of --ner {ner} {'--scheduler' if engine else f'--jobs {jobs}'}:"
                  f" {'same as' if not problems else 'DIFFERENT from'} --jobs {jobs_list[0]}"
                  + ("" if not problems else ": " + "; ".join(problems)))
    print(f"reproduce: {reproduce}")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("inputs", nargs="*", help=f"files or folders of articles (default: {DEFAULT_INPUT})")
    parser.add_argument("--jobs", type=int, nargs="+", default=[1], help="worker counts to measure (e.g. 1 2)")
    parser.add_argument(
        "--ner", default=None, nargs="+",
        help="entity taggers (default: 'default' when the CRF model is built, else 'gazetteer'); several with --compare"
    )
    parser.add_argument("--compare", type=Path, default=None, metavar="DIR",
                        help="also build with the checkout at DIR, side by side (the issue's table)")
    parser.add_argument("--dask", type=int, default=0, metavar="N",
                        help="with --compare: also build on a local Dask cluster of N workers")
    parser.add_argument("--rounds", type=int, default=1, help="with --compare: rounds (median reported)")
    parser.add_argument("--base-ner", nargs="*", default=[], metavar="THIS=BASE",
                        help="with --compare: the other checkout's --ner where this one's differs (crf=default: the"
                             " CRF alone here is what base85 built as its default)")
    parser.add_argument("--rebuild", action="store_true", help="also time a rebuild with nothing changed")
    parser.add_argument("--only-big", action="store_true", help="skip the full builds of the inputs (with --big)")
    parser.add_argument("--big", type=int, nargs="*", default=[], metavar="N",
                        help="also build from N articles made from the real ones (e.g. --big 10000 100000)")
    parser.add_argument("--big-jobs", type=int, default=None, help="jobs for the --big builds (default: last --jobs)")
    parser.add_argument("--big-file-size", type=int, default=5000, help="articles per JSON Lines file for --big")
    parser.add_argument("--live", action="store_true", help="print the --big builds' progress lines as they come,"
                        " with the memory of the moment (a long build shows its rate and memory before it ends)")
    parser.add_argument("--keep-db", default=None, help="copy the first full build's archive here (e.g. for"
                        " bench/search_latency.py --source-db)")
    parser.add_argument("--tmp", default=None, help="where to make the temporary folder (default: system temp)")
    args = parser.parse_args()

    inputs = args.inputs or [str(DEFAULT_INPUT)]
    if not args.inputs and not DEFAULT_INPUT.exists():
        print(f"skipped: {DEFAULT_INPUT} is absent (the benchmark data lives in ../shared/data)")
        return 0
    missing = [item for item in inputs if not Path(item).exists()]
    if missing:
        print(f"input not found: {', '.join(missing)}", file=sys.stderr)
        return 2
    inputs = [str(Path(item).resolve()) for item in inputs]
    if args.compare:
        with tempfile.TemporaryDirectory(prefix="arshif-bench-build-", dir=args.tmp) as tmp:
            print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f}")
            extra = ["--compare", str(args.compare), "--ner", *(args.ner or ["default"]), "--jobs", *map(str, args.jobs)]
            extra += (["--dask", str(args.dask)] if args.dask else []) + ["--rounds", str(args.rounds)]
            extra += ["--base-ner", *args.base_ner] if args.base_ner else []
            try:
                base_ner = dict(pair.split("=", 1) for pair in args.base_ner)
            except ValueError:
                parser.error(f"--base-ner takes THIS=BASE pairs, not {' '.join(args.base_ner)!r}")
            compare_table(inputs, args.compare.resolve(), args.ner or ["default"], args.jobs, args.dask, args.rounds,
                          Path(tmp), bench_command(*args.inputs, *extra), base_ner)
        return 0
    ner = args.ner[0] if args.ner else None
    if ner is None:
        ner = "default" if CRF_MODEL.exists() else "gazetteer"
        if ner == "gazetteer":
            print(f"note: no CRF model at {CRF_MODEL.relative_to(ROOT)} (arshif train-ner): measuring --ner gazetteer")

    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f} at start")
    with tempfile.TemporaryDirectory(prefix="arshif-bench-build-", dir=args.tmp) as tmp:
        folder = Path(tmp)
        first: dict | None = None
        first_jobs = None
        first_seconds = None
        for jobs in [] if args.only_big else args.jobs:
            db = folder / f"jobs{jobs}.db"
            command = build_command(inputs, db, ner, jobs)
            result = measure(command)
            facts = archive_facts(db)
            report(f"full build, --jobs {jobs}, --ner {ner}", facts["articles"], result, command,
                   bench_command(*args.inputs, "--jobs", str(jobs), "--ner", ner))
            if args.keep_db and first is None:
                import shutil

                shutil.copyfile(db, args.keep_db)
                print(f"  kept                {args.keep_db}")
            if first is None:
                first, first_jobs = facts, jobs
                first_seconds = result["build_seconds"] or result["wall"]
                if args.rebuild:
                    command = build_command(inputs, db, ner, jobs, full=False)
                    again = measure(command)
                    seconds = again["build_seconds"] or again["wall"]
                    print(f"\nno-change rebuild, --jobs {jobs}")
                    print(f"  seconds             {seconds:.2f} = {100 * seconds / first_seconds:.1f}% of the full build's"
                          f" {first_seconds:.1f} (wall incl. start-up {again['wall']:.1f})")
                    print(f"  peak memory         {again['peak_rss_mb']:.0f} MB RSS")
                    print(f"  build said          {again['summary']}")
                    print(f"  command             {shown(build_command(inputs, db, ner, jobs))} && {shown(command)}")
                    print(f"  reproduce           {bench_command(*args.inputs, '--jobs', str(jobs), '--ner', ner, '--rebuild')}")
                    if compare(first, archive_facts(db)):
                        print("  OUTPUT CHANGED by the no-change rebuild:", "; ".join(compare(first, archive_facts(db))))
            else:
                problems = compare(first, facts)
                verdict = "same as" if not problems else "DIFFERENT from"
                print(f"  output              {verdict} the --jobs {first_jobs} build"
                      f" ({len(facts['ids'])} article ids, {len(facts['entities'])} entities, {facts['mentions'][0]} mentions)")
                for problem in problems:
                    print(f"    {problem}")
            db.unlink(missing_ok=True)

        if args.big:
            big_jobs = args.big_jobs or args.jobs[-1]
            started = time.perf_counter()
            articles = real_articles(inputs)
            print(f"\n--big: {len(articles)} real articles read in {time.perf_counter() - started:.1f} s")
            rows = []
            for count in args.big:
                source = folder / f"big-{count}"
                files = write_big(articles, count, source, args.big_file_size)
                db = folder / f"big-{count}.db"
                command = build_command([str(source)], db, ner, big_jobs)
                print(f"\nbig build: {count} articles, --jobs {big_jobs}, started {time.strftime('%H:%M:%S')}", flush=True)
                result = measure(command, live=args.live)
                stored = archive_facts(db)["articles"]
                report(f"big build: {count} articles made from real ones ({files} JSON Lines files), --jobs {big_jobs}",
                       stored, result, command,
                       bench_command(*args.inputs, "--jobs", str(big_jobs), "--ner", ner, "--big", str(count)))
                rows.append((count, stored, result))
                db.unlink(missing_ok=True)
                for path in source.iterdir():
                    path.unlink()
                source.rmdir()
            if len(rows) > 1:
                print("\nmemory flatness (peak summed RSS / PSS, MB):")
                base = rows[0]
                for count, stored, result in rows:
                    print(
                        f"  {count:>8} articles: {result['peak_rss_mb']:.0f} RSS, {result['peak_pss_mb']:.0f} PSS"
                        f" (x{result['peak_rss_mb'] / base[2]['peak_rss_mb']:.2f} of the {base[0]}-article build for"
                        f" x{count / base[0]:.0f} articles); {stored / (result['build_seconds'] or result['wall']):.1f} articles/s"
                    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
