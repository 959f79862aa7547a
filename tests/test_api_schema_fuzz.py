"""Schemathesis against /api/v1/openapi.json: for every operation, generated requests (valid
and invalid) get no 500, and every answer's status, content type and body match the schema.
Bounded: a fixed number of derandomised examples per operation.

One check is left out: `positive_data_acceptance` (data the schema allows must get a 2xx). The
schema states types, not every rule (a date not in the future, a known P-code, a relationship
from the list, text without NUL): such requests get a documented 422 or 400, as they should."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.core.wsgi import get_wsgi_application
from django.db import close_old_connections
from hypothesis import HealthCheck, Phase, given, settings
from schemathesis.specs.openapi.checks import positive_data_acceptance

from mawa.api import api
from tests.test_api import token_for

EXAMPLES = 25
OPERATIONS = [
    (path, method)
    for path, methods in api.get_openapi_schema()["paths"].items()
    for method in methods
    if method in {"get", "post", "put", "patch", "delete"}
]


@pytest.fixture
def api_schema(db):
    # As Django's test client does: the test's one connection stays open between requests.
    request_started.disconnect(close_old_connections)
    request_finished.disconnect(close_old_connections)
    try:
        yield schemathesis.openapi.from_wsgi("/api/v1/openapi.json", get_wsgi_application())
    finally:
        request_started.connect(close_old_connections)
        request_finished.connect(close_old_connections)


@pytest.mark.django_db
@pytest.mark.parametrize("path,method", OPERATIONS, ids=[f"{m.upper()} {p}" for p, m in OPERATIONS])
def test_api_operation_conforms_to_its_schema(api_schema, users, family_a, path, method):
    operation = api_schema[path][method.upper()]
    headers = {"Authorization": token_for(users["ada"])["HTTP_AUTHORIZATION"]}

    @given(case=operation.as_strategy())
    @settings(
        max_examples=EXAMPLES,
        deadline=None,
        derandomize=True,
        database=None,
        phases=[Phase.explicit, Phase.generate],
        suppress_health_check=list(HealthCheck),
    )
    def conforms(case):
        case.call_and_validate(headers=headers, excluded_checks=[positive_data_acceptance])

    conforms()
