"""The Datasette side installs as a package: a wheel built from the sources, installed in a fresh virtual
environment (its dependencies borrowed from this one), serves an archive with its plugins, templates and
metadata from the installed copy, away from any checkout."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
import sysconfig
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from arshif.serving import background_server, free_port

ROOT = Path(__file__).resolve().parents[1]
SOURCES = ["pyproject.toml", "README.md", "metadata.yml", "arshif", "plugins", "templates"]


def get(url: str):
    with urllib.request.urlopen(url, timeout=30) as response:
        return response.read()


@pytest.fixture(scope="module")
def fresh_venv(tmp_path_factory) -> Path:
    folder = tmp_path_factory.mktemp("wheel")
    source = folder / "src"
    source.mkdir()
    for name in SOURCES:
        if (ROOT / name).is_dir():
            shutil.copytree(ROOT / name, source / name, ignore=shutil.ignore_patterns("__pycache__", "*.pyc"))
        else:
            shutil.copy(ROOT / name, source / name)
    wheels = folder / "wheels"
    built = subprocess.run([sys.executable, "-m", "pip", "wheel", "--no-deps", "--no-build-isolation", "-q",
                            "-w", str(wheels), str(source)], capture_output=True, text=True)
    if built.returncode != 0:
        pytest.fail(f"the wheel does not build: {built.stderr[-2000:]}")
    venv = folder / "venv"
    subprocess.run([sys.executable, "-m", "venv", "--without-pip", str(venv)], check=True)
    python = venv / "bin" / "python"
    site = Path(subprocess.run([str(python), "-c", "import sysconfig; print(sysconfig.get_path('purelib'))"],
                               capture_output=True, text=True, check=True).stdout.strip())
    # the dependencies (datasette, …) from this environment, after the fresh one's own packages; .pth files of
    # that folder (this checkout's editable install among them) are not read from a path added this way
    (site / "borrowed.pth").write_text(sysconfig.get_path("purelib") + "\n")
    wheel = next(wheels.glob("arshif-*.whl"))
    subprocess.run([sys.executable, "-m", "pip", "--python", str(python), "install", "-q", "--no-deps", str(wheel)],
                   check=True, capture_output=True)
    return venv


def test_the_wheel_carries_the_datasette_side(fresh_venv, tmp_path):
    python = fresh_venv / "bin" / "python"
    found = subprocess.run(
        [str(python), "-c", "import arshif, json; from arshif.serve_workers import site_paths;"
                            " print(json.dumps([arshif.__file__, site_paths()]))"],
        capture_output=True, text=True, cwd=tmp_path, check=True)
    module, paths = json.loads(found.stdout)
    assert Path(module).is_relative_to(fresh_venv)
    for path in paths.values():
        assert Path(path).is_relative_to(fresh_venv) and Path(path).exists(), path
    assert (Path(paths["plugins_dir"]) / "arshif_limits.py").exists()
    assert (Path(paths["template_dir"]) / "arshif_search.html").exists()


def test_arshif_serve_from_the_installed_wheel(fresh_venv, seed_archive, tmp_path):
    shutil.copy(seed_archive, tmp_path / "archive.db")
    port = free_port()
    command = [str(fresh_venv / "bin" / "arshif"), "serve", "archive.db", "--port", str(port), "--workers", "1"]
    with background_server(None, command=command, port=port, cwd=tmp_path) as base:
        found = json.loads(get(f"{base}/archive/-/search.json?q={urllib.parse.quote('الرئيس')}"))
        assert found["total"] == 1 and found["results"]
        assert 'dir="rtl"' in get(f"{base}/archive/-/search?q={urllib.parse.quote('الرئيس')}").decode()
        plugins = json.loads(get(f"{base}/-/plugins.json"))
        names = {plugin["name"] for plugin in plugins}
        assert {"arshif_search.py", "arshif_limits.py", "arshif_pages.py"} <= names
        assert "أرشيف" in json.loads(get(f"{base}/-/metadata.json"))["title"]
