"""The pure decision table: deny by default, roles grant fixed actions, campaigns scope QA."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from policies.roles import (
    CAMPAIGN_SCOPED,
    ROLE_ACTIONS,
    Action,
    Principal,
    Resource,
    Role,
    can,
    parse_roles,
)
from redactor.errors import ConfigError


def who(*roles, campaigns=("A",), active=True):
    return Principal(
        "id", "u", frozenset(Role(r) for r in roles), frozenset(campaigns), active=active
    )


def test_nobody_may_do_anything_without_a_principal():
    for action in Action:
        assert not can(None, action)


def test_a_principal_without_roles_may_do_nothing():
    for action in Action:
        assert not can(who(), action)


def test_a_disabled_principal_is_denied_even_with_every_role():
    p = who("qa", "admin", "compliance", "ingest", active=False)
    assert not any(can(p, a) for a in Action)


def test_an_unknown_action_is_denied():
    assert not can(who("admin"), "policy.delete_everything")


@pytest.mark.parametrize("role", list(Role))
def test_each_role_gets_exactly_its_actions(role):
    p = who(role.value)
    granted = {a for a in Action if can(p, a, Resource("recording", "r1", "A"))}
    assert granted == set(ROLE_ACTIONS[role])


def test_admin_gets_no_audio_unless_it_is_also_qa():
    assert not can(who("admin"), Action.AUDIO_PLAY)
    assert can(who("admin", "qa"), Action.AUDIO_PLAY, Resource("recording", "r", "A"))


def test_compliance_gets_the_log_but_no_audio_or_transcripts():
    p = who("compliance")
    assert can(p, Action.AUDIT_EXPORT) and can(p, Action.AUDIT_VERIFY)
    assert not can(p, Action.AUDIO_DOWNLOAD) and not can(p, Action.TRANSCRIPT_VIEW)


def test_ingest_may_only_upload():
    assert {a for a in Action if can(who("ingest"), a)} == {Action.RECORDING_UPLOAD}


@pytest.mark.parametrize("action", sorted(CAMPAIGN_SCOPED))
def test_qa_is_confined_to_its_campaigns(action):
    p = who("qa", campaigns=("A",))
    assert can(p, action, Resource("recording", "r", "A"))
    d = can(p, action, Resource("recording", "r", "B"))
    assert not d and "outside assigned campaigns" in d.reason
    assert not can(p, action, Resource("recording", "r", None))


def test_qa_without_campaigns_sees_nothing():
    assert not can(who("qa", campaigns=()), Action.RECORDING_LIST)


def test_unknown_role_names_are_refused_with_the_valid_ones():
    with pytest.raises(ConfigError, match="valid roles: ingest, qa, compliance, admin"):
        parse_roles("qa,root")


@given(
    roles=st.sets(st.sampled_from(list(Role))),
    campaigns=st.sets(st.sampled_from(["A", "B", "C"])),
    action=st.sampled_from(list(Action)),
    target=st.sampled_from(["A", "B", "C", None]),
)
def test_a_grant_always_comes_from_a_role_and_an_assigned_campaign(
    roles, campaigns, action, target
):
    p = Principal("i", "n", frozenset(roles), frozenset(campaigns))
    d = can(p, action, Resource("recording", "r", target))
    if d:
        assert any(action in ROLE_ACTIONS[r] for r in roles)
        if action in CAMPAIGN_SCOPED:
            assert target in campaigns
