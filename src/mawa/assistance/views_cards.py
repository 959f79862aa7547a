"""A household's ration cards: entitlement explained, lost-card replacement, alternates."""

from django import forms
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils.translation import get_language, gettext_lazy
from django.utils.translation import gettext as _
from django.views.decorators.http import require_POST

from mawa.assistance import services
from mawa.assistance.access import cards_for_user
from mawa.assistance.entitlements import entitlement_for
from mawa.assistance.models import Cycle, Programme, RationCard
from mawa.assistance.printing import card_data
from mawa.cards import labels_for, render_cards
from mawa.core.audit import audit_record
from mawa.core.models import AuditEvent
from mawa.core.roles import Capability
from mawa.registry.access import get_household_for_user


class AlternatesForm(forms.Form):
    name_1 = forms.CharField(
        label=gettext_lazy("Alternate collector 1"), max_length=150, required=False
    )
    relation_1 = forms.CharField(label=gettext_lazy("Relation"), max_length=60, required=False)
    name_2 = forms.CharField(
        label=gettext_lazy("Alternate collector 2"), max_length=150, required=False
    )
    relation_2 = forms.CharField(label=gettext_lazy("Relation"), max_length=60, required=False)

    def pairs(self) -> list[tuple[str, str]]:
        data = self.cleaned_data
        return [
            (data[f"name_{i}"].strip(), data[f"relation_{i}"].strip())
            for i in (1, 2)
            if data[f"name_{i}"].strip()
        ]


@login_required
def household_cards(request, pk):
    household = get_household_for_user(request.user, pk, Capability.MANAGE_ASSISTANCE)
    cards = household.cards.select_related("programme").prefetch_related("alternates")
    entitlements = []
    for cycle in Cycle.objects.filter(sites=household.site_id, status=Cycle.Status.OPEN):
        entitlements.append((cycle, entitlement_for(household, cycle.programme)))
    context = {
        "household": household,
        "cards": cards.order_by("-issued_at"),
        "entitlements": entitlements,
        "programmes": Programme.objects.exclude(
            pk__in=cards.filter(status="active").values("programme")
        ),
    }
    return render(request, "assistance/household_cards.html", context)


def _card_for(user, pk) -> RationCard:
    card = cards_for_user(user, Capability.MANAGE_ASSISTANCE).filter(pk=pk).first()
    if card is None:
        raise Http404
    return card


@login_required
@require_POST
def card_issue(request, pk):
    household = get_household_for_user(request.user, pk, Capability.MANAGE_ASSISTANCE)
    choice = request.POST.get("programme", "")
    programme = Programme.objects.filter(pk=choice).first() if choice.isdigit() else None
    if programme is None:
        messages.error(request, _("Choose a programme."))
    else:
        try:
            services.card_issue(actor=request.user, household=household, programme=programme)
        except services.AssistanceError as error:
            messages.error(request, str(error))
    return redirect("assistance:household_cards", household.pk)


@login_required
@require_POST
def card_replace(request, pk):
    card = _card_for(request.user, pk)
    try:
        new = services.card_replace(actor=request.user, card=card)
    except services.AssistanceError as error:
        messages.error(request, str(error))
    else:
        messages.success(
            request,
            _("Card %(old)s revoked; new card %(new)s.") % {"old": card.code, "new": new.code},
        )
    return redirect("assistance:household_cards", card.household_id)


@login_required
@require_POST
def card_alternates(request, pk):
    card = _card_for(request.user, pk)
    form = AlternatesForm(request.POST)
    if form.is_valid():
        services.card_alternates_set(actor=request.user, card=card, pairs=form.pairs())
        messages.success(request, _("Saved."))
    return redirect("assistance:household_cards", card.household_id)


@login_required
def card_pdf(request, pk):
    card = _card_for(request.user, pk)
    language = request.GET.get("language") or (get_language() or "ar")[:3]
    language = language if language in ("ar", "ckb", "en") else "ar"
    cards = RationCard.objects.filter(pk=card.pk)
    pdf = render_cards(
        card_data(cards), language=language, layout="single", labels=labels_for(language)
    )
    audit_record(actor=request.user, action=AuditEvent.Action.EXPORT, obj=card)
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="card-{card.code}.pdf"'
    return response
