"""Each page's CPU cost alone, as `narrascope bench serve` prints it after the clients."""

from __future__ import annotations

import pytest

from narrascope.bench.serve import PAGES, _targets
from narrascope.bench.serve_cost import page_costs, summary_line
from narrascope.config import default_settings


def test_every_kind_of_page_is_measured_once_per_request(demo_db, tmp_path):
    settings = default_settings().replace({"web": {"search_dir": str(tmp_path)}})
    targets = _targets(demo_db, 2 * len(PAGES))
    costs = page_costs(demo_db, settings, targets)
    assert sorted(costs) == sorted({kind for kind, _ in targets})
    assert all(len(costs[kind]) == sum(k == kind for k, _ in targets) for kind in costs)
    assert all(ms > 0 for values in costs.values() for ms in values)
    line = summary_line(costs, PAGES)
    assert line.startswith("overview ") and ", article " in line


def test_a_page_that_fails_is_not_measured_as_a_cost(demo_db, tmp_path):
    settings = default_settings().replace({"web": {"search_dir": str(tmp_path)}})
    with pytest.raises(RuntimeError, match="/articles/nope answered 404"):
        page_costs(demo_db, settings, [("article", "/articles/nope")])


def test_the_load_average_is_unknown_where_the_system_has_none(monkeypatch):
    from narrascope.bench import serve

    monkeypatch.setattr(serve.os, "getloadavg", lambda: (1.25, 1.0, 1.0))
    assert serve._load_average() == "1.2"
    monkeypatch.delattr(serve.os, "getloadavg")  # Windows has none
    assert serve._load_average() == "unknown"
