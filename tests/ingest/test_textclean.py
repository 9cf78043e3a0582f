from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from narrascope.config import default_settings
from narrascope.ingest.cues import READER
from narrascope.ingest.textclean import CleanOptions, TextCleaner, line_key, repeated_lines

BODY = [
    "The harbour authority said on Monday that cargo volumes rose by a fifth last year.",
    "Officials expect the new container terminal to open before the end of the summer.",
    "Local fishermen, however, fear that dredging will damage the spawning grounds nearby.",
]


# Sentences long enough that a subheading between two of them stays inside the body.
LONG = [
    "The harbour authority said on Monday that cargo volumes rose by a fifth last year, the fastest growth "
    "since the port was rebuilt.",
    "Officials expect the new container terminal to open before the end of the summer, once the cranes "
    "ordered last spring are installed.",
    "Local fishermen, however, fear that dredging the channel will damage the spawning grounds nearby and "
    "cut their catch for years.",
]


def page(*head, tail=()):
    return "\n".join([*head, *BODY, *tail])


def reasons(result):
    return {r.text: r.reason for r in result.removed}


def test_keeps_the_article_and_lifts_metadata():
    text = page(
        "Home » Business » Shipping",
        "Harbour traffic grows as new terminal nears completion",
        "By Maria Lopez",
        "Feb. 3, 2025 10:15",
        "Photo: The container terminal / Getty Images",
        tail=(
            "Share this article",
            "Latest news",
            "- Storm closes coastal road",
            "- Mayor opens new library",
            "- Ferry fares to rise in spring",
            "© 2025 Coastal Herald. All rights reserved.",
        ),
    )
    result = TextCleaner().clean(text)
    assert result.paragraphs == ["Harbour traffic grows as new terminal nears completion", *BODY]
    assert result.title == "Harbour traffic grows as new terminal nears completion"
    assert result.author == "Maria Lopez"
    assert result.published == datetime(2025, 2, 3, 10, 15)
    assert result.outlet == "Coastal Herald"
    r = reasons(result)
    assert r["Home » Business » Shipping"] == "navigation"
    assert r["By Maria Lopez"] == "byline"
    assert r["Feb. 3, 2025 10:15"] == "dateline"
    assert r["Photo: The container terminal / Getty Images"] == "photo-credit"
    assert r["Share this article"] == "prompt"
    assert r["- Ferry fares to rise in spring"] == "tail"


def test_text_starts_with_title_and_paragraphs_are_blank_line_separated():
    result = TextCleaner().clean(page("A headline about the harbour"))
    assert result.text.startswith("A headline about the harbour\n\n" + BODY[0])


def test_tail_stops_at_prose_and_subheadings_inside_the_body_stay():
    text = "\n".join([BODY[0], "What the fishermen say", BODY[1], "Trending now", BODY[2]])
    result = TextCleaner().clean(text)
    assert "What the fishermen say" in result.paragraphs
    assert BODY[2] in result.paragraphs
    assert reasons(result) == {"Trending now": "tail"}


def test_comment_section_after_the_article_is_dropped_whole():
    comments = ["Leave a comment", "I completely disagree with the council on this one, it is a waste."]
    result = TextCleaner().clean(page("Harbour story", tail=comments))
    assert comments[1] not in result.paragraphs
    assert reasons(result)[comments[1]] == "tail"


def test_comments_link_near_the_top_does_not_cut_the_article():
    text = "\n".join(["Harbour story", "Comments (12)", *BODY])
    result = TextCleaner().clean(text)
    assert all(s in result.paragraphs for s in BODY)


def test_prompt_cues_are_anchored_not_substrings():
    line = "Kazakhstan's share of regional trade keeps growing"
    result = TextCleaner().clean("\n".join([BODY[0], line, BODY[1]]))
    assert line in result.paragraphs


def test_prompt_at_end_of_line_and_nav_word_rows():
    text = page("Story", tail=("Our interview with the harbour master: watch video", "Share Tweet Email"))
    r = reasons(TextCleaner().clean(text))
    assert r["Our interview with the harbour master: watch video"] == "prompt"
    assert r["Share Tweet Email"] == "prompt"


def test_outlet_from_discover_more_and_shouting_names():
    result = TextCleaner().clean(page("Story headline", tail=("Discover more from HARBOUR WEEKLY",)))
    assert result.outlet == "Harbour Weekly"


def test_masthead_is_not_taken_for_the_title():
    text = page(
        "Coastal Herald - News from the coast", "Harbour traffic grows", tail=("© 2025 Coastal Herald",)
    )
    result = TextCleaner().clean(text)
    assert result.title == "Harbour traffic grows"


def test_repeated_lines_across_files_of_an_outlet():
    files = [
        page("Story one", "Coastal Herald weekly digest for members"),
        page("Story two", "Coastal Herald weekly digest for members"),
        page("Story three", "Coastal Herald weekly digest for members"),
    ]
    repeated = repeated_lines(files, 3)
    assert line_key("Coastal Herald weekly digest for members") in repeated
    # prose never counts as furniture, even when syndicated copies share it
    assert line_key(BODY[0]) not in repeated
    result = TextCleaner().clean(files[0], repeated=repeated)
    assert reasons(result)["Coastal Herald weekly digest for members"] == "repeated"


def test_line_key_ignores_digits_and_case():
    assert line_key("© 2024 Coastal  Herald") == line_key("© 2025 coastal herald")


def test_a_line_printed_twice_goes_once():
    text = "\n".join(["Harbour traffic grows", "Harbour traffic grows", *BODY])
    result = TextCleaner().clean(text)
    assert result.paragraphs.count("Harbour traffic grows") == 1


def test_empty_and_furniture_only_texts():
    assert TextCleaner().clean("").text == ""
    assert TextCleaner().clean("Home\nMenu\nSearch\n").text == ""


def test_long_credit_is_a_credit_and_never_the_title():
    text = page(
        "The harbour tender is still open, with two bidders in the race",
        "Photo: The planned site of the nuclear power plant near the river / Getty Images",
        "Officials inspect the site before the tender opens on Monday / Harbour Press Agency",
    )
    result = TextCleaner().clean(text)
    assert result.title == "The harbour tender is still open, with two bidders in the race"
    r = reasons(result)
    assert (
        r["Photo: The planned site of the nuclear power plant near the river / Getty Images"]
        == "photo-credit"
    )
    assert r["Officials inspect the site before the tender opens on Monday / Harbour Press Agency"] == (
        "photo-credit"
    )


def test_sentences_opening_with_prompt_cues_are_kept_unless_they_address_the_reader():
    kept = [
        "Advertisement spending by the port fell by a third in the second half of the year.",
        "Copyright holders argued in court that the harbour film had been copied without permission.",
        "Follow us on this story, the mayor told reporters outside the council chamber on Friday.",
        "Share prices of the shipping company rose sharply after the announcement on Tuesday.",
    ]
    prompt = "Subscribe to our newsletter for the weekly briefing on the harbour and the coast."
    closing = "Subscribe now to keep reading and get access to the full archive of the paper."
    text = "\n".join(["Harbour story", BODY[0], *kept, prompt, BODY[1], BODY[2], closing, "Continue Reading"])
    result = TextCleaner().clean(text)
    assert all(sentence in result.paragraphs for sentence in kept)
    r = reasons(result)
    assert r[prompt] == "prompt"  # speaks to the reader
    assert r[closing] == "prompt"  # second-to-last line: the page's paywall, not the article


def test_copyright_notice_needs_a_sign_or_a_year():
    text = page("Harbour story", tail=("Copyright 2025 Coastal Herald",))
    result = TextCleaner().clean(text)
    assert result.outlet == "Coastal Herald"
    assert reasons(result)["Copyright 2025 Coastal Herald"] == "prompt"


def test_metadata_is_not_lifted_from_tails_or_comments():
    text = page(
        "Harbour traffic grows",
        tail=(
            "Original author: Maria Lopez",
            "More from Politics",
            "- Mayor opens new library",
            "12.02.2024",
            "- Ferry fares to rise in spring",
            "Comments",
            "By Angry Reader",
            "March 3, 2025",
            "This is outrageous, the council never listens to anyone who lives near the port.",
        ),
    )
    result = TextCleaner().clean(text)
    assert result.author == "Maria Lopez"  # the byline right after the body is the article's
    assert result.published is None  # the date belongs to a listed headline
    assert result.outlet is None  # "More from Politics" names a section, not the site
    r = reasons(result)
    assert r["12.02.2024"] == "dateline"  # the reason says what it is; the zone kept it out
    assert r["By Angry Reader"] == "byline"


def test_site_name_needs_a_capitalised_name():
    text = page("Harbour story", tail=("Subscribe to our newsletter", "More from Coastal Herald"))
    assert TextCleaner().clean(text).outlet is None


def test_subheadings_that_start_with_a_label_word_are_not_labels():
    subheads = ["Latest figures show a sharp rise", "Popular anger at the port"]
    lines = ["Harbour story", LONG[0], subheads[0], LONG[1], subheads[1], LONG[2]]
    assert TextCleaner().clean("\n".join(lines)).paragraphs == lines
    text = page("Harbour story", tail=("Latest news on Europe", "- Storm closes coastal road"))
    assert reasons(TextCleaner().clean(text))["Latest news on Europe"] == "tail"


def test_generic_author_label_needs_a_colon_and_collage_is_only_a_prefix():
    result = TextCleaner().clean(
        page("Harbour story", "Article author: Maria Lopez", "Collage: Coastal Herald")
    )
    assert result.author == "Maria Lopez"
    assert reasons(result)["Collage: Coastal Herald"] == "photo-credit"
    text = "\n".join([LONG[0], "Original author unknown", LONG[1], "A collage of harbour life", LONG[2]])
    result = TextCleaner().clean(text)
    assert "Original author unknown" in result.paragraphs
    assert "A collage of harbour life" in result.paragraphs
    assert result.author is None


def test_shipped_settings_match_the_code_defaults():
    assert CleanOptions(**default_settings().ingest.clean.to_dict()) == CleanOptions()


# No word that speaks to the reader ("you", "our", "te"...): such a sentence may be a prompt.
_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=9).filter(
    lambda w: not READER.fullmatch(w)
)
_cue = st.sampled_from(["Advertisement", "Share", "Copyright", "Follow", "Latest", "Popular", "Subscribe"])
_plain = st.lists(_word, min_size=8, max_size=30).map(lambda ws: " ".join(ws).capitalize() + ".")
_cued = st.tuples(_cue, st.lists(_word, min_size=7, max_size=29)).map(lambda c: f"{c[0]} {' '.join(c[1])}.")
_sentence = st.one_of(_plain, _cued)
_noise = st.sampled_from(
    [
        "Home » News",
        "Share",
        "Photo: Getty Images",
        "Subscribe to our newsletter",
        "Latest news",
        "By John Smith",
        "12.02.2025",
        "Advertisement",
    ]
)


@settings(max_examples=80, deadline=None)
@given(st.lists(st.one_of(_sentence, _noise), min_size=1, max_size=25))
def test_every_sentence_outside_a_tail_is_kept(lines):
    # The article's own last sentences close the page, as they do in a scrape: a sentence that
    # opens with a cue word and sits among the last three lines may be the page's prompt.
    lines = [*lines, *BODY]
    result = TextCleaner().clean("\n".join(lines))
    # A list label opens a tail only for headline-like lines; sentences always survive.
    sentences = [line for line in lines if line.endswith(".") and len(line.split()) >= 8]
    for sentence in sentences:
        assert sentence in result.paragraphs
