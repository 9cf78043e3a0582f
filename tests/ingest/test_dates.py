from datetime import UTC, datetime, timedelta, timezone

import pytest

from narrascope.ingest.dates import dateline, parse_iso


@pytest.mark.parametrize(
    ("line", "expected"),
    [
        ("Feb.11 - 2025 6:48 AM CET", datetime(2025, 2, 11, 6, 48, tzinfo=timezone(timedelta(hours=1)))),
        ("12 February 2025, 09:30", datetime(2025, 2, 12, 9, 30)),
        ("2025-02-12T09:30:00+03:00", datetime(2025, 2, 12, 9, 30, tzinfo=timezone(timedelta(hours=3)))),
        ("12.02.2025", datetime(2025, 2, 12)),
        ("12 февраля 2025 г.", datetime(2025, 2, 12)),
        (
            "Updated: March 3, 2025 at 5:10 pm EST",
            datetime(2025, 3, 3, 17, 10, tzinfo=timezone(timedelta(hours=-5))),
        ),
        ("31. Mai 2012", datetime(2012, 5, 31)),
    ],
)
def test_datelines(line, expected):
    assert dateline(line) == expected


@pytest.mark.parametrize(
    "line",
    [
        "The agreement signed on 12 March 2025 was praised by several ministers in the capital today.",
        "Chapter 2025",
        "31.02.2025",  # no such day
        "No date at all",
    ],
)
def test_not_datelines(line):
    assert dateline(line) is None


def test_parse_iso_and_feed_dates():
    assert parse_iso("2025-02-13T08:00:00Z") == datetime(2025, 2, 13, 8, tzinfo=UTC)
    assert parse_iso("Thu, 13 Feb 2025 08:00:00 +0000") == datetime(2025, 2, 13, 8, tzinfo=UTC)
    assert parse_iso("soon") is None
    assert parse_iso("") is None
