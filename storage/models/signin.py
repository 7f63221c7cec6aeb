"""What signing in keeps on the server: open sessions and counts of failed sign-ins."""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import ForeignKey, Integer, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from storage.models.base import Base


class StaffSession(Base):
    """One signed-in browser. The cookie holds a random token; only its SHA-256 is stored.

    Signing out (here, or this device from another one) ends the row, so a copied cookie
    stops working at once. `version` is the user's session_version when the row was opened:
    moving that on (password change, account disabled, "sign out everywhere") ends every row
    of the user together.
    """

    __tablename__ = "staff_sessions"

    id: Mapped[int] = mapped_column(primary_key=True)
    token_hash: Mapped[str] = mapped_column(String(64), unique=True)
    user_id: Mapped[int] = mapped_column(
        ForeignKey("staff_users.id", ondelete="CASCADE"), index=True
    )
    version: Mapped[int] = mapped_column(Integer)
    created_at: Mapped[datetime]
    expires_at: Mapped[datetime] = mapped_column(index=True)
    # The last request it answered (written at most once a minute): idle past the setting, or
    # a browser closed without signing out, and it no longer counts nor works.
    last_seen_at: Mapped[datetime]
    ended_at: Mapped[datetime | None]
    address: Mapped[str | None] = mapped_column(String(64))
    agent: Mapped[str | None] = mapped_column(String(200))


class LoginThrottle(Base):
    """Failed sign-ins counted per client address, per typed user name, and per both.

    A row's key is (client, name) with '' for "any": (address, '') counts an address over
    every name, ('', name) a name from everywhere, (address, name) one client on one name.
    Names are counted whether or not such an account exists, so a lock reveals nothing.
    """

    __tablename__ = "login_throttles"
    __table_args__ = (UniqueConstraint("client", "name"),)

    id: Mapped[int] = mapped_column(primary_key=True)
    client: Mapped[str] = mapped_column(String(64))
    name: Mapped[str] = mapped_column(String(80), index=True)
    failures: Mapped[int] = mapped_column(Integer)
    last_failed_at: Mapped[datetime] = mapped_column(index=True)
    locked_until: Mapped[datetime | None]
