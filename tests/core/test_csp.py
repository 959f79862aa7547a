"""A Content-Security-Policy on every page, pages whose scripts still run under it, and no
NUL reaching a view."""

import re
from pathlib import Path

import pytest
from django.urls import reverse

from tests.conftest import login

SRC = Path(__file__).resolve().parents[2] / "src" / "mawa"
HANDLER = re.compile(r"<[^>]*\son[a-z]+\s*=", re.IGNORECASE)
INLINE_SCRIPT = re.compile(r"<script(?![^>]*\bsrc=)([^>]*)>", re.IGNORECASE)


@pytest.mark.django_db
def test_every_page_has_a_policy_whose_nonce_the_inline_scripts_carry(users, camp_a):
    client = login(users["alice"])
    response = client.get(reverse("registry:household_register"))
    policy = response["Content-Security-Policy"]
    nonce = re.search(r"'nonce-([^']+)'", policy)[1]
    assert "default-src 'self'" in policy and "frame-ancestors 'none'" in policy
    assert "object-src 'none'" in policy and "'unsafe-inline'" not in policy.split(";")[1]
    scripts = INLINE_SCRIPT.findall(response.content.decode())
    assert scripts and all(f'nonce="{nonce}"' in attributes for attributes in scripts)
    again = client.get(reverse("registry:household_register"))["Content-Security-Policy"]
    assert again != policy  # a new nonce for every response
    assert "Content-Security-Policy" in client.get("/api/v1/sites").headers


def test_no_template_relies_on_inline_event_handlers_or_unnonced_scripts():
    offenders = []
    for template in SRC.rglob("templates/**/*.html"):
        text = template.read_text(encoding="utf-8")
        if HANDLER.search(text):
            offenders.append(f"{template}: inline event handler")
        for attributes in INLINE_SCRIPT.findall(text):
            if "nonce=" not in attributes:
                offenders.append(f"{template}: inline <script> without the nonce")
    assert offenders == []


@pytest.mark.django_db
def test_a_nul_in_the_address_is_a_400_not_a_database_error(users):
    client = login(users["ada"])
    response = client.get(reverse("core:audit_list") + "?object=a%00b")
    assert response.status_code == 400
    api = client.get("/api/v1/people?q=a%00b")
    assert api.status_code == 400 and isinstance(api.json()["detail"], str)
