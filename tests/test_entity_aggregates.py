"""Entity pages read what the build stores (``entity_months``, ``entity_together``, ``entity_latest``): the same
sections as computed from the link tables at request time, and a full build stores what an incremental one does
(``tests/test_build_incremental.py`` compares the three tables too)."""

from __future__ import annotations

import sqlite3

from arshif import db as archive_db
from conftest import datasette_for
from web_archive import Client, archive, ds  # noqa: F401  (fixtures)


def without_stored_tables(path, folder):
    """A copy of the archive as built before the tables were stored."""
    copy = folder / "archive.db"
    source, target = sqlite3.connect(path), sqlite3.connect(copy)
    source.backup(target)
    source.close()
    for table in ("entity_months", "entity_together", "entity_latest"):
        target.execute(f"drop table {table}")
    target.commit()
    target.close()
    return copy


def sections(data: dict):
    return (data["months"], [(row["id"], row["name"], row["type"], row["n"]) for row in data["together"]],
            [(row["id"], row["title"], row["start"], row["end"], row["snippet"]) for row in data["latest"]])


def test_stored_sections_equal_the_sections_computed_from_the_links(ds, archive, tmp_path):
    conn = sqlite3.connect(archive["path"])
    idents = [row[0] for row in conn.execute("select id from entities order by article_count desc, id")]
    conn.close()
    assert len(idents) >= 3
    old = Client(datasette_for(without_stored_tables(archive["path"], tmp_path)))
    try:
        for ident in idents:
            stored = ds.get(f"/archive/-/entity/{ident}.json").json()
            computed = old.get(f"/archive/-/entity/{ident}.json").json()
            assert stored["degraded"] == [] == computed["degraded"]
            assert sections(stored) == sections(computed)
        assert any(ds.get(f"/archive/-/entity/{ident}.json").json()["together"] for ident in idents)
    finally:
        old.loop.close()


def test_the_page_reads_the_stored_rows(ds, archive):
    """Rows changed in the stored tables (and only there) are what the page shows."""
    conn = sqlite3.connect(archive["path"])
    ident = conn.execute("select entity_id from entity_together group by entity_id order by count(*) desc"
                         " limit 1").fetchone()[0]
    stored = conn.execute("select count(*) from entity_together where entity_id = ?", (ident,)).fetchone()[0]
    months = conn.execute("select month, articles, mentions from entity_months where entity_id = ? order by month",
                          (ident,)).fetchall()
    conn.close()
    data = ds.get(f"/archive/-/entity/{ident}.json").json()
    assert len(data["together"]) == stored and [tuple(row.values()) for row in data["months"]] == months


def test_stored_tables_are_bounded_and_follow_the_link_tables(archive, tmp_path):
    """Recomputed from scratch on a copy, the tables are the same; at most the stored number per entity."""
    copy = tmp_path / "copy.db"
    source = sqlite3.connect(archive["path"])
    target = sqlite3.connect(copy)
    source.backup(target)
    source.close()
    before = {table: sorted(target.execute(f"select * from {table}").fetchall())
              for table in ("entity_months", "entity_together", "entity_latest")}
    import sqlite_utils

    target.execute("delete from entity_together")
    archive_db.rebuild_entity_pages(sqlite_utils.Database(target))
    after = {table: sorted(target.execute(f"select * from {table}").fetchall()) for table in before}
    assert after == before and before["entity_months"] and before["entity_latest"]
    most = target.execute("select max(n) from (select count(*) as n from entity_latest group by entity_id)").fetchone()[0]
    assert most <= archive_db.LATEST_STORED
    most = target.execute("select max(n) from (select count(*) as n from entity_together group by entity_id)").fetchone()[0]
    assert most <= archive_db.TOGETHER_STORED
    target.close()
