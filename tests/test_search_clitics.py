"""Clitics attested by the archive's own vocabulary (fts5vocab at query time): a proclitic on the query and not
in the text, in the text and not on the query, ال-initial stems, pronoun suffixes; the same in the search page,
table search and the canned query; and words whose first letter is their own stay apart."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from conftest import titled_site

ARTICLES = [
    ("مباراة", "سجل أوليفيرا هدفين في المباراة."),
    ("زيارة", "التقى مالكولم بالوفد في العاصمة."),
    ("موعد", "تنطلق الدورة في يوليو المقبل."),
    ("إعلام", "أطلقت الإذاعة برنامجا لمواكبة الانتخابات البلدية."),
    ("رأي", "إن فمجتمعنا يحتاج إلى الحوار."),
    ("خطبة", "دعا الإمام إلى التمسك لديننا وقيمنا."),
    ("تعليم", "فتح باب الالتحاق بالجامعة."),
    ("قرار", "طالب النواب بإلغاء القانون."),
    ("أحياء", "يعاني سكان الأحياء من انقطاع الماء عن منازلهم في مدينتهم."),
    ("وزارة", "قال الوزير إن الوزارة ستراجع الملف."),
    ("زراعة", "نبتة الزير نادرة في الجبال."),
    ("حديقة", "افتتحت البلدية حديقة في المدينة."),
]
CASES = [
    ("وأوليفيرا", "مباراة"),
    ("ومالكولم", "زيارة"),
    ("ويوليو", "موعد"),
    ("مواكبة", "إعلام"),
    ("مجتمعنا", "رأي"),
    ("ديننا", "خطبة"),
    ("التحاق", "تعليم"),
    ("الالتحاق", "تعليم"),
    ("الإلغاء", "قرار"),
    ("إلغاء", "قرار"),
    ("منازل", "أحياء"),
    ("مدينة", "أحياء"),
]


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    client = titled_site(tmp_path_factory.mktemp("clitics"), ARTICLES)
    yield client
    client.loop.close()


def found(site, query: str) -> dict[str, set[str]]:
    page = site.get(f"/news/-/search.json?q={quote(query)}&size=100").json()
    table = site.get(f"/news/articles.json?_search={quote(query)}&_shape=array&_size=max").json()
    canned = site.get(f"/news/search.json?q={quote(query)}&_shape=array").json()
    return {"page": {row["title"] for row in page["results"]}, "table": {row["title"] for row in table},
            "canned": {row["title"] for row in canned}}


@pytest.mark.parametrize("query, title", CASES)
def test_clitic_and_al_cases_are_found_everywhere(site, query, title):
    results = found(site, query)
    assert results["page"] == results["table"] == results["canned"], results
    assert title in results["page"], results


def test_the_variant_is_highlighted_in_the_original_text(site):
    row = site.get(f"/news/-/search.json?q={quote('مواكبة')}").json()["results"][0]
    text, spans = row["snippet"]["text"], row["snippet"]["highlights"]
    assert [text[a:b] for a, b in spans] == ["لمواكبة"]


def test_words_whose_first_letter_is_their_own_stay_apart(site):
    assert found(site, "وزير")["page"] == {"وزارة"}  # not the plant الزير
    assert "وزارة" not in found(site, "زير")["page"]
    assert found(site, "بلدية")["page"] == {"إعلام", "حديقة"}
    assert "حديقة" not in found(site, "لدية")["page"]


def test_expansion_is_reported_in_the_understood_query(site):
    from arshif.query import parse

    assert parse("ومالكولم").describe() == "ومالكولم"
