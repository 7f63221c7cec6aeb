"""initial schema

Revision ID: 0001
Revises: 
Create Date: 2026-11-28 13:57:29.474951
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('categories',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('description', sa.Text(), nullable=False),
    sa.Column('confidential', sa.Boolean(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_categories')),
    sa.UniqueConstraint('code', name=op.f('uq_categories_code'))
    )
    op.create_table('code_sequences',
    sa.Column('prefix', sa.String(length=16), nullable=False),
    sa.Column('period', sa.String(length=4), nullable=False),
    sa.Column('last_value', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('prefix', 'period', name=op.f('pk_code_sequences'))
    )
    op.create_table('holidays',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('day', sa.Date(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('working_day', sa.Boolean(), nullable=False),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_holidays')),
    sa.UniqueConstraint('day', name=op.f('uq_holidays_day'))
    )
    op.create_table('inbound_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('dedup_key', sa.String(length=200), nullable=False),
    sa.Column('event_name', sa.String(length=64), nullable=False),
    sa.Column('raw_body', sa.LargeBinary(), nullable=False),
    sa.Column('signature_variant', sa.String(length=40), nullable=True),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('deliveries', sa.Integer(), nullable=False),
    sa.Column('event_time', sa.DateTime(timezone=True), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('processed_at', sa.DateTime(timezone=True), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_inbound_events')),
    sa.UniqueConstraint('dedup_key', name=op.f('uq_inbound_events_dedup_key'))
    )
    with op.batch_alter_table('inbound_events', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_inbound_events_received_at'), ['received_at'], unique=False)
        batch_op.create_index('ix_inbound_events_state_next', ['state', 'next_attempt_at'], unique=False)

    op.create_table('job_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('job', sa.String(length=64), nullable=False),
    sa.Column('started_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('finished_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('outcome', sa.String(length=16), nullable=False),
    sa.Column('detail', sa.JSON(), nullable=False),
    sa.Column('runs', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_job_runs'))
    )
    with op.batch_alter_table('job_runs', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_job_runs_job'), ['job'], unique=False)

    op.create_table('monthly_stats',
    sa.Column('period', sa.String(length=7), nullable=False),
    sa.Column('figures', sa.JSON(), nullable=False),
    sa.Column('computed_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('period', name=op.f('pk_monthly_stats'))
    )
    op.create_table('scheduler_leases',
    sa.Column('name', sa.String(length=64), nullable=False),
    sa.Column('holder', sa.String(length=200), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('name', name=op.f('pk_scheduler_leases'))
    )
    op.create_table('wards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.Column('full_name', sa.String(length=200), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('sort_order', sa.Integer(), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wards')),
    sa.UniqueConstraint('code', name=op.f('uq_wards_code'))
    )
    op.create_table('zalo_tokens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('access_token', sa.Text(), nullable=False),
    sa.Column('refresh_token', sa.Text(), nullable=False),
    sa.Column('access_expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('refresh_expires_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('source', sa.String(length=32), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('refresh_failed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('refresh_error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_zalo_tokens'))
    )
    with op.batch_alter_table('zalo_tokens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_zalo_tokens_created_at'), ['created_at'], unique=False)

    op.create_table('agencies',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=40), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=True),
    sa.Column('contact_name', sa.String(length=200), nullable=True),
    sa.Column('contact_email', sa.String(length=200), nullable=True),
    sa.Column('head_title', sa.String(length=200), nullable=True),
    sa.Column('head_email', sa.String(length=200), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['ward_id'], ['wards.id'], name=op.f('fk_agencies_ward_id_wards')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_agencies')),
    sa.UniqueConstraint('code', name=op.f('uq_agencies_code'))
    )
    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_agencies_ward_id'), ['ward_id'], unique=False)

    op.create_table('citizens',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('zalo_user_id', sa.String(length=64), nullable=True),
    sa.Column('display_name', sa.String(length=200), nullable=True),
    sa.Column('phone', sa.String(length=32), nullable=True),
    sa.Column('ward_id', sa.Integer(), nullable=True),
    sa.Column('consent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('consent_version', sa.String(length=32), nullable=True),
    sa.Column('consent_withdrawn_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_interaction_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('following', sa.Boolean(), nullable=False),
    sa.Column('unreachable_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('abuse_count', sa.Integer(), nullable=False),
    sa.Column('flagged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('anonymised_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['ward_id'], ['wards.id'], name=op.f('fk_citizens_ward_id_wards')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_citizens')),
    sa.UniqueConstraint('zalo_user_id', name=op.f('uq_citizens_zalo_user_id'))
    )
    with op.batch_alter_table('citizens', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_citizens_last_interaction_at'), ['last_interaction_at'], unique=False)

    op.create_table('org_units',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.Column('parent_id', sa.Integer(), nullable=True),
    sa.Column('ward_id', sa.Integer(), nullable=True),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['parent_id'], ['org_units.id'], name=op.f('fk_org_units_parent_id_org_units')),
    sa.ForeignKeyConstraint(['ward_id'], ['wards.id'], name=op.f('fk_org_units_ward_id_wards')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_org_units')),
    sa.UniqueConstraint('code', name=op.f('uq_org_units_code')),
    sa.UniqueConstraint('ward_id', name=op.f('uq_org_units_ward_id'))
    )
    op.create_table('response_templates',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=80), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=True),
    sa.Column('title', sa.String(length=200), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_response_templates_category_id_categories')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_response_templates')),
    sa.UniqueConstraint('key', 'category_id', name=op.f('uq_response_templates_key'))
    )
    with op.batch_alter_table('response_templates', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_response_templates_key'), ['key'], unique=False)

    op.create_table('ward_aliases',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('folded', sa.String(length=200), nullable=False),
    sa.Column('kind', sa.String(length=32), nullable=False),
    sa.ForeignKeyConstraint(['ward_id'], ['wards.id'], name=op.f('fk_ward_aliases_ward_id_wards'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_ward_aliases')),
    sa.UniqueConstraint('folded', 'ward_id', name=op.f('uq_ward_aliases_folded'))
    )
    with op.batch_alter_table('ward_aliases', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_ward_aliases_folded'), ['folded'], unique=False)
        batch_op.create_index(batch_op.f('ix_ward_aliases_ward_id'), ['ward_id'], unique=False)

    op.create_table('routing_rules',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('category_id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=True),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('priority', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_routing_rules_agency_id_agencies')),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_routing_rules_category_id_categories')),
    sa.ForeignKeyConstraint(['ward_id'], ['wards.id'], name=op.f('fk_routing_rules_ward_id_wards')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_routing_rules')),
    sa.UniqueConstraint('category_id', 'ward_id', 'agency_id', name=op.f('uq_routing_rules_category_id'))
    )
    with op.batch_alter_table('routing_rules', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_routing_rules_category_id'), ['category_id'], unique=False)

    op.create_table('staff_users',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('username', sa.String(length=80), nullable=False),
    sa.Column('display_name', sa.String(length=200), nullable=False),
    sa.Column('email', sa.String(length=200), nullable=True),
    sa.Column('password_hash', sa.Text(), nullable=False),
    sa.Column('role', sa.String(length=16), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=True),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('failed_logins', sa.Integer(), nullable=False),
    sa.Column('locked_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('session_version', sa.Integer(), nullable=False),
    sa.Column('last_login_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_staff_users_agency_id_agencies')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_users')),
    sa.UniqueConstraint('username', name=op.f('uq_staff_users_username'))
    )
    op.create_table('petitions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('code', sa.String(length=32), nullable=True),
    sa.Column('state', sa.String(length=24), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('citizen_id', sa.Integer(), nullable=True),
    sa.Column('unit_id', sa.Integer(), nullable=True),
    sa.Column('ward_id', sa.Integer(), nullable=True),
    sa.Column('category_id', sa.Integer(), nullable=True),
    sa.Column('legal_type', sa.String(length=16), nullable=True),
    sa.Column('urgent', sa.Boolean(), nullable=False),
    sa.Column('summary', sa.String(length=300), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('place', sa.String(length=300), nullable=True),
    sa.Column('latitude', sa.Float(), nullable=True),
    sa.Column('longitude', sa.Float(), nullable=True),
    sa.Column('callback_phone', sa.String(length=32), nullable=True),
    sa.Column('reporter_name', sa.String(length=200), nullable=True),
    sa.Column('search_text', sa.Text(), nullable=False),
    sa.Column('suggestions', sa.JSON(), nullable=False),
    sa.Column('category_confidence', sa.Float(), nullable=True),
    sa.Column('needs_manual_classification', sa.Boolean(), nullable=False),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('duplicate_of_id', sa.Integer(), nullable=True),
    sa.Column('received_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('triaged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('decided_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('result_sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('closed_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('close_reason', sa.String(length=24), nullable=True),
    sa.Column('triage_due_on', sa.Date(), nullable=True),
    sa.Column('triage_hard_due_on', sa.Date(), nullable=True),
    sa.Column('decision_due_on', sa.Date(), nullable=True),
    sa.Column('result_relay_due_on', sa.Date(), nullable=True),
    sa.Column('paused_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('paused_days', sa.Integer(), nullable=False),
    sa.Column('next_due_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('satisfied', sa.Boolean(), nullable=True),
    sa.Column('rating', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['assignee_id'], ['staff_users.id'], name=op.f('fk_petitions_assignee_id_staff_users')),
    sa.ForeignKeyConstraint(['category_id'], ['categories.id'], name=op.f('fk_petitions_category_id_categories')),
    sa.ForeignKeyConstraint(['citizen_id'], ['citizens.id'], name=op.f('fk_petitions_citizen_id_citizens'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['duplicate_of_id'], ['petitions.id'], name=op.f('fk_petitions_duplicate_of_id_petitions'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['unit_id'], ['org_units.id'], name=op.f('fk_petitions_unit_id_org_units')),
    sa.ForeignKeyConstraint(['ward_id'], ['wards.id'], name=op.f('fk_petitions_ward_id_wards')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_petitions')),
    sa.UniqueConstraint('code', name=op.f('uq_petitions_code'))
    )
    with op.batch_alter_table('petitions', schema=None) as batch_op:
        batch_op.create_index('ix_petitions_assignee_state', ['assignee_id', 'state'], unique=False)
        batch_op.create_index('ix_petitions_received_id', ['received_at', 'id'], unique=False)
        batch_op.create_index('ix_petitions_next_due_id', ['next_due_at', 'id'], unique=False)
        batch_op.create_index('ix_petitions_category_state', ['category_id', 'state'], unique=False)
        batch_op.create_index(batch_op.f('ix_petitions_citizen_id'), ['citizen_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_petitions_duplicate_of_id'), ['duplicate_of_id'], unique=False)
        batch_op.create_index('ix_petitions_state_next_due', ['state', 'next_due_at'], unique=False)
        batch_op.create_index('ix_petitions_state_received', ['state', 'received_at'], unique=False)
        batch_op.create_index('ix_petitions_ward_state_received', ['ward_id', 'state', 'received_at'], unique=False)

    op.create_table('staff_wards',
    sa.Column('staff_id', sa.Integer(), nullable=False),
    sa.Column('ward_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_users.id'], name=op.f('fk_staff_wards_staff_id_staff_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ward_id'], ['wards.id'], name=op.f('fk_staff_wards_ward_id_wards'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('staff_id', 'ward_id', name=op.f('pk_staff_wards'))
    )
    op.create_table('classification_labels',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=False),
    sa.Column('field', sa.String(length=24), nullable=False),
    sa.Column('predicted', sa.String(length=40), nullable=True),
    sa.Column('value', sa.String(length=40), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['petition_id'], ['petitions.id'], name=op.f('fk_classification_labels_petition_id_petitions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_users.id'], name=op.f('fk_classification_labels_staff_id_staff_users')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_classification_labels')),
    sa.UniqueConstraint('petition_id', 'field', name=op.f('uq_classification_labels_petition_id'))
    )
    op.create_table('conversations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('citizen_id', sa.Integer(), nullable=False),
    sa.Column('step', sa.String(length=40), nullable=False),
    sa.Column('draft_petition_id', sa.Integer(), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('expires_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('updated_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['citizen_id'], ['citizens.id'], name=op.f('fk_conversations_citizen_id_citizens'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['draft_petition_id'], ['petitions.id'], name=op.f('fk_conversations_draft_petition_id_petitions'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_conversations')),
    sa.UniqueConstraint('citizen_id', name=op.f('uq_conversations_citizen_id'))
    )
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_conversations_expires_at'), ['expires_at'], unique=False)

    op.create_table('outbox_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=16), nullable=False),
    sa.Column('recipient', sa.String(length=200), nullable=False),
    sa.Column('citizen_id', sa.Integer(), nullable=True),
    sa.Column('petition_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('payload', sa.JSON(), nullable=False),
    sa.Column('dedup_key', sa.String(length=200), nullable=True),
    sa.Column('state', sa.String(length=16), nullable=False),
    sa.Column('attempts', sa.Integer(), nullable=False),
    sa.Column('next_attempt_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('claimed_until', sa.DateTime(timezone=True), nullable=True),
    sa.Column('last_error', sa.Text(), nullable=True),
    sa.Column('external_id', sa.String(length=100), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.Column('sent_at', sa.DateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['citizen_id'], ['citizens.id'], name=op.f('fk_outbox_messages_citizen_id_citizens'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['petition_id'], ['petitions.id'], name=op.f('fk_outbox_messages_petition_id_petitions'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_outbox_messages')),
    sa.UniqueConstraint('dedup_key', name=op.f('uq_outbox_messages_dedup_key'))
    )
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.create_index('ix_outbox_messages_citizen_state', ['citizen_id', 'state'], unique=False)
        batch_op.create_index(batch_op.f('ix_outbox_messages_petition_id'), ['petition_id'], unique=False)
        batch_op.create_index('ix_outbox_messages_state_next', ['state', 'next_attempt_at'], unique=False)

    op.create_table('petition_events',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=False),
    sa.Column('actor_type', sa.String(length=16), nullable=False),
    sa.Column('actor_id', sa.Integer(), nullable=True),
    sa.Column('action', sa.String(length=40), nullable=False),
    sa.Column('from_state', sa.String(length=24), nullable=True),
    sa.Column('to_state', sa.String(length=24), nullable=True),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['petition_id'], ['petitions.id'], name=op.f('fk_petition_events_petition_id_petitions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_petition_events'))
    )
    with op.batch_alter_table('petition_events', schema=None) as batch_op:
        batch_op.create_index('ix_petition_events_petition_created', ['petition_id', 'created_at'], unique=False)

    op.create_table('petition_messages',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=True),
    sa.Column('citizen_id', sa.Integer(), nullable=True),
    sa.Column('inbound_event_id', sa.Integer(), nullable=True),
    sa.Column('direction', sa.String(length=16), nullable=False),
    sa.Column('kind', sa.String(length=24), nullable=False),
    sa.Column('zalo_msg_id', sa.String(length=64), nullable=True),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['citizen_id'], ['citizens.id'], name=op.f('fk_petition_messages_citizen_id_citizens'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['inbound_event_id'], ['inbound_events.id'], name=op.f('fk_petition_messages_inbound_event_id_inbound_events'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['petition_id'], ['petitions.id'], name=op.f('fk_petition_messages_petition_id_petitions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_petition_messages')),
    sa.UniqueConstraint('zalo_msg_id', name=op.f('uq_petition_messages_zalo_msg_id'))
    )
    with op.batch_alter_table('petition_messages', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_petition_messages_citizen_id'), ['citizen_id'], unique=False)
        batch_op.create_index('ix_petition_messages_petition_created', ['petition_id', 'created_at'], unique=False)

    op.create_table('petition_notes',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=False),
    sa.Column('author_id', sa.Integer(), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['author_id'], ['staff_users.id'], name=op.f('fk_petition_notes_author_id_staff_users')),
    sa.ForeignKeyConstraint(['petition_id'], ['petitions.id'], name=op.f('fk_petition_notes_petition_id_petitions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_petition_notes'))
    )
    with op.batch_alter_table('petition_notes', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_petition_notes_petition_id'), ['petition_id'], unique=False)

    op.create_table('staff_notifications',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('staff_id', sa.Integer(), nullable=True),
    sa.Column('role', sa.String(length=16), nullable=True),
    sa.Column('ward_id', sa.Integer(), nullable=True),
    sa.Column('agency_id', sa.Integer(), nullable=True),
    sa.Column('petition_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=40), nullable=False),
    sa.Column('title', sa.String(length=300), nullable=False),
    sa.Column('body', sa.Text(), nullable=False),
    sa.Column('read_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_staff_notifications_agency_id_agencies')),
    sa.ForeignKeyConstraint(['petition_id'], ['petitions.id'], name=op.f('fk_staff_notifications_petition_id_petitions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['staff_id'], ['staff_users.id'], name=op.f('fk_staff_notifications_staff_id_staff_users'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['ward_id'], ['wards.id'], name=op.f('fk_staff_notifications_ward_id_wards')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_staff_notifications'))
    )
    with op.batch_alter_table('staff_notifications', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_staff_notifications_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_staff_notifications_staff_id'), ['staff_id'], unique=False)

    op.create_table('attachments',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('message_id', sa.Integer(), nullable=True),
    sa.Column('petition_id', sa.Integer(), nullable=True),
    sa.Column('kind', sa.String(length=16), nullable=False),
    sa.Column('sha256', sa.String(length=64), nullable=True),
    sa.Column('storage_path', sa.String(length=400), nullable=True),
    sa.Column('mime_type', sa.String(length=100), nullable=True),
    sa.Column('size', sa.Integer(), nullable=True),
    sa.Column('original_name', sa.String(length=300), nullable=True),
    sa.Column('source_url', sa.Text(), nullable=True),
    sa.Column('download_error', sa.Text(), nullable=True),
    sa.Column('redacted_from_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['message_id'], ['petition_messages.id'], name=op.f('fk_attachments_message_id_petition_messages'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['petition_id'], ['petitions.id'], name=op.f('fk_attachments_petition_id_petitions'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['redacted_from_id'], ['attachments.id'], name=op.f('fk_attachments_redacted_from_id_attachments')),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_attachments'))
    )
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_attachments_message_id'), ['message_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachments_petition_id'), ['petition_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_attachments_sha256'), ['sha256'], unique=False)

    op.create_table('forwards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=False),
    sa.Column('agency_id', sa.Integer(), nullable=False),
    sa.Column('channel', sa.String(length=24), nullable=False),
    sa.Column('document_number', sa.String(length=64), nullable=True),
    sa.Column('sent_on', sa.Date(), nullable=False),
    sa.Column('handler_due_on', sa.Date(), nullable=False),
    sa.Column('deadline_version', sa.Integer(), nullable=False),
    sa.Column('active', sa.Boolean(), nullable=False),
    sa.Column('acknowledged_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answered_at', sa.DateTime(timezone=True), nullable=True),
    sa.Column('answer_text', sa.Text(), nullable=True),
    sa.Column('answer_attachment_id', sa.Integer(), nullable=True),
    sa.Column('slip_path', sa.String(length=400), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['agency_id'], ['agencies.id'], name=op.f('fk_forwards_agency_id_agencies')),
    sa.ForeignKeyConstraint(['answer_attachment_id'], ['attachments.id'], name=op.f('fk_forwards_answer_attachment_id_attachments')),
    sa.ForeignKeyConstraint(['created_by_id'], ['staff_users.id'], name=op.f('fk_forwards_created_by_id_staff_users')),
    sa.ForeignKeyConstraint(['petition_id'], ['petitions.id'], name=op.f('fk_forwards_petition_id_petitions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_forwards'))
    )
    with op.batch_alter_table('forwards', schema=None) as batch_op:
        batch_op.create_index('ix_forwards_active_due', ['active', 'handler_due_on'], unique=False)
        batch_op.create_index(batch_op.f('ix_forwards_agency_id'), ['agency_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_forwards_petition_id'), ['petition_id'], unique=False)

    op.create_table('reminders',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('key', sa.String(length=200), nullable=False),
    sa.Column('petition_id', sa.Integer(), nullable=True),
    sa.Column('forward_id', sa.Integer(), nullable=True),
    sa.Column('rung', sa.String(length=40), nullable=False),
    sa.Column('due_on', sa.String(length=10), nullable=True),
    sa.Column('letter_path', sa.String(length=400), nullable=True),
    sa.Column('data', sa.JSON(), nullable=False),
    sa.Column('created_at', sa.DateTime(timezone=True), nullable=False),
    sa.ForeignKeyConstraint(['forward_id'], ['forwards.id'], name=op.f('fk_reminders_forward_id_forwards'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['petition_id'], ['petitions.id'], name=op.f('fk_reminders_petition_id_petitions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_reminders')),
    sa.UniqueConstraint('key', name=op.f('uq_reminders_key'))
    )
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_reminders_created_at'), ['created_at'], unique=False)
        batch_op.create_index(batch_op.f('ix_reminders_petition_id'), ['petition_id'], unique=False)

    _create_petition_search()


# --- the inbox's diacritics-insensitive search over petitions.search_text -------------------
# Not in the models: PostgreSQL gets a pg_trgm GIN index, SQLite an FTS5 trigram table kept in
# step by triggers. Both serve `search_text LIKE '%folded words%'`.
SEARCH_OBJECTS = ("ix_petitions_search_trgm", "petitions_fts")


def _create_petition_search() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("CREATE EXTENSION IF NOT EXISTS pg_trgm")
        op.execute(
            "CREATE INDEX ix_petitions_search_trgm ON petitions "
            "USING gin (search_text gin_trgm_ops)"
        )
        return
    op.execute(
        "CREATE VIRTUAL TABLE petitions_fts USING fts5("
        "search_text, content='petitions', content_rowid='id', tokenize='trigram')"
    )
    op.execute(
        "CREATE TRIGGER petitions_fts_ai AFTER INSERT ON petitions BEGIN "
        "INSERT INTO petitions_fts(rowid, search_text) VALUES (new.id, new.search_text); END"
    )
    op.execute(
        "CREATE TRIGGER petitions_fts_ad AFTER DELETE ON petitions BEGIN "
        "INSERT INTO petitions_fts(petitions_fts, rowid, search_text) "
        "VALUES ('delete', old.id, old.search_text); END"
    )
    op.execute(
        "CREATE TRIGGER petitions_fts_au AFTER UPDATE OF search_text ON petitions BEGIN "
        "INSERT INTO petitions_fts(petitions_fts, rowid, search_text) "
        "VALUES ('delete', old.id, old.search_text); "
        "INSERT INTO petitions_fts(rowid, search_text) VALUES (new.id, new.search_text); END"
    )


def _drop_petition_search() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP INDEX IF EXISTS ix_petitions_search_trgm")
        return
    for trigger in ("petitions_fts_ai", "petitions_fts_ad", "petitions_fts_au"):
        op.execute(f"DROP TRIGGER IF EXISTS {trigger}")
    op.execute("DROP TABLE IF EXISTS petitions_fts")


def downgrade() -> None:
    _drop_petition_search()
    with op.batch_alter_table('reminders', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_reminders_petition_id'))
        batch_op.drop_index(batch_op.f('ix_reminders_created_at'))

    op.drop_table('reminders')
    with op.batch_alter_table('forwards', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_forwards_petition_id'))
        batch_op.drop_index(batch_op.f('ix_forwards_agency_id'))
        batch_op.drop_index('ix_forwards_active_due')

    op.drop_table('forwards')
    with op.batch_alter_table('attachments', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_attachments_sha256'))
        batch_op.drop_index(batch_op.f('ix_attachments_petition_id'))
        batch_op.drop_index(batch_op.f('ix_attachments_message_id'))

    op.drop_table('attachments')
    with op.batch_alter_table('staff_notifications', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_staff_notifications_staff_id'))
        batch_op.drop_index(batch_op.f('ix_staff_notifications_created_at'))

    op.drop_table('staff_notifications')
    with op.batch_alter_table('petition_notes', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_petition_notes_petition_id'))

    op.drop_table('petition_notes')
    with op.batch_alter_table('petition_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_petition_messages_petition_created')
        batch_op.drop_index(batch_op.f('ix_petition_messages_citizen_id'))

    op.drop_table('petition_messages')
    with op.batch_alter_table('petition_events', schema=None) as batch_op:
        batch_op.drop_index('ix_petition_events_petition_created')

    op.drop_table('petition_events')
    with op.batch_alter_table('outbox_messages', schema=None) as batch_op:
        batch_op.drop_index('ix_outbox_messages_state_next')
        batch_op.drop_index(batch_op.f('ix_outbox_messages_petition_id'))
        batch_op.drop_index('ix_outbox_messages_citizen_state')

    op.drop_table('outbox_messages')
    with op.batch_alter_table('conversations', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_conversations_expires_at'))

    op.drop_table('conversations')
    op.drop_table('classification_labels')
    op.drop_table('staff_wards')
    with op.batch_alter_table('petitions', schema=None) as batch_op:
        batch_op.drop_index('ix_petitions_ward_state_received')
        batch_op.drop_index('ix_petitions_state_received')
        batch_op.drop_index('ix_petitions_state_next_due')
        batch_op.drop_index(batch_op.f('ix_petitions_duplicate_of_id'))
        batch_op.drop_index(batch_op.f('ix_petitions_citizen_id'))
        batch_op.drop_index('ix_petitions_category_state')
        batch_op.drop_index('ix_petitions_assignee_state')
        batch_op.drop_index('ix_petitions_received_id')
        batch_op.drop_index('ix_petitions_next_due_id')

    op.drop_table('petitions')
    op.drop_table('staff_users')
    with op.batch_alter_table('routing_rules', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_routing_rules_category_id'))

    op.drop_table('routing_rules')
    with op.batch_alter_table('ward_aliases', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_ward_aliases_ward_id'))
        batch_op.drop_index(batch_op.f('ix_ward_aliases_folded'))

    op.drop_table('ward_aliases')
    with op.batch_alter_table('response_templates', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_response_templates_key'))

    op.drop_table('response_templates')
    op.drop_table('org_units')
    with op.batch_alter_table('citizens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_citizens_last_interaction_at'))

    op.drop_table('citizens')
    with op.batch_alter_table('agencies', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_agencies_ward_id'))

    op.drop_table('agencies')
    with op.batch_alter_table('zalo_tokens', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_zalo_tokens_created_at'))

    op.drop_table('zalo_tokens')
    op.drop_table('wards')
    op.drop_table('scheduler_leases')
    op.drop_table('monthly_stats')
    with op.batch_alter_table('job_runs', schema=None) as batch_op:
        batch_op.drop_index(batch_op.f('ix_job_runs_job'))

    op.drop_table('job_runs')
    with op.batch_alter_table('inbound_events', schema=None) as batch_op:
        batch_op.drop_index('ix_inbound_events_state_next')
        batch_op.drop_index(batch_op.f('ix_inbound_events_received_at'))

    op.drop_table('inbound_events')
    op.drop_table('holidays')
    op.drop_table('code_sequences')
    op.drop_table('categories')
