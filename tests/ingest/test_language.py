"""Language detection prefers the configured languages without being locked into them."""

from __future__ import annotations

import pytest

from narrascope.config import default_settings
from narrascope.ingest.language import detect_language

CONFIGURED = tuple(default_settings().ingest.languages)


@pytest.mark.parametrize(
    ("text", "code"),
    [
        ("中华人民共和国国务院总理今天在北京会见了来访的外国代表团。", "zh"),
        ("قال رئيس الوزراء إن الحكومة ستعلن عن خطة جديدة للاقتصاد الأسبوع المقبل.", "ar"),
        ("Ο πρωθυπουργός δήλωσε ότι η κυβέρνηση θα ανακοινώσει νέο σχέδιο για την οικονομία.", "el"),
        ("De regering heeft vandaag een nieuwe begroting voor volgend jaar goedgekeurd.", "nl"),
        ("政府は本日、来年度の新しい予算を承認したと発表した。", "ja"),
    ],
)
def test_languages_nobody_configured_get_their_own_code(text: str, code: str) -> None:
    assert code not in CONFIGURED
    assert detect_language(text, CONFIGURED) == code


@pytest.mark.parametrize(
    "text",
    [
        "Мадина Аралбаева",  # two words a relative claims 7x more strongly
        "свои позиции",
        "Путин встретился с Токаевым.",
        "Москва опасается потерять союзника.",
        "Министр заявил, что переговоры продолжатся.",
    ],
)
def test_short_russian_stays_russian(text: str) -> None:
    assert detect_language(text, CONFIGURED) == "ru"


@pytest.mark.parametrize(
    "text", ["Тоқаев Мәскеуге барды.", "Бүгін Алматыда кездесу өтті.", "Үкімет жаңа бюджетті мақұлдады."]
)
def test_short_cyrillic_kazakh_stays_kazakh(text: str) -> None:
    assert detect_language(text, CONFIGURED) == "kk"


def test_configured_languages_are_read_as_before() -> None:
    assert detect_language("The council approved the budget on Tuesday.", CONFIGURED) == "en"
    assert detect_language("Уряд схвалив новий бюджет на наступний рік.", CONFIGURED) == "uk"


def test_no_letters_no_language() -> None:
    assert detect_language("12 345 — 678", CONFIGURED) is None
