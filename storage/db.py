"""The catalog database: one SQLAlchemy metadata, one engine factory, Alembic migrations.

The embedded default is an SQLite file (single machine, no server). PostgreSQL is for several
machines. Tables are declared by the modules that own them (key store, catalog, access log),
all on :data:`Base`; the schema itself is created only by the Alembic migrations in
``storage/migrations`` so SQLite and PostgreSQL always have the same shape.
"""

from __future__ import annotations

import contextlib
import os
from collections.abc import Iterator
from pathlib import Path

from sqlalchemy import Engine, create_engine, event
from sqlalchemy.orm import DeclarativeBase, sessionmaker

__all__ = ["Base", "make_engine", "migrate", "session_factory", "default_url"]

MIGRATIONS_DIR = Path(__file__).with_name("migrations")


class Base(DeclarativeBase):
    """Declarative base shared by every table of the catalog database."""


def default_url() -> str:
    """``REDACTOR_DATABASE_URL`` or an SQLite file under ``REDACTOR_HOME`` (default ``./var``)."""
    url = os.environ.get("REDACTOR_DATABASE_URL")
    if url:
        return url
    home = Path(os.environ.get("REDACTOR_HOME", "var"))
    home.mkdir(parents=True, exist_ok=True)
    return f"sqlite:///{(home / 'catalog.sqlite').resolve()}"


def make_engine(url: str | None = None) -> Engine:
    """Create an engine. SQLite gets WAL and a busy timeout so several processes can share it."""
    url = url or default_url()
    if url.startswith("sqlite"):
        engine = create_engine(url, connect_args={"timeout": 30})

        @event.listens_for(engine, "connect")
        def _sqlite_pragmas(dbapi_conn, _record):  # pragma: no cover - trivial
            cur = dbapi_conn.cursor()
            cur.execute("PRAGMA journal_mode=WAL")
            cur.execute("PRAGMA foreign_keys=ON")
            cur.close()

        return engine
    return create_engine(url, pool_pre_ping=True)


def session_factory(engine: Engine) -> sessionmaker:
    return sessionmaker(bind=engine, expire_on_commit=False)


def migrate(engine: Engine, revision: str = "head") -> None:
    """Bring the database schema up to ``revision`` with Alembic (idempotent)."""
    from alembic import command
    from alembic.config import Config

    cfg = Config()
    cfg.set_main_option("script_location", str(MIGRATIONS_DIR))
    # Several processes start at once against a fresh database (a worker, the watcher, the
    # API): one migrates, the others wait and then find it done. Without this, two of them
    # both see no schema and the slower one fails with "table already exists".
    with _migration_lock(engine), engine.begin() as conn:
        if engine.dialect.name == "postgresql":
            conn.exec_driver_sql(f"SELECT pg_advisory_xact_lock({_PG_MIGRATION_LOCK})")
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)


_PG_MIGRATION_LOCK = 0x7265_6461_6374  # "redact": one advisory lock id for our migrations


@contextlib.contextmanager
def _migration_lock(engine: Engine) -> Iterator[None]:
    """An exclusive lock on ``<database file>.migrate.lock`` for an SQLite file (PostgreSQL
    uses an advisory lock inside the migration's transaction instead)."""
    path = engine.url.database if engine.dialect.name == "sqlite" else None
    if not path or path == ":memory:":
        yield
        return
    import fcntl

    with open(f"{path}.migrate.lock", "a") as fh:
        fcntl.flock(fh, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(fh, fcntl.LOCK_UN)
