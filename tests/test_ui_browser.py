"""End-to-end: the real app on a free localhost port, driven by Playwright in Debian's Chromium.

The app runs in this process (Gradio server thread) over the session index of
conftest.py; the browser is /usr/bin/chromium (installed by ``make system-deps``;
``playwright install`` is never used).
"""
from __future__ import annotations

import json
import re
import socket
import urllib.request
from pathlib import Path

import pytest

pytestmark = [pytest.mark.browser, pytest.mark.slow]

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync"]
TIMEOUT = 60_000  # ms, for an answer to arrive


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def start_app(assistant, auth=None):
    """Launch the Blocks app on a free 127.0.0.1 port; returns (demo, url)."""
    from assistant.ui import build_app, launch

    port = free_port()
    demo = build_app(assistant)
    launch(demo, assistant.settings, "127.0.0.1", port, auth=auth, block=False)
    return demo, f"http://127.0.0.1:{port}"


@pytest.fixture(scope="module")
def app_url(assistant):
    demo, url = start_app(assistant)
    yield url
    demo.close()


@pytest.fixture(scope="module")
def browser():
    if not CHROMIUM.exists():
        pytest.skip("需要 Debian 的 chromium（/usr/bin/chromium）：请以 root 运行 make system-deps")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=str(CHROMIUM), args=CHROMIUM_ARGS)
        yield b
        b.close()


@pytest.fixture
def page(browser, app_url):
    ctx = browser.new_context(viewport={"width": 1280, "height": 1000})
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=app_url)
    pg = ctx.new_page()
    pg.set_default_timeout(TIMEOUT)
    pg.goto(app_url + "/")
    pg.wait_for_selector("#question textarea")
    yield pg
    ctx.close()


def ask(pg, question: str, submit: str = "click"):
    """Type a question, send it, and wait for the final answer of this turn; returns its locator."""
    before = pg.locator("#chat .ans:not(.ans-streaming)").count()
    pg.fill("#question textarea", question)
    if submit == "enter":
        pg.press("#question textarea", "Enter")
    else:
        pg.click("#send")
    pg.wait_for_function(
        "n => document.querySelectorAll('#chat .ans:not(.ans-streaming)').length > n"
        " && !document.querySelector('#chat .ans-streaming')", arg=before)
    return pg.locator("#chat .ans:not(.ans-streaming)").last


def test_cited_answer_with_highlighted_span(page):
    ans = ask(page, "老旧小区改造涉及多少户？")
    assert "51397" in ans.locator(".ans-text").inner_text()
    card = ans.locator(".cite-card").first
    assert "第13段" in card.locator(".cite-head").inner_text()
    assert "《" in card.locator(".cite-title").inner_text()
    marks = card.locator(".cite-quote mark")
    assert "涉及51397户" in marks.first.inner_text()
    sec = card.locator(".cite-sec")
    assert "（三）要在城市有机更新上内外兼修" in sec.inner_text() and "›" in sec.inner_text()
    # the whole paragraph is expandable, with the same span marked
    details = card.locator("details")
    assert not details.evaluate("d => d.open")
    details.locator("summary").click()
    assert details.evaluate("d => d.open")
    assert "涉及51397户" in details.locator("mark").inner_text()
    assert "一是量力而行" in details.inner_text()
    # the inline marker links to its card
    ref = ans.locator("a.cite-ref").first
    target = ref.get_attribute("href")
    assert target and target.startswith("#cite-") and card.get_attribute("id") == target[1:]
    ref.click()
    assert page.url.endswith(target)
    # the copy button copies the plain answer with its sources
    page.click("#copy")
    page.wait_for_function("async () => (await navigator.clipboard.readText()).includes('51397')")
    clip = page.evaluate("navigator.clipboard.readText()")
    assert "第13段" in clip and "<" not in clip


def test_streaming_shows_pieces_before_the_cards(page):
    # record every state the answer passes through: streamed text first, then the cards
    page.evaluate("""() => { window.__seen = [];
        new MutationObserver(() => {
            const a = document.querySelector('#chat .ans-streaming');
            if (a) window.__seen.push(a.innerText);
        }).observe(document.querySelector('#chat'), {subtree: true, childList: true, characterData: true}); }""")
    ans = ask(page, "大气污染防治要抓哪些重点？")
    assert ans.locator(".cite-card").count() >= 1
    seen = page.evaluate("window.__seen")
    assert seen and "cite-card" not in "".join(seen)  # pieces were shown before the final answer
    assert "大气污染防治" in ans.inner_text() and "二要抓好大气污染防治" in ans.locator(".cite-sec").first.inner_text()


def test_abstention_says_so_and_shows_related_passages(page):
    ans = ask(page, "讲话提出的财政收入目标是多少？", submit="enter")
    msg = ans.locator(".abstain-msg").inner_text()
    assert "资料未提及" in msg or "没有找到" in msg
    assert ans.locator(".related-head").inner_text() == "相关段落"
    assert ans.locator(".related-item").count() >= 1
    assert ans.locator(".cite-card").count() == 0 and ans.locator("mark").count() == 0


def test_followup_uses_memory_and_clear_forgets(page):
    ask(page, "重大项目总投资多少？")
    follow = ask(page, "有多少个？")
    assert "252" in follow.locator(".ans-text").inner_text()
    assert "重大项目总投资多少" in follow.locator(".ans-context").inner_text()
    page.click("#clear")
    page.wait_for_function("() => document.querySelectorAll('#chat .ans').length === 0")
    alone = ask(page, "有多少个？")
    assert alone.locator(".abstain-msg").count() == 1  # no memory after clearing


def test_over_long_question_gets_a_message(page):
    ans = ask(page, "问" * 2100)
    text = ans.inner_text()
    assert "问题过长" in text and "2000" in text and "Traceback" not in text


def test_user_text_is_not_markup(page):
    ask(page, '<img src=x onerror="window.__pwned=1"><b>老旧小区</b>改造涉及多少户？')
    assert page.evaluate("window.__pwned === undefined")
    assert page.locator("#chat img[src=x]").count() == 0
    assert "<b>老旧小区</b>" in page.locator("#chat").inner_text()


def test_feedback_is_written(page, settings):
    path = Path(settings.feedback_file)
    before = len(path.read_text(encoding="utf-8").splitlines()) if path.exists() else 0
    ask(page, "老旧小区改造涉及多少户？")
    page.locator("#chat button[aria-label='Like']").last.click()
    for _ in range(100):
        lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
        if len(lines) > before:
            break
        page.wait_for_timeout(100)
    row = json.loads(lines[-1])
    assert row["liked"] is True and row["question"] == "老旧小区改造涉及多少户？"
    assert "51397" in row["answer"] and row["citations"][0]["paragraph"] == 13


def test_documents_tab_lists_the_speech(page):
    page.get_by_role("tab", name="文档").click()
    table = page.locator("#docs-table table")
    table.wait_for()
    row = table.locator("tr", has_text="speech-2022-district-cadre-conference.txt")
    assert row.locator(".d-paragraphs").inner_text() == "23"
    assert int(row.locator(".d-chunks").inner_text()) > 0
    assert re.search(r"索引建立时间：\d{4}-\d{2}-\d{2}", page.locator("#docs-table").inner_text())


def test_quote_check_tab(page):
    from assistant.ui import feature

    if feature("claims") is None:
        assert page.get_by_role("tab", name="核对引文").count() == 0  # no dead tab
        return
    page.get_by_role("tab", name="核对引文").click()
    page.fill("#claim textarea", "讲话说老旧小区改造涉及51396户")
    page.click("#check")
    badge = page.locator("#verdict .badge")
    badge.wait_for()
    assert badge.get_attribute("data-verdict") == "contradicted"
    assert "51397" in page.locator("#verdict .v-source").inner_text()
    assert "涉及51397户" in page.locator("#verdict .cite-quote mark").first.inner_text()


def test_notes_tab(page):
    from assistant.ui import feature

    if feature("notes") is None or feature("export") is None:
        assert page.get_by_role("tab", name="学习笔记").count() == 0
        return
    page.get_by_role("tab", name="学习笔记").click()
    page.click("#make-notes")
    page.wait_for_function("() => document.querySelector('#notes-preview').innerText.includes('提纲')")
    preview = page.locator("#notes-preview").inner_text()
    assert "重要数据" in preview and "51397" in preview
    page.locator("#notes-docx").wait_for(state="visible")
    page.locator("#notes-md").wait_for(state="visible")
    with page.expect_download() as dl:
        page.click("#notes-docx")
    assert dl.value.suggested_filename.endswith(".docx")


def test_login_required_when_auth_is_set(assistant):
    demo, url = start_app(assistant, auth=("cadre", "pw-123"))
    try:
        with urllib.request.urlopen(url + "/config", timeout=30) as r:  # noqa: S310 - localhost only
            pytest.fail(f"/config served without login: {r.status}")
    except urllib.error.HTTPError as exc:
        assert exc.code in (401, 403)
    finally:
        demo.close()


# --- the 文档 tab with document management (own docs folder and index copy) ---------------------
@pytest.fixture(scope="module")
def library_url(index_dir, tmp_path_factory):
    """An app over a private copy of the docs folder and index (uploads must not touch docs/)."""
    import shutil

    from assistant.config import Settings
    from assistant.service import Assistant
    from assistant.ui import feature

    if feature("library") is None:
        pytest.skip("assistant.library 尚未提供：文档管理控件不显示")
    from .conftest import DOCS

    tmp = tmp_path_factory.mktemp("library-ui")
    docs = tmp / "docs"
    docs.mkdir()
    for f in DOCS.glob("speech-2022-district-cadre-conference.*"):
        shutil.copy(f, docs / f.name)
    shutil.copytree(index_dir, tmp / "index", symlinks=True)  # same documents: nothing to re-embed
    s = Settings(index_dir=tmp / "index", docs_dir=docs, feedback_file=tmp / "fb.jsonl", llm="none")
    demo, url = start_app(Assistant(s))
    yield url, tmp
    demo.close()


def test_upload_a_document_then_ask_about_it(browser, library_url):
    url, tmp = library_url
    new = tmp / "社区网格化管理通知.txt"
    new.write_text("关于加强社区网格化管理的通知\n全区社区网格员共有386名，覆盖全部街道和社区。\n", encoding="utf-8")
    pg = browser.new_page(viewport={"width": 1280, "height": 1000})
    pg.set_default_timeout(120_000)
    try:
        pg.goto(url + "/")
        pg.get_by_role("tab", name="文档").click()
        pg.locator("#upload input[type=file]").set_input_files(str(new))
        pg.wait_for_function("() => document.querySelector('#upload').innerText.includes('社区网格化管理通知')")
        pg.click("#docs-add")
        pg.wait_for_function("() => document.querySelector('#docs-status').innerText.includes('已添加')")
        table = pg.locator("#docs-table table")
        pg.wait_for_function("() => document.querySelectorAll('#docs-table tbody tr').length === 2")
        assert "关于加强社区网格化管理的通知" in table.inner_text()
        pg.get_by_role("tab", name="问答").click()
        ans = ask(pg, "社区网格员有多少名？")
        assert "386" in ans.locator(".ans-text").inner_text()
        assert "关于加强社区网格化管理的通知" in ans.locator(".cite-card .cite-title").first.inner_text()
    finally:
        pg.close()
