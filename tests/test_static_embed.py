"""The static encoder distilled from MiniLM (claimgraph.embedding.static).

Distillation here keeps only the 4,000 most frequent vocabulary tokens and 32 dimensions (a few
seconds of MiniLM); the full table (29,523 tokens, 256 dims) is the same code with no limit.
"""

from __future__ import annotations

import numpy as np
import pytest

from claimgraph.embedding import static as S
from claimgraph.embedding.minilm import Embedder

LIMIT = 4000
DIM = 32
# Short sentences of frequent words (all within the first LIMIT vocabulary tokens).
BASE = "the government said the new law was passed last year"
PARAPHRASE = "the government said the new law was approved last year"
UNRELATED = "she played music with her family at home"


@pytest.fixture(scope="module")
def embedder() -> Embedder:
    return Embedder(threads=1)


@pytest.fixture(scope="module")
def cached(tmp_path_factory: pytest.TempPathFactory, embedder: Embedder):
    """A StaticEmbedder whose table was built into (and cached in) a fresh folder."""
    folder = tmp_path_factory.mktemp("static-cache")
    enc = S.StaticEmbedder(folder=folder, dim=DIM, max_tokens=LIMIT)
    enc.encode(["warm"])  # builds and writes the table
    return enc, folder


def test_distillation_is_deterministic(embedder: Embedder) -> None:
    a = S.distill(embedder, DIM, max_tokens=500)
    b = S.distill(embedder, DIM, max_tokens=500)
    assert a.dtype == np.float32 and a.shape == (30522, DIM)
    assert a.tobytes() == b.tobytes()


def test_special_and_unused_tokens_get_zero_rows(cached) -> None:
    enc, _ = cached
    tok = enc._tokenizer
    for name in ("[PAD]", "[UNK]", "[CLS]", "[SEP]", "[MASK]", "[unused0]", "[unused993]"):
        assert not enc.table[tok.token_to_id(name)].any(), name
    assert enc.table[tok.token_to_id("government")].any()
    assert enc.table[tok.token_to_id("the")].any()


def test_rows_are_unit_vectors_and_identical_texts_match(cached) -> None:
    enc, _ = cached
    v = enc.encode([BASE, PARAPHRASE, UNRELATED, BASE])
    assert v.shape == (4, DIM) and v.dtype == np.float32
    np.testing.assert_allclose(np.linalg.norm(v, axis=1), 1.0, rtol=1e-5)
    assert float(v[0] @ v[3]) == pytest.approx(1.0, abs=1e-6)


def test_paraphrase_is_closer_than_text_sharing_no_word_piece(cached) -> None:
    enc, _ = cached
    tok = enc._tokenizer
    ids = [set(tok.encode(t, add_special_tokens=False).ids) for t in (BASE, PARAPHRASE, UNRELATED)]
    assert not ids[0] & ids[2], "the unrelated sentence must share no word piece"
    assert all(enc.table[i].any() for s in ids for i in s), "every piece must have a row"
    v = enc.encode([BASE, PARAPHRASE, UNRELATED])
    assert float(v[0] @ v[1]) > float(v[0] @ v[2]) + 0.2


def test_text_without_known_pieces_is_a_zero_row(cached) -> None:
    enc, _ = cached
    v = enc.encode(["", "ok"])
    assert not v[0].any()
    assert enc.encode([]).shape == (0, DIM)
    with pytest.raises(TypeError):
        enc.encode("one string")


def test_cache_is_reused_not_rebuilt(cached) -> None:
    enc, folder = cached
    path = S.table_path(folder, DIM, max_tokens=LIMIT)
    assert path.is_file() and path.name.startswith("static-minilm-8199be6f699a395f-")
    before = path.stat()
    again = S.StaticEmbedder(folder=folder, dim=DIM, max_tokens=LIMIT)
    np.testing.assert_array_equal(again.encode([BASE]), enc.encode([BASE]))
    after = path.stat()
    # A rebuild would os.replace a new file: another inode and mtime.
    assert (after.st_ino, after.st_mtime_ns) == (before.st_ino, before.st_mtime_ns)
    assert len(list(folder.iterdir())) == 1


def test_bad_recipe_is_refused_before_distilling(embedder: Embedder) -> None:
    with pytest.raises(ValueError, match="weighting"):
        S.distill(embedder, DIM, weighting="zipf")
    with pytest.raises(ValueError, match="pooling"):
        S.distill(embedder, DIM, pooling="cls")


def test_common_direction_is_the_zipf_weighted_mean_row() -> None:
    rng = np.random.default_rng(0)
    shared = np.zeros(8)
    shared[0] = 1.0
    table = (shared + 0.1 * rng.standard_normal((500, 8))).astype(np.float32)
    u = S.common_direction(table)
    assert u.dtype == np.float32 and float(np.linalg.norm(u)) == pytest.approx(1.0, abs=1e-6)
    assert float(u @ shared) > 0.95
    assert not S.common_direction(np.zeros((10, 4), dtype=np.float32)).any()


def test_sentences_lose_the_direction_all_of_them_share(cached) -> None:
    enc, _ = cached
    u = S.common_direction(enc.table)
    v = enc.encode([BASE, PARAPHRASE, UNRELATED])
    np.testing.assert_allclose(v @ u, 0.0, atol=1e-5)
    # the unrelated pair is less alike once the shared direction is gone
    raw = S.StaticEmbedder(table=enc.table)
    raw._load()
    raw._common = np.zeros_like(raw._common)
    r = raw.encode([BASE, UNRELATED])
    assert float(v[0] @ v[2]) < float(r[0] @ r[1])
    assert float(v[0] @ v[1]) > float(v[0] @ v[2]) + 0.2
