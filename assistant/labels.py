"""All interface text of the web page, in one place (Chinese by default).

Each entry of :data:`LABELS` maps a key to its text per language; :func:`text`
looks a key up (falling back to Chinese) and fills ``{placeholders}``.  Adding an
English toggle means passing ``lang="en"`` through — no string lives in ui.py or
render.py.
"""
from __future__ import annotations

DEFAULT_LANG = "zh"

LABELS: dict[str, dict[str, str]] = {
    # --- page -------------------------------------------------------------
    "app_title": {"zh": "讲话学习助手", "en": "Speech study assistant"},
    "app_intro": {
        "zh": "就讲话原文提问：每个回答都注明出处（文档、第几段、所在章节），并在原段落中标出引用的原话。",
        "en": "Ask about the speech: every answer cites its source (document, paragraph, section) "
              "and highlights the quoted words inside the paragraph.",
    },
    "tab_chat": {"zh": "问答", "en": "Ask"},
    "tab_check": {"zh": "核对引文", "en": "Check a quote"},
    "tab_notes": {"zh": "学习笔记", "en": "Study notes"},
    "tab_docs": {"zh": "文档", "en": "Documents"},
    # --- chat -------------------------------------------------------------
    "chat_label": {"zh": "对话", "en": "Conversation"},
    "chat_placeholder": {"zh": "请输入问题，例如：老旧小区改造涉及多少户？", "en": "Type a question, e.g. How many major projects are planned?"},
    "chat_empty": {"zh": "在下方输入问题，或点击示例问题。回答只来自讲话原文，并逐条注明出处。",
                   "en": "Type a question below or click an example. Answers come only from the sources, each cited."},
    "send": {"zh": "提问", "en": "Ask"},
    "clear": {"zh": "清空对话", "en": "Clear"},
    "copy": {"zh": "复制回答", "en": "Copy answer"},
    "copied": {"zh": "已复制", "en": "Copied"},
    "examples": {"zh": "示例问题", "en": "Example questions"},
    "scope": {"zh": "检索范围（不选即全部文档）", "en": "Search in (none selected = all documents)"},
    "thinking": {"zh": "正在检索原文…", "en": "Searching the sources…"},
    "feedback_saved": {"zh": "感谢反馈，已记录。", "en": "Thanks, feedback recorded."},
    "feedback_failed": {"zh": "反馈未能保存：{error}", "en": "Feedback could not be saved: {error}"},
    "error_generic": {"zh": "处理问题时出错：{error}。请换个问法再试。", "en": "Something went wrong: {error}. Please rephrase."},
    # --- answers / citations --------------------------------------------------
    "understood_as": {"zh": "结合上文理解为：{standalone}", "en": "Understood with the earlier question as: {standalone}"},
    "citations_head": {"zh": "出处", "en": "Sources"},
    "paragraph": {"zh": "第{n}段", "en": "para. {n}"},
    "show_paragraph": {"zh": "展开全段", "en": "Show the whole paragraph"},
    "goto_citation": {"zh": "查看出处 {n}", "en": "Go to source {n}"},
    "related_head": {"zh": "相关段落", "en": "Related passages"},
    "related_note": {"zh": "以下段落只是检索到的最接近内容，不是对问题的回答，也不是引文。",
                     "en": "The nearest passages found; they do not answer the question and are not citations."},
    "abstain_default": {"zh": "资料未提及：讲话原文中没有能回答这个问题的内容。",
                        "en": "The sources do not say this."},
    "unverified": {"zh": "以下数字未能在引文中核实，请勿直接引用：{numbers}",
                   "en": "These figures could not be verified in the cited text: {numbers}"},
    "flag": {"zh": "注意：{flag}", "en": "Note: {flag}"},
    "notice": {"zh": "提示：{notice}", "en": "Notice: {notice}"},
    "question_error": {"zh": "无法处理这个问题：{error}", "en": "Cannot process this question: {error}"},
    # --- quote check -----------------------------------------------------------
    "check_intro": {"zh": "粘贴一句引用讲话的话（含数字更好），核对它与原文是否一致。",
                    "en": "Paste a sentence quoting the speech; it is checked against the source."},
    "check_input": {"zh": "要核对的句子", "en": "Sentence to check"},
    "check_placeholder": {"zh": "例如：讲话说老旧小区改造涉及51397户", "en": "e.g. The speech says 252 major projects"},
    "check_button": {"zh": "核对", "en": "Check"},
    "verdict_supported": {"zh": "与原文一致", "en": "Supported"},
    "verdict_contradicted": {"zh": "与原文不符", "en": "Contradicted"},
    "verdict_not_found": {"zh": "原文未提及", "en": "Not found"},
    "claimed_value": {"zh": "您的说法", "en": "Your claim"},
    "source_value": {"zh": "原文", "en": "Source"},
    "check_empty": {"zh": "请输入要核对的句子。", "en": "Please enter a sentence to check."},
    # --- notes -----------------------------------------------------------------
    "notes_intro": {"zh": "生成讲话的学习笔记：提纲、重要数据、金句，每条注明段落（¶N）。",
                    "en": "Study notes: outline, key figures, memorable lines, each with its paragraph (¶N)."},
    "notes_doc": {"zh": "文档", "en": "Document"},
    "notes_section": {"zh": "只看某一部分（可选）", "en": "Only one section (optional)"},
    "notes_all": {"zh": "全文", "en": "Whole document"},
    "notes_button": {"zh": "生成笔记", "en": "Make notes"},
    "notes_md": {"zh": "下载 Markdown", "en": "Download Markdown"},
    "notes_docx": {"zh": "下载 Word", "en": "Download Word"},
    "notes_preview": {"zh": "预览", "en": "Preview"},
    # --- documents -------------------------------------------------------------
    "docs_intro": {"zh": "索引中的文档。问答、核对与笔记只依据这些文档。", "en": "Documents in the index."},
    "docs_built_at": {"zh": "索引建立时间：{when}", "en": "Index built: {when}"},
    "docs_col_title": {"zh": "标题", "en": "Title"},
    "docs_col_source": {"zh": "文件", "en": "File"},
    "docs_col_paragraphs": {"zh": "段落数", "en": "Paragraphs"},
    "docs_col_chunks": {"zh": "分块数", "en": "Chunks"},
    "docs_col_chars": {"zh": "字数", "en": "Characters"},
    "docs_col_id": {"zh": "文档编号", "en": "Id"},
    "docs_col_about": {"zh": "日期 · 发文机关", "en": "Date · issuer"},
    "docs_empty": {"zh": "索引中还没有文档。", "en": "No documents in the index."},
    "docs_upload": {"zh": "添加文档（{types}，每个不超过 {mb} MB）", "en": "Add documents ({types}, up to {mb} MB each)"},
    "docs_add": {"zh": "加入索引", "en": "Add to index"},
    "docs_remove": {"zh": "从索引中删除所选文档", "en": "Remove the selected document"},
    "docs_remove_pick": {"zh": "选择要删除的文档", "en": "Document to remove"},
    "docs_refresh": {"zh": "刷新", "en": "Refresh"},
    "docs_too_big": {"zh": "文件过大：{name}（{size:.1f} MB，上限 {mb} MB）", "en": "File too large: {name} ({size:.1f} MB, limit {mb} MB)"},
    "docs_bad_type": {"zh": "不支持的文件类型：{name}（支持 {types}）", "en": "Unsupported file type: {name} (supported: {types})"},
    "docs_no_files": {"zh": "请先选择文件。", "en": "Please choose files first."},
    "docs_done": {"zh": "完成：{summary}", "en": "Done: {summary}"},
    "docs_failed": {"zh": "失败：{error}", "en": "Failed: {error}"},
    # --- server ------------------------------------------------------------------
    "refuse_public": {
        "zh": "拒绝在非本机地址 {host} 上启动：这会让局域网内的任何人都能访问。"
              "如确需对外提供服务，请先设置登录凭据 ASSISTANT_AUTH=用户名:密码。",
        "en": "Refusing to bind {host} without credentials: set ASSISTANT_AUTH=user:password.",
    },
    "bad_auth": {"zh": "ASSISTANT_AUTH 格式不对：应为“用户名:密码”，两者都不能为空。",
                 "en": "ASSISTANT_AUTH must be 'user:password' with both parts non-empty."},
    "started": {"zh": "讲话学习助手已启动：{url}（按 Ctrl+C 停止）", "en": "Running at {url} (Ctrl+C to stop)"},
    "port_busy": {"zh": "错误：无法在 {host}:{port} 上启动（{error}）。端口可能已被占用，请用 --port 换一个端口。",
                  "en": "Error: cannot start on {host}:{port} ({error}). Try another --port."},
    "login_message": {"zh": "请登录讲话学习助手", "en": "Please log in"},
}

EXAMPLE_QUESTIONS: dict[str, list[str]] = {
    "zh": [
        "老旧小区改造涉及多少户？",
        "大气污染防治要抓哪些重点？",
        "重大项目总投资多少？",
        "营商环境方面提出了什么要求？",
        "第二部分包括哪几个方面？",
        "How many major projects are planned?",
    ],
    "en": [
        "How many major projects are planned?",
        "老旧小区改造涉及多少户？",
        "大气污染防治要抓哪些重点？",
    ],
}

EXAMPLE_CLAIMS: list[str] = [
    "讲话说老旧小区改造涉及51397户",
    "讲话提出抓好总投资1370亿元的252个重大项目",
    "讲话说老旧小区有46个",
]


def text(key: str, lang: str = DEFAULT_LANG, **values) -> str:
    """The label `key` in `lang` (Chinese when missing), with ``{placeholders}`` filled."""
    entry = LABELS[key]
    s = entry.get(lang) or entry[DEFAULT_LANG]
    return s.format(**values) if values else s


def examples(lang: str = DEFAULT_LANG) -> list[str]:
    """Example questions shown under the chat box."""
    return list(EXAMPLE_QUESTIONS.get(lang) or EXAMPLE_QUESTIONS[DEFAULT_LANG])
