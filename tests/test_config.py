import pytest

from narrascope.config import default_settings, load_settings
from narrascope.errors import ConfigError


def test_defaults_load_and_are_typed():
    s = default_settings()
    assert s.ingest.batch_size > 0
    assert isinstance(s.ingest.languages, list)
    assert s.ingest.clean.block_line_penalty > 0


def test_user_file_overrides(tmp_path):
    f = tmp_path / "n.toml"
    f.write_text("[ingest]\nbatch_size = 7\n[ingest.dedup]\nnear_threshold = 1\n")
    s = load_settings(f)
    assert s.ingest.batch_size == 7
    assert s.ingest.dedup.near_threshold == 1.0  # int accepted for a float setting
    assert s.ingest.workers == default_settings().ingest.workers


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[ingest]\nbatch_sise = 7\n", "unknown setting 'ingest.batch_sise'"),
        ("[ingest]\nbatch_size = 'seven'\n", "'ingest.batch_size' must be int, got str"),
        ("ingest = 3\n", "'ingest' must be a table"),
        ("[ingest\n", "not valid TOML"),
    ],
)
def test_bad_settings_are_one_line_errors(tmp_path, text, message):
    f = tmp_path / "n.toml"
    f.write_text(text)
    with pytest.raises(ConfigError) as err:
        load_settings(f)
    assert message in str(err.value)
    assert str(f) in str(err.value)
    assert "\n" not in str(err.value)


def test_missing_settings_file(tmp_path):
    with pytest.raises(ConfigError, match="cannot read settings file"):
        load_settings(tmp_path / "absent.toml")


def test_unknown_attribute_names_the_section():
    with pytest.raises(AttributeError, match=r"\[ingest\] has no setting 'nope'"):
        _ = default_settings().ingest.nope
