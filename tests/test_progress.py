"""Progress: plain lines at intervals when the output is not a terminal."""

from __future__ import annotations

import io

from arshif import build as build_module


def test_plain_progress_lines_when_not_a_terminal(monkeypatch):
    stream = io.StringIO()
    update, close = build_module.main_progress(stream)
    update(10)
    assert stream.getvalue() == ""  # a short build prints nothing
    monkeypatch.setattr(build_module, "PLAIN_PROGRESS_SECONDS", 0.0)
    update(5)
    close()
    assert stream.getvalue().startswith("... 15 articles processed")
