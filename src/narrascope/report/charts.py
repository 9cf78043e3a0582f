"""The report's charts: SVG drawn at render time, inline, with no script and nothing from the network.

Each function takes the :class:`~narrascope.report.views.CorpusView` and returns one ``<svg>`` as
:class:`~markupsafe.Markup` (every text from the store escaped here), or ``""`` when there is
nothing to draw. Every chart carries a ``<title>`` and a ``<desc>`` saying what it shows, and every
mark its own ``<title>`` with its numbers; the tables next to each chart in the report hold the
same data as text. Colours are those of the report's badges; layouts depend only on the data, so
the same store draws the same charts.
"""

from __future__ import annotations

import hashlib
from collections import Counter, defaultdict
from datetime import date, timedelta
from typing import TYPE_CHECKING

from markupsafe import Markup, escape

from ..link.stories import as_utc
from .provenance import provenance_graph

if TYPE_CHECKING:
    from ..model import ClaimGroup, Thesis
    from .views import CorpusView

STANCE_COLOURS = {"support": "#1f7a3a", "oppose": "#b3261e", "discuss": "#44627f", "mixed": "#8d6e9e",
                  "unrelated": "#e3e5e9"}
STATUS_COLOURS = {"contradicted": "#b3261e", "corroborated": "#1f7a3a", "single-origin": "#8a5a00",
                  "unverified": "#5b5f97"}
EDGE_COLOURS = {"publishes": "#8c95a3", "relays": "#1557b0", "cites": "#5b5f97", "quotes": "#8a5a00",
                "contradicts": "#b3261e"}
NODE_FILLS = {"origin": "#ece9f6", "outlet": "#e3eefb", "claim": "#ffffff"}
FONT = 'font-family="system-ui, sans-serif" font-size="12"'
LABEL_WIDTH = 190  # the left margin where rows are named
MAX_ROWS = 25  # outlets or stories in one chart; the rest are named in its description


# -- pieces ------------------------------------------------------------------------------------------


def _svg(width: float, height: float, title: str, desc: str, body: list[str]) -> Markup:
    n = hashlib.sha1(f"{title}\n{desc}".encode()).hexdigest()[:10]  # ids unique in the page, the same every time
    return Markup(
        f'<svg class="chart" xmlns="http://www.w3.org/2000/svg" viewBox="0 0 {width:.0f} {height:.0f}" '
        f'width="{width:.0f}" height="{height:.0f}" role="img" aria-labelledby="chart-{n}-t chart-{n}-d" {FONT}>'
        f'<title id="chart-{n}-t">{escape(title)}</title><desc id="chart-{n}-d">{escape(desc)}</desc>'
        + "".join(body) + "</svg>")


def _text(x: float, y: float, text: str, anchor: str = "start", extra: str = "") -> str:
    return f'<text x="{x:.1f}" y="{y:.1f}" text-anchor="{anchor}"{extra}>{escape(text)}</text>'


def _clip(text: str, chars: int) -> str:
    text = " ".join(text.split())
    return text if len(text) <= chars else text[: chars - 1].rstrip() + "…"


def _rect(x: float, y: float, w: float, h: float, fill: str, tip: str, extra: str = "") -> str:
    return (f'<rect x="{x:.1f}" y="{y:.1f}" width="{max(w, 0):.1f}" height="{h:.1f}" fill="{fill}"{extra}>'
            f"<title>{escape(tip)}</title></rect>")


def _legend(x: float, y: float, colours: dict[str, str], names: list[str]) -> list[str]:
    out = []
    for name in names:
        out.append(f'<rect x="{x:.1f}" y="{y - 9:.1f}" width="10" height="10" fill="{colours[name]}" stroke="#999" '
                   'stroke-width="0.5"/>')
        out.append(_text(x + 14, y, name))
        x += 24 + 7 * len(name)
    return out


def _overflow(names: list[str]) -> str:
    return f" Not drawn ({len(names)} more): {', '.join(names)}." if names else ""


# -- time buckets --------------------------------------------------------------------------------------


def _day(value) -> date:
    return as_utc(value).date()


def bucket_of(days: list[date], fine: str = "week") -> tuple[str, list[date]]:
    """The unit that fits the span of ``days`` and the start of every bucket from the first to the last.

    ``fine="week"`` (stances): weeks up to 16 weeks, months up to five years, else years.
    ``fine="day"`` (stories): days up to 92 days, then weeks up to two years, then the same.
    Empty buckets are kept: a gap is news too.
    """
    first, last = min(days), max(days)
    span = (last - first).days
    if fine == "day" and span <= 92:
        unit = "day"
    elif span <= (730 if fine == "day" else 112):
        unit = "week"
    else:
        unit = "month" if span <= 1830 else "year"
    start, out = _start(first, unit), []
    while start <= last:
        out.append(start)
        start = _next(start, unit)
    return unit, out


def _start(day: date, unit: str) -> date:
    if unit == "week":
        return day - timedelta(days=day.weekday())
    return {"month": day.replace(day=1), "year": day.replace(month=1, day=1)}.get(unit, day)


def _next(start: date, unit: str) -> date:
    if unit == "year":
        return start.replace(year=start.year + 1)
    if unit == "month":
        return (start.replace(day=28) + timedelta(days=4)).replace(day=1)
    return start + timedelta(days=7 if unit == "week" else 1)


def _label(start: date, unit: str) -> str:
    return {"month": start.strftime("%Y-%m"), "year": str(start.year)}.get(unit, start.isoformat())


def _short(start: date, unit: str, with_year: bool) -> str:
    if unit == "year":
        return str(start.year)
    short = start.strftime("%b" if unit == "month" else "%d %b").lstrip("0")
    return f"{short} {start.year}" if with_year else short


def _axis(x0: float, step: float, y: float, buckets: list[date], unit: str) -> list[str]:
    """Tick labels under the columns: evenly spaced, at most one per 56 px, the first always, the
    year where it changes."""
    every = max(1, -(-len(buckets) // 8), -(-56 // max(1, int(step))))
    out, year = [], None
    for i, b in enumerate(buckets):
        if i % every:
            continue
        out.append(_text(x0 + i * step + step / 2, y, _short(b, unit, b.year != year), "middle",
                         ' fill="#626873" font-size="10"'))
        year = b.year
    return out


# -- stance of each outlet per thesis over time ----------------------------------------------------------


def _verdict(counts: Counter) -> str:
    if counts["support"] and counts["support"] == counts["oppose"]:
        return "mixed"
    if counts["support"] or counts["oppose"]:
        return "support" if counts["support"] > counts["oppose"] else "oppose"
    return "discuss" if counts["discuss"] else "unrelated"


def stance_chart(view: CorpusView, thesis: Thesis) -> Markup | str:
    """One row per outlet, one column per week, month or year: the outlet's articles in that period and
    where they stand on ``thesis`` (the colour of the more frequent of support and oppose;
    ``mixed`` when they tie; ``discuss`` when the articles only discuss it)."""
    cells: dict[str, dict[date, Counter]] = defaultdict(lambda: defaultdict(Counter))
    days, undated, unnamed = [], 0, 0
    for stance in view.article_stances(thesis):
        article = view.articles[stance.article_id]
        if not article.outlet:  # articles of no known outlet are not pooled into one that takes a stance
            unnamed += 1
            continue
        if article.published is None:
            undated += 1
            continue
        days.append(_day(article.published))
        cells[view.outlet(article.id)][days[-1]][stance.label] += 1
    if not days:
        return ""
    unit, buckets = bucket_of(days, "week")
    outlets = sorted(cells, key=lambda o: (-sum(sum(c.values()) for c in cells[o].values()), o))
    shown, rest = outlets[:MAX_ROWS], outlets[MAX_ROWS:]
    step = max(4.0, min(60.0, 640 / len(buckets)))
    row, top = 24, 34
    width, height = LABEL_WIDTH + step * len(buckets) + 10, top + row * len(shown) + 30
    index = {b: i for i, b in enumerate(buckets)}
    body = _legend(LABEL_WIDTH, 14, STANCE_COLOURS, list(STANCE_COLOURS))
    for r, outlet in enumerate(shown):
        y = top + r * row
        body.append(_text(LABEL_WIDTH - 8, y + row / 2 + 4, _clip(outlet, 24), "end"))
        per_bucket: dict[int, Counter] = defaultdict(Counter)
        for day, labels in cells[outlet].items():
            per_bucket[index[_start(day, unit)]].update(labels)
        for i, labels in sorted(per_bucket.items()):
            verdict, n = _verdict(labels), sum(labels.values())
            tip = (f"{outlet}, {unit} of {_label(buckets[i], unit)}: {n} article{'s' * (n != 1)} — "
                   + ", ".join(f"{k} {v}" for k, v in sorted(labels.items())))
            body.append(_rect(LABEL_WIDTH + i * step + 1, y + 2, step - 2, row - 4, STANCE_COLOURS[verdict], tip,
                              ' rx="3"'))
            if step >= 18:
                ink = "#1d1f23" if verdict == "unrelated" else "#ffffff"
                body.append(_text(LABEL_WIDTH + i * step + step / 2, y + row / 2 + 4, str(n), "middle",
                                  f' fill="{ink}" font-size="11"'))
    body += _axis(LABEL_WIDTH, step, height - 10, buckets, unit)
    desc = (f"Stance toward “{thesis.text}” by outlet and {unit}: each cell is one outlet's articles in that "
            f"{unit}, coloured by the stance most of them take, with their number.{_overflow(rest)}"
            + (f" {undated} undated article{'s' * (undated != 1)} not drawn." if undated else "")
            + (f" {unnamed} article{'s' * (unnamed != 1)} of no known outlet not drawn." if unnamed else ""))
    return _svg(width, height, f"Stance over time: {thesis.text}", desc, body)


# -- claim-group status by outlet ---------------------------------------------------------------------------


def status_chart(view: CorpusView) -> Markup | str:
    """One bar per outlet: the claim groups it carries a claim of, stacked by the group's status."""
    rows = [(p.outlet, p.claim_statuses) for p in view.profiles if sum(p.claim_statuses.values())]
    if not rows:
        return ""
    rows.sort(key=lambda r: (-sum(r[1].values()), r[0]))
    shown, rest = rows[:MAX_ROWS], [r[0] for r in rows[MAX_ROWS:]]
    known = [s for s in STATUS_COLOURS if any(r[1].get(s) for r in shown)]
    statuses = known + sorted({s for r in shown for s in r[1] if s not in STATUS_COLOURS})  # a newer status: grey
    colours = {s: STATUS_COLOURS.get(s, "#999999") for s in statuses}
    most = max(sum(r[1].values()) for r in shown)
    scale, row, top = 560 / most, 24, 34
    width, height = LABEL_WIDTH + 560 + 60, top + row * len(shown) + 8
    body = _legend(LABEL_WIDTH, 14, colours, statuses)
    for r, (outlet, counts) in enumerate(shown):
        y, x = top + r * row, float(LABEL_WIDTH)
        body.append(_text(LABEL_WIDTH - 8, y + row / 2 + 4, _clip(outlet, 24), "end"))
        for status in statuses:
            n = counts.get(status, 0)
            if not n:
                continue
            body.append(_rect(x, y + 3, n * scale, row - 6, colours[status],
                              f"{outlet}: {n} {status} claim group{'s' * (n != 1)}"))
            if n * scale >= 22:
                body.append(_text(x + n * scale / 2, y + row / 2 + 4, str(n), "middle", ' fill="#fff" font-size="11"'))
            x += n * scale
        body.append(_text(x + 6, y + row / 2 + 4, str(sum(counts.values())), extra=' fill="#626873"'))
    desc = ("Claim groups by outlet: for each outlet, the groups it carries a claim of, by status "
            f"(contradicted, corroborated by independent origins, single-origin, unverified).{_overflow(rest)}")
    return _svg(width, height, "Claim-group status by outlet", desc, body)


# -- story timelines ----------------------------------------------------------------------------------------


def stories_chart(view: CorpusView, limit: int = 8) -> Markup | str:
    """The largest stories, one row each: articles per day (per week or month on long stories), each
    row on its own time axis, since stories months apart would each be a sliver on a shared one."""
    stories = sorted(view.stories, key=lambda s: (-len(s.articles), s.id))[:limit]
    dated = {s.id: [_day(a.published) for a in view.story_timeline(s) if a.published] for s in stories}
    stories = [s for s in stories if dated[s.id]]  # an undated story has no place on a time axis
    if not stories:
        return ""
    plot, row = 560.0, 54
    width, height = LABEL_WIDTH + plot + 10, row * len(stories) + 4
    body = []
    for r, story in enumerate(stories):
        unit, buckets = bucket_of(dated[story.id], "day")
        index = {b: i for i, b in enumerate(buckets)}
        step = min(40.0, plot / len(buckets))
        per = Counter(index[_start(d, unit)] for d in dated[story.id])
        most = max(per.values())
        base = r * row + row - 18  # the row's baseline
        name = story.label or story.id
        body.append(f"<g><title>{escape(name)}: {len(story.articles)} articles</title>"
                    + _text(LABEL_WIDTH - 8, base - 16, _clip(name, 24), "end")
                    + _text(LABEL_WIDTH - 8, base - 3, f"{len(story.articles)} articles, at most {most}/{unit}",
                            "end", ' fill="#626873" font-size="10"') + "</g>")
        body.append(f'<line x1="{LABEL_WIDTH}" y1="{base}" x2="{LABEL_WIDTH + step * len(buckets):.1f}" y2="{base}" '
                    'stroke="#d9dce1"/>')
        for i, n in sorted(per.items()):
            h = (row - 24) * n / most
            body.append(_rect(LABEL_WIDTH + i * step + 0.5, base - h, max(step - 1, 1), h, "#44627f",
                              f"{name}, {unit} of {_label(buckets[i], unit)}: {n} article{'s' * (n != 1)}"))
        ends = [_text(LABEL_WIDTH, base + 12, _short(buckets[0], unit, True), extra=' fill="#626873" font-size="10"')]
        if step * len(buckets) >= 140:  # room for both dates
            ends.append(_text(LABEL_WIDTH + step * len(buckets), base + 12, _short(buckets[-1], unit, True), "end",
                              ' fill="#626873" font-size="10"'))
        body += ends
    desc = (f"Articles per day (per week or month on long stories) in the {len(stories)} largest stories; each "
            "row has its own time axis, from the story's first article to its last, and its own scale.")
    return _svg(width, height, "Story timelines", desc, body)


# -- provenance graph of a claim group ---------------------------------------------------------------------------

_COLUMN = {"origin": 0, "outlet": 1, "claim": 2}


def provenance_chart(view: CorpusView, group: ClaimGroup, claim_href: str = "#claim-") -> Markup | str:
    """The group's provenance graph (:mod:`.provenance`) in three columns: origins, outlets, claims
    (the group's by date, then those of other groups that contradict them, outlined in red). Outlets
    and origins follow the order of their neighbours, which keeps crossings few; ties by label."""
    graph = provenance_graph(view, group, claim_href=claim_href)
    nodes = {n["id"]: n for n in graph["nodes"]}
    if len(nodes) < 2:
        return ""
    members = {f"claim:{c}" for c in group.claims}
    column = {k: _COLUMN[n["kind"]] for k, n in nodes.items()}
    neighbours: dict[str, list[str]] = defaultdict(list)
    for e in graph["edges"]:
        neighbours[e["source"]].append(e["target"])
        neighbours[e["target"]].append(e["source"])
    # the group's claims by date, then the claims of other groups that contradict them, next to those
    claims = sorted((k for k in nodes if k in members), key=lambda k: (_claim_date(view, k), nodes[k]["label"], k))
    order: dict[str, float] = {k: i for i, k in enumerate(claims)}
    others = sorted((k for k in nodes if column[k] == 2 and k not in members),
                    key=lambda k: (_mean(neighbours[k], order), nodes[k]["label"], k))
    order.update({k: len(claims) + i for i, k in enumerate(others)})
    for col in (1, 0):  # outlets by their claims, then origins by their outlets and claims
        ranked = sorted((k for k in nodes if column[k] == col),
                        key=lambda k: (_mean(neighbours[k], order), nodes[k]["label"], k))
        order.update({k: i for i, k in enumerate(ranked)})
    columns = [c for c in range(3) if any(column[k] == c for k in nodes)]
    xs = {c: 10 + i * 260 for i, c in enumerate(columns)}
    box_w, box_h, gap = 215, 34, 12
    size = Counter(column.values())
    height = 30 + max(size.values()) * (box_h + gap)
    pos = {}
    for k in nodes:
        offset = (max(size.values()) - size[column[k]]) * (box_h + gap) / 2
        pos[k] = (xs[column[k]], 30 + offset + order[k] * (box_h + gap))
    width = xs[columns[-1]] + box_w + 50  # room for the bows of contradictions within the claims column
    body = []
    heads = {"origin": "origins", "outlet": "outlets", "claim": "claims"}
    for c in columns:
        body.append(_text(xs[c], 16, heads[list(_COLUMN)[c]],
                          extra=' fill="#626873" font-weight="600"'))
    for e in sorted(graph["edges"], key=lambda e: (e["relation"], e["source"], e["target"])):
        body.append(_edge(pos[e["source"]], pos[e["target"]], box_w, box_h, e))
    for k, n in sorted(nodes.items()):
        x, y = pos[k]
        fill = NODE_FILLS[n["kind"]]
        stroke = "#b3261e" if column[k] == 2 and k not in members else "#8c95a3"  # another group's claim
        tip = n["label"] + (f": {n['text']}" if n.get("text") else "") + (
            f" ({n['origin_kind']})" if n.get("origin_kind") else "")
        shape = (f'<rect x="{x}" y="{y:.1f}" width="{box_w}" height="{box_h}" rx="{12 if n["kind"] == "origin" else 4}" '
                 f'fill="{fill}" stroke="{stroke}"><title>{escape(tip)}</title></rect>')
        lines = [_clip(n["label"], 28)] + ([_clip(n["text"], 33)] if n.get("text") else [])
        words = "".join(_text(x + 8, y + (14 if len(lines) > 1 else 21) + 13 * i, line,
                              extra=' font-size="11" fill="#626873"' if i else "") for i, line in enumerate(lines))
        if n.get("href"):
            body.append(f'<a href="{escape(n["href"])}">{shape}{words}</a>')
        else:
            body.append(shape + words)
    relations = [r for r in EDGE_COLOURS if any(e["relation"] == r for e in graph["edges"])]
    body += _legend(10, height + 6, EDGE_COLOURS, relations)
    desc = (f"Where “{_clip(group.summary or '', 120)}” came from: {len(group.origins)} independent origin"
            f"{'s' * (len(group.origins) != 1)}; " + "; ".join(
                f"{nodes[e['source']]['label']} {e['relation']} {nodes[e['target']]['label']}"
                for e in graph["edges"][:40]) + ".")
    return _svg(width, height + 14, f"Provenance: {_clip(group.summary or group.id, 80)}", desc, body)


def _edge(a: tuple[float, float], b: tuple[float, float], box_w: float, box_h: float, e: dict) -> str:
    """A curve from box ``a`` to box ``b``, leaving and arriving level, with a drawn arrowhead at ``b``
    (a polygon, not a marker: nothing in the report refers to anything by url())."""
    (ax, ay), (bx, by) = a, b
    y1, y2 = ay + box_h / 2, by + box_h / 2
    if ax == bx:  # same column: a bow out to the right
        x1 = x2 = ax + box_w
        c1, c2, into = x1 + 40, x2 + 40, -1
    else:
        x1, x2 = (ax + box_w, bx) if ax < bx else (ax, bx + box_w)
        c1 = c2 = (x1 + x2) / 2
        into = 1 if ax < bx else -1
    tip = x2
    x2 -= into * 7  # the curve stops where the arrowhead starts
    colour = EDGE_COLOURS.get(e["relation"], "#8c95a3")
    dash = ' stroke-dasharray="5 3"' if e["relation"] == "contradicts" else ""
    why = f" ({e['why']})" if e.get("why") else ""
    title = f"<title>{escape(e['relation'] + why)}</title>"
    return (f'<g><path d="M{x1:.1f},{y1:.1f} C{c1:.1f},{y1:.1f} {c2:.1f},{y2:.1f} {x2:.1f},{y2:.1f}" fill="none" '
            f'stroke="{colour}" stroke-width="1.5"{dash}/>'
            f'<polygon points="{tip:.1f},{y2:.1f} {x2:.1f},{y2 - 4:.1f} {x2:.1f},{y2 + 4:.1f}" fill="{colour}"/>'
            f"{title}</g>")


def _claim_date(view: CorpusView, key: str) -> date:
    article = view.articles[view.claims[key.split(":", 1)[1]].article_id]
    return _day(article.published) if article.published else date.max


def _mean(keys: list[str], order: dict[str, float]) -> float:
    known = [order[k] for k in keys if k in order]
    return sum(known) / len(known) if known else float("inf")


__all__ = ["bucket_of", "provenance_chart", "stance_chart", "status_chart", "stories_chart"]
