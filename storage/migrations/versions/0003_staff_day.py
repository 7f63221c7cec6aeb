"""staff day: to-do items (done, snooze, priority, dedup), email mode, chase letters, filters

Revision ID: 0003
Revises: 0002
Create Date: 2026-12-01 08:00:00
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0003'
down_revision: str | None = '0005'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table('staff_notifications', schema=None) as batch_op:
        batch_op.add_column(sa.Column('priority', sa.Integer(), server_default='0', nullable=False))
        batch_op.add_column(sa.Column('dedup_key', sa.String(length=200), nullable=True))
        batch_op.add_column(sa.Column('link', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('done_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('done_by_id', sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column('done_note', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('snoozed_until', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('emailed_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.create_unique_constraint(batch_op.f('uq_staff_notifications_dedup_key'), ['dedup_key'])
        batch_op.create_foreign_key(batch_op.f('fk_staff_notifications_done_by_id_staff_users'), 'staff_users', ['done_by_id'], ['id'], ondelete='SET NULL')
        batch_op.create_index(batch_op.f('ix_staff_notifications_petition_id'), ['petition_id'], unique=False)
        batch_op.create_index('ix_staff_notifications_done_created', ['done_at', 'created_at'], unique=False)

    with op.batch_alter_table('staff_users', schema=None) as batch_op:
        batch_op.add_column(sa.Column('email_mode', sa.String(length=16), server_default='digest', nullable=False))

    op.create_table('chase_letters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('reminder_id', sa.Integer(), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=False),
    sa.Column('forward_id', sa.Integer(), nullable=True),
    sa.Column('agency_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('draft_path', sa.String(length=400), nullable=True),
    sa.Column('final_path', sa.String(length=400), nullable=True),
    sa.Column('fields', sa.JSON(), nullable=False),
    sa.Column('document_number', sa.String(length=64), nullable=True),
    sa.Column('signer', sa.String(length=200), nullable=True),
    sa.Column('sent_on', sa.Date(), nullable=True),
    sa.Column('recorded_by_id', sa.Integer(), nullable=True),
    sa.Column('recorded_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_chase_letters_agency_id_agencies')),
    sa.ForeignKeyConstraint(['forward_id'], ['forwards.id'], name=op.f('fk_chase_letters_forward_id_forwards'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['petition_id'], ['petitions.id'], name=op.f('fk_chase_letters_petition_id_petitions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['recorded_by_id'], ['staff_users.id'], name=op.f('fk_chase_letters_recorded_by_id_staff_users'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['reminder_id'], ['reminders.id'], name=op.f('fk_chase_letters_reminder_id_reminders'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_chase_letters')),
    sa.UniqueConstraint('reminder_id', name=op.f('uq_chase_letters_reminder_id'))
    )
    with op.batch_alter_table('chase_letters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_chase_letters_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_chase_letters_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_chase_letters_petition_id'), ['petition_id'], unique=False)

    op.create_table('saved_filters',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=80), nullable=False),
    sa.Column('query', sa.String(length=1000), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_users.id'], name=op.f('fk_saved_filters_staff_id_staff_users'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_saved_filters')),
    sa.UniqueConstraint('staff_id', 'name', name=op.f('uq_saved_filters_staff_id'))
    )
    with op.batch_alter_table('saved_filters', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_saved_filters_staff_id'), ['staff_id'], unique=False)


def downgrade() -> None:
    with op.batch_alter_table('saved_filters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_saved_filters_staff_id'))
    op.drop_table('saved_filters')
    with op.batch_alter_table('chase_letters', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_chase_letters_petition_id'))
        batch_op.drop_index(batch_op.f('ix_chase_letters_created_at'))
        batch_op.drop_index(batch_op.f('ix_chase_letters_agency_id'))
    op.drop_table('chase_letters')
    with op.batch_alter_table('staff_users', schema=None) as batch_op:
        batch_op.drop_column('email_mode')
    with op.batch_alter_table('staff_notifications', schema=None) as batch_op:
        batch_op.drop_index('ix_staff_notifications_done_created')
        batch_op.drop_index(batch_op.f('ix_staff_notifications_petition_id'))
        batch_op.drop_constraint(batch_op.f('fk_staff_notifications_done_by_id_staff_users'), type_='foreignkey')
        batch_op.drop_constraint(batch_op.f('uq_staff_notifications_dedup_key'), type_='unique')
        batch_op.drop_column('emailed_at')
        batch_op.drop_column('snoozed_until')
        batch_op.drop_column('done_note')
        batch_op.drop_column('done_by_id')
        batch_op.drop_column('done_at')
        batch_op.drop_column('link')
        batch_op.drop_column('dedup_key')
        batch_op.drop_column('priority')
