"""Verifying the access log: walk the chain against the signed checkpoints, name the first bad
entry.

Why a module of its own: telling an altered, deleted, inserted or reordered entry, a cut tail
and a rewritten chain apart is the log's whole point and its most intricate logic. It is a
part of :class:`storage.audit.AccessLog` (mixed in), using its ``checkpoints`` and
``iter_entries``.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from storage.audit_format import GENESIS, entry_hash

__all__ = ["VerifyReport", "AccessLogVerifyMixin"]


@dataclass(frozen=True)
class VerifyReport:
    """The verdict. ``first_bad`` is the sequence number of the first bad entry, if any."""

    ok: bool
    entries: int
    checkpoints: int
    first_bad: int | None = None
    problem: str = ""
    checkpoint_problems: list[str] = field(default_factory=list)

    def summary(self) -> str:
        if self.ok:
            return (
                f"access log intact: {self.entries} entries, "
                f"{self.checkpoints} signed checkpoints verified"
            )
        if self.first_bad is not None:
            return f"first bad entry: {self.first_bad} ({self.problem})"
        return f"access log NOT verified: {self.problem}"


class AccessLogVerifyMixin:
    """The verification of :class:`storage.audit.AccessLog`."""

    def verify(self) -> VerifyReport:
        """Check the whole chain against the signed checkpoints; name the first bad entry."""
        cps: dict[int, str] = {}
        cp_problems: list[str] = []
        if self.checkpoints is not None:
            good, cp_problems = self.checkpoints.load_verified()
            cps = {cp.size: cp.head for cp in good}
        seen: dict[str, int] = {GENESIS: 0}
        expected, prev, last_good_cp = 1, GENESIS, 0

        def bad(n: int, why: str) -> VerifyReport:
            return VerifyReport(False, expected - 1, len(cps), n, why, cp_problems)

        for e in self.iter_entries():
            if e.seq != expected:
                what = (
                    f"entry {expected}"
                    if e.seq == expected + 1
                    else f"entries {expected}..{e.seq - 1}"
                )
                return bad(
                    expected, f"{what} deleted: the log jumps from {expected - 1} to {e.seq}"
                )
            if e.prev_hash != prev:
                j = seen.get(e.prev_hash)
                if j is not None and j < e.seq - 1:
                    n = j + 1
                    return bad(
                        n,
                        f"inserted: entry {e.seq} chains to entry {j}, so entries {n}..{e.seq - 1} were not in the original log",
                    )
                return bad(
                    e.seq,
                    f"does not chain to entry {e.seq - 1}: an entry was deleted here, or entries were reordered",
                )
            if entry_hash(e.seq, e.at, e, e.prev_hash) != e.hash:
                return bad(e.seq, "altered: its content does not match its hash")
            head = cps.get(e.seq)
            if head is not None:
                if head != e.hash:
                    first = last_good_cp + 1
                    return bad(
                        first,
                        f"entries {first}..{e.seq} do not match the signed checkpoint at {e.seq}: rewritten with recomputed hashes",
                    )
                last_good_cp = e.seq
            seen[e.hash] = e.seq
            prev = e.hash
            expected += 1
        size = expected - 1
        top = max(cps, default=0)
        if top > size:
            return VerifyReport(
                False,
                size,
                len(cps),
                size + 1,
                f"tail cut: the log ends at entry {size} but a signed checkpoint covers {top} entries",
                cp_problems,
            )
        if cp_problems:
            return VerifyReport(False, size, len(cps), None, "; ".join(cp_problems), cp_problems)
        if self.checkpoints is None:
            return VerifyReport(True, size, 0, None, "chain only: no checkpoint bucket configured")
        return VerifyReport(True, size, len(cps))
