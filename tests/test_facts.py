"""A document's own elements (发文字号, 成文日期, 发文机关) found in its lines, and the questions that ask for them."""
from __future__ import annotations

import pytest

from assistant.documents import Document
from assistant.facts import document_facts, fact_asked

from .conftest import ROOT

NOTICE = ("某某市人民政府办公室关于加强城市停车设施建设的通知\n某政办发〔2025〕17号\n各区人民政府，市政府各部门：\n"
          "一、总体要求。到2027年，新增公共停车泊位3万个。\n二、保障措施。各区要在每年3月31日前报送进展。\n"
          "某某市人民政府办公室\n2025年6月18日\n（此件公开发布）\n")


def _doc(text: str, doc_id: str = "n") -> Document:
    return Document(id=doc_id, title=text.splitlines()[0], text=text, source=f"{doc_id}.txt")


def _said(doc: Document) -> dict[str, str]:
    return {k: doc.text[f.start:f.end] for k, f in document_facts(doc).items()}


def test_the_elements_are_read_from_the_documents_own_lines():
    assert _said(_doc(NOTICE)) == {"number": "某政办发〔2025〕17号", "date": "2025年6月18日", "issuer": "某某市人民政府办公室"}
    opinion = (ROOT / "bench" / "data" / "docs" / "gov-new-media-opinion-2018.txt").read_text(encoding="utf-8")
    assert _said(_doc(opinion)) == {"number": "国办发〔2018〕123号", "date": "2018年12月7日", "issuer": "国务院办公厅"}
    rules = (ROOT / "bench" / "data" / "docs" / "gov-info-disclosure-2019.txt").read_text(encoding="utf-8")
    assert _said(_doc(rules))["date"].startswith("2007年4月5日")  # promulgated (公布), under the title
    # a 条例 adopted by a people's congress: the adoption line; the date it takes effect in its last article
    local = _said(_doc("某某市养老服务条例\n2024年12月31日 某某市第十六届人民代表大会常务委员会第十八次会议通过\n"
                       "第一章 总则\n第一条 为了……，制定本条例。\n第四十条 本条例自2025年3月1日起施行。\n"))
    assert local == {"date": "2024年12月31日 某某市第十六届人民代表大会常务委员会第十八次会议通过",
                     "effective": "第四十条 本条例自2025年3月1日起施行"}
    # a notice that issues a plan: its date line and issuer stand above the attached plan
    plan = (ROOT / "bench" / "data" / "docs" / "digital-economy-plan-2021.txt").read_text(encoding="utf-8")
    assert _said(_doc(plan)) == {"number": "国发〔2021〕29号", "date": "2021年12月12日", "issuer": "国务院"}
    # a speech has none: a date in its body is not the document's
    assert _said(_doc("在全区大会上的讲话\n同志们：\n2022年1月5日，我们召开了会议。\n谢谢大家！\n")) == {}


@pytest.mark.parametrize("question, kind", [
    ("这份通知的文号是什么？", "number"), ("发文字号是多少？", "number"), ("What is the document number?", "number"),
    ("成文日期是哪天？", "date"), ("这个意见是什么时候印发的？", "date"), ("On what date was the notice issued?", "date"),
    ("发文机关是哪个？", "issuer"), ("Who issued the opinion?", "issuer"),
    ("条例是哪天、由哪次会议通过的？", "date"), ("什么时候起施行？", "effective"), ("施行日期是哪天？", "effective"),
    ("When does the regulation take effect?", "effective"), ("实施方案有哪些重点任务？", None),
    ("停车泊位要新增多少个？", None), ("By what date each year must progress be reported?", None),
])
def test_questions_that_ask_for_an_element(question, kind):
    assert fact_asked(question) == kind


def test_release_time_is_the_documents_only_when_the_question_names_one():
    assert fact_asked("信息发布时间有什么要求？", names_document=False) is None
    assert fact_asked("这份通知的发布时间是哪天？", names_document=True) == "date"
