"""The 对照学习 tab of the web page (kept apart from ui.py; ui.py calls :func:`build_compare_tab`).

Pick document A (whose outline is studied), document B (the document it is lined up
against) and optionally one part/area of A; the comparison is shown as Markdown with
every passage cited, and can be downloaded as Markdown or Word (``compare.to_markdown``
/ ``compare.add_to_docx``), or as study notes with a 对照学习 section.
"""
from __future__ import annotations

import tempfile
from pathlib import Path

TEXT = {
    "tab": {"zh": "对照学习", "en": "Compare"},
    "intro": {"zh": "把文档 A 的提纲逐条对照文档 B（如讲话对照二十大报告）：每个提纲节点列出 B 中论述同一主题的 1–3 处原文，"
                    "注明段落；没有对应内容的节点标为“未找到对应表述”。两篇都给出同一指标的数字时并列对照。",
              "en": "Line the outline of document A up against document B: for every node, the 1–3 passages of B "
                    "on the same subject, cited; nodes without a counterpart are marked as such."},
    "doc_a": {"zh": "文档 A（学习的文档）", "en": "Document A (studied)"},
    "doc_b": {"zh": "文档 B（对照的文档）", "en": "Document B (compared with)"},
    "section": {"zh": "A 的范围", "en": "Part of A"},
    "all": {"zh": "全文", "en": "Whole document"},
    "button": {"zh": "开始对照", "en": "Compare"},
    "md": {"zh": "下载 Markdown", "en": "Download Markdown"},
    "docx": {"zh": "下载 Word", "en": "Download Word"},
    "notes": {"zh": "下载含对照学习的学习笔记（Word）", "en": "Study notes with this comparison (Word)"},
    "failed": {"zh": "无法对照：{error}", "en": "Cannot compare: {error}"},
}


def _t(key: str, lang: str, **kw) -> str:
    entry = TEXT[key]
    return entry.get(lang, entry["zh"]).format(**kw)


def run_comparison(assistant, doc_a: str, doc_b: str, section: str | None, folder: Path | None = None):
    """Compare, and write the Markdown, the Word file and the study notes with the section.
    Returns (markdown, md path, docx path, notes docx path)."""
    import docx

    from . import export
    from .compare import add_to_docx, compare_documents, to_markdown
    from .notes import build_notes

    result = compare_documents(assistant, doc_a, doc_b, section=section or None)
    md = to_markdown(result, heading_level=2)
    out = folder or Path(tempfile.mkdtemp(prefix="compare-"))
    md_path = out / "对照学习.md"
    md_path.write_text(md, encoding="utf-8")
    document = docx.Document()
    add_to_docx(document, result, heading_level=1)
    docx_path = out / "对照学习.docx"
    document.save(str(docx_path))
    notes = build_notes(assistant, doc_id=result.doc_a, section=section or None)
    notes_path = export.to_docx(notes, out / "学习笔记（含对照学习）.docx", comparison=result)
    return md, md_path, docx_path, notes_path


def build_compare_tab(gr, assistant, lang: str = "zh") -> None:
    """Add the 对照学习 tab to the open ``gr.Tabs`` block."""
    from .ui import section_choices

    infos = assistant.index.documents()
    docs = [(info.get("title") or i, i) for i, info in infos.items()]
    if len(docs) < 2:
        return  # nothing to compare with
    first = next((i for i, info in infos.items() if (info.get("metadata") or {}).get("kind") == "speech"), docs[0][1])
    other = next(i for _t_, i in docs if i != first)

    def sections_for(doc_id):
        return [(_t("all", lang), "")] + section_choices(assistant, doc_id)

    with gr.Tab(_t("tab", lang), id="compare"):
        gr.Markdown(_t("intro", lang))
        with gr.Row():
            a_dd = gr.Dropdown(choices=docs, value=first, label=_t("doc_a", lang), elem_id="compare-a")
            b_dd = gr.Dropdown(choices=docs, value=other, label=_t("doc_b", lang), elem_id="compare-b")
            sec_dd = gr.Dropdown(choices=sections_for(first), value="", label=_t("section", lang),
                                 elem_id="compare-section")
        go = gr.Button(_t("button", lang), variant="primary", elem_id="compare-run")
        with gr.Row():
            md_file = gr.DownloadButton(_t("md", lang), visible=False, elem_id="compare-md")
            docx_file = gr.DownloadButton(_t("docx", lang), visible=False, elem_id="compare-docx")
            notes_file = gr.DownloadButton(_t("notes", lang), visible=False, elem_id="compare-notes")
        preview = gr.Markdown(elem_id="compare-preview", sanitize_html=True)

        def on_a(doc_id):
            return gr.update(choices=sections_for(doc_id), value="")

        def compare(doc_a, doc_b, section):
            hidden = gr.update(visible=False)
            try:
                md, md_path, docx_path, notes_path = run_comparison(assistant, doc_a, doc_b, section)
            except (ValueError, KeyError) as exc:
                return _t("failed", lang, error=str(exc)), hidden, hidden, hidden
            return (md, gr.update(value=str(md_path), visible=True), gr.update(value=str(docx_path), visible=True),
                    gr.update(value=str(notes_path), visible=True))

        a_dd.change(on_a, [a_dd], [sec_dd])
        go.click(compare, [a_dd, b_dd, sec_dd], [preview, md_file, docx_file, notes_file])
