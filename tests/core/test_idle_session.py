"""Sessions end after the idle timeout, renewed by use, but are written at most every 5 minutes."""

import time

from django.contrib.sessions.models import Session

from mawa.core import middleware
from tests.conftest import login


def _expiry(client):
    return Session.objects.get(session_key=client.session.session_key).expire_date


def test_use_renews_the_session_but_not_on_every_request(users, monkeypatch):
    now = [time.time()]
    monkeypatch.setattr(middleware.time, "time", lambda: now[0])
    client = login(users["alice"])
    client.get("/")
    first = _expiry(client)
    now[0] += 60
    client.get("/")
    assert _expiry(client) == first  # a minute later: not written again
    now[0] += middleware.IdleSessionMiddleware.REFRESH
    time.sleep(0.01)
    client.get("/")
    assert _expiry(client) > first  # after the refresh interval: renewed
