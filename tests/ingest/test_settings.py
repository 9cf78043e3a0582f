"""Ingest settings out of their range are one-line errors naming the key, not tracebacks later."""

from __future__ import annotations

import pytest

from narrascope.config import RANGES, default_settings, load_settings
from narrascope.errors import ConfigError


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[ingest.dedup]\nbands = 0\n", "'ingest.dedup.bands' must be at least 1, got 0"),
        ("[ingest.dedup]\nbands = 3\n", "'ingest.dedup.bands' (3) must divide 'ingest.dedup.num_perm' (128)"),
        ("[ingest.dedup]\nshingle = 0\n", "'ingest.dedup.shingle' must be at least 1"),
        ("[ingest.dedup]\nnear_threshold = 0\n", "'ingest.dedup.near_threshold' must be greater than 0"),
        ("[ingest.dedup]\nnear_threshold = 1.5\n", "'ingest.dedup.near_threshold' must be greater than 0"),
        ("[ingest]\nbatch_size = 0\n", "'ingest.batch_size' must be at least 1"),
        ("[ingest]\nworkers = -2\n", "'ingest.workers' must be at least 1"),
        ("[ingest]\nmax_article_mb = 0\n", "'ingest.max_article_mb' must be greater than 0"),
        ('[ingest]\nlanguages = ["English"]\n', "'ingest.languages' must be a list of 2- or 3-letter"),
        ("[ingest.clean]\nrepeat_min_files = 1\n", "'ingest.clean.repeat_min_files' must be at least 2"),
        (
            "[ingest.clean]\ncomments_min_share = 2\n",
            "'ingest.clean.comments_min_share' must be between 0 and 1",
        ),
    ],
)
def test_out_of_range(tmp_path, text, message):
    f = tmp_path / "n.toml"
    f.write_text(text)
    with pytest.raises(ConfigError) as err:
        load_settings(f)
    assert message in str(err.value)
    assert str(err.value).startswith(f"{f}: ") and "\n" not in str(err.value)


def test_shipped_defaults_are_in_range():
    default_settings().replace({})  # checks every range


def test_every_range_names_a_real_setting():
    known = default_settings().to_dict()
    for key, _, _ in RANGES:
        section, name = key.rsplit(".", 1)
        node = known
        for part in section.split("."):
            node = node[part]
        assert name in node, key
