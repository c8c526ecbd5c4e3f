"""The normalization table: every rule with a real word, Lucene's ArabicNormalizer covered, display untouched."""

from __future__ import annotations

import pytest

from arshif.text.normalize import normalize, rules

# (rule name, input, expected): one row per rule of arshif/text/data/normalize.tsv, written by hand.
EXPECTED = [
    ("tashkeel", "الرَّئيسُ", "الرئيس"),
    ("superscript-alef", "هٰذا", "هذا"),
    ("quranic-marks", "الرَّحِيمِۖ", "الرحيم"),
    ("tatweel", "ســوريا", "سوريا"),
    ("alef-hamza-above", "أمريكا", "امريكا"),
    ("alef-hamza-below", "إيران", "ايران"),
    ("alef-madda", "آب", "اب"),
    ("alef-wasla", "ٱلله", "الله"),
    ("alef-wavy-hamza-above", "ٲحمد", "احمد"),
    ("alef-wavy-hamza-below", "ٳسلام", "اسلام"),
    ("alef-maksura", "مستشفى", "مستشفي"),
    ("teh-marbuta", "مدينة", "مدينه"),
    ("persian-keheh", "کتاب", "كتاب"),
    ("swash-kaf", "ڪتاب", "كتاب"),
    ("persian-yeh", "ایران", "ايران"),
    ("urdu-yeh-barree", "پاکستانے", "پاكستاني"),
    ("urdu-yeh-barree-hamza", "ۓ", "ي"),
    ("heh-yeh", "خانۀ", "خانه"),
    ("heh-goal", "مدینہ", "مدينه"),
    ("heh-goal-hamza", "ۂ", "ه"),
    ("teh-marbuta-goal", "مدینۃ", "مدينه"),
    ("heh-doachashmee", "پھول", "پهول"),
    ("ae", "کوردستانە", "كوردستانه"),
    ("arabic-indic-digit", "٢٠١٦", "2016"),
    ("persian-digit", "۱۳۹۵", "1395"),
    ("zero-width-and-marks", "سو\u200cريا", "سوريا"),
    ("bidi-embedding", "\u202aسوريا\u202c", "سوريا"),
    ("bidi-isolate", "\u2066سوريا\u2069", "سوريا"),
    ("arabic-letter-mark", "\u061cسوريا", "سوريا"),
    ("word-joiner", "سو\u2060ريا", "سوريا"),
    ("byte-order-mark", "\ufeffسوريا", "سوريا"),
    ("soft-hyphen", "سو\u00adريا", "سوريا"),
]


@pytest.mark.parametrize("name, word, expected", EXPECTED)
def test_rule(name, word, expected):
    assert normalize(word) == expected


def test_every_rule_of_the_table_has_a_test():
    assert {rule.name for rule in rules()} == {name for name, _, _ in EXPECTED}


def test_every_rule_example_changes_under_its_rule():
    for rule in rules():
        assert any(rule.first <= ord(ch) <= rule.last for ch in rule.example), rule
        assert all(not (rule.first <= ord(ch) <= rule.last) for ch in normalize(rule.example)), rule


def test_presentation_forms_fold_through_nfkc():
    assert normalize("ﻣﺪﻳﻨﺔ") == "مدينه"  # presentation forms of مدينة
    assert normalize("ﻻ") == "لا"
    assert normalize("ﷲ") == "الله"


def test_latin_is_lower_cased_and_digits_fold():
    assert normalize("BBC ٣") == "bbc 3"


# Lucene's ArabicNormalizer (org.apache.lucene.analysis.ar.ArabicNormalizer), character by character.
LUCENE = {
    "\u0622": "\u0627", "\u0623": "\u0627", "\u0625": "\u0627",  # alef madda, hamza above, hamza below
    "\u0649": "\u064a",  # dotless yeh → yeh
    "\u0629": "\u0647",  # teh marbuta → heh
    "\u0640": "",  # tatweel
    "\u064b": "", "\u064c": "", "\u064d": "", "\u064e": "", "\u064f": "", "\u0650": "", "\u0651": "", "\u0652": "",
}


@pytest.mark.parametrize("char, expected", sorted(LUCENE.items()))
def test_at_least_as_complete_as_lucene(char, expected):
    assert normalize(f"ب{char}ب") == f"ب{expected}ب"


def test_same_word_for_every_variant_pair_of_the_issue():
    for a, b in [("أمريكا", "امريكا"), ("مدينة", "مدينه"), ("الرَّئيسُ", "الرئيس"), ("ســوريا", "سوريا"), ("٢٠١٦", "2016")]:
        assert normalize(a) == normalize(b)
