"""Training code stays apart from run time: no run-time module imports narrascope.training or
scikit-learn (the shipped models need numpy only)."""

import subprocess
import sys

PROBE = """
import importlib, pkgutil, sys
import narrascope
skip = ("narrascope.bench", "narrascope.training", "narrascope.cli.benchcmd", "narrascope.__main__")
names, todo = [], [("narrascope.", narrascope.__path__)]
while todo:
    prefix, path = todo.pop()
    for m in pkgutil.iter_modules(path, prefix):
        if m.name.startswith(skip):
            continue
        module = importlib.import_module(m.name)
        names.append(m.name)
        if m.ispkg:
            todo.append((m.name + ".", module.__path__))
bad = sorted(m for m in sys.modules if m.startswith(("narrascope.training", "sklearn")))
print(len(names), "modules;", "imported:", bad)
sys.exit(1 if bad else 0)
"""


def test_run_time_modules_never_import_training_code():
    done = subprocess.run([sys.executable, "-c", PROBE], capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stdout + done.stderr[-2000:]
    assert "modules;" in done.stdout


def test_the_probe_would_see_an_import():
    probe = "import sys, narrascope.training.stance\nsys.exit(0 if 'narrascope.training.stance' in sys.modules else 1)"
    assert subprocess.run([sys.executable, "-c", probe], timeout=300).returncode == 0
