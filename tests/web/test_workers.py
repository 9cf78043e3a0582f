"""`narrascope serve --workers N`: N processes answer on one port, a worker that dies is replaced,
and a SIGTERM stops them all quietly."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

SRC = str(Path(__file__).resolve().parents[2] / "src")


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def _start(tmp_path, db: str, workers: int) -> tuple[subprocess.Popen, int]:
    """``narrascope serve --workers N`` in a session of its own, once it answers; and its port."""
    env = {**os.environ, "PYTHONPATH": SRC, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "narrascope", "serve", "--db", db, "--port", str(port),
                             "--workers", str(workers)], cwd=tmp_path, env=env, text=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    deadline = time.monotonic() + 60
    while True:
        try:
            urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read()
            return proc, port
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                os.killpg(proc.pid, signal.SIGKILL)
                pytest.fail(f"the server did not answer: {proc.communicate()}")
            time.sleep(0.1)


def _stop(proc) -> tuple[str, str]:
    """SIGTERM to the server's process group and its output; SIGKILL when it does not stop."""
    if proc.poll() is None:
        os.killpg(proc.pid, signal.SIGTERM)
    try:
        return proc.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        os.killpg(proc.pid, signal.SIGKILL)
        return proc.communicate()


def test_two_workers_answer_on_one_port_and_stop_together(tmp_path, demo_db):
    proc, port = _start(tmp_path, demo_db, 2)
    try:
        if Path("/proc").exists():
            assert len(_children(proc.pid)) == 2
        for url in ("/", "/search?q=sanctions", "/stories"):
            assert urllib.request.urlopen(f"http://127.0.0.1:{port}{url}", timeout=30).status == 200
    finally:
        out, err = _stop(proc)
    assert proc.returncode == 0, (proc.returncode, err)
    assert "2 worker processes" in out
    assert "Traceback" not in err, err


@pytest.mark.skipif(not Path("/proc").exists(), reason="finds the workers in /proc")
def test_a_killed_worker_is_replaced(tmp_path, demo_db):
    proc, port = _start(tmp_path, demo_db, 2)
    try:
        first = _children(proc.pid)
        assert len(first) == 2
        os.kill(first[0], signal.SIGKILL)
        deadline = time.monotonic() + 60
        while (now := _children(proc.pid)) == first or len(now) != 2:
            assert time.monotonic() < deadline, now
            time.sleep(0.1)
        assert first[0] not in now and first[1] in now
        for _ in range(6):  # whichever worker takes them, the pages are answered
            assert urllib.request.urlopen(f"http://127.0.0.1:{port}/stories", timeout=30).status == 200
    finally:
        _out, err = _stop(proc)
    assert proc.returncode == 0, (proc.returncode, err)
    assert f"(pid {first[0]}) was killed by SIGKILL; started another (pid " in err, err
    assert "Traceback" not in err, err


def test_workers_that_die_at_start_are_not_restarted_forever(monkeypatch, demo_db):
    from narrascope.config import default_settings
    from narrascope.errors import NarrascopeError
    from narrascope.web import workers

    monkeypatch.setattr(workers, "_worker", lambda *args: os._exit(3))  # forked: the copy runs this
    sock = workers.bind("127.0.0.1", 0)
    with pytest.raises(NarrascopeError, match=r"workers exit as soon as they start \(3 in a row, the last exited "
                                              r"with status 3\)"):
        workers.serve(demo_db, default_settings(), None, sock, 1)
    assert sock.fileno() == -1  # closed
