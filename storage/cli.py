"""``redactor vault ...`` and ``redactor s3 ...``: the vault and a local S3 server by hand.

Handlers import their dependencies lazily (``redactor --help`` stays instant) and raise
:class:`~redactor.errors.RedactorError` subclasses, which the dispatcher turns into one line
and an exit code.
"""

from __future__ import annotations

import argparse
import json
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path

from redactor.errors import BadInputError, NotFoundError

__all__ = ["register"]


def register(subparsers: argparse._SubParsersAction) -> None:
    _register_vault(subparsers)
    _register_s3(subparsers)


# -- vault ---------------------------------------------------------------------------------
def _register_vault(subparsers: argparse._SubParsersAction) -> None:
    vault = subparsers.add_parser(
        "vault",
        help="encrypted storage of recordings, transcripts and reports",
        description="Encrypted storage: put, get, head, delete, rotate keys, crypto-shred.",
    )
    vault.add_argument("--bucket", help="vault bucket (default REDACTOR_VAULT_BUCKET or 'vault')")
    sub = vault.add_subparsers(dest="vault_command", metavar="ACTION", required=True)

    p = sub.add_parser("init", help="create the vault bucket (object lock) and a first KEK")
    p.add_argument("--no-object-lock", action="store_true", help="bucket without object lock")
    p.set_defaults(func=_vault_init)

    p = sub.add_parser("put", help="encrypt and store a file")
    p.add_argument("recording_id")
    p.add_argument("kind", help="audio, transcript, report or quarantine")
    p.add_argument("file", type=Path)
    p.add_argument("--key", help="object key (default <recording>/<kind>/<key id>)")
    lock = p.add_mutually_exclusive_group()
    lock.add_argument("--retain-days", type=int, help="object lock for N days")
    lock.add_argument("--retain-until", help="object lock until this ISO date-time (UTC)")
    p.add_argument("--lock-mode", choices=("COMPLIANCE", "GOVERNANCE"), default="COMPLIANCE")
    p.add_argument("--legal-hold", action="store_true")
    p.set_defaults(func=_vault_put)

    p = sub.add_parser("get", help="verify, decrypt and write an object")
    p.add_argument("key")
    p.add_argument("-o", "--output", help="output file ('-' = stdout, the default)", default="-")
    p.add_argument("--version-id")
    p.set_defaults(func=_vault_get)

    p = sub.add_parser("head", help="show an object's state (readable / shredded) as JSON")
    p.add_argument("key")
    p.add_argument("--version-id")
    p.set_defaults(func=_vault_head)

    p = sub.add_parser("verify", help="authenticate every segment of an object")
    p.add_argument("key")
    p.add_argument("--version-id")
    p.set_defaults(func=_vault_verify)

    p = sub.add_parser("delete", help="delete an object (keys stay; use shred to destroy)")
    p.add_argument("key")
    p.add_argument("--version-id")
    p.set_defaults(func=_vault_delete)

    p = sub.add_parser("shred", help="destroy the data keys of a recording (or of one object)")
    target = p.add_mutually_exclusive_group(required=True)
    target.add_argument("recording_id", nargs="?")
    target.add_argument("--key", help="shred only this object's key")
    p.set_defaults(func=_vault_shred)

    p = sub.add_parser("rotate", help="re-wrap every data key under the primary KEK (resumable)")
    p.add_argument("--new-kek", action="store_true", help="create a new local KEK version first")
    p.add_argument("--kek-id", help="target KEK id (default: the keyring's primary)")
    p.add_argument("--batch", type=int, default=200)
    p.add_argument("--retire-old", action="store_true", help="destroy local KEKs left unused")
    p.set_defaults(func=_vault_rotate)

    p = sub.add_parser("keys", help="list KEKs and how many data keys each wraps")
    p.add_argument("--new", action="store_true", help="create a new local KEK version")
    p.set_defaults(func=_vault_keys)


def _vault(args, *, migrate: bool = True):
    from .settings import VaultSettings
    from .vault import Vault

    vs = VaultSettings.from_env(bucket=getattr(args, "bucket", None))
    return Vault.from_settings(vs, migrate=migrate)


def _ref(vault, args):
    from .vault import ObjectRef

    return ObjectRef(vault.bucket, args.key, getattr(args, "version_id", None))


def _vault_init(args) -> int:
    from .keyring import LocalKeyring

    vault = _vault(args)
    vault.ensure_bucket(object_lock=not args.no_object_lock)
    if isinstance(vault.keyring, LocalKeyring) and not vault.keyring.versions():
        print(f"created key-encryption key {vault.keyring.generate()}", file=sys.stderr)
    print(f"vault bucket {vault.bucket!r} ready; primary KEK {vault.keyring.primary_id}")
    return 0


def _vault_put(args) -> int:
    retain_until = None
    if args.retain_days is not None:
        retain_until = datetime.now(UTC) + timedelta(days=args.retain_days)
    elif args.retain_until:
        try:
            retain_until = datetime.fromisoformat(args.retain_until)
        except ValueError:
            raise BadInputError(
                f"--retain-until {args.retain_until!r} is not an ISO date-time"
            ) from None
        if retain_until.tzinfo is None:
            retain_until = retain_until.replace(tzinfo=UTC)
    vault = _vault(args)
    obj = vault.put(
        args.recording_id,
        args.kind,
        args.file,
        key=args.key,
        retain_until=retain_until,
        lock_mode=args.lock_mode,
        legal_hold=args.legal_hold,
    )
    print(
        json.dumps(
            {
                "bucket": obj.bucket,
                "key": obj.key,
                "version_id": obj.version_id,
                "key_id": obj.key_id,
                "kek_id": obj.kek_id,
                "size": obj.size,
                "stored_size": obj.stored_size,
                "sha256": obj.sha256,
            },
            indent=2,
        )
    )
    return 0


def _vault_get(args) -> int:
    vault = _vault(args)
    if args.output == "-":
        n = vault.get_to(_ref(vault, args), sys.stdout.buffer)
        sys.stdout.buffer.flush()
    else:
        n = vault.get_to(_ref(vault, args), Path(args.output))
        print(f"wrote {n} bytes to {args.output}", file=sys.stderr)
    return 0


def _status_json(status) -> str:
    from dataclasses import asdict

    def default(value):
        return value.isoformat() if isinstance(value, datetime) else str(value)

    return json.dumps(asdict(status), indent=2, default=default)


def _vault_head(args) -> int:
    vault = _vault(args)
    print(_status_json(vault.head(_ref(vault, args))))
    return 0


def _vault_verify(args) -> int:
    vault = _vault(args)
    status = vault.verify(_ref(vault, args))
    print(f"intact: {status.bucket}/{status.key} ({status.size} bytes)")
    return 0


def _vault_delete(args) -> int:
    vault = _vault(args)
    vault.delete(_ref(vault, args))
    print(f"deleted {vault.bucket}/{args.key}")
    return 0


def _vault_shred(args) -> int:
    vault = _vault(args)
    if args.key:
        n = vault.shred_object(_ref(vault, args))
        print(f"shredded {n} data key(s) of {vault.bucket}/{args.key}")
    else:
        n = vault.shred(args.recording_id)
        if n == 0 and not vault.keys(args.recording_id):
            raise NotFoundError(f"recording {args.recording_id!r} has no keys in the key store")
        print(f"shredded {n} data key(s) of recording {args.recording_id}")
    return 0


def _vault_rotate(args) -> int:
    from .keyring import LocalKeyring

    vault = _vault(args)
    if args.new_kek:
        if not isinstance(vault.keyring, LocalKeyring):
            raise BadInputError("--new-kek works with the local keyring; create KMS keys in KMS")
        print(f"created key-encryption key {vault.keyring.generate()}", file=sys.stderr)
    report = vault.rotate(args.kek_id, batch=args.batch)
    print(
        f"re-wrapped {report.rewrapped} data key(s) under {report.kek_id}; "
        f"{report.remaining} remaining; {len(report.failed)} failed"
    )
    if args.retire_old and report.complete and isinstance(vault.keyring, LocalKeyring):
        for kek in vault.keyring.ids():
            if kek != report.kek_id:
                vault.retire_kek(kek)
                print(f"destroyed key-encryption key {kek}", file=sys.stderr)
    return 0 if report.complete else 1


def _vault_keys(args) -> int:
    from .keyring import LocalKeyring

    vault = _vault(args)
    if args.new:
        if not isinstance(vault.keyring, LocalKeyring):
            raise BadInputError("--new works with the local keyring; create KMS keys in KMS")
        print(f"created key-encryption key {vault.keyring.generate()}", file=sys.stderr)
    counts = vault.keystore.count_by_kek()
    primary = vault.keyring.primary_id
    for kek in vault.keyring.ids():
        mark = "*" if kek == primary else " "
        print(f"{mark} {kek}  {counts.get(kek, 0)} data key(s)")
    return 0


# -- s3 ------------------------------------------------------------------------------------
def _register_s3(subparsers: argparse._SubParsersAction) -> None:
    s3 = subparsers.add_parser(
        "s3",
        help="a local SeaweedFS S3 server for development",
        description="Run SeaweedFS (weed mini) on free loopback ports with data under "
        "$REDACTOR_HOME/s3.",
    )
    sub = s3.add_subparsers(dest="s3_command", metavar="ACTION", required=True)
    for name, func, helptext in (
        ("serve", _s3_serve, "run in the foreground until Ctrl+C"),
        ("start", _s3_start, "start in the background; write $REDACTOR_HOME/s3/server.json"),
    ):
        p = sub.add_parser(name, help=helptext)
        p.add_argument("--data-dir", type=Path, help="data directory (default $REDACTOR_HOME/s3)")
        p.add_argument("--bucket", action="append", default=[], help="create this bucket")
        p.add_argument("--locked-bucket", action="append", default=[], help="... with object lock")
        p.set_defaults(func=func)
    p = sub.add_parser("stop", help="stop the background server by its pid")
    p.set_defaults(func=_s3_stop)
    p = sub.add_parser("status", help="show the background server's endpoint")
    p.set_defaults(func=_s3_status)


def _server(args):
    from .seaweed import SeaweedServer
    from .settings import local_server_state_path

    data_dir = args.data_dir or local_server_state_path().parent
    state = local_server_state_path()
    creds = {}
    if state.is_file():
        old = json.loads(state.read_text())
        creds = {"access_key": old.get("access_key"), "secret_key": old.get("secret_key")}
    return SeaweedServer(data_dir=data_dir, **creds)


def _make_buckets(server, args) -> None:
    from .objectstore import ObjectStore

    store = ObjectStore(server.settings())
    for b in args.bucket:
        store.create_bucket(b, versioning=True)
    for b in args.locked_bucket:
        store.create_bucket(b, object_lock=True)


def _s3_serve(args) -> int:
    import signal

    server = _server(args)
    server.start()
    _make_buckets(server, args)
    print(
        f"SeaweedFS S3 at {server.endpoint_url} (pid {server.pid})\n"
        f"export REDACTOR_S3_ENDPOINT={server.endpoint_url}\n"
        f"export REDACTOR_S3_ACCESS_KEY={server.access_key}\n"
        f"export REDACTOR_S3_SECRET_KEY={server.secret_key}",
        flush=True,
    )
    signal.signal(signal.SIGTERM, lambda *_: (_ for _ in ()).throw(KeyboardInterrupt()))
    try:
        assert server.process is not None
        server.process.wait()
    except KeyboardInterrupt:
        pass
    finally:
        server.stop()
    return 0


def _s3_start(args) -> int:
    from .seaweed import pid_is_weed
    from .settings import local_server_state_path

    state = local_server_state_path()
    if state.is_file():
        old = json.loads(state.read_text())
        if pid_is_weed(int(old["pid"])):
            print(f"already running: {old['endpoint_url']} (pid {old['pid']})")
            return 0
    server = _server(args)
    server.start(detach=True)
    server.write_state(state)
    _make_buckets(server, args)
    print(f"SeaweedFS S3 at {server.endpoint_url} (pid {server.pid}); state in {state}")
    return 0


def _s3_stop(args) -> int:
    from .seaweed import stop_from_state
    from .settings import local_server_state_path

    pid = stop_from_state(local_server_state_path())
    print("not running" if pid is None else f"stopped SeaweedFS (pid {pid})")
    return 0


def _s3_status(args) -> int:
    from .seaweed import pid_is_weed
    from .settings import local_server_state_path

    state = local_server_state_path()
    if not state.is_file():
        print("not running")
        return 1
    data = json.loads(state.read_text())
    alive = pid_is_weed(int(data["pid"]))
    print(f"{'running' if alive else 'dead'}: {data['endpoint_url']} (pid {data['pid']})")
    return 0 if alive else 1
