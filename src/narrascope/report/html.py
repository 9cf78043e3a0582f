"""The self-contained HTML report: one file, inline CSS and SVG charts (:mod:`.charts`), no scripts or
fonts from the network."""

from __future__ import annotations

from importlib import resources
from typing import TextIO

from jinja2 import Environment, PackageLoader, select_autoescape

from .. import __version__
from ..config import Settings, default_settings
from ..store import SQLStore
from . import charts
from .views import CorpusView


def environment() -> Environment:
    # Autoescaping is on for every template: article text is data, never markup.
    return Environment(loader=PackageLoader("narrascope.report", "templates"),
                       autoescape=select_autoescape(["html", "j2"]), trim_blocks=True, lstrip_blocks=True)


def css() -> str:
    return resources.files(__package__).joinpath("templates/_style.css").read_text(encoding="utf-8")


def write_report(store: SQLStore, out: TextIO, settings: Settings | None = None) -> int:
    settings = settings or default_settings()
    view = CorpusView(store, settings.enrich.min_checkworthiness, settings.report.confident_contradiction)
    articles = sorted(view.articles.values(), key=lambda a: (a.outlet or "", a.title or a.id))
    html = environment().get_template("report.html.j2").render(
        view=view, articles=articles, profiles=view.profiles, css=css(), version=__version__, charts=charts)
    out.write(html)
    return len(articles)
