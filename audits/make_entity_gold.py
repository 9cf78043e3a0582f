"""Build the entity-canonicalisation gold file (audits/entities.jsonl).

Contains no article text: everything is read from ../shared/datasets/basil and ../shared/seeds
(relative to the repository root) at run time.

  python audits/make_entity_gold.py dump OUTDIR
      Picks the articles by a fixed rule: the 6 BASIL events (triplet-uuids) with the smallest
      sha1(triplet-uuid) hex digest that are not among the 9 events of the relation audit
      (audits/events.txt), all three articles of each, plus the five seed files. Runs the enrich
      stage's ``nlp`` component and canonicalisation over all of BASIL and the seeds (as
      ``narrascope bench entities`` does), and writes OUTDIR/mentions.jsonl: every PERSON, ORG,
      GPE and NORP mention of the chosen articles (article, event, start, end, text, label, the
      predicted entity's name) and OUTDIR/texts/ARTICLE.txt to read them in.

  python audits/make_entity_gold.py assemble OUTDIR LABELS OUT.jsonl
      LABELS has one JSON object per line, {"article", "start", "gold"} (gold null for a span
      that names no entity), one per line of OUTDIR/mentions.jsonl. Writes the gold file: one
      line per mention {article, start, end, text, gold, split}, split being the half of the
      mention's event in ``narrascope.bench.stories.half_of`` (the seeds form the event "seeds").
"""

from __future__ import annotations

import hashlib
import json
import sys
from pathlib import Path

from narrascope.bench.entities import SEEDS, predict
from narrascope.bench.stories import half_of, load_basil
from narrascope.config import load_settings

REPO = Path(__file__).resolve().parent.parent
SHARED = (REPO / ".." / "shared").resolve()
BASIL = SHARED / "datasets" / "basil"
SEED_DIR = SHARED / "seeds"
N_EVENTS = 6
LABELS = ("PERSON", "ORG", "GPE", "NORP")


def choose_events(records: list[dict]) -> list[str]:
    taken = set((REPO / "audits" / "events.txt").read_text(encoding="utf-8").split())
    events = sorted({r["event"] for r in records} - taken, key=lambda e: hashlib.sha1(e.encode()).hexdigest())
    return events[:N_EVENTS]


def dump(outdir: Path) -> None:
    basil = load_basil(BASIL)
    events = choose_events(basil)
    event_of = {r["id"]: r["event"] for r in basil if r["event"] in events}
    texts, mentions = predict(basil, SEED_DIR, load_settings(None))
    chosen = [*sorted(event_of, key=lambda a: (events.index(event_of[a]), a)),
              *sorted(p.name for p in SEED_DIR.glob("*.txt"))]
    (outdir / "texts").mkdir(parents=True, exist_ok=True)
    with (outdir / "mentions.jsonl").open("w", encoding="utf-8") as out:
        for article in chosen:
            text = texts[article]
            (outdir / "texts" / f"{article}.txt").write_text(text, encoding="utf-8")
            for start, end, label, _, name in mentions.get(article, ()):
                if label in LABELS:
                    out.write(json.dumps({"article": article, "event": event_of.get(article, SEEDS), "start": start,
                                          "end": end, "text": text[start:end], "label": label, "predicted": name},
                                         ensure_ascii=False) + "\n")
    print("events:", *events, sep="\n  ")


def assemble(outdir: Path, labels_path: Path, out_path: Path) -> None:
    labels = {}
    for line in labels_path.read_text(encoding="utf-8").splitlines():
        if line.strip():
            row = json.loads(line)
            labels[(row["article"], row["start"])] = row["gold"]
    rows = [json.loads(line) for line in (outdir / "mentions.jsonl").read_text(encoding="utf-8").splitlines()]
    missing = [(r["article"], r["start"]) for r in rows if (r["article"], r["start"]) not in labels]
    if missing:
        sys.exit(f"{len(missing)} mention(s) without a label, first {missing[0]}")
    with out_path.open("w", encoding="utf-8") as out:
        for r in rows:
            out.write(json.dumps({"article": r["article"], "start": r["start"], "end": r["end"], "text": r["text"],
                                  "gold": labels[(r["article"], r["start"])], "split": half_of(r["event"])},
                                 ensure_ascii=False) + "\n")
    print(f"wrote {len(rows)} mentions to {out_path}")


if __name__ == "__main__":
    stage, *args = sys.argv[1:]
    if stage == "dump":
        dump(Path(args[0]))
    elif stage == "assemble":
        assemble(Path(args[0]), Path(args[1]), Path(args[2]))
    else:
        sys.exit(__doc__)
