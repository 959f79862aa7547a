"""`mawa serve`: the production server answers pages, static files (and nothing beside them)
and the API, keeps a scanner's connection open between requests, and refuses a bad address
before starting."""

import http.client
import json
import os
import signal
import socket
import subprocess
import sys
import time
from contextlib import suppress
from urllib.parse import quote, urlsplit, urlunsplit

import pytest
from django.core.management import call_command
from django.core.management.base import CommandError
from django.db import connection

from mawa.assistance import services
from tests.test_api import token_for


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _database_url() -> str:
    """The test database, for another process: this run's DATABASE_URL (user, password,
    options and all) with the test database's name."""
    db = connection.settings_dict
    if connection.vendor == "sqlite":
        return f"sqlite:///{db['NAME']}"
    parts = urlsplit(os.environ["DATABASE_URL"])
    return urlunsplit(parts._replace(path="/" + quote(db["NAME"])))


@pytest.fixture
def served(tmp_path):
    port = _free_port()
    env = {
        **os.environ,
        "DATABASE_URL": _database_url(),
        "MAWA_DATA_DIR": str(tmp_path),
        "MAWA_DEBUG": "0",
        "MAWA_SECRET_KEY": "a-test-key-that-is-not-the-development-one",
        "MAWA_HTTPS": "0",
        "MAWA_ALLOWED_HOSTS": "127.0.0.1",
    }
    process = subprocess.Popen(
        [sys.executable, "-m", "mawa", "serve", f"127.0.0.1:{port}", "--workers", "1"],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.STDOUT,
        start_new_session=True,
    )
    deadline = time.monotonic() + 60
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if process.poll() is not None or time.monotonic() > deadline:
                with suppress(ProcessLookupError):
                    os.killpg(process.pid, signal.SIGKILL)  # granian's workers too
                output, _ = process.communicate(timeout=20)
                pytest.fail(f"mawa serve did not start: {output.decode(errors='replace')}")
            time.sleep(0.2)
    try:
        yield port, tmp_path
    finally:
        os.killpg(process.pid, signal.SIGTERM)
        try:
            process.wait(timeout=20)
        except subprocess.TimeoutExpired:
            os.killpg(process.pid, signal.SIGKILL)
            process.wait()


@pytest.mark.django_db(transaction=True)
def test_serve_answers_pages_static_files_and_the_api_on_one_kept_connection(
    served, users, family_a, cycle, point
):
    port, data_dir = served
    card = services.card_issue(actor=users["ada"], household=family_a, programme=cycle.programme)
    headers = {"Content-Type": "application/json", **_bearer(users["dina"])}
    body = json.dumps({"cycle": str(cycle.pk), "card": card.code, "point": str(point.pk)})
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)

    conn.request("GET", "/accounts/login/")
    page = conn.getresponse()
    assert page.status == 200 and b"csrfmiddlewaretoken" in page.read()
    [css] = list((data_dir / "static" / "mawa").rglob("*.css"))[:1]
    conn.request("GET", "/static/" + css.relative_to(data_dir / "static").as_posix())
    static = conn.getresponse()
    assert static.status == 200 and static.read() == css.read_bytes()
    (data_dir / "beside-static.txt").write_text("not to be served")
    for path in ("/static/../beside-static.txt", "/static/%2e%2e/beside-static.txt"):
        conn.request("GET", path)
        outside = conn.getresponse()
        assert outside.status in (400, 404) and b"not to be served" not in outside.read()

    conn.request("POST", "/api/v1/redemptions", body=body, headers=headers)
    given = conn.getresponse()
    socket_after_first = conn.sock
    assert given.status == 201, given.read()
    assert json.loads(given.read())["outcome"] == "given"
    conn.request("POST", "/api/v1/redemptions", body=body, headers=headers)
    again = conn.getresponse()
    assert again.status == 409 and json.loads(again.read())["outcome"] == "already"
    # The scanner's connection stayed open: both answers came on the same socket.
    assert conn.sock is socket_after_first and socket_after_first is not None
    conn.request("POST", "/api/v1/redemptions", body=body, headers={"Content-Type": "x"})
    assert conn.getresponse().status in (401, 403)  # no token: nothing given, nothing shown
    conn.close()


def _bearer(user) -> dict:
    return {"Authorization": token_for(user)["HTTP_AUTHORIZATION"]}


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (["localhost:99999"], r"not \[HOST:\]PORT"),
        (["here"], r"not \[HOST:\]PORT"),
        (["localhost:8000"], "not an IP address"),
        (["8000", "--workers", "0"], "at least 1"),
        (["8000", "--ssl-cert", "cert.pem"], "go together"),
    ],
)
def test_serve_refuses_a_bad_address_or_option_before_starting(argv, message):
    with pytest.raises(CommandError, match=message):
        call_command("serve", *argv)
