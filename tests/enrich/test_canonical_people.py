"""Entity canonicalisation with the constraints a reader uses: relatives and namesakes stay apart,
titles carry gender and office, short names are read in their article or story, a name is never
absorbed by one of its words, acronyms join what the text defines, types go by vote."""

from narrascope.enrich.canonical import MentionRef, canonicalize


def ref(text, label, article="a1", title=None, defines=None, start=0):
    return MentionRef(article, start, start + len(text), label, text, None, defines, title)


def names_of(mentions):
    entities, ids = canonicalize(mentions)
    by_id = {e.id: e for e in entities}
    return [by_id[i].name for i in ids], by_id, ids


def test_a_generational_suffix_is_another_person():
    _, _, ids = names_of([
        ref("Donald Trump", "PERSON", "a1"),
        ref("Donald Trump Jr.", "PERSON", "a1"),
        ref("Donald Trump", "PERSON", "a2"),
        ref("Donald Trump Jr.", "PERSON", "a3"),
        ref("Trump Jr.", "PERSON", "a3"),
    ])
    assert ids[0] == ids[2] != ids[1] == ids[3] == ids[4]


def test_a_surname_without_suffix_prefers_the_person_without_one():
    names, _, _ = names_of([
        ref("Donald Trump", "PERSON", "a1"), ref("Moscow", "GPE", "a1"), ref("Natalia Veselnitskaya", "PERSON", "a1"),
        ref("Donald Trump Jr.", "PERSON", "a2"), ref("Moscow", "GPE", "a2"),
        ref("Natalia Veselnitskaya", "PERSON", "a2"), ref("Trump", "PERSON", "a2", title="President"),
        ref("Robert S. Mueller III", "PERSON", "a3"), ref("Mueller", "PERSON", "a3", title="Mr."),
    ])
    assert names[6] == "Donald Trump" and names[8] == "Robert S. Mueller III"


def test_different_given_names_or_middle_initials_never_merge():
    _, _, ids = names_of([
        ref("Barack Obama", "PERSON", "a1"),
        ref("Michelle Obama", "PERSON", "a2"),
        ref("George W. Bush", "PERSON", "a3"),
        ref("George H.W. Bush", "PERSON", "a4"),
        ref("Jeb Bush", "PERSON", "a5"),
        ref("Bernie Sanders", "PERSON", "a6"),
        ref("Sarah Huckabee Sanders", "PERSON", "a7"),
        ref("Eric Smith", "PERSON", "a8"),
        ref("Erica Smith", "PERSON", "a9"),
    ])
    assert len(set(ids)) == len(ids)


def test_nicknames_initials_and_middle_names_join():
    _, _, ids = names_of([
        ref("David Brat", "PERSON", "a1"),
        ref("Dave Brat", "PERSON", "a2"),
        ref("John A. Boehner", "PERSON", "a3"),
        ref("John Boehner", "PERSON", "a4"),
        ref("J. Boehner", "PERSON", "a5"),
    ])
    assert ids[0] == ids[1] and ids[2] == ids[3] == ids[4]


def test_an_initial_cannot_chain_two_given_names():
    _, _, ids = names_of([
        ref("John Smith", "PERSON", "a1"), ref("J. Smith", "PERSON", "a2"), ref("Jane Smith", "PERSON", "a3"),
    ])
    assert ids[0] != ids[2]


def test_a_surname_shared_by_two_people_in_its_article_stays_apart():
    names, _, _ = names_of([
        ref("Barack Obama", "PERSON", "a1"), ref("Michelle Obama", "PERSON", "a1"), ref("Obama", "PERSON", "a1"),
    ])
    assert names[2] == "Obama"


def test_a_surname_joins_the_only_full_name_in_its_article():
    names, _, _ = names_of([
        ref("Anna Smith", "PERSON", "a1"), ref("John Smith", "PERSON", "a2"), ref("Smith", "PERSON", "a2"),
    ])
    assert names[2] == "John Smith"


def test_mr_is_not_a_woman_known_as_mrs():
    # a1 and a2 (one story) teach that Hillary Clinton is called Mrs.; in a3 "Mr. Clinton" is Bill,
    # and in a4, which names no Bill, he is nobody
    names, _, ids = names_of([
        ref("Hillary Clinton", "PERSON", "a1"), ref("Clinton", "PERSON", "a1", title="Mrs."),
        ref("Huma Abedin", "PERSON", "a1"), ref("Chappaqua", "GPE", "a1"),
        ref("Hillary Clinton", "PERSON", "a2"), ref("Clinton", "PERSON", "a2", title="Mrs."),
        ref("Huma Abedin", "PERSON", "a2"), ref("Chappaqua", "GPE", "a2"),
        ref("Hillary Clinton", "PERSON", "a3"), ref("Bill Clinton", "PERSON", "a3"),
        ref("Clinton", "PERSON", "a3", title="Mr."), ref("Clinton", "PERSON", "a3", title="Mrs."),
        ref("Little Rock", "GPE", "a3"), ref("Arkansas", "GPE", "a3"), ref("Vince Foster", "PERSON", "a3"),
        ref("Hillary Clinton", "PERSON", "a4"), ref("Clinton", "PERSON", "a4", title="Mr."),
        ref("Iowa", "GPE", "a4"), ref("Des Moines", "GPE", "a4"), ref("Robby Mook", "PERSON", "a4"),
    ])
    assert names[1] == names[5] == names[11] == "Hillary Clinton"
    assert names[10] == "Bill Clinton"
    assert names[16] == "Clinton" and ids[16] != ids[15]


def test_an_office_picks_the_person_who_holds_it_in_the_story():
    # a1 calls Barack Obama president; a2 names only Sasha Obama, yet "President Obama" is her father
    names, _, _ = names_of([
        ref("Barack Obama", "PERSON", "a1", title="President"), ref("Lauten", "PERSON", "a1"),
        ref("Sasha Obama", "PERSON", "a2"), ref("Lauten", "PERSON", "a2"),
        ref("Obama", "PERSON", "a2", title="President"),
    ])
    assert names[4] == "Barack Obama"


def test_untitled_uses_follow_the_titled_ones_in_their_article():
    # a0 teaches that Barack Obama is called Mr., a1 that he is president; a2 names only his daughter
    # in full, yet calls him "Mr. Obama" and "President Obama": its untitled "Obama" follows them
    names, _, _ = names_of([
        ref("Barack Obama", "PERSON", "a0"), ref("Obama", "PERSON", "a0", title="Mr."),
        ref("Joe Biden", "PERSON", "a0"), ref("Kabul", "GPE", "a0"), ref("Afghanistan", "GPE", "a0"),
        ref("Barack Obama", "PERSON", "a1", title="President"), ref("Fincher", "PERSON", "a1"),
        ref("Elizabeth Lauten", "PERSON", "a1"), ref("Malia Obama", "PERSON", "a2"),
        ref("Fincher", "PERSON", "a2"), ref("Elizabeth Lauten", "PERSON", "a2"),
        ref("Obama", "PERSON", "a2", title="Mr."), ref("Obama", "PERSON", "a2", title="President"),
        ref("Obama", "PERSON", "a2"),
    ])
    assert names[11] == names[12] == names[13] == "Barack Obama"


def test_a_surname_is_read_in_its_story_never_across_the_corpus():
    names, _, _ = names_of([
        ref("Joe Biden", "PERSON", "a1"), ref("Paul Ryan", "PERSON", "a1"), ref("Martha Raddatz", "PERSON", "a1"),
        ref("Danville", "GPE", "a1"),
        ref("Biden", "PERSON", "a2"), ref("Ryan", "PERSON", "a2"), ref("Raddatz", "PERSON", "a2"),
        ref("Danville", "GPE", "a2"),
        # another story: a surname alone among unrelated names
        ref("Biden", "PERSON", "a3"), ref("Wilmington", "GPE", "a3"), ref("Amtrak", "ORG", "a3"),
        ref("Delaware", "GPE", "a3"), ref("Chris Coons", "PERSON", "a3"), ref("Tom Carper", "PERSON", "a3"),
    ])
    assert names[4] == "Joe Biden" and names[5] == "Paul Ryan"
    assert names[8] == "Biden"


def test_a_first_name_alone_joins_its_full_name():
    names, _, _ = names_of([ref("Hillary Clinton", "PERSON"), ref("Hillary", "PERSON"), ref("Eric", "PERSON")])
    assert names[1] == "Hillary Clinton" and names[2] == "Eric"


def test_a_name_tagged_as_a_place_beside_its_full_name_is_that_person():
    names, _, _ = names_of([
        ref("Sasha Obama", "PERSON", "a1"), ref("Sasha", "GPE", "a1"), ref("Sasha", "GPE", "a1"),
        ref("Mikhail Mishustin", "PERSON", "a2"), ref("Mishustin", "ORG", "a2"),
        ref("George Washington", "PERSON", "a4"), ref("Washington", "GPE", "a4"), ref("Mount Vernon", "GPE", "a4"),
        ref("Washington", "GPE", "a3"), ref("Congress", "ORG", "a3"), ref("Senate", "ORG", "a3"),
        ref("Washington", "GPE", "a5"), ref("White House", "ORG", "a5"), ref("Pentagon", "ORG", "a5"),
    ])
    assert names[1] == names[2] == "Sasha Obama"
    assert names[4] == "Mikhail Mishustin"
    assert names[6] == names[8] == names[11] == "Washington"


def test_a_name_is_never_absorbed_by_one_of_its_words():
    _, _, ids = names_of([
        ref("White House", "ORG", "a1"), ref("House", "ORG", "a1"), ref("House", "ORG", "a2"),
        ref("Islamic State", "ORG", "a3"), ref("State", "ORG", "a3"), ref("State", "ORG", "a4"),
        ref("Capitol Hill", "ORG", "a5"), ref("Hill", "ORG", "a5"), ref("Hill", "ORG", "a6"),
        ref("House Rules Committee", "ORG", "a7"), ref("House Budget Committee", "ORG", "a8"),
        ref("Committee", "ORG", "a7"), ref("Committee", "ORG", "a8"), ref("Committee", "ORG", "a9"),
    ])
    assert ids[0] != ids[1] == ids[2]
    assert ids[3] != ids[4] and ids[6] != ids[7]
    assert len({ids[9], ids[10], ids[11]}) == 3 and ids[9] != ids[12]


def test_a_word_that_never_stands_alone_is_the_short_form_of_its_name():
    names, _, _ = names_of([
        ref("The Baltic Ledger", "ORG", "a1"), ref("the Ledger", "ORG", "a1"),
        ref("Baltic Ledger", "ORG", "a2"), ref("Ledger", "ORG", "a2"),
        ref("Randolph-Macon College", "ORG", "a3"), ref("Randolph-Macon", "ORG", "a3"),
    ])
    assert names[:4] == ["Baltic Ledger"] * 4 and names[5] == "Randolph-Macon College"


def test_a_headline_glued_to_a_name_is_that_person_and_no_candidate():
    _, _, ids = names_of([
        ref("Bernie Sanders Meets", "PERSON", "a1"), ref("Bernie Sanders", "PERSON", "a1"),
        ref("Obama Will Meet With Sanders", "PERSON", "a1"), ref("Sanders", "PERSON", "a1"),
    ])
    assert ids[0] == ids[1] == ids[3] != ids[2]


def test_an_acronym_defined_in_the_text_joins_its_expansion():
    names, by_id, ids = names_of([
        ref("Eurasian Economic Union", "ORG", "a1", defines="EAEU"),
        ref("EAEU", "ORG", "a2"),
        ref("Northern Trade Union", "ORG", "a3", defines="NTU"),
    ])
    assert names[0] == names[1] == "Eurasian Economic Union"
    assert "NTU" in by_id[ids[2]].aliases  # the definition names it even where no mention does


def test_an_acronym_fits_only_a_name_of_its_own_type():
    _, _, ids = names_of([ref("North Carolina", "GPE", "a1"), ref("NCAA", "ORG", "a2"),
                          ref("United States", "GPE", "a3"), ref("U.S.", "GPE", "a4"),
                          ref("U.S. Senate", "ORG", "a5")])
    assert ids[0] != ids[1] and ids[2] == ids[3] != ids[4]


def test_type_is_a_vote_over_every_mention_a_title_counting_for_a_person():
    _, by_id, ids = names_of([
        ref("Kasim-Jomart Tokayev", "ORG", "a1"), ref("Kasim-Jomart Tokayev", "ORG", "a2"),
        ref("Kassym-Jomart Tokayev", "ORG", "a3"), ref("Kasim-Jomart Tokayev", "PERSON", "a4", title="leader"),
    ])
    assert len(set(ids)) == 1 and by_id[ids[0]].type == "PERSON"


def test_a_group_name_is_not_the_country_and_its_plural_is_itself():
    _, _, ids = names_of([
        ref("Kazakhstan", "GPE", "a1"), ref("Kazakhstan", "GPE", "a2"), ref("Kazakhstani", "NORP", "a3"),
        ref("Democrats", "NORP", "a1"), ref("Democrat", "NORP", "a2"),
        ref("Byelogor", "GPE", "a4"), ref("Byelogor", "GPE", "a5"), ref("Byelogor", "NORP", "a6"),
    ])
    assert ids[0] == ids[1] != ids[2]
    assert ids[3] == ids[4]
    assert ids[5] == ids[6] == ids[7]  # the same spelling tagged NORP by mistake


def test_short_names_left_apart_with_different_titles_get_different_ids():
    entities, ids = canonicalize([
        ref("Barack Obama", "PERSON", "a1"), ref("Michelle Obama", "PERSON", "a1"),
        ref("Obama", "PERSON", "a1", title="Mr."), ref("Obama", "PERSON", "a1", title="Mrs."),
    ])
    assert len({e.id for e in entities}) == len(entities) and ids[2] != ids[3]


def test_the_result_does_not_depend_on_the_order_of_mentions():
    mentions = [
        ref("Hillary Clinton", "PERSON", "a1"), ref("Clinton", "PERSON", "a1", title="Mrs."),
        ref("Bill Clinton", "PERSON", "a2"), ref("Hillary Clinton", "PERSON", "a2"),
        ref("Clinton", "PERSON", "a2", title="Mr."), ref("J. Smith", "PERSON", "a3"),
        ref("John Smith", "PERSON", "a4"), ref("Jane Smith", "PERSON", "a5"), ref("White House", "ORG", "a1"),
        ref("House", "ORG", "a2"), ref("Financial Times", "ORG", "a3"), ref("FT", "ORG", "a4"),
    ]
    forward = canonicalize(mentions)[1]
    assert canonicalize(list(reversed(mentions)))[1][::-1] == forward
