"""Every endpoint against every role (and no credentials): deny by default.

The table below lists each endpoint once with the roles that may call it; every other role
must get 403 (404 for QA outside its campaign, which is tested separately), anonymous
callers 401, and every refusal must reach the access log.
"""

from __future__ import annotations

import pytest

from tests.fixtures.api import USERS

ROLES = [None, *USERS]  # None = no credentials

# (method, path, json body, users allowed, expected status when allowed)
# "{A}" is campaign A's recording; the body of a write is safe to repeat.
ENDPOINTS = [
    ("GET", "/api/v1/me", None, set(USERS), 200),
    ("GET", "/api/v1/recordings", None, {"qa-a", "qa-b", "admin-qa"}, 200),
    ("GET", "/api/v1/recordings/{A}", None, {"qa-a", "admin-qa"}, 200),
    ("GET", "/api/v1/recordings/{A}/transcript", None, {"qa-a", "admin-qa"}, 200),
    ("GET", "/api/v1/recordings/{A}/waveform?buckets=50", None, {"qa-a", "admin-qa"}, 200),
    ("GET", "/api/v1/recordings/{A}/audio", None, {"qa-a", "admin-qa"}, 200),
    ("GET", "/api/v1/recordings/{A}/download", None, {"qa-a", "admin-qa"}, 200),
    ("GET", "/api/v1/recordings/{A}/history", None, {"compliance"}, 200),
    ("POST", "/api/v1/recordings", "upload", {"ingest"}, 201),
    ("GET", "/api/v1/audit", None, {"compliance"}, 200),
    ("GET", "/api/v1/audit/export.csv", None, {"compliance"}, 200),
    ("GET", "/api/v1/audit/verify", None, {"compliance"}, 200),
    ("GET", "/api/v1/users", None, {"admin", "admin-qa"}, 200),
    ("POST", "/api/v1/users/qa-a/tokens", {"label": "matrix"}, {"admin", "admin-qa"}, 201),
    ("PATCH", "/api/v1/users/qa-b", {"campaigns": ["B"]}, {"admin", "admin-qa"}, 200),
    ("GET", "/api/v1/policy", None, {"admin", "admin-qa"}, 200),
    ("PUT", "/api/v1/policy", {"yaml": "version: 1\n"}, {"admin", "admin-qa"}, 200),
    ("GET", "/api/v1/holds", None, {"admin", "admin-qa"}, 200),
    (
        "POST",
        "/api/v1/holds",
        {"campaign": "A", "reference": "case-1", "reason": "litigation"},
        {"admin", "admin-qa"},
        201,
    ),
]


def _call(client, stack, method, path, body, user):
    path = path.replace("{A}", stack.recordings["A"])
    headers = stack.headers(user)
    if body == "upload":
        files = {"audio": ("call.wav", b"RIFF....WAVE", "audio/wav")}
        return client.request(method, path, headers=headers, files=files)
    return client.request(method, path, headers=headers, json=body)


@pytest.mark.integration
@pytest.mark.parametrize("user", ROLES, ids=lambda u: u or "anonymous")
@pytest.mark.parametrize(
    "method,path,body,allowed,status", ENDPOINTS, ids=[f"{m} {p}" for m, p, *_ in ENDPOINTS]
)
def test_every_endpoint_against_every_role(
    api_client, api_stack, method, path, body, allowed, status, user
):
    before = api_stack.services.audit.head()[0]
    r = _call(api_client, api_stack, method, path, body, user)
    entries = [e for e in api_stack.services.audit.query() if e.seq > before]
    if user is None:
        assert r.status_code == 401, r.text
        assert any(e.outcome == "denied" and e.actor == "anonymous" for e in entries)
    elif user in allowed:
        assert r.status_code == status, r.text
        assert any(e.outcome == "allowed" and e.actor == user for e in entries)
    else:
        assert r.status_code in (403, 404), r.text
        assert any(e.outcome == "denied" and e.actor == user for e in entries), entries


@pytest.mark.integration
def test_the_matrix_covers_every_api_route(api_stack):
    covered = {(m, p.split("?")[0]) for m, p, *_ in ENDPOINTS}
    routes = {
        (
            m,
            r.path.replace("{recording_id}", "{A}").replace(
                "{name}", "qa-a" if "tokens" in r.path else "qa-b"
            ),
        )
        for r in api_stack.app.routes
        if getattr(r, "include_in_schema", False) and r.path.startswith("/api/")
        for m in r.methods
    }
    missing = (
        routes
        - covered
        - {("DELETE", "/api/v1/tokens/{token_id}"), ("POST", "/api/v1/holds/{hold_id}/release")}
    )
    assert not missing, missing


@pytest.mark.integration
@pytest.mark.parametrize("user", ROLES, ids=lambda u: u or "anonymous")
def test_revoking_a_token_and_releasing_a_hold_are_admin_only(api_client, api_stack, user):
    s = api_stack.services
    info, _ = s.users.create_token("qa-b", now=api_stack.clock(), label="victim")
    hold = api_stack.catalog.set_hold(
        now=api_stack.clock(), reference="r", reason="x", set_by="t", campaign="Z"
    )
    h = api_stack.headers(user)
    r1 = api_client.delete(f"/api/v1/tokens/{info.id}", headers=h)
    r2 = api_client.post(f"/api/v1/holds/{hold.id}/release", headers=h, json={"reason": "done"})
    if user is None:
        assert (r1.status_code, r2.status_code) == (401, 401)
    elif user in ("admin", "admin-qa"):
        assert (r1.status_code, r2.status_code) == (204, 200)
    else:
        assert (r1.status_code, r2.status_code) == (403, 403)
