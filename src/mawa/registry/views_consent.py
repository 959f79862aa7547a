"""From the household page: recording and withdrawing a member's consent, and a protection
officer's change of a member's specific needs."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mawa.core.roles import Capability
from mawa.registry import consent as consents
from mawa.registry import services
from mawa.registry.access import get_person_for_user, people_for_user
from mawa.registry.forms import ConsentForm, NeedsForm
from mawa.registry.models import Consent
from mawa.registry.needs import visible_needs


@login_required
@require_POST
def consent_record(request, pk):
    person = get_person_for_user(request.user, pk, Capability.RECORD_CONSENT)
    form = ConsentForm(request.POST)
    if form.is_valid():
        try:
            consents.consent_record(actor=request.user, person=person, **form.cleaned_data)
        except consents.ConsentError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Consent recorded."))
    else:
        for name, errors in form.errors.items():
            messages.error(request, f"{form.fields[name].label}: {' '.join(errors)}")
    return redirect("registry:household_detail", person.household_id)


@login_required
@require_POST
def consent_withdraw(request, pk):
    people = people_for_user(request.user, Capability.RECORD_CONSENT)
    consent = Consent.objects.filter(pk=pk, person__in=people).select_related("person").first()
    if consent is None:
        raise Http404
    try:
        consents.consent_withdraw(actor=request.user, consent=consent)
    except consents.ConsentError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Consent withdrawn."))
    return redirect("registry:household_detail", consent.person.household_id)


@login_required
@require_POST
def person_needs(request, pk):
    """A member's specific needs, among those the user sees: for protection officers, who
    record protection codes but do not edit households."""
    person = get_person_for_user(request.user, pk, Capability.VIEW_PROTECTION)
    shown = visible_needs(request.user)
    form = NeedsForm(request.POST, codes=shown)
    if form.is_valid():
        services.person_needs_update(
            actor=request.user, person=person, needs=form.cleaned_data["needs"], needs_in_view=shown
        )
        messages.success(request, _("Saved."))
    else:
        messages.error(request, " ".join(e for errors in form.errors.values() for e in errors))
    return redirect("registry:household_detail", person.household_id)
