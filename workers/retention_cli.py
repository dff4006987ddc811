"""``redactor retention sweep|serve``: one retention sweep now, or the sweeper in the foreground.

Why here and not in :mod:`storage.catalog_cli`: the sweeper is a worker (``workers.sweeper``)
and ``storage`` does not import ``workers``. The options (``--policy``, ``--now``,
``--actor``) and the catalog/vault come from the same helpers as ``redactor dsar`` and
``redactor hold``, so the commands behave as before. Handlers import lazily.

* ``redactor retention sweep [--dry-run] [--now ISO] [--batch N]`` -- one sweep now;
* ``redactor retention serve`` -- the APScheduler sweeper in the foreground.
"""

from __future__ import annotations

import argparse
import sys

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    from storage.catalog_cli import common_options

    common = common_options()
    ret = subparsers.add_parser("retention", help="delete recordings past their deadline")
    rsub = ret.add_subparsers(dest="retention_command", metavar="ACTION", required=True)
    p = rsub.add_parser("sweep", parents=[common], help="run one sweep now")
    p.add_argument("--dry-run", action="store_true", help="report, change nothing")
    p.add_argument("--batch", type=int, default=None, help="recordings per batch (default 500)")
    p.set_defaults(func=_sweep)
    p = rsub.add_parser("serve", parents=[common], help="sweep every REDACTOR_SWEEP_INTERVAL s")
    p.set_defaults(func=_serve)


def _sweep(args) -> int:
    from storage.catalog_cli import now_of, open_catalog, open_vault, policy_of
    from workers.sweeper import SweepSettings, sweep

    settings = SweepSettings.from_env(batch=args.batch)
    now, policy = now_of(args), policy_of(args)
    report = sweep(
        open_catalog(), open_vault(), policy, now, settings.batch, args.dry_run, worker=args.actor
    )
    print(report.summary())
    for rid, kinds in sorted(report.would_delete.items()):
        print(f"would delete {rid}: {', '.join(sorted(kinds))}")
    for rid, reasons in sorted(report.held.items()):
        print(f"held {rid}: {'; '.join(reasons)}")
    for rid, err in sorted(report.failed.items()):
        print(f"failed {rid}: {err}", file=sys.stderr)
    return 1 if report.failed else 0


def _serve(args) -> int:
    from storage.catalog_cli import open_catalog, open_vault
    from workers.sweeper import start_scheduler

    path = getattr(args, "policy", None)

    def loader():
        from policies.loader import load_policy

        return load_policy(path)

    loader()  # a bad policy file fails now, not at the first interval
    start_scheduler(open_catalog(), open_vault(), loader, blocking=True, worker=args.actor)
    return 0
