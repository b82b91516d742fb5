"""The staff store on SQLAlchemy Core: accounts, sessions, known login addresses, the audit log.

It shares the project database and the bot layer's migrations (``bot._schema``) with the
conversation store.
"""

from __future__ import annotations

from typing import Any

from sqlalchemy import delete, func, select, update

from .._schema import MIGRATIONS, audit, known_clients, sessions, staff
from ._model import KNOWN_CLIENTS, StaffAccount, StaffStore


class SqlStaffStore(StaffStore):
    def __init__(self, db):
        self.db = db  # recsys.Database: one URL for the whole project
        db.migrate("bot", MIGRATIONS)

    def put_staff(self, account: StaffAccount) -> bool:
        a = account
        # RETURNING, not rowcount: psycopg reports -1 for INSERT ... ON CONFLICT DO NOTHING.
        stmt = (
            self.db.insert(staff)
            .on_conflict_do_nothing(index_elements=["username"])
            .returning(staff.c.username)
        )
        with self.db.engine.begin() as conn:
            return (
                conn.execute(
                    stmt,
                    dict(
                        username=a.username,
                        role=a.role,
                        password_hash=a.password_hash,
                        salt=a.salt,
                        created_at=a.created_at,
                        failed_logins=0,
                        disabled=a.disabled,
                    ),
                ).first()
                is not None
            )

    @staticmethod
    def _account(r: Any) -> StaffAccount:
        return StaffAccount(
            r.username, r.role, r.password_hash, r.salt, r.created_at, bool(r.disabled), r.last_login
        )

    def staff_account(self, username: str) -> StaffAccount | None:
        with self.db.engine.connect() as conn:
            r = conn.execute(select(staff).where(staff.c.username == username)).first()
        return None if r is None else self._account(r)

    def staff_count(self) -> int:
        with self.db.engine.connect() as conn:
            return int(conn.execute(select(func.count()).select_from(staff)).scalar() or 0)

    def staff_accounts(self) -> list[StaffAccount]:
        with self.db.engine.connect() as conn:
            return [self._account(r) for r in conn.execute(select(staff).order_by(staff.c.username))]

    def set_password(self, username: str, password_hash: str, salt: str) -> bool:
        with self.db.engine.begin() as conn:
            return (
                conn.execute(
                    update(staff)
                    .where(staff.c.username == username)
                    .values(password_hash=password_hash, salt=salt)
                ).rowcount
                == 1
            )

    def set_disabled(self, username: str, disabled: bool) -> bool:
        with self.db.engine.begin() as conn:
            return (
                conn.execute(
                    update(staff).where(staff.c.username == username).values(disabled=bool(disabled))
                ).rowcount
                == 1
            )

    def known_client(self, username: str, client_tag: str) -> float | None:
        k = known_clients.c
        with self.db.engine.connect() as conn:
            return conn.execute(
                select(k.last_success).where(k.username == username, k.client_tag == client_tag)
            ).scalar()

    def login_succeeded(self, username: str, client_tag: str | None, now: float) -> None:
        k = known_clients.c
        with self.db.engine.begin() as conn:
            conn.execute(update(staff).where(staff.c.username == username).values(last_login=now))
            if not client_tag:
                return
            stmt = self.db.insert(known_clients).values(
                username=username, client_tag=client_tag, last_success=now
            )
            conn.execute(
                stmt.on_conflict_do_update(
                    index_elements=["username", "client_tag"], set_={"last_success": now}
                )
            )
            newest = (
                select(k.client_tag)
                .where(k.username == username)
                .order_by(k.last_success.desc(), k.client_tag)
                .limit(KNOWN_CLIENTS)
            )
            conn.execute(delete(known_clients).where(k.username == username, k.client_tag.not_in(newest)))

    def forget_clients(self, username: str) -> None:
        with self.db.engine.begin() as conn:
            conn.execute(delete(known_clients).where(known_clients.c.username == username))

    def put_session(self, token_hash: str, username: str, now: float, expires_at: float) -> None:
        with self.db.engine.begin() as conn:
            conn.execute(
                sessions.insert().values(
                    token_hash=token_hash, username=username, created_at=now, expires_at=expires_at
                )
            )

    def session(self, token_hash: str) -> tuple[str, float] | None:
        with self.db.engine.connect() as conn:
            r = conn.execute(select(sessions).where(sessions.c.token_hash == token_hash)).first()
        return None if r is None else (r.username, r.expires_at)

    def drop_session(self, token_hash: str) -> None:
        with self.db.engine.begin() as conn:
            conn.execute(delete(sessions).where(sessions.c.token_hash == token_hash))

    def drop_sessions(self, username: str, keep: str | None = None) -> int:
        s = sessions.c
        where = [s.username == username] + ([s.token_hash != keep] if keep else [])
        with self.db.engine.begin() as conn:
            return int(conn.execute(delete(sessions).where(*where)).rowcount or 0)

    def audit(
        self,
        actor: str,
        action: str,
        conversation_id: str | None,
        detail: str,
        at: float,
        client: str | None = None,
    ) -> None:
        with self.db.engine.begin() as conn:
            conn.execute(
                audit.insert().values(
                    actor=actor[:80],
                    action=action,
                    conversation_id=conversation_id,
                    detail=detail,
                    at=at,
                    client=client[:64] if client else None,
                )
            )

    def audit_log(self, limit: int = 100) -> list[dict[str, Any]]:
        a = audit.c
        with self.db.engine.connect() as conn:
            rows = conn.execute(
                select(a.actor, a.action, a.conversation_id, a.detail, a.at, a.client)
                .order_by(a.id.desc())
                .limit(limit)
            )
            return [dict(r._mapping) for r in rows]
