"""The judged audit set and claim-group purity on real articles.

``audits/relations.jsonl`` holds claim pairs from real articles (BASIL events and the seeds) with
the relation a careful reader gives and why (``audits/README.md`` says how it was made). Its
pairs are split by event (:func:`audit_split`): thresholds may be chosen on the ``tune`` events;
the benchmark's figures are on the ``report`` events.

Group purity runs the audit's BASIL events (``audits/events.txt``) and the seeds through ingest
and analysis, then reads the claim groups: the share of a group's claims that come from its main
event, over groups of two or more claims, and the largest group.
"""

from __future__ import annotations

import json
import tempfile
from collections import Counter
from collections.abc import Callable
from pathlib import Path

from ..errors import ConfigError
from ..training.pairs import split_of
from . import datasets_root
from .stories import load_basil

AUDIT_DIR = Path(__file__).resolve().parents[3] / "audits"


def audit_split(row: dict) -> str:
    """Both claims' events decide: a pair is reported only when neither event is a tuning one."""
    splits = {split_of("audit:" + (row.get(k) or ""), 2) for k in ("a_event", "b_event")}
    return "tune" if "tune" in splits else "report"


def audit_rows(path: str | None, split: str | None) -> list[dict]:
    file = Path(path) if path else AUDIT_DIR / "relations.jsonl"
    if not file.is_file():
        if path:
            raise ConfigError("no such audit file", source=str(file))
        return []
    rows = []
    for n, line in enumerate(file.read_text(encoding="utf-8").splitlines(), 1):
        if not line.strip():
            continue
        try:
            row = json.loads(line)
            row["a"], row["b"], row["label"]
        except (ValueError, KeyError, TypeError) as exc:
            raise ConfigError(f"not an audit record ({exc})", source=f"{file}#{n}") from exc
        if split is None or audit_split(row) == split:
            rows.append(row)
    return rows


def prf(gold: list[str], pred: list[str], positive: str) -> tuple[float, float, float, int]:
    """Precision, recall, F1 of ``positive``, and how many were flagged."""
    tp = sum(1 for g, p in zip(gold, pred, strict=True) if g == p == positive)
    flagged = sum(1 for p in pred if p == positive)
    actual = sum(1 for g in gold if g == positive)
    p = tp / flagged if flagged else 0.0
    r = tp / actual if actual else 0.0
    return p, r, (2 * p * r / (p + r) if p + r else 0.0), flagged


def group_purity(data: str | None, settings, echo: Callable[[str], None]) -> float | None:
    from ..enrich.runner import enrich_articles
    from ..ingest import ingest_paths
    from ..link.runner import link_all
    from ..store import SQLStore

    events_file = AUDIT_DIR / "events.txt"
    root = Path(data) if data else datasets_root()
    if not events_file.is_file() or not (root / "basil").is_dir():
        echo("group purity: skipped (audits/events.txt or the BASIL dataset is missing)")
        return None
    chosen = {line.strip() for line in events_file.read_text().splitlines() if line.strip()}
    basil = [r for r in load_basil(root / "basil") if r["event"] in chosen]
    seeds = sorted((root.parent / "seeds").glob("*.txt")) if (root.parent / "seeds").is_dir() else []
    with tempfile.TemporaryDirectory(prefix="narrascope-audit-") as tmp:
        source = Path(tmp) / "basil.jsonl"
        source.write_text("".join(json.dumps({k: r[k] for k in ("id", "title", "outlet", "published", "text")})
                                  + "\n" for r in basil), encoding="utf-8")
        store = SQLStore(str(Path(tmp) / "audit.db"))
        ingest_paths([str(source), *map(str, seeds)], store, settings)
        enrich_articles(store, settings)
        link_all(store, settings)
        event_of = {}
        by_external = {r["id"]: r["event"] for r in basil}
        for article in store.iter_articles():
            event_of[article.id] = by_external.get(article.external_id or "", "seeds")
        claim_article = {}
        for ann in store.iter_annotations():
            for claim in ann.claims:
                claim_article[claim.id] = ann.article_id
        groups = store.claim_groups()
        links = store.claim_links()
        store.close()
    sizes, pure = [], []
    for g in groups:
        if len(g.claims) < 2:
            continue
        events = Counter(event_of[claim_article[c]] for c in g.claims)
        sizes.append(len(g.claims))
        pure.append(events.most_common(1)[0][1])
    purity = sum(pure) / sum(sizes) if sizes else 1.0
    relations = Counter(link.relation for link in links)
    cross = sum(1 for link in links if link.relation == "contradicts"
                and event_of[claim_article[link.a]] != event_of[claim_article[link.b]])
    echo(f"pipeline on {len(basil)} BASIL articles ({len(chosen)} events) + {len(seeds)} seeds: "
         f"links {dict(relations)}; contradictions across events {cross}")
    echo(f"claim groups of 2+: {len(sizes)}, largest {max(sizes, default=0)}, purity "
         f"(claims from the group's main event) {purity:.3f}")
    return purity
