"""conversation due_at column; knowledge answers and their audit

Revision ID: 0006
Revises: 0001
Create Date: 2026-12-07 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0006'
down_revision: str | None = '0004'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.add_column(sa.Column('due_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_index(batch_op.f('ix_conversations_due_at'), ['due_at'], unique=False)

    op.create_table('knowledge_answers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('topic', sa.String(length=80), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=True),
    sa.Column('question', sa.String(length=300), nullable=False),
    sa.Column('phrasings', sa.Text(), nullable=False),
    sa.Column('answer', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('updated_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['updated_by_id'], ['staff_users.id'], name=op.f('fk_knowledge_answers_updated_by_id_staff_users')),
    sa.ForeignKeyConstraint(['ward_id'], ['wards.id'], name=op.f('fk_knowledge_answers_ward_id_wards')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_knowledge_answers'))
    )
    with op.batch_alter_table('knowledge_answers', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_knowledge_answers_topic'), ['topic'], unique=False)
        batch_op.create_index(batch_op.f('ix_knowledge_answers_ward_id'), ['ward_id'], unique=False)

    op.create_table('knowledge_answer_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('answer_id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=16), nullable=False),
    sa.Column('before', sa.JSON(), nullable=False),
    sa.Column('after', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['answer_id'], ['knowledge_answers.id'], name=op.f('fk_knowledge_answer_changes_answer_id_knowledge_answers'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_users.id'], name=op.f('fk_knowledge_answer_changes_staff_id_staff_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_knowledge_answer_changes'))
    )
    with op.batch_alter_table('knowledge_answer_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_knowledge_answer_changes_answer_id'), ['answer_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('knowledge_answer_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_knowledge_answer_changes_answer_id'))
    op.drop_table('knowledge_answer_changes')
    with op.batch_alter_table('knowledge_answers', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_knowledge_answers_ward_id'))
        batch_op.drop_index(batch_op.f('ix_knowledge_answers_topic'))
    op.drop_table('knowledge_answers')
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conversations_due_at'))
        batch_op.drop_column('due_at')
