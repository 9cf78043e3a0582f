"""The detector's features, computed for all candidates at once, against a plain per-candidate
reading of what each feature means."""

import re
import zlib

import numpy as np
from hypothesis import given, settings
from hypothesis import strategies as st

from narrascope.narratives.techniques_candidates import KINDS, Candidate
from narrascope.narratives.techniques_features import (
    CUE_WORDS,
    CUES,
    HAND_FEATURES,
    hand_features,
    hashed_words,
    tokens,
    vector_features,
)

TEXT = (
    "FAKE NEWS! They say the “crisis” is over?\n"
    "We never lied, said the minister, and our enemies always lie because they fear us.\n"
    "Nobody believes the crisis is over. Why would anyone believe it!"
)


def _sentences(text):
    return [(m.start(), m.end()) for m in re.finditer(r"[^.!?\n]+[.!?]?", text)]


def _candidates(text, sentences):
    out = []
    for i, (s, e) in enumerate(sentences):
        words = [(m.start(), m.end()) for m in re.finditer(r"\w+", text[s:e])]
        for j in range(len(words)):
            for n in (1, 2, 3, 4):
                if j + n <= len(words):
                    kind = KINDS[(j + n) % len(KINDS)]
                    out.append(Candidate(s + words[j][0], s + words[j + n - 1][1], kind, i))
        out.append(Candidate(s, e, KINDS[0], i))
    return out


def _reference_row(text, c, sentences):
    s, e = sentences[c.sentence]
    span, sentence = text[c.start : c.end], text[s:e]
    n_words = max(len(re.findall(r"\w+", span)), 1)
    n_sentence = max(len(re.findall(r"\w+", sentence)), 1)
    tail, before = text[c.end : c.end + 2], text[max(c.start - 1, 0) : c.start]
    row = dict.fromkeys(HAND_FEATURES, 0.0)
    row[f"kind_{c.kind}"] = 1.0
    row.update(
        log_chars=np.log1p(len(span)), log_words=np.log1p(n_words), share_of_sentence=n_words / n_sentence,
        at_sentence_start=c.start <= s + 1, at_sentence_end=c.end >= e - 1,
        has_quote=any(q in span for q in '"“”«»„'),
        in_quotes=bool(before) and before in '"“”«»„' and bool(tail) and tail[0] in '"“”«»„',
        caps_words=min(len(re.findall(r"\b[A-ZА-ЯЁ]{3,}\b", span)), 5) / 5,
        exclamation="!" in tail or "!" in span, question="?" in tail or "?" in span,
        sentence_exclamation="!" in sentence, sentence_question="?" in sentence,
        title_line=c.start < text.index("\n"),
    )
    for name, pattern in CUES.items():
        row[f"span_{name}"] = len([m for m in pattern.finditer(text) if c.start <= m.start() < c.end]) / n_words
        row[f"sentence_{name}"] = len([m for m in pattern.finditer(text) if s <= m.start() < e]) / n_sentence
    return [float(row[name]) for name in HAND_FEATURES]


def test_hand_features_match_a_per_candidate_reading():
    sentences = _sentences(TEXT)
    candidates = _candidates(TEXT, sentences)
    got = hand_features(TEXT, candidates, sentences)
    repeated = HAND_FEATURES.index("repeated_in_text")
    want = np.array([_reference_row(TEXT, c, sentences) for c in candidates], dtype=np.float32)
    assert np.flatnonzero(want[:, HAND_FEATURES.index("span_negation")]).size  # the cues fire in this text
    assert np.flatnonzero(want[:, HAND_FEATURES.index("in_quotes")]).size
    np.testing.assert_allclose(np.delete(got, repeated, axis=1), np.delete(want, repeated, axis=1), rtol=1e-6)
    over = [i for i, c in enumerate(candidates) if TEXT[c.start : c.end] == "crisis is over" and c.kind != "sentence"]
    assert got[over, repeated].min() > 0  # said twice in the text


def test_vector_and_word_features_match_a_loop():
    sentences = _sentences(TEXT)
    candidates = _candidates(TEXT, sentences)
    starts, ends, forms = tokens(TEXT)
    rng = np.random.default_rng(1)
    vectors = rng.normal(size=(len(forms), 6)).astype(np.float32)
    sentence_vectors = rng.normal(size=(len(sentences), 6)).astype(np.float32)
    got = vector_features(candidates, starts, ends, vectors, sentence_vectors)
    rows, cols, vals = hashed_words(forms, starts, ends, candidates, buckets=7)
    hashed = np.zeros((len(candidates), 7), dtype=np.float32)
    hashed[rows, cols] = vals
    for i, c in enumerate(candidates):
        inside = (starts >= c.start) & (ends <= c.end)
        np.testing.assert_allclose(got[i, :6], vectors[inside].mean(axis=0), rtol=1e-5, atol=1e-6)
        np.testing.assert_array_equal(got[i, 6:12], vectors[inside].max(axis=0))
        np.testing.assert_array_equal(got[i, 12:], sentence_vectors[c.sentence])
        assert np.isclose(np.linalg.norm(hashed[i]), 1.0)
        assert set(np.flatnonzero(hashed[i])) == {
            zlib.crc32(f.encode()) % 7 for f, inside_ in zip(forms, inside, strict=True) if inside_
        }
    assert list(rows) == sorted(rows)


def test_prefix_sums_are_numpys_cumulative_sums_to_the_bit():
    from narrascope.narratives.techniques_features import _prefix_sums

    vectors = (np.random.default_rng(2).normal(size=(300, 64)) * 0.05).astype(np.float32)
    expected = np.vstack([np.zeros((1, 64)), np.cumsum(vectors, axis=0, dtype=np.float64)])
    np.testing.assert_array_equal(_prefix_sums(vectors), expected)
    assert _prefix_sums(vectors[:0]).shape == (1, 64)


def _plain_cue(words):
    """Every form in one alternation, longest first: what the grouped cue patterns must match."""
    forms = sorted(words.split(), key=len, reverse=True)
    alternation = "|".join(re.escape(f.rstrip("*")).replace("_", r"\s+") + (r"\w*" if f.endswith("*") else "")
                           for f in forms)
    return re.compile(rf"(?<![\w-])(?:{alternation})(?![\w-])", re.I)


# Cue forms and their near misses (prefixes, longer words, hyphens, case, line breaks).
CUE_PIECES = sorted({w.rstrip("*").replace("_", " ") for words in CUE_WORDS.values() for w in words.split()})
NEAR = ["so-", "-called", "s", "ed", "ING", "Anti-", "'", "a", "ё"]
GAPS = [" ", "  ", ", ", "-", "\n", ""]


def _same_matches(text):
    for name, words in CUE_WORDS.items():
        assert [m.span() for m in CUES[name].finditer(text)] == [m.span() for m in _plain_cue(words).finditer(text)]


def test_cue_patterns_match_every_form_as_one_plain_alternation():
    _same_matches(" ".join(CUE_PIECES) + "\n" + ", ".join(p.upper() for p in CUE_PIECES))


@settings(max_examples=150, deadline=None)
@given(st.lists(st.tuples(st.sampled_from(CUE_PIECES) | st.sampled_from(NEAR), st.sampled_from(GAPS)), max_size=40))
def test_cue_patterns_match_as_one_plain_alternation(pieces):
    _same_matches("".join((p if i % 3 else p.upper()) + gap for i, (p, gap) in enumerate(pieces)))
