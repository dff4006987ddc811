"""``redactor serve``, ``redactor users ...``, ``redactor tokens ...``, ``redactor audit ...``.

Handlers import their dependencies lazily (``redactor --help`` stays instant). Secrets
(a TOTP provisioning URI, an API token) are printed once, on stdout, and never logged.
"""

from __future__ import annotations

import getpass
import sys

from storage.audit_admin import log_cli_action as _log_cli
from storage.audit_admin import open_access_log as _audit

__all__ = ["register", "run_server"]


def register(subparsers) -> None:
    p = subparsers.add_parser("serve", help="run the HTTP API and web pages")
    p.add_argument(
        "--host", default=None, help="bind address (default REDACTOR_API_HOST or 127.0.0.1)"
    )
    p.add_argument(
        "--port", type=int, default=None, help="port (default REDACTOR_API_PORT or 8080)"
    )
    p.set_defaults(func=_serve)

    users = subparsers.add_parser("users", help="manage people and machines").add_subparsers(
        dest="users_cmd", metavar="ACTION"
    )
    a = users.add_parser("add", help="create a user (people get a TOTP URI, machines a token)")
    a.add_argument("name")
    a.add_argument("--roles", required=True, help="comma-separated: ingest, qa, compliance, admin")
    a.add_argument("--campaigns", default="", help="comma-separated campaigns (qa)")
    a.add_argument("--machine", action="store_true", help="an API client: token only, no password")
    a.add_argument("--password-stdin", action="store_true", help="read the password from stdin")
    a.set_defaults(func=_users_add)
    ls = users.add_parser("list", help="list users")
    ls.set_defaults(func=_users_list)
    for name, helptext in (
        ("disable", "disable a user (ends sessions)"),
        ("enable", "enable a user"),
        ("unlock", "clear a lockout"),
    ):
        x = users.add_parser(name, help=helptext)
        x.add_argument("name")
        x.set_defaults(func=_users_flag, flag=name)
    s = users.add_parser("set", help="change roles or campaigns")
    s.add_argument("name")
    s.add_argument("--roles")
    s.add_argument("--campaigns")
    s.set_defaults(func=_users_set)
    r = users.add_parser("reset-totp", help="issue a new TOTP secret (prints the URI)")
    r.add_argument("name")
    r.set_defaults(func=_users_reset_totp)
    pw = users.add_parser("passwd", help="set a person's password (read from stdin or prompted)")
    pw.add_argument("name")
    pw.add_argument("--password-stdin", action="store_true")
    pw.set_defaults(func=_users_passwd)

    tokens = subparsers.add_parser("tokens", help="API tokens").add_subparsers(
        dest="tokens_cmd", metavar="ACTION"
    )
    c = tokens.add_parser("create", help="create a token for a user (printed once)")
    c.add_argument("user")
    c.add_argument("--label", default="")
    c.set_defaults(func=_tokens_create)
    rv = tokens.add_parser("revoke", help="revoke a token by id")
    rv.add_argument("token_id")
    rv.set_defaults(func=_tokens_revoke)
    tl = tokens.add_parser("list", help="list tokens (ids only)")
    tl.add_argument("--user")
    tl.set_defaults(func=_tokens_list)

    audit = subparsers.add_parser("audit", help="the access log").add_subparsers(
        dest="audit_cmd", metavar="ACTION"
    )
    v = audit.add_parser("verify", help="check the chain against the signed checkpoints")
    v.set_defaults(func=_audit_verify)
    e = audit.add_parser("export", help="export entries as CSV")
    e.add_argument("--csv", metavar="FILE", default="-", help="output file (default stdout)")
    e.add_argument("--actor")
    e.add_argument("--recording")
    e.add_argument("--action")
    e.add_argument("--since", help="ISO time, e.g. 2024-05-01T00:00:00Z")
    e.add_argument("--until")
    e.set_defaults(func=_audit_export)
    cp = audit.add_parser("checkpoint", help="sign and store a checkpoint now")
    cp.set_defaults(func=_audit_checkpoint)


# --- wiring ------------------------------------------------------------------------------


def _now():
    from datetime import UTC, datetime

    return datetime.now(UTC)


def _users():
    from storage.db import make_engine, migrate, session_factory
    from storage.users import AuthSettings, UserStore

    engine = make_engine()
    migrate(engine)
    return UserStore(session_factory(engine), AuthSettings.from_env())


def _read_password(from_stdin: bool) -> str:
    if from_stdin:
        return sys.stdin.readline().rstrip("\n")
    first = getpass.getpass("password: ")
    if first != getpass.getpass("again: "):
        from redactor.errors import BadInputError

        raise BadInputError("the two passwords differ")
    return first


# --- handlers ----------------------------------------------------------------------------


def run_server(host: str, port: int, background: list | None = None) -> int:
    """Run the API with uvicorn plus ``background`` services (objects with ``start()`` and
    ``stop()``: the ingest watcher, workers and scheduler add themselves here). A checkpoint
    ticker always runs, so a quiet access log is still checkpointed every T minutes."""
    import threading

    import uvicorn

    from api.app import create_app
    from api.services import build_services
    from api.settings import ApiSettings

    services = build_services(ApiSettings.from_env(host=host, port=port))
    services.audit.checkpoints.ensure_bucket()
    stop = threading.Event()

    def tick():
        while not stop.wait(60):
            try:
                services.audit.maybe_checkpoint(now=services.clock())
            except Exception as exc:  # noqa: BLE001 - keep ticking; logged
                import logging

                logging.getLogger("redactor.audit").error("checkpoint tick failed: %s", exc)

    ticker = threading.Thread(target=tick, name="audit-checkpoints", daemon=True)
    ticker.start()
    started = []
    try:
        for svc in background or []:
            svc.start()
            started.append(svc)
        uvicorn.run(
            create_app(services), host=host, port=port, log_level="info", proxy_headers=False
        )
    finally:
        stop.set()
        for svc in reversed(started):
            svc.stop()
    return 0


def _serve(args) -> int:
    from api.settings import ApiSettings
    from workers.cli import background_services

    s = ApiSettings.from_env()
    # one command on one machine: the API plus the ingest watcher, workers and scheduler
    return run_server(args.host or s.host, args.port or s.port, background=background_services())


def _users_add(args) -> int:
    users = _users()
    password = None
    if not args.machine:
        password = _read_password(args.password_stdin)
    created = users.create_user(
        args.name,
        args.roles,
        now=_now(),
        campaigns=[c for c in args.campaigns.split(",") if c],
        kind="machine" if args.machine else "person",
        password=password,
        with_token=args.machine,
    )
    _log_cli(
        "user.manage",
        f"user:{created.user.name}",
        f"create roles={args.roles} campaigns={args.campaigns}",
    )
    print(f"created {created.user.kind} {created.user.name}")
    if created.totp_uri:
        print(
            f"TOTP provisioning URI (shown once; add it to an authenticator app):\n{created.totp_uri}"
        )
    if created.token:
        print(f"API token (shown once):\n{created.token}")
    return 0


def _users_list(args) -> int:
    for u in _users().list_users():
        roles = ",".join(sorted(r.value for r in u.roles))
        state = (
            "disabled"
            if u.disabled
            else ("locked" if u.locked_until and u.locked_until > _now() else "active")
        )
        print(f"{u.name}\t{u.kind}\t{roles}\t{','.join(sorted(u.campaigns)) or '-'}\t{state}")
    return 0


def _users_flag(args) -> int:
    users = _users()
    if args.flag == "unlock":
        users.update_user(args.name, unlock=True)
    else:
        users.update_user(args.name, disabled=args.flag == "disable")
    _log_cli("user.manage", f"user:{args.name}", args.flag)
    print(f"{args.name}: {args.flag}d" if args.flag != "unlock" else f"{args.name}: unlocked")
    return 0


def _users_set(args) -> int:
    campaigns = None if args.campaigns is None else [c for c in args.campaigns.split(",") if c]
    _users().update_user(args.name, roles=args.roles, campaigns=campaigns)
    _log_cli(
        "user.manage", f"user:{args.name}", f"set roles={args.roles} campaigns={args.campaigns}"
    )
    print(f"{args.name}: updated")
    return 0


def _users_reset_totp(args) -> int:
    uri = _users().reset_totp(args.name)
    _log_cli("user.manage", f"user:{args.name}", "TOTP reset")
    print(f"TOTP provisioning URI (shown once):\n{uri}")
    return 0


def _users_passwd(args) -> int:
    _users().update_user(args.name, password=_read_password(args.password_stdin))
    _log_cli("user.manage", f"user:{args.name}", "password set")
    print(f"{args.name}: password set")
    return 0


def _tokens_create(args) -> int:
    info, token = _users().create_token(args.user, now=_now(), label=args.label)
    _log_cli("user.manage", f"token:{info.id}", f"token created for {args.user}")
    print(f"token id {info.id} for {info.user} (the token is shown once):\n{token}")
    return 0


def _tokens_revoke(args) -> int:
    _users().revoke_token(args.token_id, now=_now())
    _log_cli("user.manage", f"token:{args.token_id}", "token revoked")
    print(f"token {args.token_id} revoked")
    return 0


def _tokens_list(args) -> int:
    for t in _users().list_tokens(args.user):
        state = f"revoked {t.revoked_at.isoformat()}" if t.revoked_at else "active"
        print(f"{t.id}\t{t.user}\t{t.label or '-'}\t{state}")
    return 0


def _audit_verify(args) -> int:
    report = _audit().verify()
    print(report.summary())
    for problem in report.checkpoint_problems:
        print(f"checkpoint problem: {problem}")
    return 0 if report.ok else 11


def _audit_export(args) -> int:
    from datetime import datetime

    from storage.audit import AccessQuery

    def when(raw):
        return datetime.fromisoformat(raw.replace("Z", "+00:00")) if raw else None

    q = AccessQuery(
        actor=args.actor,
        recording_id=args.recording,
        action=args.action,
        since=when(args.since),
        until=when(args.until),
    )
    log = _audit()
    if args.csv == "-":
        n = log.export_csv(sys.stdout, q)
    else:
        with open(args.csv, "w", newline="", encoding="utf-8") as fh:
            n = log.export_csv(fh, q)
    _log_cli("audit.export", "access-log", f"{n} entries to {args.csv}")
    print(f"exported {n} entries", file=sys.stderr)
    return 0


def _audit_checkpoint(args) -> int:
    cp = _audit(create_key=True).checkpoint(now=_now())
    print(f"checkpoint: {cp.size} entries, head {cp.head[:16]}…, {cp.object_key}")
    return 0
