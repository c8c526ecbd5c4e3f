"""Hostile requests cannot starve readers: per-client caps on requests in flight, a few shared slots for heavy
requests (``arshif.limits``: arbitrary ``?sql=``, CSV, ``_size=max``, long or prefix-only queries) under a
shorter SQL time limit, responses capped in time and size, and HTTP cache headers on the pages of immutable
archives. Refusals are 429 (this client has too many requests in flight) or 503 (the server is busy with heavy
requests), both with ``Retry-After``, in Arabic and English, as JSON for ``.json`` paths.
"""

from __future__ import annotations

import asyncio
import contextvars
import json
from collections import Counter
from urllib.parse import parse_qsl, urlencode

from datasette import hookimpl

from arshif.limits import Limits, ResponseCache, SharedResponses, Slots, default_slot_dir, is_heavy

MESSAGES = {
    429: ("طلبات كثيرة منك في الوقت نفسه: انتظر قليلاً ثم أعد المحاولة.",
          "Too many requests from you at once: wait a moment and retry."),
    503: ("الخادم مشغول بطلبات ثقيلة: أعد المحاولة بعد قليل، أو ضيّق البحث.",
          "The server is busy with heavy requests: retry shortly, or narrow the request."),
    504: ("استغرق الطلب وقتاً أطول من المسموح.", "The request took longer than allowed."),
}


#: Set (its one item made True) by a facet that had to be cut during the request: the page is then neither cached
#: here nor marked cacheable.
CUT = contextvars.ContextVar("arshif_cut", default=None)


class _Ended(Exception):
    """Raised into the app when its response was cut at the size limit."""


def refusal(status: int, path: str) -> tuple[dict, bytes]:
    """The start message and body of a refusal."""
    arabic, english = MESSAGES[status]
    if path.endswith(".json"):
        body = json.dumps({"ok": False, "status": status, "error": english, "error_ar": arabic},
                          ensure_ascii=False).encode()
        kind = b"application/json; charset=utf-8"
    else:
        body = (f'<!DOCTYPE html><html lang="ar" dir="rtl"><head><meta charset="utf-8"><title>{status}</title>'
                f'</head><body><h1>{status}</h1><p>{arabic}</p><p dir="ltr" lang="en">{english}</p></body></html>'
                ).encode()
        kind = b"text/html; charset=utf-8"
    start = {"type": "http.response.start", "status": status,
             "headers": [(b"content-type", kind), (b"retry-after", b"2"), (b"cache-control", b"no-store"),
                         (b"content-length", str(len(body)).encode())]}
    return start, body


async def send_refusal(send, status: int, path: str) -> None:
    start, body = refusal(status, path)
    await send(start)
    await send({"type": "http.response.body", "body": body})


def immutable_ttl(datasette) -> int:
    """The cache lifetime of pages when every attached database is immutable, else 0."""
    databases = [db for name, db in datasette.databases.items() if not name.startswith("_")]
    if not databases or any(db.is_mutable or db.is_memory for db in databases):
        return 0
    return int(datasette.setting("default_cache_ttl") or 0)


class Guard:
    """The ASGI middleware (one per worker process)."""

    def __init__(self, app, datasette, limits: Limits | None = None):
        self.app = app
        self.datasette = datasette
        self.limits = limits or Limits.from_env()
        self.slots = Slots(self.limits.slot_dir or default_slot_dir(), self.limits.heavy_slots)
        self.in_flight: Counter[str] = Counter()
        shared = None
        if self.limits.cache_bytes and self.limits.shared_cache_bytes and immutable_ttl(datasette):
            # the folder of the heavy slots is the server's own: its workers share it, the next run gets another
            shared = SharedResponses(self.slots.folder, self.limits.shared_cache_bytes, self.limits.cache_item_bytes)
        self.cache = ResponseCache(self.limits.cache_bytes, self.limits.cache_item_bytes, shared)
        self.heavy_in_flight: Counter[str] = Counter()

    async def __call__(self, scope, receive, send):
        if scope.get("type") != "http":
            return await self.app(scope, receive, send)
        path = scope.get("path", "")
        client = (scope.get("client") or ("unknown", 0))[0]
        query = scope.get("query_string", b"").decode("utf-8", "replace")
        heavy = is_heavy(path, query, self.limits)
        key = self._cache_key(scope)
        if key is not None:
            found = self.cache.get(key)
            if found is not None:
                status, headers, body = found
                await send({"type": "http.response.start", "status": status,
                            "headers": [*headers, (b"x-arshif-cache", b"hit")]})
                return await send({"type": "http.response.body", "body": body})
        if self.in_flight[client] >= self.limits.per_client or (
                heavy and self.heavy_in_flight[client] >= self.limits.heavy_per_client):
            return await send_refusal(send, 429, path)
        self.in_flight[client] += 1
        if heavy:
            self.heavy_in_flight[client] += 1
        slot = None
        try:
            if heavy:
                slot = await self.slots.acquire(self.limits.heavy_wait_s)
                if slot is None:
                    return await send_refusal(send, 503, path)
                scope = dict(scope, query_string=self._time_limited(query).encode("utf-8"))
            await self._run(scope, receive, send, path, key)
        finally:
            self.in_flight[client] -= 1
            if not self.in_flight[client]:
                del self.in_flight[client]
            if heavy:
                self.heavy_in_flight[client] -= 1
                if not self.heavy_in_flight[client]:
                    del self.heavy_in_flight[client]
            if slot is not None:
                Slots.release(slot)

    def _time_limited(self, query: str) -> str:
        """The query string with Datasette's ``_timelimit`` lowered to the heavy requests' limit."""
        pairs = [(k, v) for k, v in parse_qsl(query, keep_blank_values=True) if k != "_timelimit"]
        pairs.append(("_timelimit", str(self.limits.heavy_time_limit_ms)))
        return urlencode(pairs)

    def _cache_key(self, scope) -> str | None:
        """The cache key of a request whose answer may be kept: a GET of an immutable archive without cookies or
        credentials (what Datasette's pages vary on)."""
        if not self.cache.budget or scope.get("method") != "GET" or not immutable_ttl(self.datasette):
            return None
        for name, _ in scope.get("headers") or []:
            if bytes(name).lower() in (b"cookie", b"authorization"):
                return None
        return scope.get("path", "") + "?" + scope.get("query_string", b"").decode("latin-1")

    async def _run(self, scope, receive, send, path: str, key: str | None = None) -> None:
        started = asyncio.Event()
        finished = False
        sent = 0
        kept: dict = {"status": 0, "headers": [], "chunks": [], "size": 0, "ok": key is not None}
        cut = [False]
        CUT.set(cut)
        ttl = immutable_ttl(self.datasette) if scope.get("method") in ("GET", "HEAD") else 0

        async def guarded(message):
            nonlocal finished, sent
            if finished:
                return
            if message["type"] == "http.response.start":
                if cut[0]:
                    message = dict(message, headers=[(n, v) for n, v in message.get("headers") or []
                                                     if bytes(n).lower() != b"cache-control"]
                                   + [(b"cache-control", b"no-store")])
                message = self._with_cache_headers(message, ttl)
                started.set()
                if kept["ok"]:
                    headers = message.get("headers") or []
                    kept["ok"] = message.get("status") == 200 and not any(
                        bytes(name).lower() == b"set-cookie" or (bytes(name).lower() == b"cache-control"
                                                                 and b"no-store" in bytes(value))
                        for name, value in headers)
                    kept["status"], kept["headers"] = message.get("status"), list(headers)
            elif message["type"] == "http.response.body":
                chunk = message.get("body", b"")
                sent += len(chunk)
                if kept["ok"]:
                    kept["size"] += len(chunk)
                    kept["ok"] = kept["size"] <= self.cache.item_limit
                    kept["chunks"].append(chunk) if kept["ok"] else kept["chunks"].clear()
                    if kept["ok"] and not message.get("more_body", False):
                        self.cache.put(key, kept["status"], kept["headers"], b"".join(kept["chunks"]))
                if sent > self.limits.response_bytes:
                    finished = True
                    await send({"type": "http.response.body", "body": b"", "more_body": False})
                    raise _Ended
                if not message.get("more_body", False):
                    finished = True
            await send(message)

        task = asyncio.ensure_future(self.app(scope, receive, guarded))
        waiter = asyncio.ensure_future(started.wait())
        try:
            await asyncio.wait({task, waiter}, timeout=self.limits.response_start_s,
                               return_when=asyncio.FIRST_COMPLETED)
            if not started.is_set() and not task.done():
                task.cancel()
                finished = True
                return await send_refusal(send, 504, path)
            try:
                await asyncio.wait_for(asyncio.shield(task), timeout=self.limits.response_total_s)
            except asyncio.TimeoutError:
                task.cancel()
                if not finished:
                    finished = True
                    await send({"type": "http.response.body", "body": b"", "more_body": False})
            except _Ended:
                pass
        finally:
            waiter.cancel()
            if not task.done():
                task.cancel()

    @staticmethod
    def _with_cache_headers(message: dict, ttl: int) -> dict:
        """Pages of an immutable archive may be cached (``public, max-age``) unless they said otherwise; refusals
        and errors are not."""
        headers = list(message.get("headers") or [])
        names = {bytes(name).lower() for name, _ in headers}
        status = message.get("status", 200)
        if b"cache-control" not in names:
            if status == 200 and ttl and b"set-cookie" not in names:
                headers.append((b"cache-control", f"public, max-age={ttl}".encode()))
            elif status >= 400:
                headers.append((b"cache-control", b"no-store"))
        elif status == 200 and ttl:
            headers = [(name, b"public, " + value if bytes(name).lower() == b"cache-control"
                        and bytes(value).startswith(b"max-age") else value) for name, value in headers]
        return dict(message, headers=headers)


def marking_cut_facets(method):
    """A facet class's ``facet_results`` that also lists each facet it had to cut, as an empty facet with
    ``"timed_out": true`` (Datasette's JSON otherwise leaves it out without a word)."""
    async def facet_results(self):
        results, timed_out = await method(self)
        flag = CUT.get()
        if timed_out and flag is not None:
            flag[0] = True
        present = {facet.get("name") for facet in results}
        for name in timed_out:
            if name not in present:
                results.append({"name": name, "type": self.type, "timed_out": True, "results": [],
                                "hideable": False, "toggle_url": "", "truncated": False, "label": name})
        return results, timed_out

    facet_results.arshif_marks_cut = True
    return facet_results


@hookimpl
def startup(datasette):
    from datasette.plugins import pm

    for classes in pm.hook.register_facet_classes():
        for klass in classes:
            if not getattr(klass.facet_results, "arshif_marks_cut", False):
                klass.facet_results = marking_cut_facets(klass.facet_results)


@hookimpl(trylast=True)
def asgi_wrapper(datasette):
    def wrap(app):
        return Guard(app, datasette)

    return wrap
