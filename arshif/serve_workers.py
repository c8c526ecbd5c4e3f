"""``arshif serve`` on every core: Datasette's ASGI app in several uvicorn worker processes.

The parent process checks the archives, writes (or reuses) an inspect file of their row counts, and starts
uvicorn's process supervisor (``--workers N``, default: one per core), which restarts a worker that dies or
stops answering its health check. Each worker builds the same Datasette app from the configuration the parent
put in the environment (``ARSHIF_SERVE``): the archives served immutable with the inspect data, the project's
metadata, plugins and templates, and the settings. All workers share one signing secret, so a signed value
made by one is read by the others.

    python -m arshif.serve_workers archive.db [--workers 2] [--public] [--setting NAME VALUE ...]
"""

from __future__ import annotations

import argparse
import asyncio
import hashlib
import json
import os
import secrets
import shutil
import sys
import tempfile
from dataclasses import asdict, dataclass, field
from pathlib import Path
from typing import Any

ENV = "ARSHIF_SERVE"
PROJECT = Path(__file__).resolve().parent.parent
#: Settings of a served archive, beside ``arshif.cli.SETTINGS``: an immutable file's pages may be cached for an
#: hour; Datasette's own SQL time limit; fewer rows per JSON page than Datasette's 1,000 (each article row holds
#: its body); CSV streams stop at a size (``max_csv_mb``) that a reader can download in one go; one SQL thread
#: per worker (there is a worker per core: more threads only share the same core, so each statement takes longer
#: on the clock, more facets run out of time, and a page cut is a page not cached; measured in bench/load.py).
SERVE_SETTINGS: dict[str, Any] = {
    "default_cache_ttl": 3600,
    "sql_time_limit_ms": 1000,
    "max_returned_rows": 1000,
    "max_csv_mb": 50,
    "num_sql_threads": 1,
}
#: ``--public``: what a public instance changes: no arbitrary ``?sql=`` (canned queries stay), shorter limits.
PUBLIC_SETTINGS: dict[str, Any] = {
    "default_allow_sql": False,
    "sql_time_limit_ms": 800,
    "max_returned_rows": 200,
    "max_csv_mb": 20,
    "allow_download": False,
}


@dataclass
class ServeConfig:
    """What every worker needs to build the same Datasette app."""

    files: list[str]
    immutable: bool = True
    inspect_file: str | None = None
    metadata: str | None = None
    plugins_dir: str | None = None
    template_dir: str | None = None
    settings: dict[str, Any] = field(default_factory=dict)
    secret: str = ""
    public: bool = False

    def to_env(self) -> str:
        return json.dumps(asdict(self))

    @classmethod
    def from_env(cls, value: str | None = None) -> "ServeConfig":
        raw = value if value is not None else os.environ.get(ENV)
        if not raw:
            raise RuntimeError(f"{ENV} is not set: start the workers with `arshif serve`")
        return cls(**json.loads(raw))


def site_paths() -> dict[str, str]:
    """Where the project's metadata, plugins and templates are: the checkout's when arshif runs from one, else
    the copies a wheel installs under ``<prefix>/share/arshif`` (``[tool.setuptools.data-files]``)."""
    import sysconfig

    for root in (PROJECT, Path(sysconfig.get_path("data")) / "share" / "arshif", Path(sys.prefix) / "share" / "arshif"):
        if (root / "plugins" / "arshif_search.py").exists() and (root / "metadata.yml").exists():
            return {"metadata": str(root / "metadata.yml"), "plugins_dir": str(root / "plugins"),
                    "template_dir": str(root / "templates")}
    raise RuntimeError("the Datasette side of arshif (metadata.yml, plugins/, templates/) is not installed")


def _inspect_cache(files: list[str]) -> Path:
    """The inspect file for these archives as they are now (their paths, sizes, modification times and inodes)."""
    key = hashlib.sha1()
    for name in files:
        path = Path(name).resolve()
        stat = path.stat()
        key.update(f"{os.path.abspath(name)}\0{path}\0{stat.st_size}\0{stat.st_mtime_ns}\0{stat.st_ino}\n".encode())
    folder = Path(os.environ.get("ARSHIF_CACHE") or Path(tempfile.gettempdir()) / "arshif-inspect")
    folder.mkdir(parents=True, exist_ok=True)
    return folder / f"{key.hexdigest()[:20]}.json"


def inspect_file(files: list[str], target: str | None = None) -> str:
    """Write the inspect data (hash, size, row counts of each table) of ``files`` once; reuse it while the files
    are unchanged. With ``target``, write there (when it does not exist yet)."""
    path = Path(target) if target else _inspect_cache(files)
    if path.exists():
        return str(path)
    from datasette.cli import inspect_

    data = asyncio.run(inspect_(files, None))
    temporary = path.with_suffix(f".{os.getpid()}.tmp")
    temporary.write_text(json.dumps(data, indent=1), "utf-8")
    temporary.replace(path)
    return str(path)


def make_datasette(config: ServeConfig):
    """The Datasette instance a worker serves."""
    from datasette.app import Datasette
    from datasette.utils import parse_metadata

    metadata = None
    if config.metadata:
        metadata = parse_metadata(Path(config.metadata).read_text("utf-8"))
    inspect_data = None
    if config.inspect_file and config.immutable:
        inspect_data = json.loads(Path(config.inspect_file).read_text("utf-8"))
    files = list(dict.fromkeys(config.files))
    os.environ["ARSHIF_PUBLIC"] = "1" if config.public else ""
    return Datasette(
        [] if config.immutable else files,
        immutables=files if config.immutable else [],
        inspect_data=inspect_data,
        metadata=metadata,
        plugins_dir=config.plugins_dir,
        template_dir=config.template_dir,
        settings=config.settings,
        secret=config.secret or None,
        cache_headers=True,
    )


def create_app():
    """The ASGI app of one worker (uvicorn's ``--factory``): Datasette built from ``ARSHIF_SERVE``."""
    return make_datasette(ServeConfig.from_env()).app()


def convert_setting(name: str, value: str) -> Any:
    """A ``--setting`` value as the type Datasette's default for it has."""
    from datasette.app import DEFAULT_SETTINGS

    default = DEFAULT_SETTINGS.get(name)
    if default is None and name not in DEFAULT_SETTINGS:
        raise ValueError(f"unknown Datasette setting: {name}")
    if isinstance(default, bool):
        if value.lower() in ("on", "true", "1", "yes"):
            return True
        if value.lower() in ("off", "false", "0", "no"):
            return False
        raise ValueError(f"{name} takes on or off, not {value!r}")
    if isinstance(default, int):
        return int(value)
    return value


def settings_for(extra: list[tuple[str, str]], public: bool, base_url: str | None = None) -> dict[str, Any]:
    """The project's settings, the serving defaults, the public mode's, then the command line's, in that order."""
    from .cli import SETTINGS

    settings: dict[str, Any] = dict(SETTINGS)
    settings.update(SERVE_SETTINGS)
    if public:
        settings.update(PUBLIC_SETTINGS)
    if base_url:
        settings["base_url"] = base_url
    for name, value in extra:
        settings[name] = convert_setting(name, value)
    return settings


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="arshif serve", description="Serve archives with Datasette on every core.")
    add_arguments(top)
    return top


def add_arguments(top: argparse.ArgumentParser) -> None:
    """The options of ``arshif serve`` that choose how it serves (shared with ``arshif.cli``)."""
    top.add_argument("--workers", type=int, default=None,
                     help="worker processes (default: one per core; 0 runs plain `datasette serve` in one process)")
    top.add_argument("--inspect-file", default=None,
                     help="the inspect file of row counts (default: made once per archive version in a cache folder)")
    top.add_argument("--public", action="store_true",
                     help="a public instance: no arbitrary ?sql= (canned queries stay), smaller pages and limits")
    top.add_argument("--mutable", action="store_true",
                     help="serve files that may change while serving (not immutable, no inspect file)")
    top.add_argument("--base-url", default=None, help="serve under a path prefix such as /news/")
    top.add_argument("-s", "--setting", nargs=2, action="append", default=[], metavar=("NAME", "VALUE"),
                     help="a Datasette setting (repeatable)")


def default_workers() -> int:
    return max(1, len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1))


def config_for(files: list[str], args: argparse.Namespace) -> ServeConfig:
    """The workers' configuration for these files and options (the inspect file written here, once)."""
    paths = site_paths()
    immutable = not args.mutable
    base_url = args.base_url
    if base_url and not base_url.endswith("/"):
        base_url += "/"
    if base_url and not base_url.startswith("/"):
        base_url = "/" + base_url
    return ServeConfig(
        files=[os.path.abspath(f) for f in files],  # a symlink keeps its own name (the database name)
        immutable=immutable,
        inspect_file=inspect_file(files, args.inspect_file) if immutable else None,
        metadata=paths["metadata"], plugins_dir=paths["plugins_dir"], template_dir=paths["template_dir"],
        settings=settings_for([tuple(pair) for pair in args.setting], args.public, base_url),
        secret=os.environ.get("DATASETTE_SECRET") or secrets.token_hex(32),
        public=args.public,
    )


def run(files: list[str], host: str, port: int, args: argparse.Namespace) -> int:
    """Serve ``files`` on ``host:port`` in ``args.workers`` processes until stopped."""
    import uvicorn

    from .limits import Limits

    config = config_for(files, args)
    os.environ[ENV] = config.to_env()
    limits = Limits.from_env()
    made = None
    if not limits.slot_dir:
        # the run's own folder: the heavy slots' lock files and the response cache the workers share
        limits.slot_dir = made = tempfile.mkdtemp(prefix="arshif-slots-")
    os.environ["ARSHIF_LIMITS"] = limits.to_json()  # one set of heavy slots for all the workers
    workers = default_workers() if args.workers is None else max(1, args.workers)
    print(f"serving {', '.join(config.files)} on http://{host}:{port}{config.settings.get('base_url', '/')}"
          f" with {workers} worker{'s' if workers > 1 else ''}"
          f"{' (immutable)' if config.immutable else ''}{' (public mode)' if config.public else ''}", flush=True)
    try:
        uvicorn.run("arshif.serve_workers:create_app", factory=True, host=host, port=port, workers=workers,
                    lifespan="auto", log_level="warning", access_log=False, timeout_keep_alive=5,
                    timeout_graceful_shutdown=5)
    finally:
        if made:  # its cached pages (up to shared_cache_bytes) go with the run
            shutil.rmtree(made, ignore_errors=True)
    return 0


def main(argv: list[str] | None = None) -> int:
    top = parser()
    top.add_argument("files", nargs="+")
    top.add_argument("--host", default="127.0.0.1")
    top.add_argument("--port", type=int, default=8001)
    args, unknown = top.parse_known_args(argv)
    for name in args.files:
        if not Path(name).exists():
            print(f"no archive at {name}: run ./build first", file=sys.stderr)
            return 2
    if unknown or args.workers == 0:
        # options only `datasette serve` knows: serve in one process with it, as before
        from .cli import legacy_serve_command

        extra = [part for name, value in args.setting for part in ("--setting", name, value)] + unknown
        if args.base_url:
            extra += ["--setting", "base_url", args.base_url]
        command = legacy_serve_command(args.files, args.port, args.host, extra)
        print("serving in one process:", " ".join(command), flush=True)
        import subprocess

        return subprocess.call(command)
    return run(args.files, args.host, args.port, args)


if __name__ == "__main__":
    sys.exit(main())
