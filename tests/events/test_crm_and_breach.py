"""The CRM read link, the breach report (refusing a tampered log) and the breach register,
on the real API stack: SQLite catalog, vault and locked checkpoint bucket on SeaweedFS."""

from __future__ import annotations

import io
import json
import re
from datetime import timedelta
from urllib.parse import parse_qs, urlsplit

import pyotp
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import text

from storage.audit import AccessQuery
from tests.fixtures.api import PASSWORD

pytestmark = pytest.mark.integration


@pytest.fixture
def crm_stack(make_stack):
    from api import crm

    stack = make_stack(checkpoint_every=5)
    stack.app.include_router(crm.router)
    stack.app.state.crm_links = crm.CrmLinks(b"k" * 32, timedelta(minutes=15))
    return stack


def _client(stack) -> TestClient:
    return TestClient(stack.app, base_url="https://testserver")


def _login(client, stack, user):
    page = client.get("/login")
    csrf = re.search(r'name="csrf_token" value="([^"]+)"', page.text).group(1)
    code = pyotp.TOTP(stack.totp[user]).at(stack.clock())
    r = client.post(
        "/login",
        data={"username": user, "password": PASSWORD, "code": code, "csrf_token": csrf},
        follow_redirects=False,
    )
    assert r.status_code == 303, r.text


def _link(client, stack, user, campaign="A"):
    rid = stack.recordings[campaign]
    r = client.post(f"/api/v1/crm/recordings/{rid}/link", headers=stack.headers(user))
    return rid, r


def test_a_crm_link_opens_the_player_after_login_and_logs_who_used_it(crm_stack):
    stack = crm_stack
    with _client(stack) as c:
        rid, r = _link(c, stack, "admin-qa")
        assert r.status_code == 200, r.text
        url = r.json()["url"]
        path = url.removeprefix("https://testserver")
        anon = c.get(path, follow_redirects=False)
        assert anon.status_code == 303 and anon.headers["location"] == "/login"
        _login(c, stack, "qa-a")
        opened = c.get(path, follow_redirects=False)
        assert opened.status_code == 303, opened.text
        assert opened.headers["location"] == f"/qa/recordings/{rid}"
        assert c.get(opened.headers["location"]).status_code == 200
    used = [
        e
        for e in stack.services.audit.query()
        if e.recording_id == rid and "CRM link issued by admin-qa" in e.detail
    ]
    assert [(e.actor, e.outcome) for e in used] == [("qa-a", "allowed")]


def test_a_crm_link_does_not_open_another_campaign_an_expired_or_a_forged_link(crm_stack):
    stack = crm_stack
    with _client(stack) as c:
        rid_b, r = _link(c, stack, "admin-qa", campaign="B")
        assert r.status_code == 404  # the issuer cannot see campaign B either
        _, r = _link(c, stack, "admin-qa")
        path = r.json()["url"].removeprefix("https://testserver")
        _login(c, stack, "qa-b")
        assert c.get(path, follow_redirects=False).status_code == 404  # qa-b: not her campaign
        q = {k: v[0] for k, v in parse_qs(urlsplit(path).query).items()}
        q["r"] = rid_b  # the same signature for another recording
        forged = "/crm/open?" + "&".join(f"{k}={v}" for k, v in q.items())
        assert c.get(forged, follow_redirects=False).status_code == 403
        stack.clock.advance(minutes=16)
        assert c.get(path, follow_redirects=False).status_code == 410
    log = stack.services.audit.query()
    assert any(e.action == "crm.link" and "bad signature" in e.detail for e in log)
    assert any(e.action == "crm.link" and "expired" in e.detail for e in log)


def _reads(stack, n=4):
    with _client(stack) as c:
        for i in range(n):
            user = "qa-a" if i % 2 == 0 else "qa-b"
            camp = "A" if user == "qa-a" else "B"
            rid = stack.recordings[camp]
            assert (
                c.get(f"/api/v1/recordings/{rid}", headers=stack.headers(user)).status_code == 200
            )
            stack.clock.advance(seconds=30)
        # a denied probe: qa-a asks for campaign B
        c.get(f"/api/v1/recordings/{stack.recordings['B']}", headers=stack.headers("qa-a"))


def test_the_breach_report_lists_accesses_with_their_data_subjects(crm_stack):
    from storage.breach import breach_report

    stack = crm_stack
    t1 = stack.clock()
    _reads(stack)
    t2 = stack.clock.advance(seconds=1)
    rep = breach_report(
        stack.services.audit, since=t1, until=t2, principal="qa-a", catalog=stack.catalog
    )
    s = rep.summary
    assert s.accesses == 3 and s.allowed == 2 and s.refused == 1
    assert s.recordings == [stack.recordings["A"]] and s.subjects == ["cust-A"]
    assert s.first_access and s.last_access and s.first_access < s.last_access
    assert "data subjects affected: 1" in s.text()
    out = io.StringIO()
    assert rep.write_csv(out) == 3
    lines = out.getvalue().splitlines()
    assert lines[0].startswith("seq,at,actor,role,action,outcome")
    assert all(",qa-a," in line for line in lines[1:])
    everyone = breach_report(stack.services.audit, since=t1, until=t2, catalog=stack.catalog)
    assert sorted(everyone.summary.subjects) == ["cust-A", "cust-B"]


def test_the_breach_report_refuses_a_tampered_log_and_names_the_first_bad_entry(crm_stack):
    from storage.breach import LogTampered, breach_report

    stack = crm_stack
    t1 = stack.clock()
    _reads(stack, n=6)
    seq = (
        stack.services.audit.query(AccessQuery(since=t1, limit=10000))[-1].seq + 1
    )  # in the window
    with stack.engine.begin() as conn:
        conn.execute(
            text("UPDATE access_log SET actor = 'someone-else' WHERE seq = :s"), {"s": seq}
        )
    with pytest.raises(LogTampered) as err:
        breach_report(stack.services.audit, since=t1, until=stack.clock(), catalog=stack.catalog)
    assert err.value.first_bad == seq
    assert f"first bad entry: {seq}" in str(err.value)


def test_the_breach_cli_refuses_a_tampered_log_and_the_register_is_access_logged(
    crm_stack, s3_settings, tmp_path, monkeypatch, capsys
):
    from redactor.cli import main
    from workers.events_cli import register

    stack = crm_stack
    root = stack.engine.url.database.rsplit("/", 1)[0]
    env = {
        "REDACTOR_HOME": root,
        "REDACTOR_DATABASE_URL": str(stack.engine.url),
        "REDACTOR_AUDIT_BUCKET": stack.checkpoints.bucket,
        "REDACTOR_S3_ENDPOINT": s3_settings.endpoint_url,
        "REDACTOR_S3_ACCESS_KEY": s3_settings.access_key,
        "REDACTOR_S3_SECRET_KEY": s3_settings.secret_key,
        "REDACTOR_S3_ADDRESSING": "path",
    }
    for k, v in env.items():
        monkeypatch.setenv(k, v)
    import redactor.cli as cli

    if "workers.events_cli" not in cli.SUBCOMMAND_MODULES:  # until the lead registers it
        monkeypatch.setattr(
            cli, "SUBCOMMAND_MODULES", (*cli.SUBCOMMAND_MODULES, "workers.events_cli")
        )
    del register
    t1 = stack.clock().isoformat()
    _reads(stack)
    t2 = (stack.clock() + timedelta(seconds=1)).isoformat()
    csv_path = tmp_path / "report.csv"
    assert main(["breach", "report", "--from", t1, "--to", t2, "--csv", str(csv_path)]) == 0
    out = capsys.readouterr().out
    assert "Accesses in the window: 5" in out and "data subjects affected: 2" in out
    assert len(csv_path.read_text().splitlines()) == 6

    assert main(["breach", "record", "--title", "lost laptop", "--facts", "a QA laptop was stolen",
                 "--effects", "cached transcripts of 2 customers", "--remedial",
                 "sessions revoked; disk encrypted", "--subjects", "2"]) == 0  # fmt: skip
    bid = capsys.readouterr().out.strip()
    assert main(["breach", "export", "--format", "json"]) == 0
    exported = json.loads(capsys.readouterr().out)
    assert [b["id"] for b in exported] == [bid] and exported[0]["subjects_affected"] == 2
    actions = [e.action for e in stack.services.audit.query(AccessQuery(limit=5))]
    assert "breach.record" in actions and "breach.export" in actions and "breach.report" in actions

    first = stack.services.audit.query(AccessQuery(limit=10000))[-1].seq + 1
    with stack.engine.begin() as conn:
        conn.execute(text("DELETE FROM access_log WHERE seq = :s"), {"s": first})
    assert main(["breach", "report", "--from", t1, "--to", t2]) == 11
    err = capsys.readouterr()
    assert f"first bad entry: {first}" in err.err
    assert "Accesses in the window" not in err.out
