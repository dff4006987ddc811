"""wrapped data keys (owned by the vault)"""

import sqlalchemy as sa
from alembic import op

revision = "0001_keystore"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "vault_data_keys",
        sa.Column("key_id", sa.String(32), primary_key=True),
        sa.Column("recording_id", sa.String(200), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("bucket", sa.String(63), nullable=False),
        sa.Column("object_key", sa.String(1024), nullable=False),
        sa.Column("format_version", sa.Integer(), nullable=False),
        sa.Column("kek_id", sa.String(300), nullable=True),
        sa.Column("wrapped", sa.LargeBinary(), nullable=True),
        sa.Column("plaintext_size", sa.BigInteger(), nullable=True),
        sa.Column("stored_size", sa.BigInteger(), nullable=True),
        sa.Column("ciphertext_sha256", sa.String(64), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("rotated_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("shredded_at", sa.DateTime(timezone=True), nullable=True),
    )
    op.create_index("ix_vault_data_keys_recording_id", "vault_data_keys", ["recording_id"])
    op.create_index("ix_vault_data_keys_kek_id", "vault_data_keys", ["kek_id"])
    op.create_index("ix_vault_data_keys_object", "vault_data_keys", ["bucket", "object_key"])


def downgrade() -> None:
    op.drop_index("ix_vault_data_keys_object", table_name="vault_data_keys")
    op.drop_index("ix_vault_data_keys_kek_id", table_name="vault_data_keys")
    op.drop_index("ix_vault_data_keys_recording_id", table_name="vault_data_keys")
    op.drop_table("vault_data_keys")
