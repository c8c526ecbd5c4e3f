"""Serving the public (issue 11): bounded SQL functions, pages that degrade instead of failing, facets marked
when cut, limits on heavy requests and on each client, cache headers, ``base_url``."""

from __future__ import annotations

import asyncio
import json
import sqlite3
from html import escape
from urllib.parse import quote

import pytest
from datasette.database import Database, QueryInterrupted

from arshif import limits
from arshif.limits import MAX_FUNCTION_CHARS, Limits, Slots, is_heavy
from arshif.query import MAX_CLAUSES, parse
from conftest import datasette_for


def served(path, **settings) -> Client:
    """A client of the archive at ``path`` configured as `arshif serve` configures it, with these settings."""
    from arshif.cli import SETTINGS

    instance = datasette_for(path)
    instance._settings.update({**SETTINGS, **settings})
    return Client(instance)
from web_archive import Client, archive, ds  # noqa: F401  (fixtures)

TUNIS = "تونس"
NOISE = "".join(chr(0x0621 + (i * 7) % 40) + ("*" if i % 11 == 0 else "") + (" " if i % 5 == 0 else "")
                + ('"' if i % 13 == 0 else "") + ("(" if i % 17 == 0 else "") for i in range(2000))[:2000]


def run_sql(ds, sql: str, params=None):
    return ds.loop.run_until_complete(ds.datasette.get_database("archive").execute(sql, params or []))


def test_highlight_analyzes_at_most_its_bound_and_keeps_the_rest_as_text(ds):
    text = f"{TUNIS} " * (MAX_FUNCTION_CHARS // len(f"{TUNIS} ") + 10_000)
    html = run_sql(ds, "select arshif_highlight(?, ?) as h", [text, TUNIS]).first()["h"]
    assert "<mark>" in html[:1000]
    marks, analyzed = html.count("<mark>"), text[:MAX_FUNCTION_CHARS].count(TUNIS)
    assert analyzed - 1 <= marks <= analyzed < text.count(TUNIS)  # the words past the bound are not marked
    assert html.endswith(escape(text[-100:]))  # the whole text is there, the tail unmarked
    assert html.replace("<mark>", "").replace("</mark>", "") == escape(text)


def test_snippet_functions_bound_their_text(ds):
    far = "كلمة " * (MAX_FUNCTION_CHARS // 5 + 1000) + TUNIS
    row = run_sql(ds, "select arshif_snippet_highlights(?, ?) as h, arshif_snippet_text(?, ?) as t,"
                      " arshif_normalize(?) as n, arshif_analyze(?) as a",
                  [far, TUNIS, far, TUNIS, far, far]).first()
    assert json.loads(row["h"]) == []  # the name lies past the bound: not searched for
    assert TUNIS not in row["t"]
    assert len(row["n"]) <= MAX_FUNCTION_CHARS and len(row["a"]) <= MAX_FUNCTION_CHARS
    near = "كلمة " * 100 + TUNIS
    assert json.loads(run_sql(ds, "select arshif_snippet_highlights(?, ?) as h", [near, TUNIS]).first()["h"])


def most_frequent(ds) -> int:
    return run_sql(ds, "select id from entities order by article_count desc limit 1").first()["id"]


def test_entity_page_degrades_when_a_section_runs_out_of_time(ds, monkeypatch):
    original = limits.fetch_rows

    def slow_together(conn, sql, params):
        if "entity_together" in sql or "ae2" in sql:  # the co-mentions ("together") query, stored or live
            raise sqlite3.OperationalError("interrupted")  # what SQLite's time limit raises
        return original(conn, sql, params)

    monkeypatch.setattr(limits, "fetch_rows", slow_together)
    ident = most_frequent(ds)
    page = ds.get(f"/archive/-/entity/{ident}")
    assert page.status_code == 200
    assert 'data-section="together"' in page.text and "لم يتسع الوقت لحساب من يُذكر معه" in page.text
    assert "أحدث المقالات" in page.text and "<mark>" in page.text  # the other sections are there
    assert page.headers["cache-control"] == "no-store"
    data = ds.get(f"/archive/-/entity/{ident}.json").json()
    assert [part["section"] for part in data["degraded"]] == ["together"]
    assert data["together"] == [] and data["latest"] and data["months"]


def test_entity_page_of_the_most_frequent_entity_under_a_tiny_time_limit(archive):
    client = served(archive["path"], sql_time_limit_ms=1)
    try:
        ident = run_sql(client, "select id from entities order by article_count desc limit 1").first()["id"]
        for suffix in ("", ".json"):
            response = client.get(f"/archive/-/entity/{ident}{suffix}")
            assert response.status_code == 200
        data = response.json()
        for part in data["degraded"]:
            assert data[part["section"]] == [] and part["message"]
    finally:
        client.loop.close()


def test_table_facets_that_run_out_of_time_say_so(ds, monkeypatch):
    original = Database.execute

    async def slow_entities(self, sql, *args, **kwargs):
        if "arshif_type_" in sql or "entity_ids" in sql:  # the statement that counts entities
            raise QueryInterrupted(Exception("interrupted"), sql, args[0] if args else None)
        return await original(self, sql, *args, **kwargs)

    monkeypatch.setattr(Database, "execute", slow_entities)
    url = f"/archive/articles.json?_search={quote(TUNIS)}&_facet_entity=PER&_facet_entity=LOC&_facet=source_id"
    data = ds.get(url).json()
    cut = {name for name, facet in data["facet_results"].items() if facet.get("timed_out")}
    assert {"PER", "LOC"} <= cut and "source_id" not in cut
    assert data["facet_results"]["PER"]["results"] == [] and data["facet_results"]["source_id"]["results"]
    html = ds.get(url.replace("articles.json", "articles"))
    assert "لم يتسع الوقت لحساب هذه الفئات" in html.text and "PER" in html.text
    assert html.headers["cache-control"] == "no-store"  # a page with a cut facet is not kept


def test_search_page_json_names_the_facets_it_cut(ds, monkeypatch):
    original = Database.execute

    async def slow_facets(self, sql, *args, **kwargs):
        if "entity_sample" in sql:  # the facets with entities; the retry without them succeeds
            raise QueryInterrupted(Exception("interrupted"), sql, args[0] if args else None)
        return await original(self, sql, *args, **kwargs)

    monkeypatch.setattr(Database, "execute", slow_facets)
    data = ds.get(f"/archive/-/search.json?q={quote(TUNIS)}").json()
    assert data["facets_timed_out"] == ["PER", "LOC", "ORG"]
    assert data["total"] and data["messages"]
    monkeypatch.setattr(Database, "execute", original)
    assert ds.get(f"/archive/-/search.json?q={quote(TUNIS)}").json()["facets_timed_out"] == []


def test_a_noise_query_is_bounded_and_answers(ds):
    assert len(NOISE) == 2000
    query = parse(NOISE)
    assert len(query.groups) + len(query.excluded) <= MAX_CLAUSES
    assert is_heavy("/archive/-/search.json", "q=" + quote(NOISE), Limits())
    for url in (f"/archive/-/search.json?q={quote(NOISE)}", f"/archive/-/search?q={quote(NOISE)}",
                f"/archive/articles.json?_search={quote(NOISE)}"):
        assert ds.get(url).status_code == 200, url


def test_heavy_requests_are_recognised():
    limits = Limits()
    heavy = ["/archive.json?sql=select+1", "/archive/articles.csv?_search=x", "/archive/articles.json?_size=max",
             "/archive/articles.json?_size=500", "/archive/-/search?q=%D8%A7*", "/archive/articles.json?_stream=on",
             "/archive/articles?_search=%D9%81%D9%8A"]  # في: nearly every article
    normal = ["/archive/articles.json?_size=20", "/archive/-/search?q=%D8%B3%D9%88%D8%B1%D9%8A%D8%A7",
              "/archive/-/entity/1", "/-/arshif.css", "/archive/search.json?q=%D8%AD%D9%84%D8%A8"]
    for url in heavy:
        path, _, query = url.partition("?")
        assert is_heavy(path, query, limits), url
    for url in normal:
        path, _, query = url.partition("?")
        assert not is_heavy(path, query, limits), url


def test_slots_are_shared_through_lock_files(tmp_path):
    first, second = Slots(tmp_path, 1), Slots(tmp_path, 1)  # as two worker processes see them
    held = first.try_acquire()
    assert held is not None and second.try_acquire() is None
    Slots.release(held)
    again = second.try_acquire()
    assert again is not None
    Slots.release(again)


async def until(condition, steps: int = 100_000) -> None:
    """Let the event loop run until ``condition()`` holds (a bounded number of turns, never a wall-clock wait)."""
    for _ in range(steps):
        if condition():
            return
        await asyncio.sleep(0)
    raise AssertionError("the requests never reached the app")


class Gate:
    """An ASGI app that answers once it is let through, to hold requests in flight."""

    def __init__(self, body: bytes = b"ok", chunks: int = 1):
        self.open = asyncio.Event()
        self.started = 0
        self.body, self.chunks = body, chunks

    async def __call__(self, scope, receive, send):
        self.started += 1
        await self.open.wait()
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        for index in range(self.chunks):
            await send({"type": "http.response.body", "body": self.body, "more_body": index < self.chunks - 1})


class FakeDatasette:
    """An immutable archive, as far as the guard asks."""

    databases: dict = {"archive": type("Db", (), {"is_mutable": False, "is_memory": False})()}

    def setting(self, name):
        return 3600


def guard(app, tmp_path, **limits):
    import importlib.util
    from pathlib import Path

    spec = importlib.util.spec_from_file_location(
        "arshif_limits_plugin", Path(__file__).resolve().parents[1] / "plugins" / "arshif_limits.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module.Guard(app, FakeDatasette(), Limits(slot_dir=str(tmp_path), **limits))


async def call(app, path: str, query: str = "", client: str = "127.0.0.2",
               headers: list | None = None) -> tuple[int, dict, bytes]:
    sent: list[dict] = []

    async def receive():
        return {"type": "http.request", "body": b"", "more_body": False}

    async def send(message):
        sent.append(message)

    await app({"type": "http", "method": "GET", "path": path, "query_string": query.encode(),
               "client": (client, 1234), "headers": headers or []}, receive, send)
    start = next(m for m in sent if m["type"] == "http.response.start")
    body = b"".join(m.get("body", b"") for m in sent if m["type"] == "http.response.body")
    return start["status"], {k.decode(): v.decode() for k, v in start["headers"]}, body


def test_each_client_has_a_cap_on_requests_in_flight(tmp_path):
    async def scenario():
        gate = Gate()
        app = guard(gate, tmp_path, per_client=2)
        waiting = [asyncio.ensure_future(call(app, "/archive/-/search.json")) for _ in range(2)]
        await until(lambda: gate.started >= 2)
        refused = await call(app, "/archive/-/search.json")
        other = asyncio.ensure_future(call(app, "/archive/-/search.json", client="127.0.0.3"))
        await until(lambda: gate.started >= 3)
        gate.open.set()
        return refused, await asyncio.gather(*waiting, other)

    refused, answered = asyncio.run(scenario())
    assert refused[0] == 429 and refused[1]["retry-after"] and json.loads(refused[2])["error_ar"]
    assert [status for status, _, _ in answered] == [200, 200, 200]


def test_heavy_requests_wait_for_a_slot_then_get_503(tmp_path):
    async def scenario():
        gate = Gate()
        app = guard(gate, tmp_path, heavy_slots=1, heavy_wait_s=0.05)
        first = asyncio.ensure_future(call(app, "/archive.json", "sql=select+1"))
        await until(lambda: gate.started >= 1)
        busy = await call(app, "/archive.json", "sql=select+2", client="127.0.0.9")
        normal = asyncio.ensure_future(call(app, "/archive/-/search", "q=%D8%AD%D9%84%D8%A8", client="127.0.0.9"))
        await until(lambda: gate.started >= 2)
        gate.open.set()
        return busy, await first, await normal

    busy, first, normal = asyncio.run(scenario())
    assert busy[0] == 503 and json.loads(busy[2])["status"] == 503 and busy[1]["cache-control"] == "no-store"
    assert first[0] == 200 and normal[0] == 200


def test_heavy_requests_run_under_a_shorter_sql_time_limit(tmp_path):
    seen = []

    async def app(scope, receive, send):
        seen.append(scope["query_string"].decode())
        await send({"type": "http.response.start", "status": 200, "headers": []})
        await send({"type": "http.response.body", "body": b""})

    asyncio.run(call(guard(app, tmp_path, heavy_time_limit_ms=300), "/archive.json", "sql=select+1&_timelimit=9000"))
    assert seen == ["sql=select%2B1&_timelimit=300"] or seen == ["sql=select+1&_timelimit=300"]


def test_responses_are_capped_in_size_and_start_time(tmp_path):
    async def scenario():
        big = Gate(body=b"x" * 1000, chunks=50)
        big.open.set()
        capped = await call(guard(big, tmp_path, response_bytes=5000), "/archive/articles.csv")
        never = Gate()
        late = await call(guard(never, tmp_path / "b", response_start_s=0.05), "/archive/-/search.json")
        return capped, late

    capped, late = asyncio.run(scenario())
    assert capped[0] == 200 and len(capped[2]) <= 5000
    assert late[0] == 504 and json.loads(late[2])["status"] == 504


def test_immutable_pages_carry_cache_headers(archive, tmp_path):
    import shutil

    path = tmp_path / "archive.db"
    shutil.copy(archive["path"], path)
    from datasette.app import Datasette
    from conftest import ROOT

    client = Client(Datasette(immutables=[str(path)], plugins_dir=str(ROOT / "plugins"),
                              template_dir=str(ROOT / "templates"), settings={"default_cache_ttl": 600}))
    try:
        for url in (f"/archive/-/search?q={quote(TUNIS)}", "/archive/articles.json", "/-/arshif.css"):
            response = client.get(url)
            assert response.status_code == 200
            assert response.headers["cache-control"].startswith("public, max-age="), url
        assert client.get("/archive/articles.json").headers["cache-control"] == "public, max-age=600"
        assert client.get("/archive/-/entity/1").headers["cache-control"] == "no-store"  # a 404
    finally:
        client.loop.close()


def test_the_workers_of_a_server_share_finished_pages(tmp_path):
    calls = []

    async def app(scope, receive, send):
        calls.append(scope["path"])
        await send({"type": "http.response.start", "status": 200, "headers": [(b"content-type", b"text/plain")]})
        await send({"type": "http.response.body", "body": b"page " + scope["path"].encode()})

    async def scenario():
        one, two = guard(app, tmp_path), guard(app, tmp_path)  # two workers: one slot folder
        first = await call(one, "/archive/-/entity/1")
        again = await call(two, "/archive/-/entity/1")
        alone = await call(guard(app, tmp_path, shared_cache_bytes=0), "/archive/-/entity/2")
        other = await call(guard(app, tmp_path, shared_cache_bytes=0), "/archive/-/entity/2")
        return first, again, alone, other

    first, again, alone, other = asyncio.run(scenario())
    assert first[2] == again[2] == b"page /archive/-/entity/1" and again[1]["x-arshif-cache"] == "hit"
    assert again[1]["content-type"] == "text/plain" and again[0] == 200
    assert "x-arshif-cache" not in other[1]  # without the shared cache, each worker makes its own
    assert calls == ["/archive/-/entity/1", "/archive/-/entity/2", "/archive/-/entity/2"]


def test_base_url_prefixes_every_link(archive):
    import re

    client = served(archive["path"], base_url="/news/")
    try:
        tunis = archive["entities"][TUNIS]
        pages = [f"/archive/-/search?q={quote(TUNIS)}", f"/archive/-/entity/{tunis}", "/",
                 f"/archive/-/article/{quote(archive['articles']['زيارة رسمية إلى تونس'])}", "/archive/articles"]
        for url in pages:
            response = client.get(url)
            assert response.status_code == 200, url
            links = re.findall(r'(?:href|action|src)="(/[^"]*)"', response.text)
            assert links, url
            assert all(link.startswith("/news/") for link in links), (url, [l for l in links if not l.startswith("/news/")])
        data = client.get(f"/archive/-/search.json?q={quote(TUNIS)}").json()
        assert data["json_url"].startswith("/news/") and data["results"][0]["url"].startswith("/news/")
        assert all(value["url"].startswith("/news/") for facet in data["facets"] for value in facet["values"])
    finally:
        client.loop.close()


def test_finished_pages_of_an_immutable_archive_are_kept_and_served_again(tmp_path):
    calls = []

    async def app(scope, receive, send):
        calls.append(scope["path"])
        private = scope["path"].endswith("private")
        headers = [(b"content-type", b"text/plain")] + ([(b"cache-control", b"no-store")] if private else [])
        await send({"type": "http.response.start", "status": 200, "headers": headers})
        await send({"type": "http.response.body", "body": b"page " + scope["path"].encode()})

    async def scenario():
        app_ = guard(app, tmp_path)
        first = await call(app_, "/archive/-/search", "q=x")
        again = await call(app_, "/archive/-/search", "q=x", client="127.0.0.5")
        other = await call(app_, "/archive/-/search", "q=y")
        for _ in range(2):
            await call(app_, "/archive/private")
            await call(app_, "/archive/-/search", "q=x", headers=[(b"cookie", b"ds_actor=1")])
        return first, again, other

    first, again, other = asyncio.run(scenario())
    assert first[2] == again[2] == b"page /archive/-/search" and again[1]["x-arshif-cache"] == "hit"
    assert "x-arshif-cache" not in first[1] and first[1]["cache-control"] == "public, max-age=3600"
    assert calls == ["/archive/-/search", "/archive/-/search", "/archive/private", "/archive/-/search",
                     "/archive/private", "/archive/-/search"]
