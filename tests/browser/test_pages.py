"""The pages in a real Chromium (Debian's, driven by Playwright from PyPI).

A live uvicorn serves the app on a free loopback port. QA logs in with password + TOTP,
searches, opens the player (waveform canvas with labelled redacted intervals, redacted
transcript); compliance sees the log, its verification status, and exports CSV.
"""

from __future__ import annotations

import socket
import threading
import time

import pyotp
import pytest

from tests.fixtures.api import PASSWORD

pytestmark = [pytest.mark.browser, pytest.mark.integration]

CHROMIUM = "/usr/bin/chromium"
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture(scope="module")
def live_url(api_stack):
    import uvicorn

    port = _free_port()
    server = uvicorn.Server(
        uvicorn.Config(api_stack.app, host="127.0.0.1", port=port, log_level="warning")
    )
    thread = threading.Thread(target=server.run, daemon=True)
    thread.start()
    deadline = time.monotonic() + 30
    while not server.started:
        if time.monotonic() > deadline or not thread.is_alive():
            pytest.fail("uvicorn did not start")
        time.sleep(0.05)
    yield f"http://127.0.0.1:{port}"
    server.should_exit = True
    thread.join(10)


@pytest.fixture(scope="module")
def browser():
    import os

    from playwright.sync_api import sync_playwright

    if not os.path.exists(CHROMIUM):
        pytest.fail(f"{CHROMIUM} is missing: apt-get install chromium (scripts/setup.sh does)")
    with sync_playwright() as p:
        b = p.chromium.launch(executable_path=CHROMIUM, args=ARGS)
        yield b
        b.close()


def _login(page, base, stack, user):
    stack.clock.advance(seconds=31)  # a fresh TOTP step: codes are accepted once
    page.goto(f"{base}/login")
    page.fill("#username", user)
    page.fill("#password", PASSWORD)
    page.fill("#code", pyotp.TOTP(stack.totp[user]).at(stack.clock()))
    page.click("#login-submit")


def test_qa_logs_in_searches_and_plays_a_redacted_recording(browser, live_url, api_stack):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    _login(page, live_url, api_stack, "qa-a")
    page.wait_for_url(f"{live_url}/qa")
    cookie = [c for c in context.cookies() if c["name"] == "redactor_session"][0]
    assert cookie["httpOnly"] and cookie["secure"] and cookie["sameSite"] == "Strict"

    rows = page.locator("[data-testid=recordings] tbody tr[data-recording]")
    assert rows.count() == 1  # campaign A only
    rid = api_stack.recordings["A"]
    page.fill("#q", "agent-a")
    page.click("#search-submit")
    page.wait_for_url("**/qa?**")
    assert page.locator(f"tr[data-recording='{rid}']").count() == 1
    page.fill("#q", "no-such-agent")
    page.click("#search-submit")
    assert page.locator("tr[data-recording]").count() == 0

    page.goto(f"{live_url}/qa/recordings/{rid}")
    status = page.locator("#waveform-status")
    page.locator("#waveform-status[data-ready]").wait_for()
    assert status.get_attribute("data-ready") == "1", status.inner_text()
    canvas = page.locator("#waveform")
    assert canvas.get_attribute("data-intervals") == "1"
    assert canvas.get_attribute("data-labels") == "CARD_SECURITY_CODE"
    assert int(canvas.get_attribute("data-peaks")) > 100
    # the canvas really shows the shaded interval: sample a pixel inside it
    shaded = page.evaluate(
        """() => { const c = document.getElementById('waveform');
                   const x = Math.floor(c.width * 0.55); const px = c.getContext('2d').getImageData(x, 40, 1, 1).data;
                   return [px[0], px[1], px[2], px[3]]; }"""
    )
    assert shaded[3] > 0 and shaded[0] > shaded[2], shaded
    assert "CARD_SECURITY_CODE" in page.locator("[data-testid=intervals]").inner_text()
    transcript = page.locator("[data-testid=transcript]").inner_text()
    assert "[CVV]" in transcript
    audio_ok = page.evaluate(
        "async () => (await fetch(document.getElementById('audio').src, {credentials: 'same-origin'})).status"
    )
    assert audio_ok == 200

    # campaign B's player is not reachable
    resp = page.goto(f"{live_url}/qa/recordings/{api_stack.recordings['B']}")
    assert resp.status == 404
    # and QA has no access-log page
    resp = page.goto(f"{live_url}/compliance")
    assert resp.status == 403
    context.close()

    actions = {(e.actor, e.action, e.outcome) for e in api_stack.services.audit.query()}
    assert ("qa-a", "auth.login", "allowed") in actions
    assert ("qa-a", "audio.play", "allowed") in actions
    assert ("qa-a", "transcript.view", "denied") in actions


def test_compliance_sees_the_log_its_verification_and_exports_csv(
    browser, live_url, api_stack, tmp_path
):
    context = browser.new_context(accept_downloads=True)
    page = context.new_page()
    _login(page, live_url, api_stack, "compliance")
    page.wait_for_url(f"{live_url}/compliance")
    status = page.locator("[data-testid=verify-status]")
    assert "access log intact" in status.inner_text()
    assert page.locator("[data-testid=access-log] tbody tr[data-seq]").count() > 3

    page.fill("#f-actor", "compliance")
    page.select_option("#f-outcome", "allowed")
    page.click("#filter-submit")
    page.wait_for_url("**/compliance?**")
    actors = page.locator("[data-testid=access-log] td.actor").all_inner_texts()
    assert actors and set(actors) == {"compliance"}

    with page.expect_download() as dl:
        page.click("#export-csv")
    path = tmp_path / "log.csv"
    dl.value.save_as(path)
    lines = path.read_text().splitlines()
    assert lines[0].startswith("seq,at,actor,role,action")
    assert len(lines) > 1 and all(",compliance," in line for line in lines[1:])
    context.close()
    exports = [e for e in api_stack.services.audit.query() if e.action == "audit.export"]
    assert exports and exports[0].actor == "compliance"
