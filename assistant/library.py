"""Document management: add, list and remove documents of the knowledge base.

The docs folder (``ASSISTANT_DOCS_DIR``) is the source of truth; the index is
rebuilt from it incrementally (only new or changed documents are embedded).
These plain functions are what ``python -m assistant docs add|list|remove`` and
the UI's 文档 tab call.

* :func:`add_files` checks each path (allowed folders, size, type, encoding,
  duplicates), stores accepted files in the docs folder under a safe name
  (atomic rename; the original name is kept in the ``NAME.meta.json`` sidecar)
  and updates the index once;
* :func:`remove_document` moves the file to ``docs/.trash/`` (nothing is ever
  deleted) and updates the index, which then holds none of its chunks;
  :func:`restore_document` moves it back (``docs restore``, the page's 恢复) and
  :func:`trash_entries` lists what can be restored;
* a file added again whose content is in the trash gets its old metadata
  (title, date, issuer) back when it comes without its own ``.meta.json``;
* :func:`list_documents` joins the docs folder with the index manifest.
"""
from __future__ import annotations

import json
import logging
import os
import re
import time
import unicodedata
import uuid
from dataclasses import asdict, dataclass, field
from pathlib import Path

from .config import Settings
from .documents import Document, iter_document_files, sidecar_path
from .ingest import SUPPORTED_SUFFIXES, IngestError, load_document

log = logging.getLogger(__name__)

TRASH = ".trash"
_RESERVED = {"CON", "PRN", "AUX", "NUL", *(f"COM{i}" for i in range(10)), *(f"LPT{i}" for i in range(10)), "README", "DESIGN"}


class LibraryError(ValueError):
    """A document operation that cannot be done (message for users)."""


@dataclass
class AddResult:
    """Outcome of one file given to :func:`add_files`."""

    path: str  # as given
    status: str  # "added" | "updated" | "duplicate" | "error"
    message: str  # Chinese, for users
    doc_id: str = ""
    title: str = ""
    stored_as: str = ""  # file name in the docs folder


@dataclass
class DocumentInfo:
    """One document of the knowledge base as listed to users."""

    id: str
    title: str
    source: str
    chars: int
    paragraphs: int = 0
    chunks: int = 0
    pages: int | None = None
    indexed: bool = False  # in the current index build
    in_folder: bool = True  # file present in the docs folder
    metadata: dict = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


@dataclass
class LibraryReport:
    """What an add or remove did: per-file results and the index update."""

    results: list[AddResult] = field(default_factory=list)
    build: object | None = None  # index.BuildReport
    index_error: str = ""

    @property
    def ok(self) -> bool:
        return not self.index_error and all(r.status != "error" for r in self.results)

    def to_dict(self) -> dict:
        b = self.build
        return {"results": [asdict(r) for r in self.results], "index_error": self.index_error,
                "index": None if b is None else {"added": b.added, "reused": b.reused, "removed": b.removed,
                                                 "total": b.total, "changed": b.changed}}


# --- folders and names --------------------------------------------------------
def allowed_folders(settings: Settings) -> list[Path]:
    """Folders `docs add` may read from (ASSISTANT_ALLOWED_DIRS, else home, working dir and docs dir)."""
    raw = [p for p in (settings.allowed_dirs or "").split(os.pathsep) if p.strip()]
    folders = [Path(p).expanduser() for p in raw] or [Path.home(), Path.cwd(), Path(settings.docs_dir)]
    return [_resolve(p) for p in folders]


def _resolve(p: Path) -> Path:
    try:
        return p.resolve()
    except OSError:
        return p.absolute()


def check_allowed(path: Path, folders: list[Path]) -> Path:
    """The resolved path when it lies inside an allowed folder (symlinks followed), else LibraryError."""
    real = _resolve(path)
    for folder in folders:
        if real == folder or folder in real.parents:
            return real
    shown = "、".join(str(f) for f in folders)
    raise LibraryError(f"路径不在允许的文件夹内：{path}（允许：{shown}；可用 ASSISTANT_ALLOWED_DIRS 配置）")


def safe_name(name: str) -> str:
    """A file name that is safe to store: no path parts, control or reserved characters, ≤ ~200 bytes."""
    name = unicodedata.normalize("NFC", name).replace("\\", "/").split("/")[-1]
    stem, suffix = os.path.splitext(name)
    suffix = re.sub(r"[^A-Za-z0-9.]", "", suffix).lower()
    stem = re.sub(r"[\x00-\x1f\x7f<>:\"|?*\u200b-\u200f\u202a-\u202e\ufeff]", "", stem)
    stem = re.sub(r"\s+", "_", stem).strip("._- ")
    while len(stem.encode("utf-8")) > 180:
        stem = stem[:-1]
    if not stem or stem.upper() in _RESERVED or stem.lower().endswith(".meta"):
        stem = (stem or "document") + "-" + uuid.uuid4().hex[:6]
    return stem + suffix


# --- reading the docs folder ----------------------------------------------------
def folder_documents(settings: Settings) -> tuple[list[tuple[Path, Document]], list[str]]:
    """(path, Document) of every loadable file in the docs folder, and messages for the unloadable ones."""
    docs_dir = Path(settings.docs_dir)
    if not docs_dir.exists():
        return [], []
    out, problems = [], []
    for p in iter_document_files(docs_dir):
        try:
            out.append((p, load_document(p, max_bytes=settings.max_doc_mb * 1048576)))
        except IngestError as exc:
            problems.append(str(exc))
    return out, problems


def _original_name(path: Path) -> str:
    try:
        meta = json.loads(sidecar_path(path).read_text(encoding="utf-8"))
        return str(meta.get("original_name") or path.name)
    except (OSError, ValueError, AttributeError):
        return path.name


def _atomic_write(target: Path, data: bytes) -> None:
    tmp = target.with_name(f".tmp-{uuid.uuid4().hex[:8]}-{target.name[-40:]}")
    with open(tmp, "wb") as fh:
        fh.write(data)
        fh.flush()
        os.fsync(fh.fileno())
    os.replace(tmp, target)


def _to_trash(settings: Settings, path: Path) -> Path:
    trash = Path(settings.docs_dir) / TRASH
    trash.mkdir(exist_ok=True)
    dest = trash / f"{time.strftime('%Y%m%d-%H%M%S')}-{uuid.uuid4().hex[:4]}-{path.name}"
    os.replace(path, dest)
    side = sidecar_path(path)
    if side.exists():
        os.replace(side, dest.with_name(dest.stem + ".meta.json"))
    return dest


def _expand(path: Path) -> list[Path]:
    if path.is_dir():
        return [p for p in sorted(path.iterdir()) if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
                and not p.name.startswith(".")]
    return [path]


# --- operations -------------------------------------------------------------------
def add_files(settings: Settings, paths, allowed_dirs=None, build: bool = True, embeddings=None,
              progress: bool = False) -> LibraryReport:
    """Add files (or the supported files of folders) to the knowledge base; updates the index once.

    `allowed_dirs` overrides the allowed folders (the UI passes its upload folder).
    Every file gets an :class:`AddResult`; a bad file never stops the others.
    """
    folders = [_resolve(Path(p)) for p in allowed_dirs] if allowed_dirs else allowed_folders(settings)
    docs_dir = Path(settings.docs_dir)
    report = LibraryReport()
    existing, _problems = folder_documents(settings)
    by_id = {d.id: (p, d) for p, d in existing}
    changed = False
    limit = settings.max_doc_mb * 1048576

    for given in paths:
        shown = str(given)
        try:
            if "\x00" in shown:
                raise LibraryError("文件名含非法字符（NUL）")
            raw = Path(shown).expanduser()
            if not raw.exists() and not raw.is_symlink():
                raise LibraryError(f"文件不存在：{shown}")
            real = check_allowed(raw, folders)
            if not real.exists():
                raise LibraryError(f"文件不存在（链接已失效）：{shown}")
            files = _expand(real)
            if not files:
                raise LibraryError(f"文件夹中没有支持的文档：{shown}（支持 {', '.join(sorted(SUPPORTED_SUFFIXES))}）")
        except (LibraryError, OSError) as exc:
            report.results.append(AddResult(shown, "error", str(exc) if isinstance(exc, LibraryError)
                                            else f"无法读取：{shown}（{exc.strerror or exc}）"))
            continue
        for f in files:
            item = shown if len(files) == 1 else str(f)
            try:
                report.results.append(_add_one(settings, f, item, raw.name if len(files) == 1 else f.name,
                                               docs_dir, by_id, limit))
                changed = changed or report.results[-1].status in ("added", "updated")
            except (IngestError, LibraryError) as exc:
                report.results.append(AddResult(item, "error", str(exc)))
            except OSError as exc:
                report.results.append(AddResult(item, "error", f"无法读取或保存：{item}（{exc.strerror or exc}）"))

    if build and (changed or _index_needs_update(settings)):
        _update_index(settings, report, embeddings, progress)
    return report


def _add_one(settings: Settings, f: Path, item: str, given_name: str, docs_dir: Path, by_id: dict,
             limit: int) -> AddResult:
    doc = load_document(f, max_bytes=limit)  # validates size, type, encoding, text layer …
    if doc.id in by_id:
        p, d = by_id[doc.id]
        return AddResult(item, "duplicate", f"已存在相同内容的文档《{d.title}》（{d.id}，{p.name}），未重复添加",
                         doc.id, d.title, p.name)
    docs_dir.mkdir(parents=True, exist_ok=True)
    name = safe_name(given_name)
    target = docs_dir / name
    status = "added"
    if target.exists():
        if _original_name(target) == given_name:  # same file name, new content: a new version
            old_id = next((i for i, (p, _d) in by_id.items() if p == target), None)
            _to_trash(settings, target)
            if old_id:
                by_id.pop(old_id, None)
            status = "updated"
        else:
            stem, suffix = os.path.splitext(name)
            n = 2
            while (docs_dir / f"{stem}-{n}{suffix}").exists():
                n += 1
            target = docs_dir / f"{stem}-{n}{suffix}"
    meta = {}
    side = sidecar_path(f)
    if not side.is_file():  # re-added after a removal: keep the title and metadata it had
        old = next((e for e in trash_entries(settings) if e.doc_id == doc.id), None)
        if old is not None and old.meta_path is not None:
            side = old.meta_path
    if side.is_file():
        try:
            meta = json.loads(side.read_text(encoding="utf-8"))
        except (OSError, ValueError) as exc:
            raise LibraryError(f"元数据文件无法解析：{side.name}（{exc}）") from exc
        if not isinstance(meta, dict):
            raise LibraryError(f"元数据文件应为 JSON 对象：{side.name}")
    meta.pop("original_name", None)
    if target.name != given_name:
        meta["original_name"] = given_name
    if meta:
        _atomic_write(sidecar_path(target), json.dumps(meta, ensure_ascii=False, indent=2).encode("utf-8"))
    _atomic_write(target, f.read_bytes())
    stored = load_document(target, max_bytes=limit)
    by_id[stored.id] = (target, stored)
    verb = "已更新（旧版本移入 .trash）" if status == "updated" else "已添加"
    return AddResult(item, status, f"{verb}《{stored.title}》（{stored.id}，{len(stored.text)} 字）", stored.id,
                     stored.title, target.name)


def _index_needs_update(settings: Settings) -> bool:
    from .index import index_status

    try:
        return index_status(settings) != "ok"
    except Exception:
        return True


def _update_index(settings: Settings, report: LibraryReport, embeddings, progress: bool) -> None:
    from .index import build_index

    try:
        docs = [d for _p, d in folder_documents(settings)[0]]
        report.build = build_index(settings, docs=docs, embeddings=embeddings, progress=progress)
    except Exception as exc:  # the files are saved; the previous index stays intact
        log.exception("index update failed")
        report.index_error = (f"文档已保存，但索引未能更新（{exc.__class__.__name__}: {exc}）；"
                              "原索引保持不变，请稍后运行 python -m assistant index")


def find_document(settings: Settings, doc_id: str) -> tuple[Path | None, Document | None]:
    """The docs-folder file of a document id (a unique prefix of ≥ 4 characters is enough)."""
    doc_id = (doc_id or "").strip()
    if len(doc_id) < 4:
        raise LibraryError("请给出文档 ID（至少 4 位，可用 python -m assistant docs list 查看）")
    hits = [(p, d) for p, d in folder_documents(settings)[0] if d.id.startswith(doc_id)]
    if len(hits) > 1:
        raise LibraryError(f"ID 前缀 {doc_id} 对应多篇文档，请写完整 ID")
    return hits[0] if hits else (None, None)


def remove_document(settings: Settings, doc_id: str, build: bool = True, embeddings=None,
                    progress: bool = False) -> LibraryReport:
    """Remove one document: its file goes to docs/.trash/, the index loses exactly its chunks."""
    report = LibraryReport()
    path, doc = find_document(settings, doc_id)
    in_index = _indexed_ids(settings)
    if path is None:
        matches = [i for i in in_index if i.startswith(doc_id.strip())]
        if not matches:
            raise LibraryError(f"找不到文档：{doc_id}（可用 python -m assistant docs list 查看 ID）")
        report.results.append(AddResult(doc_id, "removed", f"文档 {matches[0]} 已不在文档目录中，已从索引移除",
                                        matches[0]))
    else:
        _to_trash(settings, path)
        report.results.append(AddResult(doc_id, "removed", f"已移除《{doc.title}》（{doc.id}）；"
                                        f"可以恢复：python -m assistant docs restore {doc.id[:8]}",
                                        doc.id, doc.title, path.name))
    if build:
        _update_index(settings, report, embeddings, progress)
    return report


@dataclass
class TrashEntry:
    """A removed document waiting in ``docs/.trash/`` (newest first in :func:`trash_entries`)."""

    doc_id: str
    title: str
    name: str  # the file name it had in the docs folder
    removed_at: str  # YYYY-MM-DD HH:MM:SS
    path: Path
    meta_path: Path | None = None

    def to_dict(self) -> dict:
        return {"id": self.doc_id, "title": self.title, "name": self.name, "removed_at": self.removed_at}


_TRASH_NAME = re.compile(r"^(\d{8})-(\d{6})-[0-9a-f]{4}-(.+)$")


def trash_entries(settings: Settings) -> list[TrashEntry]:
    """Removed documents that can be restored, newest first (unreadable files are skipped)."""
    trash = Path(settings.docs_dir) / TRASH
    if not trash.is_dir():
        return []
    out = []
    for p in trash.iterdir():
        m = _TRASH_NAME.match(p.name)
        if not m or not p.is_file() or p.name.endswith(".meta.json") or p.suffix.lower() not in SUPPORTED_SUFFIXES:
            continue
        try:
            doc = load_document(p, max_bytes=settings.max_doc_mb * 1048576)
        except (IngestError, OSError):
            continue
        d, t = m.group(1), m.group(2)
        side = sidecar_path(p)
        out.append(TrashEntry(doc.id, doc.title, m.group(3), f"{d[:4]}-{d[4:6]}-{d[6:]} {t[:2]}:{t[2:4]}:{t[4:]}", p,
                              side if side.is_file() else None))
    out.sort(key=lambda e: e.path.name, reverse=True)
    return out


def restore_document(settings: Settings, key: str, build: bool = True, embeddings=None,
                     progress: bool = False) -> LibraryReport:
    """Move a removed document back from docs/.trash/ (by id prefix of ≥ 4 characters or its trash
    file name) and update the index; the newest removal of that document is restored."""
    key = (key or "").strip()
    entries = trash_entries(settings)
    hits = [e for e in entries if e.path.name == key] or ([e for e in entries if e.doc_id.startswith(key)]
                                                          if len(key) >= 4 else [])
    if not hits:
        raise LibraryError(f"回收站中没有这篇文档：{key or '（空）'}（已删除的文档见 python -m assistant docs trash）")
    if len({e.doc_id for e in hits}) > 1:
        raise LibraryError(f"ID 前缀 {key} 对应多篇已删除的文档，请写完整 ID")
    entry = hits[0]
    report = LibraryReport()
    present = {d.id: p for p, d in folder_documents(settings)[0]}
    if entry.doc_id in present:
        report.results.append(AddResult(key, "duplicate", f"《{entry.title}》已在文档中（{present[entry.doc_id].name}），无需恢复",
                                        entry.doc_id, entry.title, present[entry.doc_id].name))
        return report
    docs_dir = Path(settings.docs_dir)
    target = docs_dir / entry.name
    stem, suffix = os.path.splitext(entry.name)
    n = 2
    while target.exists() or sidecar_path(target).exists():
        target = docs_dir / f"{stem}-{n}{suffix}"
        n += 1
    if entry.meta_path is not None:
        os.replace(entry.meta_path, sidecar_path(target))
    os.replace(entry.path, target)
    report.results.append(AddResult(key, "restored", f"已恢复《{entry.title}》（{entry.doc_id}）", entry.doc_id,
                                    entry.title, target.name))
    if build:
        _update_index(settings, report, embeddings, progress)
    return report


def _indexed_ids(settings: Settings) -> dict[str, dict]:
    from .index import IndexError_, open_index

    try:
        index = open_index(settings)
    except IndexError_:
        return {}
    try:
        return {i: {**info, "chunks": info.get("chunks", 0)} for i, info in index.documents().items()}
    finally:
        index.close()


def list_documents(settings: Settings) -> list[DocumentInfo]:
    """Documents of the docs folder and/or the current index, folder order first."""
    in_index = _indexed_ids(settings)
    out: list[DocumentInfo] = []
    for p, d in folder_documents(settings)[0]:
        info = in_index.get(d.id, {})
        out.append(DocumentInfo(d.id, d.title, p.name, len(d.text), len(d.paragraphs), info.get("chunks", 0),
                                d.metadata.get("pages"), d.id in in_index, True,
                                {k: v for k, v in d.metadata.items() if k != "page_starts"}))
    listed = {i.id for i in out}
    for doc_id, info in in_index.items():
        if doc_id not in listed:
            out.append(DocumentInfo(doc_id, info.get("title", ""), info.get("source", ""), info.get("chars", 0),
                                    0, info.get("chunks", 0), None, True, False,
                                    {k: v for k, v in info.get("metadata", {}).items() if k != "page_starts"}))
    return out
