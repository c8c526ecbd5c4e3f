"""The source that publishes an archive's articles is an organization: one entity, linked from ``sources``."""

from __future__ import annotations

import json
import re
import sqlite3

from arshif.build import build
from arshif.entities.link import source_entity_key, source_remap
from arshif.entities.orgs import publisher
from conftest import datasette_for
from web_archive import Client


def test_publishers_by_slug_and_by_arabic_name():
    assert publisher("okaz") == publisher("OKAZ") == "عكاظ"
    assert publisher("Jawhara FM") == "جوهرة أف أم"
    assert publisher("صحيفة عكاظ") == "عكاظ"  # an Arabic source name is looked up in the organizations
    assert publisher("some blog") is None
    assert source_entity_key("aawsat") == "ORG:صحيفه الشرق الاوسط"


def test_each_source_links_to_the_organization_its_articles_name(tmp_path):
    articles = [
        {"url": "http://okaz.example/1", "source": "okaz", "title": "خبر",
         "content": "ذكرت صحيفة عكاظ أن الأمير وصل إلى جدة أمس."},
        {"url": "http://okaz.example/2", "source": "okaz", "title": "خبر آخر",
         "content": "وقالت مصادر لجريدة عكاظ إن الاجتماع انتهى في الرياض."},
        {"url": "http://blog.example/1", "source": "a blog", "title": "تدوينة",
         "content": "كتب المدون عن رحلته إلى القاهرة."},
    ]
    (tmp_path / "in.json").write_text(json.dumps(articles, ensure_ascii=False), "utf-8")
    build([tmp_path / "in.json"], tmp_path / "a.db", ner="gazetteer")
    conn = sqlite3.connect(tmp_path / "a.db")
    linked = dict(conn.execute(
        "SELECT s.name, e.name || ' ' || e.type FROM sources s LEFT JOIN entities e ON e.id = s.entity_id"))
    assert linked == {"okaz": "عكاظ ORG", "a blog": None}
    (mentions,) = conn.execute("SELECT mention_count FROM entities e JOIN sources s ON s.entity_id = e.id").fetchone()
    assert mentions == 2
    # the article page names the publisher and links to its entity page
    (article_id, entity_id) = conn.execute(
        "SELECT a.id, s.entity_id FROM articles a JOIN sources s ON s.id = a.source_id WHERE s.name = 'okaz'").fetchone()
    client = Client(datasette_for(tmp_path / "a.db"))
    try:
        html = client.get(f"/a/-/article/{article_id}").text
        assert re.search(rf'<a href="/a/-/entity/{entity_id}" class="arshif-publisher"[^>]*>عكاظ</a>', html)
        assert client.get(f"/a/-/article/{article_id}.json").json()["publisher_url"] == f"/a/-/entity/{entity_id}"
    finally:
        client.loop.close()


def test_the_publishers_short_name_is_the_publisher_in_its_own_archive():
    remap = source_remap(["alweeam", "a blog"])
    assert remap["ORG:الوئام"] == remap["ORG:موقع الوئام"] == "ORG:صحيفه الوئام"
    assert "ORG:صحيفه الوئام" not in remap
    assert "ORG:الوئام" not in source_remap(["okaz"])  # another archive: الوئام is only a word
    assert "ORG:الرياض" not in source_remap(["alriyadh"])  # the city's name is no alias of the paper
