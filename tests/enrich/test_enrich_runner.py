import json

from narrascope.enrich.runner import enrich_articles
from narrascope.model import Article
from narrascope.report import export

EN = ("President Kassym-Jomart Tokayev met investors in Almaty on Monday. Tokayev said that trade with China "
      "grew by 12 percent to $31.5 billion last year, according to the Financial Times.")
RU = "Президент Касым-Жомарт Токаев заявил, что товарооборот с Китаем вырос до 31,5 млрд долларов."
KK = "Мемлекет басшысы Қасым-Жомарт Тоқаев инвесторлармен кездесті. Сауда айналымы өсті."


def seed(store):
    for aid, text, lang in (("en1", EN, "en"), ("ru1", RU, "ru"), ("kk1", KK, "kk")):
        store.add_article(Article(id=aid, text=text, language=lang, outlet=f"Outlet {aid}"))


def test_enrich_all_languages_and_export(store, settings, tmp_path):
    seed(store)
    report = enrich_articles(store, settings)
    assert report.articles == 3
    kk = store.annotations("kk1")
    assert kk.notes == ["no entity model for kk: sentences only"] and len(kk.sentences) == 2
    en = store.annotations("en1")
    assert [q.unit for q in en.quantities if q.kind == "money"] == ["USD"]
    assert any(c.source == "Financial Times" for c in en.citations)
    assert all(0 <= c.checkworthiness <= 1 for c in en.claims)
    tokayev = [e for e, _ in store.iter_entities() if "Tokayev" in e.name]
    assert len(tokayev) == 1  # one person across spellings and scripts
    assert {"Tokayev", "Касым-Жомарт Токаев"} <= set(tokayev[0].aliases)
    out = tmp_path / "e.json"
    with out.open("w") as fh:
        export(store, "json", fh, settings)
    data = json.loads(out.read_text())
    assert next(a for a in data["articles"] if a["id"] == "kk1")["notes"] == ["no entity model for kk: sentences only"]
    assert data["entities"] and data["citations"]


def test_only_new_articles_are_enriched_and_redo_redoes_all(store, settings):
    seed(store)
    enrich_articles(store, settings)
    assert enrich_articles(store, settings).articles == 0
    store.add_article(Article(id="en2", text="The minister resigned on Friday after the vote.", language="en"))
    assert enrich_articles(store, settings).articles == 1
    assert enrich_articles(store, settings, redo=True).articles == 4
