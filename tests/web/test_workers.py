"""`narrascope serve --workers N`: N processes answer on one port, and a SIGTERM stops them all quietly."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

SRC = str(Path(__file__).resolve().parents[2] / "src")


def _children(pid: int) -> list[int]:
    path = Path(f"/proc/{pid}/task/{pid}/children")
    return [int(p) for p in path.read_text().split()] if path.exists() else []


def test_two_workers_answer_on_one_port_and_stop_together(tmp_path, demo_db):
    env = {**os.environ, "PYTHONPATH": SRC, "XDG_CACHE_HOME": str(tmp_path / "cache")}
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    proc = subprocess.Popen([sys.executable, "-m", "narrascope", "serve", "--db", demo_db, "--port", str(port),
                             "--workers", "2"], cwd=tmp_path, env=env, text=True, stdout=subprocess.PIPE,
                            stderr=subprocess.PIPE, start_new_session=True)
    try:
        deadline = time.monotonic() + 60
        while True:
            try:
                urllib.request.urlopen(f"http://127.0.0.1:{port}/", timeout=5).read()
                break
            except OSError:
                assert proc.poll() is None and time.monotonic() < deadline, proc.communicate()
                time.sleep(0.1)
        if Path("/proc").exists():
            assert len(_children(proc.pid)) == 2
        for url in ("/", "/search?q=sanctions", "/stories"):
            assert urllib.request.urlopen(f"http://127.0.0.1:{port}{url}", timeout=30).status == 200
        os.killpg(proc.pid, signal.SIGTERM)
        out, err = proc.communicate(timeout=60)
    finally:
        if proc.poll() is None:
            os.killpg(proc.pid, signal.SIGKILL)
            proc.communicate()
    assert proc.returncode == 0, (proc.returncode, err)
    assert "2 worker processes" in out
    assert "Traceback" not in err, err
