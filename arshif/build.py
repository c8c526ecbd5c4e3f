"""The build: input files to one SQLite archive, in one readable function.

Files are read in the main process; articles are analyzed and tagged in batches (in ``jobs`` worker
processes when ``jobs > 1``, or on a Dask cluster with ``scheduler``: ``arshif.distributed``); the writer, always
this process, checks duplicates, records every file's outcome, and finally recomputes entities from the stored
mentions. The archive is written to a temporary file beside the target and moved into place only when the
build succeeds. An existing archive is updated incrementally: only new and changed files are read again
(a file whose size and modification time are those recorded is not even hashed), and articles of files that
are gone are removed. An archive written with another schema version is rebuilt in full.

All SQL lives in ``arshif.db``; this module decides what to write.
"""

from __future__ import annotations

import gc
import hashlib
import multiprocessing
import os
import shutil
import sys
import time
from collections import deque
from concurrent.futures import ProcessPoolExecutor
from dataclasses import dataclass, field, replace
from functools import partial
from pathlib import Path
from typing import Callable, Iterable, Iterator, Mapping

from . import db as archive
from .model import Article, Skipped, distinct_id
from .pipeline import Processed, extractors, one_blas_thread, process, process_batch
from .readers import discover, read_path
from .text.analyze import analyze

BATCH_SIZE = 64


@dataclass
class FileOutcome:
    """What became of one input file read in this build."""

    path: str
    articles: int = 0
    duplicates: int = 0
    skips: list[tuple[str, str]] = field(default_factory=list)
    size: int | None = None
    mtime_ns: int | None = None
    sha1: str | None = None

    def row(self) -> archive.FileRow:
        reason = None
        if not self.articles and not self.duplicates:  # skipped (status itself is the schema's rule)
            reason = self.skips[0][1] if self.skips else "no articles in file"
        return archive.FileRow(self.path, self.articles, self.duplicates, len(self.skips), reason,
                               self.size, self.mtime_ns, self.sha1)


@dataclass
class Summary:
    """The figures the build reports."""

    files: int = 0
    files_built: int = 0
    files_duplicate: int = 0
    files_skipped: int = 0
    files_unchanged: int = 0
    files_hashed: int = 0
    files_removed: int = 0
    articles_added: int = 0
    duplicates: int = 0
    records_skipped: int = 0
    articles: int = 0
    entities: int = 0
    mentions: int = 0
    seconds: float = 0.0
    skipped: list[tuple[str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    def lines(self) -> list[str]:
        out = [
            f"{self.articles} articles in the archive ({self.articles_added} added, {self.duplicates} duplicates"
            f" stored once), {self.entities} entities, {self.mentions} mentions",
            f"{self.files} files: {self.files_built} built, {self.files_duplicate} duplicate,"
            f" {self.files_skipped} skipped, {self.files_unchanged} unchanged since the last build,"
            f" {self.files_removed} removed",
        ]
        out.extend(self.notes)
        if self.skipped:
            out.append(f"{len(self.skipped)} skipped (file or record: reason):")
            out.extend(f"  {path}: {reason}" for path, reason in self.skipped[:50])
            if len(self.skipped) > 50:
                out.append(f"  ... and {len(self.skipped) - 50} more (see the 'skipped' table)")
        out.append(f"{self.seconds:.1f} seconds")
        return out


def file_sha1(path: Path) -> str:
    """SHA-1 of a file's bytes."""
    digest = hashlib.sha1()
    with path.open("rb") as handle:
        for block in iter(lambda: handle.read(1 << 20), b""):
            digest.update(block)
    return digest.hexdigest()


def index_row(title: str | None, body: str) -> archive.IndexRow:
    """The index entry of an article, as ``pipeline.process`` makes it: what the contentless index needs to delete
    a stored article (``db.delete_article``)."""
    analyzed_title, analyzed_body = analyze(title), analyze(body)
    return archive.IndexRow(analyzed_title.surface, analyzed_body.surface, analyzed_title.stems, analyzed_body.stems)


def _tree_fingerprint(folder: str, extra: str = "") -> str:
    """SHA-1 of the code and data files under ``arshif/FOLDER`` (and of ``extra``)."""
    root = Path(__file__).resolve().parent / folder
    digest = hashlib.sha1(extra.encode() + b"\0")
    for path in sorted(root.rglob("*")):
        if path.is_file() and "__pycache__" not in path.parts and path.suffix != ".pyc":
            digest.update(path.relative_to(root).as_posix().encode() + b"\0" + path.read_bytes() + b"\0")
    return digest.hexdigest()


def analyzer_fingerprint() -> str:
    """SHA-1 of the analysis's code and data (``arshif/text``): what the index's terms are made with. An archive
    indexed by another analysis is rebuilt in full (its entries could not be deleted with the values they were
    made of)."""
    return _tree_fingerprint("text")


def extraction_fingerprint(ner: str) -> str:
    """SHA-1 of the entity extractors' code, models and data (``arshif/entities``) and the ``--ner`` choice: what
    the mentions are made with. An archive whose mentions another version or choice made is rebuilt in full, so
    that one article's entities are never found by other rules than its neighbour's (two rows for one name)."""
    return _tree_fingerprint("entities", ner)


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
    scheduler: str | None = None,
    batch_size: int = BATCH_SIZE,
) -> Summary:
    """Build (or update) the archive at ``db_path`` from ``inputs``; returns the summary. ``scheduler`` is the
    address of a Dask scheduler (``tcp://HOST:8786``) that analysis and tagging go to instead of local processes."""
    started = time.perf_counter()
    extractors(ner)  # fail early on a bad --ner choice or missing optional data
    target = Path(db_path)
    temporary = _temporary_path(target)
    summary = Summary()
    if target.exists() and not full:
        version = archive.schema_version(target)
        if version != archive.SCHEMA_VERSION:
            written = "not an arshif archive" if version is None else f"written with schema version {version}"
            summary.notes.append(f"{target} was {written}; this arshif writes version {archive.SCHEMA_VERSION}:"
                                 " rebuilt in full")
            full = True
    analyzer = analyzer_fingerprint()
    if target.exists() and not full and archive.info_value(target, "analyzer") != analyzer:
        summary.notes.append(f"{target} was indexed by another version of the analysis: rebuilt in full")
        full = True
    extraction = extraction_fingerprint(ner)
    if target.exists() and not full and archive.info_value(target, "extraction") != extraction:
        summary.notes.append(f"{target} found its entities with other rules or another --ner: rebuilt in full")
        full = True
    if target.exists() and not full:
        shutil.copyfile(target, temporary)
    else:
        temporary.unlink(missing_ok=True)
    try:
        db = archive.connect(temporary)
        archive.create_indexes(db)
        known = archive.known_files(db)
        todo: list[tuple[Path, archive.FileRow]] = []
        seen: set[str] = set()
        inputs = list(inputs)
        naming = input_names(inputs)
        for path in discover(inputs):
            name = naming(path)
            seen.add(name)
            summary.files += 1
            previous = known.get(name)
            try:
                stat = path.stat()
                if previous and (previous.size, previous.mtime_ns) == (stat.st_size, stat.st_mtime_ns):
                    summary.files_unchanged += 1
                    continue
                sha1 = file_sha1(path)
                summary.files_hashed += 1
            except OSError:
                todo.append((path, archive.FileRow(name, 0, 0, 0, None, 0, 0, "")))
                continue
            if previous and (previous.size, previous.sha1) == (stat.st_size, sha1):
                archive.touch_file(db, name, stat.st_mtime_ns)  # same bytes, new time: not hashed next time
                summary.files_unchanged += 1
                continue
            if previous:
                archive.remove_file(db, name, index_row)
            todo.append((path, archive.FileRow(name, 0, 0, 0, None, stat.st_size, stat.st_mtime_ns, sha1)))
        for gone in sorted(set(known) - seen):
            archive.remove_file(db, gone, index_row)
            summary.files_removed += 1

        outcomes: dict[str, FileOutcome] = {}
        batches = _batches(_articles(todo, outcomes, columns, naming), batch_size)
        sources: dict[str, int] = {}
        with db.conn:
            for done in _processed(batches, ner, jobs, scheduler, summary):
                _write(db, done, outcomes, sources, summary, progress)
            for outcome in outcomes.values():
                _record(db, outcome, summary)
            if todo or summary.files_removed or not known:
                from .entities.link import archive_remap, source_entity_key, source_remap, spellings

                archive.rebuild_entities(db, archive_remap, source_entity_key, source_remap, spellings)
                archive.rebuild_entity_pages(db)
                archive.rebuild_article_facets(db)
            archive.set_info(db, {"ner": ner, "built_at": time.strftime("%Y-%m-%dT%H:%M:%S"), "analyzer": analyzer,
                                  "extraction": extraction})
        counts = archive.counts(db)
        summary.articles, summary.entities, summary.mentions = counts["articles"], counts["entities"], counts["mentions"]
        summary.skipped = archive.skips(db)
        summary.records_skipped = len(summary.skipped)
        archive.finish(db)
        os.replace(temporary, target)
    except BaseException:
        temporary.unlink(missing_ok=True)
        raise
    summary.seconds = time.perf_counter() - started
    return summary


def _processed(batches: Iterator[list[Article]], ner: str, jobs: int, scheduler: str | None,
               summary: Summary) -> Iterator[list[Processed]]:
    """Processed batches, in the order of ``batches``: here, in ``jobs`` local processes, or on a Dask cluster."""
    work = partial(process_batch, ner=ner)
    if scheduler:
        from .distributed import dask_map

        yield from dask_map(scheduler, work, batches, summary.notes)
    elif jobs > 1:
        warm(ner)
        context = multiprocessing.get_context("fork") if "fork" in multiprocessing.get_all_start_methods() else None
        try:
            with ProcessPoolExecutor(max_workers=jobs, mp_context=context) as pool:
                yield from _bounded_map(pool, work, batches, window=2 * jobs)
        finally:
            gc.unfreeze()
    else:
        for batch in batches:
            yield work(batch)


def warm(ner: str) -> None:
    """Load every model, table and frequency list of ``ner`` now, so that forked workers share them (copy on
    write; ``gc.freeze`` keeps the collector from touching, and so copying, those pages) instead of each loading
    its own."""
    one_blas_thread()  # inherited by the forked workers
    process(Article(origin="warm-up", body="قال وزير الخارجية السعودي في الرياض إن السعودية ستشارك."), ner)
    gc.collect()
    gc.freeze()


def _articles(
    todo: list[tuple[Path, archive.FileRow]],
    outcomes: dict[str, FileOutcome],
    columns: Mapping[str, str] | None,
    naming: Callable[[Path], str] = str,
) -> Iterator[Article]:
    """Every article of the files to (re)read; skips are noted against their file as they come. Files, origins
    and skips are named by ``naming`` (relative to the input folder), never by the server's paths."""
    for path, row in todo:
        name = row.path
        outcome = outcomes[name] = FileOutcome(name, size=row.size, mtime_ns=row.mtime_ns, sha1=row.sha1)
        on_disk = str(path)
        for record in read_path(path, columns=columns):
            if isinstance(record, Skipped):
                where = name + record.path[len(on_disk):] if record.path.startswith(on_disk) else record.path
                outcome.skips.append((where, record.reason))
            else:
                if record.origin.startswith(on_disk) and name != on_disk:
                    record.relocate(name + record.origin[len(on_disk):])
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


def _write(db, done: list[Processed], outcomes: dict[str, FileOutcome], sources: dict[str, int],
           summary: Summary, progress) -> None:
    """Write processed articles. The same text reached twice is stored once, under its first origin in
    (file, position) order whatever the order of reading, so that an update equals a full build."""
    for item in done:
        article = item.article
        input_file = article.input_file
        outcome = outcomes[input_file]
        origin = archive.OriginRow("", article.origin, archive.position_stored(article.position), article.url,
                                   input_file)
        existing = archive.find_by_body_key(db, item.row.body_key)
        if existing:
            summary.duplicates += 1
            existing_id, existing_file, existing_position = existing
            if (origin.file, origin.position) >= (existing_file, existing_position):
                archive.add_origin(db, replace(origin, article_id=existing_id))
                outcome.duplicates += 1
                continue
            # this origin comes first: it becomes the stored article, the other one its duplicate
            archive.delete_article(db, existing_id, index_row)
            _demote(db, existing_file, existing_position, existing_id, outcomes)
        row, mentions = item.row, item.mentions
        if archive.article_exists(db, row.id):
            # Same url (or file and position) but a different text: keep both, under distinct ids.
            new_id = distinct_id(row.id, row.body_key)
            row = replace(row, id=new_id)
            mentions = [replace(mention, article_id=new_id) for mention in mentions]
        row.source_id = archive.source_id(db, article.source, sources)
        archive.insert_article(db, row, item.index, mentions)
        if existing:
            archive.move_origins(db, existing[0], row.id)
        archive.add_origin(db, replace(origin, article_id=row.id))
        outcome.articles += 1
        summary.articles_added += 1
    if progress:
        progress(len(done))


def _demote(db, file: str, position: int, article_id: str, outcomes: dict[str, FileOutcome]) -> None:
    """The file that held a stored article now holds a duplicate of it."""
    input_file = archive.origin_input(db, article_id, file, position)
    if input_file is None:
        return
    outcome = outcomes.get(input_file)
    if outcome is not None:  # read in this run: its row is written at the end
        outcome.articles -= 1
        outcome.duplicates += 1
    else:
        archive.shift_file_counts(db, input_file, -1)


def _record(db, outcome: FileOutcome, summary: Summary) -> None:
    skips = [archive.SkipRow(path, outcome.path, reason) for path, reason in outcome.skips]
    status = archive.record_file(db, outcome.row(), skips)
    if status == "built":
        summary.files_built += 1
    elif status == "duplicate":
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
