"""The extractors' fast paths find what the plain per-token scans found: the organizations and places extractors
try only the tokens that can open a match (``scan_at``), the token offsets come from one ``split``, the clitic
frequencies are folded in one pass. Each is checked against the straightforward version, on every fixture and,
where present, on a real day."""

from __future__ import annotations

import json
import re
import zipfile

import pytest

from pathlib import Path

from arshif.entities.extractor import Mention, scan, scan_at
from arshif.entities.gazetteer import GazetteerExtractor, _homonyms_read
from arshif.entities.orgs import OrgExtractor
from arshif.text.tokenize import TOKEN_PATTERN, Token, normalized_tokens
from conftest import fixture_texts

ROOT = Path(__file__).resolve().parents[1]
DAY = ROOT.parent / "shared" / "data" / "news" / "saudinewsnet" / "2015-07-27.zip"

#: Texts that reach the rare branches: a radio station (اف ام after an inert word), multi-word places across
#: punctuation, a head noun with a complement, a known name with a clitic.
EDGE_TEXTS = [
    "استمعنا إلى نجوم اف ام ثم إلى شمس \"أف أم\" والجوهرة أف أم صباحا",
    "زار المملكة العربية السعودية ثم المملكة. العربية في الرياض، والولايات المتحدة الأمريكية",
    "قالت وزارة الخارجية الأمريكية إن الأمم المتحدة وللأمم المتحدة ومنظمة التحرير الفلسطينية",
    "اف ام",
    "",
    "سيدي بوزيد ثم سيدي بو زيد، مدينة الرقة، بديرة",
]


def day_texts(limit: int = 300) -> list[str]:
    if not DAY.exists():
        return []
    with zipfile.ZipFile(DAY) as archive:
        records = json.loads(archive.read(DAY.stem + ".json"))
    return [record["content"] for record in records if record.get("content")][:limit]


def texts() -> list[str]:
    return fixture_texts() + EDGE_TEXTS + day_texts()


def plain_orgs(extractor: OrgExtractor, text: str) -> list[Mention]:
    toks, norms = normalized_tokens(text)
    return [mention for _, mention, _ in scan(len(toks), lambda i: extractor._match(text, toks, norms, i))]


def plain_places(extractor: GazetteerExtractor, text: str) -> list[Mention]:
    toks, norms = normalized_tokens(text)
    found = []
    words = frozenset(norms)
    for index, mention, width in scan(len(toks), lambda i: extractor._match_at(text, toks, norms, i, words)):
        checked = extractor._checked(text, toks, norms, index, width, mention)
        if checked is not None:
            found.append(checked)
    return _homonyms_read(text, norms, found)  # the article-level reading both paths share (عمان: Amman or Oman)


def test_organizations_found_by_trying_only_live_tokens_equal_the_full_scan():
    extractor = OrgExtractor()
    found = 0
    for text in texts():
        expected = plain_orgs(extractor, text)
        assert extractor.extract(text) == expected, text[:80]
        found += len(expected)
    assert found > 10  # the texts do name organizations
    radio = extractor.extract(EDGE_TEXTS[0])
    assert radio and radio[0].surface == "نجوم اف ام"  # a radio opened by a word that opens nothing else


def test_places_found_by_trying_only_live_tokens_equal_the_full_scan():
    extractor = GazetteerExtractor()
    found = 0
    for text in texts():
        expected = plain_places(extractor, text)
        assert extractor.extract(text) == expected, text[:80]
        found += len(expected)
    assert found > 10


def test_scan_at_equals_scan_when_other_indices_match_nothing():
    def matcher(widths):
        return lambda i: (Mention(i, i + 1, "x", "LOC"), widths[i]) if widths.get(i) else None

    widths = {0: 3, 1: 1, 2: 1, 3: 2, 4: 1, 7: 1, 8: 4, 9: 1}
    assert list(scan_at(sorted(widths), matcher(widths))) == list(scan(12, matcher(widths)))


@pytest.mark.parametrize("text", ["", "abc", " a b ", "__x_y", "ﷺ محمد", "\u200c", "ســوريا٢٠١٦ x²", "a\nb\tc"])
def test_token_offsets_from_split_equal_those_of_finditer(text):
    for sample in [text, *fixture_texts()]:
        normalized_tokens.cache_clear()
        toks, _ = normalized_tokens(sample)
        assert toks == tuple(Token(m.group(), m.start(), m.end()) for m in TOKEN_PATTERN.finditer(sample))
        assert all(type(tok) is Token and sample[tok.start : tok.end] == tok.text for tok in toks)


def test_clitic_frequencies_folded_at_once_equal_those_folded_word_by_word():
    wordfreq = pytest.importorskip("wordfreq")
    from arshif.text.clitics import _frequencies
    from arshif.text.normalize import normalize_word

    folded: dict[str, float] = {}
    for word, frequency in wordfreq.get_frequency_dict("ar").items():
        if frequency >= 1e-7:
            key = normalize_word(word)
            folded[key] = folded.get(key, 0.0) + frequency
    assert _frequencies() == folded and list(_frequencies()) == list(folded)


def test_key_form_from_findall_equals_the_tokens_joined():
    from arshif.entities.demonyms import key_form
    from arshif.text.normalize import normalize
    from arshif.text.tokenize import tokens

    def reference(text: str) -> str:  # the tokens joined by spaces, a detached و glued to the next one
        return re.sub(r"(?<!\S)و (?=\S)", "و", " ".join(token.text for token in tokens(normalize(text))))

    for text in [*EDGE_TEXTS, "وزير  الخارجية\u200f السعودي", "ﷺ", "وزارة الشباب و الرياضة", "و", "الشباب و",
                 *fixture_texts()[:50]]:
        assert key_form(text) == reference(text)
