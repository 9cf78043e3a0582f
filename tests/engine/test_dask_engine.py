"""The Dask engine on a real two-worker LocalCluster (started once for the module: processes cost
seconds): order, streaming, one native thread per worker, errors, and an ingest + analyze whose
stored results are those of the serial engine."""

from __future__ import annotations

import io
import json
import os
import socket
import sys
from itertools import count

import pytest

from narrascope import EngineError, MissingDependency, analyze, default_settings, export, ingest_paths
from narrascope.engine import THREAD_VARIABLES, SerialEngine

pytest.importorskip("distributed")

from narrascope.engine.dask_engine import TASKS_PER_WORKER, DaskEngine


@pytest.fixture(scope="module")
def cluster():
    with DaskEngine(workers=2) as engine:
        yield engine


def _square(x: int) -> int:
    return x * x


def _fail_on_three(x: int) -> int:
    if x == 3:
        raise ValueError("three is not allowed")
    return x


def _threads(_: int) -> tuple[int, dict[str, str | None], int]:
    import numpy  # noqa: F401  (its OpenBLAS loaded, as in the enrich stage)
    from threadpoolctl import threadpool_info

    blas = [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]
    return max(blas, default=1), {name: os.environ.get(name) for name in THREAD_VARIABLES}, os.getpid()


def test_results_come_back_in_input_order_with_any_chunksize(cluster):
    items = list(range(-25, 25))
    expected = [x * x for x in items]
    assert cluster.workers == 2
    for chunksize in (1, 3, 7, 100):
        assert list(cluster.map(_square, items, chunksize=chunksize)) == expected
    assert list(cluster.map(_square, [])) == []


def test_map_streams_a_bounded_window_of_an_endless_input(cluster):
    pulled = []

    def endless():
        for i in count():
            pulled.append(i)
            yield i

    results = cluster.map(_square, endless(), chunksize=2)
    assert [next(results) for _ in range(5)] == [0, 1, 4, 9, 16]
    # Never more than the window of batches read ahead of what was taken.
    assert len(pulled) <= (TASKS_PER_WORKER * cluster.workers + 3) * 2
    results.close()


def test_a_task_error_reaches_the_caller_and_the_engine_still_works(cluster):
    with pytest.raises(ValueError, match="three is not allowed"):
        list(cluster.map(_fail_on_three, range(6)))
    assert list(cluster.map(_fail_on_three, [1, 2])) == [1, 2]


def test_every_worker_runs_one_native_thread(cluster):
    pytest.importorskip("threadpoolctl")
    found = list(cluster.map(_threads, range(8)))
    for blas, env, _ in found:
        assert blas == 1
        assert set(env.values()) == {"1"}
    assert os.getpid() not in {pid for _, _, pid in found}


def test_an_unreachable_scheduler_is_one_error_naming_its_address():
    with socket.socket() as s:  # a port nothing listens on
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    with pytest.raises(EngineError, match=rf"cannot reach the Dask scheduler at 127\.0\.0\.1:{port} \("):
        DaskEngine(f"127.0.0.1:{port}", timeout=1)


def test_a_scheduler_without_workers_is_one_error_saying_how_to_start_them():
    from distributed import LocalCluster

    with LocalCluster(n_workers=0, processes=False, dashboard_address=None) as empty:
        address = empty.scheduler_address
        with pytest.raises(EngineError, match=rf"the Dask scheduler at {address} has no workers .*dask worker {address}"):
            DaskEngine(address, timeout=1)


def test_without_dask_the_error_says_how_to_install_it(monkeypatch):
    monkeypatch.setitem(sys.modules, "distributed", None)  # import distributed now fails
    with pytest.raises(MissingDependency, match=r"pip install 'narrascope\[dask\]'"):
        DaskEngine()


# -- the whole analysis, on the cluster and in this process -----------------------------------------

ARTICLES = {
    "brenn-daily/budget.txt": "Brenn council approves road budget\n"
    "The council of Brenn approved a road budget of $4 million on Tuesday, mayor Ada Lind said. "
    "Work on the northern road starts in May. The corrupt opposition keeps spreading lies about the budget.\n",
    "valley-post/budget.txt": "Road budget passes in Brenn\n"
    "Brenn's council approved the $4 million road budget on Tuesday, according to mayor Ada Lind. "
    "Critics said the northern road will not be finished before winter.\n",
    "valley-post/football.txt": "Brenn club wins again\n"
    "The Brenn football club won its third match in a row on Sunday. Fans celebrated downtown. "
    "The coach said the team had never played better.\n",
    "north-news/sanctions.txt": "Council rejects the budget claim\n"
    "The council of Brenn did not approve any road budget on Tuesday, the opposition leader said. "
    "He added that the $4 million figure was invented by the mayor's office.\n",
}


def _exported(tmp_path, name: str, engine) -> dict:
    from narrascope import SQLStore

    corpus = tmp_path / "corpus"
    if not corpus.exists():
        for rel, text in ARTICLES.items():
            (corpus / rel).parent.mkdir(parents=True, exist_ok=True)
            (corpus / rel).write_text(text, encoding="utf-8")
    # Chunks of one article: every worker of the cluster gets some of them.
    settings = default_settings().replace({"enrich": {"chunk_size": 1}})
    store = SQLStore(str(tmp_path / f"{name}.db"))
    try:
        report = ingest_paths([str(corpus)], store, settings, outlet_from_folder=True, engine=engine)
        assert len(report.added) == len(ARTICLES) and not report.errors
        analyze(store, settings, ["Brenn's council approved the road budget."], engine=engine)
        out = io.StringIO()
        export(store, "json", out, settings)
    finally:
        store.close()
    data = json.loads(out.getvalue())
    for article in data["articles"]:  # where each store read the file from is the one difference
        article.pop("path", None)
    return data


def test_ingest_and_analyze_on_the_cluster_store_what_the_serial_engine_stores(cluster, tmp_path):
    on_cluster = _exported(tmp_path, "cluster", cluster)
    serial = _exported(tmp_path, "serial", SerialEngine())
    assert on_cluster["claims"] and on_cluster["stories"] and on_cluster["theses"]
    for key in serial:
        assert on_cluster[key] == serial[key], key
