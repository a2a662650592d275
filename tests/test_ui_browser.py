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


DESKTOP = {"width": 1440, "height": 900}
PHONE = {"width": 390, "height": 844}


def new_page(browser, url, viewport=DESKTOP):
    ctx = browser.new_context(viewport=viewport, locale="en-US")  # an English browser: the page stays Chinese
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=url)
    pg = ctx.new_page()
    pg.set_default_timeout(TIMEOUT)
    pg.goto(url + "/")
    pg.wait_for_selector("#question textarea")
    return pg


def in_viewport(pg, locator) -> bool:
    """Is the top of the element on screen (inside the window and inside the scrolled chat box)?"""
    return locator.evaluate("""e => { const r = e.getBoundingClientRect(); const c = document.querySelector('#chat')
        .getBoundingClientRect(); const top = r.top + 2;
        return top >= 0 && top < window.innerHeight && top >= c.top - 1 && top < c.bottom; }""")


@pytest.fixture(scope="module")
def context(browser, app_url):
    """One browser context for the module's pages: the app's scripts and styles load from its cache
    (each page is still a session of its own on the server)."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 1000})
    ctx.grant_permissions(["clipboard-read", "clipboard-write"], origin=app_url)
    yield ctx
    ctx.close()


@pytest.fixture
def page(context, app_url):
    pg = context.new_page()
    pg.set_default_timeout(TIMEOUT)
    pg.goto(app_url + "/")
    pg.wait_for_selector("#question textarea")
    yield pg
    pg.close()


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


# --- issue 11: one test per defect ---------------------------------------------------------------
def read_feedback(path: Path, before: int, pg) -> list[dict]:
    for _ in range(100):
        lines = path.read_text(encoding="utf-8").splitlines() if path.exists() else []
        if len(lines) > before:
            return [json.loads(x) for x in lines[before:]]
        pg.wait_for_timeout(100)
    return []


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1440", "390"])
def test_3_newest_answer_top_is_in_view(browser, app_url, viewport):
    pg = new_page(browser, app_url, viewport)
    try:
        ask(pg, "大气污染防治要抓哪些重点？")
        ans = ask(pg, "重大项目总投资多少？")  # several cards under it
        pg.wait_for_timeout(300)
        assert in_viewport(pg, ans.locator(".ans-text")), "the newest answer's text must be on screen"
        assert "1370" in ans.locator(".ans-text").inner_text()
    finally:
        pg.context.close()


def test_5_feedback_and_copy_are_confirmed_on_screen(browser, app_url, settings):
    pg = new_page(browser, app_url)
    path = Path(settings.feedback_file)
    try:
        before = len(path.read_text(encoding="utf-8").splitlines()) if path.exists() else 0
        ask(pg, "老旧小区改造涉及多少户？")
        buttons = pg.locator("#chat .bot").last.locator(".message-buttons button")  # [👎, 👍]
        like = buttons.nth(1)
        like.click()
        pg.wait_for_function("() => document.querySelector('#chat-status').innerText.includes('有帮助')")
        like.click()  # taken back
        pg.wait_for_function("() => document.querySelector('#chat-status').innerText.includes('撤回')")
        buttons.nth(0).click()
        pg.wait_for_function("() => document.querySelector('#chat-status').innerText.includes('没有帮助')")
        rows = read_feedback(path, before, pg)
        for _ in range(50):
            if len(rows) >= 3:
                break
            pg.wait_for_timeout(100)
            rows = read_feedback(path, before, pg)
        assert [r["liked"] for r in rows[:3]] == [True, None, False]
        pg.click("#copy")
        pg.wait_for_function("() => document.querySelector('#chat-status').innerText.includes('已复制')")
        assert pg.locator("#chat-status").is_visible()
        # an error message gets no 👍/👎, and the question stays in the box to be trimmed
        long_q = "问" * 5000
        pg.fill("#question textarea", long_q)
        pg.click("#send")
        pg.wait_for_selector("#chat .ans-error")
        err_row = pg.locator("#chat .bot", has=pg.locator(".ans-error")).last
        assert err_row.locator("button[aria-label='Like']").count() == 0 or \
            not err_row.locator("button[aria-label='Like']").first.is_visible()
        assert pg.locator("#chat button[aria-label='Like']").first.is_visible()  # answers keep theirs
        pg.wait_for_function("n => document.querySelector('#question textarea').value.length === n", arg=5000)  # 6
    finally:
        pg.context.close()


def test_9_smaller_issues(browser, app_url):
    pg = new_page(browser, app_url)
    try:
        assert "已收录文档" in pg.locator("#chat").inner_text()  # not "only the speech"
        en = ask(pg, "How many major projects are planned?")
        text = en.inner_text()
        assert "Sources" in text and "出处" not in text and "展开全段" not in text
        # markup in a Chinese question is not taken for English
        html_q = ask(pg, "<img src=x onerror=alert(1)>老旧小区有多少个？")
        assert "228" in html_q.locator(".ans-text").inner_text()
        # a new topic is not "understood with the earlier question"
        ask(pg, "夜经济怎么发展？")
        new_topic = ask(pg, "老旧小区改造涉及多少户？")
        assert new_topic.locator(".ans-context").count() == 0
        # the part heading is shown with its words, and 展开全段 changes its label when open
        card = new_topic.locator(".cite-card").first
        sec = card.locator(".cite-sec").inner_text()
        assert sec.startswith("二、加压奋进") and not sec.startswith("二、…")
        summary = card.locator("details summary")
        assert "展开全段" in summary.inner_text()
        summary.click()
        assert "收起全段" in summary.inner_text() and "展开全段" not in summary.inner_text()
        # the quote check: examples are claims, and an exact quote shows no empty value table
        pg.get_by_role("tab", name="核对引文").click()
        assert pg.get_by_text("示例说法").first.is_visible() and pg.get_by_text("示例问题").count() <= 1
        pg.fill("#claim textarea", "目前尚有老旧小区，覆盖面广，任务量大，群众关注度高")
        pg.click("#check")
        pg.locator("#verdict .badge").wait_for()
        assert pg.locator("#verdict .verdict-values").count() == 0 or "—" not in pg.locator("#verdict .verdict-values").inner_text()
    finally:
        pg.context.close()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1440", "390"])
def test_7_notes_readable_named_and_following_the_section(browser, app_url, viewport):
    pg = new_page(browser, app_url, viewport)
    try:
        pg.get_by_role("tab", name="学习笔记").click()
        pg.wait_for_function("() => document.querySelector('#notes-doc input').value.includes('讲话')")
        pg.click("#make-notes")
        pg.wait_for_function("() => document.querySelector('#notes-preview').innerText.includes('重要数据')")
        preview = pg.locator("#notes-preview")
        # readable type at every level of the outline
        sizes = preview.locator("li").evaluate_all("els => els.map(e => parseFloat(getComputedStyle(e).fontSize))")
        assert sizes and min(sizes) >= 14 and max(sizes) - min(sizes) < 0.5
        text = preview.inner_text()
        assert "中信年产值" in text and "一拖年产值" in text and "三个高地" not in text.split("重要数据")[1].split("金句")[0]
        assert "打造先进制造业千亿产业集群，是打造千亿强区的重要物质基础" in text  # key sentence of 一要
        if viewport is PHONE:  # 8: the table scrolls sideways instead of one character per line
            cells = preview.locator("td").evaluate_all("els => els.map(e => e.getBoundingClientRect().width)")
            assert cells and min(cells) >= 50
        with pg.expect_download() as dl:
            pg.click("#notes-md")
        assert dl.value.suggested_filename == "学习笔记-在全区领导干部大会上的讲话-全文.md"
        # choosing a section remakes the notes and the downloads
        pg.locator("#notes-section input").click()
        pg.get_by_role("option", name=re.compile("（五）要在生态环境治理上干在实处")).click()
        pg.wait_for_function("() => document.querySelector('#notes-preview').innerText.includes('范围：（五）')")
        with pg.expect_download() as dl:
            pg.click("#notes-docx")
        name = dl.value.suggested_filename
        assert name.startswith("学习笔记-在全区领导干部大会上的讲话-（五）要在生态环境治理上干在实处") and name.endswith(".docx")
    finally:
        pg.context.close()


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


def upload(pg, *paths):
    with pg.expect_file_chooser() as fc:
        pg.click("#upload")
    fc.value.set_files([str(p) for p in paths])


STATUS_JS = ("() => ['#upload-refused', '#docs-status'].map(s => document.querySelector(s))"
             ".filter(e => e).map(e => e.innerText).join('\\n')")


def status_text(pg) -> str:
    return pg.evaluate(STATUS_JS).strip()


@pytest.mark.parametrize("viewport", [DESKTOP, PHONE], ids=["1440", "390"])
def test_1_nothing_is_deleted_by_one_click_and_removal_is_undone(browser, library_url, viewport):
    url, tmp = library_url
    pg = new_page(browser, url, viewport)
    try:
        pg.get_by_role("tab", name="文档").click()
        pg.wait_for_selector("#docs-table tbody tr")
        assert pg.locator("#docs-pick input").input_value() == ""  # nothing preselected
        pg.click("#docs-remove")  # one click without a choice removes nothing
        pg.wait_for_function("() => document.querySelector('#docs-status').innerText.includes('请先')")
        assert pg.locator("#docs-table tbody tr").count() == 1
        pg.locator("#docs-pick input").click()
        pg.get_by_role("option", name="在全区领导干部大会上的讲话").click()
        pg.click("#docs-remove")
        confirm = pg.locator("#docs-confirm-text")
        confirm.wait_for(state="visible")
        chunks = int(re.search(r"有 (\d+) 个分块", confirm.inner_text()).group(1))
        assert "《在全区领导干部大会上的讲话》" in confirm.inner_text() and chunks > 0
        pg.click("#docs-cancel")  # cancel: still there
        assert pg.locator("#docs-table tbody tr").count() == 1
        pg.click("#docs-remove")
        pg.click("#docs-confirm-remove")
        # (read the message once Gradio's "processing | 0.3/1.2s" overlay is gone: its timer has a "/")
        pg.wait_for_function("() => { const t = document.querySelector('#docs-status').innerText;"
                             " return t.includes('已删除') && !t.includes('processing'); }")
        msg = status_text(pg)
        assert "/" not in msg and ".trash" not in msg and "完成" not in msg  # no server path
        pg.wait_for_function("() => document.querySelectorAll('#docs-table tbody tr').length === 0")
        # 恢复 from the trash
        pg.locator("#docs-trash input").click()
        pg.get_by_role("option", name=re.compile("在全区领导干部大会上的讲话")).click()
        pg.click("#docs-restore")
        pg.wait_for_function("() => document.querySelector('#docs-status').innerText.includes('已恢复')")
        pg.wait_for_function("() => document.querySelectorAll('#docs-table tbody tr').length === 1")
        assert "在全区领导干部大会上的讲话" in pg.locator("#docs-table").inner_text()
        pg.get_by_role("tab", name="问答").click()
        assert "51397" in ask(pg, "老旧小区改造涉及多少户？").locator(".ans-text").inner_text()
    finally:
        pg.context.close()


def test_2_lists_are_live_across_tabs_and_sessions_and_4_refusals_in_chinese(browser, library_url):
    url, tmp = library_url
    new = tmp / "社区网格化管理通知.txt"
    new.write_text("关于加强社区网格化管理的通知\n全区社区网格员共有386名，覆盖全部街道和社区。\n", encoding="utf-8")
    exe = tmp / "setup.exe"
    exe.write_bytes(b"MZ" + b"\0" * 100)
    empty = tmp / "空白.txt"
    empty.write_text("", encoding="utf-8")
    big = tmp / "大文件.txt"
    big.write_bytes(b"a" * (21 * 1048576))
    first = new_page(browser, url)
    other = new_page(browser, url)  # a second session, opened before the upload
    try:
        first.get_by_role("tab", name="文档").click()
        upload_text = first.locator("#upload").inner_text()
        assert "选择文件" in upload_text and "Drop" not in upload_text and "Click" not in upload_text
        # 4: refusals say what is wrong and what to do, in Chinese, never headed 完成
        for bad, words in ((exe, "不支持的文件类型"), (big, "文件过大")):
            upload(first, bad)
            first.wait_for_function(f"w => ({STATUS_JS})().includes(w)", arg=words)
            msg = status_text(first)
            assert "完成" not in msg and "请" in msg and bad.name in msg
            assert "Invalid" not in first.locator("body").inner_text() and "exceed" not in first.locator("body").inner_text()
        upload(first, empty)
        first.wait_for_function(f"() => ({STATUS_JS})().includes('文件为空')")
        assert status_text(first).startswith("未上传") and "完成" not in status_text(first)
        # 2: an added document appears in every list of every session
        upload(first, new)
        first.wait_for_function("() => document.querySelector('#docs-status').innerText.includes('已加入索引')")
        first.wait_for_function("() => document.querySelectorAll('#docs-table tbody tr').length === 2")
        first.get_by_role("tab", name="问答").click()
        first.locator("#scope").wait_for(state="visible")
        third = new_page(browser, url)  # a new tab after the upload
        try:
            for pg in (other, third):  # `other` was open all along: switching tabs brings the lists up to date
                pg.get_by_role("tab", name="文档").click()
                pg.wait_for_function("() => document.querySelectorAll('#docs-table tbody tr').length === 2")
                pg.locator("#docs-pick input").click()
                assert pg.get_by_role("option", name="关于加强社区网格化管理的通知").count() == 1
                pg.keyboard.press("Escape")
                pg.get_by_role("tab", name="学习笔记").click()
                pg.locator("#notes-doc input").click()
                pg.get_by_role("option", name="关于加强社区网格化管理的通知").click()
                pg.click("#make-notes")
                pg.wait_for_function("() => document.querySelector('#notes-preview').innerText.includes('386名')")
                pg.get_by_role("tab", name="问答").click()
                pg.locator("#scope").wait_for(state="visible")
            # the quote check works for the added document
            third.get_by_role("tab", name="核对引文").click()
            third.fill("#claim textarea", "全区社区网格员共有368名")
            third.click("#check")
            third.locator("#verdict .badge").wait_for()
            assert third.locator("#verdict .badge").get_attribute("data-verdict") == "contradicted"
            ans = ask(first, "社区网格员有多少名？")
            assert "386" in ans.locator(".ans-text").inner_text()
        finally:
            third.context.close()
    finally:
        first.context.close()
        other.context.close()


@pytest.mark.parametrize("viewport", [PHONE], ids=["390"])
def test_8_documents_table_is_usable_at_390(browser, library_url, viewport):
    url, _tmp = library_url
    pg = new_page(browser, url, viewport)
    try:
        pg.get_by_role("tab", name="文档").click()
        cell = pg.locator("#docs-table td.d-title").first
        cell.wait_for()
        box = cell.bounding_box()
        assert box["width"] >= 250  # a whole line per field, not one or two characters
        assert "标题" in cell.evaluate("e => getComputedStyle(e, '::before').content")
        width = pg.evaluate("document.documentElement.scrollWidth")
        assert width <= 400
    finally:
        pg.context.close()
