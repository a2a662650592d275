"""The web page (Gradio Blocks): 问答, 核对引文, 学习笔记, 文档.  Thin: wiring only.

* :func:`serve` starts the app at ``http://127.0.0.1:7860`` (``settings.host/port``);
  binding any other address refuses to start unless ``settings.auth`` holds
  ``user:password`` (:func:`check_bind`), which then becomes Gradio's login.
* :func:`build_app` builds the Blocks for an :class:`~assistant.service.Assistant`;
  tabs whose feature module (claims, notes/export, library) is not installed are
  left out.  The HTML of answers and cards comes from :mod:`assistant.render`,
  every text from :mod:`assistant.labels`.
* The queue is on with ``settings.concurrency`` workers; 👍/👎 go to
  ``settings.feedback_file`` as JSON lines (:func:`append_feedback`).
"""
from __future__ import annotations

import importlib
import ipaddress
import json
import logging
import tempfile
import threading
import time
from pathlib import Path

from . import render
from .labels import examples as example_questions
from .labels import text as label

log = logging.getLogger(__name__)

QUEUE_MAX = 64  # pending requests beyond this are refused ("queue full")
MAX_SHOWN_QUESTION = 300  # characters of an over-long question echoed back in the chat

COPY_JS = """(t) => {
  if (!t) { return; }
  if (navigator.clipboard && window.isSecureContext) { navigator.clipboard.writeText(t); return; }
  const a = document.createElement('textarea'); a.value = t; a.style.position = 'fixed'; a.style.left = '-9999px';
  document.body.appendChild(a); a.select(); try { document.execCommand('copy'); } finally { a.remove(); }
}"""


# --- rules (plain functions, tested without a browser) -------------------------------------
def is_loopback(host: str) -> bool:
    """Is `host` a loopback address (127.0.0.0/8, ::1, localhost)?"""
    h = (host or "").strip().strip("[]").lower()
    if h in ("localhost", "localhost.localdomain"):
        return True
    try:
        return ipaddress.ip_address(h).is_loopback
    except ValueError:
        return False


def parse_auth(auth: str, lang: str = "zh") -> tuple[str, str] | None:
    """``"user:password"`` -> (user, password); empty -> None; malformed -> PermissionError."""
    if not auth:
        return None
    user, sep, password = auth.partition(":")
    if not sep or not user.strip() or not password:
        raise PermissionError(label("bad_auth", lang))
    return user.strip(), password


def check_bind(host: str, auth: str, lang: str = "zh") -> tuple[str, str] | None:
    """Credentials to use for binding `host`; PermissionError for a public address without them."""
    creds = parse_auth(auth, lang)
    if creds is None and not is_loopback(host):
        raise PermissionError(label("refuse_public", lang, host=host))
    return creds


_feedback_lock = threading.Lock()


def append_feedback(path: Path, record: dict) -> None:
    """Append one feedback record as a JSON line (parent folders created, writes serialised)."""
    path = Path(path)
    line = json.dumps({"time": time.strftime("%Y-%m-%dT%H:%M:%S"), **record}, ensure_ascii=False)
    with _feedback_lock:
        path.parent.mkdir(parents=True, exist_ok=True)
        with path.open("a", encoding="utf-8") as fh:
            fh.write(line + "\n")


def feature(name: str):
    """The module ``assistant.<name>`` when it is installed, else None (its tab is hidden)."""
    try:
        return importlib.import_module(f"{__package__}.{name}")
    except ImportError as exc:
        if exc.name != f"{__package__}.{name}":  # the module exists but one of its imports failed
            log.warning("feature %s unavailable: %s", name, exc)
        return None


def document_rows(assistant) -> tuple[list[dict], str]:
    """(rows for the 文档 table, built_at) from the opened index."""
    index = assistant.index
    chunks: dict[str, int] = {}
    for c in index.chunks:
        chunks[c.doc_id] = chunks.get(c.doc_id, 0) + 1
    rows = []
    for doc_id, info in index.documents().items():
        try:
            paragraphs = len(index.document(doc_id).paragraphs)
        except (OSError, KeyError):
            paragraphs = None
        meta = info.get("metadata") or {}
        about = " · ".join(str(meta[k]) for k in ("date", "issuer") if meta.get(k))
        if meta.get("pages"):
            about = " · ".join(x for x in (about, f"{meta['pages']} 页") if x)
        rows.append({"id": doc_id, "title": info.get("title", ""), "source": info.get("source", ""),
                     "paragraphs": paragraphs, "chunks": chunks.get(doc_id, 0), "chars": info.get("chars"),
                     "about": about})
    return rows, index.manifest.get("built_at", "")


# --- the app --------------------------------------------------------------------------------
def build_app(assistant, lang: str = "zh"):
    """The Blocks app for `assistant` (see module docstring)."""
    import gradio as gr

    from .answer import Answer, QuestionError
    from .chain import stream_answer

    settings = assistant.settings
    L = lambda key, **kw: label(key, lang, **kw)  # noqa: E731

    def document(doc_id):
        return assistant.index.document(doc_id)

    def scope_choices():
        return [(info.get("title") or doc_id, doc_id) for doc_id, info in assistant.index.documents().items()]

    with gr.Blocks(title=L("app_title"), analytics_enabled=False) as demo:
        gr.Markdown(f"## {L('app_title')}\n{L('app_intro')}")
        with gr.Tabs():
            # ---- 问答 -----------------------------------------------------------------------
            with gr.Tab(L("tab_chat"), id="chat"):
                chatbot = gr.Chatbot(label=L("chat_label"), show_label=False, elem_id="chat", height=560, render_markdown=False,
                                     sanitize_html=True, latex_delimiters=[], buttons=[],
                                     feedback_options=("Like", "Dislike"), placeholder=L("chat_empty"),
                                     layout="panel")
                turns = gr.State([])
                last_plain = gr.Textbox(visible=False, elem_id="last-answer")
                with gr.Row():
                    question = gr.Textbox(placeholder=L("chat_placeholder"), show_label=False, lines=1,
                                          max_lines=6, scale=8, elem_id="question", autofocus=True)
                    send = gr.Button(L("send"), variant="primary", scale=1, min_width=80, elem_id="send")
                with gr.Row():
                    copy = gr.Button(L("copy"), size="sm", elem_id="copy")
                    clear = gr.Button(L("clear"), size="sm", elem_id="clear")
                choices = scope_choices()
                scope = gr.Dropdown(choices=choices, value=[], multiselect=True, label=L("scope"),
                                    visible=len(choices) > 1, elem_id="scope")
                gr.Examples(examples=[[q] for q in example_questions(lang)], inputs=[question],
                            label=L("examples"))

                def respond(q, messages, turns_, doc_ids):
                    messages = list(messages or [])
                    turns_ = list(turns_ or [])
                    q = q or ""
                    shown = q if len(q) <= MAX_SHOWN_QUESTION else q[:MAX_SHOWN_QUESTION] + "…"
                    turn = len(turns_) + 1
                    messages.append({"role": "user", "content": render.esc(shown)})
                    messages.append({"role": "assistant", "content": render.streaming_html(L("thinking"))})
                    record = {"question": q, "msg_index": len(messages) - 1}
                    yield "", messages, turns_, gr.skip()
                    history = [t["question"] for t in turns_ if t.get("ok")]
                    final, partial = None, ""
                    try:
                        for piece in stream_answer(assistant, q, history=history, k=settings.top_k,
                                                   doc_ids=list(doc_ids) or None):
                            if isinstance(piece, Answer):
                                final = piece
                            else:
                                partial += piece
                                messages[-1] = {"role": "assistant", "content": render.streaming_html(partial)}
                                yield gr.skip(), messages, gr.skip(), gr.skip()
                    except QuestionError as exc:
                        msg = L("question_error", error=str(exc))
                        messages[-1] = {"role": "assistant", "content": render.message_html(msg)}
                        yield gr.skip(), messages, turns_ + [{**record, "ok": False, "answer": msg}], msg
                        return
                    except Exception as exc:  # never a traceback in the page
                        log.exception("answer failed")
                        msg = L("error_generic", error=exc.__class__.__name__)
                        messages[-1] = {"role": "assistant", "content": render.message_html(msg)}
                        yield gr.skip(), messages, turns_ + [{**record, "ok": False, "answer": msg}], msg
                        return
                    plain = render.plain_answer(final, lang)
                    messages[-1] = {"role": "assistant", "content": render.answer_html(final, document, turn, lang)}
                    record.update(ok=True, answer=plain, abstained=final.abstained, mode=final.mode,
                                  citations=[{"doc": c.doc, "paragraph": c.paragraph, "start": c.start, "end": c.end}
                                             for c in final.citations])
                    yield gr.skip(), messages, turns_ + [record], plain

                outs = [question, chatbot, turns, last_plain]
                ins = [question, chatbot, turns, scope]
                question.submit(respond, ins, outs, concurrency_id="answer")
                send.click(respond, ins, outs, concurrency_id="answer")
                clear.click(lambda: ([], [], "", ""), None, [chatbot, turns, last_plain, question], queue=False)
                copy.click(None, [last_plain], None, js=COPY_JS)
                chatbot.clear(lambda: ([], ""), None, [turns, last_plain], queue=False)

                def on_like(turns_, data: gr.LikeData):
                    index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
                    rec = next((t for t in turns_ or [] if t.get("msg_index") == index), None)
                    if rec is None:
                        return
                    entry = {"liked": data.liked, "question": rec.get("question", ""), "answer": rec.get("answer", ""),
                             "abstained": rec.get("abstained"), "mode": rec.get("mode"),
                             "citations": rec.get("citations", [])}
                    try:
                        append_feedback(settings.feedback_file, entry)
                    except OSError as exc:
                        gr.Warning(L("feedback_failed", error=exc.strerror or str(exc)))
                        return
                    gr.Info(L("feedback_saved"))

                on_like.__annotations__["data"] = gr.LikeData  # resolved here: gradio is imported lazily
                chatbot.like(on_like, [turns], None, queue=False)

            # ---- 核对引文 ---------------------------------------------------------------------
            claims = feature("claims")
            if claims is not None and hasattr(claims, "check_claim"):
                with gr.Tab(L("tab_check"), id="check"):
                    gr.Markdown(L("check_intro"))
                    claim_in = gr.Textbox(label=L("check_input"), placeholder=L("check_placeholder"), lines=2,
                                          elem_id="claim")
                    check_btn = gr.Button(L("check_button"), variant="primary", elem_id="check")
                    verdict_out = gr.HTML(elem_id="verdict")
                    gr.Examples(examples=[[c] for c in _example_claims()], inputs=[claim_in], label=L("examples"))

                    def check(text):
                        if not text or not text.strip():
                            return render.message_html(L("check_empty"))
                        if len(text) > settings.max_question_chars:
                            from .answer import validate_question

                            try:
                                validate_question(text, settings.max_question_chars)
                            except QuestionError as exc:
                                return render.message_html(L("question_error", error=str(exc)))
                        try:
                            result = claims.check_claim(assistant, text.strip())
                        except ValueError as exc:  # QuestionError and the module's own input errors
                            return render.message_html(L("question_error", error=str(exc)))
                        return render.verdict_html(result, document, lang)

                    claim_in.submit(check, [claim_in], [verdict_out], concurrency_id="answer")
                    check_btn.click(check, [claim_in], [verdict_out], concurrency_id="answer")

            # ---- 学习笔记 ---------------------------------------------------------------------
            notes, export = feature("notes"), feature("export")
            if notes is not None and export is not None and hasattr(notes, "build_notes"):
                _notes_tab(gr, assistant, notes, export, L)

            # ---- 对照学习 (assistant/ui_compare.py) -------------------------------------------
            if feature("compare") is not None:
                from .ui_compare import build_compare_tab

                build_compare_tab(gr, assistant, lang)

            # ---- 文档 ------------------------------------------------------------------------
            with gr.Tab(L("tab_docs"), id="docs"):
                gr.Markdown(L("docs_intro"))
                docs_html = gr.HTML(lambda: render.documents_html(*document_rows(assistant), lang=lang),
                                    elem_id="docs-table")
                library = feature("library")
                if library is not None and hasattr(library, "add_files"):
                    _library_controls(gr, assistant, library, L, docs_html, scope, lang)
    return demo


def _example_claims() -> list[str]:
    from .labels import EXAMPLE_CLAIMS

    return EXAMPLE_CLAIMS


def section_choices(assistant, doc_id: str) -> list[tuple[str, str]]:
    """(shown label, value for notes.build_notes) of the parts and areas of a document.

    Parts and areas are named by ordinal path (``二``, ``二（五）``) as the notes module
    understands them; other headings by their own text."""
    from .structure import CN_DIGITS

    out: list[tuple[str, str]] = []
    try:
        roots = assistant.structure(doc_id).roots
    except Exception:  # a document without headings: whole document only
        log.debug("no outline for %s", doc_id, exc_info=True)
        return out
    digit = lambda n: CN_DIGITS[n - 1] if 1 <= n <= len(CN_DIGITS) else ""  # noqa: E731
    for top in roots:
        if top.kind == "part" and digit(top.ordinal):
            out.append((render.short_label(top.label, 30), digit(top.ordinal)))
            for area in top.children:
                if area.kind == "area" and digit(area.ordinal):
                    out.append(("　" + render.short_label(area.label, 30), f"{digit(top.ordinal)}（{digit(area.ordinal)}）"))
        elif top.kind == "heading":
            out.append((render.short_label(top.label, 30), top.label))
    return out


def _notes_tab(gr, assistant, notes, export, L) -> None:
    """The 学习笔记 tab: pick a document and section, preview, download Markdown / Word."""
    docs = [(info.get("title") or i, i) for i, info in assistant.index.documents().items()]

    def sections_for(doc_id):
        return [(L("notes_all"), "")] + section_choices(assistant, doc_id)

    with gr.Tab(L("tab_notes"), id="notes"):
        gr.Markdown(L("notes_intro"))
        with gr.Row():
            doc_dd = gr.Dropdown(choices=docs, value=docs[0][1] if docs else None, label=L("notes_doc"),
                                 visible=len(docs) > 1)
            sec_dd = gr.Dropdown(choices=sections_for(docs[0][1]) if docs else [], value="",
                                 label=L("notes_section"), elem_id="notes-section")
        make = gr.Button(L("notes_button"), variant="primary", elem_id="make-notes")
        with gr.Row():
            md_file = gr.DownloadButton(L("notes_md"), visible=False, elem_id="notes-md")
            docx_file = gr.DownloadButton(L("notes_docx"), visible=False, elem_id="notes-docx")
        preview = gr.Markdown(label=L("notes_preview"), elem_id="notes-preview", sanitize_html=True)

        def on_doc(doc_id):
            return gr.update(choices=sections_for(doc_id), value="")

        def make_notes(doc_id, section):
            try:
                result = notes.build_notes(assistant, doc_id=doc_id or None, section=section or None)
            except (ValueError, KeyError) as exc:
                return render.message_html(L("docs_failed", error=str(exc))), gr.update(visible=False), gr.update(visible=False)
            md = export.to_markdown(result)
            out = Path(tempfile.mkdtemp(prefix="notes-"))
            md_path = out / "学习笔记.md"
            md_path.write_text(md, encoding="utf-8")
            docx_path = export.to_docx(result, out / "学习笔记.docx")
            return md, gr.update(value=str(md_path), visible=True), gr.update(value=str(docx_path), visible=True)

        doc_dd.change(on_doc, [doc_dd], [sec_dd])
        make.click(make_notes, [doc_dd, sec_dd], [preview, md_file, docx_file])


def _library_controls(gr, assistant, library, L, docs_html, scope, lang) -> None:
    """Upload / remove controls of the 文档 tab (only when the library module is installed)."""
    from .ingest import SUPPORTED_SUFFIXES

    settings = assistant.settings
    types = sorted(SUPPORTED_SUFFIXES)
    mb = settings.max_upload_mb

    def refreshed():
        assistant.reload()
        choices = [(info.get("title") or i, i) for i, info in assistant.index.documents().items()]
        return (render.documents_html(*document_rows(assistant), lang=lang),
                gr.update(choices=choices, visible=len(choices) > 1),
                gr.update(choices=choices, value=None))

    upload = gr.File(label=L("docs_upload", types=" ".join(types), mb=mb), file_count="multiple",
                     file_types=types, elem_id="upload")
    add = gr.Button(L("docs_add"), variant="primary", elem_id="docs-add")
    with gr.Row():
        pick = gr.Dropdown(choices=[(info.get("title") or i, i) for i, info in assistant.index.documents().items()],
                           label=L("docs_remove_pick"), elem_id="docs-pick")
        remove = gr.Button(L("docs_remove"), variant="stop", elem_id="docs-remove")
    status = gr.Markdown(elem_id="docs-status")

    def add_files(files):
        paths = [Path(f if isinstance(f, str) else f.name) for f in files or []]
        if not paths:
            return (gr.skip(), gr.skip(), gr.skip(), L("docs_no_files"), gr.skip())
        for p in paths:
            if p.suffix.lower() not in SUPPORTED_SUFFIXES:
                return (gr.skip(), gr.skip(), gr.skip(), L("docs_bad_type", name=render.esc(p.name), types=" ".join(types)), gr.skip())
            size = p.stat().st_size / 1048576
            if size > mb:
                return (gr.skip(), gr.skip(), gr.skip(), L("docs_too_big", name=render.esc(p.name), size=size, mb=mb), gr.skip())
        from gradio.utils import get_upload_folder

        try:  # uploads live in Gradio's upload folder: the only folder the UI may read from
            report = library.add_files(settings, paths, allowed_dirs=[get_upload_folder()])
        except (ValueError, OSError, RuntimeError) as exc:
            return (gr.skip(), gr.skip(), gr.skip(), L("docs_failed", error=render.esc(str(exc))), gr.skip())
        return (*refreshed(), L("docs_done", summary="\n" + _summary(report)), None)

    def remove_doc(doc_id):
        if not doc_id:
            return (gr.skip(), gr.skip(), gr.skip(), L("docs_no_files"))
        try:
            report = library.remove_document(settings, doc_id)
        except (ValueError, OSError, RuntimeError, KeyError) as exc:
            return (gr.skip(), gr.skip(), gr.skip(), L("docs_failed", error=render.esc(str(exc))))
        return (*refreshed(), L("docs_done", summary="\n" + _summary(report)))

    add.click(add_files, [upload], [docs_html, scope, pick, status, upload], concurrency_id="library", concurrency_limit=1)
    remove.click(remove_doc, [pick], [docs_html, scope, pick, status], concurrency_id="library", concurrency_limit=1)


def _summary(report) -> str:
    """Markdown lines of what the library did: one per file, then any index problem."""
    lines = [f"- {render.esc(getattr(r, 'message', r))}" for r in getattr(report, "results", []) or []]
    if getattr(report, "index_error", ""):
        lines.append(f"- ⚠ {render.esc(report.index_error)}")
    return "\n".join(lines) or render.esc(str(report))


# --- server ---------------------------------------------------------------------------------
def launch(demo, settings, host: str, port: int, auth=None, block: bool = True):
    """Queue on (``settings.concurrency`` workers) and start the server; returns Gradio's (app, url, share)."""
    import gradio as gr

    demo.queue(default_concurrency_limit=settings.concurrency, max_size=QUEUE_MAX)
    theme = gr.themes.Soft(font=["Noto Sans CJK SC", "PingFang SC", "Microsoft YaHei", "sans-serif"],
                           font_mono=["Noto Sans Mono CJK SC", "monospace"])
    return demo.launch(server_name=host, server_port=port, auth=auth,
                       auth_message=label("login_message") if auth else None,
                       prevent_thread_lock=not block, ssr_mode=False, share=False, inbrowser=False,
                       show_error=False, quiet=True, max_file_size=f"{settings.max_upload_mb}mb",
                       footer_links=[], theme=theme, css=render.CSS)


def serve(host: str | None = None, port: int | None = None, settings=None, block: bool = True, lang: str = "zh"):
    """Start the web page; PermissionError for a public host without ``settings.auth``."""
    from .config import get_settings
    from .service import get_assistant

    settings = settings or get_settings()
    host = host or settings.host
    port = port or settings.port
    auth = check_bind(host, settings.auth, lang)  # before anything is loaded or bound
    assistant = get_assistant(settings)
    demo = build_app(assistant, lang)
    try:
        launch(demo, settings, host, port, auth=auth, block=False)
    except OSError as exc:  # the port is taken or the address cannot be bound
        import sys

        sys.stderr.write(label("port_busy", lang, host=host, port=port, error=exc) + "\n")
        raise SystemExit(2) from None
    if block:
        print(label("started", lang, url=f"http://{'[' + host + ']' if ':' in host else host}:{port}"), flush=True)
        demo.block_thread()
    return demo
