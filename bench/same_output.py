"""Are two archives the same build output? Compares, row for row, what a performance change must not alter.

    .venv/bin/python bench/same_output.py A.db B.db

Compared exactly (every column, every row): ``articles`` (all columns), ``mentions``, ``entities``,
``entity_aliases``, ``article_entities`` and the full-text index (``articles_fts``: every term of every row, with
its column and position). Build timings in ``build_info`` are not compared. Prints the first differences of each table
and exits 1 when the archives differ, 0 when they are the same.
"""

from __future__ import annotations

import sqlite3
import sys

TABLES = ("articles", "mentions", "entities", "entity_aliases", "article_entities", "articles_fts")


def table_rows(conn: sqlite3.Connection, table: str) -> list[tuple] | None:
    exists = conn.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (table,)).fetchone()
    if not exists:
        return None
    if table == "articles_fts":
        # the index is contentless: every term of every row, with its column and position
        conn.execute("CREATE VIRTUAL TABLE IF NOT EXISTS temp.fts_terms USING fts5vocab(main, articles_fts, instance)")
        return sorted(conn.execute("SELECT doc, term, col, offset FROM temp.fts_terms").fetchall(), key=repr)
    return sorted(conn.execute(f"SELECT * FROM {table}").fetchall(), key=repr)


def differences(first: str, second: str, shown: int = 3) -> list[str]:
    """Lines describing how the two archives differ (empty when the same)."""
    a, b = sqlite3.connect(first), sqlite3.connect(second)
    problems: list[str] = []
    try:
        for table in TABLES:
            rows_a, rows_b = table_rows(a, table), table_rows(b, table)
            if rows_a is None and rows_b is None:
                continue
            if rows_a is None or rows_b is None:
                problems.append(f"{table}: only in {'the second' if rows_a is None else 'the first'} archive")
                continue
            if rows_a == rows_b:
                continue
            set_a, set_b = set(rows_a), set(rows_b)
            only_a, only_b = sorted(set_a - set_b, key=repr), sorted(set_b - set_a, key=repr)
            problems.append(f"{table}: {len(rows_a)} vs {len(rows_b)} rows; {len(only_a)} only in the first,"
                            f" {len(only_b)} only in the second")
            problems.extend(f"  first:  {row!r:.300}" for row in only_a[:shown])
            problems.extend(f"  second: {row!r:.300}" for row in only_b[:shown])
    finally:
        a.close()
        b.close()
    return problems


def main() -> int:
    if len(sys.argv) != 3:
        print(__doc__, file=sys.stderr)
        return 2
    problems = differences(sys.argv[1], sys.argv[2])
    if problems:
        print("DIFFERENT")
        print("\n".join(problems))
        return 1
    counts = {table: len(table_rows(sqlite3.connect(sys.argv[1]), table) or []) for table in TABLES}
    print("same: " + ", ".join(f"{count} {table}" for table, count in counts.items()))
    return 0


if __name__ == "__main__":
    sys.exit(main())
