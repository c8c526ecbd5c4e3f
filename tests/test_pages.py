"""The archive's own pages: front page (/), entity page (/-/entity/ID), article page (/-/article/ID), and the
links to them from Datasette's tables and queries."""

from __future__ import annotations

import re
from urllib.parse import quote

from web_archive import archive, ds  # noqa: F401  (fixtures)

TUNIS, SOUSSE = "تونس", "سوسة"


def test_front_page(ds, archive):
    response = ds.get("/")
    assert response.status_code == 200
    html = response.text
    assert 'dir="rtl"' in html and 'lang="ar"' in html
    assert re.search(r'<input type="search" name="q" placeholder="ابحث', html)
    assert 'action="/archive/-/search"' in html
    assert "<strong>6</strong> مقال" in html
    assert "<strong>3</strong> مصدر" in html
    assert "<strong>7</strong> كيان" in html
    assert "أماكن الأكثر ذكراً" in html and "أشخاص الأكثر ذكراً" in html and "منظمات الأكثر ذكراً" in html
    assert f'<a href="/archive/-/entity/{archive["entities"][TUNIS]}" dir="auto">{TUNIS}</a>' in html
    latest = html.index("أحدث المقالات")
    assert html.index("أخبار الجزائر", latest) < html.index("زيارة رسمية إلى تونس", latest)  # newest first


def test_front_page_json_is_still_datasette(ds):
    assert "archive" in ds.get("/.json").json()


def test_entity_page(ds, archive):
    tunis = archive["entities"][TUNIS]
    response = ds.get(f"/archive/-/entity/{tunis}")
    assert response.status_code == 200
    html = response.text
    assert f"<h1 dir=\"auto\">{TUNIS}</h1>" in html
    assert "مكان" in html and "<strong>4</strong> مقال" in html
    assert '<li dir="auto">تونس' in html  # aliases
    # timeline: one bar per month from 2016-03 to 2017-02, empty months included
    bars = re.findall(r'data-month="(\d{4}-\d\d)" data-mentions="(\d+)"', html)
    assert bars[0][0] == "2016-03" and bars[-1][0] == "2017-02" and len(bars) == 12
    assert dict(bars)["2016-03"] == "2" and dict(bars)["2016-05"] == "0"
    # mentioned together, with a link to the articles mentioning both
    together = html[html.index("يُذكر معه"):html.index("أحدث المقالات")]
    assert SOUSSE in together and f"/archive/-/search?entity={tunis}&amp;entity={archive['entities'][SOUSSE]}" in together
    # latest articles, with the mention marked in a snippet
    latest = html[html.index("أحدث المقالات"):]
    assert f'href="/archive/-/article/{archive["articles"]["زيارة رسمية إلى تونس"]}"' in latest
    assert "<mark>تونس</mark>" in latest
    assert f'href="/archive/-/search?entity={tunis}"' in html


def test_entity_page_of_unknown_entity(ds):
    assert ds.get("/archive/-/entity/1").status_code == 404
    assert ds.get("/archive/-/entity/abc").status_code == 404


def test_article_page(ds, archive):
    ident = archive["articles"]["زيارة رسمية إلى تونس"]
    response = ds.get(f"/archive/-/article/{ident}")
    assert response.status_code == 200
    html = response.text
    assert '<h1 dir="auto">زيارة رسمية إلى تونس</h1>' in html
    assert "وكالة المثال" in html and "2016-03-05" in html
    assert '<a href="https://example.org/a1" class="arshif-original"' in html
    paragraphs = re.findall(r'<p dir="rtl">(.*?)</p>', html, re.S)
    assert len(paragraphs) == 2
    tunis, sousse = archive["entities"][TUNIS], archive["entities"][SOUSSE]
    assert re.search(rf'href="/archive/-/entity/{tunis}"[^>]*><mark>تونس</mark></a>', paragraphs[0])
    assert re.search(rf'href="/archive/-/entity/{sousse}"[^>]*><mark>سوسة</mark></a>', paragraphs[1])
    assert paragraphs[0].startswith("وصل الوفد إلى ")


def test_article_page_offsets_match_body(ds, archive):
    """Every marked span is exactly the text between the stored offsets."""
    import sqlite3

    conn = sqlite3.connect(archive["path"])
    ident = archive["articles"]["مهرجان في سوسة"]
    body = conn.execute("select body from articles where id = ?", [ident]).fetchone()[0]
    expected = [body[s:e] for s, e in conn.execute(
        'select start, "end" from mentions where article_id = ? order by start', [ident])]
    html = ds.get(f"/archive/-/article/{ident}").text
    assert re.findall(r"<mark>(.*?)</mark>", html) == expected


def test_article_page_refuses_unsafe_original_link(ds, archive):
    html = ds.get(f"/archive/-/article/{archive['articles']['الاقتصاد في ليبيا']}").text
    assert "javascript:" not in html and "المصدر الأصلي" not in html


def test_article_page_of_unknown_article(ds):
    assert ds.get("/archive/-/article/nope").status_code == 404


def test_links_to_pages_from_datasette_tables(ds, archive):
    tunis = archive["entities"][TUNIS]
    entities = ds.get("/archive/entities").text
    assert f'<a href="/archive/-/entity/{tunis}" dir="auto">{TUNIS}</a>' in entities
    links = ds.get("/archive/article_entities").text
    assert f'<a href="/archive/-/entity/{tunis}" dir="auto">{TUNIS}</a>' in links
    assert 'href="/archive/-/article/' in links
    mentions = ds.get("/archive/mentions").text
    assert f'href="/archive/-/entity/{tunis}"' in mentions
    articles = ds.get(f"/archive/articles?_search={quote(TUNIS)}").text
    assert f'href="/archive/-/article/{archive["articles"]["زيارة رسمية إلى تونس"]}"' in articles
    # and from an article page to each entity it mentions
    article = ds.get(f"/archive/-/article/{archive['articles']['زيارة رسمية إلى تونس']}").text
    assert f'<a href="/archive/-/entity/{tunis}" dir="auto">{TUNIS}</a>' in article
