def people(doc):
    return [doc.text[m.start : m.end] for m in doc.mentions if m.label == "PERSON"]


def test_a_headline_name_is_cut_to_the_name_the_article_uses(make_doc):
    doc = make_doc("Nancy Pelosi Beats Back House Democratic Challenge\n\n"
                   "House Democrats re-elected Nancy Pelosi as their leader on Wednesday.")
    assert people(doc) == ["Nancy Pelosi", "Nancy Pelosi"]


def test_a_possessive_ends_a_person_name(make_doc):
    doc = make_doc("Mitt Romney’s Medicare plan would change the program for future retirees.")
    assert people(doc) == ["Mitt Romney"]


def test_sentences_start_after_a_line_break_in_the_parse_too(make_doc):
    doc = make_doc("Senate Passes The Budget Bill\nLawmakers approved it late on Friday.")
    assert [doc.text[s.start : s.end] for s in doc.sentences] == [
        "Senate Passes The Budget Bill", "Lawmakers approved it late on Friday."]
    assert [s.text.strip() for s in doc.parsed.sents][-1] == "Lawmakers approved it late on Friday."


def test_a_son_is_not_cut_to_his_father_and_body_text_is_left_alone(make_doc):
    doc = make_doc("Donald Trump spoke in Ohio on Monday. Donald Trump Jr. said the election was rigged.")
    assert "Donald Trump Jr." in people(doc) or "Donald Trump Jr" in people(doc)
