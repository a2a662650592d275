"""Document management end to end: docs add/list/remove, incremental index updates, scoped questions,
bad input (allowed folders, odd names, duplicates), corrupted index detection and --rebuild recovery.

Real components throughout: files on disk, the packaged embedding model, an embedded Chroma index
in a temp folder, and the CLI in subprocesses.
"""
from __future__ import annotations

import json
import os
import shutil
from pathlib import Path

import pytest

from assistant.config import Settings
from assistant.embeddings import get_embeddings
from assistant.index import IndexCorrupt, build_index, index_status, open_index, verify_index
from assistant.library import (LibraryError, add_files, check_allowed, list_documents, remove_document,
                               restore_document, safe_name, trash_entries)
from tests.conftest import run_cli
from tests.test_ingest import make_docx, make_pdf

PLAN = "市级城市更新规划\n一、目标。到2025年建成绿道50公里。\n二、措施。每年新增停车位2000个，改造菜市场12家。\n"
REPORT = "区政府工作报告\n今年全区新增就业岗位8000个。\n完成老旧管网改造60公里。\n"
NOTICE = "省级通知\n各地要在六月底前完成安全生产大检查。\n检查覆盖企业300家。\n"


@pytest.fixture(scope="module")
def emb():
    return get_embeddings("auto")


@pytest.fixture
def kb(tmp_path):
    """An empty knowledge base (docs + index folders) and an inbox that is the only allowed folder."""
    inbox = tmp_path / "inbox"
    inbox.mkdir()
    s = Settings(docs_dir=tmp_path / "docs", index_dir=tmp_path / "index", allowed_dirs=str(inbox), llm="none")
    (tmp_path / "docs").mkdir()
    return s, inbox


def _file(folder: Path, name: str, text: str, encoding: str = "utf-8") -> Path:
    p = folder / name
    p.write_bytes(text.encode(encoding))
    return p


def test_add_is_incremental_duplicates_add_nothing_remove_is_exact(kb, emb):
    s, inbox = kb
    r1 = add_files(s, [_file(inbox, "plan.txt", PLAN), _file(inbox, "report.txt", REPORT, "gbk")], embeddings=emb)
    assert [r.status for r in r1.results] == ["added", "added"] and r1.ok
    first = r1.build.total
    assert r1.build.added == first > 0
    ids = {r.title: r.doc_id for r in r1.results}

    # a new document: only its chunks are embedded
    r2 = add_files(s, [make_docx(inbox / "notice.docx", "省级通知", NOTICE.split("\n")[1:])], embeddings=emb)
    assert r2.results[0].status == "added"
    assert r2.build.reused == first and r2.build.added == r2.build.total - first > 0

    # the same file again, and the same content under another name: nothing added, index untouched
    before = open_index(s).build
    r3 = add_files(s, [inbox / "plan.txt", _file(inbox, "plan-copy.txt", PLAN)], embeddings=emb)
    assert [r.status for r in r3.results] == ["duplicate", "duplicate"]
    assert "已存在相同内容的文档" in r3.results[0].message and r3.build is None
    assert open_index(s).build == before

    listed = {d.id: d for d in list_documents(s)}
    assert len(listed) == 3 and all(d.indexed and d.in_folder and d.chunks > 0 for d in listed.values())

    # removing deletes exactly that document's chunks; the file goes to .trash, not away
    gone = ids["区政府工作报告"]
    n_gone = listed[gone].chunks
    r4 = remove_document(s, gone[:8], embeddings=emb)
    assert r4.ok and r4.build.removed == n_gone and r4.build.added == 0
    index = open_index(s)
    assert gone not in index.documents() and not [c for c in index.chunks if c.doc_id == gone]
    assert len(index.chunks) == r2.build.total - n_gone
    assert any(p.name.endswith("report.txt") for p in (s.docs_dir / ".trash").iterdir())
    assert verify_index(s)["documents"] == 2
    index.close()


def test_changed_file_with_same_name_is_updated(kb, emb):
    s, inbox = kb
    old = add_files(s, [_file(inbox, "plan.txt", PLAN)], embeddings=emb).build.total
    r = add_files(s, [_file(inbox, "plan.txt", PLAN + "三、保障。设立专项资金5亿元。\n")], embeddings=emb)
    # a new version is a new document (new content hash): the old version's chunks go, the new ones are embedded
    assert r.results[0].status == "updated" and r.build.removed == old and r.build.added == r.build.total
    docs = list_documents(s)
    assert len(docs) == 1 and "5亿元" in open_index(s).document(docs[0].id).text


def test_questions_limited_to_chosen_documents_cite_their_titles(kb, emb):
    from assistant.answer import answer_question
    from assistant.service import Assistant

    s, inbox = kb
    pdf = make_pdf(inbox / "plan.pdf", [PLAN.split("\n")[:2], PLAN.split("\n")[2:3]], title="市级城市更新规划")
    r = add_files(s, [pdf, _file(inbox, "report.txt", REPORT)], embeddings=emb)
    plan_id, report_id = (x.doc_id for x in r.results)
    a = Assistant(s)
    hits = a.retriever.search("新增多少个", k=5, doc_ids=[report_id])
    assert hits and {h.chunk.doc_id for h in hits} == {report_id}
    ans = answer_question(a, "每年新增停车位多少个？", doc_ids=[plan_id])
    assert ans.citations and all(c.title == "市级城市更新规划" for c in ans.citations)
    assert "2000" in ans.answer
    scoped = answer_question(a, "每年新增停车位多少个？", doc_ids=[report_id])  # the figure is not in that document
    assert "2000" not in scoped.answer and all(c.title == "区政府工作报告" for c in scoped.citations)


def test_cli_docs_add_list_remove_and_ask_with_doc(kb):
    s, inbox = kb
    env = dict(os.environ, ASSISTANT_DOCS_DIR=str(s.docs_dir), ASSISTANT_INDEX_DIR=str(s.index_dir),
               ASSISTANT_ALLOWED_DIRS=str(inbox), ASSISTANT_LLM="none", PYTHONPATH=str(Path(__file__).parents[1]))
    _file(inbox, "plan.md", "# 市级城市更新规划\n" + PLAN)
    _file(inbox, "report.txt", REPORT)
    out = run_cli(["docs", "add", str(inbox / "plan.md"), str(inbox / "report.txt"), str(inbox / "missing.txt"),
                   "--quiet"], env)
    assert out.returncode == 1, out.stderr  # one per-item problem
    assert out.stdout.count("已添加") == 2 and "文件不存在" in out.stderr and "Traceback" not in out.stderr
    listed = run_cli(["docs", "list", "--json"], env)
    rows = [json.loads(line) for line in listed.stdout.splitlines()]
    assert {r["title"] for r in rows} == {"市级城市更新规划", "区政府工作报告"} and all(r["indexed"] for r in rows)
    report_id = next(r["id"] for r in rows if r["title"] == "区政府工作报告")
    plan_id = next(r["id"] for r in rows if r["title"] == "市级城市更新规划")
    ask = run_cli(["ask", "新增就业岗位多少个？", "--doc", report_id, "--json"], env)
    data = json.loads(ask.stdout)
    assert data["citations"] and all(c["title"] == "区政府工作报告" for c in data["citations"])
    ask = run_cli(["ask", "新增就业岗位多少个？", "--doc", plan_id, "--json"], env)
    assert all(c["title"] == "市级城市更新规划" for c in json.loads(ask.stdout).get("citations", []))
    again = run_cli(["docs", "add", str(inbox / "report.txt"), "--quiet"], env)
    assert again.returncode == 0 and "未重复添加" in again.stdout
    rm = run_cli(["docs", "remove", report_id, "--quiet"], env)
    assert rm.returncode == 0 and "已移除" in rm.stdout
    bad = run_cli(["docs", "remove", "ffffffffffff"], env)
    assert bad.returncode == 2 and "找不到文档" in bad.stderr and "Traceback" not in bad.stderr


def test_removal_is_undone_by_restore_and_a_re_added_file_keeps_its_title(kb, emb):
    s, inbox = kb
    src = _file(inbox, "plan.txt", PLAN)
    (inbox / "plan.meta.json").write_text('{"title": "城市更新规划（2023）", "issuer": "市住建局"}', encoding="utf-8")
    doc_id = add_files(s, [src], embeddings=emb).results[0].doc_id
    rm = remove_document(s, doc_id[:6], embeddings=emb)
    msg = rm.results[0].message
    assert "已移除《城市更新规划（2023）》" in msg and "docs restore" in msg
    assert str(s.docs_dir) not in msg and ".trash" not in msg and "/" not in msg  # no server paths
    assert [e.title for e in trash_entries(s)] == ["城市更新规划（2023）"]
    assert doc_id not in open_index(s).documents()
    back = restore_document(s, doc_id[:6], embeddings=emb)
    assert back.ok and back.results[0].status == "restored" and "已恢复《城市更新规划（2023）》" in back.results[0].message
    index = open_index(s)
    assert index.documents()[doc_id]["title"] == "城市更新规划（2023）" and trash_entries(s) == []
    with pytest.raises(LibraryError, match="回收站中没有"):  # nothing left in the trash for it
        restore_document(s, doc_id, embeddings=emb)
    # removed, then the bare file uploaded again (no .meta.json beside it): the old title comes back
    remove_document(s, doc_id, embeddings=emb)
    tmp = inbox / "upload"
    tmp.mkdir()
    bare = _file(tmp, "plan.txt", PLAN)
    r = add_files(s, [bare], embeddings=emb)
    assert r.results[0].title == "城市更新规划（2023）"
    assert open_index(s).documents()[doc_id]["metadata"].get("issuer") == "市住建局"


def test_cli_docs_trash_and_restore(kb):
    s, inbox = kb
    env = dict(os.environ, ASSISTANT_DOCS_DIR=str(s.docs_dir), ASSISTANT_INDEX_DIR=str(s.index_dir),
               ASSISTANT_ALLOWED_DIRS=str(inbox), ASSISTANT_LLM="none", PYTHONPATH=str(Path(__file__).parents[1]))
    _file(inbox, "report.txt", REPORT)
    assert run_cli(["docs", "add", str(inbox / "report.txt"), "--quiet"], env).returncode == 0
    doc_id = json.loads(run_cli(["docs", "list", "--json"], env).stdout.splitlines()[0])["id"]
    assert run_cli(["docs", "remove", doc_id, "--quiet"], env).returncode == 0
    trash = run_cli(["docs", "trash"], env)
    assert "区政府工作报告" in trash.stdout
    out = run_cli(["docs", "restore", doc_id[:8], "--quiet"], env)
    assert out.returncode == 0 and "已恢复《区政府工作报告》" in out.stdout
    assert json.loads(run_cli(["docs", "list", "--json"], env).stdout.splitlines()[0])["indexed"]
    bad = run_cli(["docs", "restore", "ffffffff"], env)
    assert bad.returncode == 2 and "回收站中没有" in bad.stderr and "Traceback" not in bad.stderr


# --- bad input -----------------------------------------------------------------------
def test_path_outside_allowed_folders_is_refused(kb, tmp_path):
    s, inbox = kb
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    secret = _file(outside, "secret.txt", REPORT)
    link = inbox / "link.txt"
    link.symlink_to(secret)
    r = add_files(s, [secret, link, inbox / ".." / "elsewhere" / "secret.txt"], build=False)
    assert [x.status for x in r.results] == ["error"] * 3
    assert all("不在允许的文件夹内" in x.message for x in r.results)
    assert list(s.docs_dir.iterdir()) == []
    with pytest.raises(LibraryError):
        check_allowed(Path("/etc/passwd"), [inbox.resolve()])


@pytest.mark.parametrize("name", ["报告 (终稿) 2023.txt", "-rf.txt", ".hidden.txt", "a\nb.txt", "x" * 300 + ".txt",
                                  "README.txt", "re:port?*.txt", "emoji-📄.txt", "CON.txt"])
def test_odd_file_names_are_stored_safely(kb, emb, name):
    s, inbox = kb
    try:
        src = _file(inbox, name, PLAN.replace("市级", name[:3]))
    except OSError:  # a name the file system itself refuses (e.g. too long): the stored name is what matters
        src = _file(inbox, "long.txt", PLAN)
        name = "long.txt"
    r = add_files(s, [src], build=False)
    res = r.results[0]
    assert res.status == "added", res.message
    stored = s.docs_dir / res.stored_as
    assert stored.is_file() and stored.parent == s.docs_dir
    assert not res.stored_as.startswith((".", "-")) and "\n" not in res.stored_as and "?" not in res.stored_as
    assert len(res.stored_as.encode("utf-8")) <= 200
    assert [d.id for d in list_documents(s)] == [res.doc_id]  # found again by the docs-folder scan


def test_safe_name_keeps_readable_names():
    assert safe_name("区政府工作报告.TXT") == "区政府工作报告.txt"
    assert safe_name("../../etc/passwd.txt") == "passwd.txt"
    assert safe_name("a/b\\c.md") == "c.md"


def test_bad_files_do_not_stop_good_ones_and_change_nothing(kb, emb):
    s, inbox = kb
    good = _file(inbox, "report.txt", REPORT)
    empty = _file(inbox, "empty.txt", "")
    binary = inbox / "photo.txt"
    binary.write_bytes(b"\x89PNG\r\n\x1a\n" + bytes(64))
    scanned = make_pdf(inbox / "scan.pdf", [[]])
    huge = inbox / "huge.txt"
    with open(huge, "wb") as fh:
        fh.truncate(200 * 1024 * 1024)
    mixed = inbox / "mixed.txt"
    mixed.write_bytes(REPORT.encode("utf-8") + REPORT.encode("gbk"))
    folder = inbox / "nothing"
    folder.mkdir()
    r = add_files(s, [empty, binary, scanned, huge, mixed, folder, good, str(inbox / "nul\x00.txt")], embeddings=emb)
    msgs = [x.message for x in r.results]
    assert [x.status for x in r.results] == ["error"] * 6 + ["added", "error"]
    for needle, msg in zip(["文件为空", "PNG 图片", "需要 OCR", "文件过大", "编码无法识别", "没有支持的文档", "已添加", "非法字符"],
                           msgs):
        assert needle in msg
    assert [p.name for p in s.docs_dir.iterdir() if not p.name.startswith(".")] == ["report.txt"]
    assert r.build.total > 0 and index_status(s) == "ok"


def test_remove_needs_a_known_id(kb):
    s, _inbox = kb
    with pytest.raises(LibraryError, match="至少 4 位"):
        remove_document(s, "ab")
    with pytest.raises(LibraryError, match="找不到文档"):
        remove_document(s, "0123456789abcdef")


# --- corrupted index: detected, rebuilt from docs/ on request --------------------------------
def _damage_manifest(build: Path):
    (build / "manifest.json").write_text("{not json", encoding="utf-8")


def _drop_manifest(build: Path):
    (build / "manifest.json").unlink()


def _garble_sqlite(build: Path):
    (build / "chroma.sqlite3").write_bytes(b"this is not a database" * 100)


def _dangling_pointer(build: Path):
    shutil.rmtree(build)


def _wrong_count(build: Path):
    m = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
    m["total_chunks"] += 3
    (build / "manifest.json").write_text(json.dumps(m), encoding="utf-8")


def _lost_snapshot(build: Path):
    next((build / "docs").iterdir()).unlink()


def _doc_count(build: Path):
    m = json.loads((build / "manifest.json").read_text(encoding="utf-8"))
    first = next(iter(m["documents"]))
    m["documents"][first]["chunks"] += 1
    m["total_chunks"] += 1  # consistent total, but one document is not wholly present
    (build / "manifest.json").write_text(json.dumps(m), encoding="utf-8")


def _pointer_to_file(build: Path):
    current = build.parent.parent / "current"
    current.unlink()
    current.write_text("oops", encoding="utf-8")


@pytest.mark.parametrize("damage", [_damage_manifest, _drop_manifest, _garble_sqlite, _dangling_pointer, _wrong_count,
                                    _lost_snapshot, _doc_count, _pointer_to_file])
def test_corrupted_index_is_detected_and_rebuilt(kb, emb, damage):
    s, inbox = kb
    add_files(s, [_file(inbox, "plan.txt", PLAN), _file(inbox, "report.txt", REPORT)], embeddings=emb)
    total = open_index(s).total if hasattr(open_index(s), "total") else len(open_index(s).chunks)
    damage((s.index_dir / "current").resolve())
    with pytest.raises(IndexCorrupt, match="--rebuild"):
        open_index(s, embeddings=emb)
    assert index_status(s) == "corrupt" or damage in (_wrong_count, _lost_snapshot, _doc_count, _garble_sqlite)
    report = build_index(s, rebuild=True, progress=False, embeddings=emb)
    assert report.changed and report.total == total
    assert verify_index(s)["documents"] == 2
    assert sorted(p.name for p in s.docs_dir.iterdir() if not p.name.startswith(".")) == ["plan.txt", "report.txt"]


def test_cli_reports_corrupt_index_and_rebuild_fixes_it(kb, emb):
    s, inbox = kb
    add_files(s, [_file(inbox, "plan.txt", PLAN)], embeddings=emb)
    _damage_manifest((s.index_dir / "current").resolve())
    env = dict(os.environ, ASSISTANT_DOCS_DIR=str(s.docs_dir), ASSISTANT_INDEX_DIR=str(s.index_dir),
               ASSISTANT_LLM="none", PYTHONPATH=str(Path(__file__).parents[1]))
    bad = run_cli(["docs", "list"], env)
    assert bad.returncode == 0 and "未索引" in bad.stdout  # listing still works from the docs folder
    fixed = run_cli(["index", "--rebuild", "--quiet"], env)
    assert fixed.returncode == 0 and "索引已更新" in fixed.stdout
    ask = run_cli(["ask", "到2025年建成绿道多少公里？", "--json"], env)
    assert ask.returncode == 0 and "50" in json.loads(ask.stdout)["answer"]
