"""Shared test configuration.

Fixtures live in ``tests/fixtures/<area>.py``, one module per subsystem, and are loaded here
as plugins so every test folder sees them.
"""

from __future__ import annotations

import importlib.util
import os
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
SHARED_AUDIO = Path(os.environ.get("REDACTOR_SHARED_AUDIO", REPO.parent / "shared" / "audio"))

pytest_plugins = [
    name
    for name in (
        "tests.fixtures.audio",
        "tests.fixtures.s3",
        "tests.fixtures.db",
        "tests.fixtures.api",
        "tests.fixtures.workers",
    )
    if importlib.util.find_spec(name) is not None
]


@pytest.fixture(scope="session")
def shared_audio() -> Path:
    """``../shared/audio`` beside the checkout: real human digits (FSDD) and speech."""
    if not (SHARED_AUDIO / "fsdd").is_dir():
        pytest.fail(f"real test speech is missing at {SHARED_AUDIO}; see shared/audio/README.md")
    return SHARED_AUDIO


_TIER = {"integration": 1, "slow": 2, "browser": 3}


def pytest_collection_modifyitems(config, items):
    """Run unit tests first, then integration against real services, then end to end."""

    def tier(item) -> int:
        return max((_TIER[m.name] for m in item.iter_markers() if m.name in _TIER), default=0)

    items.sort(key=tier)  # stable: keeps file order within a tier


@pytest.fixture(autouse=True, scope="session")
def _crm_event_sink():
    """Wire the CRM outbox into storage as every real process does (``workers.bootstrap``,
    ``api.services.build_services``, the ``redactor`` command): tests build catalogs directly."""
    from storage import events_hook
    from workers.events import install_sink

    install_sink()
    yield
    events_hook.uninstall()
