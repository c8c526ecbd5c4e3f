"""The build on a Dask cluster (``--scheduler``): the same archive as ``--jobs 1``, full and incremental, and no
article lost when a worker dies (its batches are retried elsewhere, or processed by the client and reported)."""

from __future__ import annotations

import json
import os
import shutil
import signal
import sys

import pytest

distributed = pytest.importorskip("distributed")

import cloudpickle  # noqa: E402  (comes with distributed)
import dask  # noqa: E402

from arshif.build import build  # noqa: E402
from arshif.distributed import dask_map  # noqa: E402
from tests.test_build_incremental import dump, make_corpus  # noqa: E402

pytestmark = pytest.mark.skipif(sys.platform == "win32", reason="kill -9 is POSIX")
cloudpickle.register_pickle_by_value(sys.modules[__name__])  # workers need not import the tests


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, dashboard_address=":0") as local:
        yield local


def test_cluster_build_equals_one_job_full_and_incremental(tmp_path, cluster):
    corpus = tmp_path / "corpus"
    make_corpus(corpus, files=6, per_file=12)
    one, spread = tmp_path / "one.db", tmp_path / "spread.db"
    build([corpus], one, ner="gazetteer", jobs=1)
    summary = build([corpus], spread, ner="gazetteer", scheduler=cluster.scheduler_address, batch_size=8)
    assert summary.articles == 73 and summary.notes == []
    assert dump(one) == dump(spread)
    # an update on the cluster equals an update with one job
    changed = json.loads((corpus / "part-1.json").read_text("utf-8"))
    changed[0]["content"] = "نص جديد كليا عن موسكو وواشنطن."
    (corpus / "part-1.json").write_text(json.dumps(changed, ensure_ascii=False), "utf-8")
    (corpus / "part-2.json").unlink()
    shutil.copy(corpus / "sample.txt", corpus / "sample copy.txt")
    build([corpus], one, ner="gazetteer", jobs=1)
    again = build([corpus], spread, ner="gazetteer", scheduler=cluster.scheduler_address, batch_size=8)
    assert again.files_unchanged == 5 and again.files_removed == 1
    assert dump(one) == dump(spread)


def _double_or_die(batch: list[int]) -> list[int]:
    """Kills the worker process it runs on for the batch [3]; elsewhere (in the client) it just works."""
    try:
        distributed.get_worker()
        on_worker = True
    except ValueError:
        on_worker = False
    if on_worker and batch == [3]:
        os._exit(1)
    return [2 * item for item in batch]


def test_batch_that_keeps_killing_workers_is_processed_by_the_client_and_reported():
    with dask.config.set({"distributed.scheduler.allowed-failures": 1}):
        with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True,
                                      dashboard_address=":0") as local:
            notes: list[str] = []
            results = list(dask_map(local.scheduler_address, _double_or_die, ([n] for n in range(8)), notes))
    assert results == [[2 * n] for n in range(8)]
    # the poisoned batch, and any batch that was queued on the same dying workers twice, came back from the client
    assert len(notes) == 1 and "KilledWorker" in notes[0]
    assert 1 <= int(notes[0].split("Dask: ")[1].split(" batch")[0]) < 8


def test_worker_killed_mid_build_loses_no_article(tmp_path, cluster):
    """Runs last in this file: it kills one of the module cluster's workers (its nanny starts a new one)."""
    corpus = tmp_path / "corpus"
    make_corpus(corpus, files=8, per_file=12)
    one, spread = tmp_path / "one.db", tmp_path / "spread.db"
    build([corpus], one, ner="gazetteer", jobs=1)
    with distributed.Client(cluster.scheduler_address) as client:
        pids = client.run(os.getpid)
    victim = sorted(pids.values())[0]
    written: list[int] = []

    def kill_after_first_batch(count: int) -> None:
        if not written:
            os.kill(victim, signal.SIGKILL)
        written.append(count)

    summary = build([corpus], spread, ner="gazetteer", scheduler=cluster.scheduler_address, batch_size=4,
                    progress=kill_after_first_batch)
    with pytest.raises(ProcessLookupError):
        os.kill(victim, 0)  # it did die during the build
    assert sum(written) == summary.articles_added == 97
    assert dump(one) == dump(spread)
