"""对照学习 (assistant.compare): real index (the session build copied, two small documents added),
real embedding model."""
from __future__ import annotations

import json
import shutil

import pytest

from tests.conftest import DOCS, SPEECH, run_cli

RELATED = """关于推进民生事业和产业升级的实施意见
一、发展社区养老托幼服务
要服务好“一老一小”，积极应对人口老龄化，发展就近、普惠、公平的社区养老托幼服务，全省老龄化率21.4%，城镇化率64.7%，建设一批公办幼儿园。
二、推动轴承产业转型升级
支持轴承行业龙头企业做大做强，2021年全省轴承行业完成营业收入300亿元，推动制造业与数字经济融合发展。
三、持续改善生态环境
坚决打好大气污染防治攻坚战，抓好河渠综合治理和国土绿化。
"""

UNRELATED = """家常红烧肉的做法
五花肉切成三厘米见方的块，冷水下锅焯水，撇去浮沫后捞出沥干。
锅中放少许油，小火炒糖色，糖化开起小泡时下肉块翻炒上色。
加入葱段、姜片、八角和桂皮，倒入生抽、老抽和料酒，加开水没过肉块。
大火烧开后转小火炖一个小时，最后大火收汁，撒上葱花即可出锅。
"""


@pytest.fixture(scope="module")
def cmp_env(tmp_path_factory, index_dir, settings):
    """An index of docs/ plus two small documents (the session's embeddings are reused)."""
    from assistant.config import Settings
    from assistant.index import build_index
    from assistant.service import Assistant

    root = tmp_path_factory.mktemp("compare")
    docs = root / "docs"
    docs.mkdir()
    for f in DOCS.iterdir():
        if f.is_file():
            shutil.copy(f, docs / f.name)
    (docs / "related-opinion.txt").write_text(RELATED, encoding="utf-8")
    (docs / "recipe.txt").write_text(UNRELATED, encoding="utf-8")
    shutil.copytree(index_dir, root / "index", symlinks=True)
    s = Settings(index_dir=root / "index", docs_dir=docs, feedback_file=root / "fb.jsonl", llm="none")
    build_index(s, progress=False)
    return s, Assistant(s)


@pytest.fixture(scope="module")
def cmp_assistant(cmp_env):
    return cmp_env[1]


@pytest.fixture(scope="module")
def related(cmp_assistant):
    from assistant.compare import compare_documents

    return compare_documents(cmp_assistant, SPEECH.stem, "related-opinion")


def test_exact_spans_and_shape(cmp_assistant, related):
    index = cmp_assistant.index
    a, b = index.document(related.doc_a), index.document(related.doc_b)
    assert related.nodes and any(n.found for n in related.nodes)
    for n in related.nodes:
        assert n.heading.quote == a.text[n.heading.start:n.heading.end]
        assert 0 < len(n.counterparts) <= 3 or not n.found
        scores = [c.score for c in n.counterparts]
        assert scores == sorted(scores, reverse=True) and all(s >= related.threshold for s in scores)
        for c in n.counterparts:
            cit = c.citation
            assert cit.doc == b.id and cit.quote == b.text[cit.start:cit.end]
            assert b.paragraph_at(cit.start).number == cit.paragraph
        for f in n.figures:
            assert f.a.quote == a.text[f.a.start:f.a.end] and f.b.quote == b.text[f.b.start:f.b.end]
            assert f.a_figure in f.a.quote and f.b_figure in f.b.quote


def test_subjects_found(related):
    by_node = {n.node: n for n in related.nodes}
    air = by_node["二要抓好大气污染防治"]
    assert air.found and "大气污染防治" in air.counterparts[0].citation.quote


def test_figures_paired_only_for_the_same_indicator(related):
    rows = [f for n in related.nodes for f in n.figures]
    for f in rows:
        assert "城镇化率" not in f.b_figure and not ("老龄化率" in f.a.quote and "城镇化率" in f.indicator)
        assert f.unit  # never a bare number
    aging = [f for f in rows if "老龄化率" in f.indicator]
    assert aging and aging[0].a_figure == "23.6%" and aging[0].b_figure == "21.4%"


def test_same_indicator_rules():
    from assistant.compare import same_indicator
    from assistant.numbers import extract_quantities

    def q(text):
        return extract_quantities(text)[-1]

    assert same_indicator(q("**老龄化率23.6%"), q("全省老龄化率21.4%"))
    assert not same_indicator(q("**老龄化率23.6%"), q("全省城镇化率64.7%"))  # same unit, other indicator
    assert not same_indicator(q("完成营业收入42.3亿元"), q("国内生产总值达到114万亿元"))
    assert not same_indicator(q("涉及51397户"), q("改造农村危房2400万户"))  # no named item
    assert not same_indicator(q("完成营业收入42.3亿元"), q("完成营业收入300亿元"), 2021, 2022)  # other year
    assert same_indicator(q("完成营业收入42.3亿元"), q("完成营业收入300亿元"), 2021, 2021)


def test_unrelated_document_gives_not_found(cmp_assistant):
    from assistant.compare import NOT_FOUND, compare_documents, to_markdown

    result = compare_documents(cmp_assistant, SPEECH.stem, "recipe")
    assert result.nodes and not any(n.found for n in result.nodes)
    assert to_markdown(result).count(NOT_FOUND) == len(result.nodes)


def test_errors(cmp_assistant):
    from assistant.compare import CompareError, compare_documents

    with pytest.raises(CompareError, match="同一篇文档"):
        compare_documents(cmp_assistant, SPEECH.stem, "讲话")
    with pytest.raises(CompareError, match="文档不在索引中"):
        compare_documents(cmp_assistant, SPEECH.stem, "不存在的文档")


def test_cli_json_and_section(cmp_env, cli_env):
    s, _a = cmp_env
    env = dict(cli_env, ASSISTANT_INDEX_DIR=str(s.index_dir), ASSISTANT_DOCS_DIR=str(s.docs_dir))
    r = run_cli(["compare", "--doc", "讲话", "--with", "related-opinion.txt", "--json", "--section", "（五）"], env)
    assert r.returncode == 0, r.stderr
    rows = json.loads(r.stdout)
    assert rows and all(set(row) >= {"node", "section", "counterparts", "figures"} for row in rows)
    assert all("（五）要在生态环境治理上干在实处" in row["section"] for row in rows)
    for row in rows:
        for c in row["counterparts"]:
            assert set(c) >= {"doc", "title", "paragraph", "section", "start", "end", "quote", "score"}
    r = run_cli(["compare", "--doc", "讲话", "--with", "讲话"], env)
    assert r.returncode == 2 and "同一篇文档" in r.stderr
    r = run_cli(["compare", "--doc", "讲话", "--with", "没有这篇"], env)
    assert r.returncode == 2 and "文档不在索引中" in r.stderr


def test_export_contains_section(cmp_assistant, related, tmp_path):
    import docx

    from assistant.export import to_docx, to_markdown
    from assistant.notes import build_notes

    notes = build_notes(cmp_assistant, doc_id=related.doc_a)
    md = to_markdown(notes, comparison=related)
    assert "对照学习：" in md
    found = next(n for n in related.nodes if n.found)
    assert found.counterparts[0].citation.quote in md and "第" in md
    path = to_docx(notes, tmp_path / "n.docx", comparison=related)
    text = "\n".join(p.text for p in docx.Document(str(path)).paragraphs)
    assert "对照学习：" in text and found.counterparts[0].citation.quote in text
