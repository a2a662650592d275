"""English → Chinese terms: CC-CEDICT plus the packaged policy glossary."""
from __future__ import annotations

import pytest

from assistant.crosslingual import GLOSSARY, Translator, glossary

from .conftest import DOCS

SPEECH = (DOCS / "speech-2022-district-cadre-conference.txt").read_text(encoding="utf-8")


def test_glossary_terms_all_occur_in_the_speech_and_are_not_figures():
    g = glossary()
    assert len(g) > 500
    terms = {t for heads in g.values() for t in heads}
    assert all(t in SPEECH for t in terms), sorted(t for t in terms if t not in SPEECH)[:10]
    # a glossary maps words, never answers: no figure may hide in it
    assert not any(ch.isdigit() for t in terms for ch in t)
    for line in GLOSSARY.read_text(encoding="utf-8").splitlines():
        if line.strip() and not line.startswith("#"):
            en, zh = line.split("\t")
            assert en == en.lower() and 1 <= len(en.split()) <= 3 and zh.strip()


@pytest.fixture(scope="module")
def translator():
    return Translator(SPEECH)


@pytest.mark.parametrize(
    "question, term",
    [
        ("Which commercial districts will be upgraded?", "商圈"),  # plural, two-word glossary phrase
        ("How is the business environment described?", "营商环境"),
        ("How many old residential compounds are there?", "老旧小区"),  # three-word phrase
        ("How much tax did the company pay?", "纳税"),  # CC-CEDICT gloss "taxes" pooled with "tax"
    ],
)
def test_english_phrases_map_to_speech_terms(translator, question, term):
    assert term in translator(question)


def test_a_concept_the_documents_never_name_is_recognised(translator):
    groups = dict(translator.groups("What is the unemployment rate?"))
    assert groups["unemployment"] and not translator.known_in_documents(groups["unemployment"])
    assert translator.known_in_documents(dict(translator.groups("aging rate"))["aging rate"])
