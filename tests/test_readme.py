"""The README cannot drift from the code: its normalization table, Quickstart and curl examples are checked."""

from __future__ import annotations

import re
from pathlib import Path

from arshif.text.normalize import rules

README = (Path(__file__).resolve().parents[1] / "README.md").read_text("utf-8")


def section(title: str) -> str:
    match = re.search(rf"^## {re.escape(title)}\n(.*?)(?=^## )", README, re.S | re.M)
    assert match, title
    return match.group(1)


def test_normalization_table_lists_every_rule():
    table = section("Searching")
    documented = set(re.findall(r"^\| ([a-z-]+) \| U\+", table, re.M))
    assert documented == {rule.name for rule in rules()}


def test_quickstart_has_exactly_two_commands():
    blocks = re.findall(r"```sh\n(.*?)```", section("Quickstart"), re.S)
    assert len(blocks) == 2
    assert all(len(block.strip().splitlines()) == 1 for block in blocks)
    build, test = (block.strip() for block in blocks)
    assert "./build" in build and "arshif serve" in build
    assert "pytest" in test
    assert "<!-- test-command -->" in section("Quickstart")


def curl_urls() -> list[str]:
    return re.findall(r"curl -s '(http://127\.0\.0\.1:8001[^']+)'", README)


def test_readme_has_curl_examples():
    assert len(curl_urls()) >= 5
