"""The real server: `arshif serve` on 127.0.0.1, queried over HTTP as a user's script would."""

from __future__ import annotations

import json
import urllib.parse
import urllib.request

import pytest

from arshif.serving import background_server


@pytest.fixture(scope="module")
def server(seed_archive):
    with background_server(seed_archive) as base:
        yield base


def get_json(url: str):
    with urllib.request.urlopen(url, timeout=10) as response:
        assert response.status == 200
        return json.loads(response.read())


def test_search_over_http(server):
    query = urllib.parse.urlencode({"_search": "الرَّئيسُ", "_shape": "array"})
    rows = get_json(f"{server}/archive/articles.json?{query}")
    assert len(rows) == 1 and rows[0]["source_id"]
    canned = get_json(f"{server}/archive/search.json?" + urllib.parse.urlencode({"q": "ســوريا", "_shape": "array"}))
    assert len(canned) == 1 and json.loads(canned[0]["highlights"])


def test_server_binds_to_loopback_only(server):
    assert server.startswith("http://127.0.0.1:")


def test_html_pages_are_served_with_rtl_stylesheet(server):
    with urllib.request.urlopen(f"{server}/archive/articles", timeout=10) as response:
        html = response.read().decode()
    assert "/-/arshif.css" in html
    with urllib.request.urlopen(f"{server}/-/arshif.css", timeout=10) as response:
        assert "unicode-bidi: plaintext" in response.read().decode()


def test_readme_curl_examples_run_against_the_quickstart_archive(server):
    from test_readme import curl_urls

    for url in curl_urls():
        data = get_json(url.replace("http://127.0.0.1:8001", server))
        assert data, url
        if "_shape=array" in url:
            assert isinstance(data, list) and data, url
