"""The search page /DATABASE/-/search and its JSON twin: ranking (title above body, phrase and proximity above
scattered words), exact total, pagination to the last result, facets that narrow and combine, date range, sort by
date, Arabic operators with what was understood, snippets from the original text, and graceful failure."""

from __future__ import annotations

import json
import re
from urllib.parse import quote

import pytest

from conftest import datasette_for
from web_archive import Client

FILLER = "وقال المتحدث إن اللجنة ستجتمع الأسبوع المقبل لمناقشة الملفات العالقة في الجهات."
BULK = 130  # more than 100 results for the word تونس


def bulk_articles() -> list[dict]:
    articles = []
    for n in range(BULK):
        year = 2015 + n % 3
        month = 1 + n % 12
        # half of the dates carry a time and a zone, as real feeds mix both
        date = f"{year}-{month:02d}-15" if n % 2 else f"{year}-{month:02d}-15T10:30:00+01:00"
        place = "سوسة" if n % 5 == 0 else "صفاقس"
        articles.append({"title": f"خبر محلي رقم {n}", "content": f"{FILLER} زار الوفد رقم {n} تونس ثم {place}. {FILLER}",
                         "source": "وكالة أ" if n % 4 else "وكالة ب", "url": f"https://example.org/b{n}",
                         "date": date, "category": "localNews" if n % 3 else "politics"})
    articles += [
        {"title": "الحكومة التونسية تعلن خطة", "content": f"{FILLER} أعلنت الحكومة التونسية خطة جديدة. {FILLER}",
         "source": "وكالة ج", "url": "https://example.org/p1", "date": "2016-05-01", "category": "politics"},
        {"title": "اجتماع", "content": f"اجتمعت الحكومة أمس. {FILLER} {FILLER} {FILLER} وأكد الوزير التونسية ميزانية.",
         "source": "وكالة ج", "url": "https://example.org/p2", "date": "2016-05-02", "category": "politics"},
        {"title": "تقرير", "content": f"{FILLER} ونشرت الحكومة التونسية تقريرا عن السياحة. {FILLER}",
         "source": "وكالة ج", "url": "https://example.org/p3", "date": "2016-05-03", "category": "politics"},
        {"title": "ليبيا تفتح الحدود", "content": "أعلنت ليبيا فتح المعبر الحدودي.", "source": "وكالة ج",
         "url": "https://example.org/l1", "date": "2017-03-31T23:10:00+01:00", "category": "world"},
        {"title": "الجزائر والنفط", "content": "ارتفع إنتاج النفط في الجزائر.", "source": "وكالة ج",
         "url": "https://example.org/d1", "date": "2017-03-31", "category": "world"},
        {"title": "ليبيا والجزائر", "content": "اجتماع بين ليبيا والجزائر حول الحدود.", "source": "وكالة ج",
         "url": "https://example.org/ld", "date": "2017-04-01", "category": "world"},
    ]
    return articles


@pytest.fixture(scope="module")
def site(tmp_path_factory):
    from arshif.build import build

    folder = tmp_path_factory.mktemp("searchpage")
    (folder / "articles.json").write_text(json.dumps(bulk_articles(), ensure_ascii=False), "utf-8")
    path = folder / "news.db"
    build([folder / "articles.json"], path, ner="gazetteer")
    client = Client(datasette_for(path))
    yield client
    client.loop.close()


def search(site, **params) -> dict:
    query = "&".join(f"{k}={quote(str(v))}" for k, vs in params.items() for v in (vs if isinstance(vs, list) else [vs]))
    response = site.get(f"/news/-/search.json?{query}")
    assert response.status_code == 200, response.text
    return response.json()


def titles(data: dict) -> list[str]:
    return [row["title"] for row in data["results"]]


def test_exact_total_and_every_result_reachable_by_pagination(site):
    data = search(site, q="تونس")
    assert data["total"] == BULK + 3  # the bulk mention تونس; three more say التونسية (stem تونس)
    seen, url, pages = [], "/news/-/search.json?q=" + quote("تونس"), 0
    while url:
        page = site.get(url.replace("/-/search?", "/-/search.json?")).json()
        seen += [row["id"] for row in page["results"]]
        url = page["next_url"]
        pages += 1
    assert len(seen) == len(set(seen)) == data["total"] and pages == 7
    assert len(search(site, q="تونس", page=6)["results"]) == 20  # results 101 to 120
    assert search(site, q="تونس", page=6)["previous_url"].endswith("page=5")


def test_title_ranks_above_body(site):
    assert titles(search(site, q="ليبيا"))[0] in ("ليبيا تفتح الحدود", "ليبيا والجزائر")
    assert titles(search(site, q="خطة"))[0] == "الحكومة التونسية تعلن خطة"


def test_phrase_and_proximity_rank_above_scattered_words(site):
    ranked = titles(search(site, q="الحكومة التونسية"))
    assert set(ranked[:2]) == {"الحكومة التونسية تعلن خطة", "تقرير"}
    assert ranked.index("اجتماع") > 1  # both words, far apart
    assert "اجتماع" in ranked


def test_sort_by_date(site):
    newest = search(site, q="تونس", sort="newest")["results"]
    dates = [row["date"] for row in newest]
    assert dates == sorted(dates, reverse=True)
    oldest = [row["date"] for row in search(site, q="تونس", sort="oldest")["results"]]
    assert oldest == sorted(oldest)
    assert search(site)["sort"] == "newest" and search(site)["total"] == BULK + 6  # no words: every article


def facet(data: dict, name: str) -> dict:
    values = next(f for f in data["facets"] if f["name"] == name)["values"]
    return {str(v["label"]): v for v in values}


def test_facets_count_every_match_and_months_are_in_date_order(site):
    data = search(site, q="تونس")
    places = facet(data, "LOC")
    assert places["تونس"]["count"] == BULK + 3 and places["سوسة"]["count"] == BULK // 5
    years = list(facet(data, "year"))
    assert years == ["2015", "2016", "2017"]
    months = list(facet(data, "month"))
    assert months == sorted(months) and len(months) == len({(2015 + n % 3, 1 + n % 12) for n in range(BULK)})
    assert sum(v["count"] for v in facet(data, "source").values()) == data["total"]
    assert facet(data, "category")["أخبار محلية"]["value"] == "localNews"  # Arabic label, code kept as value


def test_facets_narrow_and_combine(site):
    data = search(site, q="تونس")
    sousse = facet(data, "LOC")["سوسة"]
    narrowed = site.get(sousse["url"].replace("/-/search?", "/-/search.json?")).json()
    assert narrowed["total"] == BULK // 5 and narrowed["filters"]["entity"] == [sousse["value"]]
    year = facet(narrowed, "year")["2016"]
    both = site.get(year["url"].replace("/-/search?", "/-/search.json?")).json()
    expected = sum(1 for n in range(BULK) if n % 5 == 0 and 2015 + n % 3 == 2016)
    assert both["total"] == expected and all(r["date"].startswith("2016") for r in both["results"])
    assert facet(both, "year")["2016"]["selected"]
    assert {chip["label"] for chip in both["chips"]} >= {"سوسة", "السنة: 2016"}
    source = facet(both, "source")["وكالة أ"]
    three = site.get(source["url"].replace("/-/search?", "/-/search.json?")).json()
    assert three["total"] == source["count"] and all(r["source"] == "وكالة أ" for r in three["results"])


def test_date_range_with_dates_of_both_precisions(site):
    day = search(site, **{"from": "2017-03-31", "to": "2017-03-31"})
    assert set(titles(day)) == {"ليبيا تفتح الحدود", "الجزائر والنفط"}
    table = site.get("/news/articles.json?date__gte=2017-03-31&date__lte=2017-03-31&_shape=array").json()
    assert {row["title"] for row in table} == {"ليبيا تفتح الحدود", "الجزائر والنفط"}  # the ISO date column
    month = search(site, q="تونس", **{"from": "2016-01", "to": "2016-03"})
    assert month["total"] == sum(1 for n in range(BULK) if 2015 + n % 3 == 2016 and 1 + n % 12 <= 3)


@pytest.mark.parametrize("typed, understood, expected", [
    ("ليبيا أو الجزائر", "ليبيا أو الجزائر", {"ليبيا تفتح الحدود", "الجزائر والنفط", "ليبيا والجزائر"}),
    ("ليبيا or الجزائر", "ليبيا أو الجزائر", {"ليبيا تفتح الحدود", "الجزائر والنفط", "ليبيا والجزائر"}),
    ("ليبيا Or الجزائر", "ليبيا أو الجزائر", {"ليبيا تفتح الحدود", "الجزائر والنفط", "ليبيا والجزائر"}),
    ("ليبيا بدون الجزائر", "ليبيا بدون الجزائر", {"ليبيا تفتح الحدود"}),
    ("ليبيا ليس الجزائر", "ليبيا بدون الجزائر", {"ليبيا تفتح الحدود"}),
    ("ليبيا -الجزائر", "ليبيا بدون الجزائر", {"ليبيا تفتح الحدود"}),
    ("ليبيا not الجزائر", "ليبيا بدون الجزائر", {"ليبيا تفتح الحدود"}),
    ("ليبيا and الجزائر", "ليبيا و الجزائر", {"ليبيا والجزائر"}),
])
def test_arabic_and_english_operators(site, typed, understood, expected):
    data = search(site, q=typed)
    assert set(titles(data)) == expected
    assert data["understood"] == understood


def test_html_page(site):
    response = site.get("/news/-/search?q=" + quote("الحكومة التونسية"))
    assert response.status_code == 200
    html = response.text
    assert '<html lang="ar" dir="rtl">' in html
    assert "نتيجة" in html and "أماكن" in html and "الأكثر صلة" in html and "بحثنا عن" in html
    first = re.search(r'<h3><a href="(/news/-/article/[^"]+)" dir="auto">(.*?)</a></h3>', html)
    assert first and "<mark>الحكومة</mark>" in first.group(2)
    assert site.get(first.group(1)).status_code == 200
    assert '<p class="arshif-snippet" dir="auto">' in html and "<mark>التونسية</mark>" in html
    assert 'rel="next"' not in html  # 4 results, one page
    many = site.get("/news/-/search?q=" + quote("تونس")).text
    assert 'rel="next"' in many and "الصفحة 1 من 7" in many


def test_json_snippets_are_plain_text_with_ranges(site):
    row = search(site, q="أعلنت الحكومة")["results"][0]
    text, spans = row["snippet"]["text"], row["snippet"]["highlights"]
    assert "<" not in text and spans
    assert [text[a:b] for a, b in spans][:2] == ["أعلنت", "الحكومة"]


@pytest.mark.parametrize("typed", ['"', "(", "NEAR(", "*", "-", "OR", "أو", "بدون", "x" * 3000, "title:", "{a}"])
def test_malformed_queries_degrade(site, typed):
    for suffix in ("", ".json"):
        response = site.get(f"/news/-/search{suffix}?q={quote(typed)}&page=abc&size=-5&year=x&from=2016-13")
        assert response.status_code == 200, response.text[:300]


def test_unknown_archive_is_404(site):
    assert site.get("/nothing/-/search.json?q=x").status_code == 404


def test_a_search_that_runs_out_of_time_says_so(site, monkeypatch):
    from datasette.database import QueryInterrupted

    db = site.datasette.get_database("news")
    original = db.execute

    async def slow(sql, *args, **kwargs):
        if "articles_fts match" in sql and "union all" in sql:  # the facets
            raise QueryInterrupted(None, sql, None)
        return await original(sql, *args, **kwargs)

    monkeypatch.setattr(db, "execute", slow)
    response = site.get("/news/-/search.json?q=" + quote("تونس"))
    assert response.status_code == 200
    data = response.json()
    assert data["total"] is None and data["results"] and data["messages"]
    html = site.get("/news/-/search?q=" + quote("تونس"))
    assert html.status_code == 200 and "لم يتسع الوقت" in html.text

    async def slower(sql, *args, **kwargs):
        if "articles_fts match" in sql:  # every search query
            raise QueryInterrupted(None, sql, None)
        return await original(sql, *args, **kwargs)

    monkeypatch.setattr(db, "execute", slower)
    response = site.get("/news/-/search?q=" + quote("تونس"))
    assert response.status_code == 200 and "استغرق البحث وقتاً" in response.text
