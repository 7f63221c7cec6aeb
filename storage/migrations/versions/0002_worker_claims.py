"""worker claims: the sender of each inbound event, and download claims on attachments

Revision ID: 0002
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("inbound_events") as batch:
        batch.add_column(sa.Column("subject", sa.String(length=64), nullable=True))
        batch.create_index("ix_inbound_events_subject_state", ["subject", "state"])
    with op.batch_alter_table("attachments") as batch:
        batch.add_column(sa.Column("fetch_after", sa.DateTime(timezone=True), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("attachments") as batch:
        batch.drop_column("fetch_after")
    with op.batch_alter_table("inbound_events") as batch:
        batch.drop_index("ix_inbound_events_subject_state")
        batch.drop_column("subject")
