"""The dashboard over the demo store: every page, errors, escaping, token rules, search and filters."""

from __future__ import annotations

import json
import shutil

import pytest
from click.testing import CliRunner
from fastapi.testclient import TestClient
from markupsafe import escape

from narrascope.cli import main
from narrascope.web import create_app
from narrascope.web.guard import is_loopback_host
from narrascope.web.search import fts_query

LOCAL = "http://127.0.0.1"


@pytest.fixture(scope="module")
def client(dashboard_app):
    with TestClient(dashboard_app, base_url=LOCAL) as c:
        yield c


def hostile_id(dash) -> str:
    return next(a.id for a in dash.view.articles.values() if a.external_id == "hostile-1")


# -- every page ---------------------------------------------------------------------------------


def test_every_page_answers_on_the_demo_store(client, dash):
    view = dash.view
    urls = ["/", "/search", "/search?q=sanctions", "/stories"]
    urls += [f"/stories/{s.id}" for s in view.stories]
    urls += [f"/articles/{a}" for a in view.articles]
    urls += [f"/claims/{c}" for c in view.claims]
    urls += [f"/outlets/{name}" for name in view.outlets]
    urls += [f"/theses/{t.id}" for t in view.theses]
    assert len(view.stories) >= 2 and view.theses
    for url in urls:
        response = client.get(url)
        assert response.status_code == 200, url
        assert response.headers["content-type"].startswith("text/html")
    assert client.get("/static/vendor/cytoscape.min.js").status_code == 200
    assert client.get("/static/vendor/chart.umd.min.js").status_code == 200
    assert "--contra" in client.get("/static/report.css").text  # the report's stylesheet, shared


def test_overview_shows_theses_contradictions_and_stories(client, dash):
    html = client.get("/").text
    top = dash.contradictions[0]
    assert str(escape(top["reason"])) in html
    assert f'href="/claims/{top["a"]}"' in html
    assert f'href="/theses/{dash.view.theses[0].id}"' in html
    assert all(f'href="/stories/{s.id}"' in html for s in dash.view.stories)


def test_article_page_highlights_claims_entities_and_techniques(client, dash):
    with_techniques = next(a for a in dash.view.techniques if dash.view.techniques[a])
    html = client.get(f"/articles/{with_techniques}").text
    assert 'class="tech-name"' in html and "tech tech-" in html
    claimed = next(a for a, claims in dash.claims_of_article.items() if any(c.id in dash.view.group_of for c in claims))
    html = client.get(f"/articles/{claimed}").text
    cid = next(c.id for c in dash.claims_of_article[claimed] if c.id in dash.view.group_of)
    assert f'<a href="/claims/{cid}" class="claim' in html
    assert 'class="ent-' in html or ' ent-' in html
    scraped = next(a for a in dash.view.articles.values() if a.removed)
    html = client.get(f"/articles/{scraped.id}").text
    assert "Removed by the cleaner" in html and scraped.removed[0].reason in html


def test_claim_page_shows_appearances_links_and_provenance(client, dash):
    contra = dash.contradictions[0]
    html = client.get(f"/claims/{contra['a']}").text
    assert str(escape(contra["reason"])) in html
    assert "Every appearance" in html and "Origins" in html
    graph_json = html.split('id="provenance-data">', 1)[1].split("</script>", 1)[0]
    graph = json.loads(graph_json)
    assert {e["relation"] for e in graph["edges"]} >= {"publishes", "contradicts"}
    assert {n["kind"] for n in graph["nodes"]} >= {"claim", "outlet"}
    assert 'id="provenance-table"' in html  # the graph as a table, for browsers without JavaScript


def test_single_origin_claims_are_plainly_marked(client, dash):
    group = next(g for g in dash.view.groups if g.status == "single-origin" and len(g.claims) > 1)
    html = client.get(f"/claims/{group.claims[0]}").text
    assert "<b>Single origin.</b>" in html


def test_outlet_story_and_thesis_pages(client, dash):
    outlet = max(dash.profiles.values(), key=lambda p: p.articles)
    html = client.get(f"/outlets/{outlet.outlet}").text
    assert "Stances over time" in html and "Sources it cites" in html and "Persuasion techniques" in html
    story = dash.stories_by_size[0]
    html = client.get(f"/stories/{story.id}").text
    points = json.loads(html.split('id="timeline-data">', 1)[1].split("</script>", 1)[0])
    assert len(points) == sum(1 for a in story.articles if dash.view.articles[a].published)
    assert 'id="timeline-chart"' in html
    thesis = dash.view.theses[0]
    html = client.get(f"/theses/{thesis.id}").text
    assert thesis.text in html and "Evidence" in html


# -- errors --------------------------------------------------------------------------------------


@pytest.mark.parametrize("url", ["/articles/nope", "/claims/nope", "/stories/nope", "/theses/nope",
                                 "/outlets/Nobody", "/no/such/page", "/search?thesis=nope"])
def test_unknown_ids_are_404_pages(client, url):
    response = client.get(url)
    assert response.status_code == 404
    assert "404 · Not found" in response.text
    as_json = client.get(url, headers={"Accept": "application/json"})
    assert as_json.status_code == 404
    assert as_json.json()["error"]["status"] == 404 and as_json.json()["error"]["message"]


def test_bad_parameters_are_400_in_the_same_shape(client):
    response = client.get("/search?from=yesterday", headers={"Accept": "application/json"})
    assert response.status_code == 400
    assert set(response.json()["error"]) == {"status", "title", "message"}
    assert client.get("/search?page=0").status_code == 400


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH"])
def test_read_only(client, dash, method):
    for url in ("/", "/search", f"/articles/{next(iter(dash.view.articles))}"):
        response = client.request(method, url)
        assert response.status_code == 405
        assert "only reads" in response.text


# -- escaping ------------------------------------------------------------------------------------


def test_article_markup_is_shown_as_text_everywhere(client, dash):
    aid = hostile_id(dash)
    pages = [f"/articles/{aid}", "/search?q=budget", "/search?q=script", "/search?outlet=Evil+<b>Outlet</b>",
             f"/outlets/{dash.view.articles[aid].outlet}"]
    if aid in dash.view.story_of:
        pages.append(f"/stories/{dash.view.story_of[aid]}")
    for url in pages:
        html = client.get(url).text
        assert "<script>alert" not in html and "<img src=x" not in html and "<b>Outlet" not in html, url
    html = client.get(f"/articles/{aid}").text
    assert "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert "&lt;img src=x onerror=alert(2)&gt;" in html
    assert 'href="javascript:' not in html  # a URL that is not http(s) is shown, never linked
    assert "script-src 'self'" in client.get(f"/articles/{aid}").headers["content-security-policy"]


# -- search and filters --------------------------------------------------------------------------


def test_search_finds_articles_and_claims_with_the_passage(client, dash):
    results = dash.search.search("trade turnover", _filters())
    assert results.article_total >= 2 and results.claim_total >= 2
    assert any(hit for _, hit in results.claims[0].parts)
    html = client.get("/search?q=trade+turnover").text
    assert "<mark>" in html and 'href="/claims/' in html and 'href="/articles/' in html
    # Porter stemming: the singular finds the plural.
    assert dash.search.search("sanction", _filters()).article_total >= 1


def test_filters_combine_and_list_articles_without_a_query(dash):
    view = dash.view
    everything = dash.search.search(None, _filters(), limit=100)
    assert everything.article_total == len(view.articles)
    nord = dash.search.search(None, _filters(outlet="Nord Review"), limit=100)
    assert nord.article_total == sum(1 for a in view.articles.values() if a.outlet == "Nord Review") > 0
    russian = dash.search.search(None, _filters(language="ru"), limit=100)
    assert {view.articles[h.article_id].language for h in russian.articles} == {"ru"}
    february = dash.search.search(None, _filters(start="2025-02-01", end="2025-02-28"), limit=100)
    assert february.article_total and all(view.articles[h.article_id].published.month == 2 for h in february.articles)
    both = dash.search.search("Karavia", _filters(outlet="Nord Review", start="2025-03-01"))
    assert all(view.articles[h.article_id].outlet == "Nord Review" for h in both.articles + both.claims)
    assert all(view.articles[h.article_id].published.month == 3 for h in both.articles)
    thesis = view.theses[0].id
    taking = dash.search.search(None, _filters(thesis=thesis), limit=100)
    positions = {s.article_id for s in view.stances if s.thesis_id == thesis and s.label != "unrelated"}
    assert {h.article_id for h in taking.articles} == positions
    support = dash.search.search(None, _filters(thesis=thesis, stance="support"), limit=100)
    assert {h.article_id for h in support.articles} <= positions


def test_search_page_filters_through_http(client):
    html = client.get("/search?outlet=Nord+Review&from=2025-03-01&to=2025-03-31").text
    assert "match these filters" in html
    assert client.get("/search?q=Karavia&language=ru").status_code == 200


@pytest.mark.parametrize("typed", ['"unbalanced', "NEAR(", "*", "a OR", "OR", "title:x", "-minus", "^", "((("])
def test_query_syntax_never_reaches_fts(client, typed):
    assert client.get("/search", params={"q": typed}).status_code == 200


def test_fts_query():
    assert fts_query("trade turnover") == '"trade" "turnover"'
    assert fts_query('"trade turnover" sanction*') == '"trade turnover" "sanction"*'
    assert fts_query("a OR b OR") == '"a" OR "b"'
    assert fts_query("title:x NEAR(") == '"title x" "NEAR"'
    assert fts_query("  ** ") is None


def _filters(**kw):
    from narrascope.web.search import Filters

    return Filters(**kw)


# -- safety: hosts and tokens --------------------------------------------------------------------


def test_without_a_token_only_loopback_names_are_answered(client):
    assert client.get("/", headers={"Host": "attacker.example"}).status_code == 403
    assert client.get("/", headers={"Host": "localhost:8000"}).status_code == 200
    assert is_loopback_host("[::1]:8000") and is_loopback_host("127.0.0.2")
    assert not is_loopback_host("127.0.0.1.evil.example") and not is_loopback_host("")


def test_token_rules(demo_db):
    app = create_app(demo_db, token="s3cret-token")
    with TestClient(app, base_url="http://203.0.113.7:8000") as c:
        assert c.get("/").status_code == 401
        assert 'name="token"' in c.get("/").text  # the 401 page asks for it
        assert c.get("/", headers={"Accept": "application/json"}).json()["error"]["status"] == 401
        assert c.get("/static/dashboard.js").status_code == 401
        assert c.get("/?token=wrong").status_code == 401
        assert c.get("/", headers={"Authorization": "Bearer wrong"}).status_code == 401
        assert c.get("/", headers={"Authorization": "Bearer s3cret-token"}).status_code == 200
        first = c.get("/stories?token=s3cret-token&page=1", follow_redirects=False)
        assert first.status_code == 303 and first.headers["location"] == "/stories?page=1"
        cookie = first.headers["set-cookie"]
        assert "HttpOnly" in cookie and "s3cret-token" not in cookie
        assert c.get("/stories").status_code == 200  # the cookie now stands for the token
        assert c.post("/").status_code == 405


def test_the_dashboard_follows_the_store(demo_db, tmp_path, settings):
    from narrascope.ingest import ingest_paths
    from narrascope.store import SQLStore

    db = tmp_path / "live.db"
    shutil.copy(demo_db, db)
    app = create_app(str(db))
    with TestClient(app, base_url=LOCAL) as c:
        with app.state.dashboard.reading() as reading:
            before = reading.overview["articles"]
        (tmp_path / "new.jsonl").write_text(json.dumps({"text": "A brand new article about ferries. " * 5,
                                                        "outlet": "Late Outlet", "title": "Ferries"}) + "\n")
        store = SQLStore(str(db))
        ingest_paths([str(tmp_path / "new.jsonl")], store, settings)
        store.close()
        assert "Late Outlet" in c.get("/").text
        with app.state.dashboard.reading() as reading:
            assert reading.overview["articles"] == before + 1


# -- the command ---------------------------------------------------------------------------------


def test_serve_refuses_another_host_without_a_token(demo_db, monkeypatch):
    monkeypatch.delenv("NARRASCOPE_TOKEN", raising=False)
    result = CliRunner().invoke(main, ["serve", "--db", demo_db, "--host", "0.0.0.0"])
    assert result.exit_code == 2
    assert result.stderr.count("\n") == 1 and "needs --token" in result.stderr
    empty = CliRunner().invoke(main, ["serve", "--db", demo_db, "--token", " "])
    assert empty.exit_code == 2 and "--token is empty" in empty.stderr


def test_serve_prints_the_url_and_runs_uvicorn(demo_db, monkeypatch):
    import uvicorn

    ran = {}
    monkeypatch.setattr(uvicorn, "run", lambda app, **kw: ran.update(kw, app=app))
    monkeypatch.setenv("NARRASCOPE_TOKEN", "t0k en")
    result = CliRunner().invoke(main, ["serve", "--db", demo_db, "--host", "0.0.0.0", "--port", "8123"])
    assert result.exit_code == 0, result.output
    assert "http://0.0.0.0:8123/?token=t0k%20en" in result.stdout
    assert ran["host"] == "0.0.0.0" and ran["port"] == 8123
    missing = CliRunner().invoke(main, ["serve", "--db", str(demo_db) + ".missing"])
    assert missing.exit_code == 2 and "no such database" in missing.stderr
