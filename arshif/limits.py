"""Bounds on the work one request can make the server do (used by ``plugins/arshif_limits.py`` and the SQL
functions of ``plugins/arshif_search.py``).

- SQL functions written in Python run outside SQLite's time limit (its progress handler only runs between
  virtual-machine steps), so each bounds its own input: at most ``MAX_FUNCTION_CHARS`` characters of text are
  analyzed; the rest is passed through as it is (escaped for HTML) or left out of a snippet's search.
- Requests are sorted into *heavy* (arbitrary ``?sql=``, CSV, ``_size=max`` or large pages, long or prefix-only
  queries, queries of one- and two-letter words only) and normal ones. Heavy requests take one of a few slots shared by all worker processes (lock files),
  run under a shorter SQL time limit, and wait for a slot only briefly before a 503 that says to retry; each
  client (by address) has a cap on requests in flight, past which it gets 429. Normal readers thus always find
  a free SQL thread.
"""

from __future__ import annotations

import asyncio
import fcntl
import os
import re
import sqlite3
import tempfile
import time
from dataclasses import asdict, dataclass
from html import escape
from pathlib import Path
from typing import Callable
from urllib.parse import parse_qsl

#: The longest text a Python SQL function analyzes (a long article is 50,000 characters).
MAX_FUNCTION_CHARS = 200_000


def bounded_text(text: str | None, limit: int = MAX_FUNCTION_CHARS) -> str | None:
    """``text`` cut to ``limit`` characters (None stays None)."""
    if text is None or not isinstance(text, str):
        return text
    return text[:limit]


def bounded_html(render: Callable[[str | None, str | None], str], limit: int = MAX_FUNCTION_CHARS):
    """A two-argument (text, query) SQL function that returns the whole text as HTML, with only its first
    ``limit`` characters analyzed and the rest escaped as it is."""
    def function(text, query):
        if not isinstance(text, str) or len(text) <= limit:
            return render(text, query)
        return render(text[:limit], query) + escape(text[limit:])

    return function


def bounded_first(function: Callable, limit: int = MAX_FUNCTION_CHARS):
    """A SQL function whose first argument (a text) is cut to ``limit`` characters before it is analyzed."""
    def bounded(text, *rest):
        return function(bounded_text(text, limit), *rest)

    return bounded


@dataclass
class Limits:
    """The request limits of one server (``ARSHIF_LIMITS`` in the environment, as JSON, overrides them)."""

    #: requests of one client in flight at once, per worker process
    per_client: int = 8
    #: heavy requests running at once across all workers
    heavy_slots: int = 1
    #: heavy requests of one client in flight at once, per worker process
    heavy_per_client: int = 2
    #: how long a heavy request waits for a slot before a 503
    heavy_wait_s: float = 3.0
    #: the SQL time limit of a heavy request (Datasette's ``_timelimit``)
    heavy_time_limit_ms: int = 500
    #: a response not started by then is answered with a 503 (the work goes on only until its SQL limit)
    response_start_s: float = 20.0
    #: a response (a stream included) is ended after this long
    response_total_s: float = 60.0
    #: a response body is ended after this many bytes
    response_bytes: int = 64 * 1024 * 1024
    #: page size (``_size``) from which a table request counts as heavy
    heavy_size: int = 200
    #: query length (``q`` or ``_search``) from which a search counts as heavy
    heavy_query_chars: int = 200
    #: the folder of the heavy slots' lock files (shared by a server's workers)
    slot_dir: str = ""
    #: bytes of finished responses kept per worker for an immutable archive (0: no cache)
    cache_bytes: int = 64 * 1024 * 1024
    #: the largest response kept in that cache
    cache_item_bytes: int = 2 * 1024 * 1024
    #: bytes of finished responses shared by all the workers of a server, on disk in ``slot_dir`` (0: none): a
    #: page one worker made is not made again by another
    shared_cache_bytes: int = 512 * 1024 * 1024

    @classmethod
    def from_env(cls) -> "Limits":
        import json

        raw = os.environ.get("ARSHIF_LIMITS")
        values = json.loads(raw) if raw else {}
        known = {key: value for key, value in values.items() if key in cls.__dataclass_fields__}
        return cls(**known)

    def to_json(self) -> str:
        import json

        return json.dumps(asdict(self))


_PREFIX_ONLY = re.compile(r"(^|\s)\S{0,2}\*")


def is_heavy(path: str, query_string: str, limits: Limits) -> bool:
    """Whether a request is one of the expensive kinds."""
    if path.endswith(".csv") or path.startswith("/-/"):
        return path.endswith(".csv")
    pairs = parse_qsl(query_string, keep_blank_values=True)
    for key, value in pairs:
        if key == "sql" or key == "_stream":
            return True
        if key == "_size":
            if value == "max" or (value.isdigit() and int(value) >= limits.heavy_size):
                return True
        if key in ("q", "_search", "_arshif_search") or key.startswith("_search_"):
            words = value.split()
            if len(value) >= limits.heavy_query_chars or _PREFIX_ONLY.search(value):
                return True
            if words and all(len(word.strip('"()')) <= 2 for word in words):
                return True  # في, من, و: words in nearly every article, a search of everything
    return False


class Slots:
    """A few slots shared by the worker processes of one server: each slot is a lock file held with ``flock``
    (released by the kernel if a worker dies)."""

    def __init__(self, folder: str | Path, count: int):
        self.folder = Path(folder)
        self.folder.mkdir(parents=True, exist_ok=True)
        self.paths = [self.folder / f"heavy-{index}.lock" for index in range(max(1, count))]

    def try_acquire(self) -> int | None:
        """A file descriptor holding a free slot, or None when every slot is taken."""
        for path in self.paths:
            fd = os.open(path, os.O_CREAT | os.O_RDWR, 0o600)
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                return fd
            except BlockingIOError:
                os.close(fd)
        return None

    async def acquire(self, wait_s: float) -> int | None:
        """Wait up to ``wait_s`` seconds for a slot."""
        deadline = time.monotonic() + wait_s
        delay = 0.005
        while True:
            fd = self.try_acquire()
            if fd is not None or time.monotonic() >= deadline:
                return fd
            await asyncio.sleep(delay)
            delay = min(delay * 2, 0.05)

    @staticmethod
    def release(fd: int) -> None:
        try:
            fcntl.flock(fd, fcntl.LOCK_UN)
        finally:
            os.close(fd)


def default_slot_dir() -> str:
    """A slot folder for a server started outside ``arshif serve`` (one per process), removed, with the response
    cache it holds, when the process ends."""
    import atexit
    import shutil

    folder = tempfile.mkdtemp(prefix="arshif-slots-")
    atexit.register(shutil.rmtree, folder, True)
    return folder


#: What a page says of a section it could not compute in time (Arabic · English).
DEGRADED = {
    "aliases": "لم يتسع الوقت لعرض الصيغ المكتوبة. · No time to list the written forms.",
    "months": "لم يتسع الوقت لرسم الإشارات حسب الشهر. · No time to draw the monthly timeline.",
    "together": "لم يتسع الوقت لحساب من يُذكر معه. · No time to count who is mentioned with it.",
    "latest": "لم يتسع الوقت لعرض أحدث المقالات. · No time to list the latest articles.",
}


def fetch_rows(conn, sql: str, params) -> list:
    """The rows of one statement on a connection (raises ``sqlite3.OperationalError('interrupted')`` past the
    time limit)."""
    return conn.execute(sql, params).fetchall()


async def statements(db, queries: dict[str, tuple[str, list]], time_limit_ms: int | None = None) -> dict:
    """The rows of several short statements, run in one trip to a SQL thread (a page's lookups do not each wait
    behind the slow statements of other readers), each under the SQL time limit: ``{name: rows}``, or
    ``{name: QueryInterrupted}`` for a statement that ran out of time."""
    from datasette.database import QueryInterrupted
    from datasette.utils import sqlite_timelimit

    limit = db.ds.sql_time_limit_ms
    if time_limit_ms and time_limit_ms < limit:
        limit = time_limit_ms

    def run(conn) -> dict:
        found = {}
        for name, (sql, params) in queries.items():
            with sqlite_timelimit(conn, limit):
                try:
                    found[name] = fetch_rows(conn, sql, params)
                except sqlite3.OperationalError as error:
                    if error.args != ("interrupted",):
                        raise
                    found[name] = QueryInterrupted(error, sql, params)
        return found

    return await db.execute_fn(run)


async def lookups(db, queries: dict[str, tuple[str, list]]) -> dict[str, list]:
    """The rows of a page's statements, all of which it needs (one trip, as ``statements``): a statement out of
    time raises its ``QueryInterrupted``."""
    found = await statements(db, queries)
    for rows in found.values():
        if isinstance(rows, Exception):
            raise rows
    return found


async def sections(db, queries: dict[str, tuple[str, list]], degraded: list[dict],
                   time_limit_ms: int | None = None, required: tuple[str, ...] = ()) -> dict[str, list]:
    """The rows of each section of a page (one trip, as ``statements``), or none with ``degraded`` told why
    when its statement ran out of time: one slow section never turns the page into an error. A ``required``
    statement out of time raises its ``QueryInterrupted`` (the page cannot be shown without it)."""
    found = await statements(db, queries, time_limit_ms)
    for name, rows in found.items():
        if isinstance(rows, Exception) and name in required:
            raise rows
        if isinstance(rows, Exception):
            degraded.append({"section": name, "message": DEGRADED.get(name, name)})
            found[name] = []
    return found


class SharedResponses:
    """Finished responses of an immutable archive shared by the worker processes of one server: a diskcache
    (SQLite and files) in the server's own folder, made for the run, so it never outlives the files served. The
    oldest stored go first past the byte budget. A cache that cannot be read or written is skipped, never an
    error for the reader."""

    def __init__(self, folder: str | Path, budget: int, item_limit: int):
        import diskcache

        self.item_limit = item_limit
        self.store = diskcache.Cache(str(Path(folder) / "responses"), size_limit=budget, timeout=0.05,
                                     eviction_policy="least-recently-stored", statistics=False)

    def get(self, key: str):
        try:
            found = self.store.get(key)
        except Exception:  # a locked or damaged cache is no cache
            found = None
        return found  # (status, headers, body), the headers as put: (bytes, bytes) pairs

    def put(self, key: str, status: int, headers: list, body: bytes) -> None:
        if len(body) > self.item_limit:
            return
        try:
            self.store.add(key, (status, [(bytes(n), bytes(v)) for n, v in headers], body))
        except Exception:
            pass


class ResponseCache:
    """Finished responses of an immutable archive, least recently used first out, within a byte budget; behind it
    (``shared``), the responses that every worker of the server keeps."""

    def __init__(self, budget: int, item_limit: int, shared: SharedResponses | None = None):
        from collections import OrderedDict

        self.budget, self.item_limit = budget, item_limit
        self.items: "OrderedDict[str, tuple[int, list, bytes]]" = OrderedDict()
        self.size = 0
        self.shared = shared

    def get(self, key: str):
        found = self.items.get(key)
        if found is None and self.shared is not None:
            found = self.shared.get(key)
            if found is not None:
                self._keep(key, *found)
        if found is None:
            return None
        self.items.move_to_end(key)
        return found

    def put(self, key: str, status: int, headers: list, body: bytes) -> None:
        if not self.budget or len(body) > self.item_limit or key in self.items:
            return
        self._keep(key, status, headers, body)
        if self.shared is not None:
            self.shared.put(key, status, headers, body)

    def _keep(self, key: str, status: int, headers: list, body: bytes) -> None:
        self.items[key] = (status, headers, body)
        self.size += len(body)
        while self.size > self.budget and self.items:
            _, (_, _, old) = self.items.popitem(last=False)
            self.size -= len(old)
