"""A Camp A case with a match, a verification question and a consent, for the URL tables of
tests/test_permissions.py and tests/tracing/test_permissions_tracing.py."""

from mawa.core import vault
from mawa.tracing import services
from mawa.tracing.models import BatchList, Match


def tracing_targets(actor, site) -> dict:
    case = services.case_open(
        actor=actor,
        site=site,
        seeker=services.SeekerInput(
            given_name="حسين", father_name="علي", family_name="الجبوري", sex="M"
        ),  # fmt: skip
        sought=[services.SoughtInput(relation="son", given_name="يوسف", birth_year="2012")],
    )
    match = Match.objects.filter(sought__case=case).first()
    if match is None:  # no registered son in this registry: a proposal made by hand
        match = Match.objects.create(sought=case.sought.get(), other_case=case, score=0.5)
    question = services.verification_ask(actor=actor, match=match, question="?")
    services.match_decide(actor=actor, match=match, decision="confirm")
    consent = services.consent_record(actor=actor, match=match, given_by="him",
                                      scopes=["existence"])  # fmt: skip
    listed = BatchList.objects.create(site=site, uploaded_by=actor, filename="list.csv",
                                      key_id=vault.key_new(), state="done")  # fmt: skip
    return {
        "tbatch": {"pk": listed.pk},
        "tcase": {"pk": case.pk},
        "tmatch": {"pk": match.pk},
        "tverification": {"pk": question.pk},
        "tconsent": {"pk": consent.pk},
    }
