"""The ``redactor`` command: one thin entry point over every subsystem.

Each subsystem contributes its subcommands through a ``register(subparsers)`` function in
its own ``cli`` module, so this file only knows their names. Handlers import their heavy
dependencies lazily: ``redactor --help`` must stay instant.

Errors: every :class:`~redactor.errors.RedactorError` becomes one line on stderr and its exit
code. Anything else is a bug; it is reported on one line too (with ``--debug`` for the
traceback), because a user must never see a raw traceback.
"""

from __future__ import annotations

import argparse
import importlib
import logging
import sys

from redactor.errors import RedactorError

__all__ = ["main", "build_parser"]

# Modules that provide ``register(subparsers)``. A module missing from a checkout is skipped.
SUBCOMMAND_MODULES = (
    "redactor.commands",
    "redactor.evaluation.commands",
    "storage.cli",
    "storage.catalog_cli",
    "workers.cli",
    "workers.events_cli",
    "api.cli",
)


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="redactor",
        description="Redact card numbers, security codes and health data from call recordings.",
    )
    parser.add_argument("--debug", action="store_true", help="show tracebacks for internal errors")
    parser.add_argument("-v", "--verbose", action="count", default=0, help="more log output")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name in SUBCOMMAND_MODULES:
        try:
            module = importlib.import_module(name)
        except ModuleNotFoundError as exc:
            if exc.name and name.startswith(exc.name):
                continue
            raise
        module.register(sub)
    return parser


def main(argv: list[str] | None = None) -> int:
    parser = build_parser()
    args = parser.parse_args(argv)
    level = logging.WARNING - 10 * min(args.verbose, 2)
    logging.basicConfig(level=level, format="%(levelname)s %(name)s: %(message)s")
    if not getattr(args, "func", None):
        parser.print_help(sys.stderr)
        return 2
    try:
        return int(args.func(args) or 0)
    except RedactorError as exc:
        print(f"redactor: error: {exc}", file=sys.stderr)
        return exc.exit_code
    except KeyboardInterrupt:
        print("redactor: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:  # noqa: BLE001 - last line of defence at the edge
        if args.debug:
            raise
        print(f"redactor: internal error: {type(exc).__name__}: {exc}", file=sys.stderr)
        return 70


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
