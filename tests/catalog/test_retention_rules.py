"""The retention section of the policy and its pure decisions (time is passed in)."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policies.loader import parse_policy
from policies.retention import (
    RecordingFacts,
    RetentionRules,
    consent_decision,
    is_due,
    missing_sidecar_decision,
    policy_holds,
    retention_deadlines,
    rules_digest,
)
from redactor.errors import ConfigError

T0 = datetime(2024, 5, 1, 9, 0, tzinfo=UTC)


def test_the_default_policy_keeps_no_raw_audio_and_no_recording_without_consent():
    rules = RetentionRules()
    assert rules.keep_raw_audio is False
    assert consent_decision(rules, False).keep is False
    assert consent_decision(rules, None).keep is False
    assert consent_decision(rules, True).keep is True
    assert "raw" not in retention_deadlines(rules, T0, T0)


def test_deadlines_count_from_the_call_start_and_fall_back_to_reception():
    rules = RetentionRules(audio_days=1, transcript_days=2, report_days=3)
    d = retention_deadlines(rules, T0, T0 + timedelta(days=10))
    assert d == {
        "audio": T0 + timedelta(days=1),
        "transcript": T0 + timedelta(days=2),
        "report": T0 + timedelta(days=3),
    }
    assert retention_deadlines(rules, None, T0)["audio"] == T0 + timedelta(days=1)


def test_a_deadline_is_due_at_and_after_its_instant_only():
    assert not is_due(T0, T0 - timedelta(microseconds=1))
    assert is_due(T0, T0)
    assert is_due(T0, T0 + timedelta(days=1))
    assert not is_due(None, T0)


def test_naive_clocks_are_refused():
    with pytest.raises(ValueError, match="timezone-aware"):
        is_due(T0, datetime(2024, 5, 1))


@given(
    days=st.integers(0, 3650),
    offset=st.integers(-(10**6), 10**6),
)
def test_due_exactly_when_now_reaches_the_deadline(days, offset):
    rules = RetentionRules(audio_days=days)
    deadline = retention_deadlines(rules, T0, T0)["audio"]
    now = deadline + timedelta(seconds=offset)
    assert is_due(deadline, now) == (offset >= 0)


def test_a_campaign_override_changes_only_that_campaign():
    policy = parse_policy(
        "retention:\n  audio_days: 30\ncampaigns:\n  sales:\n    retention:\n      audio_days: 1\n"
    )
    assert policy.for_campaign("sales").retention.audio_days == 1
    assert policy.for_campaign("support").retention.audio_days == 30
    assert rules_digest(policy.for_campaign("sales").retention) != rules_digest(policy.retention)


def test_a_bad_retention_value_names_its_line():
    with pytest.raises(ConfigError, match=r":3: retention.audio_days"):
        parse_policy("version: 1\nretention:\n  audio_days: -5\n")


def test_raw_audio_days_without_keeping_raw_audio_is_refused():
    with pytest.raises(ConfigError, match="keep_raw_audio"):
        parse_policy("retention:\n  raw_audio_days: 3\n")


def test_a_hold_rule_matching_everything_is_refused():
    with pytest.raises(ConfigError, match="matches every recording"):
        parse_policy("retention:\n  legal_holds:\n    - {reference: X, reason: y}\n")


def test_policy_holds_match_on_every_criterion_they_set_and_end_on_until():
    rules = parse_policy(
        """
retention:
  legal_holds:
    - reference: CASE-1
      reason: litigation with ACME
      campaigns: [sales]
      started_before: 2024-06-01
      until: 2025-01-01
"""
    ).retention
    inside = RecordingFacts(campaign="sales", started_at=T0)
    assert [h.reference for h in policy_holds(rules, inside, T0)] == ["CASE-1"]
    assert policy_holds(rules, RecordingFacts(campaign="support", started_at=T0), T0) == []
    late = RecordingFacts(campaign="sales", started_at=datetime(2024, 7, 1, tzinfo=UTC))
    assert policy_holds(rules, late, T0) == []
    after = datetime.combine(date(2025, 1, 1), datetime.min.time(), tzinfo=UTC)
    assert policy_holds(rules, inside, after) == []


def test_missing_sidecar_is_held_back_by_default_and_processed_when_the_policy_says_so():
    held = missing_sidecar_decision(RetentionRules(), "call.json: sidecar is missing")
    assert not held.process and "sidecar is missing" in held.reason
    ok = missing_sidecar_decision(RetentionRules(missing_sidecar="defaults"), "x")
    assert ok.process and ok.use_defaults


def test_the_packaged_policy_file_loads():
    from policies.loader import load_policy

    assert load_policy().retention.keep_without_consent is False
