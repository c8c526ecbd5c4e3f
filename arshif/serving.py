"""Run ``arshif serve`` in the background on 127.0.0.1 for tests and benchmarks; it stops when the block ends."""

from __future__ import annotations

import socket
import subprocess
import time
import urllib.request
from contextlib import contextmanager
from pathlib import Path
from typing import Iterator, Sequence

from .cli import serve_command


def free_port() -> int:
    """A free TCP port on 127.0.0.1."""
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@contextmanager
def background_server(db: str | Path, command: Sequence[str] | None = None, port: int | None = None,
                      cwd: str | Path | None = None, startup_seconds: float = 60) -> Iterator[str]:
    """Serve ``db`` (or run ``command``, which must listen on ``port``) and yield its base URL once it answers."""
    port = port or free_port()
    argv = list(command) if command else serve_command(str(db), port)
    process = subprocess.Popen(argv, cwd=cwd, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    try:
        deadline = time.monotonic() + startup_seconds
        while True:
            try:
                urllib.request.urlopen(base + "/-/versions.json", timeout=2)
                break
            except OSError:
                if process.poll() is not None or time.monotonic() > deadline:
                    process.kill()
                    raise RuntimeError(f"server did not start: {process.stderr.read().decode()[-2000:]}")
                time.sleep(0.2)
        yield base
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
