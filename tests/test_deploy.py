"""deploy/nginx.conf in front of ``arshif serve`` on loopback: pages cached, per-client rate limits, ``?sql=``
limited harder and never cached. Skips when nginx is not installed (``.ci/run`` installs it)."""

from __future__ import annotations

import re
import shutil
import subprocess
import time
import urllib.error
import urllib.parse
import urllib.request
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

import pytest

from arshif.cli import serve_command
from arshif.serving import background_server, free_port

ROOT = Path(__file__).resolve().parents[1]
NGINX = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
pytestmark = pytest.mark.skipif(NGINX is None, reason="nginx is not installed (apt-get install nginx-light)")


def get(url: str) -> tuple[int, dict]:
    try:
        with urllib.request.urlopen(url, timeout=30) as response:
            response.read()
            return response.status, dict(response.headers)
    except urllib.error.HTTPError as error:
        return error.code, dict(error.headers)


@pytest.fixture(scope="module")
def front(seed_archive, tmp_path_factory):
    folder = tmp_path_factory.mktemp("nginx")
    upstream, port = free_port(), free_port()
    config = (ROOT / "deploy" / "nginx.conf").read_text()
    config = config.replace("listen 8080;", f"listen 127.0.0.1:{port};")
    config = config.replace("server 127.0.0.1:8001;", f"server 127.0.0.1:{upstream};")
    config = config.replace("/var/cache/nginx/arshif", str(folder / "cache"))
    assert str(upstream) in config and str(port) in config
    (folder / "nginx.conf").write_text(config)
    for name in ("body", "proxy"):
        (folder / name).mkdir()
    settings = (f"daemon off; pid {folder}/nginx.pid; error_log {folder}/error.log;"
                + (" user root;" if hasattr(__import__("os"), "geteuid") and __import__("os").geteuid() == 0 else ""))
    checked = subprocess.run([NGINX, "-t", "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", settings],
                             capture_output=True, text=True)
    assert checked.returncode == 0, checked.stderr
    with background_server(None, command=serve_command(str(seed_archive), upstream, extra=["--workers", "1"]),
                           port=upstream):
        process = subprocess.Popen([NGINX, "-p", str(folder), "-c", str(folder / "nginx.conf"), "-g", settings],
                                   stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        base = f"http://127.0.0.1:{port}"
        try:
            for _ in range(100):
                try:
                    urllib.request.urlopen(base + "/-/versions.json", timeout=2)
                    break
                except urllib.error.HTTPError:
                    break
                except OSError:
                    if process.poll() is not None:
                        raise RuntimeError(process.stderr.read().decode())
                    time.sleep(0.1)
            yield base
        finally:
            process.terminate()
            process.wait(timeout=10)


def test_pages_are_cached_by_the_front_server(front):
    url = f"{front}/archive/-/search.json?q={urllib.parse.quote('الرئيس')}"
    first = get(url)
    second = get(url)
    assert first[0] == second[0] == 200
    assert first[1]["X-Cache-Status"] == "MISS" and second[1]["X-Cache-Status"] == "HIT"


def test_sql_is_limited_harder_and_never_cached(front):
    url = f"{front}/archive.json?sql=" + urllib.parse.quote("select 1 as one")
    answers = [get(url) for _ in range(12)]  # burst 5 at 1 a second: the rest are refused
    statuses = [status for status, _ in answers]
    assert statuses[0] == 200 and "X-Cache-Status" not in answers[0][1]
    assert 429 in statuses


def test_one_client_is_rate_limited(front):
    url = f"{front}/archive/articles.json?_size=1"
    with ThreadPoolExecutor(10) as pool:
        statuses = [status for status, _ in pool.map(lambda _: get(url), range(80))]
    assert 200 in statuses and 429 in statuses  # 10 a second with bursts of 20


def test_the_sample_names_what_it_promises():
    config = (ROOT / "deploy" / "nginx.conf").read_text()
    for directive in ("limit_req_zone", "limit_conn_zone", "proxy_cache_path", "X-Forwarded-For $remote_addr",
                      "upstream arshif"):
        assert directive in config
    assert re.search(r"location ~ \\\.csv\$", config)
