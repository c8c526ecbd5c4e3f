"""The `arshif` command: its subcommands and their help."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from arshif.cli import main

FIXTURE = Path(__file__).parent / "fixtures" / "ner_tiny.conll"


def test_eval_ner_json_through_the_command(capsys):
    assert main(["eval-ner", str(FIXTURE), "--json"]) == 0
    result = json.loads(capsys.readouterr().out)
    assert set(result) == {"micro", "per_type", "tokens", "tokens_per_second"}
    assert set(result["micro"]) == {"precision", "recall", "f1"}
    assert all(0 <= value <= 100 for value in result["micro"].values())


@pytest.mark.parametrize("command", ["build", "serve", "train-ner", "eval-ner"])
def test_every_subcommand_has_help(command, capsys):
    with pytest.raises(SystemExit) as exit_info:
        main([command, "--help"])
    assert exit_info.value.code == 0
    assert "usage:" in capsys.readouterr().out


def test_serve_refuses_a_missing_archive(tmp_path, capsys):
    assert main(["serve", str(tmp_path / "missing.db")]) == 2
    assert "missing.db" in capsys.readouterr().err
