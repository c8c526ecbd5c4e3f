"""Quoted titles of works (a programme, a film, a song) after their noun are one MISC mention each."""

from __future__ import annotations

from arshif.entities.works import WorkExtractor, is_work_noun


def titles(text: str) -> list[tuple[str, str]]:
    return [(m.surface, m.type) for m in WorkExtractor().extract(text)]


def test_a_quoted_title_after_its_noun_is_a_work():
    text = 'وقال في مداخلة له في برنامج "بوليتيكا" إن الحكومة ستتقدم. وأكد ضيف "بوليتكا" أنه ممنوع من الحضور.'
    assert titles(text) == [("بوليتيكا", "MISC"), ("بوليتكا", "MISC")]


def test_the_title_may_follow_adjectives_and_hold_several_words():
    assert titles("وعرض البرنامج الإذاعي الأسبوعي «صباح الورد» أمس") == [("صباح الورد", "MISC")]
    assert titles("وفاز فيلم «الرجل الذي باع ظهره» بجائزة") == [("الرجل الذي باع ظهره", "MISC")]
    assert titles("ومن أفلامه «شاين» مع ألان لاد") == []  # أفلامه: not listed, no match
    assert titles("ومن بين الأفلام «شاين» مع ألان لاد") == [("شاين", "MISC")]


def test_no_title_without_quotes_or_with_an_open_quote():
    assert titles("وقال برنامج الأمم المتحدة للتنمية إن") == []  # the UN's programme: no quoted title
    assert titles("في مسلسل «باب الحارة. وقال المخرج إن") == []  # the quote does not close in the sentence
    assert titles("كتاب «الشرق الأوسط» يكتبون") == []  # كتاب is also "writers"


def test_a_work_noun_behind_its_clitics_or_the_article():
    assert is_work_noun("لبرنامج") and is_work_noun("البرنامج") and is_work_noun("وفيلم")
    assert not is_work_noun("كتاب") and not is_work_noun("برامج")


def test_the_pipeline_reads_a_quoted_programme_as_a_work():
    from arshif.pipeline import find_mentions

    text = 'قال الوزير في برنامج "بوليتيكا" على الجوهرة أف أم إن الحكومة ستتقدم بمشروع القانون.'
    found = {(m.surface, m.type) for m in find_mentions(text, "gazetteer")}
    assert ("بوليتيكا", "MISC") in found and ("الجوهرة أف أم", "ORG") in found
