"""The command line: ``arshif build``, ``serve``, ``train-ner``, ``eval-ner``."""

from __future__ import annotations

import argparse
import os
import subprocess
import sys
from pathlib import Path

from .pipeline import NER_CHOICES

PROJECT = Path(__file__).resolve().parent.parent
#: Datasette settings for the archive: long article bodies are cut short in table cells (pages show them whole);
#: no facet suggestions (they cost a query per column on every table page of a large archive).
#: Datasette settings of every served archive, typed as Datasette holds them (``setting_text`` writes one for a
#: command line)
SETTINGS = {"truncate_cells_html": 300, "suggest_facets": False}


def setting_text(value) -> str:
    """A setting's value as ``--setting NAME VALUE`` takes it (``on``/``off`` for a switch)."""
    if isinstance(value, bool):
        return "on" if value else "off"
    return str(value)


def _build(args: argparse.Namespace) -> int:
    from .build import build, main_progress
    from .readers.tabular import parse_columns

    inputs = args.inputs or [str(PROJECT / "seeds") if not Path("seeds").exists() else "seeds"]
    missing = [item for item in inputs if not Path(item).exists()]
    for item in missing:
        print(f"input not found: {item}", file=sys.stderr)
    if missing and len(missing) == len(inputs):
        return 2
    try:
        columns = parse_columns(args.columns) if args.columns else None
    except ValueError as error:
        print(f"--columns: {error}", file=sys.stderr)
        return 2
    update, close = main_progress()
    try:
        summary = build(
            [item for item in inputs if item not in missing],
            args.db,
            ner=args.ner,
            jobs=args.jobs,
            full=args.full,
            columns=columns,
            progress=update,
            scheduler=args.scheduler,
        )
    except (ValueError, RuntimeError) as error:
        close()
        print(f"build failed: {error}", file=sys.stderr)
        return 2
    close()
    print(f"built {args.db}")
    for line in summary.lines():
        print(line)
    if summary.articles == 0:
        print("nothing could be built: no readable article in the inputs", file=sys.stderr)
        return 1
    return 0


def legacy_serve_command(db: str | list[str], port: int, host: str = "127.0.0.1",
                         extra: list[str] | None = None) -> list[str]:
    """Plain ``datasette serve`` in one process with the project's metadata and plugins (``--workers 0``)."""
    from .serve_workers import site_paths

    paths = site_paths()
    return [
        sys.executable, "-m", "datasette", "serve", *([db] if isinstance(db, str) else db),
        "--metadata", paths["metadata"],
        "--plugins-dir", paths["plugins_dir"],
        "--template-dir", paths["template_dir"],
        *(part for name, value in SETTINGS.items() for part in ("--setting", name, setting_text(value))),
        "--host", host, "--port", str(port),
        *(extra or []),
    ]


def serve_command(db: str | list[str], port: int, host: str = "127.0.0.1", extra: list[str] | None = None) -> list[str]:
    """The command line that serves one archive or several on every core (``arshif.serve_workers``); ``extra``
    takes its options (``--workers N``, ``--public``, ``--setting NAME VALUE``, ...)."""
    return [sys.executable, "-m", "arshif.serve_workers", *([db] if isinstance(db, str) else db),
            "--host", host, "--port", str(port), *(extra or [])]


def _serve(args: argparse.Namespace) -> int:
    databases = args.db or ["archive.db"]
    for db in databases:
        if not Path(db).exists():
            print(f"no archive at {db}: run ./build first", file=sys.stderr)
            return 2
    from .serve_workers import main as serve_main

    options = [*(["--workers", str(args.workers)] if args.workers is not None else []),
               *(["--inspect-file", args.inspect_file] if args.inspect_file else []),
               *(["--public"] if args.public else []), *(["--mutable"] if args.mutable else []),
               *(["--base-url", args.base_url] if args.base_url else []),
               *(part for name, value in args.setting for part in ("--setting", name, value))]
    return serve_main([*databases, "--host", args.host, "--port", str(args.port), *options, *args.datasette_args])


def _train(args: argparse.Namespace) -> int:
    from .entities.train import main_train

    return main_train(args.rest) or 0


def _eval(args: argparse.Namespace) -> int:
    from .entities.evaluate import main_eval

    return main_eval(args.rest) or 0


def parser() -> argparse.ArgumentParser:
    top = argparse.ArgumentParser(prog="arshif", description="A searchable archive of Arabic news.")
    commands = top.add_subparsers(dest="command", required=True)
    build = commands.add_parser("build", help="build or update the archive from article files")
    build.add_argument("inputs", nargs="*", help="files or folders of articles (default: seeds/)")
    build.add_argument("--db", default="archive.db", help="the SQLite archive to write (default: archive.db)")
    build.add_argument("--ner", default="default", choices=NER_CHOICES,
                       help="entity tagger: default (patterns and lists + the neural and CRF ensemble), crf (patterns and"
                            " lists + the CRF alone, faster), gazetteer (patterns and lists only), none, camel")
    build.add_argument("--jobs", type=int, default=1, help="worker processes for analysis and tagging")
    build.add_argument("--scheduler", metavar="tcp://HOST:8786",
                       help="a Dask scheduler to spread analysis and tagging over (needs arshif[dask])")
    build.add_argument("--full", action="store_true", help="rebuild from scratch instead of updating")
    build.add_argument("--columns", metavar="NAME=FIELD,...",
                       help="map other CSV/TSV column names onto article fields, e.g. headline=title,story=content")
    build.set_defaults(run=_build)
    serve = commands.add_parser("serve", help="serve the archive with Datasette on 127.0.0.1")
    serve.add_argument("db", nargs="*", help="the archives to serve, any file names (default: archive.db)")
    serve.add_argument("--port", type=int, default=8001)
    serve.add_argument("--host", default="127.0.0.1")
    from .serve_workers import add_arguments

    add_arguments(serve)
    serve.add_argument("datasette_args", nargs="*", default=[],
                       help="after --: options for datasette serve (e.g. -- --setting sql_time_limit_ms 3000); options other"
                            " than --setting serve in one process with plain datasette serve")
    serve.set_defaults(run=_serve)
    train = commands.add_parser("train-ner", help="train the entity tagger from ../shared/data/ner", add_help=False)
    train.add_argument("rest", nargs=argparse.REMAINDER)
    train.set_defaults(run=_train)
    evaluate = commands.add_parser("eval-ner", help="score the tagger on a CoNLL file", add_help=False)
    evaluate.add_argument("rest", nargs=argparse.REMAINDER)
    evaluate.set_defaults(run=_eval)
    return top


PASSTHROUGH = {"train-ner": _train, "eval-ner": _eval}  # these parse their own arguments (--help included)


def main(argv: list[str] | None = None) -> int:
    argv = sys.argv[1:] if argv is None else argv
    if argv and argv[0] in PASSTHROUGH:
        return PASSTHROUGH[argv[0]](argparse.Namespace(rest=argv[1:]))
    rest: list[str] = []
    if argv and argv[0] == "serve" and "--" in argv:
        argv, rest = argv[: argv.index("--")], argv[argv.index("--") + 1:]
    args = parser().parse_args(argv)
    if rest:
        args.datasette_args = rest
    return args.run(args)


if __name__ == "__main__":
    sys.exit(main())
