"""``arshif serve`` on every core: uvicorn workers over Datasette's ASGI app, immutable with an inspect file."""

from __future__ import annotations

import argparse
import json
import os
import shutil
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor

from arshif.cli import parser as cli_parser
from arshif.cli import serve_command
from arshif.serve_workers import PUBLIC_SETTINGS, ServeConfig, config_for, inspect_file, settings_for
from arshif.serving import background_server, free_port

TUNIS = "تونس"


def options(*argv: str) -> argparse.Namespace:
    return cli_parser().parse_args(["serve", "x.db", *argv])


def test_settings_layer_project_serving_public_and_command_line():
    plain = settings_for([], public=False)
    assert plain["truncate_cells_html"] == 300 and plain["suggest_facets"] is False
    assert plain["default_cache_ttl"] == 3600 and "default_allow_sql" not in plain
    public = settings_for([("sql_time_limit_ms", "2000")], public=True, base_url="/news/")
    assert public["default_allow_sql"] is False and public["max_returned_rows"] == PUBLIC_SETTINGS["max_returned_rows"]
    assert public["sql_time_limit_ms"] == 2000 and public["base_url"] == "/news/"


def test_inspect_file_is_made_once_per_version_of_the_archive(seed_archive, tmp_path, monkeypatch):
    monkeypatch.setenv("ARSHIF_CACHE", str(tmp_path / "cache"))
    path = tmp_path / "archive.db"
    shutil.copy(seed_archive, path)
    first = inspect_file([str(path)])
    data = json.loads(open(first).read())
    assert data["archive"]["tables"]["articles"]["count"] == 1
    assert inspect_file([str(path)]) == first
    os.utime(path, ns=(1, 1))  # another version of the file
    assert inspect_file([str(path)]) != first


def test_config_travels_to_the_workers(seed_archive, tmp_path, monkeypatch):
    monkeypatch.setenv("ARSHIF_CACHE", str(tmp_path))
    args = options("--public", "--base-url", "news", "--workers", "3", "--setting", "facet_time_limit_ms", "300")
    config = config_for([str(seed_archive)], args)
    again = ServeConfig.from_env(config.to_env())
    assert again == config and again.immutable and again.inspect_file and again.secret
    assert again.settings["base_url"] == "/news/" and again.settings["facet_time_limit_ms"] == 300
    assert args.workers == 3


def get(url: str):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.status, dict(response.headers), response.read()


def test_served_by_several_workers_immutable_with_cache_headers(seed_archive, tmp_path):
    port = free_port()
    env_cache = tmp_path / "cache"
    os.environ["ARSHIF_CACHE"] = str(env_cache)
    try:
        command = serve_command(str(seed_archive), port, extra=["--workers", "2"])
        with background_server(None, command=command, port=port) as base:
            status, _, body = get(f"{base}/-/databases.json")
            assert status == 200 and json.loads(body)[0]["is_mutable"] is False
            assert list(env_cache.glob("*.json"))  # the inspect file the workers read
            search = f"{base}/archive/-/search.json?q={urllib.parse.quote('الرئيس')}"
            with ThreadPoolExecutor(8) as pool:
                answers = list(pool.map(lambda _: get(search), range(24)))
            assert {status for status, _, _ in answers} == {200}
            assert all(json.loads(body)["total"] == 1 for _, _, body in answers)
            assert answers[0][1]["cache-control"] == "public, max-age=3600"
            status, headers, _ = get(f"{base}/archive/articles.json?_search={urllib.parse.quote(TUNIS)}")
            assert status == 200 and headers["Cache-Control"].startswith("public, max-age=")
    finally:
        del os.environ["ARSHIF_CACHE"]


def test_public_mode_turns_off_arbitrary_sql_but_keeps_canned_queries(seed_archive):
    port = free_port()
    with background_server(None, command=serve_command(str(seed_archive), port, extra=["--public", "--workers", "1"]),
                           port=port) as base:
        try:
            urllib.request.urlopen(f"{base}/archive.json?sql=select+1", timeout=30)
            raise AssertionError("arbitrary SQL answered in public mode")
        except urllib.error.HTTPError as error:
            assert error.code == 403
        status, _, body = get(f"{base}/archive/search.json?q={urllib.parse.quote('الرئيس')}&_shape=array")
        assert status == 200 and json.loads(body)


def test_the_run_s_own_folder_goes_when_the_server_stops(seed_archive, tmp_path, monkeypatch):
    """The heavy slots' lock files and the shared response cache live in a folder made for the run; it is
    removed when the server stops, so restarts leave no cached pages behind."""
    import uvicorn

    from arshif import serve_workers
    from arshif.limits import Limits

    monkeypatch.setenv("ARSHIF_CACHE", str(tmp_path / "cache"))
    monkeypatch.delenv("ARSHIF_LIMITS", raising=False)  # run() sets both: restored after the test
    monkeypatch.delenv(serve_workers.ENV, raising=False)
    seen = []

    def serving(*args, **kwargs):  # what the workers would find, while the server runs
        folder = Limits.from_env().slot_dir
        seen.append(folder)
        assert os.path.isdir(folder)
        (serve_workers.Path(folder) / "responses").mkdir()

    monkeypatch.setattr(uvicorn, "run", serving)
    assert serve_workers.run([str(seed_archive)], "127.0.0.1", free_port(), options("--workers", "1")) == 0
    assert seen and not os.path.exists(seen[0])
    own = tmp_path / "slots"
    own.mkdir()
    monkeypatch.setenv("ARSHIF_LIMITS", json.dumps({"slot_dir": str(own)}))
    serve_workers.run([str(seed_archive)], "127.0.0.1", free_port(), options("--workers", "1"))
    assert own.exists()  # a folder the operator named is theirs
