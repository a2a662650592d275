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
import re
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
  if (!t) { return t; }
  if (navigator.clipboard && window.isSecureContext) { navigator.clipboard.writeText(t); return t; }
  const a = document.createElement('textarea'); a.value = t; a.style.position = 'fixed'; a.style.left = '-9999px';
  document.body.appendChild(a); a.select(); try { document.execCommand('copy'); } finally { a.remove(); }
  return t;
}"""

# the newest answer's top in view once it has arrived (the chat box and the page both scroll)
SCROLL_JS = """() => { setTimeout(() => {
  const all = document.querySelectorAll('#chat .ans');
  const a = all[all.length - 1];
  if (a) { a.scrollIntoView({block: 'start', behavior: 'instant'}); }
}, 60); }"""

# the page's own checks of chosen files, before Gradio's (whose messages are English):
# type and size are refused here with a Chinese message and nothing is uploaded.
UPLOAD_GUARD_JS = """(types, mb, badType, tooBig, empty) => {
  if (window.__uploadGuard) { return; }
  window.__uploadGuard = true;
  document.addEventListener('change', (ev) => {
    const input = ev.target;
    if (!(input instanceof HTMLInputElement) || input.type !== 'file') { return; }  // the page's only upload
    const bad = [];
    for (const f of input.files || []) {
      const dot = f.name.lastIndexOf('.');
      const ext = dot >= 0 ? f.name.slice(dot).toLowerCase() : '';
      if (!types.includes(ext)) { bad.push(badType.replace('{name}', f.name)); }
      else if (f.size === 0) { bad.push(empty.replace('{name}', f.name)); }
      else if (f.size > mb * 1048576) {
        bad.push(tooBig.replace('{name}', f.name).replace('{size}', (f.size / 1048576).toFixed(1)));
      }
    }
    const old = document.querySelector('#upload-refused');
    if (old) { old.remove(); }
    if (bad.length) {
      ev.stopImmediatePropagation(); ev.preventDefault(); input.value = '';
      const box = document.querySelector('#docs-status');  // beside Gradio's own status, not inside it
      const d = document.createElement('div'); d.id = 'upload-refused'; d.className = 'docs-refused';
      d.setAttribute('role', 'alert'); d.textContent = bad.join('\\n');
      if (box) { box.parentElement.insertBefore(d, box); } else { document.body.appendChild(d); }
    }
  }, true);
}"""

_TAG = re.compile(r"<[^<>\n]{0,300}>")
_LATIN = re.compile(r"[A-Za-z]")
_CJK = re.compile(r"[\u4e00-\u9fff]")


def question_lang(question: str) -> str:
    """'en' when a question (markup removed) is written mostly in Latin letters, else 'zh'."""
    text = _TAG.sub(" ", question or "")
    return "en" if len(_LATIN.findall(text)) > 2 * len(_CJK.findall(text)) else "zh"


def answerable_text(question: str) -> str:
    """The question without HTML-like markup (``<img src=x …>老旧小区…`` asks about 老旧小区)."""
    stripped = _TAG.sub(" ", question or "").strip()
    return stripped if _CJK.search(stripped) or _LATIN.search(stripped) else (question or "")


def feedback_value(liked) -> bool | None:
    """Gradio's like value as stored: True (👍), False (👎), None (the vote was taken back)."""
    return liked if isinstance(liked, bool) else None


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
def document_choices(assistant) -> list[tuple[str, str]]:
    """(title, id) of every indexed document, for the page's document lists."""
    return [(info.get("title") or doc_id, doc_id) for doc_id, info in assistant.index.documents().items()]


def trash_choices(settings) -> list[tuple[str, str]]:
    """(title · removed at, trash file name) of the removed documents that can be restored."""
    library = feature("library")
    if library is None or not hasattr(library, "trash_entries"):
        return []
    return [(f"《{e.title}》 删除于 {e.removed_at}", e.path.name) for e in library.trash_entries(settings)]


def sync_index(assistant) -> None:
    """Re-open the index when another session or process published a new build."""
    try:
        from .index import store_for

        current = store_for(assistant.settings).current()
    except Exception:  # no index, server unreachable: keep what is open
        log.debug("index pointer unreadable", exc_info=True)
        return
    if current is not None and current != getattr(assistant.index, "build", current):
        assistant.reload()


def notes_file_stem(title: str, section: str | None) -> str:
    """学习笔记-<document>-<section or 全文>, safe as a download name."""
    def clean(x: str, n: int) -> str:
        x = re.sub(r"[\\/:*?\"<>|\s]+", "", x or "")
        return x[:n]
    return "-".join(p for p in ("学习笔记", clean(title, 24), clean(section or "全文", 24)) if p)


def build_app(assistant, lang: str = "zh"):
    """The Blocks app for `assistant` (see module docstring)."""
    import gradio as gr

    from .answer import Answer, QuestionError
    from .chain import stream_answer

    settings = assistant.settings
    L = lambda key, **kw: label(key, lang, **kw)  # noqa: E731

    def document(doc_id):
        return assistant.index.document(doc_id)

    refs: dict = {}
    with gr.Blocks(title=L("app_title"), analytics_enabled=False) as demo:
        gr.Markdown(f"## {L('app_title')}\n{L('app_intro')}")
        with gr.Tabs():
            # ---- 问答 -----------------------------------------------------------------------
            with gr.Tab(L("tab_chat"), id="chat") as tab:
                refs.setdefault("_tabs", []).append(tab)
                chatbot = gr.Chatbot(label=L("chat_label"), show_label=False, elem_id="chat", height=560, render_markdown=False,
                                     sanitize_html=True, latex_delimiters=[], buttons=[], autoscroll=False,
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
                chat_status = gr.HTML("", elem_id="chat-status")
                scope = gr.Dropdown(choices=[], value=[], multiselect=True, label=L("scope"),
                                    visible=False, elem_id="scope")
                refs["scope"] = scope
                gr.Examples(examples=[[q] for q in example_questions(lang)], inputs=[question],
                            label=L("examples"))

                def respond(q, messages, turns_, doc_ids):
                    messages = list(messages or [])
                    turns_ = list(turns_ or [])
                    q = q or ""
                    qlang = question_lang(q) if lang == "zh" else lang
                    shown = q if len(q) <= MAX_SHOWN_QUESTION else q[:MAX_SHOWN_QUESTION] + "…"
                    turn = len(turns_) + 1
                    messages.append({"role": "user", "content": render.esc(shown)})
                    messages.append({"role": "assistant", "content": render.streaming_html(L("thinking"))})
                    record = {"question": q, "msg_index": len(messages) - 1}
                    yield "", messages, turns_, gr.skip(), ""
                    history = [t["question"] for t in turns_ if t.get("ok")]
                    final, partial = None, ""
                    try:
                        for piece in stream_answer(assistant, answerable_text(q), history=history, k=settings.top_k,
                                                   doc_ids=list(doc_ids or []) or None):
                            if isinstance(piece, Answer):
                                final = piece
                            else:
                                partial += piece
                                messages[-1] = {"role": "assistant", "content": render.streaming_html(partial)}
                                yield gr.skip(), messages, gr.skip(), gr.skip(), gr.skip()
                    except QuestionError as exc:
                        msg = L("question_error", error=str(exc))
                        messages[-1] = {"role": "assistant", "content": render.message_html(msg)}
                        # the question stays in the box so that it can be corrected
                        yield q, messages, turns_ + [{**record, "ok": False, "answer": msg}], gr.skip(), ""
                        return
                    except Exception as exc:  # never a traceback in the page
                        log.exception("answer failed")
                        msg = L("error_generic", error=exc.__class__.__name__)
                        messages[-1] = {"role": "assistant", "content": render.message_html(msg)}
                        yield q, messages, turns_ + [{**record, "ok": False, "answer": msg}], gr.skip(), ""
                        return
                    plain = render.plain_answer(final, qlang)
                    messages[-1] = {"role": "assistant", "content": render.answer_html(final, document, turn, qlang)}
                    record.update(ok=True, answer=plain, abstained=final.abstained, mode=final.mode,
                                  citations=[{"doc": c.doc, "paragraph": c.paragraph, "start": c.start, "end": c.end}
                                             for c in final.citations])
                    yield gr.skip(), messages, turns_ + [record], plain, ""

                outs = [question, chatbot, turns, last_plain, chat_status]
                ins = [question, chatbot, turns, scope]
                question.submit(respond, ins, outs, concurrency_id="answer").then(None, None, None, js=SCROLL_JS)
                send.click(respond, ins, outs, concurrency_id="answer").then(None, None, None, js=SCROLL_JS)
                clear.click(lambda: ([], [], "", "", ""), None, [chatbot, turns, last_plain, question, chat_status],
                            queue=False)

                def copied(text):
                    key = "copied" if text else "copy_nothing"
                    return f'<div class="chat-note" role="status">{render.esc(L(key))}</div>'

                copy.click(copied, [last_plain], [chat_status], js=COPY_JS, queue=False)
                chatbot.clear(lambda: ([], "", ""), None, [turns, last_plain, chat_status], queue=False)

                def on_like(turns_, data: gr.LikeData):
                    index = data.index[0] if isinstance(data.index, (list, tuple)) else data.index
                    rec = next((t for t in turns_ or [] if t.get("msg_index") == index), None)
                    if rec is None or not rec.get("ok"):
                        return gr.skip()
                    liked = feedback_value(data.liked)
                    entry = {"liked": liked, "question": rec.get("question", ""), "answer": rec.get("answer", ""),
                             "abstained": rec.get("abstained"), "mode": rec.get("mode"),
                             "citations": rec.get("citations", [])}
                    try:
                        append_feedback(settings.feedback_file, entry)
                    except OSError as exc:
                        return f'<div class="chat-note chat-note-bad" role="status">{render.esc(L("feedback_failed", error=exc.strerror or str(exc)))}</div>'
                    key = {True: "feedback_liked", False: "feedback_disliked", None: "feedback_withdrawn"}[liked]
                    return f'<div class="chat-note" role="status">{render.esc(L(key))}</div>'

                on_like.__annotations__["data"] = gr.LikeData  # resolved here: gradio is imported lazily
                chatbot.like(on_like, [turns], [chat_status], queue=False)

            # ---- 核对引文 ---------------------------------------------------------------------
            claims = feature("claims")
            if claims is not None and hasattr(claims, "check_claim"):
                with gr.Tab(L("tab_check"), id="check") as tab:
                    refs.setdefault("_tabs", []).append(tab)
                    gr.Markdown(L("check_intro"))
                    claim_in = gr.Textbox(label=L("check_input"), placeholder=L("check_placeholder"), lines=2,
                                          elem_id="claim")
                    check_scope = gr.Dropdown(choices=[], value=[], multiselect=True, label=L("scope"),
                                              visible=False, elem_id="check-scope")
                    refs["check_scope"] = check_scope
                    check_btn = gr.Button(L("check_button"), variant="primary", elem_id="check")
                    verdict_out = gr.HTML(elem_id="verdict")
                    gr.Examples(examples=[[c] for c in _example_claims()], inputs=[claim_in],
                                label=L("check_examples"))

                    def check(text, doc_ids):
                        if not text or not text.strip():
                            return render.message_html(L("check_empty"))
                        if len(text) > settings.max_question_chars:
                            from .answer import validate_question

                            try:
                                validate_question(text, settings.max_question_chars)
                            except QuestionError as exc:
                                return render.message_html(L("question_error", error=str(exc)))
                        try:
                            result = claims.check_claim(assistant, text.strip(), doc_ids=list(doc_ids or []) or None)
                        except ValueError as exc:  # QuestionError and the module's own input errors
                            return render.message_html(L("question_error", error=str(exc)))
                        return render.verdict_html(result, document, lang)

                    claim_in.submit(check, [claim_in, check_scope], [verdict_out], concurrency_id="answer")
                    check_btn.click(check, [claim_in, check_scope], [verdict_out], concurrency_id="answer")

            # ---- 学习笔记 ---------------------------------------------------------------------
            notes, export = feature("notes"), feature("export")
            if notes is not None and export is not None and hasattr(notes, "build_notes"):
                _notes_tab(gr, assistant, notes, export, L, refs)

            # ---- 对照学习 (assistant/ui_compare.py) -------------------------------------------
            if feature("compare") is not None:
                from .ui_compare import build_compare_tab

                build_compare_tab(gr, assistant, lang)

            # ---- 文档 ------------------------------------------------------------------------
            with gr.Tab(L("tab_docs"), id="docs") as tab:
                refs.setdefault("_tabs", []).append(tab)
                gr.Markdown(L("docs_intro"))
                docs_html = gr.HTML("", elem_id="docs-table")
                refs["docs_html"] = docs_html
                library = feature("library")
                if library is not None and hasattr(library, "add_files"):
                    _library_controls(gr, assistant, library, L, refs, lang)

        # every document list reflects the index: on page load and after each add / remove / restore
        live = _live_lists(gr, assistant, refs, L, lang)
        refs["_live"] = live
        if "_wire" in refs:
            refs["_wire"](live)
        demo.load(live.fn, live.inputs, live.outputs, queue=False)
        for tab in refs.get("_tabs", []):  # another session may have added or removed documents meanwhile
            tab.select(live.fn, live.inputs, live.outputs, queue=False)
        if "upload" in refs:
            from .ingest import SUPPORTED_SUFFIXES

            demo.load(None, None, None, js=f"() => ({UPLOAD_GUARD_JS})({json.dumps(sorted(SUPPORTED_SUFFIXES))}, "
                                           f"{settings.max_upload_mb}, {json.dumps(L('docs_bad_type_js', types=' '.join(sorted(SUPPORTED_SUFFIXES))))}, "
                                           f"{json.dumps(L('docs_too_big_js', mb=settings.max_upload_mb))}, {json.dumps(L('docs_empty_js'))})")
    return demo


class _Live:
    def __init__(self, fn, inputs, outputs):
        self.fn, self.inputs, self.outputs = fn, inputs, outputs


def _live_lists(gr, assistant, refs, L, lang) -> _Live:
    """One refresh of every document list of the page (see :func:`build_app`)."""
    keys = [k for k in ("docs_html", "scope", "check_scope", "notes_doc", "notes_section", "pick", "trash") if k in refs]

    def fn(*current):
        sync_index(assistant)
        now = dict(zip(keys, current))
        choices = document_choices(assistant)
        ids = {v for _l, v in choices}
        keep = lambda k: [v for v in (now.get(k) or []) if v in ids]  # noqa: E731 - a choice still valid stays
        default = now.get("notes_doc") if now.get("notes_doc") in ids else _default_doc(assistant, ids)
        trash = trash_choices(assistant.settings)
        values = {
            "docs_html": render.documents_html(*document_rows(assistant), lang=lang),
            "scope": gr.update(choices=choices, value=keep("scope"), visible=len(choices) > 1),
            "check_scope": gr.update(choices=choices, value=keep("check_scope"), visible=len(choices) > 1),
            "notes_doc": gr.update(choices=choices, value=default),
            "pick": gr.update(choices=choices, value=now.get("pick") if now.get("pick") in ids else None),
            "trash": gr.update(choices=trash, value=now.get("trash") if now.get("trash") in {v for _l, v in trash}
                               else None),
        }
        if "notes_section" in keys:
            sections = [(L("notes_all"), "")] + (section_choices(assistant, default) if default else [])
            values["notes_section"] = gr.update(choices=sections, value=now.get("notes_section")
                                                if now.get("notes_section") in {v for _l, v in sections} else "")
        return tuple(values[k] for k in keys)

    return _Live(fn, [refs[k] for k in keys], [refs[k] for k in keys])


def _default_doc(assistant, ids) -> str | None:
    for doc_id, info in assistant.index.documents().items():
        if (info.get("metadata") or {}).get("kind") == "speech":
            return doc_id
    return next(iter(ids), None)


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


def _notes_tab(gr, assistant, notes, export, L, refs) -> None:
    """The 学习笔记 tab: pick a document and section; the preview and both downloads follow the choice."""

    def sections_for(doc_id):
        return [(L("notes_all"), "")] + (section_choices(assistant, doc_id) if doc_id else [])

    with gr.Tab(L("tab_notes"), id="notes") as tab:
        refs.setdefault("_tabs", []).append(tab)
        gr.Markdown(L("notes_intro"))
        with gr.Row():
            doc_dd = gr.Dropdown(choices=[], value=None, label=L("notes_doc"), elem_id="notes-doc")
            sec_dd = gr.Dropdown(choices=[(L("notes_all"), "")], value="", label=L("notes_section"),
                                 elem_id="notes-section")
        refs["notes_doc"] = doc_dd
        refs["notes_section"] = sec_dd
        make = gr.Button(L("notes_button"), variant="primary", elem_id="make-notes")
        with gr.Row():
            md_file = gr.DownloadButton(L("notes_md"), visible=False, elem_id="notes-md")
            docx_file = gr.DownloadButton(L("notes_docx"), visible=False, elem_id="notes-docx")
        preview = gr.Markdown(label=L("notes_preview"), elem_id="notes-preview", sanitize_html=True)

        def on_doc(doc_id):
            return (gr.update(choices=sections_for(doc_id), value=""), "",
                    gr.update(visible=False), gr.update(visible=False))

        def make_notes(doc_id, section):
            hidden = gr.update(visible=False)
            try:  # no document chosen yet (the page is still loading): the speech, as the list will show
                result = notes.build_notes(assistant, doc_id=doc_id or None, section=section or None)
            except (ValueError, KeyError) as exc:
                return render.message_html(L("notes_failed", error=str(exc))), hidden, hidden
            md = export.to_markdown(result)
            out = Path(tempfile.mkdtemp(prefix="notes-"))
            stem = notes_file_stem(result.title, result.section)
            md_path = out / f"{stem}.md"
            md_path.write_text(md, encoding="utf-8")
            docx_path = export.to_docx(result, out / f"{stem}.docx")
            return (md, gr.update(value=str(md_path), visible=True, label=L("notes_md")),
                    gr.update(value=str(docx_path), visible=True, label=L("notes_docx")))

        doc_dd.change(on_doc, [doc_dd], [sec_dd, preview, md_file, docx_file])
        sec_dd.input(make_notes, [doc_dd, sec_dd], [preview, md_file, docx_file])
        make.click(make_notes, [doc_dd, sec_dd], [preview, md_file, docx_file])


def _library_controls(gr, assistant, library, L, refs, lang) -> None:
    """Upload / remove (with confirmation) / restore controls of the 文档 tab."""
    from .ingest import SUPPORTED_SUFFIXES

    settings = assistant.settings
    types = sorted(SUPPORTED_SUFFIXES)
    mb = settings.max_upload_mb

    gr.Markdown(f"#### {L('docs_add_head')}")
    upload = gr.UploadButton(L("docs_upload", types=" ".join(types), mb=mb), file_count="multiple",
                             elem_id="upload", variant="primary")
    refs["upload"] = upload
    gr.Markdown(f"#### {L('docs_remove_head')}")
    with gr.Row():
        pick = gr.Dropdown(choices=[], value=None, label=L("docs_remove_pick"), elem_id="docs-pick", scale=3)
        remove = gr.Button(L("docs_remove"), variant="stop", elem_id="docs-remove", scale=1)
    with gr.Group(visible=False, elem_id="docs-confirm") as confirm_box:
        confirm_text = gr.HTML("", elem_id="docs-confirm-text")
        with gr.Row():
            confirm = gr.Button(L("docs_confirm_remove"), variant="stop", elem_id="docs-confirm-remove")
            cancel = gr.Button(L("docs_cancel"), elem_id="docs-cancel")
    pending = gr.State("")
    gr.Markdown(f"#### {L('docs_trash_head')}")
    with gr.Row():
        trash = gr.Dropdown(choices=[], value=None, label=L("docs_trash_pick"), elem_id="docs-trash", scale=3)
        restore = gr.Button(L("docs_restore"), elem_id="docs-restore", scale=1)
    status = gr.HTML("", elem_id="docs-status")
    refs.update(pick=pick, trash=trash)

    def note(kind: str, head: str, lines: list[str]) -> str:
        items = "".join(f"<li>{render.esc(x)}</li>" for x in lines)
        return f'<div class="docs-note docs-{kind}"><div class="docs-note-head">{render.esc(head)}</div><ul>{items}</ul></div>'

    def report_note(report, done_key: str) -> str:
        results = list(getattr(report, "results", []) or [])
        bad = [r.message for r in results if r.status == "error"]
        good = [r.message for r in results if r.status != "error"]
        if getattr(report, "index_error", ""):
            return note("bad", L("docs_index_failed"), good + bad + [report.index_error])
        if bad and not good:
            return note("bad", L("docs_refused"), bad)
        if bad:
            return note("warn", L("docs_partly"), good + bad)
        return note("ok", L(done_key), good)

    def lists():
        assistant.reload()
        return refs["_live"].fn()  # nothing kept: the lists start afresh after a change

    def add_files(files):
        paths = [Path(f if isinstance(f, str) else f.name) for f in files or []]
        if not paths:
            return (*[gr.skip()] * len(refs["_live"].outputs), note("bad", L("docs_refused"), [L("docs_no_files")]))
        refused, ok = [], []
        for p in paths:
            shown = _original_upload_name(p)
            if p.suffix.lower() not in SUPPORTED_SUFFIXES:
                refused.append(L("docs_bad_type", name=shown, types=" ".join(types)))
            elif p.stat().st_size > mb * 1048576:
                refused.append(L("docs_too_big", name=shown, size=p.stat().st_size / 1048576, mb=mb))
            else:
                ok.append(p)
        if not ok:
            return (*[gr.skip()] * len(refs["_live"].outputs), note("bad", L("docs_refused"), refused))
        from gradio.utils import get_upload_folder

        try:  # uploads live in Gradio's upload folder: the only folder the UI may read from
            report = library.add_files(settings, ok, allowed_dirs=[get_upload_folder()])
        except (ValueError, OSError, RuntimeError) as exc:
            return (*[gr.skip()] * len(refs["_live"].outputs), note("bad", L("docs_refused"), [str(exc)] + refused))
        if refused:
            report.results += [type("R", (), {"status": "error", "message": m})() for m in refused]
        return (*lists(), report_note(report, "docs_added"))

    def ask_remove(doc_id):
        if not doc_id:
            return gr.update(visible=False), "", "", note("bad", L("docs_refused"), [L("docs_pick_first")])
        info = assistant.index.documents().get(doc_id, {})
        chunks = sum(1 for c in assistant.index.chunks if c.doc_id == doc_id)
        text = L("docs_confirm", title=info.get("title") or doc_id, chunks=chunks)
        return gr.update(visible=True), f'<div class="docs-confirm-q">{render.esc(text)}</div>', doc_id, ""

    def do_remove(doc_id):
        hide = gr.update(visible=False)
        if not doc_id:
            return (*[gr.skip()] * len(refs["_live"].outputs), hide, "", "")
        try:
            report = library.remove_document(settings, doc_id)
        except (ValueError, OSError, RuntimeError, KeyError) as exc:
            return (*[gr.skip()] * len(refs["_live"].outputs), hide, "", note("bad", L("docs_remove_failed"), [str(exc)]))
        for r in report.results:  # the page offers 恢复 itself: no command line hint
            r.message = r.message.split("；")[0] + L("docs_removed_hint")
        return (*lists(), hide, "", report_note(report, "docs_removed"))

    def do_restore(name):
        if not name:
            return (*[gr.skip()] * len(refs["_live"].outputs), note("bad", L("docs_refused"), [L("docs_pick_trash")]))
        try:
            report = library.restore_document(settings, name)
        except (ValueError, OSError, RuntimeError, KeyError) as exc:
            return (*[gr.skip()] * len(refs["_live"].outputs), note("bad", L("docs_restore_failed"), [str(exc)]))
        return (*lists(), report_note(report, "docs_restored"))

    refs["_pending"] = (pending, confirm_box, confirm_text, status)
    refs["_wire"] = lambda live: (
        upload.upload(add_files, [upload], [*live.outputs, status], concurrency_id="library", concurrency_limit=1),
        remove.click(ask_remove, [pick], [confirm_box, confirm_text, pending, status], queue=False),
        pick.change(lambda: (gr.update(visible=False), "", ""), None, [confirm_box, confirm_text, pending], queue=False),
        cancel.click(lambda: (gr.update(visible=False), "", ""), None, [confirm_box, confirm_text, pending], queue=False),
        confirm.click(do_remove, [pending], [*live.outputs, confirm_box, pending, status], concurrency_id="library",
                      concurrency_limit=1),
        restore.click(do_restore, [trash], [*live.outputs, status], concurrency_id="library", concurrency_limit=1),
    )


def _original_upload_name(p: Path) -> str:
    return p.name


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
