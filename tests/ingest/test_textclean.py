from datetime import datetime

from hypothesis import given, settings
from hypothesis import strategies as st

from narrascope.ingest.textclean import TextCleaner, line_key, repeated_lines

BODY = [
    "The harbour authority said on Monday that cargo volumes rose by a fifth last year.",
    "Officials expect the new container terminal to open before the end of the summer.",
    "Local fishermen, however, fear that dredging will damage the spawning grounds nearby.",
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


_word = st.text(alphabet="abcdefghijklmnopqrstuvwxyz", min_size=2, max_size=9)
_sentence = st.lists(_word, min_size=8, max_size=30).map(lambda ws: " ".join(ws).capitalize() + ".")
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


@settings(max_examples=60, deadline=None)
@given(st.lists(st.one_of(_sentence, _noise), min_size=1, max_size=25))
def test_every_sentence_outside_a_tail_is_kept(lines):
    result = TextCleaner().clean("\n".join(lines))
    # A list label opens a tail only for headline-like lines; sentences always survive.
    sentences = [line for line in lines if line.endswith(".") and len(line.split()) >= 8]
    for sentence in sentences:
        assert sentence in result.paragraphs
