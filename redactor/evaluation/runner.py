"""Run redactors over a corpus and score them: the engine behind ``redactor eval``.

A *system* is anything with ``redact_file(src, dst)``: our :class:`~redactor.pipeline.Redactor`,
the do-it-yourself baseline, or the oracle. Each system's models are loaded once, before the
first file. A file the system refuses with :class:`~redactor.errors.NotCleanError` (or
:class:`~redactor.errors.BadInputError`) is scored as quarantined, never as clean.
"""

from __future__ import annotations

import json
import logging
import time
from collections.abc import Callable
from dataclasses import asdict, dataclass, field
from pathlib import Path

from redactor.errors import BadInputError, NotCleanError
from redactor.evaluation.scoring import (
    CallScore,
    Summary,
    score_call,
    score_quarantined,
    summarize,
)

__all__ = ["SystemResult", "run_system", "acceptance", "write_results", "OracleSystem"]

log = logging.getLogger(__name__)


@dataclass
class SystemResult:
    name: str
    scores: list[CallScore]
    seconds: float
    audio_seconds: float
    load_seconds: float = 0.0
    errors: list[str] = field(default_factory=list)

    @property
    def summary(self) -> Summary:
        return summarize(self.name, self.scores)


class OracleSystem:
    """Mutes exactly the ground truth; checks the scorer end to end (must leak nothing)."""

    def __init__(self, calls):
        self._by_path = {str(c.audio_path): c for c in calls}

    def redact_file(self, src, dst):
        from redactor.evaluation.mute import oracle_redact

        return oracle_redact(self._by_path[str(src)], dst)


def run_system(
    name: str,
    factory: Callable[[], object],
    calls,
    out_dir: Path,
    *,
    progress: Callable[[str, int, int], None] | None = None,
) -> SystemResult:
    """Load ``factory()`` once, redact every call into ``out_dir/name``, and score it."""
    t0 = time.perf_counter()
    system = factory()
    load = time.perf_counter() - t0
    folder = out_dir / name
    folder.mkdir(parents=True, exist_ok=True)
    scores, errors, busy = [], [], 0.0
    for i, call in enumerate(calls):
        dst = folder / call.audio_path.name
        dst.unlink(missing_ok=True)
        t = time.perf_counter()
        try:
            system.redact_file(call.audio_path, dst)
            busy += time.perf_counter() - t
            scores.append(score_call(call, dst))
        except (NotCleanError, BadInputError) as exc:
            busy += time.perf_counter() - t
            scores.append(score_quarantined(call, f"{type(exc).__name__}: {exc}"))
        except Exception as exc:  # noqa: BLE001 - a crash is a result too, never a clean file
            busy += time.perf_counter() - t
            log.exception("%s crashed on %s", name, call.call_id)
            errors.append(f"{call.call_id}: {type(exc).__name__}: {exc}")
            scores.append(score_quarantined(call, f"crash: {type(exc).__name__}: {exc}"))
        if progress:
            progress(name, i + 1, len(calls))
    return SystemResult(name, scores, busy, sum(c.duration for c in calls), load, errors)


# Done-when of the issue: zero leaked card data, <= 1 in 20 health mentions, <= 10% over.
def acceptance(summary: Summary) -> list[tuple[str, bool, str]]:
    """The issue's targets, each as ``(name, passed, measured)``."""
    checks = []
    for entity in ("CREDIT_CARD", "CARD_SECURITY_CODE", "CARD_EXPIRY"):
        leaked = summary.leaked.get(entity, 0)
        checks.append(
            (f"zero leaked {entity}", leaked == 0, f"{leaked}/{summary.units.get(entity, 0)}")
        )
    rate = summary.leak_rate("HEALTH")
    checks.append(("health leak rate <= 5%", rate <= 0.05, f"{rate:.1%}"))
    over = summary.over_redaction
    checks.append(("over-redaction <= 10%", over <= 0.10, f"{over:.1%}"))
    return checks


def write_results(path: Path, params: dict, results: list[SystemResult]) -> Path:
    data = {
        "params": params,
        "systems": {
            r.name: {
                "summary": r.summary.to_dict(),
                "seconds": round(r.seconds, 2),
                "load_seconds": round(r.load_seconds, 2),
                "audio_seconds": round(r.audio_seconds, 2),
                "errors": r.errors,
                "calls": [
                    {
                        "call_id": s.call_id,
                        "quarantined": s.quarantined,
                        "reason": s.reason,
                        "over_redaction": round(s.over_redaction, 4),
                        "leaks": [asdict(u) for u in s.leaks],
                        "harmless_damaged": [asdict(h) for h in s.harmless if h.leaked],
                    }
                    for s in r.scores
                ],
            }
            for r in results
        },
    }
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=1))
    return path
