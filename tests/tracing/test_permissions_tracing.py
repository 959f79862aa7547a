"""Every tracing page for the people who must not see it: anonymous, another role, a
protection officer of another site, and a case that is not theirs; and for those who may."""

import pytest
from django.urls import reverse

from mawa.tracing.models import Case
from tests.conftest import login
from tests.test_permissions import ROUTES
from tests.tracing.tracing_targets import tracing_targets

TRACING = sorted(name for name in ROUTES if name.startswith("tracing:"))
pytestmark = pytest.mark.django_db


@pytest.fixture
def targets(users, officers, camp_a):
    return {None: {}, **tracing_targets(officers["pia"], camp_a)}


def call(client, name, kwargs, method="get"):
    url = reverse(name, kwargs=kwargs)
    return client.post(url) if method == "post" else client.get(url)


@pytest.mark.parametrize("name", TRACING)
def test_anonymous_and_other_roles_get_nothing(client, users, targets, name):
    _cap, target, method = ROUTES[name]
    response = call(client, name, targets[target], method)
    assert response.status_code == 302 and "login" in response["Location"]
    for other in ("alice", "mona", "dina", "victor"):  # no role but protection traces
        assert call(login(users[other]), name, targets[target], method).status_code == 403


@pytest.mark.parametrize("name", TRACING)
def test_an_officer_of_another_site_cannot_see_the_case(officers, targets, name):
    _cap, target, method = ROUTES[name]
    response = call(login(officers["paul"]), name, targets[target], method)
    if target is None:
        if name == "tracing:export":
            assert response.status_code == 403  # administrators only
            return
        assert response.status_code == 200
        assert Case.objects.get().reference not in response.content.decode()
    else:
        assert response.status_code == 404


@pytest.mark.parametrize("name", [n for n in TRACING if ROUTES[n][1] is not None])
def test_the_officers_of_the_site_see_it_and_another_case_stays_hidden(
    officers, targets, camp_b, name
):
    _cap, target, method = ROUTES[name]
    assert call(login(officers["olga"]), name, targets[target], method).status_code in (200, 302)
    # Paul's own case at Camp B is another case for Olga: 404 on every one of its pages.
    theirs = tracing_targets(officers["paul"], camp_b)
    assert call(login(officers["olga"]), name, theirs[target], method).status_code == 404
    assert call(login(officers["paul"]), name, theirs[target], method).status_code in (200, 302)
