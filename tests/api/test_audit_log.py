"""The access log: chaining, checkpoints in a locked bucket, and the verifier naming the
first bad entry for every kind of tampering."""

from __future__ import annotations

import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import text

from storage.audit import AccessEntry, AccessLog, AccessQuery, AuditSettings, entry_hash

T = datetime.now(UTC).replace(microsecond=0)


def _entries(log, n, start=T):
    for i in range(n):
        log.append(
            AccessEntry(
                actor=f"user{i % 3}",
                role="qa",
                action="audio.play" if i % 2 else "recording.view",
                outcome="allowed",
                target=f"recording:r{i}",
                recording_id=f"r{i % 4}",
                campaign="A",
                source="127.0.0.1",
            ),
            now=start + timedelta(seconds=i),
        )


@pytest.fixture
def chain_log(db_engine):
    from storage.db import session_factory

    return AccessLog(session_factory(db_engine))


@pytest.fixture
def locked_log(tmp_path, object_store):
    """A log on SQLite whose checkpoints go to a fresh locked bucket every 5 entries."""
    import uuid

    from storage.audit_checkpoints import AuditSigner, CheckpointStore
    from storage.db import make_engine, migrate, session_factory

    engine = make_engine(f"sqlite:///{tmp_path / 'log.sqlite'}")
    migrate(engine)
    cps = CheckpointStore(
        object_store,
        f"audit-{uuid.uuid4().hex[:10]}",
        AuditSigner.load(tmp_path / "audit.key", create=True),
        retention=timedelta(days=1),
    )
    log = AccessLog(
        session_factory(engine),
        cps,
        AuditSettings(checkpoint_every=5, checkpoint_interval=timedelta(hours=1)),
    )
    yield log, engine
    engine.dispose()


def sql(engine, statement, **params):
    with engine.begin() as conn:
        conn.execute(text(statement), params)


def test_entries_chain_from_the_genesis_hash_and_verify(chain_log):
    _entries(chain_log, 12)
    first, *_ = chain_log.iter_entries()
    assert first.seq == 1 and first.prev_hash == "0" * 64
    rep = chain_log.verify()
    assert rep.ok and rep.entries == 12


def test_every_field_is_covered_by_the_hash(chain_log):
    _entries(chain_log, 1)
    e = next(chain_log.iter_entries())
    for field in (
        "actor",
        "role",
        "action",
        "target",
        "recording_id",
        "campaign",
        "source",
        "outcome",
        "detail",
    ):
        changed = type(e)(**{**e.as_dict(), field: "x"})
        assert entry_hash(e.seq, e.at, changed, e.prev_hash) != e.hash, field


@pytest.mark.parametrize("column", ["actor", "outcome", "detail", "at"])
def test_an_altered_entry_is_named(chain_log, db_engine, column):
    _entries(chain_log, 10)
    value = "2000-01-01T00:00:00.000000Z" if column == "at" else "denied"
    sql(db_engine, f"UPDATE access_log SET {column} = :v WHERE seq = 6", v=value)
    rep = chain_log.verify()
    assert not rep.ok and rep.first_bad == 6 and "altered" in rep.problem


def test_a_deleted_entry_is_named(chain_log, db_engine):
    _entries(chain_log, 10)
    sql(db_engine, "DELETE FROM access_log WHERE seq = 4")
    rep = chain_log.verify()
    assert rep.first_bad == 4 and "deleted" in rep.problem


def test_a_deleted_and_renumbered_entry_is_named(chain_log, db_engine):
    _entries(chain_log, 10)
    sql(db_engine, "DELETE FROM access_log WHERE seq = 4")
    for seq in range(5, 11):
        sql(db_engine, "UPDATE access_log SET seq = :n WHERE seq = :o", n=seq - 1, o=seq)
    rep = chain_log.verify()
    assert rep.first_bad == 4 and "does not chain" in rep.problem


def test_reordered_entries_are_named(chain_log, db_engine):
    _entries(chain_log, 10)
    sql(db_engine, "UPDATE access_log SET seq = 1000 WHERE seq = 7")
    sql(db_engine, "UPDATE access_log SET seq = 7 WHERE seq = 8")
    sql(db_engine, "UPDATE access_log SET seq = 8 WHERE seq = 1000")
    rep = chain_log.verify()
    assert not rep.ok and rep.first_bad == 7


def test_an_inserted_entry_with_a_valid_hash_is_named(chain_log, db_engine):
    """The forger recomputes the inserted entry's hash and renumbers the rest: the entry
    after it still points at the entry before it, which names the insertion."""
    _entries(chain_log, 10)
    prev = next(e for e in chain_log.iter_entries() if e.seq == 5)
    forged = AccessEntry("mallory", "qa", "audio.play", "allowed", target="recording:x")
    at = prev.at
    for seq in range(10, 5, -1):
        sql(db_engine, "UPDATE access_log SET seq = :n WHERE seq = :o", n=seq + 1, o=seq)
    h = entry_hash(6, at, forged, prev.hash)
    sql(
        db_engine,
        "INSERT INTO access_log (seq, at, actor, role, action, target, recording_id, campaign, source, outcome, detail, prev_hash, hash)"
        " VALUES (6, :at, 'mallory', 'qa', 'audio.play', 'recording:x', NULL, NULL, '', 'allowed', '', :p, :h)",
        at=at,
        p=prev.hash,
        h=h,
    )
    rep = chain_log.verify()
    assert rep.first_bad == 6 and "inserted" in rep.problem


@pytest.mark.integration
def test_checkpoints_are_signed_and_locked_every_n_entries(locked_log, object_store):
    from redactor.errors import PermissionDenied

    log, _ = locked_log
    _entries(log, 12)
    cps, problems = log.checkpoints.load_verified()
    assert not problems
    assert [c.size for c in cps] == [1, 6, 11]  # the first entry, then every 5
    info = object_store.head(log.checkpoints.bucket, cps[0].object_key)
    assert info.lock_mode == "COMPLIANCE" and info.retain_until > T
    with pytest.raises(PermissionDenied):
        object_store.delete(log.checkpoints.bucket, cps[0].object_key, version_id=cps[0].version_id)


@pytest.mark.integration
def test_a_quiet_log_is_checkpointed_after_t_minutes(locked_log):
    log, _ = locked_log
    _entries(log, 3)  # checkpoint at 1; entries 2 and 3 not yet covered
    assert log.maybe_checkpoint(now=T + timedelta(minutes=5)) is None
    cp = log.maybe_checkpoint(now=T + timedelta(minutes=61))
    assert cp is not None and cp.size == 3


@pytest.mark.integration
def test_a_cut_tail_is_caught_by_the_locked_checkpoint(locked_log):
    log, engine = locked_log
    _entries(log, 12)
    sql(engine, "DELETE FROM access_log WHERE seq >= 9")
    rep = log.verify()
    assert rep.first_bad == 9 and "tail cut" in rep.problem


@pytest.mark.integration
def test_a_chain_rewritten_with_fresh_hashes_is_caught_by_the_checkpoint(locked_log):
    log, engine = locked_log
    _entries(log, 12)
    rows = list(log.iter_entries())
    prev = rows[6].prev_hash  # rewrite from entry 7 on, recomputing every hash
    for e in rows[6:]:
        changed = type(e)(**{**e.as_dict(), "actor": "someone-else", "prev_hash": prev})
        h = entry_hash(e.seq, e.at, changed, prev)
        sql(
            engine,
            "UPDATE access_log SET actor = 'someone-else', prev_hash = :p, hash = :h WHERE seq = :s",
            p=prev,
            h=h,
            s=e.seq,
        )
        prev = h
    rep = log.verify()
    assert not rep.ok and rep.first_bad == 7 and "checkpoint" in rep.problem


@pytest.mark.integration
def test_a_forged_checkpoint_is_reported(locked_log, tmp_path):
    from storage.audit_checkpoints import AuditSigner, CheckpointStore

    log, _ = locked_log
    _entries(log, 6)
    rogue = CheckpointStore(
        log.checkpoints.store,
        log.checkpoints.bucket,
        AuditSigner.load(tmp_path / "rogue.key", create=True),
        retention=timedelta(days=1),
    )
    rogue.write(20, "f" * 64, now=T)
    rep = log.verify()
    assert not rep.ok and "no valid signature" in rep.problem


def test_queries_filter_by_person_recording_action_and_time(chain_log):
    _entries(chain_log, 12)
    assert {e.actor for e in chain_log.query(AccessQuery(actor="user1"))} == {"user1"}
    assert {e.recording_id for e in chain_log.query(AccessQuery(recording_id="r2"))} == {"r2"}
    assert {e.action for e in chain_log.query(AccessQuery(action="audio."))} == {"audio.play"}
    window = chain_log.query(
        AccessQuery(since=T + timedelta(seconds=3), until=T + timedelta(seconds=6))
    )
    assert sorted(e.seq for e in window) == [4, 5, 6]


def test_csv_export_has_a_header_and_defuses_formulas(chain_log):
    chain_log.append(AccessEntry("=cmd|' /C calc'!A0", "qa", "recording.view", "denied"), now=T)
    buf = io.StringIO()
    assert chain_log.export_csv(buf) == 1
    lines = buf.getvalue().splitlines()
    assert lines[0].startswith("seq,at,actor,role,action")
    assert "'=cmd" in lines[1]
