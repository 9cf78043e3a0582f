"""Ctrl-C during a command whose work runs in a process pool: one line, exit 130, no worker tracebacks.

The command runs as a subprocess in its own session, and SIGINT goes to the whole process group,
as a terminal sends it, once the pool's workers exist.
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

SRC = str(Path(__file__).resolve().parents[1] / "src")
WORDS = ("the minister said the port reopened in March while officials denied that trade with the "
         "neighbours fell by a third after sanctions took effect last week").split()


def _records(path: Path, n: int) -> None:
    with path.open("w", encoding="utf-8") as fh:
        for i in range(n):
            paragraphs = [" ".join(WORDS[(i + j + k) % len(WORDS)] for k in range(40)).capitalize() + "."
                          for j in range(8)]
            fh.write(json.dumps({"id": f"r{i}", "text": "\n\n".join(paragraphs), "outlet": f"Outlet {i % 5}",
                                 "title": f"Report {i}", "published": "2025-03-01"}) + "\n")


def _children(pid: int) -> list[str]:
    try:
        return Path(f"/proc/{pid}/task/{pid}/children").read_text().split()
    except OSError:
        return []


def _interrupt(args: list[str], cwd: Path) -> subprocess.CompletedProcess:
    """Runs ``narrascope ARGS``, sends SIGINT to its process group once its pool has workers."""
    env = {**os.environ, "PYTHONPATH": SRC + os.pathsep + os.environ.get("PYTHONPATH", "")}
    proc = subprocess.Popen([sys.executable, "-m", "narrascope", *args], cwd=cwd, env=env, text=True,
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 120
    while not _children(proc.pid) and proc.poll() is None and time.monotonic() < deadline:
        time.sleep(0.02)
    assert proc.poll() is None, f"finished before the pool started: {proc.communicate()}"
    time.sleep(0.5)  # the workers are busy now
    os.killpg(proc.pid, signal.SIGINT)
    out, err = proc.communicate(timeout=60)
    return subprocess.CompletedProcess(proc.args, proc.returncode, out, err)


@pytest.fixture
def pooled(tmp_path: Path) -> Path:
    (tmp_path / "narrascope.toml").write_text(
        "[ingest]\nworkers = 2\nparallel_min_documents = 1\n[enrich]\nworkers = 2\nparallel_min_articles = 1\n",
        encoding="utf-8")
    return tmp_path


@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs /proc to see the pool's workers")
def test_ctrl_c_during_a_pooled_ingest_prints_one_line(pooled):
    _records(pooled / "many.jsonl", 2000)  # ~15 s of work on two workers: far from done when interrupted
    done = _interrupt(["ingest", "--db", "s.db", "many.jsonl"], pooled)
    assert done.returncode == 130
    assert done.stderr.splitlines() == ["error: interrupted; everything committed before the interruption is kept"]


@pytest.mark.slow
@pytest.mark.skipif(not Path("/proc/self/task").is_dir(), reason="needs /proc to see the pool's workers")
def test_ctrl_c_during_a_pooled_analyze_prints_one_line(pooled):
    _records(pooled / "some.jsonl", 200)
    env = {**os.environ, "PYTHONPATH": SRC}
    subprocess.run([sys.executable, "-m", "narrascope", "ingest", "-q", "--db", "s.db", "some.jsonl"],
                   cwd=pooled, env=env, check=True)
    done = _interrupt(["analyze", "--db", "s.db", "--thesis", "The port reopened in March."], pooled)
    assert done.returncode == 130
    assert "Traceback" not in done.stderr and "KeyboardInterrupt" not in done.stderr
    assert done.stderr.splitlines() == ["error: interrupted; everything committed before the interruption is kept"]


@pytest.mark.slow
@pytest.mark.parametrize("presses", [1, 2])
def test_ctrl_c_stops_serve_without_a_traceback(tmp_path, presses):
    """Once stops it gracefully; twice is uvicorn's force quit, which used to log a cancelled lifespan."""
    import socket
    import urllib.request

    _records(tmp_path / "few.jsonl", 3)
    env = {**os.environ, "PYTHONPATH": SRC}
    subprocess.run([sys.executable, "-m", "narrascope", "ingest", "-q", "--db", "s.db", "few.jsonl"],
                   cwd=tmp_path, env=env, check=True)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "narrascope", "serve", "--db", "s.db", "--port", str(port)],
                            cwd=tmp_path, env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read()
            break
        except OSError:
            assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
            time.sleep(0.1)
    for _ in range(presses):
        os.killpg(proc.pid, signal.SIGINT)
        time.sleep(0.1)
    _, err = proc.communicate(timeout=60)
    assert proc.returncode == 0
    assert "Traceback" not in err and "Error" not in err, err


@pytest.mark.slow
def test_sigterm_stops_serve_quietly_and_keeps_its_search_index(tmp_path, demo_db):
    """SIGTERM (systemd, docker stop, kill) ends serve as Ctrl-C does: quietly, the search index's
    refresh stopped between batches, the index kept for the next start. uvicorn re-raises the signal
    after its shutdown, which used to kill the process before any cleanup."""
    import socket
    import urllib.request

    from narrascope.store import SQLStore
    from narrascope.web.dashboard import search_index_path
    from narrascope.web.search import SearchIndex

    cache = tmp_path / "cache"
    env = {**os.environ, "PYTHONPATH": SRC, "XDG_CACHE_HOME": str(cache)}
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "narrascope", "serve", "--db", demo_db, "--port", str(port)],
                            cwd=tmp_path, env=env, text=True, stdout=subprocess.PIPE, stderr=subprocess.PIPE,
                            start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                page = urllib.request.urlopen(f"http://127.0.0.1:{port}/search?q=the", timeout=5).read()
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
                time.sleep(0.1)
        assert b"snippet" in page
        os.killpg(proc.pid, signal.SIGTERM)
        _, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
    assert proc.returncode == 0, (proc.returncode, err)
    assert "Traceback" not in err and "Error" not in err, err
    kept = list((cache / "narrascope").glob("search-*.db"))
    assert len(kept) == 1
    store = SQLStore(demo_db, create=False)
    index = SearchIndex(str(kept[0]))  # the next start reads nothing it has already indexed
    assert str(kept[0]) == search_index_path(demo_db, str(cache / "narrascope"))
    from narrascope.config import default_settings

    refresh = index.refresh(store, default_settings().enrich.min_checkworthiness)
    assert (refresh.added, refresh.dropped) == (0, 0) and index.indexed_articles() == store.count_articles()
    store.close()
