"""a tố cáo's reviewed text for agencies; the liaisons' own search key

Revision ID: 0010
Revises: 0009
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0010"
down_revision: str | None = "0012"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table(
        "agency_redactions",
        sa.Column("petition_id", sa.Integer(), nullable=False),
        sa.Column("summary", sa.String(length=300), nullable=False),
        sa.Column("text", sa.Text(), nullable=False),
        sa.Column("hidden", sa.JSON(), nullable=False),
        sa.Column("source_digest", sa.String(length=64), nullable=False),
        sa.Column("confirmed_by_id", sa.Integer(), nullable=True),
        sa.Column("confirmed_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["confirmed_by_id"],
            ["staff_users.id"],
            name=op.f("fk_agency_redactions_confirmed_by_id_staff_users"),
        ),
        sa.ForeignKeyConstraint(
            ["petition_id"],
            ["petitions.id"],
            name=op.f("fk_agency_redactions_petition_id_petitions"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("petition_id", name=op.f("pk_agency_redactions")),
    )
    # A plain ADD COLUMN (a batch "recreate" on SQLite would drop the search triggers). Old
    # rows start with their code only: nothing an agency may not read is ever in this key;
    # the workflow fills it in as petitions change (and always when one is forwarded).
    op.add_column(
        "petitions",
        sa.Column("agency_search_text", sa.Text(), nullable=False, server_default=""),
    )
    op.execute("UPDATE petitions SET agency_search_text = lower(coalesce(code, ''))")
    if op.get_bind().dialect.name == "postgresql":
        op.execute(
            "CREATE INDEX ix_petitions_search_trgm_agency ON petitions "
            "USING gin (agency_search_text gin_trgm_ops)"
        )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX ix_petitions_search_trgm_agency")
    with op.batch_alter_table("petitions", recreate="never") as batch:
        batch.drop_column("agency_search_text")
    op.drop_table("agency_redactions")
