import os

import pytest

from narrascope.engine import THREAD_VARIABLES, LocalEngine, SerialEngine, default_engine


def _square(x: int) -> int:
    return x * x


def _threads(_: int) -> tuple[int, dict[str, str | None]]:
    from threadpoolctl import threadpool_info

    blas = [i["num_threads"] for i in threadpool_info() if i["user_api"] == "blas"]
    return max(blas, default=1), {name: os.environ.get(name) for name in THREAD_VARIABLES}


def test_engines_keep_input_order():
    items = list(range(20))
    expected = [x * x for x in items]
    assert list(SerialEngine().map(_square, items)) == expected
    assert list(LocalEngine(1).map(_square, items)) == expected
    assert list(LocalEngine(2).map(_square, items, chunksize=3)) == expected


def test_pool_workers_run_one_native_thread_each():
    pytest.importorskip("threadpoolctl")
    import numpy  # noqa: F401  (its OpenBLAS is loaded before the fork, as in the enrich stage)

    for blas, env in LocalEngine(2).map(_threads, range(4)):
        assert blas == 1
        assert set(env.values()) == {"1"}


def test_default_engine_starts_a_pool_only_for_enough_work():
    assert isinstance(default_engine(2, 10, 64), SerialEngine)
    assert isinstance(default_engine(1, 1000, 64), SerialEngine)
    assert isinstance(default_engine(2, 1000, 64), LocalEngine)
