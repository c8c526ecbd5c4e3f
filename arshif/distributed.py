"""The build on a Dask cluster (``arshif[dask]``): ``./build --scheduler tcp://HOST:8786``.

The client (the machine that runs ``./build``) reads the input files, as ``--jobs`` does, and sends batches of
articles to the cluster's workers, which analyze and tag them (``arshif.pipeline.process_batch``); the
processed batches come back in the order they were sent, and the client alone writes the SQLite file. So the
workers need arshif installed (the same version, with the same ``--ner`` data) but no access to the inputs
or to the archive, and the archive is the one ``--jobs 1`` writes.

A worker that dies takes its batches with it: the scheduler gives them to another worker. A batch that has
killed workers ``distributed.scheduler.allowed-failures`` times (Dask's ``KilledWorker``), or whose task fails
on the cluster, is processed here in the client instead, and the build's summary says so: no article is lost.
"""

from __future__ import annotations

from collections import deque
from typing import Callable, Iterable, Iterator, TypeVar

Batch = TypeVar("Batch")
Result = TypeVar("Result")

#: Batches in flight per worker thread: enough to keep every worker busy while the client writes.
IN_FLIGHT_PER_THREAD = 2


def client_for(address: str):
    """A Dask client of the scheduler at ``address``, with an error that names the extra when Dask is missing."""
    try:
        from dask.distributed import Client
    except ImportError as error:  # pragma: no cover - depends on the installation
        raise RuntimeError("--scheduler needs Dask distributed: pip install 'arshif[dask]'") from error
    try:
        return Client(address, timeout="30s")
    except OSError as error:
        raise RuntimeError(f"cannot reach the Dask scheduler at {address}: {error}") from error


def dask_map(address: str, function: Callable[[Batch], Result], batches: Iterable[Batch],
             notes: list[str], retries: int = 2) -> Iterator[Result]:
    """``function`` over ``batches`` on the cluster at ``address``, results in order, with a bounded number of
    batches in flight (so memory does not grow with the corpus). A batch the cluster could not process is
    processed here; ``notes`` gets a line saying how many."""
    client = client_for(address)
    local = 0
    errors: set[str] = set()
    try:
        threads = sum(client.nthreads().values()) or 1
        window = max(2, IN_FLIGHT_PER_THREAD * threads)
        pending: deque = deque()

        def result(item) -> Result:
            nonlocal local
            future, batch = item
            try:
                return future.result()
            except Exception as error:  # KilledWorker, a lost connection, a task that failed on a worker
                local += 1
                errors.add(f"{type(error).__name__}: {error}"[:200])
                return function(batch)
            finally:
                future.release()

        for batch in batches:
            # pure=False: every batch is a task of its own, even when two batches are equal
            pending.append((client.submit(function, batch, pure=False, retries=retries), batch))
            if len(pending) >= window:
                yield result(pending.popleft())
        while pending:
            yield result(pending.popleft())
    finally:
        client.close()
    if local:
        notes.append(f"Dask: {local} batch(es) processed by the client after failing on the cluster"
                     f" ({'; '.join(sorted(errors))})")
