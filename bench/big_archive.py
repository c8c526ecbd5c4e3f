"""Make a large archive for benchmarks by repeating the articles of a real one under new ids.

    python bench/big_archive.py SOURCE.db TARGET.db --articles 100000

Each copy k of an article gets id ``<id>-k``, its own entry in the full-text index (the source's articles analyzed
once, as the build analyzes them: the index is contentless), and its own mentions and entity links, so that
search, facets and entity pages see 100,000 distinct articles built from real text. Counts of entities and
sources, and what entity pages show, are then recomputed as the build does.
"""

from __future__ import annotations

import argparse
import sqlite3
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

from arshif import db as archive  # noqa: E402
from arshif.build import analyzer_fingerprint, index_row  # noqa: E402
from arshif.entities.link import archive_remap  # noqa: E402

STRIDE = 10_000_000


def make(source: Path, target: Path, articles: int) -> int:
    target.unlink(missing_ok=True)
    db = archive.connect(target)
    conn = db.conn
    conn.execute("ATTACH DATABASE ? AS src", (str(source),))
    have = conn.execute("SELECT count(*) FROM src.articles").fetchone()[0]
    if not have:
        raise SystemExit(f"{source} has no articles")
    columns = [row[1] for row in conn.execute("PRAGMA src.table_info(articles)") if row[1] != "id"]
    names = ", ".join(f'"{c}"' for c in columns)
    conn.execute("INSERT INTO sources (id, name, article_count) SELECT id, name, article_count FROM src.sources")
    copies = -(-articles // have)
    # the index is contentless: each source article analyzed once, as the build indexes it, then entered per copy
    index = [(rowid, *archive.astuple(index_row(title, body)))
             for rowid, title, body in conn.execute("SELECT rowid, title, body FROM src.articles ORDER BY rowid")]
    with conn:
        for k in range(copies):
            remaining = articles - k * have
            if remaining <= 0:
                break
            limit = min(have, remaining)
            suffix = "" if k == 0 else f"-{k}"
            conn.execute(
                f"INSERT INTO articles (rowid, id, {names}) SELECT ? + rowid, id || ?, {names}"
                " FROM src.articles ORDER BY rowid LIMIT ?",
                (k * STRIDE, suffix, limit),
            )
            conn.executemany(
                "INSERT INTO articles_fts (rowid, title, body, title_stems, body_stems) VALUES (?, ?, ?, ?, ?)",
                ((k * STRIDE + rowid, *entry) for rowid, *entry in index[:limit]),
            )
            conn.execute(
                'INSERT INTO mentions (article_id, start, "end", surface, type, kind, role, name, "full", article_key)'
                ' SELECT m.article_id || ?, m.start, m."end", m.surface, m.type, m.kind, m.role, m.name, m."full",'
                " m.article_key"
                " FROM src.mentions m WHERE m.article_id IN (SELECT id FROM src.articles ORDER BY rowid LIMIT ?)",
                (suffix, limit),
            )
            conn.execute(
                "INSERT INTO article_origins (article_id, file, position, url, input)"
                " SELECT o.article_id || ?, o.file || ?, o.position, o.url, o.input FROM src.article_origins o"
                " WHERE o.article_id IN (SELECT id FROM src.articles ORDER BY rowid LIMIT ?)",
                (suffix, suffix, limit),
            )
        conn.execute("INSERT INTO build_files (path, articles, duplicates, skipped, reason, size, mtime_ns, sha1)"
                     " SELECT path, articles, duplicates, skipped, reason, size, mtime_ns, sha1 FROM src.build_files")
        archive.create_indexes(db)
        archive.rebuild_entities(db, archive_remap)
        archive.rebuild_entity_pages(db)
        archive.rebuild_article_facets(db)
        archive.set_info(db, {"analyzer": analyzer_fingerprint(), "made_by": "bench/big_archive.py"})
    count = conn.execute("SELECT count(*) FROM articles").fetchone()[0]
    conn.execute("DETACH DATABASE src")
    db.close()
    return count


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("source", type=Path)
    parser.add_argument("target", type=Path)
    parser.add_argument("--articles", type=int, default=100_000)
    args = parser.parse_args()
    started = time.perf_counter()
    count = make(args.source, args.target, args.articles)
    print(f"{args.target}: {count} articles from {args.source} in {time.perf_counter() - started:.1f} s")


if __name__ == "__main__":
    main()
