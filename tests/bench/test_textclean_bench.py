import pytest
from click.testing import CliRunner

from narrascope.bench.textclean import Score, command, site_of, split_of

# The cleaner scored f1=0.850 on the held-out half (0.854 on all pages) when this floor was
# pinned; a change that drops the held-out figure below it fails CI.
F1_FLOOR = 0.84


def test_score_pools_snippets():
    s = Score()
    s.add("Alpha beta.\n\nGamma   delta.", ["beta. Gamma delta", "missing"], ["Alpha", "absent"])
    assert (s.tp, s.fn, s.fp, s.tn) == (1, 1, 1, 1)
    assert s.precision == 0.5 and s.recall == 0.5 and s.f1 == 0.5
    s.add(None, ["x", "y"], ["z"])  # a crash misses everything
    assert (s.fn, s.tn) == (3, 2)


def test_pages_split_by_site_stably_and_about_evenly():
    assert site_of("https://news.example.org/a/b") == "news.example.org"
    assert site_of("hard::example.html") == "hard::example.html"  # no hostname: its own site
    sites = [f"site{i}.example" for i in range(400)]
    halves = [split_of(site) for site in sites]
    assert set(halves) == {"dev", "held-out"}
    assert 150 < halves.count("dev") < 250
    assert halves == [split_of(site) for site in sites]  # a hash, not a random draw


def test_options_come_from_the_settings(tmp_path):
    config = tmp_path / "narrascope.toml"
    config.write_text("[ingest.clean]\nprose_min_words = 'eight'\n")
    result = CliRunner().invoke(command, ["--config", str(config), "--data", str(tmp_path)])
    assert result.exit_code != 0
    assert "prose_min_words" in str(result.exception)


@pytest.mark.dataset
@pytest.mark.slow
def test_textclean_f1_stays_above_its_floor(dataset):
    data = dataset("trafilatura-eval")
    result = CliRunner().invoke(command, ["--data", str(data)], catch_exceptions=False)
    lines = result.stdout.strip().splitlines()
    assert lines[-1].startswith("textclean: f1=")
    f1 = float(lines[-1].split("=")[1])

    def row_f1(half, method):
        row = next(line for line in lines if line.split()[:1] == [half] and method in line)
        return float(row.split("f1=")[1].split()[0])

    assert f1 == pytest.approx(row_f1("held-out", "narrascope textclean"), abs=1e-9)
    assert f1 >= F1_FLOOR
    assert f1 > row_f1("held-out", "uncleaned text") + 0.1
    assert row_f1("all", "narrascope textclean") > row_f1("all", "uncleaned text") + 0.1
