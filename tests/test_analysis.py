"""One analysis per text: the index is made from the tokens the extractors and the tagger share, and equals the
index the build made before (tokenizing the normalized text), on every fixture and, where present, a real day."""

from __future__ import annotations

from pathlib import Path

import pytest

from arshif.model import Skipped
from arshif.readers import read_path
from arshif.text.analyze import Analyzed, analyze, term_stem
from arshif.text.normalize import normalize, normalize_word
from arshif.text.tokenize import TOKEN_PATTERN, normalized_tokens, normalized_words
from conftest import fixture_texts

ROOT = Path(__file__).resolve().parents[1]
DAY = ROOT.parent / "shared" / "data" / "news" / "saudinewsnet" / "2015-07-27.zip"


def before(text: str | None) -> Analyzed:
    """The analysis of the index before it was shared: the whole text normalized, then tokenized."""
    if not text:
        return Analyzed("", "")
    found = TOKEN_PATTERN.findall(normalize(text))
    return Analyzed(" ".join(found), " ".join(term_stem(term) for term in found))


def test_shared_analysis_gives_the_same_index_on_every_fixture():
    texts = fixture_texts()
    assert len(texts) > 20
    for text in texts:
        assert analyze(text) == before(text), text[:80]


@pytest.mark.parametrize("text", ["ﷺ قال", "x² ﻻ", "ΟΔΟΣ İstanbul", "سوريا \u200f حلب", "ســوريا٢٠١٦"])
def test_forms_normalized_together_equal_forms_normalized_one_by_one(text):
    words, forms = normalized_words(text)
    assert forms == tuple(normalize_word(word) for word in words)
    for text in fixture_texts():
        words, forms = normalized_words(text)
        assert forms == tuple(normalize_word(word) for word in words)


def test_the_analysis_is_made_once_and_shared():
    text = "قال وزير الخارجية الرَّوسي في موسكو إن ٢٠١٦ عام صعب."
    analyze(text)
    words, forms = normalized_words(text)
    tokens, shared = normalized_tokens(text)
    assert shared is forms  # the extractors get the very forms the index was made from, normalized once
    assert normalized_tokens(text)[0] is tokens and [token.text for token in tokens] == list(words)
    assert [token.text for token in tokens][3] == "الرَّوسي" and forms[3] == "الروسي" and forms[7] == "2016"
    assert all(text[token.start:token.end] == token.text for token in tokens)


@pytest.mark.parametrize("text", [
    "سوريا \u200f حلب",  # a control mark alone between two tokens: a token that normalizes to nothing
    "سوريا\u200fحلب",  # a control mark inside a word: removed, the word stays one term
    "ســوريا والرَّئيسُ",  # tatweel and tashkeel
    "½ كيلو",  # a token that normalizes to two terms (NFKC is applied only with presentation forms: none here)
    "ﻻ يوجد ﺍﻟﺴﻼﻡ",  # presentation forms: NFKC inside their tokens
    "İstanbul ISTANBUL",  # lower-casing that yields a combining mark
])
def test_edge_cases_are_analyzed_as_before(text):
    assert analyze(text) == before(text)


def test_the_one_deliberate_change_nfkc_stays_inside_a_token():
    """Before, presentation forms anywhere in a text put the *whole* text through NFKC, so a word's terms
    depended on other words (``x²`` was ``x 2``, or ``x2`` beside a ligature). Now each token is normalized on
    its own: ``x²`` gives the same terms in every text, as a query for it does."""
    alone, beside = analyze("x²"), analyze("x² ﻻ")
    assert alone.surface == "x²" and beside.surface == "x² لا"
    assert before("x² ﻻ").surface == "x2 لا"  # the old, context-dependent form


@pytest.mark.skipif(not DAY.exists(), reason="the saudinewsnet corpus (../shared/data/news) is absent")
def test_shared_analysis_gives_the_same_index_on_a_real_day():
    articles = [record for record in read_path(DAY) if not isinstance(record, Skipped)]
    assert len(articles) > 1000
    differ = [a.id for a in articles for text in (a.body, a.title) if analyze(text) != before(text)]
    assert differ == []
    for article in articles[:300]:
        words, forms = normalized_words(article.body)
        assert forms == tuple(normalize_word(word) for word in words)
