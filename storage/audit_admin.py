"""The access log as the administrative command lines open and write it.

Why a module of its own: the CLIs of ``api`` (users, tokens, audit) and of ``storage`` (DSAR,
legal holds) both log what an operator did, with the OS user as the actor. Storage must not
import ``api``, so the one helper they share lives here, beside the log. Dependencies are
imported on use, so importing this module costs nothing (``redactor --help`` stays instant).
"""

from __future__ import annotations

import getpass
import sys
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from storage.audit import AccessLog

__all__ = ["open_access_log", "log_cli_action"]


def open_access_log(create_key: bool = False) -> AccessLog:
    """This deployment's access log (catalog database migrated, checkpoints from the env)."""
    from storage.audit import AccessLog, AuditSettings
    from storage.audit_checkpoints import CheckpointStore
    from storage.db import make_engine, migrate, session_factory

    engine = make_engine()
    migrate(engine)
    return AccessLog(
        session_factory(engine),
        CheckpointStore.from_env(create_key=create_key),
        AuditSettings.from_env(),
    )


def log_cli_action(action: str, target: str, detail: str = "") -> None:
    """Administrative CLI actions are access-log entries too (actor: the OS user)."""
    from datetime import UTC, datetime

    from storage.audit import AccessEntry

    try:
        log = open_access_log(create_key=True)
    except Exception as exc:  # noqa: BLE001 - the change is done; say the log failed loudly
        print(f"redactor: warning: could not write the access log: {exc}", file=sys.stderr)
        return
    who = f"cli:{getpass.getuser()}"
    log.append(
        AccessEntry(who, "admin", action, "allowed", target=target, source="cli", detail=detail),
        now=datetime.now(UTC),
    )
