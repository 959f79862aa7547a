"""The development secret key is refused by the servers when debug is off; production's
default hosts do not include Django's `testserver`."""

import io
import json
import os
import subprocess
import sys

import pytest
from django.core.exceptions import ImproperlyConfigured
from django.core.management import CommandError, call_command
from django.core.management.base import SystemCheckError

from mawa.core.checks import check_secret_key, refuse_development_key

DEVELOPMENT_KEY = "insecure-development-key-" + "change-me" * 3


def test_the_servers_refuse_the_development_key_when_debug_is_off(settings):
    settings.SECRET_KEY, settings.DEBUG = DEVELOPMENT_KEY, False
    with pytest.raises(ImproperlyConfigured, match="MAWA_SECRET_KEY"):
        refuse_development_key()
    with pytest.raises(CommandError, match="MAWA_SECRET_KEY"):
        call_command("serve", "127.0.0.1:1", "--no-collectstatic")
    assert [e.id for e in check_secret_key()] == ["mawa.E001"]
    with pytest.raises(SystemCheckError, match="MAWA_SECRET_KEY"):
        call_command("check", deploy=True, stdout=io.StringIO(), stderr=io.StringIO())
    settings.DEBUG = True  # `make run`
    refuse_development_key()
    assert check_secret_key() == []
    settings.DEBUG, settings.SECRET_KEY = False, "x" * 50  # production, with its own key
    refuse_development_key()
    assert check_secret_key() == []


def _settings_in_a_fresh_process(**env) -> dict:
    environment = {k: v for k, v in os.environ.items() if not k.startswith("MAWA_")}
    code = (
        "import django, json; django.setup(); from django.conf import settings;"
        " import mawa.wsgi;"
        " print(json.dumps({'hosts': settings.ALLOWED_HOSTS}))"
    )
    done = subprocess.run(
        [sys.executable, "-c", code],
        env={**environment, "DJANGO_SETTINGS_MODULE": "mawa.settings", **env},
        capture_output=True,
        text=True,
        timeout=60,
    )
    return {"code": done.returncode, "out": done.stdout, "err": done.stderr}


def test_the_wsgi_application_will_not_load_with_the_development_key(tmp_path):
    refused = _settings_in_a_fresh_process(MAWA_DATA_DIR=str(tmp_path))
    assert refused["code"] != 0 and "MAWA_SECRET_KEY" in refused["err"]
    served = _settings_in_a_fresh_process(MAWA_DATA_DIR=str(tmp_path), MAWA_SECRET_KEY="k" * 50)
    assert served["code"] == 0, served["err"]
    assert json.loads(served["out"])["hosts"] == ["127.0.0.1", "localhost"]
