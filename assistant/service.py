"""The assembled assistant: settings + opened index + retriever, shared by CLI and UI.

:func:`get_assistant` opens (and, when asked, builds) the index once per process;
everything else takes an :class:`Assistant` and stays a plain function.
"""
from __future__ import annotations

import logging
import threading
from functools import cached_property

from .config import Settings, get_settings
from .index import Index, build_index, index_status, open_index
from .retrieval import Retriever
from .structure import Structure

log = logging.getLogger(__name__)


class Assistant:
    """Opened index and retriever for one settings object."""

    def __init__(self, settings: Settings | None = None, index: Index | None = None):
        self.settings = settings or get_settings()
        self._index = index

    @property
    def index(self) -> Index:
        if self._index is None:
            self._index = open_index(self.settings)
        return self._index

    @cached_property
    def translator(self):
        from .crosslingual import Translator

        return Translator("\n".join(d.text for d in self.index.all_documents()))

    @cached_property
    def retriever(self) -> Retriever:
        return Retriever(self.index, self.settings.dense_weight, translate=self.translator)

    def structure(self, doc_id: str) -> Structure:
        return self.retriever.structure(doc_id)

    def reload(self) -> None:
        """Re-open the index (after documents were added or removed)."""
        if self._index is not None:
            self._index.close()
        self._index = None
        self.__dict__.pop("retriever", None)
        self.__dict__.pop("translator", None)


_lock = threading.Lock()
_instances: dict[int, Assistant] = {}


def ensure_index(settings: Settings | None = None, progress: bool = True) -> str:
    """Build the index when it is missing or out of date; returns the status before."""
    settings = settings or get_settings()
    status = index_status(settings)
    if status in ("missing", "stale"):
        log.info("index %s: building", status)
        build_index(settings, progress=progress)
    return status


def get_assistant(settings: Settings | None = None, build: bool = True) -> Assistant:
    """The process-wide Assistant (index built first when missing or stale and `build`)."""
    settings = settings or get_settings()
    with _lock:
        inst = _instances.get(id(settings))
        if inst is None:
            if build and settings.chroma_url == "":
                ensure_index(settings)
            inst = Assistant(settings)
            _instances[id(settings)] = inst
        return inst
