"""CRM event outbox, webhook deliveries (dead letters) and the breach register (owned by events)"""

import sqlalchemy as sa
from alembic import op

revision = "0004_events"
down_revision = "0003_access"
branch_labels = None
depends_on = None

_TS = sa.String(27)  # fixed-width UTC text, as in the access log


def upgrade() -> None:
    op.create_table(
        "event_outbox",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("type", sa.String(64), nullable=False),
        sa.Column("schema_version", sa.Integer(), nullable=False),
        sa.Column("occurred_at", _TS, nullable=False),
        sa.Column("campaign", sa.String(200), nullable=True),
        sa.Column("recording_id", sa.String(64), nullable=True),
        sa.Column("data", sa.Text(), nullable=False),
        sa.Column("dispatched_at", _TS, nullable=True),
    )
    op.create_index("ix_event_outbox_pending", "event_outbox", ["dispatched_at"])
    op.create_index("ix_event_outbox_recording", "event_outbox", ["recording_id"])
    op.create_index("ix_event_outbox_occurred", "event_outbox", ["occurred_at"])
    op.create_table(
        "event_deliveries",
        sa.Column("id", sa.Integer(), primary_key=True, autoincrement=True),
        sa.Column("event_id", sa.String(36), nullable=False),
        sa.Column("target", sa.String(64), nullable=False),
        sa.Column("state", sa.String(16), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("next_attempt_at", _TS, nullable=False),
        sa.Column("last_status", sa.Integer(), nullable=True),
        sa.Column("last_error", sa.Text(), nullable=True),
        sa.Column("delivered_at", _TS, nullable=True),
        sa.Column("updated_at", _TS, nullable=False),
        sa.UniqueConstraint("event_id", "target", name="uq_event_deliveries_event_target"),
    )
    op.create_index("ix_event_deliveries_due", "event_deliveries", ["state", "next_attempt_at"])
    op.create_table(
        "breach_register",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("declared_at", _TS, nullable=False),
        sa.Column("detected_at", _TS, nullable=True),
        sa.Column("title", sa.String(200), nullable=False),
        sa.Column("facts", sa.Text(), nullable=False),
        sa.Column("effects", sa.Text(), nullable=False),
        sa.Column("remedial_actions", sa.Text(), nullable=False),
        sa.Column("window_from", _TS, nullable=True),
        sa.Column("window_to", _TS, nullable=True),
        sa.Column("principal", sa.String(64), nullable=True),
        sa.Column("subjects_affected", sa.Integer(), nullable=True),
        sa.Column("recordings_affected", sa.Integer(), nullable=True),
        sa.Column("notified_authority_at", _TS, nullable=True),
        sa.Column("recorded_by", sa.String(64), nullable=False),
    )
    op.create_index("ix_breach_register_declared", "breach_register", ["declared_at"])


def downgrade() -> None:
    op.drop_table("breach_register")
    op.drop_table("event_deliveries")
    op.drop_table("event_outbox")
