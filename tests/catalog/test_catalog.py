"""The catalog repository on SQLite and PostgreSQL: claims, history, deadlines, holds, search."""

from __future__ import annotations

import json
from datetime import timedelta

import pytest

from policies.loader import parse_policy
from redactor.errors import BadInputError, ConflictError, NotFoundError
from storage.sidecar import parse_sidecar

from .conftest import T0
from .test_sidecar import GOOD

POLICY = parse_policy(
    "retention:\n  audio_days: 30\ncampaigns:\n  sales:\n    retention:\n      audio_days: 1\n"
)


def meta(hasher, **over):
    return parse_sidecar(json.dumps({**GOOD, **over}), hasher=hasher)


def stored(catalog, hasher, key="in/a.wav", **over):
    rec = catalog.create(key, now=T0, meta=meta(hasher, **over), policy=POLICY)
    for kind in ("audio", "transcript", "report"):
        catalog.add_object(rec.id, kind, key=f"v/{rec.id}/{kind}", key_id=f"k-{kind}", now=T0)
    rules = POLICY.for_campaign(rec.campaign).retention
    catalog.apply_retention(rec.id, rules, now=T0)
    catalog.transition(rec.id, "stored", now=T0, actor="w")
    return catalog.get(rec.id)


def test_a_source_object_is_claimed_once(catalog, hasher):
    catalog.create("in/a.wav", now=T0, meta=meta(hasher))
    with pytest.raises(ConflictError, match="in/a.wav"):
        catalog.create("in/a.wav", now=T0, meta=meta(hasher))


def test_a_row_holds_the_call_metadata_and_the_policy_that_applied(catalog, hasher):
    rec = stored(catalog, hasher)
    assert (rec.call_id, rec.agent_id, rec.campaign, rec.direction) == (
        "C-1",
        "A-7",
        "sales",
        "inbound",
    )
    assert rec.started_at == T0 - timedelta(hours=1)  # 10:00+02:00 is 08:00Z
    assert rec.phone_hash == hasher("+442079460000") and rec.customer_id == "CUST-42"
    assert rec.consent_disclosed is True and rec.policy_campaign == "sales"
    assert rec.policy_digest and rec.started_at.tzinfo is not None


def test_deadlines_follow_the_campaign_policy_and_the_next_due_is_the_earliest(catalog, hasher):
    rec = stored(catalog, hasher)
    by_kind = {o.kind: o.delete_after for o in rec.objects}
    assert by_kind["audio"] == rec.started_at + timedelta(days=1)
    assert by_kind["report"] == rec.started_at + timedelta(days=365)
    assert rec.next_due_at == by_kind["audio"] and rec.retain_until == by_kind["report"]


def test_transitions_are_conditional_and_every_one_is_in_the_history(catalog, hasher):
    rec = catalog.create("in/a.wav", now=T0, meta=meta(hasher))
    catalog.transition(rec.id, "processing", now=T0, actor="w1", expect="received")
    with pytest.raises(ConflictError, match="expected 'received'"):
        catalog.transition(rec.id, "processing", now=T0, actor="w2", expect="received")
    catalog.transition(rec.id, "stored", now=T0, actor="w1", expect=["processing"])
    states = [(e.from_state, e.to_state) for e in catalog.history(rec.id) if e.action != "x"]
    assert states == [(None, "received"), ("received", "processing"), ("processing", "stored")]
    with pytest.raises(BadInputError, match="valid states"):
        catalog.transition(rec.id, "gone", now=T0, actor="w1")


def test_a_naive_clock_is_refused(catalog, hasher):
    with pytest.raises(BadInputError, match="timezone-aware"):
        catalog.create("in/a.wav", now=T0.replace(tzinfo=None), meta=meta(hasher))


def test_search_filters_by_campaign_agent_customer_state_and_date(catalog, hasher):
    a = stored(catalog, hasher, "in/a.wav")
    b = stored(
        catalog,
        hasher,
        "in/b.wav",
        campaign="support",
        agent_id="A-8",
        customer_id="CUST-9",
        started_at="2024-06-01T00:00:00+00:00",
    )
    assert [r.id for r in catalog.search(campaign="sales")] == [a.id]
    assert [r.id for r in catalog.search(agent_id="A-8")] == [b.id]
    assert [r.id for r in catalog.search(customer_id="CUST-42")] == [a.id]
    assert [r.id for r in catalog.search()] == [b.id, a.id]  # newest call first
    june = T0.replace(month=6, day=1, hour=0)
    assert [r.id for r in catalog.search(started_from=june)] == [b.id]
    assert [r.id for r in catalog.search(started_before=june)] == [a.id]
    assert {r.id for r in catalog.by_state("stored")} == {a.id, b.id}
    assert catalog.search(phone_hash=hasher("+442079460000"), limit=1)
    assert catalog.get(a.id).to_dict()["objects"][0]["kind"] == "audio"
    with pytest.raises(NotFoundError):
        catalog.get("nope")


def test_holds_cover_by_recording_customer_or_campaign_and_release_once(catalog, hasher):
    a = stored(catalog, hasher, "in/a.wav")
    b = stored(catalog, hasher, "in/b.wav", customer_id="CUST-9", campaign="support")
    h = catalog.set_hold(
        now=T0, reference="CASE-1", reason="court order", set_by="dpo", customer_id="CUST-42"
    )
    cov = catalog.holds_covering([a, b], T0)
    assert [x.id for x in cov[a.id]] == [h.id] and cov[b.id] == []
    catalog.release_hold(h.id, now=T0, released_by="dpo", reason="case closed")
    assert catalog.holds_covering([a], T0)[a.id] == []
    with pytest.raises(ConflictError, match="already released"):
        catalog.release_hold(h.id, now=T0, released_by="dpo", reason="again")
    with pytest.raises(BadInputError, match="exactly one scope"):
        catalog.set_hold(now=T0, reference="X", reason="y", set_by="dpo")
    timed = catalog.set_hold(
        now=T0,
        reference="C2",
        reason="r",
        set_by="dpo",
        campaign="support",
        until=T0 + timedelta(days=1),
    )
    assert catalog.holds_covering([b], T0)[b.id] == [timed]
    assert catalog.holds_covering([b], T0 + timedelta(days=1))[b.id] == []


def test_due_and_claims_skip_held_and_leased_rows(catalog, hasher):
    a = stored(catalog, hasher, "in/a.wav")
    b = stored(catalog, hasher, "in/b.wav", customer_id="CUST-9")
    later = T0 + timedelta(days=2)
    assert sorted(catalog.due(now=later, limit=10)) == sorted([a.id, b.id])
    assert catalog.due(now=T0, limit=10) == []
    catalog.set_hold(now=T0, reference="H", reason="r", set_by="dpo", recording_id=b.id)
    assert catalog.claim_due(now=later, limit=10, token="t1", lease=timedelta(minutes=5)) == [a.id]
    assert catalog.claim_due(now=later, limit=10, token="t2", lease=timedelta(minutes=5)) == []
    # the lease runs out: another sweeper may take over a crashed one's rows
    after = later + timedelta(minutes=6)
    assert catalog.claim_due(now=after, limit=10, token="t3", lease=timedelta(minutes=5)) == [a.id]


def test_mark_deleted_is_idempotent_and_finishes_the_recording_once(catalog, hasher):
    a = stored(catalog, hasher)
    ids = [o.id for o in a.objects]
    first = catalog.mark_deleted(
        {a.id: ids}, now=T0, reason="retention", actor="s", final_state="expired"
    )
    again = catalog.mark_deleted(
        {a.id: ids}, now=T0, reason="retention", actor="s", final_state="expired"
    )
    assert first == {a.id: True} and again == {a.id: False}
    rec = catalog.get(a.id)
    assert rec.state == "expired" and rec.next_due_at is None
    assert all(o.deleted_at == T0 for o in rec.objects)
    assert [e.to_state for e in catalog.history(a.id)].count("expired") == 1
