"""The migrations create, remove and re-create the schema, and match the models."""

from __future__ import annotations

from alembic.autogenerate import compare_metadata
from alembic.runtime.migration import MigrationContext
from sqlalchemy import Engine, inspect

from storage import migrate
from storage.db import make_engine
from storage.models import Base


def test_upgrade_downgrade_upgrade(empty_database_url: str) -> None:
    eng = make_engine(empty_database_url)
    try:
        migrate.upgrade(eng)
        assert migrate.current_revision(eng) == migrate.head_revision()
        assert set(Base.metadata.tables) <= set(inspect(eng).get_table_names())
        migrate.downgrade(eng, "base")
        assert migrate.current_revision(eng) is None
        assert set(inspect(eng).get_table_names()) <= {"alembic_version"}
        migrate.upgrade(eng)
        assert migrate.current_revision(eng) == migrate.head_revision()
    finally:
        eng.dispose()


#: Search objects created only by the migration (a pg_trgm index, an FTS5 table).
_MIGRATION_ONLY = ("ix_petitions_search_trgm", "petitions_fts")


def _modelled(name: str | None, _type: str, _parents: object) -> bool:
    return not (name or "").startswith(_MIGRATION_ONLY)


def test_models_match_the_migrated_schema(engine: Engine) -> None:
    with engine.connect() as conn:
        opts = {"compare_type": True, "include_name": _modelled}
        ctx = MigrationContext.configure(conn, opts=opts)
        diff = compare_metadata(ctx, Base.metadata)
    assert diff == []


def test_every_foreign_key_is_enforced(engine: Engine, backend: str) -> None:
    with engine.connect() as conn:
        if backend == "sqlite":
            assert conn.exec_driver_sql("PRAGMA foreign_keys").scalar() == 1
            assert conn.exec_driver_sql("PRAGMA journal_mode").scalar() == "wal"
        else:
            assert conn.exec_driver_sql("SHOW server_encoding").scalar() == "UTF8"
