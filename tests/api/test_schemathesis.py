"""Property-based fuzzing of every operation in the OpenAPI spec: no input makes a 5xx.

Runs in-process over ASGI, once with a principal holding every role (so requests reach the
handlers, not just the gate) and once without credentials.
"""

from __future__ import annotations

import pytest
import schemathesis
from hypothesis import HealthCheck, given, settings
from hypothesis.errors import Unsatisfiable

pytestmark = pytest.mark.integration

FUZZER = "fuzz-all-roles-7f3c9a1e2b"


@pytest.fixture(scope="module")
def fuzz_stack(tmp_path_factory, object_store, shared_audio):
    from tests.fixtures.api import build_stack

    stack = build_stack(tmp_path_factory.mktemp("fuzz"), object_store, shared_audio)
    users = stack.services.users
    users.create_user(
        FUZZER,
        "ingest,qa,compliance,admin",
        now=stack.clock(),
        campaigns=["A", "B"],
        kind="machine",
    )
    stack.tokens[FUZZER] = users.create_token(FUZZER, now=stack.clock())[1]
    yield stack
    stack.engine.dispose()


@pytest.fixture(scope="module")
def operations(fuzz_stack):
    schema = schemathesis.openapi.from_asgi("/openapi.json", fuzz_stack.app)
    return [r.ok() for r in schema.get_all_operations()]


def _fuzz(operation, headers, max_examples, extra_check=None):
    from schemathesis import GenerationMode

    failures = []
    for mode in (GenerationMode.POSITIVE, GenerationMode.NEGATIVE):

        @given(case=operation.as_strategy(generation_mode=mode))
        @settings(
            max_examples=max_examples,
            deadline=None,
            suppress_health_check=list(HealthCheck),
            database=None,
        )
        def run(case):
            response = case.call(headers=headers)
            if response.status_code >= 500:
                failures.append(
                    f"{case.method} {case.formatted_path} -> {response.status_code}: {response.text[:200]}"
                )
            elif extra_check:
                extra_check(case, response)

        try:
            run()
        except Unsatisfiable:  # nothing to make invalid (no parameters, no body)
            assert mode == GenerationMode.NEGATIVE
    return failures


def test_the_spec_lists_every_api_operation(operations):
    paths = {(op.method.upper(), op.path) for op in operations}
    assert ("GET", "/api/v1/recordings/{recording_id}/audio") in paths
    assert ("GET", "/api/v1/audit/export.csv") in paths
    assert len(paths) >= 20


def test_no_input_causes_a_server_error_with_every_role(operations, fuzz_stack):
    failures = []
    for op in operations:
        failures += _fuzz(op, fuzz_stack.headers(FUZZER), 20)
    assert not failures, "\n".join(failures[:20])


def test_no_input_causes_a_server_error_without_credentials(operations):
    def denied(case, response):
        if case.path.startswith("/api/"):
            assert response.status_code in (401, 404, 405, 413), (
                case.method,
                case.path,
                response.status_code,
            )

    failures = []
    for op in operations:
        failures += _fuzz(op, {}, 5, denied)
    assert not failures, "\n".join(failures[:20])
