"""Where an article's outlet comes from: the text's own clues, a sources file, the folder, and
the order they are weighed in; re-ingesting with an outlet newly given updates in place."""

import json

import pytest

from narrascope.errors import ConfigError
from narrascope.ingest import TextCleaner, ingest_paths
from narrascope.ingest.outlets import (
    OutletOptions,
    SourceRule,
    Sources,
    domain_of,
    folder_outlet,
    read_sources,
)
from narrascope.store import SQLStore

BODY = [
    "The harbour authority said on Monday that cargo volumes rose by a fifth last year.",
    "Officials expect the new container terminal to open before the end of the summer.",
    "Local fishermen, however, fear that dredging will damage the spawning grounds nearby.",
]
OTHER = [
    "Heavy snow closed the northern highway for the second time this week, police said on Friday.",
    "Drivers were advised to avoid the mountain pass until the ploughs have cleared the road.",
    "The weather service expects temperatures to rise again from Sunday onwards.",
]


def page(*head, tail=(), body=BODY):
    return "\n".join([*head, *body, *tail])


def write(path, text):
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text + "\n", encoding="utf-8")
    return path


def outlets(store):
    return sorted((a.path.rsplit("/", 1)[-1], a.outlet) for a in store.iter_articles())


# -- what the text says ------------------------------------------------------------------------


def test_a_masthead_above_the_headline_names_the_site():
    result = TextCleaner().clean(
        page("EURASIA NEWS", "Harbour traffic grows as new terminal nears completion")
    )
    assert result.outlet == "Eurasia News"
    assert result.title == "Harbour traffic grows as new terminal nears completion"
    assert TextCleaner().clean(page("Channel 24", "Harbour traffic grows")).outlet == "Channel 24"


def test_a_masthead_as_the_last_line_names_the_site():
    assert (
        TextCleaner().clean(page("Harbour story", tail=("The Harbour Times",))).outlet == "The Harbour Times"
    )


def test_a_short_headline_shaped_like_a_name_is_the_title_not_the_site():
    result = TextCleaner().clean(page("Kazakhstan Bans Foreign Media"))
    assert result.outlet is None
    assert result.title == "Kazakhstan Bans Foreign Media"
    # Section labels and list labels are not mastheads either.
    for label in ("World News", "Latest News", "Press Release", "News"):
        assert TextCleaner().clean(page(label, "Harbour traffic grows")).outlet is None, label


def test_a_copyright_line_names_the_site_without_its_legal_form():
    assert (
        TextCleaner().clean(page("Harbour story", tail=("© 2024 Coastal Herald LLC",))).outlet
        == "Coastal Herald"
    )
    notice = "Все права защищены. © ООО «Портовые новости», 2024"
    assert TextCleaner().clean(page("Harbour story", tail=(notice,))).outlet == "Портовые новости"


def test_a_copyright_sign_without_year_inside_the_article_is_a_picture_credit():
    text = "\n".join(["Harbour story", BODY[0], "© Jane Doe", BODY[1], BODY[2], *OTHER])
    result = TextCleaner().clean(text)
    assert result.outlet is None
    assert {r.text: r.reason for r in result.removed}["© Jane Doe"] == "photo-credit"


def test_a_collage_in_a_picture_credit_names_the_site_that_made_it():
    credit = "The harbour at dawn / Collage Coastal Herald / Getty Images"
    result = TextCleaner().clean(page("Harbour story", credit))
    assert result.outlet == "Coastal Herald"
    assert {r.text: r.reason for r in result.removed}[credit] == "photo-credit"
    assert TextCleaner().clean(page("Harbour story", "Коллаж: Портовые новости")).outlet == "Портовые новости"
    assert TextCleaner().clean(page("Harbour story", "Collage by coastal-herald.com")).outlet == "coastal-herald.com"
    # An agency, a description, a photo credit or the person who made the collage names no outlet.
    for credit in ("The harbour / Collage: Getty Images", "Collage by the author", "Photo: Coastal Herald",
                   "The harbour / Photo Jane Doe / Reuters", "The harbour / Collage by Jane Doe / Getty Images"):
        assert TextCleaner().clean(page("Harbour story", credit)).outlet is None, credit


def test_a_collage_credited_to_a_person_names_no_outlet():
    # The person who made the collage, in either language, with or without "by".
    for credit in ("Collage: Jane Doe", "Коллаж: Иван Петров", "Колаж: Олена Коваль", "Collage Anna Ivanova",
                   "The harbour / Коллаж: Анна Иванова / Getty Images", "Collage: JANE DOE"):
        assert TextCleaner().clean(page("Harbour story", credit)).outlet is None, credit
    # A site's name holds a media word, a number or an acronym.
    assert TextCleaner().clean(page("Harbour story", "Коллаж: УНИАН")).outlet == "УНИАН"
    assert TextCleaner().clean(page("Harbour story", "Collage: UNIAN")).outlet == "UNIAN"
    assert TextCleaner().clean(page("Harbour story", "Collage: Harbour 24")).outlet == "Harbour 24"


def test_an_acronym_outlet_keeps_its_case():
    assert TextCleaner().clean(page("Harbour story", tail=("© 2024 UNIAN",))).outlet == "UNIAN"
    assert TextCleaner().clean(page("Harbour story", tail=("© 2024 BBC NEWS",))).outlet == "BBC News"
    shouted = "© 2024 THE DAILY EXAMPLE. All rights reserved"
    assert TextCleaner().clean(page("Harbour story", tail=(shouted,))).outlet == "The Daily Example"


def test_the_site_after_the_headline_is_cut_off_and_named():
    result = TextCleaner().clean(
        page("Harbour traffic grows as terminal nears completion | The Harbour Times")
    )
    assert result.title == "Harbour traffic grows as terminal nears completion"
    assert result.outlet == "The Harbour Times"
    assert ("| The Harbour Times", "navigation") in {(r.text, r.reason) for r in result.removed}
    # An ordinary end of a headline stays.
    kept = TextCleaner().clean(page("Harbour traffic grows - Live Updates"))
    assert kept.title == "Harbour traffic grows - Live Updates" and kept.outlet is None


def test_an_address_and_a_site_name_in_a_metadata_header():
    text = page(
        "url: https://www.harbourtimes.example/news/terminal", "sitename: Harbour Times", "Harbour story"
    )
    result = TextCleaner().clean(text)
    assert result.url == "https://www.harbourtimes.example/news/terminal"
    assert result.site == "Harbour Times"
    assert result.title == "Harbour story"
    # A bare link under the article is a reference, not the page's address.
    assert TextCleaner().clean(page("Harbour story", tail=("https://other.example/report",))).url is None


def test_a_crumb_names_the_site_only_when_its_first_part_is_shaped_like_one():
    crumb = "Eurasia News - Central Asia - Russia and Kazakhstan relations"
    assert TextCleaner().clean(page(crumb, "Harbour traffic grows")).outlet == "Eurasia News"
    for section in (
        "Wellness / Fitness / Spa",
        "Rentenpolitik | Blog | Mailaktion",
        "Informationen » Kinder",
    ):
        assert TextCleaner().clean(page(section, "Harbour traffic grows")).outlet is None, section


def test_a_whole_page_menu_is_not_a_masthead():
    menu = ["Formel 1 News", "MotoGP", "Rallye Dakar", "Videos", "Termine", "Harbour traffic grows"]
    assert TextCleaner().clean(page(*menu)).outlet is None
    # A domain alone above the headline is the site's; one in a menu is a link to another site.
    assert TextCleaner().clean(page("Orda.kz", "Harbour traffic grows")).outlet == "orda.kz"
    assert (
        TextCleaner().clean(page("Weather", "other.example", "Sports", "Harbour traffic grows")).outlet
        is None
    )


def test_subscribing_to_a_newsletter_names_no_site():
    for prompt in ("Subscribe to Our Newsletter", "Subscribe to RSS", "Subscribe to Blog Via Email"):
        assert TextCleaner().clean(page("Harbour story", tail=(prompt,))).outlet is None, prompt


def test_a_name_inside_a_sentence_is_never_the_outlet():
    text = page(
        "Harbour story",
        body=[*BODY, "The minister told Channel 24 that the terminal would open on time, reports Orda.kz."],
    )
    assert TextCleaner().clean(text).outlet is None


def test_an_article_that_names_no_site_keeps_no_outlet(tmp_path, store, settings):
    write(tmp_path / "plain.txt", page("Harbour traffic grows"))
    ingest_paths([str(tmp_path)], store, settings)
    assert outlets(store) == [("plain.txt", None)]


# -- sources file, folder, and the order -------------------------------------------------------


def test_folder_names_the_outlet(tmp_path, store, settings):
    write(tmp_path / "scrape" / "tass" / "a.txt", page("Harbour traffic grows"))
    write(tmp_path / "scrape" / "ria" / "b.txt", page("Snow closes the road", body=OTHER))
    report = ingest_paths([str(tmp_path / "scrape")], store, settings, outlet_from_folder=True)
    assert report.errors == []
    assert outlets(store) == [("a.txt", "tass"), ("b.txt", "ria")]
    assert folder_outlet("scrape/tass/a.txt") == "tass"


def test_sources_by_glob_and_by_domain(tmp_path, store, settings):
    write(tmp_path / "scrape" / "tass" / "a.txt", page("Harbour traffic grows"))
    write(tmp_path / "scrape" / "misc" / "b.txt", page("Snow closes the road", body=OTHER))
    record = {"text": " ".join(BODY[:2]) + " More news follows.", "url": "https://www.novosti.example/x"}
    write(tmp_path / "scrape" / "misc" / "c.jsonl", json.dumps(record))
    csv = write(
        tmp_path / "sources.csv",
        "pattern,outlet\n# comments and blank lines are skipped\n\n"
        "*/tass/*,TASS\nnovosti.example,Novosti\nb.txt,Misc Daily\n*,Never reached",
    )
    ingest_paths([str(tmp_path / "scrape")], store, settings, sources=str(csv))
    assert outlets(store) == [("a.txt", "TASS"), ("b.txt", "Misc Daily"), ("c.jsonl#1", "Novosti")]


def test_source_rules_match_paths_and_domain_suffixes():
    assert SourceRule("tass.ru", "TASS").matches(None, "www.tass.ru")
    assert SourceRule("*.tass.ru", "TASS").matches(None, "tass.ru")
    assert not SourceRule("tass.ru", "TASS").matches(None, "nottass.ru")
    assert SourceRule("tass.ru", "TASS").matches("crawl/tass.ru/a.txt", None)  # a folder named so
    assert SourceRule("crawl/tass", "TASS").matches("crawl/tass/2025/a.txt", None)
    assert not SourceRule("*.txt", "X").matches(None, "example.txt")  # a wildcard is no domain
    rules = Sources((SourceRule("*.html", "First"), SourceRule("a.html", "Second")))
    assert rules.outlet_for("a.html", None) == "First"  # first match wins
    assert domain_of("https://WWW.Example.com:8080/x") == "example.com"


def test_the_order_of_outlet_clues(tmp_path, store, settings):
    """--outlet > sources > what the input states > folder > URL domain > the text's clues."""
    footer = ("© 2025 Footer News",)
    write(tmp_path / "feeds" / "a.txt", page("Harbour traffic grows", tail=footer))
    write(tmp_path / "feeds" / "b.jsonl", json.dumps({"text": " ".join(OTHER), "outlet": "Record Post"}))
    third = "Officials said the ferry would run twice a day from March, weather permitting, to the islands."
    write(tmp_path / "feeds" / "c.jsonl", json.dumps({"text": third, "url": "https://c.example/x"}))
    ingest_paths([str(tmp_path / "feeds")], store, settings)
    assert outlets(store) == [
        ("a.txt", "Footer News"),
        ("b.jsonl#1", "Record Post"),
        ("c.jsonl#1", "c.example"),
    ]

    folder = SQLStore.memory()
    ingest_paths([str(tmp_path / "feeds")], folder, settings, outlet_from_folder=True)
    assert outlets(folder) == [("a.txt", "feeds"), ("b.jsonl#1", "Record Post"), ("c.jsonl#1", "feeds")]

    csv = write(tmp_path / "s.csv", "b.jsonl,Sources Row")
    named = SQLStore.memory()
    ingest_paths([str(tmp_path / "feeds")], named, settings, sources=str(csv), outlet_from_folder=True)
    assert outlets(named) == [("a.txt", "feeds"), ("b.jsonl#1", "Sources Row"), ("c.jsonl#1", "feeds")]

    given = SQLStore.memory()
    ingest_paths([str(tmp_path / "feeds")], given, settings, outlet="Given", sources=str(csv))
    assert {o for _, o in outlets(given)} == {"Given"}


@pytest.mark.parametrize(
    ("content", "where", "reason"),
    [
        (
            "pattern,outlet\n*/tass/*,TASS\nria.ru\n",
            ":3",
            "expected two cells, a pattern and an outlet name; found one",
        ),
        ("*/tass/*,TASS,extra\n", ":1", "found 3"),
        ("*/tass/*,TASS\n,Orphan\n", ":2", "found an empty pattern"),
        ('x,y\nx,"unclosed\n', ":2", "not valid CSV"),
        ("pattern,outlet\n\n# nothing\n", "", "no pattern,outlet rows in the sources file"),
    ],
)
def test_a_bad_sources_file_is_one_error_naming_its_line(tmp_path, content, where, reason):
    path = tmp_path / "s.csv"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ConfigError) as err:
        read_sources(path)
    assert err.value.source == f"{path}{where}"
    assert reason in err.value.reason
    with pytest.raises(ConfigError, match="cannot read the sources file"):
        read_sources(tmp_path / "missing.csv")


def test_bad_sources_stop_the_run_before_anything_is_read(tmp_path, store, settings):
    write(tmp_path / "in" / "a.txt", page("Harbour traffic grows"))
    bad = write(tmp_path / "s.csv", "only-a-pattern")
    with pytest.raises(ConfigError):
        ingest_paths([str(tmp_path / "in")], store, settings, sources=str(bad))
    assert store.count_articles() == 0


# -- ids: re-ingesting adds nothing; an outlet newly given updates in place ---------------------


def test_reingesting_the_same_way_adds_nothing(tmp_path, store, settings):
    write(tmp_path / "tass" / "a.txt", page("Harbour traffic grows"))
    csv = write(tmp_path / "s.csv", "*/tass/*,TASS")
    for kwargs in ({"outlet_from_folder": True}, {"sources": str(csv)}, {"outlet": "Tass Wire"}):
        ingest_paths([str(tmp_path / "tass")], store, settings, **kwargs)
        again = ingest_paths([str(tmp_path / "tass")], store, settings, **kwargs)
        assert (len(again.added), again.updated, again.unchanged) == (0, 0, 1), kwargs
        assert store.count_articles() == 1


def test_an_outlet_given_later_updates_the_stored_article_in_place(tmp_path, store, settings):
    write(tmp_path / "tass" / "a.txt", page("Harbour traffic grows"))
    folder = str(tmp_path / "tass")
    ingest_paths([folder], store, settings)
    (before,) = store.iter_articles()
    assert before.outlet is None

    named = ingest_paths([folder], store, settings, outlet_from_folder=True)
    assert (len(named.added), named.updated) == (0, 1)
    (after,) = store.iter_articles()
    assert (after.id, after.outlet) == (before.id, "tass")

    renamed = ingest_paths([folder], store, settings, outlet="TASS")
    assert (len(renamed.added), renamed.updated) == (0, 1)
    plain = ingest_paths([folder], store, settings)  # no outlet stated: what is stored stays
    assert (len(plain.added), plain.updated, plain.unchanged) == (0, 0, 1)
    assert [(a.id, a.outlet) for a in store.iter_articles()] == [(before.id, "TASS")]


def test_one_text_in_two_outlets_folders_is_two_articles(tmp_path, store, settings):
    text = page("Harbour traffic grows")
    write(tmp_path / "scrape" / "alpha" / "story.txt", text)
    write(tmp_path / "scrape" / "beta" / "story.txt", text)
    report = ingest_paths([str(tmp_path / "scrape")], store, settings, outlet_from_folder=True)
    arts = {a.outlet: a for a in store.iter_articles()}
    assert set(arts) == {"alpha", "beta"} and len(report.added) == 2
    assert arts["beta"].duplicate_of == arts["alpha"].id


def test_outlet_options_name_before_sources():
    opts = OutletOptions("Given", Sources((SourceRule("*", "Row"),)), True)
    assert opts.named("a/b.txt", None) == "Given"
    assert OutletOptions(None, Sources((SourceRule("*", "Row"),))).named("a/b.txt", None) == "Row"
    assert OutletOptions().folder("a/b.txt") is None
