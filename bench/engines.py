"""Dask distributed or Ray for the build's cluster engine: the same work on each, side by side.

    .venv/bin/python bench/engines.py [INPUT ...] [--workers 2] [--ner gazetteer none] [--rounds 2]

Ray is not a dependency of arshif: run this with an interpreter that has it (e.g. a throwaway venv that sees
this one's packages: ``python -m venv /tmp/rayvenv; echo "import site; site.addsitedir('$PWD/.venv/lib/python3.11/site-packages')"
> /tmp/rayvenv/lib/python3.11/site-packages/main.pth; /tmp/rayvenv/bin/pip install ray``); without Ray only
Dask is measured.

The work is the build's own: the input's articles (read once, here) in batches of ``arshif.build.BATCH_SIZE``,
each batch processed on the cluster by ``arshif.pipeline.process_batch`` (analysis, extraction, linking), the
results taken back in order with a bounded number of batches in flight (two per worker), as
``arshif.distributed.dask_map`` does. For each engine and each round:

* start-up: seconds from nothing to a cluster of ``--workers`` one-thread worker processes ready for tasks;
* process: seconds to send every batch and take every result back (the build's processing phase), its
  articles/s, and the CPU seconds of every process (this one, the cluster's, its workers');
* peak memory: summed RSS of this process and all its descendants (scheduler, nanny, workers; Ray's GCS,
  raylet, its agents and workers), sampled every 0.1 s;
* the processes each engine runs, and the CPU seconds each took while the batches were processed;
* a check that both engines returned the same rows as processing the batches here.

Every round starts a fresh cluster, and the engines alternate within a round.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections import deque
from functools import partial
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from build import DEFAULT_INPUT, TreeMemory, _tree  # noqa: E402  (bench/build.py: memory of a process tree)

WINDOW_PER_WORKER = 2


def read_batches(inputs: list[str]) -> list[list]:
    from arshif.build import BATCH_SIZE, _batches
    from arshif.model import Skipped
    from arshif.readers import discover, read_path

    articles = [record for path in discover(inputs) for record in read_path(path) if not isinstance(record, Skipped)]
    return list(_batches(iter(articles), BATCH_SIZE))


def cpu_by_process(pids: list[int]) -> dict[tuple[int, str], float]:
    """(pid, what it runs) → user + system CPU seconds so far, of live processes (from /proc)."""
    found = {}
    for pid in pids:
        try:
            with open(f"/proc/{pid}/stat") as handle:
                fields = handle.read().rsplit(")", 1)[1].split()
            with open(f"/proc/{pid}/cmdline", "rb") as handle:
                words = handle.read().split(b"\0")
            name = next((w.decode(errors="replace").rsplit("/", 1)[-1] for w in words[1:] if w and not w.startswith(b"-")),
                        words[0].decode(errors="replace").rsplit("/", 1)[-1])[:40]
            found[(pid, name)] = (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime, stime
        except (OSError, IndexError, ValueError):
            pass
    return found


def cpu_seconds(pids: list[int]) -> float:
    """User + system CPU seconds of live processes (from /proc)."""
    return sum(cpu_by_process(pids).values())


def cpu_split(before: dict, after: dict) -> str:
    """Where the CPU seconds between two snapshots went, by process (the largest first)."""
    spent = sorted(((after[key] - before.get(key, 0.0), key[1]) for key in after), reverse=True)
    return ", ".join(f"{name} {seconds:.1f}" for seconds, name in spent if seconds >= 0.1)


def ordered_map(submit, result, batches: list, window: int):
    """Results in order, at most ``window`` batches in flight (the build's client loop)."""
    pending: deque = deque()
    out = []
    for batch in batches:
        pending.append(submit(batch))
        if len(pending) >= window:
            out.append(result(pending.popleft()))
    while pending:
        out.append(result(pending.popleft()))
    return out


def run_dask(batches: list, ner: str, workers: int) -> dict:
    from dask.distributed import Client, LocalCluster

    from arshif.pipeline import process_batch

    memory = TreeMemory(os.getpid())
    memory.start()
    started = time.perf_counter()
    cluster = LocalCluster(n_workers=workers, threads_per_worker=1, processes=True, dashboard_address=None,
                           memory_limit=0)
    client = Client(cluster)
    client.wait_for_workers(workers)
    # one tiny task per worker so that both engines start timing with workers that have imported arshif
    client.run(lambda: __import__("arshif.pipeline"))
    ready = time.perf_counter()
    pids = _tree(os.getpid())
    cpu_before = cpu_seconds(pids)
    split_before = cpu_by_process(pids)
    work = partial(process_batch, ner=ner)
    results = ordered_map(lambda batch: client.submit(work, batch, pure=False),
                          lambda future: future.result(), batches, WINDOW_PER_WORKER * workers)
    done = time.perf_counter()
    pids = _tree(os.getpid())
    cpu = cpu_seconds(pids) - cpu_before
    split = cpu_split(split_before, cpu_by_process(pids))
    processes = len(pids)
    client.close()
    cluster.close()
    memory.stop()
    return _figures("dask", started, ready, done, cpu, memory, processes, results, split)


def run_ray(batches: list, ner: str, workers: int) -> dict:
    import ray

    from arshif.pipeline import process_batch

    memory = TreeMemory(os.getpid())
    memory.start()
    started = time.perf_counter()
    # Ray's workers run this interpreter; started by Ray's raylet, they import this checkout's arshif as this
    # process does only when it is on their path (the environment is inherited)
    os.environ["PYTHONPATH"] = os.pathsep.join([str(ROOT), os.environ.get("PYTHONPATH", "")]).rstrip(os.pathsep)
    ray.init(num_cpus=workers, include_dashboard=False, log_to_driver=False, configure_logging=False)
    remote = ray.remote(num_cpus=1, max_retries=2)(process_batch)
    # as for Dask: time from workers that are up and have imported arshif
    warm = ray.remote(num_cpus=1)(lambda: __import__("arshif.pipeline") and os.getpid())
    seen: set[int] = set()
    for _ in range(50):  # until every worker process has run a task (Ray starts them on demand)
        seen.update(ray.get([warm.remote() for _ in range(workers)]))
        if len(seen) >= workers:
            break
    ready = time.perf_counter()
    pids = _tree(os.getpid())
    cpu_before = cpu_seconds(pids)
    split_before = cpu_by_process(pids)
    results = ordered_map(lambda batch: remote.remote(batch, ner), ray.get, batches, WINDOW_PER_WORKER * workers)
    done = time.perf_counter()
    pids = _tree(os.getpid())
    cpu = cpu_seconds(pids) - cpu_before
    split = cpu_split(split_before, cpu_by_process(pids))
    processes = len(pids)
    ray.shutdown()
    memory.stop()
    return _figures("ray", started, ready, done, cpu, memory, processes, results, split)


def _figures(engine, started, ready, done, cpu, memory, processes, results, split) -> dict:
    return {
        "split": split,
        "engine": engine,
        "startup": ready - started,
        "process": done - ready,
        "cpu": cpu,
        "peak_rss_mb": memory.peak_rss_kb / 1024,
        "peak_pss_mb": memory.peak_pss_kb / 1024,
        "processes": processes,
        "rows": [(item.row, item.index, item.mentions) for batch in results for item in batch],
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("inputs", nargs="*")
    parser.add_argument("--workers", type=int, default=2)
    parser.add_argument("--ner", nargs="+", default=["gazetteer"])
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--engines", nargs="+", default=["dask", "ray"], help="which engines (default: both)")
    args = parser.parse_args()
    inputs = args.inputs or [str(DEFAULT_INPUT / "2015-07-27.zip")]
    if not all(Path(item).exists() for item in inputs):
        print(f"skipped: input absent ({', '.join(inputs)})")
        return 0
    try:
        import ray  # noqa: F401

        engines = [engine for name, engine in (("dask", run_dask), ("ray", run_ray)) if name in args.engines]
    except ImportError:
        print("note: Ray is not installed here: Dask only (see the docstring for a throwaway venv with Ray)")
        engines = [run_dask]
    batches = read_batches(inputs)
    articles = sum(map(len, batches))
    print(f"python {sys.version.split()[0]}, {os.cpu_count()} cores, load average {os.getloadavg()[0]:.2f};"
          f" {articles} articles in {len(batches)} batches; {args.workers} one-thread workers")
    from arshif.pipeline import process_batch

    for ner in args.ner:
        expected = [(item.row, item.index, item.mentions) for batch in batches for item in process_batch(batch, ner)]
        runs: dict[str, list[dict]] = {}
        for round_ in range(args.rounds):
            for engine in engines if round_ % 2 == 0 else engines[::-1]:
                figures = engine(batches, ner, args.workers)
                same = figures.pop("rows") == expected
                runs.setdefault(figures["engine"], []).append(figures)
                print(f"  round {round_ + 1} --ner {ner} {figures['engine']}: start-up {figures['startup']:.1f} s,"
                      f" process {figures['process']:.1f} s, CPU {figures['cpu']:.1f} s,"
                      f" peak {figures['peak_rss_mb']:.0f} MB RSS / {figures['peak_pss_mb']:.0f} MB PSS,"
                      f" {figures['processes']} processes, output {'same as' if same else 'DIFFERENT from'} local",
                      flush=True)
                print(f"    CPU s by process while processing: {figures['split']}", flush=True)
        print(f"\n--ner {ner}, {articles} articles, {args.workers} workers (median of {args.rounds} round(s)):")
        print("| engine | start-up s | process s | articles/s | CPU s (all processes) | peak RSS MB | peak PSS MB"
              " | processes |")
        print("|---|---|---|---|---|---|---|---|")
        for engine, found in runs.items():
            def median(key):
                values = sorted(run[key] for run in found)
                return values[len(values) // 2] if len(values) % 2 else sum(values[len(values) // 2 - 1:][:2]) / 2
            print(f"| {engine} | {median('startup'):.1f} | {median('process'):.1f} |"
                  f" {articles / median('process'):.0f} | {median('cpu'):.1f} | {max(r['peak_rss_mb'] for r in found):.0f}"
                  f" | {max(r['peak_pss_mb'] for r in found):.0f} | {found[0]['processes']} |")
    print("reproduce: " + " ".join([".venv/bin/python", "bench/engines.py", *sys.argv[1:]]))
    return 0


if __name__ == "__main__":
    sys.exit(main())
