"""agencies in the loop: contacts, routing keywords, returns, extensions, thread, deliveries

Only ADD COLUMN on agencies and forwards: on SQLite, rebuilding a table other tables
reference would run its implicit DELETE (and ON DELETE CASCADE) on a populated database.
That is why forwards.suggested_agency_id carries no foreign key. routing_rules is rebuilt
(nothing references it) to drop its one-agency-per-field unique constraint.

Revision ID: 0004
Revises: 0001
Create Date: 2026-12-07 07:22:16.476423
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0004'
down_revision: str | None = '0008'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('agency_changes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('entity', sa.String(length=24), nullable=False),
    sa.Column('entity_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=24), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['actor_id'], ['staff_users.id'], name=op.f('fk_agency_changes_actor_id_staff_users'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agency_changes'))
    )
    with op.batch_alter_table('agency_changes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agency_changes_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_agency_changes_entity_id'), ['entity_id'], unique=False)

    op.create_table('agency_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=True),
    sa.Column('from_agency', sa.Boolean(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_agency_messages_agency_id_agencies')),
    sa.ForeignKeyConstraint(['author_id'], ['staff_users.id'], name=op.f('fk_agency_messages_author_id_staff_users')),
    sa.ForeignKeyConstraint(['petition_id'], ['petitions.id'], name=op.f('fk_agency_messages_petition_id_petitions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agency_messages'))
    )
    with op.batch_alter_table('agency_messages', schema=None) as batch_op:
        batch_op.create_index('ix_agency_messages_petition_agency', ['petition_id', 'agency_id', 'created_at'], unique=False)

    op.create_table('agency_deliveries',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=False),
    sa.Column('forward_id', sa.Integer(), nullable=True),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('outbox_id', sa.Integer(), nullable=True),
    sa.Column('purpose', sa.String(length=24), nullable=False),
    sa.Column('recipient', sa.String(length=200), nullable=False),
    sa.Column('recipient_kind', sa.String(length=16), nullable=False),
    sa.Column('subject', sa.String(length=300), nullable=False),
    sa.Column('attachments', sa.JSON(), nullable=False),
    sa.Column('failed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('failure', sa.Text(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_agency_deliveries_agency_id_agencies')),
    sa.ForeignKeyConstraint(['forward_id'], ['forwards.id'], name=op.f('fk_agency_deliveries_forward_id_forwards'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['outbox_id'], ['outbox_messages.id'], name=op.f('fk_agency_deliveries_outbox_id_outbox_messages'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['petition_id'], ['petitions.id'], name=op.f('fk_agency_deliveries_petition_id_petitions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agency_deliveries'))
    )
    with op.batch_alter_table('agency_deliveries', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agency_deliveries_outbox_id'), ['outbox_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_agency_deliveries_petition_id'), ['petition_id'], unique=False)

    op.create_table('extension_requests',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=False),
    sa.Column('forward_id', sa.Integer(), nullable=False),
    sa.Column('requested_by_id', sa.Integer(), nullable=True),
    sa.Column('reason', sa.Text(), nullable=False),
    sa.Column('proposed_due_on', sa.Date(), nullable=False),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('decided_by_id', sa.Integer(), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decision_note', sa.Text(), nullable=False),
    sa.Column('granted_due_on', sa.Date(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['decided_by_id'], ['staff_users.id'], name=op.f('fk_extension_requests_decided_by_id_staff_users')),
    sa.ForeignKeyConstraint(['forward_id'], ['forwards.id'], name=op.f('fk_extension_requests_forward_id_forwards'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['petition_id'], ['petitions.id'], name=op.f('fk_extension_requests_petition_id_petitions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['requested_by_id'], ['staff_users.id'], name=op.f('fk_extension_requests_requested_by_id_staff_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_extension_requests'))
    )
    with op.batch_alter_table('extension_requests', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_extension_requests_petition_id'), ['petition_id'], unique=False)

    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.add_column(sa.Column('confirmed', sa.Boolean(), nullable=False, server_default='0'))
        batch_op.add_column(sa.Column('notes', sa.Text(), nullable=False, server_default=''))

    with op.batch_alter_table('forwards', schema=None) as batch_op:
        batch_op.add_column(sa.Column('answer_document_number', sa.String(length=64), nullable=True))
        batch_op.add_column(sa.Column('answer_document_date', sa.Date(), nullable=True))
        batch_op.add_column(sa.Column('answer_files', sa.JSON(), nullable=False, server_default='[]'))
        batch_op.add_column(sa.Column('returned_at', sa.DateTime(timezone=True), nullable=True))
        batch_op.add_column(sa.Column('return_reason', sa.Text(), nullable=True))
        batch_op.add_column(sa.Column('return_suggestion', sa.String(length=300), nullable=True))
        batch_op.add_column(sa.Column('suggested_agency_id', sa.Integer(), nullable=True))

    with op.batch_alter_table('routing_rules', schema=None) as batch_op:
        batch_op.add_column(sa.Column('keywords', sa.String(length=300), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('note', sa.String(length=300), nullable=False, server_default=''))
        batch_op.add_column(sa.Column('active', sa.Boolean(), nullable=False, server_default='1'))
        batch_op.drop_constraint(batch_op.f('uq_routing_rules_category_id'), type_='unique')



def downgrade() -> None:
    with op.batch_alter_table('routing_rules', schema=None) as batch_op:
        batch_op.create_unique_constraint(batch_op.f('uq_routing_rules_category_id'), ['category_id', 'ward_id', 'agency_id'])
        batch_op.drop_column('active')
        batch_op.drop_column('note')
        batch_op.drop_column('keywords')

    with op.batch_alter_table('forwards', schema=None) as batch_op:
        batch_op.drop_column('suggested_agency_id')
        batch_op.drop_column('return_suggestion')
        batch_op.drop_column('return_reason')
        batch_op.drop_column('returned_at')
        batch_op.drop_column('answer_files')
        batch_op.drop_column('answer_document_date')
        batch_op.drop_column('answer_document_number')

    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.drop_column('notes')
        batch_op.drop_column('confirmed')

    with op.batch_alter_table('extension_requests', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_extension_requests_petition_id'))

    op.drop_table('extension_requests')
    with op.batch_alter_table('agency_deliveries', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agency_deliveries_petition_id'))
        batch_op.drop_index(batch_op.f('ix_agency_deliveries_outbox_id'))

    op.drop_table('agency_deliveries')
    with op.batch_alter_table('agency_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_agency_messages_petition_agency')

    op.drop_table('agency_messages')
    with op.batch_alter_table('agency_changes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agency_changes_entity_id'))
        batch_op.drop_index(batch_op.f('ix_agency_changes_created_at'))

    op.drop_table('agency_changes')
