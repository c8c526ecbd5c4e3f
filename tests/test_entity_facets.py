"""Entity facets on articles (``_facet_entity``, metadata facets), narrowing by ``_entity``, and date facets."""

from __future__ import annotations

from urllib.parse import quote

from web_archive import archive, ds  # noqa: F401  (fixtures)

TUNIS, SOUSSE, FRANCE = "تونس", "سوسة", "فرنسا"


def facet(data: dict, name: str) -> dict[str, dict]:
    return {str(item["label"]): item for item in data["facet_results"][name]["results"]}


def test_metadata_entity_facets_count_all_articles(ds, archive):
    data = ds.get("/archive/articles.json?_size=0&_extra=facet_results").json()
    places = facet(data, "LOC")
    assert places[TUNIS]["count"] == 4 and places[SOUSSE]["count"] == 2
    assert list(places)[0] == TUNIS  # most mentioned first
    assert facet(data, "ORG")["منظمة الاختبار"]["count"] == 2
    assert data["facet_results"]["PER"]["type"] == "entity"


def test_entity_facet_with_search(ds, archive):
    data = ds.get(f"/archive/articles.json?_search={quote('سوسة')}&_size=0&_extra=facet_results").json()
    places = facet(data, "LOC")
    assert places[SOUSSE]["count"] == 2
    assert places[TUNIS]["count"] == 2  # both Sousse articles also mention Tunis
    assert FRANCE not in places
    assert "_entity=" in places[SOUSSE]["toggle_url"] and "_search=" in places[SOUSSE]["toggle_url"]


def test_entity_facet_combines_with_filters_and_column_facets(ds, archive):
    data = ds.get(f"/archive/articles.json?category=politics&_facet=source_id&_size=0&_extra=facet_results").json()
    places = facet(data, "LOC")
    assert places[TUNIS]["count"] == 2 and places[FRANCE]["count"] == 1 and SOUSSE in places
    assert "source_id" in data["facet_results"]


def test_request_facet_of_another_type(ds, archive):
    data = ds.get("/archive/articles.json?_facet_entity=MISC&_facet_entity=PER&_size=0&_extra=facet_results").json()
    assert data["facet_results"]["MISC"]["results"] == []
    assert data["facet_results"]["MISC"]["hideable"] is True
    assert len(facet(data, "PER")) == 1


def test_narrow_by_one_then_two_entities(ds, archive):
    tunis = archive["entities"][TUNIS]
    data = ds.get(f"/archive/articles.json?_entity={tunis}&_extra=facet_results,human_description_en").json()
    assert len(data["rows"]) == 4
    assert f'mentions "{TUNIS}"' in data["human_description_en"]
    places = facet(data, "LOC")
    assert places[TUNIS]["selected"] is True
    assert f"_entity={tunis}" not in places[TUNIS]["toggle_url"]  # the toggle removes it
    second = places[SOUSSE]["toggle_url"]
    assert second.count("_entity=") == 2
    both = ds.get(second.replace("http://localhost", "")).json()
    assert sorted(row[1] for row in both["rows"]) == sorted(["زيارة رسمية إلى تونس", "مهرجان في سوسة"])


def test_narrow_with_search_and_two_entities_html(ds, archive):
    tunis, france = archive["entities"][TUNIS], archive["entities"][FRANCE]
    response = ds.get(f"/archive/articles?_search={quote('وزير')}&_entity={tunis}&_entity={france}")
    assert response.status_code == 200
    html = response.text
    assert "1 row" in html and "مباحثات بين تونس وفرنسا" in html
    assert 'class="facet-info facet-archive-articles-LOC arshif-entity-facet"' in html
    assert f'href="/archive/-/entity/{tunis}"' in html  # facet values link to entity pages
    assert f'<input type="hidden" name="_entity" value="{tunis}">' in html  # kept when searching again


def test_unknown_or_malformed_entity_matches_nothing(ds, archive):
    for value in ("12345", "abc"):
        data = ds.get(f"/archive/articles.json?_entity={value}").json()
        assert data["rows"] == []


def test_facet_html_lists_entities_with_counts(ds, archive):
    html = ds.get("/archive/articles").text
    assert "أماكن · places" in html and "أشخاص · people" in html
    assert f"_entity={archive['entities'][TUNIS]}" in html


def test_suggests_missing_entity_types(ds, archive):
    data = ds.get("/archive/articles.json?_size=0&_extra=suggested_facets").json()
    # every present type already has a metadata facet, so none is suggested; MISC is absent from this archive
    assert not [s for s in data["suggested_facets"] if s.get("type") == "entity"]


def test_date_facets_by_year_and_month(ds, archive):
    data = ds.get("/archive/articles.json?_size=0&_extra=facet_results").json()
    years = {item["value"]: item["count"] for item in data["facet_results"]["year"]["results"]}
    months = {item["value"]: item["count"] for item in data["facet_results"]["month"]["results"]}
    assert years == {2016: 3, 2017: 3}
    assert months["2016-03"] == 2 and months["2017-02"] == 2
    narrowed = ds.get("/archive/articles.json?month=2016-03&_size=0&_extra=facet_results").json()
    assert facet(narrowed, "LOC")[TUNIS]["count"] == 2


def test_facet_on_other_tables_is_inert(ds, archive):
    data = ds.get("/archive/sources.json?_facet_entity=LOC&_extra=facet_results").json()
    assert "LOC" not in data["facet_results"]
