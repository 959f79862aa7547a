"""Behind a reverse proxy (MAWA_BEHIND_PROXY) the client's address is the one the proxy
appended to X-Forwarded-For, for the audit log and login lock-outs alike; without one, the
header is the client's own word and is ignored."""

import pytest
from axes.helpers import get_client_ip_address
from django.test import RequestFactory

from mawa.core.middleware import request_address
from mawa.core.models import AuditEvent
from tests.conftest import login


def _request(forwarded: str):
    return RequestFactory().get("/", REMOTE_ADDR="10.0.0.2", HTTP_X_FORWARDED_FOR=forwarded)


@pytest.mark.parametrize("behind_proxy", [False, True])
def test_the_address_is_the_connection_or_what_the_proxy_appended(settings, behind_proxy):
    settings.MAWA_BEHIND_PROXY = behind_proxy
    request = _request("6.6.6.6, 203.0.113.7")  # a forged first entry, then the proxy's
    expected = "203.0.113.7" if behind_proxy else "10.0.0.2"
    assert request_address(request) == expected
    assert get_client_ip_address(request) == expected  # django-axes asks the same function
    assert request_address(_request("")) == "10.0.0.2"
    assert request_address(_request("203.0.113.7, not-an-address")) == "10.0.0.2"


@pytest.mark.django_db
def test_a_view_of_a_household_is_audited_with_the_address_behind_the_proxy(
    settings, users, family_a
):
    settings.MAWA_BEHIND_PROXY = True
    client = login(users["alice"])
    response = client.get(
        f"/households/{family_a.pk}/", HTTP_X_FORWARDED_FOR="6.6.6.6, 198.51.100.4"
    )
    assert response.status_code == 200
    event = AuditEvent.objects.filter(action=AuditEvent.Action.VIEW).latest("at")
    assert event.address == "198.51.100.4"
