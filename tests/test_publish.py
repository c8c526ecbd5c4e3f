"""The README's publishing commands: the immutable serve runs for real; the publish and package command lines use
only options that the installed Datasette accepts."""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
import sys
import urllib.request
from pathlib import Path

import pytest

from arshif.serving import background_server, free_port
from test_readme import section

ROOT = Path(__file__).resolve().parents[1]


def commands() -> list[list[str]]:
    blocks = re.findall(r"```sh\n(.*?)```", section("Publishing"), re.S)
    return [shlex.split(line) for block in blocks for line in block.strip().splitlines()]


def datasette_help(*subcommand: str) -> str:
    result = subprocess.run([sys.executable, "-m", "datasette", *subcommand, "--help"], capture_output=True, text=True)
    assert result.returncode == 0, result.stderr
    return result.stdout


def options(argv: list[str]) -> list[str]:
    """The option names of a command line (the value of --extra-options is another command line)."""
    found = []
    for previous, arg in zip(["", *argv], argv):
        if arg.startswith("-") and previous != "--extra-options":
            found.append(arg)
    return found


def test_publish_and_package_options_are_accepted_by_the_installed_datasette():
    cloud = [argv for argv in commands() if argv[:3] == ["datasette", "publish", "cloudrun"]]
    package = [argv for argv in commands() if argv[:2] == ["datasette", "package"]]
    assert cloud and package
    for argv, help_text in ((cloud[0], datasette_help("publish", "cloudrun")), (package[0], datasette_help("package"))):
        for option in options(argv):
            assert re.search(rf"(^|[\s,]){re.escape(option)}[\s=]", help_text), option
        extra = argv[argv.index("--extra-options") + 1]
        serve_help = datasette_help("serve")
        for option in options(shlex.split(extra)):
            assert re.search(rf"(^|[\s,]){re.escape(option)}[\s=]", serve_help), option
    for path in ("metadata.yml", "plugins", "templates"):
        assert (ROOT / path).exists()


def test_immutable_serving_with_an_inspect_file(seed_archive, tmp_path):
    inspect, serve = [argv for argv in commands() if argv[0].endswith("datasette")][:2]
    shutil.copy(seed_archive, tmp_path / "archive.db")
    for name in ("metadata.yml", "plugins", "templates"):
        (tmp_path / name).symlink_to(ROOT / name)

    def local(argv: list[str]) -> list[str]:
        return [sys.executable, "-m", "datasette", *argv[1:]]

    subprocess.run(local(inspect), cwd=tmp_path, check=True, timeout=120)
    assert "archive" in json.loads((tmp_path / "inspect.json").read_text())
    port = free_port()
    serve = [str(port) if arg == "8001" else arg for arg in serve]
    with background_server(None, command=local(serve), port=port, cwd=tmp_path) as base:
        with urllib.request.urlopen(f"{base}/archive/articles.json?_search=%D8%AD%D9%84%D8%A8", timeout=10) as response:
            assert json.loads(response.read())["filtered_table_rows_count"] == 1
        with urllib.request.urlopen(f"{base}/-/databases.json", timeout=10) as response:
            assert json.loads(response.read())[0]["is_mutable"] is False


def test_published_settings_are_the_ones_arshif_serve_uses():
    from arshif.cli import SETTINGS, setting_text

    for argv in commands():
        if "serve" in argv or "--extra-options" in argv:
            line = " ".join(argv)
            for name, value in SETTINGS.items():
                assert f"--setting {name} {setting_text(value)}" in line, (name, line)
