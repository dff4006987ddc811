"""wrapped data keys (owned by the vault)"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0001_keystore"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
