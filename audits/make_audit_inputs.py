"""Build the inputs of the relation audit (audits/relations.jsonl) and pick its candidate pairs.

Two stages; neither contains article text, everything is read from ../shared/datasets and
../shared/seeds (relative to the repository root) at run time.

  python audits/make_audit_inputs.py inputs OUTDIR
      Chooses 9 BASIL events by a fixed rule (the 9 triplet-uuids with the smallest
      sha1(triplet-uuid) hex digest), writes OUTDIR/basil9.jsonl (id, text, title, outlet,
      published: built like narrascope.bench.stories.load_basil), OUTDIR/events.json
      (article id -> event; seeds -> "seeds") and prints the chosen event ids.
      The seed .txt files are ingested as they are, next to the JSONL.

  python audits/make_audit_inputs.py pairs EXPORT.json OUTDIR
      From the JSON export of the store analysed by the old code, writes OUTDIR/old_pairs.jsonl:
      every claim link whose relation is contradicts, same or supports (all contradicts kept;
      if the agreements exceed 300 - len(contradicts), a seeded random sample of 200 of them),
      plus OUTDIR/claims.jsonl (every claim with its article's external id and event) used to
      pick the read:* pairs by hand.

  python audits/make_audit_inputs.py assemble EXPORT.json OUTDIR OLD_LABELS READ_PAIRS OUT.jsonl
      Joins the hand labels with the claims and writes the audit file. OLD_LABELS has one line
      per OUTDIR/old_pairs.jsonl row, "index|label|why"; READ_PAIRS has "a_id_prefix|
      b_id_prefix|label|why" for the pairs picked by reading (source read:same-event when both
      claims belong to one event, else read:cross-event; a read pair that repeats an old pair is
      dropped). a is the earlier-published claim when both dates are known. old_relation is the
      relation the old code stored for the pair (either order), or null.
      Options after OUT.jsonl, for batches appended later: --old-source PREFIX (default "old:",
      followed by the link's relation), --read-source NAME (default read:same-event /
      read:cross-event as above), --first-id N (number of the first row id, default 1).
"""

from __future__ import annotations

import hashlib
import json
import os
import random
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
# $NARRASCOPE_DATASETS (as the benches read it) for a checkout whose ../shared is elsewhere (a worktree)
SHARED = (Path(os.environ["NARRASCOPE_DATASETS"]).parent if os.environ.get("NARRASCOPE_DATASETS")
          else (REPO / ".." / "shared").resolve())
BASIL = SHARED / "datasets" / "basil"
SEEDS = SHARED / "seeds"
N_EVENTS = 9
SEED = 20240611


def load_basil() -> list[dict]:
    records = []
    for path in sorted((BASIL / "articles").rglob("*.json")):
        data = json.loads(path.read_text(encoding="utf-8"))
        body = "\n\n".join(" ".join(p) if isinstance(p, list) else str(p) for p in data["body-paragraphs"])
        records.append({"id": data["uuid"], "event": data["triplet-uuid"], "title": data["title"],
                        "outlet": data["source"], "published": data["date"],
                        "text": f"{data['title']}\n\n{body}"})
    return records


def choose_events(records: list[dict]) -> list[str]:
    events = sorted({r["event"] for r in records}, key=lambda e: hashlib.sha1(e.encode()).hexdigest())
    return events[:N_EVENTS]


def inputs(outdir: Path) -> None:
    outdir.mkdir(parents=True, exist_ok=True)
    records = load_basil()
    events = choose_events(records)
    chosen = [r for r in records if r["event"] in events]
    with (outdir / "basil9.jsonl").open("w", encoding="utf-8") as fh:
        for r in chosen:
            fh.write(json.dumps({k: r[k] for k in ("id", "text", "title", "outlet", "published")}) + "\n")
    mapping = {r["id"]: r["event"] for r in chosen}
    for path in sorted(SEEDS.glob("*.txt")):
        mapping[path.name] = "seeds"
    (outdir / "events.json").write_text(json.dumps(mapping, indent=1), encoding="utf-8")
    print(f"{len(chosen)} articles from {len(events)} events; seeds: {sorted(SEEDS.glob('*.txt'))}",
          file=sys.stderr)
    print("\n".join(events))


def pairs(export: Path, outdir: Path) -> None:
    data = json.loads(export.read_text(encoding="utf-8"))
    events = json.loads((outdir / "events.json").read_text(encoding="utf-8"))
    articles = {a["id"]: a for a in data["articles"]}

    def ext(article_id):
        a = articles[article_id]
        key = a.get("external_id") or a.get("id")
        if key not in events:  # seeds are ingested from files: match on the file name
            for name in events:
                if name.endswith(".txt") and name in json.dumps(a):
                    return name
        return key

    claims = {}
    with (outdir / "claims.jsonl").open("w", encoding="utf-8") as fh:
        for c in data["claims"]:
            aid = ext(c["article"])
            c = dict(c, ext=aid, event=events.get(aid), outlet=articles[c["article"]].get("outlet"),
                     published=articles[c["article"]].get("published"))
            claims[c["id"]] = c
            fh.write(json.dumps(c) + "\n")
    links = [link for link in data["claim_links"] if link["relation"] in ("contradicts", "same", "supports")]
    contra = [link for link in links if link["relation"] == "contradicts"]
    agree = [link for link in links if link["relation"] != "contradicts"]
    if len(contra) + len(agree) > 300:
        agree = random.Random(SEED).sample(agree, min(200, len(agree)))
    with (outdir / "old_pairs.jsonl").open("w", encoding="utf-8") as fh:
        for link in contra + agree:
            fh.write(json.dumps({"a": claims[link["a"]], "b": claims[link["b"]], "relation": link["relation"],
                                 "score": link.get("score"), "reason": link.get("reason")}) + "\n")
    print(f"links: {len(data['claim_links'])}; old contradicts {len(contra)}, agreements kept {len(agree)} "
          f"of {sum(link['relation'] != 'contradicts' for link in links)}", file=sys.stderr)


LABELS = {"same", "supports", "contradicts", "related", "unrelated"}


def assemble_options(args: list[str]) -> dict:
    names = {"--old-source": "old_source", "--read-source": "read_source", "--first-id": "first_id"}
    if len(args) % 2 or any(flag not in names for flag in args[::2]):
        raise SystemExit(f"assemble options are {', '.join(names)}, each with a value; got {args}")
    options = {names[flag]: value for flag, value in zip(args[::2], args[1::2], strict=True)}
    if "first_id" in options:
        options["first_id"] = int(options["first_id"])
    return options


def assemble(export: Path, outdir: Path, old_labels: Path, read_pairs: Path, out: Path,
             old_source: str = "old:", read_source: str | None = None, first_id: int = 1) -> None:
    data = json.loads(export.read_text(encoding="utf-8"))
    stored = {frozenset((link["a"], link["b"])): link["relation"] for link in data["claim_links"]}
    claims = {c["id"]: c for c in map(json.loads, (outdir / "claims.jsonl").open(encoding="utf-8"))}
    old = [json.loads(line) for line in (outdir / "old_pairs.jsonl").open(encoding="utf-8")]

    def find(prefix):
        hits = [k for k in claims if k.startswith(prefix)]
        if len(hits) != 1:
            raise SystemExit(f"claim id prefix {prefix!r} matches {len(hits)} claims")
        return claims[hits[0]]

    rows, seen = [], set()

    def add(a, b, label, why, source):
        if label not in LABELS or not why.strip():
            raise SystemExit(f"bad label or missing reason for {a['id']} {b['id']}")
        if a["article"] == b["article"]:
            raise SystemExit(f"pair within one article: {a['id']} {b['id']}")
        da, db = (a.get("published") or "")[:10], (b.get("published") or "")[:10]
        if da and db and db < da:
            a, b = b, a
        key = frozenset((a["id"], b["id"]))
        if key in seen:
            print(f"skipped repeated pair {a['id']} {b['id']} ({source})", file=sys.stderr)
            return
        seen.add(key)
        kinds = {"seeds" if c["event"] == "seeds" else "basil" for c in (a, b)}
        corpus = kinds.pop() if len(kinds) == 1 else "mixed"  # a cross-corpus unrelated pair
        rows.append({"a": a["text"], "b": b["text"], "a_article": a["ext"], "b_article": b["ext"],
                     "a_event": a["event"], "b_event": b["event"],
                     "corpus": corpus, "label": label,
                     "why": why.strip(), "source": source, "old_relation": stored.get(key),
                     "a_claim": a["id"], "b_claim": b["id"]})

    labels = {}
    for line in old_labels.open(encoding="utf-8"):
        if line.strip() and not line.startswith("#"):
            index, label, why = line.rstrip("\n").split("|", 2)
            labels[int(index)] = (label, why)
    if sorted(labels) != list(range(len(old))):
        raise SystemExit("old labels must cover every old pair exactly once")
    for index, pair in enumerate(old):
        add(claims[pair["a"]["id"]], claims[pair["b"]["id"]], *labels[index], f"{old_source}{pair['relation']}")
    for line in read_pairs.open(encoding="utf-8"):
        if line.strip() and not line.startswith("#"):
            x, y, label, why = line.rstrip("\n").split("|", 3)
            a, b = find(x), find(y)
            add(a, b, label, why, read_source or ("read:same-event" if a["event"] == b["event"] else "read:cross-event"))
    with out.open("w", encoding="utf-8") as fh:
        for n, row in enumerate(rows, first_id):
            fh.write(json.dumps({"id": f"r{n:04d}", **row}, ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} pairs to {out}", file=sys.stderr)


if __name__ == "__main__":
    if sys.argv[1] == "inputs":
        inputs(Path(sys.argv[2]))
    elif sys.argv[1] == "pairs":
        pairs(Path(sys.argv[2]), Path(sys.argv[3]))
    else:
        assemble(*map(Path, sys.argv[2:7]), **assemble_options(sys.argv[7:]))
