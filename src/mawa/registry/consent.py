"""Consent per person and purpose: recording it, withdrawing it, and asking whether it holds.

Registration records the consent the household gave (its date and purposes) as the head's
(`consents_from_registration`); after that, each member's consent is recorded and withdrawn on
the household page. Work that needs a consent asks `consent_active` (one person) or
`households_consenting` (many households): SMS texts and phone numbers in a distribution plan
need contact consent, and family tracing will need tracing consent.

A partner of "*" is consent to share with any partner under a data-sharing agreement, as
registration asked it.
"""

import datetime as dt

from django.db import IntegrityError, transaction
from django.utils import timezone
from django.utils.translation import gettext as _

from mawa.core.audit import audit_record
from mawa.core.models import AuditEvent, User
from mawa.registry.models import Consent, ConsentPurpose, Household, Person

ANY_PARTNER = "*"


class ConsentError(Exception):
    """A consent that cannot be recorded or withdrawn; the message is for the user."""


@transaction.atomic
def consent_record(
    *,
    actor: User,
    person: Person,
    purpose: str,
    given_by: str = Consent.GivenBy.PERSON,
    given_on: dt.date | None = None,
    partner: str = "",
) -> Consent:
    partner = " ".join(partner.split())
    if purpose not in ConsentPurpose.values:
        raise ConsentError(_("Unknown purpose of consent."))
    if (purpose == ConsentPurpose.SHARING) != bool(partner):
        raise ConsentError(_("Consent to sharing names the partner; other consent does not."))
    given_on = given_on or timezone.localdate()
    if given_on > timezone.localdate():
        raise ConsentError(_("Consent cannot be given in the future."))
    if active_consents(person).filter(purpose=purpose, partner=partner).exists():
        raise ConsentError(_("This consent is already recorded."))
    consent = Consent(
        person=person,
        purpose=purpose,
        partner=partner,
        given_by=given_by,
        given_on=given_on,
        recorded_by=actor,
    )
    consent.full_clean(exclude=["person", "recorded_by", "withdrawn_by"])
    try:
        with transaction.atomic():
            consent.save()
    except IntegrityError as exc:  # recorded at the same moment by someone else
        raise ConsentError(_("This consent is already recorded.")) from exc
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CREATE,
        obj=consent,
        summary={"person": str(person.pk), "purpose": purpose, "given_by": given_by},
    )
    return consent


@transaction.atomic
def consent_withdraw(
    *, actor: User, consent: Consent, withdrawn_on: dt.date | None = None
) -> Consent:
    if consent.withdrawn_on is not None:
        raise ConsentError(_("This consent was already withdrawn."))
    withdrawn_on = withdrawn_on or timezone.localdate()
    if withdrawn_on < consent.given_on or withdrawn_on > timezone.localdate():
        raise ConsentError(_("A withdrawal is dated between the consent and today."))
    consent.withdrawn_on, consent.withdrawn_by = withdrawn_on, actor
    consent.save(update_fields=["withdrawn_on", "withdrawn_by"])
    audit_record(
        actor=actor,
        action=AuditEvent.Action.CHANGE,
        obj=consent,
        summary={"person": str(consent.person_id), "withdrawn_on": withdrawn_on.isoformat()},
    )
    return consent


def consents_from_registration(*, actor: User | None, household: Household, people) -> None:
    """The consent a household gave at registration, as its head's consent rows."""
    head = next((p for p in people if p.relationship == Person.HEAD), None)
    if head is None:
        return
    Consent.objects.bulk_create(
        Consent(
            person=head,
            purpose=purpose,
            partner=ANY_PARTNER if purpose == ConsentPurpose.SHARING else "",
            given_on=household.consent_date,
            recorded_by=actor if actor is not None and actor.pk else None,
        )
        for purpose in dict.fromkeys(household.consent_purposes)
        if purpose in ConsentPurpose.values
    )


def active_consents(person: Person):
    return Consent.objects.filter(person=person, withdrawn_on=None)


def consent_active(person: Person, purpose: str, partner: str = "") -> bool:
    """Whether `person` has consent in force for `purpose` (for sharing: with `partner`, or
    with any partner under a data-sharing agreement)."""
    consents = active_consents(person).filter(purpose=purpose)
    if purpose == ConsentPurpose.SHARING:
        consents = consents.filter(partner__in=[partner, ANY_PARTNER])
    return consents.exists()


def households_consenting(purpose: str, households=None) -> set:
    """Ids of the households (of `households`, a queryset or ids, when given) in which some
    member, not merged away, has consent in force for `purpose`: a household's phone is
    shared by its members, and one of them agreeing to be contacted on it is enough."""
    consents = Consent.objects.filter(purpose=purpose, withdrawn_on=None, person__merged_into=None)
    if households is not None:
        consents = consents.filter(person__household__in=households)
    return set(consents.values_list("person__household_id", flat=True).distinct())
