"""Property-based requests from the served OpenAPI description (schemathesis): for generated
parameters, valid and invalid, the API never answers 5xx, and every answer has a described
status and content type and a body that matches its schema. Kept brief (a few examples per
operation); the thorough checks are the other api tests."""

import pytest
import schemathesis
from django.core.signals import request_finished, request_started
from django.db import close_old_connections
from hypothesis import HealthCheck, settings
from schemathesis.checks import (
    content_type_conformance,
    not_a_server_error,
    response_schema_conformance,
    status_code_conformance,
)

from config.wsgi import application
from webinars.tests.factories import SessionFactory, course_with_sessions

schema = schemathesis.openapi.from_wsgi("/api/v1/openapi.json", application)

CHECKS = [not_a_server_error, status_code_conformance, content_type_conformance, response_schema_conformance]


@pytest.fixture
def catalogue(db, office_a):
    SessionFactory(organisation=office_a)
    course_with_sessions(2, organisation=office_a)
    # The WSGI handler closes the connection at each request's start and end; the test's
    # transaction lives on it (Django's test client disconnects these receivers the same way).
    for signal in (request_started, request_finished):
        signal.disconnect(close_old_connections)
    yield
    for signal in (request_started, request_finished):
        signal.connect(close_old_connections)


@pytest.mark.django_db
@schema.parametrize()
@settings(max_examples=15, deadline=None, suppress_health_check=list(HealthCheck), derandomize=True)
def test_generated_requests_get_described_answers(case, catalogue):
    case.call_and_validate(checks=CHECKS)
