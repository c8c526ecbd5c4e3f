"""The sample article in seeds/, built with the default tagger: its people, places and organizations, each one
entity, with demonyms linked to their countries and titles kept as roles."""

from __future__ import annotations

import sqlite3

import pytest

PEOPLE = {"سيرغي لافروف", "جون كيري", "سيرغي شويغو", "فلاديمير بوتين"}
PLACES = {"سوريا", "حلب", "موسكو", "واشنطن", "روسيا", "الولايات المتحدة"}
ORGANIZATIONS = {"مجلس الأمن", "جبهة النصرة"}


@pytest.fixture(scope="module")
def conn(seed_archive):
    conn = sqlite3.connect(seed_archive)
    conn.row_factory = sqlite3.Row
    return conn


def names(conn, type_: str) -> set[str]:
    return {row["name"] for row in conn.execute("SELECT name FROM entities WHERE type = ?", (type_,))}


def test_people_places_and_organizations(conn):
    assert PEOPLE <= names(conn, "PER")
    assert PLACES <= names(conn, "LOC")
    assert ORGANIZATIONS <= names(conn, "ORG")


def test_each_person_is_one_entity_whatever_the_number_of_mentions(conn):
    for person in PEOPLE:
        surname = person.split()[-1]
        rows = conn.execute("SELECT name FROM entities WHERE type = 'PER' AND name LIKE ?", (f"%{surname}%",))
        assert [row["name"] for row in rows] == [person]
    lavrov = conn.execute("SELECT * FROM entities WHERE name = 'سيرغي لافروف'").fetchone()
    assert lavrov["mention_count"] == 2 and lavrov["alias_count"] == 2  # سيرغي لافروف, then لافروف
    aliases = {row[0] for row in conn.execute("SELECT alias FROM entity_aliases WHERE entity_id = ?", (lavrov["id"],))}
    assert aliases == {"سيرغي لافروف", "لافروف"}


def test_demonyms_link_to_their_country_as_a_distinct_kind(conn):
    def forms(country: str, kind: str) -> set[str]:
        return {row[0] for row in conn.execute(
            "SELECT DISTINCT m.surface FROM mentions m JOIN entities e ON e.id = m.entity_id"
            " WHERE e.name = ? AND m.kind = ?", (country, kind))}

    assert {"الروسي", "الروسية"} <= forms("روسيا", "demonym")
    assert "روسيا" in forms("روسيا", "name")
    assert "الأمريكي" in forms("الولايات المتحدة", "demonym")
    russia = conn.execute("SELECT demonym_count, mention_count FROM entities WHERE name = 'روسيا'").fetchone()
    assert 0 < russia["demonym_count"] < russia["mention_count"]


def test_titles_are_roles_not_names(conn):
    roles = {(row["surface"], row["role"]) for row in conn.execute(
        "SELECT surface, role FROM mentions WHERE type = 'PER' AND role IS NOT NULL")}
    assert ("سيرغي لافروف", "وزير الخارجية الروسي") in roles
    assert ("فلاديمير بوتين", "الرئيس الروسي") in roles
    assert ("سيرغي شويغو", "وزير الدفاع الروسي") in roles


def test_entity_rows_and_link_counts(conn):
    for row in conn.execute("SELECT * FROM entities"):
        assert row["name"] and row["type"] in ("PER", "LOC", "ORG", "MISC")
        assert row["article_count"] == 1 and row["alias_count"] >= 1
    syria = conn.execute("SELECT ae.mention_count FROM article_entities ae JOIN entities e ON e.id = ae.entity_id"
                         " WHERE e.name = 'سوريا'").fetchone()
    assert syria["mention_count"] >= 8
