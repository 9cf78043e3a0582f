"""Build the second batch of the relation audit: more tuning events, so thresholds and rules have
pairs to be chosen on (the first batch left 83 tuning pairs, too few to tell levels apart).

Nothing here contains article text; everything is read from ../shared/datasets at run time.

  python audits/make_audit_tune.py inputs OUTDIR
      Chooses 6 BASIL events by a fixed rule: in order of sha1(triplet-uuid), the first that are
      in none of the other audits (the relation audit's events.txt, the entity gold's 6 events,
      the events of stances.jsonl) and fall in the audit's tune half (bench.audit.audit_split).
      Writes OUTDIR/basil6.jsonl (built like the first batch) and OUTDIR/events.json.

  python audits/make_audit_tune.py inputs OUTDIR --unused N
      The contradiction batch: in order of sha1(triplet-uuid), the first N tune-half events that no
      audit file uses yet (the events of relations.jsonl and stances.jsonl, and the events of the
      articles of entities.jsonl and agreements_fresh.jsonl). Same outputs.

  python audits/make_audit_tune.py pairs EXPORT.json OUTDIR
      From the JSON export of the store analysed by the current code, writes OUTDIR/old_pairs.jsonl
      (the format of make_audit_inputs.py's): every contradicts, same and supports link, and every
      related link across articles that the relation model reads with entailment or contradiction
      of 0.3 or more either way (the pairs near the levels being chosen), up to 150 in all (a
      seeded sample of the related ones when more).

  python audits/make_audit_tune.py pairs EXPORT.json OUTDIR --findings
      The same, but only the contradicts, same and supports links (the contradiction batch labels
      what the code finds; its read pairs come from reading the claims).

  Then label OUTDIR/old_pairs.jsonl by reading (one "index|label|why" line per pair, the rules of
  audits/README.md) and join with make_audit_inputs.py's `assemble` (with an empty READ_PAIRS
  file); the rows are appended to relations.jsonl with ids continuing its numbering.
"""

from __future__ import annotations

import hashlib
import json
import random
import sys
from pathlib import Path

from make_audit_inputs import SEEDS, choose_events, load_basil  # noqa: F401 (SEEDS: same layout)

REPO = Path(__file__).resolve().parent.parent
N_EVENTS = 6
ENTITY_EVENTS = 6
LIMIT = 150
SEED = 20261207


def _split(event: str) -> str:
    sys.path.insert(0, str(REPO / "src"))
    from narrascope.bench.audit import audit_split

    return audit_split({"a_event": event, "b_event": event})


def choose(records: list[dict]) -> list[str]:
    taken = set((REPO / "audits" / "events.txt").read_text().split())
    ordered = sorted({r["event"] for r in records}, key=lambda e: hashlib.sha1(e.encode()).hexdigest())
    entity = [e for e in ordered if e not in taken][:ENTITY_EVENTS]
    stance = {json.loads(line)["event"] for line in (REPO / "audits" / "stances.jsonl").open(encoding="utf-8")}
    free = [e for e in ordered if e not in taken and e not in entity and e not in stance]
    return [e for e in free if _split(e) == "tune"][:N_EVENTS]


def used_events(records: list[dict]) -> set[str]:
    """Every BASIL event some audit file already reads, by its own events or its articles'."""
    event_of = {r["id"]: r["event"] for r in records}
    used = set((REPO / "audits" / "events.txt").read_text().split())
    for name, keys in (("relations.jsonl", ("a_event", "b_event")), ("stances.jsonl", ("event",)),
                       ("entities.jsonl", ("article",)), ("agreements_fresh.jsonl", ("a_article", "b_article"))):
        for line in (REPO / "audits" / name).open(encoding="utf-8"):
            row = json.loads(line)
            for key in keys:
                value = row.get(key)
                used.add(event_of.get(value, value) if key.endswith("article") else value)
    return used


def choose_unused(records: list[dict], n: int) -> list[str]:
    used = used_events(records)
    ordered = sorted({r["event"] for r in records}, key=lambda e: hashlib.sha1(e.encode()).hexdigest())
    return [e for e in ordered if e not in used and _split(e) == "tune"][:n]


def inputs(outdir: Path, *option: str) -> None:
    outdir.mkdir(parents=True, exist_ok=True)
    records = load_basil()
    if option and option[0] == "--unused":
        events = choose_unused(records, int(option[1]))
    elif option:
        raise SystemExit(f"unknown option {option[0]!r} (inputs takes --unused N)")
    else:
        events = choose(records)
    chosen = [r for r in records if r["event"] in events]
    with (outdir / "basil6.jsonl").open("w", encoding="utf-8") as fh:
        for r in chosen:
            fh.write(json.dumps({k: r[k] for k in ("id", "text", "title", "outlet", "published")}) + "\n")
    (outdir / "events.json").write_text(json.dumps({r["id"]: r["event"] for r in chosen}, indent=1), encoding="utf-8")
    print(f"{len(chosen)} articles from {len(events)} events", file=sys.stderr)
    print("\n".join(events))


def pairs(export: Path, outdir: Path, *option: str) -> None:
    if option and option != ("--findings",):
        raise SystemExit(f"unknown option {' '.join(option)!r} (pairs takes --findings)")
    sys.path.insert(0, str(REPO / "src"))
    from narrascope.config import load_settings
    from narrascope.embeddings import USEEmbedder
    from narrascope.link.runner import relate_params
    from narrascope.link.views import judge_texts
    from narrascope.models.registry import load_relation_model

    data = json.loads(export.read_text(encoding="utf-8"))
    events = json.loads((outdir / "events.json").read_text(encoding="utf-8"))
    articles = {a["id"]: a for a in data["articles"]}
    claims = {}
    with (outdir / "claims.jsonl").open("w", encoding="utf-8") as fh:
        for c in data["claims"]:
            a = articles[c["article"]]
            ext = a.get("external_id") or a.get("id")
            c = dict(c, ext=ext, event=events.get(ext), outlet=a.get("outlet"), published=a.get("published"))
            claims[c["id"]] = c
            fh.write(json.dumps(c) + "\n")
    links = [x for x in data["claim_links"] if claims[x["a"]]["article"] != claims[x["b"]]["article"]]
    found = [x for x in links if x["relation"] in ("contradicts", "same", "supports")]
    related = [] if option else [x for x in links if x["relation"] == "related"]
    settings = load_settings(None)
    params = relate_params(settings)
    judged = judge_texts([(claims[x["a"]]["text"], claims[x["b"]]["text"]) for x in related],
                         load_relation_model(settings.link.relation_model), USEEmbedder().embed, params)
    near = [x for i, x in enumerate(related) if (j := judged.judged.get(i)) is not None
            and max(j.entails_either, j.forward[2], j.backward[2]) >= 0.3]
    room = max(0, LIMIT - len(found))
    if len(near) > room:
        near = random.Random(SEED).sample(near, room)
    with (outdir / "old_pairs.jsonl").open("w", encoding="utf-8") as fh:
        for link in found + near:
            fh.write(json.dumps({"a": claims[link["a"]], "b": claims[link["b"]], "relation": link["relation"],
                                 "score": link.get("score"), "reason": link.get("reason")}) + "\n")
    print(f"links across articles: {len(links)}; findings {len(found)}; near related kept {len(near)}",
          file=sys.stderr)


if __name__ == "__main__":
    stage, *args = sys.argv[1:]
    if stage == "inputs":
        inputs(Path(args[0]), *args[1:])
    elif stage == "pairs":
        pairs(Path(args[0]), Path(args[1]), *args[2:])
    else:
        raise SystemExit(f"unknown stage {stage!r} (inputs or pairs)")
