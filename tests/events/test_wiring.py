"""Storage emits CRM events through ``storage.events_hook``; workers wires the outbox in.

Why these tests: ``storage`` must not import ``workers``, and every process entry point must
install the outbox, or holds and erasures would silently stop reaching the CRM."""

from __future__ import annotations

import ast
import logging
from datetime import UTC, datetime
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
NOW = datetime(2026, 11, 28, 12, 0, tzinfo=UTC)


@pytest.fixture
def unwired():
    from storage import events_hook

    previous = events_hook.install(events_hook._UNWIRED)
    yield events_hook
    events_hook.install(previous)


def test_no_storage_module_imports_workers():
    offenders = []
    for path in sorted((REPO / "storage").rglob("*.py")):
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
            names = []
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.module:
                names = [node.module]
            offenders += [f"{path.name}: {n}" for n in names if n.split(".")[0] == "workers"]
    assert offenders == []


def test_install_sink_makes_the_outbox_the_sink(unwired):
    import workers.events

    assert not unwired.installed()
    workers.events.install_sink()
    assert unwired.sink() is workers.events


def test_the_redactor_command_wires_the_outbox(unwired, events_engine):
    from redactor.cli import build_parser
    from storage.catalog_repo import Catalog
    from workers.events import list_events

    build_parser()
    assert unwired.installed()
    cat = Catalog(events_engine)
    hold = cat.set_hold(now=NOW, reference="case-1", reason="court", set_by="t", campaign="A")
    [ev] = list_events(events_engine, event_type="legal_hold.set")
    assert ev.data["hold_id"] == hold.id


def test_without_a_sink_the_hold_is_still_set_and_the_event_dropped_with_a_warning(
    unwired, events_engine, caplog
):
    from storage.catalog_repo import Catalog
    from workers.events import list_events

    cat = Catalog(events_engine)
    with caplog.at_level(logging.WARNING, logger="redactor.storage.events"):
        hold = cat.set_hold(now=NOW, reference="c", reason="r", set_by="t", campaign="A")
    assert cat.get_hold(hold.id).reference == "c"
    assert list_events(events_engine) == []
    assert "no CRM event sink" in caplog.text
