"""Readers for the sentence-pair sets of ``../shared/datasets/pairs`` (and FNC-1's bodies).

Every reader returns :class:`LabeledPair` rows with a three-way label (``entailment``,
``neutral``, ``contradiction``) or, for the paraphrase sets, ``paraphrase`` / ``neutral``. The
relation model's training script and ``narrascope bench relations`` read the data through here,
so both see the same pairs and the same split.

Splits: a set that comes with one file only is cut in two by a stable hash of the pair's group
(:func:`split_of`): the ``tune`` part is the one training and threshold choices may use, the
``report`` part is what the benchmark prints. XNLI's Russian and English dev files are parallel:
the same line is in the same part in both, so a translation of a reported pair is never trained
on; XNLI and SICK are split by premise.
"""

from __future__ import annotations

import csv
import hashlib
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from xml.etree import ElementTree

LABELS = ("entailment", "neutral", "contradiction")
SPLITS = ("tune", "report")
# One pair in this many goes to the reporting part of a single-file set.
REPORT_SHARE = 4


@dataclass(frozen=True, slots=True)
class LabeledPair:
    a: str  # premise, or the earlier claim
    b: str  # hypothesis, or the later claim
    label: str
    group: str  # what the split is keyed on
    language: str = "en"


def split_of(group: str, share: int = REPORT_SHARE) -> str:
    """``report`` for one group in ``share`` (stable across runs and machines), else ``tune``."""
    digest = hashlib.sha1(group.encode("utf-8")).digest()
    return "report" if digest[0] % share == 0 else "tune"


def in_split(pairs: list[LabeledPair], split: str | None) -> list[LabeledPair]:
    return pairs if split is None else [p for p in pairs if split_of(p.group) == split]


def sick(root: Path) -> list[LabeledPair]:
    out = []
    with open(root / "sick" / "SICK_train_trial.tsv", encoding="utf-8") as f:
        for row in csv.DictReader(f, delimiter="\t"):
            # A SICK sentence recurs in many pairs: the split is keyed on the first sentence so a
            # reported premise is never seen in training.
            out.append(
                LabeledPair(row["sentence_A"], row["sentence_B"], row["entailment_label"].lower(),
                            "sick:" + row["sentence_A"].lower())
            )
    return out


def xnli(root: Path, language: str) -> list[LabeledPair]:
    """XNLI dev in ``language``, in line order. Each premise has three hypotheses: the split is keyed
    on the line where the premise first appears, so a reported premise is never trained on with
    another hypothesis; that line is the same in the two parallel files."""
    out, first = [], {}
    with open(root / "xnli-ru" / f"dev-{language}.tsv", encoding="utf-8") as f:
        for n, line in enumerate(f):
            parts = line.rstrip("\n").split("\t")
            if len(parts) != 3 or parts[2] not in LABELS:
                continue
            out.append(LabeledPair(parts[0], parts[1], parts[2], f"xnli:{first.setdefault(parts[0], n)}", language))
    return out


def snli(root: Path) -> list[LabeledPair]:
    out = []
    for path in sorted((root / "snli-subset").glob("*.jsonl")):
        for row in _jsonl(path):
            if row.get("gold_label") in LABELS:
                out.append(LabeledPair(row["sentence1"], row["sentence2"], row["gold_label"],
                                       "snli:" + row.get("captionID", row["sentence1"])))
    return out


def msrp(root: Path, part: str) -> list[LabeledPair]:
    """``part`` is ``train`` or ``dev``; a paraphrase is ``paraphrase``, the rest ``neutral``."""
    out = []
    with open(root / "msrp" / f"msr_paraphrase_{part}.txt", encoding="utf-8-sig") as f:
        for row in csv.reader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
            if len(row) != 5 or row[0] not in ("0", "1"):
                continue
            out.append(LabeledPair(row[3], row[4], "paraphrase" if row[0] == "1" else "neutral",
                                   f"msrp:{row[1]}"))
    return out


def paraphraser(root: Path) -> list[LabeledPair]:
    """ParaPhraser: precise and loose paraphrases are ``paraphrase``, non-paraphrases ``neutral``."""
    out = []
    raw = (root / "paraphraser-ru" / "paraphrases_train.xml").read_bytes()
    # The file declares encoding 'UTF8', a name the XML parser does not know.
    tree = ElementTree.fromstring(re.sub(rb"encoding=.UTF-?8.", b"encoding='UTF-8'", raw[:200]) + raw[200:])
    for item in tree.iter("paraphrase"):
        values = {v.get("name"): (v.text or "") for v in item.iter("value")}
        label = {"1": "paraphrase", "0": "paraphrase", "-1": "neutral"}.get(values.get("class", ""))
        if label and values.get("text_1") and values.get("text_2"):
            out.append(LabeledPair(values["text_1"], values["text_2"], label,
                                   "pphr:" + values.get("id", ""), "ru"))
    return out


def terra(root: Path) -> list[LabeledPair]:
    """TERRa (Russian news): ``entailment`` or ``neutral`` (its not_entailment mixes neutral and
    contradiction, so it is never scored as contradiction)."""
    out = []
    for name in ("train.jsonl", "val.jsonl"):
        for row in _jsonl(root / "terra" / name):
            label = "entailment" if row.get("label") == "entailment" else "neutral"
            out.append(LabeledPair(row["premise"], row["hypothesis"], label,
                                   f"terra:{name}:{row.get('idx')}", "ru"))
    return out


def rte(root: Path) -> list[LabeledPair]:
    out = []
    for name in ("train.tsv", "dev.tsv"):
        with open(root / "glue-rte" / name, encoding="utf-8") as f:
            for row in csv.DictReader(f, delimiter="\t", quoting=csv.QUOTE_NONE):
                label = "entailment" if row.get("label") == "entailment" else "neutral"
                out.append(LabeledPair(row["sentence1"], row["sentence2"], label, f"rte:{name}:{row['index']}"))
    return out


def fever_symmetric(root: Path) -> list[LabeledPair]:
    out = []
    for path in sorted((root / "fever-symmetric").glob("*.jsonl")):
        for row in _jsonl(path):
            label = {"SUPPORTS": "entailment", "REFUTES": "contradiction"}.get(row.get("gold_label", ""))
            if label:
                out.append(LabeledPair(_fever_text(row["evidence"]), _fever_text(row["claim"]), label,
                                       f"fever:{row.get('id')}"))
    return out


def climate_fever(root: Path) -> list[LabeledPair]:
    out = []
    labels = {"SUPPORTS": "entailment", "REFUTES": "contradiction", "NOT_ENOUGH_INFO": "neutral"}
    for row in _jsonl(root / "climate-fever" / "climate-fever.jsonl"):
        for ev in row.get("evidences", []):
            label = labels.get(ev.get("evidence_label", ""))
            if label:
                out.append(LabeledPair(ev["evidence"], row["claim"], label, f"cfever:{row['claim_id']}"))
    return out


def fnc_unrelated(root: Path, limit: int = 3000) -> list[LabeledPair]:
    """FNC-1 headlines against the first sentence of a body about another story: ``neutral``
    pairs from news, the kind of pair that shares a few words and says nothing about the other."""
    fnc = root / "fnc-1"
    bodies = {}
    with open(fnc / "train_bodies.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            first = re.split(r"(?<=[.!?])\s+", row["articleBody"].strip(), maxsplit=1)[0]
            bodies[row["Body ID"]] = first[:400]
    out = []
    with open(fnc / "train_stances.csv", encoding="utf-8") as f:
        for row in csv.DictReader(f):
            if row["Stance"] == "unrelated" and row["Body ID"] in bodies:
                out.append(LabeledPair(bodies[row["Body ID"]], row["Headline"], "neutral",
                                       "fnc:" + row["Headline"].lower()))
                if len(out) >= limit:
                    break
    return out


def _fever_text(text: str) -> str:
    text = text.replace("-LRB-", "(").replace("-RRB-", ")").replace(" ,", ",").replace(" .", ".")
    return re.sub(r"\s+", " ", text).strip()


def _jsonl(path: Path) -> Iterator[dict]:
    with open(path, encoding="utf-8") as f:
        for line in f:
            line = line.strip()
            if line:
                yield json.loads(line)


@dataclass(frozen=True, slots=True)
class ClaimDiffPair:
    a: str
    b: str
    topic: str
    strengthen: int  # does b strengthen a (ClaimDiff-S)
    weaken: int  # does b weaken a (ClaimDiff-W)


def claimdiff(root: Path) -> list[ClaimDiffPair]:
    """ClaimDiff's train files joined by pair id; the split is keyed on the topic, so one story
    never straddles the parts."""
    files = {"strengthen": Path("ClaimDiff-S") / "ClaimDiff-strength-train.json",
             "weaken": Path("ClaimDiff-W") / "ClaimDiff-weak-train.json"}
    labels: dict[str, dict[str, int]] = {}
    records: dict[str, dict] = {}
    for task, name in files.items():
        for r in json.loads((root / name).read_text(encoding="utf-8"))["data"]:
            records.setdefault(r["pair_id"], r)
            labels.setdefault(r["pair_id"], {})[task] = int(r["relation"])
    return [ClaimDiffPair(r["claim_a"], r["claim_b"], r["topic"], labels[pid]["strengthen"], labels[pid]["weaken"])
            for pid, r in records.items() if len(labels[pid]) == len(files)]


def fnc_same_body(root: Path, limit: int = 2500, seed: int = 13) -> list[LabeledPair]:
    """Two sentences of one FNC-1 article body, two or more sentences apart: ``neutral`` pairs
    about one topic that state different facts (a report rarely contradicts itself) — the pairs a
    model trained on image captions is most tempted to call contradictions."""
    import random

    rng = random.Random(seed)
    out = []
    with open(root / "fnc-1" / "train_bodies.csv", encoding="utf-8") as f:
        bodies = [(row["Body ID"], row["articleBody"]) for row in csv.DictReader(f)]
    rng.shuffle(bodies)
    for body_id, text in bodies:
        # whole sentences only: a capital first, no split after an initial ("U.S.", "J.J.")
        sentences = [s.strip() for s in re.split(r"(?<=[a-z0-9][.!?])\s+(?=[A-Z])", text)
                     if 8 <= len(s.split()) <= 40 and s.strip()[:1].isupper()]
        for _ in range(2 if len(sentences) >= 6 else 1 if len(sentences) >= 4 else 0):
            i = rng.randrange(len(sentences) - 2)
            j = rng.randrange(i + 2, len(sentences))
            out.append(LabeledPair(sentences[i], sentences[j], "neutral", f"fnc-body:{body_id}"))
        if len(out) >= limit:
            break
    return out
