"""users.totp_secret holds a sealed value (storage.totp_seal): widen it to text (owned by api/audit)

Only the column changes here. Sealing needs the keyring, which a migration does not have:
existing plain secrets are sealed by :meth:`storage.users.UserStore.seal_plain_totp` at
start-up and by the first read of each (see docs/access.md).
"""

import sqlalchemy as sa
from alembic import op

revision = "0005_totp_sealed"
down_revision = "0004_events"
branch_labels = None
depends_on = None


def upgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.alter_column(
            "totp_secret", existing_type=sa.String(64), type_=sa.Text(), existing_nullable=True
        )


def downgrade() -> None:
    with op.batch_alter_table("users") as batch:
        batch.alter_column(
            "totp_secret", existing_type=sa.Text(), type_=sa.String(64), existing_nullable=True
        )
