"""HTML of answers, citation cards, verdicts and document lists (plain functions, no Gradio).

Every piece of document or user text goes through :func:`esc`, which escapes HTML
*and* the characters Markdown would interpret (the speech itself contains ``**``
redactions), so a document can never inject markup into the page.

A citation card shows the document title, ¶ paragraph number, the section path
(long part labels shortened with …, the full path on hover), the quoted span
highlighted with ``<mark>`` in a window of its paragraph, and the whole paragraph
in a ``<details>`` element.  Inline markers ``[n]`` of the answer link to the
cards through anchors unique per turn (``cite-<turn>-<n>``).
"""
from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterable

from .citations import Citation
from .labels import text as label
from .structure import SEP

CONTEXT_CHARS = 40  # characters of the paragraph shown on each side of a quote
MAX_LABEL = 22  # longer section labels are shortened
RELATED_CHARS = 120  # excerpt length of a "相关段落" entry
MAX_RELATED = 3

_MD_ENTITIES = {"*": "&#42;", "_": "&#95;", "`": "&#96;", "$": "&#36;", "[": "&#91;", "]": "&#93;",
                "~": "&#126;", "\\": "&#92;", "#": "&#35;", "|": "&#124;"}
_MD_RE = re.compile("[" + re.escape("".join(_MD_ENTITIES)) + "]")
_PART_RE = re.compile(r"^\s*([一二三四五六七八九十]+、|[（(][一二三四五六七八九十]+[）)])")
_MARKER_RE = re.compile(r"\[(\d{1,2})\]")

DocumentLookup = Callable[[str], object]  # doc id -> assistant.documents.Document


def esc(s: object) -> str:
    """Escape text for HTML and neutralise Markdown syntax characters."""
    return _MD_RE.sub(lambda m: _MD_ENTITIES[m.group()], html.escape(str(s), quote=True))


def _lines(s: str) -> str:
    return "<br>".join(esc(line) for line in s.split("\n"))


def anchor(turn: int | str, n: int) -> str:
    """Element id of citation card `n` of answer `turn`."""
    return f"cite-{turn}-{n}"


def short_label(lbl: str, max_len: int = MAX_LABEL) -> str:
    """A section label shortened for display, cut at a clause boundary when there is one
    (``二、加压奋进、攻坚争先，在新时代…`` → ``二、加压奋进、攻坚争先…``): the ordinal alone says nothing."""
    lbl = lbl.strip()
    if len(lbl) <= max_len:
        return lbl
    head = lbl[: max_len - 1]
    cut = max(head.rfind(p) for p in "，,；;：:")
    if cut >= max_len // 2:
        head = head[:cut]
    return head.rstrip("、，,；;：: ") + "…"


def short_section(section: str, max_len: int = MAX_LABEL) -> str:
    """The section path with every long label shortened (joined by ›)."""
    return SEP.join(short_label(p, max_len) for p in section.split(SEP) if p.strip()) if section else ""


def _paragraph_of(c: Citation, document: DocumentLookup | None):
    """(paragraph text, offset of its start) for a citation, or None when unavailable."""
    if document is None:
        return None
    try:
        doc = document(c.doc)
        para = doc.paragraphs[c.paragraph - 1]
    except (KeyError, IndexError, OSError, ValueError):
        return None
    if not (para.start <= c.start and c.end <= para.end) or doc.text[c.start:c.end] != c.quote:
        return None  # the index changed under the answer: show the quote alone
    return doc.text[para.start:para.end], para.start


def highlight(paragraph: str, start: int, end: int) -> str:
    """Escaped `paragraph` with ``paragraph[start:end]`` wrapped in <mark>."""
    return f"{esc(paragraph[:start])}<mark>{esc(paragraph[start:end])}</mark>{esc(paragraph[end:])}"


def quote_window(paragraph: str, start: int, end: int, context: int = CONTEXT_CHARS) -> str:
    """The quote highlighted with up to `context` characters of its paragraph on each side."""
    a, b = max(0, start - context), min(len(paragraph), end + context)
    before = ("…" if a > 0 else "") + paragraph[a:start]
    after = paragraph[end:b] + ("…" if b < len(paragraph) else "")
    return f"{esc(before)}<mark>{esc(paragraph[start:end])}</mark>{esc(after)}"


def citation_card(c: Citation, n: int, document: DocumentLookup | None = None, turn: int | str = 0,
                  lang: str = "zh") -> str:
    """One numbered citation card (see module docstring)."""
    para = _paragraph_of(c, document)
    head = (
        f'<div class="cite-head"><span class="cite-num">[{n}]</span> '
        f'<span class="cite-title">《{esc(c.title)}》</span> '
        f'<span class="cite-para">¶ {esc(label("paragraph", lang, n=c.paragraph))}</span>'
        + (f' <span class="cite-sec" title="{esc(c.section)}">{esc(short_section(c.section))}</span>' if c.section else "")
        + "</div>"
    )
    if para is None:
        body = f'<div class="cite-quote"><mark>{esc(c.quote)}</mark></div>'
    else:
        ptext, pstart = para
        s, e = c.start - pstart, c.end - pstart
        body = f'<div class="cite-quote">{quote_window(ptext, s, e)}</div>'
        if s > 0 or e < len(ptext):
            para_no = esc(label("paragraph", lang, n=c.paragraph))
            body += (f'<details class="cite-full"><summary><span class="when-closed">{esc(label("show_paragraph", lang))}'
                     f'（{para_no}）</span><span class="when-open">{esc(label("show_paragraph_close", lang))}'
                     f'（{para_no}）</span></summary>'
                     f'<div class="cite-para-text">{highlight(ptext, s, e)}</div></details>')
    return f'<div class="cite-card" id="{anchor(turn, n)}">{head}{body}</div>'


def link_markers(answer_text: str, n_citations: int, turn: int | str = 0, lang: str = "zh") -> str:
    """Escaped answer text whose markers [1]…[n] link to the citation cards."""
    out, pos = [], 0
    for m in _MARKER_RE.finditer(answer_text):
        n = int(m.group(1))
        if not 1 <= n <= n_citations:
            continue
        out.append(_lines(answer_text[pos:m.start()]))
        out.append(f'<a class="cite-ref" href="#{anchor(turn, n)}" '
                   f'title="{esc(label("goto_citation", lang, n=n))}">[{n}]</a>')
        pos = m.end()
    out.append(_lines(answer_text[pos:]))
    return "".join(out)


def warnings_html(answer, lang: str = "zh") -> str:
    """Unverified numbers, flags and notices of an answer as warning lines."""
    items = []
    if getattr(answer, "unverified_numbers", None):
        items.append(label("unverified", lang, numbers="、".join(answer.unverified_numbers)))
    items += [label("flag", lang, flag=f) for f in getattr(answer, "flags", None) or []]
    if getattr(answer, "notice", ""):
        items.append(label("notice", lang, notice=answer.notice))
    return "".join(f'<div class="ans-warn">⚠ {esc(i)}</div>' for i in items)


def related_html(passages: Iterable[Citation], lang: str = "zh", limit: int = MAX_RELATED) -> str:
    """Nearest passages of an abstention, explicitly *not* citations."""
    rows = []
    for c in list(passages)[:limit]:
        excerpt = c.quote if len(c.quote) <= RELATED_CHARS else c.quote[:RELATED_CHARS] + "…"
        rows.append(
            f'<li class="related-item"><span class="cite-title">《{esc(c.title)}》</span> '
            f'<span class="cite-para">¶ {esc(label("paragraph", lang, n=c.paragraph))}</span>'
            + (f' <span class="cite-sec" title="{esc(c.section)}">{esc(short_section(c.section))}</span>' if c.section else "")
            + f'<div class="related-text">{esc(excerpt)}</div></li>'
        )
    if not rows:
        return ""
    return (f'<div class="related"><div class="related-head">{esc(label("related_head", lang))}</div>'
            f'<div class="related-note">{esc(label("related_note", lang))}</div><ul>{"".join(rows)}</ul></div>')


def answer_html(answer, document: DocumentLookup | None = None, turn: int | str = 0, lang: str = "zh") -> str:
    """The full HTML of an Answer: text with linked markers, warnings, cards or related passages."""
    if answer.abstained:
        msg = answer.answer or label("abstain_default", lang)
        return (f'<div class="ans ans-abstain"><div class="abstain-msg">{_lines(msg)}</div>'
                f"{warnings_html(answer, lang)}{related_html(answer.retrieved, lang)}</div>")
    cards = "".join(citation_card(c, i, document, turn, lang) for i, c in enumerate(answer.citations, 1))
    context = ""
    standalone = getattr(answer, "standalone", "")
    if standalone and standalone != answer.question and leans_on_context(answer.question):
        context = f'<div class="ans-context">{esc(label("understood_as", lang, standalone=standalone))}</div>'

    cites = (f'<div class="cites"><div class="cites-head">{esc(label("citations_head", lang))}</div>{cards}</div>'
             if cards else "")
    return (f'<div class="ans">{context}<div class="ans-text">{link_markers(answer.answer, len(answer.citations), turn, lang)}</div>'
            f"{warnings_html(answer, lang)}{cites}</div>")


_ANAPHOR = re.compile(r"^(?:那|那么|其中|这些|这个|这|那些|它|它们|他们|该|上述|此外|还有|另外|同时|再|又|其|第[一二三四五六七八九十\d]+(?:要|是|个|点|条|项|部分|方面))"
                      r"|(?:这些|其中|它们|上述|前者|后者|那个|这个|呢[？?]?$)"
                      r"|^(?:and|what about|how about|it|they|those|these|that)\b", re.IGNORECASE)


def leans_on_context(question: str) -> bool:
    """Does the question itself point back (那其中…, 第三要…, 有多少个呢) or is it too short to stand alone?
    Only then is "结合上文理解为" shown: a new topic is not "understood with the earlier question"."""
    q = (question or "").strip()
    core = re.sub(r"[\s？?！!。，,]", "", q)
    return bool(_ANAPHOR.search(q)) or len(core) <= 5


def streaming_html(partial: str) -> str:
    """What the chat shows while an answer is still arriving."""
    return f'<div class="ans ans-streaming"><div class="ans-text">{_lines(partial)}</div></div>'


def message_html(message: str, kind: str = "error") -> str:
    """A one-line message in the chat (errors, over-long questions)."""
    return f'<div class="ans ans-{esc(kind)}"><div class="ans-warn">⚠ {_lines(message)}</div></div>'


def plain_answer(answer, lang: str = "zh") -> str:
    """Plain text of an answer for copying: the text, then the numbered sources."""
    lines = [answer.answer]
    if answer.citations:
        lines.append("")
        lines.append(label("citations_head", lang) + "：")
        for i, c in enumerate(answer.citations, 1):
            lines.append(f"[{i}] 《{c.title}》{label('paragraph', lang, n=c.paragraph)}"
                         + (f"｜{c.section}" if c.section else "") + f"：“{c.quote}”")
    if answer.unverified_numbers:
        lines.append(label("unverified", lang, numbers="、".join(answer.unverified_numbers)))
    return "\n".join(lines)


# --- quote check ---------------------------------------------------------------
VERDICT_CLASSES = {"supported": "ok", "contradicted": "bad", "not_found": "none"}
VERDICT_ICONS = {"supported": "✔", "contradicted": "✘", "not_found": "？"}


def verdict_badge(verdict: str, lang: str = "zh") -> str:
    """A coloured badge for a claim verdict (supported / contradicted / not_found)."""
    key = verdict if verdict in VERDICT_CLASSES else "not_found"
    return (f'<span class="badge badge-{VERDICT_CLASSES[key]}" data-verdict="{esc(key)}">'
            f'{VERDICT_ICONS[key]} {esc(label("verdict_" + key, lang))}</span>')


def _value(v) -> str:
    if v is None or v == "":
        return "—"
    if isinstance(v, (list, tuple)):
        return "、".join(str(x) for x in v) or "—"
    return str(v)


def verdict_html(result, document: DocumentLookup | None = None, lang: str = "zh") -> str:
    """The quote-check result: badge, claimed vs source values side by side, explanation, cards."""
    parts = [f'<div class="verdict">{verdict_badge(result.verdict, lang)}'
             f'<div class="verdict-claim">{esc(result.claim)}</div>']
    if _value(result.claimed_value) != "—" or _value(result.source_value) != "—":
        parts.append(
            '<table class="verdict-values"><tr>'
            f'<th>{esc(label("claimed_value", lang))}</th><th>{esc(label("source_value", lang))}</th></tr>'
            f'<tr><td class="v-claimed">{esc(_value(result.claimed_value))}</td>'
            f'<td class="v-source">{esc(_value(result.source_value))}</td></tr></table>'
        )
    if result.explanation:
        parts.append(f'<div class="verdict-expl">{_lines(result.explanation)}</div>')
    cards = "".join(citation_card(c, i, document, "check", lang) for i, c in enumerate(result.citations or [], 1))
    if cards:
        parts.append(f'<div class="cites"><div class="cites-head">{esc(label("citations_head", lang))}</div>{cards}</div>')
    parts.append("</div>")
    return "".join(parts)


# --- documents -------------------------------------------------------------------
def documents_html(rows: list[dict], built_at: str = "", lang: str = "zh") -> str:
    """Table of indexed documents; rows have title, source, about, paragraphs, chunks, chars, id."""
    head = f'<div class="docs-built">{esc(label("docs_built_at", lang, when=built_at))}</div>' if built_at else ""
    if not rows:
        return head + f'<div class="docs-empty">{esc(label("docs_empty", lang))}</div>'
    cols = ["title", "source", "about", "paragraphs", "chunks", "chars", "id"]
    th = "".join(f"<th>{esc(label('docs_col_' + c, lang))}</th>" for c in cols)
    heads = {c: esc(label("docs_col_" + c, lang)) for c in cols}
    trs = "".join("<tr>" + "".join(f'<td class="d-{c}" data-label="{heads[c]}">'
                                   f'{esc(r.get(c, "") if r.get(c) is not None else "")}</td>'
                                   for c in cols) + "</tr>" for r in rows)
    return f'{head}<table class="docs-table"><thead><tr>{th}</tr></thead><tbody>{trs}</tbody></table>'


CSS = """
.ans { line-height: 1.7; }
.ans-text { margin-bottom: .4em; }
a.cite-ref { text-decoration: none; font-weight: 600; color: var(--color-accent, #2563eb); padding: 0 1px; }
.cites-head, .related-head { font-weight: 600; margin: .6em 0 .3em; }
.cite-card { border: 1px solid var(--border-color-primary, #ddd); border-left: 4px solid var(--color-accent, #2563eb);
  border-radius: 6px; padding: .45em .7em; margin: .4em 0; background: var(--background-fill-secondary, #fafafa); }
.cite-card:target { outline: 2px solid var(--color-accent, #2563eb); }
.cite-head { font-size: .92em; color: var(--body-text-color-subdued, #555); }
.cite-num { font-weight: 700; color: var(--color-accent, #2563eb); }
.cite-para { font-weight: 600; }
.cite-sec { margin-left: .3em; }
.cite-quote { margin-top: .25em; }
.cite-full summary { cursor: pointer; font-size: .88em; color: var(--body-text-color-subdued, #555); }
.cite-para-text { margin-top: .3em; font-size: .95em; }
mark { background: #fde68a; color: #111; padding: 0 1px; border-radius: 2px; }
.ans-warn { color: #92400e; background: #fef3c7; border-radius: 4px; padding: .2em .5em; margin: .3em 0; }
.ans-context { font-size: .88em; color: var(--body-text-color-subdued, #666); }
.abstain-msg { font-weight: 600; }
.related { border-top: 1px dashed var(--border-color-primary, #ccc); margin-top: .5em; padding-top: .3em; }
.related-note { font-size: .85em; color: var(--body-text-color-subdued, #666); }
.related ul { padding-left: 1.2em; margin: .3em 0; }
.related-text { font-size: .92em; color: var(--body-text-color-subdued, #555); }
.badge { display: inline-block; padding: .15em .7em; border-radius: 999px; font-weight: 700; color: #fff; }
.badge-ok { background: #15803d; } .badge-bad { background: #b91c1c; } .badge-none { background: #6b7280; }
.verdict-claim { margin: .5em 0; }
.verdict-values { border-collapse: collapse; margin: .4em 0; }
.verdict-values th, .verdict-values td { border: 1px solid var(--border-color-primary, #ddd); padding: .3em .8em; }
.docs-table { border-collapse: collapse; width: 100%; }
.docs-table th, .docs-table td { border: 1px solid var(--border-color-primary, #ddd); padding: .3em .6em; text-align: left; }
.docs-built { margin: .3em 0 .6em; color: var(--body-text-color-subdued, #555); }
.cite-full .when-open { display: none; } .cite-full[open] .when-open { display: inline; }
.cite-full[open] .when-closed { display: none; }
.chat-note { color: #166534; background: #dcfce7; border-radius: 4px; padding: .3em .6em; margin: .2em 0; }
.chat-note-bad, .docs-bad .docs-note-head { color: #991b1b; }
.docs-note { border-radius: 6px; padding: .4em .8em; margin: .4em 0; background: var(--background-fill-secondary, #f6f6f6); }
.docs-note ul { margin: .2em 0; padding-left: 1.2em; } .docs-note-head { font-weight: 700; }
.docs-ok { background: #dcfce7; } .docs-bad { background: #fee2e2; } .docs-warn { background: #fef3c7; }
.docs-refused { color: #991b1b; background: #fee2e2; border-radius: 6px; padding: .4em .8em; white-space: pre-line; }
.docs-confirm-q { font-weight: 600; color: #991b1b; padding: .4em .6em; }
/* notes preview: the same readable size at every level of the outline */
#notes-preview, #notes-preview li, #notes-preview ul, #notes-preview ol, #notes-preview p, #notes-preview td,
#notes-preview th { font-size: 15px !important; line-height: 1.7; }
#notes-preview ul ul, #notes-preview ul ol, #notes-preview ol ul { font-size: 15px !important; }
#notes-preview h1 { font-size: 22px !important; } #notes-preview h2 { font-size: 19px !important; }
#notes-preview table { display: block; overflow-x: auto; max-width: 100%; border-collapse: collapse; }
#notes-preview th, #notes-preview td { min-width: 4.5em; vertical-align: top; }
#notes-preview td:nth-child(5) { min-width: 14em; }
/* no 👍/👎 under error messages or an answer still arriving */
#chat .bot:has(.ans-error) .message-buttons, #chat .bot:has(.ans-streaming) .message-buttons { display: none !important; }
#chat { scroll-margin-top: 8px; } #chat .ans { scroll-margin-top: 8px; }
@media (max-width: 640px) {
  #chat { height: 70vh !important; }
  .docs-table thead { display: none; }
  .docs-table, .docs-table tbody, .docs-table tr, .docs-table td { display: block; width: 100%; box-sizing: border-box; }
  .docs-table tr { border: 1px solid var(--border-color-primary, #ddd); border-radius: 6px; margin: .5em 0; }
  .docs-table td { border: none; padding: .15em .6em; word-break: break-all; }
  .docs-table td::before { content: attr(data-label) "："; font-weight: 600; color: var(--body-text-color-subdued, #555); }
}
"""
