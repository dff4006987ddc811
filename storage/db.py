"""The catalog database: one SQLAlchemy metadata, one engine factory, Alembic migrations.

The embedded default is an SQLite file (single machine, no server). PostgreSQL is for several
machines. Tables are declared by the modules that own them (key store, catalog, access log),
all on :data:`Base`; the schema itself is created only by the Alembic migrations in
``storage/migrations`` so SQLite and PostgreSQL always have the same shape.
"""

from __future__ import annotations

import os
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
    with engine.begin() as conn:
        cfg.attributes["connection"] = conn
        command.upgrade(cfg, revision)
