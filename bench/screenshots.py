"""Screenshots of the web page for the README: ``python bench/screenshots.py``.

Starts the app on a free 127.0.0.1 port over the configured index (built first
when missing), asks a question in Debian's Chromium through Playwright and saves
``docs/screenshots/chat.png`` (a cited answer with its card), ``chat-paragraph.png``
(the card's paragraph expanded),
``docs/screenshots/abstain.png``, when the quote-check tab exists
``docs/screenshots/check.png``, when the notes tab exists ``notes.png``, and the
chat at phone width (390 px) as ``phone.png``.
"""
from __future__ import annotations

import socket
import statistics
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

OUT = ROOT / "docs" / "screenshots"
ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
        "--disable-sync"]


def main() -> int:
    from playwright.sync_api import sync_playwright

    from assistant.config import get_settings
    from assistant.service import get_assistant
    from assistant.ui import build_app, feature, launch

    settings = get_settings()
    assistant = get_assistant(settings)
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        port = s.getsockname()[1]
    demo = build_app(assistant)
    launch(demo, settings, "127.0.0.1", port, block=False)
    url = f"http://127.0.0.1:{port}/"
    OUT.mkdir(parents=True, exist_ok=True)
    try:
        with sync_playwright() as p:
            browser = p.chromium.launch(executable_path="/usr/bin/chromium", args=ARGS)
            page = browser.new_page(viewport={"width": 1100, "height": 900}, device_scale_factor=1)
            page.set_default_timeout(60_000)
            page.goto(url)
            page.wait_for_selector("#question textarea")

            def ask(q: str) -> float:
                n = page.locator("#chat .ans:not(.ans-streaming)").count()
                page.fill("#question textarea", q)
                t0 = time.perf_counter()
                page.click("#send")
                page.wait_for_function("n => document.querySelectorAll('#chat .ans:not(.ans-streaming)').length > n"
                                       " && !document.querySelector('#chat .ans-streaming')", arg=n, polling=10)
                return time.perf_counter() - t0

            def clear() -> None:
                page.click("#clear")
                page.wait_for_function("() => document.querySelectorAll('#chat .ans').length === 0")

            # click → final answer with its cards rendered, in the browser (first one warms up)
            times = [ask(q) for q in ["老旧小区改造涉及多少户？", "大气污染防治要抓哪些重点？", "重大项目总投资多少？",
                                      "营商环境方面提出了什么要求？", "讲话提出的财政收入目标是多少？"] * 3][1:]
            clear()
            print(f"browser click→answer: median {statistics.median(times) * 1000:.0f} ms, "
                  f"max {max(times) * 1000:.0f} ms over {len(times)} questions")

            ask("老旧小区改造涉及多少户？")
            page.locator("#chat .ans").last.evaluate("el => el.scrollIntoView({block: 'start'})")
            page.screenshot(path=str(OUT / "chat.png"))
            page.locator("#chat .cite-card details summary").first.click()
            page.screenshot(path=str(OUT / "chat-paragraph.png"))
            clear()
            ask("讲话提出的财政收入目标是多少？")
            page.screenshot(path=str(OUT / "abstain.png"))
            if feature("claims") is not None:
                page.get_by_role("tab", name="核对引文").click()
                page.fill("#claim textarea", "讲话说老旧小区改造涉及51396户")
                page.click("#check")
                page.locator("#verdict .badge").wait_for()
                page.screenshot(path=str(OUT / "check.png"))
            if feature("notes") is not None:
                page.get_by_role("tab", name="学习笔记").click()
                page.click("#make-notes")
                page.wait_for_function("() => document.querySelector('#notes-preview').innerText.includes('重要数据')")
                page.screenshot(path=str(OUT / "notes.png"))
            phone = browser.new_page(viewport={"width": 390, "height": 844}, device_scale_factor=1)
            phone.set_default_timeout(60_000)
            phone.goto(url)
            phone.wait_for_selector("#question textarea")
            phone.fill("#question textarea", "老旧小区改造涉及多少户？")
            phone.click("#send")
            phone.wait_for_selector("#chat .cite-card")
            phone.wait_for_timeout(400)
            phone.screenshot(path=str(OUT / "phone.png"))
            browser.close()
    finally:
        demo.close()
    for f in sorted(OUT.glob("*.png")):
        print(f"{f.relative_to(ROOT)}  {f.stat().st_size // 1024} KB")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
