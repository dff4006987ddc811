"""A job's lease on one recording row: take, renew, release (``claim_token``/``claim_until``).

Why in the catalog: the claim columns are the catalog's; the sweeper leases the same columns
(:mod:`storage.catalog_leases`), so the rules for who may write them live beside each other
and no caller outside ``storage`` touches the catalog's session. :mod:`workers.lease` builds
the heartbeat and the ``with`` block on top of these three conditional updates:

* take -- only if the row is free (no token) or its lease ran out (``claim_until <= now``);
* renew -- only while the row still carries our token;
* release -- clears the columns only while the row still carries our token.

Each returns whether the row was changed; nothing here reads a clock.
"""

from __future__ import annotations

from datetime import datetime

from sqlalchemy import or_, update

from storage.catalog_models import RecordingRow

__all__ = ["JobLeaseMixin"]


class JobLeaseMixin:
    """Methods of :class:`storage.catalog_repo.Catalog` used by :mod:`workers.lease`."""

    def take_lease(self, recording_id: str, token: str, *, now: datetime, until: datetime) -> bool:
        """Lease ``recording_id`` to ``token`` until ``until`` if nobody holds a live lease
        at ``now``. False when another holder's lease is still running."""
        free = or_(RecordingRow.claim_token.is_(None), RecordingRow.claim_until <= now)
        with self._session.begin() as s:
            res = s.execute(
                update(RecordingRow)
                .where(RecordingRow.id == recording_id, free)
                .values(claim_token=token, claim_until=until)
            )
        return res.rowcount == 1

    def renew_lease(self, recording_id: str, token: str, *, until: datetime) -> bool:
        """Extend ``token``'s lease to ``until``; False if the row no longer carries it."""
        with self._session.begin() as s:
            res = s.execute(
                update(RecordingRow)
                .where(RecordingRow.id == recording_id, RecordingRow.claim_token == token)
                .values(claim_until=until)
            )
        return res.rowcount == 1

    def release_lease(self, recording_id: str, token: str) -> bool:
        """Free the row if ``token`` still holds it; False if it did not."""
        with self._session.begin() as s:
            res = s.execute(
                update(RecordingRow)
                .where(RecordingRow.id == recording_id, RecordingRow.claim_token == token)
                .values(claim_token=None, claim_until=None)
            )
        return res.rowcount == 1
