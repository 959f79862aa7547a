"""Recording and withdrawing a member's consent, from the household page."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404
from django.shortcuts import redirect
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mawa.core.roles import Capability
from mawa.registry import consent as consents
from mawa.registry.access import get_person_for_user, people_for_user
from mawa.registry.forms import ConsentForm
from mawa.registry.models import Consent


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
