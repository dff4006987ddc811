"""Fixtures of the events tests: a migrated catalog database, a movable clock, a receiver."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest

from tests.events.receiver import Receiver

SECRET = "s3cret-webhook-key-0123456789abcdef"


class Clock:
    """An injected clock that tests move by hand."""

    def __init__(self, start: datetime | None = None) -> None:
        self.now = start or datetime.now(UTC).replace(microsecond=0)

    def __call__(self) -> datetime:
        return self.now

    def advance(self, seconds: float) -> datetime:
        self.now += timedelta(seconds=seconds)
        return self.now


@pytest.fixture
def clock() -> Clock:
    return Clock()


@pytest.fixture
def events_engine(tmp_path):
    from storage.db import make_engine, migrate

    engine = make_engine(f"sqlite:///{tmp_path / 'catalog.sqlite'}")
    migrate(engine)
    yield engine
    engine.dispose()


@pytest.fixture
def receiver(clock):
    r = Receiver(SECRET.encode(), clock=clock)
    yield r
    r.stop()


def hooks_policy(url: str, **target):
    from policies.webhooks import WebhooksPolicy

    return WebhooksPolicy.model_validate(
        {
            "targets": {
                "crm": {
                    "url": url,
                    "secret_env": "T_WEBHOOK_SECRET",
                    "allow_http": True,
                    **target,
                }
            },
            "default": ["crm"],
        }
    )


@pytest.fixture
def dispatcher_for(events_engine, clock):
    from workers.webhooks import Dispatcher, WebhookSettings

    def make(url: str, **target):
        return Dispatcher(
            events_engine,
            hooks_policy(url, **target),
            WebhookSettings(backoff_base=10, backoff_max=60, public_url="https://redactor.test"),
            clock=clock,
            env={"T_WEBHOOK_SECRET": SECRET},
        )

    return make
