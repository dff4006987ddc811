"""Structured JSON logs without personal data.

Why a scrubber and not discipline alone: messages from libraries and exceptions name object
keys, and telephony keys often carry a phone number or a customer reference. Every record
goes through :func:`scrub`: long digit runs (phone, card and account numbers), e-mail
addresses and ``bucket/key`` paths of recordings are masked before the line is written. Logs
carry recording ids (random UUIDs), outcomes and timings -- enough to operate, nothing about
the caller.
"""

from __future__ import annotations

import json
import logging
import re
import sys
import time

__all__ = ["JsonFormatter", "configure", "scrub"]

_PATTERNS = (
    (re.compile(r"[\w.+-]+@[\w-]+\.[\w.-]+"), "[email]"),
    (re.compile(r"\+?\d[\d ()./-]{4,}\d"), "[number]"),
    (re.compile(r"\b[\w.-]+/[\w./ -]*\.(wav|flac|mp3|ogg|opus|m4a|aac|json)\b", re.I), "[object]"),
)
_FIELDS = ("recording_id", "outcome", "stage", "seconds", "attempts", "worker", "queue_depth")


def scrub(text: str) -> str:
    """Mask numbers of 6+ digits, e-mail addresses and recording object paths."""
    for pattern, repl in _PATTERNS:
        text = pattern.sub(repl, text)
    return text


class JsonFormatter(logging.Formatter):
    """One JSON object per line: time, level, logger, message and whitelisted extras."""

    def format(self, record: logging.LogRecord) -> str:
        out = {
            "ts": time.strftime("%Y-%m-%dT%H:%M:%S", time.gmtime(record.created))
            + f".{int(record.msecs):03d}Z",
            "level": record.levelname.lower(),
            "logger": record.name,
            "msg": scrub(record.getMessage()),
            "pid": record.process,
        }
        for name in _FIELDS:
            if hasattr(record, name):
                out[name] = getattr(record, name)
        if record.exc_info and record.exc_info[0] is not None:
            out["error"] = record.exc_info[0].__name__  # the type only: messages name data
        return json.dumps(out, default=str)


def configure(level: int = logging.INFO, stream=None) -> None:
    """Route the root logger to JSON lines on ``stream`` (stderr)."""
    handler = logging.StreamHandler(stream or sys.stderr)
    handler.setFormatter(JsonFormatter())
    root = logging.getLogger()
    for h in list(root.handlers):
        root.removeHandler(h)
    root.addHandler(handler)
    root.setLevel(level)
