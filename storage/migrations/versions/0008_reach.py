"""reaching the citizen: template/ZNS delivery, phone-notice consent, quota, result delivery

Revision ID: 0008
Revises: 0001
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0008"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

def upgrade() -> None:
    with op.batch_alter_table("citizens") as batch:
        batch.add_column(sa.Column("zns_phone", sa.String(length=32), nullable=True))
        batch.add_column(sa.Column("zns_consent_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("zns_unreachable_at", sa.DateTime(timezone=True), nullable=True))
    with op.batch_alter_table("outbox_messages") as batch:
        batch.add_column(sa.Column("delivered_via", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("wait_reason", sa.String(length=200), nullable=True))
    with op.batch_alter_table("petitions") as batch:
        batch.add_column(sa.Column("contact_email", sa.String(length=200), nullable=True))
        batch.add_column(sa.Column("result_delivered_at", sa.DateTime(timezone=True), nullable=True))
        batch.add_column(sa.Column("result_delivered_via", sa.String(length=16), nullable=True))
        batch.add_column(sa.Column("result_delivery_note", sa.Text(), nullable=True))
    op.create_table(
        "zalo_quota_usage",
        sa.Column("id", sa.Integer(), nullable=False),
        sa.Column("kind", sa.String(length=16), nullable=False),
        sa.Column("period", sa.String(length=10), nullable=False),
        sa.Column("used", sa.Integer(), nullable=False),
        sa.Column("remaining", sa.Integer(), nullable=True),
        sa.Column("warned_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("exhausted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_zalo_quota_usage")),
        sa.UniqueConstraint("kind", "period", name=op.f("uq_zalo_quota_usage_kind")),
    )

def downgrade() -> None:
    op.drop_table("zalo_quota_usage")
    with op.batch_alter_table("petitions") as batch:
        for name in ("result_delivery_note", "result_delivered_via", "result_delivered_at",
                     "contact_email"):
            batch.drop_column(name)
    with op.batch_alter_table("outbox_messages") as batch:
        batch.drop_column("wait_reason")
        batch.drop_column("delivered_via")
    with op.batch_alter_table("citizens") as batch:
        for name in ("zns_unreachable_at", "zns_consent_at", "zns_phone"):
            batch.drop_column(name)
