"""The catalog's job-lease API (take / renew / release), used by workers.lease."""

from __future__ import annotations

from datetime import timedelta

from tests.catalog.conftest import T0


def _lease_columns(catalog, rid):
    from storage.catalog_models import RecordingRow

    with catalog.engine.connect() as conn:
        row = conn.execute(RecordingRow.__table__.select().where(RecordingRow.id == rid)).one()
    return row.claim_token, row.claim_until


def test_take_renew_release(catalog):
    rid = catalog.create("in/a.wav", now=T0).id
    until = T0 + timedelta(seconds=60)
    assert catalog.take_lease(rid, "job:a", now=T0, until=until)
    assert not catalog.take_lease(rid, "job:b", now=T0 + timedelta(seconds=30), until=until)
    assert catalog.renew_lease(rid, "job:a", until=T0 + timedelta(seconds=120))
    assert not catalog.renew_lease(rid, "job:b", until=T0 + timedelta(seconds=500))
    token, claim_until = _lease_columns(catalog, rid)
    assert token == "job:a" and claim_until.replace(tzinfo=T0.tzinfo) == T0 + timedelta(seconds=120)
    assert not catalog.release_lease(rid, "job:b")
    assert catalog.release_lease(rid, "job:a")
    assert _lease_columns(catalog, rid) == (None, None)
    assert catalog.take_lease(rid, "job:b", now=T0, until=until)


def test_an_expired_lease_can_be_taken_over(catalog):
    rid = catalog.create("in/b.wav", now=T0).id
    assert catalog.take_lease(rid, "job:a", now=T0, until=T0 + timedelta(seconds=60))
    later = T0 + timedelta(seconds=60)
    assert catalog.take_lease(rid, "job:b", now=later, until=later + timedelta(seconds=60))
    assert not catalog.renew_lease(rid, "job:a", until=later + timedelta(seconds=90))
    assert not catalog.take_lease("no-such-id", "job:c", now=later, until=later)
