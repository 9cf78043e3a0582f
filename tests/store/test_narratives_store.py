from narrascope.model import Article, Evidence, Stance, TechniqueSpan, Thesis, thesis_id


def test_theses_are_stored_once_and_ids_ignore_spacing_and_case(store):
    t = Thesis(thesis_id("Karavia is  drifting away"), "Karavia is drifting away")
    assert thesis_id("karavia is drifting away") == t.id
    assert store.add_theses([t]) == [t]
    assert store.add_theses([t]) == []
    assert store.list_theses() == [t]
    twice = Thesis(thesis_id("Karavia joins the union"), "Karavia joins the union")
    assert store.add_theses([twice, twice]) == [twice]  # one call naming a thesis twice stores it once
    assert store.list_theses() == [t, twice]


def test_stances_round_trip_and_replace(store):
    store.add_article(Article(id="a1", text="Some text here."))
    s = Stance("t1", "a1", "oppose", 0.9, [Evidence(0, 4, "oppose", 0.9, "calls the thesis fake")])
    store.save_stances([s], "1")
    assert store.list_stances("t1") == [s]
    assert store.stance_pairs_done("1") == {("t1", "a1")} and store.stance_pairs_done("2") == set()
    store.save_stances([Stance("t1", "a1", "support", 0.6)], "1")
    assert [x.label for x in store.list_stances()] == ["support"]


def test_techniques_replace_per_article(store):
    spans = [TechniqueSpan("a1", 0, 4, "loaded_language", 0.7), TechniqueSpan("a2", 2, 6, "doubt", 0.6)]
    store.replace_techniques(["a1", "a2"], spans)
    store.replace_techniques(["a1"], [])
    assert store.list_techniques() == [spans[1]]
    assert store.list_techniques("a2") == [spans[1]]
