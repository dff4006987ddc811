"""The Art. 30 record is derived from the policy in force."""

from __future__ import annotations

from policies.loader import parse_policy
from policies.records import build_record, render_html, render_markdown

from .conftest import T0

POLICY = parse_policy(
    """
retention:
  audio_days: 30
  report_days: 400
campaigns:
  collections:
    retention:
      audio_days: 7
      purpose: debt collection <evidence>
      legal_holds:
        - {reference: CASE-1, reason: dispute, campaigns: [collections], until: 2030-01-01}
"""
)


def test_the_record_lists_each_campaigns_periods_and_purpose():
    rec = build_record(POLICY, now=T0, controller="ACME")
    default, coll = rec.campaigns
    assert default.name is None and default.audio_days == 30 and default.report_days == 400
    assert coll.name == "collections" and coll.audio_days == 7 and coll.report_days == 400
    assert coll.legal_holds == ("CASE-1: dispute (until 2030-01-01)",)
    md = render_markdown(rec)
    assert "### Campaign `collections`" in md and "| Redacted audio kept | 7 days |" in md
    assert "never kept" in md and "deleted at ingest" in md
    assert "Encryption at rest" in md and "ACME" in md and T0.isoformat() in md


def test_the_html_record_escapes_policy_text():
    html = render_html(build_record(POLICY, now=T0))
    assert "debt collection &lt;evidence&gt;" in html and "<evidence>" not in html
