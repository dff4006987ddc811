"""Alembic environment: runs on the connection handed in by :func:`storage.db.migrate`."""

from alembic import context

from storage.db import Base

config = context.config
connection = config.attributes.get("connection")
if connection is None:  # pragma: no cover - always called through storage.db.migrate
    raise RuntimeError("run migrations through storage.db.migrate()")
context.configure(connection=connection, target_metadata=Base.metadata, render_as_batch=True)
with context.begin_transaction():
    context.run_migrations()
