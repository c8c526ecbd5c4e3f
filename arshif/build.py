"""The build: input files to one SQLite archive, in one readable function.

Files are read in the main process; articles are analyzed and tagged in batches (in ``jobs`` worker
processes when ``jobs > 1``); the writer checks duplicates, records every file's outcome, and finally
recomputes entities from the stored mentions. The archive is written to a temporary file beside the target
and moved into place only when the build succeeds. An existing archive is updated incrementally: only new
and changed files are read again, and articles of files that are gone are removed.
"""

from __future__ import annotations

import hashlib
from collections import deque
import os
import shutil
import sys
import time
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping

from . import db as archive
from .model import Article, Skipped, article_id
from .pipeline import Processed, extractors, process_batch
from .readers import discover, read_path

BATCH_SIZE = 64


@dataclass
class FileOutcome:
    """What became of one input file."""

    path: str
    articles: int = 0
    duplicates: int = 0
    skips: list[tuple[str, str]] = field(default_factory=list)
    size: int | None = None
    mtime_ns: int | None = None
    sha1: str | None = None

    @property
    def status(self) -> str:
        if self.articles:
            return "built"
        if self.duplicates:
            return "duplicate"
        return "skipped"

    @property
    def reason(self) -> str | None:
        if self.status == "skipped":
            return self.skips[0][1] if self.skips else "no articles in file"
        return None


@dataclass
class Summary:
    """The figures the build reports."""

    files: int = 0
    files_built: int = 0
    files_duplicate: int = 0
    files_skipped: int = 0
    files_unchanged: int = 0
    files_removed: int = 0
    articles_added: int = 0
    duplicates: int = 0
    records_skipped: int = 0
    articles: int = 0
    entities: int = 0
    mentions: int = 0
    seconds: float = 0.0
    skipped: list[tuple[str, str]] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            f"{self.articles} articles in the archive ({self.articles_added} added, {self.duplicates} duplicates"
            f" stored once), {self.entities} entities, {self.mentions} mentions",
            f"{self.files} files: {self.files_built} built, {self.files_duplicate} duplicate,"
            f" {self.files_skipped} skipped, {self.files_unchanged} unchanged since the last build,"
            f" {self.files_removed} removed",
        ]
        if self.skipped:
            out.append(f"{len(self.skipped)} skipped (file or record: reason):")
            out.extend(f"  {path}: {reason}" for path, reason in self.skipped[:50])
            if len(self.skipped) > 50:
                out.append(f"  ... and {len(self.skipped) - 50} more (see the 'skipped' table)")
        out.append(f"{self.seconds:.1f} seconds")
        return out


def _fingerprint(path: Path) -> tuple[int, int, str]:
    stat = path.stat()
    digest = hashlib.sha1()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return stat.st_size, stat.st_mtime_ns, digest.hexdigest()


def _temporary_path(target: Path) -> Path:
    for stale in target.parent.glob(f".{target.name}.building-*"):
        pid = stale.name.rsplit("-", 1)[-1]
        if pid.isdigit() and not _alive(int(pid)):
            stale.unlink(missing_ok=True)
    return target.with_name(f".{target.name}.building-{os.getpid()}")


def _alive(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return False
    except PermissionError:
        return True
    return True


def build(
    inputs: Iterable[str | Path],
    db_path: str | Path = "archive.db",
    *,
    ner: str = "default",
    jobs: int = 1,
    full: bool = False,
    columns: Mapping[str, str] | None = None,
    progress: Callable[[int], None] | None = None,
) -> Summary:
    """Build (or update) the archive at ``db_path`` from ``inputs``; returns the summary."""
    started = time.perf_counter()
    extractors(ner)  # fail early on a bad --ner choice or missing optional data
    target = Path(db_path)
    temporary = _temporary_path(target)
    if target.exists() and not full:
        shutil.copyfile(target, temporary)
    else:
        temporary.unlink(missing_ok=True)
    summary = Summary()
    try:
        db = archive.connect(temporary)
        archive.create_indexes(db)
        known = archive.known_files(db)
        todo: list[tuple[Path, tuple[int, int, str]]] = []
        seen: set[str] = set()
        inputs = list(inputs)
        naming = input_names(inputs)
        for path in discover(inputs):
            name = naming(path)
            seen.add(name)
            summary.files += 1
            try:
                fingerprint = _fingerprint(path)
            except OSError as error:
                fingerprint = (0, 0, "")
                todo.append((path, fingerprint))
                continue
            previous = known.get(name)
            if previous and (previous[0], previous[2]) == (fingerprint[0], fingerprint[2]):
                summary.files_unchanged += 1
                continue
            if previous:
                archive.remove_file(db, name)
            todo.append((path, fingerprint))
        for gone in sorted(set(known) - seen):
            archive.remove_file(db, gone)
            summary.files_removed += 1

        outcomes: dict[str, FileOutcome] = {}
        articles = _articles(todo, outcomes, columns, naming)
        batches = _batches(articles, BATCH_SIZE)
        work = partial(process_batch, ner=ner)
        sources: dict[str, int] = {}
        with db.conn:
            if jobs > 1:
                with ProcessPoolExecutor(max_workers=jobs) as pool:
                    for done in _bounded_map(pool, work, batches, window=2 * jobs):
                        _write(db, done, outcomes, sources, summary, progress)
            else:
                for batch in batches:
                    _write(db, work(batch), outcomes, sources, summary, progress)
            for outcome in outcomes.values():
                _record(db, outcome, summary)
            if todo or summary.files_removed or not known:
                archive.rebuild_entities(db)
            archive.set_info(db, {"ner": ner, "built_at": time.strftime("%Y-%m-%dT%H:%M:%S")})
        summary.articles = db["articles"].count
        summary.entities = db["entities"].count
        summary.mentions = db["mentions"].count
        summary.skipped = [
            (row[0], row[1]) for row in db.conn.execute("SELECT path, reason FROM skipped ORDER BY file, path")
        ]
        summary.records_skipped = len(summary.skipped)
        db.conn.execute("PRAGMA optimize")
        db.close()
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    summary.seconds = time.perf_counter() - started
    return summary


def _articles(
    todo: list[tuple[Path, tuple[int, int, str]]],
    outcomes: dict[str, FileOutcome],
    columns: Mapping[str, str] | None,
    naming: Callable[[Path], str] = str,
) -> Iterator[Article]:
    """Every article of the files to (re)read; skips are noted against their file as they come. Files, origins
    and skips are named by ``naming`` (relative to the input folder), never by the server's paths."""
    for path, (size, mtime_ns, sha1) in todo:
        name = naming(path)
        outcome = outcomes[name] = FileOutcome(name, size=size, mtime_ns=mtime_ns, sha1=sha1)
        on_disk = str(path)
        for record in read_path(path, columns=columns):
            if isinstance(record, Skipped):
                where = name + record.path[len(on_disk):] if record.path.startswith(on_disk) else record.path
                outcome.skips.append((where, record.reason))
            else:
                if record.origin.startswith(on_disk) and name != on_disk:
                    record.origin = name + record.origin[len(on_disk):]
                    record.id = article_id(record.url, record.origin, record.position)
                record.input_file = name
                yield record


def input_names(inputs: Iterable[str | Path]) -> Callable[[Path], str]:
    """How the archive names an input file: its path inside the folder given to the build, after that folder's
    own name (``antcorpus/localNews/x.txt``), or a file given by itself by its name; never an absolute path."""
    roots: list[tuple[Path, bool]] = []
    for item in inputs:
        try:
            resolved = Path(item).resolve()
            roots.append((resolved, resolved.is_dir()))
        except OSError:
            continue

    def name(path: Path) -> str:
        try:
            resolved = path.resolve()
        except OSError:
            return str(path)
        for root, is_dir in roots:
            if is_dir and resolved.is_relative_to(root):
                return (Path(root.name or "input") / resolved.relative_to(root)).as_posix()
            if not is_dir and resolved == root:
                return root.name
        return str(path)

    return name


def _bounded_map(pool: ProcessPoolExecutor, function, items: Iterable, window: int) -> Iterator:
    """``pool.map`` in order, with at most ``window`` items in flight (``Executor.map`` would read every input
    up front, and memory would grow with the corpus)."""
    pending: deque = deque()
    for item in items:
        pending.append(pool.submit(function, item))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _batches(items: Iterator[Article], size: int) -> Iterator[list[Article]]:
    batch: list[Article] = []
    for item in items:
        batch.append(item)
        if len(batch) >= size:
            yield batch
            batch = []
    if batch:
        yield batch


def _write(db, done: list[Processed], outcomes, sources, summary: Summary, progress) -> None:
    """Write processed articles. The same text reached twice is stored once, under its first origin in
    (file, position) order whatever the order of reading, so that an update equals a full build."""
    for item in done:
        article = item.article
        input_file = article.input_file
        outcome = outcomes[input_file]
        position = -1 if article.position is None else article.position
        existing = archive.find_by_body_key(db, item.row["body_key"])
        if existing:
            summary.duplicates += 1
            existing_id, existing_file, existing_position = existing
            if (article.origin, position) >= (existing_file, existing_position):
                archive.add_origin(db, existing_id, article.origin, article.position, article.url, input_file)
                outcome.duplicates += 1
                continue
            # this origin comes first: it becomes the stored article, the other one its duplicate
            archive.delete_article(db, existing_id)
            _demote(db, existing_file, existing_position, existing_id, outcomes)
        if archive.article_exists(db, item.row["id"]):
            # Same url (or file and position) but a different text: keep both, under distinct ids.
            new_id = hashlib.sha1(f"{item.row['id']}|{item.row['body_key']}".encode()).hexdigest()[:16]
            item.row["id"] = new_id
            for mention in item.mentions:
                mention["article_id"] = new_id
        item.row["source_id"] = archive.source_id(db, article.source, sources)
        archive.insert_article(db, item.row, item.fts, item.mentions)
        if existing:
            archive.move_origins(db, existing[0], item.row["id"])
        archive.add_origin(db, item.row["id"], article.origin, article.position, article.url, input_file)
        outcome.articles += 1
        summary.articles_added += 1
    if progress:
        progress(len(done))


def _demote(db, file: str, position: int, article_id: str, outcomes: dict[str, FileOutcome]) -> None:
    """The file that held a stored article now holds a duplicate of it."""
    row = db.conn.execute(
        "SELECT input FROM article_origins WHERE article_id = ? AND file = ? AND position = ?",
        (article_id, file, position),
    ).fetchone()
    if row is None:
        return
    outcome = outcomes.get(row[0])
    if outcome is not None:  # read in this run: its row is written at the end
        outcome.articles -= 1
        outcome.duplicates += 1
    else:
        archive.shift_file_counts(db, row[0], -1)


def _record(db, outcome: FileOutcome, summary: Summary) -> None:
    archive.record_file(
        db,
        {
            "path": outcome.path,
            "status": outcome.status,
            "articles": outcome.articles,
            "duplicates": outcome.duplicates,
            "skipped": len(outcome.skips),
            "reason": outcome.reason,
            "size": outcome.size,
            "mtime_ns": outcome.mtime_ns,
            "sha1": outcome.sha1,
        },
    )
    archive.record_skips(db, outcome.path, outcome.skips)
    if outcome.status == "built":
        summary.files_built += 1
    elif outcome.status == "duplicate":
        summary.files_duplicate += 1
    else:
        summary.files_skipped += 1


PLAIN_PROGRESS_SECONDS = 10.0


def main_progress(stream=None):
    """A progress callback and its closer: a tqdm bar on a terminal, a plain line every
    ``PLAIN_PROGRESS_SECONDS`` otherwise (so a short build prints nothing)."""
    stream = stream or sys.stderr
    if stream.isatty():
        from tqdm import tqdm

        bar = tqdm(unit=" articles", file=stream, mininterval=0.5, delay=2.0)
        return bar.update, bar.close
    started = last = time.monotonic()
    done = 0

    def update(count: int) -> None:
        nonlocal done, last
        done += count
        now = time.monotonic()
        if now - last >= PLAIN_PROGRESS_SECONDS:
            last = now
            print(f"... {done} articles processed ({done / (now - started):.0f}/s)", file=stream, flush=True)

    return update, lambda: None
