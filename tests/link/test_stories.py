from datetime import datetime

import numpy as np

from narrascope.link.stories import Item, StoryParams, assign


def vec(*values):
    v = np.zeros(8, dtype=np.float32)
    v[: len(values)] = values
    return v / np.linalg.norm(v)


def item(aid, v, names, day):
    return Item(aid, v, frozenset(names), datetime(2025, 3, day))


def test_similar_articles_join_one_story_and_others_start_new_ones():
    stories = []
    members = assign(
        [
            item("a1", vec(1, 0.1), {"karav", "tarsk"}, 1),
            item("a2", vec(1, 0.15), {"karav", "tarsk"}, 2),
            item("b1", vec(0, 1), {"aktau"}, 2),
        ],
        stories,
        StoryParams(),
    )
    by_article = {a: s for a, s, _ in members}
    assert by_article["a1"] == by_article["a2"] != by_article["b1"]
    assert len(stories) == 2


def test_story_ids_survive_new_articles():
    stories = []
    first = assign([item("a1", vec(1, 0.1), {"karav"}, 1)], stories, StoryParams())
    later = assign(
        [item("a3", vec(1, 0.12), {"karav"}, 3), item("c1", vec(0, 0, 1), {"minsk"}, 3)],
        stories,
        StoryParams(),
    )
    assert later[0][1] == first[0][1]  # joins the existing story, same id
    assert {s.id for s in stories} >= {first[0][1]}


def test_time_gap_splits_repeated_events():
    stories = []
    params = StoryParams(window_days=7)
    members = assign(
        [
            Item("x1", vec(1, 0.1), frozenset({"karav"}), datetime(2024, 1, 1)),
            Item("x2", vec(1, 0.1), frozenset({"karav"}), datetime(2025, 6, 1)),
        ],
        stories,
        params,
    )
    assert members[0][1] != members[1][1]
