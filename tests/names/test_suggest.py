"""`mawa names suggest`: unlisted spellings in the registry, with their closest listed names."""

import datetime as dt
import io

import pytest
from django.core.management import call_command

from mawa.namekeys.suggest import closest, proposal, unlisted
from mawa.registry.services import household_register
from tests.conftest import member


def test_unlisted_counts_only_spellings_the_table_lacks():
    counts = unlisted(["Saed Jabbar", "Saed", "محمد", "Mohammed", "", "Ayesa"])
    assert counts == {"saed": 2, "ayesa": 1}


def test_closest_listed_names_and_the_proposed_row():
    near = closest("Youkhanna")
    assert near[0].row.latin[0] == "youkhana"
    assert proposal("Youkhanna", near[0]) == "يوخنا,Youkhanna,m"
    assert closest("") == [] and closest("123") == []


@pytest.mark.django_db
def test_command_lists_frequent_unlisted_spellings(users, camp_a):
    for given in ("Saed", "Saed", "Ayesa"):
        household_register(
            actor=users["alice"],
            site=camp_a,
            members=[member(given_name_ar="", given_name_lat=given)],
            phone="",
            arrival_date=dt.date(2016, 10, 20),
            consent_date=dt.date(2016, 10, 20),
            consent_purposes=["assistance"],
        )
    out = io.StringIO()
    call_command("names", "suggest", "--min-count", "2", stdout=out)
    text = out.getvalue()
    assert "saed" in text and "proposed row:" in text
    assert "ayesa" not in text  # seen once
    out = io.StringIO()
    call_command("names", "suggest", "--min-count", "1", "--csv", stdout=out)
    assert "ayesa" in out.getvalue()
