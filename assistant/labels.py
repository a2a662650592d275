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
    "chat_empty": {"zh": "在下方输入问题，或点击示例问题。回答只来自已收录文档的原文，并逐条注明出处。",
                   "en": "Type a question below or click an example. Answers come only from the indexed documents, each cited."},
    "send": {"zh": "提问", "en": "Ask"},
    "clear": {"zh": "清空对话", "en": "Clear"},
    "copy": {"zh": "复制回答", "en": "Copy answer"},
    "copied": {"zh": "✓ 已复制回答及出处，可直接粘贴。", "en": "✓ Answer and sources copied."},
    "copy_nothing": {"zh": "还没有可复制的回答：请先提问。", "en": "Nothing to copy yet: ask a question first."},
    "examples": {"zh": "示例问题", "en": "Example questions"},
    "scope": {"zh": "检索范围（不选即全部文档）", "en": "Search in (none selected = all documents)"},
    "thinking": {"zh": "正在检索原文…", "en": "Searching the sources…"},
    "feedback_liked": {"zh": "✓ 感谢反馈：已记录“有帮助”。", "en": "✓ Thanks: recorded as helpful."},
    "feedback_disliked": {"zh": "✓ 感谢反馈：已记录“没有帮助”。", "en": "✓ Thanks: recorded as not helpful."},
    "feedback_withdrawn": {"zh": "✓ 已撤回对这条回答的评价。", "en": "✓ Your rating was withdrawn."},
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
    "check_examples": {"zh": "示例说法", "en": "Example claims"},
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
    "notes_pick_doc": {"zh": "请先选择文档。", "en": "Please choose a document first."},
    "notes_failed": {"zh": "无法生成笔记：{error}", "en": "Cannot make the notes: {error}"},
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
    "docs_upload": {"zh": "选择文件加入索引（{types}，每个不超过 {mb} MB）", "en": "Choose files to add ({types}, up to {mb} MB each)"},
    "docs_add_head": {"zh": "添加文档", "en": "Add documents"},
    "docs_remove_head": {"zh": "删除文档", "en": "Remove a document"},
    "docs_trash_head": {"zh": "已删除的文档（可恢复）", "en": "Removed documents (can be restored)"},
    "docs_remove": {"zh": "删除所选文档…", "en": "Remove the selected document…"},
    "docs_remove_pick": {"zh": "选择要删除的文档", "en": "Document to remove"},
    "docs_confirm": {"zh": "确定删除《{title}》吗？它在索引中有 {chunks} 个分块；删除后问答、核对和笔记都不再使用它。可以在“已删除的文档”中恢复。",
                     "en": "Remove “{title}” ({chunks} chunks)? Answers will no longer use it. It can be restored below."},
    "docs_confirm_remove": {"zh": "确认删除", "en": "Remove"},
    "docs_cancel": {"zh": "取消", "en": "Cancel"},
    "docs_trash_pick": {"zh": "选择要恢复的文档", "en": "Document to restore"},
    "docs_restore": {"zh": "恢复", "en": "Restore"},
    "docs_too_big": {"zh": "文件过大：{name}（{size:.1f} MB，上限 {mb} MB）。请拆分或压缩后再上传。",
                     "en": "File too large: {name} ({size:.1f} MB, limit {mb} MB). Split or compress it and try again."},
    "docs_bad_type": {"zh": "不支持的文件类型：{name}。请另存为 {types} 之一后再上传。",
                      "en": "Unsupported file type: {name}. Save it as one of {types} and try again."},
    "docs_too_big_js": {"zh": "未上传：文件过大：{{name}}（{{size}} MB，上限 {mb} MB）。请拆分或压缩后再上传。",
                        "en": "Not uploaded: file too large: {{name}} ({{size}} MB, limit {mb} MB)."},
    "docs_bad_type_js": {"zh": "未上传：不支持的文件类型：{{name}}。请另存为 {types} 之一后再上传。",
                         "en": "Not uploaded: unsupported file type: {{name}}. Use one of {types}."},
    "docs_empty_js": {"zh": "未上传：文件为空：{name}。请选择有内容的文件。", "en": "Not uploaded: the file is empty: {name}."},
    "docs_no_files": {"zh": "没有收到文件：请点击上面的按钮选择文件。", "en": "No file received: choose files with the button above."},
    "docs_pick_first": {"zh": "请先在列表中选择要删除的文档。", "en": "Choose the document to remove first."},
    "docs_pick_trash": {"zh": "请先在列表中选择要恢复的文档。", "en": "Choose the document to restore first."},
    "docs_added": {"zh": "已加入索引：", "en": "Added to the index:"},
    "docs_removed": {"zh": "已删除：", "en": "Removed:"},
    "docs_removed_hint": {"zh": "；需要时可在“已删除的文档”中恢复", "en": "; it can be restored under “Removed documents”"},
    "docs_restored": {"zh": "已恢复：", "en": "Restored:"},
    "docs_refused": {"zh": "未能加入：", "en": "Not added:"},
    "docs_partly": {"zh": "部分文件未能加入：", "en": "Some files were not added:"},
    "docs_index_failed": {"zh": "索引未能更新：", "en": "The index could not be updated:"},
    "docs_remove_failed": {"zh": "未能删除：", "en": "Not removed:"},
    "docs_restore_failed": {"zh": "未能恢复：", "en": "Not restored:"},
    "show_paragraph_close": {"zh": "收起全段", "en": "Hide the paragraph"},
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
