"""Latin-script names → the archive's Arabic entities: phonetic keys from the rules in arshif/data/translit.tsv,
suggestions ranked by article count, measured on the hand-written pairs, and the search page that shows them and
searches the entity's articles when the Latin spelling is nowhere in the text."""

from __future__ import annotations

import shutil
import sqlite3
import sys
from pathlib import Path
from urllib.parse import quote

import pytest

from arshif.translit import NameIndex, arabic_key, is_latin, latin_key
from conftest import datasette_for
from web_archive import Client, _add_entity, archive  # noqa: F401  (fixture)

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT / "bench"))
from translit import load_pairs  # noqa: E402


@pytest.mark.parametrize("latin, arabic", [("Trump", "ترامب"), ("Lavrov", "لافروف"), ("Tunis", "تونس"),
                                           ("Kerry", "كيري"), ("Erdogan", "أردوغان"), ("Abu Dhabi", "أبوظبي"),
                                           ("Gafsa", "قفصة"), ("Iraq", "العراق"), ("Essebsi", "السبسي")])
def test_latin_and_arabic_spellings_share_a_key(latin, arabic):
    from arshif.translit import arabic_keys

    assert latin_key(latin)[0] in arabic_keys(arabic)


def test_keys_tell_names_apart():
    assert latin_key("Iraq")[0] != arabic_key("الرقة")[0]  # a name that begins with a vowel
    assert latin_key("Tunis")[0] != arabic_key("طهران")[0]


def test_is_latin():
    assert is_latin("Trump") and is_latin("Le Pen") and not is_latin("ترامب") and not is_latin("Trump ترامب")
    assert not is_latin("2016") and not is_latin("")


def test_hand_written_pairs():
    pairs = load_pairs()
    assert len(pairs) >= 100
    index = NameIndex([(n, arabic, "PER", 1) for n, (_, arabic) in enumerate(pairs)])
    at5 = sum(arabic in [s.name for s in index.suggest(latin)] for latin, arabic in pairs)
    assert at5 / len(pairs) >= 0.85, at5


def test_suggestions_are_ranked_by_article_count():
    index = NameIndex([(1, "قابس", "LOC", 5), (2, "قفصة", "LOC", 50), (3, "ترامب", "PER", 9)])
    assert [s.name for s in index.suggest("Gafsa")] == ["قفصة", "قابس"]
    assert index.suggest("Trump")[0].match == "name"


@pytest.fixture(scope="module")
def site(archive, tmp_path_factory):
    path = tmp_path_factory.mktemp("translit") / "news.db"
    shutil.copy(archive["path"], path)
    conn = sqlite3.connect(path)
    ids = {title: ident for ident, title in conn.execute("select id, title from articles")}
    trump = _add_entity(conn, {"name": "دونالد ترامب", "type": "PER", "key": "PER:trump"},
                        [ids["أخبار الجزائر"], ids["الاقتصاد في ليبيا"]])
    conn.commit()
    conn.close()
    client = Client(datasette_for(path))
    yield client, trump
    client.loop.close()


def test_search_page_suggests_and_searches_the_entity(site, archive):
    client, trump = site
    data = client.get("/news/-/search.json?q=Trump").json()
    assert data["suggestions"][0]["name"] == "دونالد ترامب" and data["suggestions"][0]["id"] == trump
    assert {r["title"] for r in data["results"]} == {"أخبار الجزائر", "الاقتصاد في ليبيا"}
    assert data["searched_entity"] == trump and data["messages"]
    tunis = client.get("/news/-/search.json?q=tunis").json()
    assert tunis["suggestions"][0]["id"] == archive["entities"]["تونس"] and tunis["total"] == 4
    html = client.get("/news/-/search?q=" + quote("Tunis")).text
    assert f'href="/news/-/entity/{archive["entities"]["تونس"]}" class="arshif-suggestion"' in html


def test_arabic_queries_get_no_latin_suggestions(site):
    client, _ = site
    assert client.get("/news/-/search.json?q=" + quote("تونس")).json()["suggestions"] == []


def test_a_person_is_found_by_one_of_their_names_most_mentioned_first():
    index = NameIndex([(1, "ترامب", "PER", 1), (2, "دونالد ترامب", "PER", 30), (3, "رجب طيب أردوغان", "PER", 7),
                       (4, "وزارة الدفاع", "ORG", 50)])
    assert [s.id for s in index.suggest("Trump")][:2] == [2, 1]
    assert index.suggest("Erdogan")[0].id == 3
    assert all(s.id != 4 for s in index.suggest("Difa"))  # organizations match by their whole name only
