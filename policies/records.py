"""The record of processing activities (GDPR Art. 30), built from the policy in force.

Why generated and not written by hand: the record must match what the service actually
does. It is derived from the same policy file the sweeper and the ingest obey, so a change of
retention period or of redacted entities shows up in the record the moment it takes effect.

Pure: :func:`build_record` takes the policy, the generation time and the organisational
facts the policy cannot know (controller, DPO, recipients); :func:`render_markdown` and
:func:`render_html` turn the result into a document. No I/O.
"""

from __future__ import annotations

import html
from dataclasses import dataclass, field
from datetime import datetime
from typing import TYPE_CHECKING

from policies.retention import rules_digest

if TYPE_CHECKING:
    from policies.loader import Policy

__all__ = [
    "ProcessingRecord",
    "CampaignEntry",
    "DEFAULT_SECURITY_MEASURES",
    "build_record",
    "render_markdown",
    "render_html",
]

DEFAULT_SECURITY_MEASURES: tuple[str, ...] = (
    "Sensitive content (card numbers, security codes, health data and the other configured "
    "entities) is removed from audio and transcripts before storage; verification re-checks "
    "the redacted audio and quarantines recordings that still contain findings.",
    "Encryption at rest: every stored object is encrypted with its own data key (Tink "
    "streaming AEAD, AES-256-GCM-HKDF, 1 MB authenticated segments); data keys are stored "
    "only wrapped by a key-encryption key held in a local keyring or a KMS.",
    "Crypto-shredding: deleting a recording deletes its objects and destroys its data keys, "
    "so backups of the ciphertext become unreadable.",
    "Pseudonymisation: the caller's phone number is kept only as an HMAC-SHA256 keyed hash.",
    "Raw (unredacted) audio is deleted once the redacted copy is stored, unless a policy "
    "explicitly keeps it for a stated number of days.",
    "Storage limitation: a scheduled sweep deletes every object past its retention deadline; "
    "legal holds block deletion and are recorded with their reason.",
    "Access control: authenticated users with roles; every access to a recording is written "
    "to an append-only access log with signed checkpoints.",
    "Transport security: TLS to the object store and the API in production deployments.",
    "Data-subject requests: export and erasure by customer, with a manifest or a receipt.",
)


@dataclass(frozen=True)
class CampaignEntry:
    """What the record says about one campaign (``name`` ``None``: the defaults)."""

    name: str | None
    purpose: str
    legal_basis: str
    audio_days: int
    transcript_days: int
    report_days: int
    raw_audio: str
    without_consent: str
    missing_sidecar: str
    entities: tuple[str, ...]
    legal_holds: tuple[str, ...]
    rules_digest: str


@dataclass(frozen=True)
class ProcessingRecord:
    generated_at: datetime
    policy_source: str
    controller: str
    contact: str
    data_subjects: tuple[str, ...]
    data_categories: tuple[str, ...]
    recipients: tuple[str, ...]
    transfers: str
    campaigns: tuple[CampaignEntry, ...]
    security_measures: tuple[str, ...] = field(default=DEFAULT_SECURITY_MEASURES)


def _entry(name: str | None, policy: Policy) -> CampaignEntry:
    r = policy.retention
    return CampaignEntry(
        name=name,
        purpose=r.purpose,
        legal_basis=r.legal_basis,
        audio_days=r.audio_days,
        transcript_days=r.transcript_days,
        report_days=r.report_days,
        raw_audio=(
            f"kept {r.raw_audio_days} days"
            if r.keep_raw_audio
            else "never kept (deleted once the redacted copy is stored)"
        ),
        without_consent=(
            "kept" if r.keep_without_consent else "deleted at ingest, with a log entry"
        ),
        missing_sidecar=(
            "processed with the policy defaults"
            if r.missing_sidecar == "defaults"
            else "held back until a valid sidecar arrives"
        ),
        entities=tuple(policy.redaction.entities),
        legal_holds=tuple(
            f"{h.reference}: {h.reason}" + (f" (until {h.until.isoformat()})" if h.until else "")
            for h in r.legal_holds
        ),
        rules_digest=rules_digest(r),
    )


def build_record(
    policy: Policy,
    *,
    now: datetime,
    controller: str = "(controller name not configured)",
    contact: str = "(data protection contact not configured)",
    recipients: tuple[str, ...] = ("none outside the controller",),
    transfers: str = "none outside the EEA",
    security_measures: tuple[str, ...] = DEFAULT_SECURITY_MEASURES,
) -> ProcessingRecord:
    """The Art. 30 record for ``policy`` (defaults first, then each campaign by name)."""
    entries = [_entry(None, policy)]
    entries += [_entry(name, policy.for_campaign(name)) for name in sorted(policy.campaigns)]
    return ProcessingRecord(
        generated_at=now,
        policy_source=policy.source,
        controller=controller,
        contact=contact,
        data_subjects=("callers (customers and prospects)", "call-centre agents"),
        data_categories=(
            "redacted call audio (voice)",
            "redacted transcript and redaction report",
            "call metadata: call id, agent id, campaign, direction, start time, language",
            "customer id; phone number as a keyed hash only",
            "consent disclosure flag",
        ),
        recipients=recipients,
        transfers=transfers,
        campaigns=tuple(entries),
        security_measures=security_measures,
    )


def _rows(e: CampaignEntry) -> list[tuple[str, str]]:
    return [
        ("Purpose", e.purpose),
        ("Legal basis", e.legal_basis),
        ("Redacted audio kept", f"{e.audio_days} days"),
        ("Transcript kept", f"{e.transcript_days} days"),
        ("Report kept", f"{e.report_days} days"),
        ("Raw audio", e.raw_audio),
        ("Recorded without disclosed consent", e.without_consent),
        ("Missing telephony metadata", e.missing_sidecar),
        ("Entities redacted", ", ".join(e.entities)),
        ("Legal holds in the policy", "; ".join(e.legal_holds) or "none"),
        ("Rules digest", e.rules_digest),
    ]


def _title(e: CampaignEntry) -> str:
    return "Default policy" if e.name is None else f"Campaign `{e.name}`"


def render_markdown(rec: ProcessingRecord) -> str:
    """The record as a Markdown document."""

    def cell(s: str) -> str:
        return s.replace("|", "\\|").replace("\n", " ")

    out = [
        "# Record of processing activities (GDPR Art. 30)",
        "",
        f"- Generated: {rec.generated_at.isoformat()}",
        f"- Policy file: `{rec.policy_source}`",
        f"- Controller: {rec.controller}",
        f"- Contact: {rec.contact}",
        "",
        "## Processing: call recording redaction and retention",
        "",
        "- Data subjects: " + "; ".join(rec.data_subjects),
        "- Personal data: " + "; ".join(rec.data_categories),
        "- Recipients: " + "; ".join(rec.recipients),
        f"- Transfers to third countries: {rec.transfers}",
        "",
        "## Purposes and retention periods",
    ]
    for e in rec.campaigns:
        out += ["", f"### {_title(e)}", "", "| Item | Value |", "|---|---|"]
        out += [f"| {cell(k)} | {cell(v)} |" for k, v in _rows(e)]
    out += ["", "## Technical and organisational security measures (Art. 32)", ""]
    out += [f"{i}. {m}" for i, m in enumerate(rec.security_measures, 1)]
    return "\n".join(out) + "\n"


def render_html(rec: ProcessingRecord) -> str:
    """The record as a standalone HTML document (every value escaped)."""
    e_ = html.escape
    parts = [
        "<!doctype html><html lang='en'><head><meta charset='utf-8'>",
        "<title>Record of processing activities</title></head><body>",
        "<h1>Record of processing activities (GDPR Art. 30)</h1><ul>",
        f"<li>Generated: {e_(rec.generated_at.isoformat())}</li>",
        f"<li>Policy file: <code>{e_(rec.policy_source)}</code></li>",
        f"<li>Controller: {e_(rec.controller)}</li><li>Contact: {e_(rec.contact)}</li></ul>",
        "<h2>Processing: call recording redaction and retention</h2><ul>",
        f"<li>Data subjects: {e_('; '.join(rec.data_subjects))}</li>",
        f"<li>Personal data: {e_('; '.join(rec.data_categories))}</li>",
        f"<li>Recipients: {e_('; '.join(rec.recipients))}</li>",
        f"<li>Transfers to third countries: {e_(rec.transfers)}</li></ul>",
        "<h2>Purposes and retention periods</h2>",
    ]
    for e in rec.campaigns:
        title = "Default policy" if e.name is None else f"Campaign {e.name}"
        parts.append(f"<h3>{e_(title)}</h3><table>")
        parts += [f"<tr><th>{e_(k)}</th><td>{e_(v)}</td></tr>" for k, v in _rows(e)]
        parts.append("</table>")
    parts.append("<h2>Technical and organisational security measures (Art. 32)</h2><ol>")
    parts += [f"<li>{e_(m)}</li>" for m in rec.security_measures]
    parts.append("</ol></body></html>")
    return "\n".join(parts) + "\n"
