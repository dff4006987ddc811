"""``redactor events ...`` (outbox, dead letters, replay) and ``redactor breach ...``.

Handlers import their dependencies lazily. ``breach report`` exits 11 -- like ``redactor
audit verify`` -- when the access log fails verification, after naming the first bad entry.
"""

from __future__ import annotations

import getpass
import json
import sys

__all__ = ["register"]

TAMPERED_EXIT = 11


def register(subparsers) -> None:
    ev = subparsers.add_parser("events", help="CRM events: outbox, deliveries, dead letters")
    evs = ev.add_subparsers(dest="events_cmd", metavar="ACTION")
    ls = evs.add_parser("list", help="recent events (newest first)")
    ls.add_argument("--type", dest="event_type")
    ls.add_argument("--recording")
    ls.add_argument("--limit", type=int, default=50)
    ls.set_defaults(func=_events_list)
    dead = evs.add_parser("dead", help="the dead-letter store: deliveries that gave up")
    dead.add_argument("--limit", type=int, default=100)
    dead.set_defaults(func=_events_dead)
    rp = evs.add_parser("replay", help="send dead (or any) deliveries again")
    rp.add_argument("delivery_ids", nargs="*", type=int, help="delivery ids (see 'events dead')")
    rp.add_argument("--event", help="every delivery of this event id")
    rp.add_argument("--all-dead", action="store_true", help="every dead letter")
    rp.set_defaults(func=_events_replay)
    dl = evs.add_parser("deliver", help="one delivery round now (serve does this continuously)")
    dl.set_defaults(func=_events_deliver)
    sc = evs.add_parser("schema", help="print the JSON schema of an event type")
    sc.add_argument("event_type")
    sc.set_defaults(func=_events_schema)

    br = subparsers.add_parser("breach", help="breach evidence and the breach register")
    brs = br.add_subparsers(dest="breach_cmd", metavar="ACTION")
    rep = brs.add_parser("report", help="verify the access log, then list every access in a window")
    rep.add_argument("--from", dest="since", required=True, help="ISO time, e.g. 2024-05-01T08:00Z")
    rep.add_argument("--to", dest="until", required=True, help="ISO time (excluded)")
    rep.add_argument("--principal", help="only this principal's accesses")
    rep.add_argument("--csv", metavar="FILE", help="write the accesses as CSV ('-' = stdout)")
    rep.add_argument("--json", action="store_true", help="print the summary as JSON")
    rep.set_defaults(func=_breach_report)
    rec = brs.add_parser("record", help="declare a breach in the register (Art. 33(5))")
    rec.add_argument("--title", required=True)
    rec.add_argument("--facts", required=True)
    rec.add_argument("--effects", required=True)
    rec.add_argument("--remedial", required=True, help="remedial actions taken")
    rec.add_argument("--detected", help="ISO time the breach was detected")
    rec.add_argument("--from", dest="since", help="window start (ISO time)")
    rec.add_argument("--to", dest="until", help="window end (ISO time)")
    rec.add_argument("--principal")
    rec.add_argument("--subjects", type=int, help="number of data subjects affected")
    rec.add_argument("--recordings", type=int, help="number of recordings affected")
    rec.add_argument("--notified", help="ISO time the authority was notified")
    rec.set_defaults(func=_breach_record)
    bl = brs.add_parser("list", help="the declared breaches")
    bl.set_defaults(func=_breach_list)
    be = brs.add_parser("export", help="export the register")
    be.add_argument("--format", choices=("json", "csv"), default="json")
    be.add_argument("--out", default="-", help="file (default stdout)")
    be.set_defaults(func=_breach_export)


# --- wiring ------------------------------------------------------------------------------


def _now():
    from datetime import UTC, datetime

    return datetime.now(UTC)


def _actor() -> str:
    return f"cli:{getpass.getuser()}"


def _engine():
    from storage.db import make_engine, migrate

    engine = make_engine()
    migrate(engine)
    return engine


def _access_log(engine):
    from storage.audit import AccessLog, AuditSettings
    from storage.audit_checkpoints import CheckpointStore
    from storage.db import session_factory

    return AccessLog(
        session_factory(engine), CheckpointStore.from_env(create_key=True), AuditSettings.from_env()
    )


def _time(value: str | None, flag: str):
    from datetime import datetime

    from redactor.errors import BadInputError

    if value is None:
        return None
    try:
        when = datetime.fromisoformat(value.strip())
    except ValueError:
        raise BadInputError(
            f"{flag} {value!r} is not an ISO time such as 2024-05-01T08:00:00Z"
        ) from None
    if when.tzinfo is None:
        raise BadInputError(f"{flag} {value!r} has no time zone; add Z or +02:00")
    return when


def _open_out(path: str):
    if path == "-":
        return sys.stdout, False
    return open(path, "w", newline="", encoding="utf-8"), True  # noqa: SIM115


# --- events ------------------------------------------------------------------------------


def _events_list(args) -> int:
    from workers.events import list_events

    for ev in list_events(
        _engine(), event_type=args.event_type, recording_id=args.recording, limit=args.limit
    ):
        sent = ev.dispatched_at or "not yet dispatched"
        print(f"{ev.occurred_at}  {ev.id}  {ev.type:<22} {ev.recording_id or '-':<36}  {sent}")
    return 0


def _events_dead(args) -> int:
    from workers.webhooks_deliveries import dead_letters

    rows = dead_letters(_engine(), limit=args.limit)
    for d in rows:
        print(
            f"{d.id:>6}  {d.event_type:<22} {d.event_id}  -> {d.target}  "
            f"{d.attempts} attempts, last: {d.last_error or d.last_status}"
        )
    if not rows:
        print("no dead letters")
    return 0


def _events_replay(args) -> int:
    from workers.webhooks_deliveries import replay

    n = replay(
        _engine(),
        now=_now(),
        delivery_ids=args.delivery_ids,
        event_id=args.event,
        all_dead=args.all_dead,
    )
    print(f"{n} deliveries queued again")
    return 0


def _events_deliver(args) -> int:
    import os

    from policies import load_policy
    from policies.webhooks import webhooks_of
    from workers.webhooks import Dispatcher, WebhookSettings

    policy = webhooks_of(load_policy(os.environ.get("REDACTOR_POLICY") or None))
    report = Dispatcher(_engine(), policy, WebhookSettings.from_env()).run_once()
    print(
        f"fanned out {report.fanned_out}, sent {report.sent}: {report.delivered} delivered, "
        f"{report.failed} to retry, {report.dead} dead"
    )
    return 0


def _events_schema(args) -> int:
    from workers.events import schema_for

    print(json.dumps(schema_for(args.event_type), indent=2))
    return 0


# --- breach ------------------------------------------------------------------------------


def _breach_report(args) -> int:
    from storage.audit import AccessEntry
    from storage.breach import LogTampered, breach_report
    from storage.catalog_repo import Catalog

    since, until = _time(args.since, "--from"), _time(args.until, "--to")
    engine = _engine()
    log = _access_log(engine)
    target = f"window:{args.since}..{args.until}" + (
        f" principal:{args.principal}" if args.principal else ""
    )
    try:
        report = breach_report(
            log, since=since, until=until, principal=args.principal, catalog=Catalog(engine)
        )
    except LogTampered as exc:
        print(f"redactor: error: {exc}", file=sys.stderr)
        log.append(
            AccessEntry(_actor(), "compliance", "breach.report", "failed", target=target,
                        source="cli", detail=f"log failed verification at {exc.first_bad}"),
            now=_now(),
        )  # fmt: skip
        return TAMPERED_EXIT
    if args.csv:
        out, close = _open_out(args.csv)
        try:
            report.write_csv(out)
        finally:
            if close:
                out.close()
    text = json.dumps(report.summary.as_dict(), indent=2) + "\n" if args.json else None
    (sys.stderr if args.csv == "-" else sys.stdout).write(text or report.summary.text())
    log.append(
        AccessEntry(_actor(), "compliance", "breach.report", "allowed", target=target,
                    source="cli", detail=f"{report.summary.accesses} accesses reported"),
        now=_now(),
    )  # fmt: skip
    return 0


def _register():
    from storage.breach import BreachRegister

    engine = _engine()
    return BreachRegister(engine, _access_log(engine))


def _breach_record(args) -> int:
    window = None
    if args.since or args.until:
        if not (args.since and args.until):
            from redactor.errors import BadInputError

            raise BadInputError("give both --from and --to for the window, or neither")
        window = (_time(args.since, "--from"), _time(args.until, "--to"))
    b = _register().record(
        title=args.title,
        facts=args.facts,
        effects=args.effects,
        remedial_actions=args.remedial,
        actor=_actor(),
        now=_now(),
        detected_at=_time(args.detected, "--detected"),
        window=window,
        principal=args.principal,
        subjects_affected=args.subjects,
        recordings_affected=args.recordings,
        notified_authority_at=_time(args.notified, "--notified"),
    )
    print(b.id)
    return 0


def _breach_list(args) -> int:
    items = _register().list(actor=_actor(), now=_now())
    for b in items:
        print(f"{b.declared_at}  {b.id}  {b.title}")
    if not items:
        print("no breaches declared")
    return 0


def _breach_export(args) -> int:
    out, close = _open_out(args.out)
    try:
        _register().export(out, fmt=args.format, actor=_actor(), now=_now())
    finally:
        if close:
            out.close()
    return 0
