"""recordings catalog, holds, state history (owned by the catalog)"""

import sqlalchemy as sa
from alembic import op

revision = "0002_catalog"
down_revision = "0001_keystore"
branch_labels = None
depends_on = None

TS = sa.DateTime(timezone=True)


def upgrade() -> None:
    op.create_table(
        "recordings",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column("source_bucket", sa.String(255)),
        sa.Column("source_key", sa.String(1024), nullable=False),
        sa.Column("call_id", sa.String(200)),
        sa.Column("agent_id", sa.String(200)),
        sa.Column("campaign", sa.String(200)),
        sa.Column("direction", sa.String(16)),
        sa.Column("started_at", TS),
        sa.Column("language", sa.String(32)),
        sa.Column("channel_layout", sa.String(32)),
        sa.Column("customer_id", sa.String(200)),
        sa.Column("phone_hash", sa.String(128)),
        sa.Column("consent_disclosed", sa.Boolean),
        sa.Column("consent_method", sa.String(100)),
        sa.Column("policy_campaign", sa.String(200)),
        sa.Column("policy_digest", sa.String(64)),
        sa.Column("policy_source", sa.String(500)),
        sa.Column("sidecar_error", sa.Text),
        sa.Column("redaction_summary", sa.JSON),
        sa.Column("state", sa.String(32), nullable=False),
        sa.Column("received_at", TS, nullable=False),
        sa.Column("updated_at", TS, nullable=False),
        sa.Column("retain_until", TS),
        sa.Column("next_due_at", TS),
        sa.Column("claim_token", sa.String(64)),
        sa.Column("claim_until", TS),
        sa.UniqueConstraint("source_key", name="uq_recordings_source_key"),
    )
    for col in ("agent_id", "campaign", "started_at", "customer_id", "phone_hash", "state"):
        op.create_index(f"ix_recordings_{col}", "recordings", [col])
    op.create_index("ix_recordings_next_due_at", "recordings", ["next_due_at"])

    op.create_table(
        "recording_objects",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "recording_id",
            sa.String(36),
            sa.ForeignKey("recordings.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("kind", sa.String(16), nullable=False),
        sa.Column("bucket", sa.String(255)),
        sa.Column("key", sa.String(1024), nullable=False),
        sa.Column("version_id", sa.String(1024)),
        sa.Column("key_id", sa.String(200)),
        sa.Column("size", sa.Integer),
        sa.Column("sha256", sa.String(64)),
        sa.Column("content_type", sa.String(100)),
        sa.Column("stored_at", TS, nullable=False),
        sa.Column("delete_after", TS),
        sa.Column("deleted_at", TS),
        sa.Column("deleted_reason", sa.String(32)),
        sa.UniqueConstraint("recording_id", "kind", name="uq_recording_objects_kind"),
    )
    op.create_index("ix_recording_objects_recording_id", "recording_objects", ["recording_id"])
    op.create_index("ix_recording_objects_key_id", "recording_objects", ["key_id"])

    op.create_table(
        "legal_holds",
        sa.Column("id", sa.String(36), primary_key=True),
        sa.Column(
            "recording_id", sa.String(36), sa.ForeignKey("recordings.id", ondelete="CASCADE")
        ),
        sa.Column("customer_id", sa.String(200)),
        sa.Column("campaign", sa.String(200)),
        sa.Column("reference", sa.String(200), nullable=False),
        sa.Column("reason", sa.Text, nullable=False),
        sa.Column("set_by", sa.String(200), nullable=False),
        sa.Column("set_at", TS, nullable=False),
        sa.Column("until", TS),
        sa.Column("released_at", TS),
        sa.Column("released_by", sa.String(200)),
        sa.Column("release_reason", sa.Text),
    )
    for col in ("recording_id", "customer_id", "campaign"):
        op.create_index(f"ix_legal_holds_{col}", "legal_holds", [col])

    op.create_table(
        "recording_events",
        sa.Column("id", sa.Integer, primary_key=True, autoincrement=True),
        sa.Column(
            "recording_id",
            sa.String(36),
            sa.ForeignKey("recordings.id", ondelete="CASCADE"),
            nullable=False,
        ),
        sa.Column("at", TS, nullable=False),
        sa.Column("from_state", sa.String(32)),
        sa.Column("to_state", sa.String(32)),
        sa.Column("action", sa.String(64), nullable=False),
        sa.Column("actor", sa.String(200), nullable=False),
        sa.Column("detail", sa.JSON),
    )
    op.create_index("ix_recording_events_recording_at", "recording_events", ["recording_id", "id"])


def downgrade() -> None:
    op.drop_table("recording_events")
    op.drop_table("legal_holds")
    op.drop_table("recording_objects")
    op.drop_table("recordings")
