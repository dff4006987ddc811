"""Breach evidence: the access report for a window, and the breach register (GDPR Art. 33).

Why: after a suspected breach the controller has 72 hours to notify the authority
(Art. 33(1)) and must document every breach (Art. 33(5)). The questions are always the
same: which recordings, of which data subjects, did this principal (or anyone) access
between T1 and T2 -- and can the record of it be trusted?

* :func:`breach_report` **verifies the whole access log first** (chain + signed
  checkpoints, :meth:`storage.audit.AccessLog.verify`). A log that fails is evidence of
  tampering, not evidence of access: no report is produced and the error names the first bad
  entry. Then it lists every entry in ``[T1, T2)`` (optionally of one principal) with the
  data subject (the recording's customer id) and sums it up in :class:`BreachSummary`, whose
  :meth:`~BreachSummary.text` is a draft for the Art. 33 notice.
* :class:`BreachRegister` records, lists and exports declared breaches -- facts, effects,
  remedial actions. Every use of the register is itself written to the access log.

The report lives in :mod:`storage.breach_report`, the register in
:mod:`storage.breach_register`; import both from here.
"""

from __future__ import annotations

from storage.breach_register import Breach, BreachRegister, BreachRow
from storage.breach_report import (
    REPORT_COLUMNS,
    BreachReport,
    BreachSummary,
    LogTampered,
    ReportRow,
    breach_report,
)
from storage.breach_report import UNKNOWN_SUBJECT as UNKNOWN_SUBJECT

__all__ = [
    "REPORT_COLUMNS",
    "LogTampered",
    "ReportRow",
    "BreachSummary",
    "BreachReport",
    "breach_report",
    "BreachRow",
    "Breach",
    "BreachRegister",
]
