"""``redactor dsar|records|hold ...``: data-subject requests, Art. 30, holds.

Commands:

* ``redactor dsar export --customer ID -o FILE.zip`` -- every recording, transcript and
  report of the person, decrypted, with a manifest;
* ``redactor dsar erase --customer ID [--receipt FILE]`` -- erase all but held records,
  print or write the receipt (JSON);
* ``redactor retention sweep|serve`` -- registered by :mod:`workers.retention_cli` (the
  sweeper is a worker; storage does not import ``workers``), using the helpers here;
* ``redactor records export -o FILE [--format md|html]`` -- the Art. 30 record;
* ``redactor hold set (--recording ID | --customer ID | --campaign NAME) --reference R
  --reason TEXT`` / ``redactor hold release HOLD_ID --reason TEXT`` / ``redactor hold list``.

The catalog and the vault come from the environment (``REDACTOR_DATABASE_URL``,
``REDACTOR_S3_*``, ``REDACTOR_VAULT_*``); ``--policy`` picks the policy file. Handlers import
lazily so ``redactor --help`` stays instant. ``--now`` exists for rehearsals and tests; by
default the clock is read once, here at the edge.
"""

from __future__ import annotations

import argparse
import getpass
import json
import sys
from datetime import UTC, datetime
from pathlib import Path

from redactor.errors import BadInputError

__all__ = [
    "register",
    "common_options",
    "now_of",
    "policy_of",
    "open_catalog",
    "open_vault",
    "actor_of",
]


def now_of(args) -> datetime:
    raw = getattr(args, "now", None)
    if not raw:
        return datetime.now(UTC)
    try:
        value = datetime.fromisoformat(raw)
    except ValueError:
        raise BadInputError(
            f"--now {raw!r} is not an ISO 8601 date-time (e.g. 2025-01-31T00:00:00+00:00)"
        ) from None
    return value if value.tzinfo else value.replace(tzinfo=UTC)


def policy_of(args):
    from policies.loader import load_policy

    return load_policy(getattr(args, "policy", None))


def open_catalog():
    from storage.catalog_repo import Catalog
    from storage.settings import VaultSettings

    return Catalog.open(VaultSettings.from_env().database_url)


def open_vault():
    from storage.vault import Vault

    return Vault.from_settings()


def actor_of(args) -> str:
    return getattr(args, "actor", None) or f"cli:{getpass.getuser()}"


def common_options() -> argparse.ArgumentParser:
    """``--policy``, ``--now``, ``--actor``: shared with ``redactor retention`` (workers)."""
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument("--policy", type=Path, default=None, help="policy YAML (default: packaged)")
    common.add_argument("--now", default=None, help="the time to act at (ISO 8601; default now)")
    common.add_argument("--actor", default=None, help="who acts, for the history (default: user)")
    return common


def register(subparsers: argparse._SubParsersAction) -> None:
    common = common_options()

    dsar = subparsers.add_parser("dsar", help="data-subject requests: export or erase a person")
    dsub = dsar.add_subparsers(dest="dsar_command", metavar="ACTION", required=True)
    p = dsub.add_parser("export", parents=[common], help="zip of everything about a customer")
    p.add_argument("--customer", required=True, help="customer id")
    p.add_argument("-o", "--output", type=Path, required=True, help="zip file to write")
    p.set_defaults(func=_dsar_export)
    p = dsub.add_parser("erase", parents=[common], help="erase a customer except held records")
    p.add_argument("--customer", required=True, help="customer id")
    p.add_argument("--receipt", type=Path, default=None, help="write the receipt here (JSON)")
    p.set_defaults(func=_dsar_erase)

    rec = subparsers.add_parser("records", help="record of processing activities (Art. 30)")
    xsub = rec.add_subparsers(dest="records_command", metavar="ACTION", required=True)
    p = xsub.add_parser("export", parents=[common], help="write the Art. 30 record")
    p.add_argument("-o", "--output", type=Path, required=True, help="file to write")
    p.add_argument(
        "--format",
        choices=("md", "html"),
        default=None,
        help="default: from the file extension (.html -> html, else md)",
    )
    p.add_argument("--controller", default=None, help="controller name for the record")
    p.add_argument("--contact", default=None, help="data protection contact")
    p.set_defaults(func=_records_export)

    hold = subparsers.add_parser("hold", help="legal holds: nothing held is deleted")
    hsub = hold.add_subparsers(dest="hold_command", metavar="ACTION", required=True)
    p = hsub.add_parser("set", parents=[common], help="put a hold on a recording/customer/campaign")
    scope = p.add_mutually_exclusive_group(required=True)
    scope.add_argument("--recording", help="recording id")
    scope.add_argument("--customer", help="customer id")
    scope.add_argument("--campaign", help="campaign name")
    p.add_argument("--reference", required=True, help="case or matter reference")
    p.add_argument("--reason", required=True, help="why (shown in erasure receipts)")
    p.add_argument("--until", default=None, help="hold ends at this ISO date-time (optional)")
    p.set_defaults(func=_hold_set)
    p = hsub.add_parser("release", parents=[common], help="release a hold by id")
    p.add_argument("hold_id")
    p.add_argument("--reason", required=True, help="why the hold ends")
    p.set_defaults(func=_hold_release)
    p = hsub.add_parser("list", parents=[common], help="list holds as JSON lines")
    p.add_argument("--active", action="store_true", help="only holds active now")
    p.set_defaults(func=_hold_list)


def _access_log(action: str, target: str, detail: str = "") -> None:
    """DSAR and legal-hold actions from the CLI are access-log entries like any other."""
    from storage.audit_admin import log_cli_action

    log_cli_action(action, target, detail)


def _dsar_export(args) -> int:
    from storage.dsar import export_subject

    now = now_of(args)
    res = export_subject(
        open_catalog(), open_vault(), args.customer, args.output, now=now, actor=actor_of(args)
    )
    print(f"wrote {res.path}: {res.files} files of {res.recordings} recordings ({res.bytes} bytes)")
    _access_log("dsar.export", f"customer:{args.customer}", f"{res.recordings} recordings")
    return 0


def _dsar_erase(args) -> int:
    from storage.dsar import erase_subject

    now, policy = now_of(args), policy_of(args)
    receipt = erase_subject(
        open_catalog(), open_vault(), policy, args.customer, now=now, actor=actor_of(args)
    )
    text = receipt.to_json()
    _access_log(
        "dsar.erase",
        f"customer:{args.customer}",
        f"erased {len(receipt.erased)}, held {len(receipt.held)}",
    )
    if args.receipt:
        args.receipt.write_text(text, encoding="utf-8")
        print(
            f"erased {len(receipt.erased)}, held {len(receipt.held)}, deferred "
            f"{len(receipt.not_erased_now)}; receipt written to {args.receipt}"
        )
    else:
        sys.stdout.write(text)
    return 0 if not receipt.not_erased_now else 1


def _records_export(args) -> int:
    from policies.records import build_record, render_html, render_markdown

    kwargs = {k: v for k, v in (("controller", args.controller), ("contact", args.contact)) if v}
    record = build_record(policy_of(args), now=now_of(args), **kwargs)
    fmt = args.format or ("html" if args.output.suffix.lower() in (".html", ".htm") else "md")
    text = render_html(record) if fmt == "html" else render_markdown(record)
    args.output.write_text(text, encoding="utf-8")
    print(f"wrote the Art. 30 record ({fmt}) to {args.output}")
    return 0


def _hold_set(args) -> int:
    until = None
    if args.until:
        try:
            until = datetime.fromisoformat(args.until)
        except ValueError:
            raise BadInputError(f"--until {args.until!r} is not an ISO 8601 date-time") from None
        until = until if until.tzinfo else until.replace(tzinfo=UTC)
    now = now_of(args)
    hold = open_catalog().set_hold(
        now=now,
        reference=args.reference,
        reason=args.reason,
        set_by=actor_of(args),
        recording_id=args.recording,
        customer_id=args.customer,
        campaign=args.campaign,
        until=until,
    )
    _access_log("hold.set", f"hold:{hold.id}", hold.reference or "")
    print(json.dumps({"hold": hold.id, "scope": hold.scope, "reference": hold.reference}))
    return 0


def _hold_release(args) -> int:
    now = now_of(args)
    hold = open_catalog().release_hold(
        args.hold_id, now=now, released_by=actor_of(args), reason=args.reason
    )
    _access_log("hold.release", f"hold:{hold.id}", args.reason or "")
    print(json.dumps({"hold": hold.id, "released_at": hold.released_at.isoformat()}))
    return 0


def _hold_list(args) -> int:
    now = now_of(args)
    for h in open_catalog().holds(active_at=now if args.active else None):
        print(
            json.dumps(
                {
                    "hold": h.id,
                    "scope": h.scope,
                    "reference": h.reference,
                    "reason": h.reason,
                    "active": h.active(now),
                }
            )
        )
    return 0
