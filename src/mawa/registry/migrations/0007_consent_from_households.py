"""Each household's consent at registration (date and purposes) becomes per-person consent
rows for its head: given by the head, on the consent date, recorded by whoever registered the
household, at the time it was registered. Sharing, agreed at registration for partners under a
data-sharing agreement, becomes sharing with partner "*" (any such partner). The household's
own fields stay as the record of what was agreed at registration."""

from django.db import migrations
from django.db.models import OuterRef, Subquery

PURPOSES = {"assistance", "contact", "tracing", "sharing"}


def heads_consent(apps, schema_editor):
    Person = apps.get_model("registry", "Person")
    Consent = apps.get_model("registry", "Consent")
    heads = (
        Person.objects.filter(relationship="head")
        .values_list(
            "pk",
            "household__consent_date",
            "household__consent_purposes",
            "household__registered_by_id",
        )
        .order_by("pk")
    )
    batch = []
    for pk, given_on, purposes, registered_by in heads.iterator(chunk_size=2000):
        for purpose in sorted(set(purposes or []) & PURPOSES):
            batch.append(
                Consent(
                    person_id=pk,
                    purpose=purpose,
                    partner="*" if purpose == "sharing" else "",
                    given_by="person",
                    given_on=given_on,
                    recorded_by_id=registered_by,
                )
            )
        if len(batch) >= 5000:
            Consent.objects.bulk_create(batch)
            batch = []
    Consent.objects.bulk_create(batch)
    registered = Person.objects.filter(pk=OuterRef("person_id")).values("household__created_at")
    Consent.objects.update(recorded_at=Subquery(registered[:1]))


class Migration(migrations.Migration):
    dependencies = [("registry", "0006_consent_per_person")]

    operations = [migrations.RunPython(heads_consent, migrations.RunPython.noop)]
