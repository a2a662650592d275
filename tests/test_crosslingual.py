"""English → Chinese terms from CC-CEDICT alone (no glossary for any document), filtered by the documents."""
from __future__ import annotations

from pathlib import Path

import pytest

from assistant import crosslingual
from assistant.crosslingual import Translator

from .conftest import DOCS, ROOT

SPEECH = (DOCS / "speech-2022-district-cadre-conference.txt").read_text(encoding="utf-8")
RELATED = Path(__file__).resolve().parents[2] / "shared" / "corpus" / "related" / "cpc-20th-congress-report-2022.txt"


def test_the_policy_vocabulary_is_general_not_one_documents():
    """The shipped vocabulary holds standard policy renderings, not the speech's own terms."""
    vocab = crosslingual.policy_vocabulary()
    assert len(vocab) > 300
    terms = {t for heads in vocab.values() for t in heads}
    assert not any(ch.isdigit() for t in terms for ch in t)  # it maps words, never answers
    in_speech = sum(t in SPEECH for t in terms) / len(terms)
    assert in_speech < 0.5, in_speech  # most of its terms are not the speech's
    assert [p.name for p in Path(crosslingual.__file__).parent.glob("data/*.tsv")] == ["policy_glossary_en_zh.tsv"]


@pytest.fixture(scope="module")
def translator():
    return Translator(SPEECH)


@pytest.mark.parametrize(
    "question, term",
    [
        ("How much tax did the company pay?", "纳税"),  # CC-CEDICT gloss "taxes" pooled with "tax"
        ("How much investment is planned?", "投资"),
        ("How many old residential compounds will be renovated?", "老旧小区"),  # general policy vocabulary
    ],
)
def test_english_words_map_to_terms_of_the_speech(translator, question, term):
    assert term in translator(question)


@pytest.mark.skipif(not RELATED.exists(), reason="related document not available")
@pytest.mark.parametrize(
    "question, term",
    [
        ("What urbanization rate has China reached?", "城镇化"),
        ("What average life expectancy does the report cite?", "寿命"),
        ("How many people does basic pension insurance cover?", "养老保险"),
    ],
)
def test_english_words_map_to_terms_of_a_document_nobody_tuned_for(question, term):
    assert any(term in t for t in Translator(RELATED.read_text(encoding="utf-8"))(question))


def test_a_concept_the_documents_never_name_is_recognised(translator):
    groups = dict(translator.groups("What is the unemployment rate?"))
    assert groups["unemployment"] and not translator.known_in_documents(groups["unemployment"])


def test_an_acronym_in_a_chinese_question_reads_as_the_documents_write_it(translator):
    from assistant.crosslingual import with_heads

    assert with_heads(("国内生产总值",)) == ("国内生产总值", "生产总值")
    provincial = (ROOT / "bench" / "data" / "docs" / "ningxia-gov-work-report-2026.txt").read_text(encoding="utf-8")
    # no word boundary between 区 and GDP; a 2026 provincial report says 地区生产总值
    assert Translator(provincial).acronym_terms("去年全区GDP总量有多少？") == ["生产总值"]
    assert "生产总值" in dict(Translator(provincial).groups("What GDP growth target is set?"))["gdp"]
    assert translator.acronym_terms("今年GDP预期增长多少？") == []  # the speech never names it


def test_a_characters_rare_or_variant_senses_and_parts_of_words_do_not_count(translator):
    """"grain" and "harvest" are not in a speech that never names them: 年 reads "grain; harvest"
    only as the variant 秊, 获 "to harvest" only inside compounds (CC-CEDICT's "bound form"), and
    年成 "harvest" occurs only as a string inside 2025年成功, never as a word."""
    groups = dict(translator.groups("How much grain did the district harvest?"))
    assert "年" not in groups["grain"] and "年" not in groups["harvest"] and "获" not in groups["harvest"]
    assert not translator.known_in_documents(groups["grain"])
    assert not translator.known_in_documents(groups["harvest"])
    assert Translator("从2017年成功扭亏为盈")._count("年成") == 0
    assert Translator("今年年成很好，粮食丰收。")._count("年成") == 1
    assert Translator("推进老旧小区改造")._count("小区") == 1  # a word inside a compound is a word


def test_a_possessive_is_the_word_itself(translator):
    """"the district's population aging rate": district's is district (its senses, not an unknown word)."""
    got = translator.groups("What is the district's population aging rate?")
    assert got == translator.groups("What is the district population aging rate?")
    assert all("'" not in w for w, _heads in got)


def test_a_character_that_alone_means_the_word_brings_the_documents_words_it_opens():
    """粮 is "grain" (its first sense); running text says 粮食: that word is a heading of "grain" too,
    derived from the documents, not listed by hand.  A glued pair that is no word (粮于) is not."""
    from assistant.crosslingual import Translator

    t = Translator("坚守耕地红线，粮食总产量达76.28亿斤。藏粮于地、藏粮于技。粮食安全是国之大者。")
    heads = dict(t.groups("How much grain was harvested?"))["grain"]
    assert "粮食" in heads and "粮于" not in heads
    assert "粮食" in t("How much grain was harvested?")


def test_a_character_whose_early_sense_is_the_word_brings_its_compounds_too():
    """队 is "squadron; team; group": "team" is its second sense, and the documents write
    志愿者队伍 — 队伍 is a heading of "teams" (the dictionary's own 队伍 is "ranks; troops").
    A character the word is no early sense of (组 "surname; to form; …; group") adds nothing."""
    from assistant.crosslingual import Translator

    t = Translator("宝山区成立15支志愿者队伍，加强宣传。各小组、组织要落实。")
    heads = dict(t.groups("How many volunteer teams will be set up?"))["teams"]
    assert "队伍" in heads and "组织" not in heads


def test_an_agent_noun_the_dictionary_lacks_is_read_through_its_verb():
    """"sorter" has no entry; its verb "sort" gives 分拣, which the documents write in 分拣员.
    A word whose own translations occur ("number": 数量) is not read as a verb ("numb")."""
    from assistant.crosslingual import Translator

    t = Translator("配齐保洁员、分拣员队伍，明确数量要求。")
    groups = dict(t.groups("How many households does one sorter cover, and what number?"))
    assert "分拣" in groups["sorter"]
    assert "麻木" not in groups["number"]


def test_bare_actions_are_not_what_an_english_question_is_about_unless_the_documents_say_them():
    """"pay" is mostly "to pay" in the dictionary, "tax" mostly "tax": a question's action whose
    translations the documents never use is not a concept they must name ("How much tax did
    the company pay?" is answered by 纳税2亿元); an action they do use still counts."""
    from assistant.answer import english_concepts
    from assistant.crosslingual import Translator, is_action

    assert is_action("pay") and is_action("renovate") and not is_action("tax") and not is_action("volunteer")
    t = Translator("轴承公司2021年纳税2亿元。")
    terms = t.groups("How much tax did the bearing company pay in 2021?")
    assert [w for w, _h in english_concepts(terms, t.known_in_documents)] == ["tax", "company"]  # (bearing: -ing)
    paid = Translator("企业按时支付工资，纳税2亿元。")
    terms = paid.groups("How much tax did the bearing company pay in 2021?")
    assert "pay" in [w for w, _h in english_concepts(terms, paid.known_in_documents)]


def test_british_spellings_find_the_dictionarys_american_words():
    """CC-CEDICT glosses are American: "kilometres" is found as "kilometer", "centre" as "center"."""
    t = Translator("新改建农村公路200公里。建设区域性医疗中心。")
    terms = t("How many kilometres of rural roads will be built, and which centre?")
    assert "公里" in terms and "中心" in terms


def test_a_name_in_pinyin_is_the_name_the_documents_write_and_a_long_phrase_is_one_term():
    """"Shaoxing" inside the sentence is 绍兴 (its reading), not 花雕 "Shaoxing wine"; "Taizhou" is
    both cities of that reading the documents name; a sentence's first word is no name.  "reform
    and opening up" is one policy term of four words (改革开放)."""
    from assistant.crosslingual import Translator

    t = Translator("改革开放之初，绍兴人凭着“四千四万”精神。江苏泰州、浙江台州咬得很紧。绍兴黄酒、花雕闻名。")
    groups = dict(t.groups("What spirit did Shaoxing people rely on at the start of reform and opening-up?"))
    assert groups["shaoxing"] == ("绍兴",)
    assert "改革开放" in groups["reform and opening up"]
    assert set(dict(t.groups("What was the GDP of Taizhou (Jiangsu)?"))["taizhou"]) == {"台州", "泰州"}
    assert dict(t.groups("Shaoxing wine is famous"))["shaoxing"] != ("绍兴",)  # (sentence-initial: not read as a name)
