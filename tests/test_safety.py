"""Text from articles, entities and queries never reaches a page unescaped."""

from __future__ import annotations

from urllib.parse import quote

import pytest

from web_archive import EVIL, archive, ds  # noqa: F401  (fixtures)

ESCAPED_SCRIPT = "&lt;script&gt;alert(1)&lt;/script&gt;"


def assert_inert(html: str) -> None:
    assert "<script>alert" not in html
    assert "<img src=x" not in html
    assert "onerror=alert(2)>" not in html or "&lt;img" in html


def pages(archive) -> list[str]:
    person, evil = archive["person"], archive["evil_article"]
    q = quote(EVIL)
    return [
        "/",
        f"/archive/-/entity/{person}",
        f"/archive/-/entity/{archive['entities']['تونس']}",
        f"/archive/-/article/{evil}",
        "/archive/articles",
        f"/archive/articles?_search={q}",
        f"/archive/articles?_search={quote('تونس')}&_entity={person}",
        f"/archive/articles?_entity={q}",
        "/archive/entities",
        "/archive/article_entities",
        "/archive/mentions",
        f"/archive/search?q={q}",
        f"/archive/search?q={quote('نص')}",
        f"/archive/entity_articles?entity={person}",
        f"/archive/entity_articles?entity={q}",
        f"/archive/entities_together?entity={archive['entities']['تونس']}&type=",
        "/archive/articles_by_month",
    ]


@pytest.mark.parametrize("index", range(17))
def test_pages_escape_archive_text_and_queries(ds, archive, index):
    url = pages(archive)[index]
    response = ds.get(url)
    assert response.status_code == 200, url
    assert_inert(response.text)


def test_evil_text_is_shown_as_text(ds, archive):
    article = ds.get(f"/archive/-/article/{archive['evil_article']}").text
    assert ESCAPED_SCRIPT in article  # title and body, as text
    assert "&lt;/mark&gt;" in article
    entity = ds.get(f"/archive/-/entity/{archive['person']}").text
    assert "لطفي " + ESCAPED_SCRIPT in entity
    front = ds.get("/").text
    assert ESCAPED_SCRIPT in front
    facets = ds.get(f"/archive/articles?_entity={archive['person']}").text
    assert ESCAPED_SCRIPT in facets  # the person's name in the facet and in the filter description


def test_snippet_with_evil_query_keeps_only_marks(ds, archive):
    html = ds.get(f"/archive/search?q={quote('نص')}").text
    assert "<mark>نص</mark>" in html
    assert ESCAPED_SCRIPT in html
