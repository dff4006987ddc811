"""recordings catalog, holds, state history (owned by the catalog)"""

import sqlalchemy as sa  # noqa: F401
from alembic import op  # noqa: F401

revision = "0002_catalog"
down_revision = '0001_keystore'
branch_labels = None
depends_on = None


def upgrade() -> None:
    pass


def downgrade() -> None:
    pass
