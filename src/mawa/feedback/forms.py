"""Forms of the help desk: intake, assignment, status and answer."""

from django import forms
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from mawa.core.ids import clean_reference
from mawa.feedback.access import linkable, sees_restricted
from mawa.feedback.models import RESTRICTED, AnswerMethod, Category, Channel, Language, Status
from mawa.feedback.services import Intake
from mawa.namekeys import to_ascii_digits


class TicketForm(forms.Form):
    category = forms.ChoiceField(label=_("What is it about?"), choices=Category.choices)
    channel = forms.ChoiceField(label=_("How did it reach us?"), choices=Channel.choices)
    language = forms.ChoiceField(label=_("Language of the person"), choices=Language.choices)
    text = forms.CharField(
        label=_("What the person said"),
        max_length=5000,
        widget=forms.Textarea(attrs={"rows": 5, "dir": "auto"}),
    )
    anonymous = forms.BooleanField(
        label=_("The person stays anonymous (no name, phone or household is kept)"),
        required=False,
    )
    name = forms.CharField(label=_("Name"), max_length=150, required=False)
    contact = forms.CharField(label=_("Phone"), max_length=40, required=False)
    site = forms.ModelChoiceField(label=_("Site"), queryset=None, required=False)
    household = forms.CharField(
        label=_("Household number"),
        max_length=20,
        required=False,
        widget=forms.TextInput(attrs={"dir": "ltr", "autocomplete": "off"}),
    )
    point = forms.ModelChoiceField(label=_("Distribution point"), queryset=None, required=False)
    cycle = forms.ModelChoiceField(label=_("Distribution cycle"), queryset=None, required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.user = user
        self.fields["site"].queryset = linkable(user, "site").order_by("name_en")
        self.fields["point"].queryset = linkable(user, "point").order_by("name")
        self.fields["cycle"].queryset = linkable(user, "cycle").order_by("-starts")
        sites = list(self.fields["site"].queryset[:2])
        if len(sites) == 1:
            self.fields["site"].initial = sites[0].pk
        if not sees_restricted(user):
            # Help desks record every category: a restricted one then leaves their sight.
            self.fields["category"].help_text = _(
                "Sexual exploitation or abuse and fraud by staff go at once to the PSEA focal "
                "points only; you will not see the ticket again."
            )

    def clean_household(self):
        typed = to_ascii_digits(self.cleaned_data["household"] or "").strip()
        if not typed:
            return None
        reference = clean_reference(typed)
        found = (
            linkable(self.user, "household").filter(reference=reference).first()
            if reference
            else None
        )
        if found is None:
            raise forms.ValidationError(_("No household with this number at your sites."))
        return found

    def clean(self):
        data = super().clean()
        if not data.get("site") and not self.user.all_sites:
            sites = list(self.fields["site"].queryset[:2])
            data["site"] = sites[0] if len(sites) == 1 else None  # a desk at one site
        if data.get("anonymous") and (
            data.get("name") or data.get("contact") or data.get("household")
        ):
            raise forms.ValidationError(
                _("An anonymous ticket keeps no name, phone or household: clear them or untick it.")
            )
        return data

    def intake(self) -> Intake:
        data = self.cleaned_data
        return Intake(
            category=data["category"],
            channel=data["channel"],
            language=data["language"],
            text=data["text"],
            anonymous=data["anonymous"],
            name=data["name"],
            contact=to_ascii_digits(data["contact"]),
            site=data["site"],
            household=data["household"],
            point=data["point"],
            cycle=data["cycle"],
        )

    @property
    def restricted_choice(self) -> bool:
        return self.is_bound and self.data.get("category") in RESTRICTED


class AssignForm(forms.Form):
    owner = forms.ModelChoiceField(label=_("Owner"), queryset=None)
    site = forms.ModelChoiceField(label=_("Site"), queryset=None, required=False)

    def __init__(self, *args, ticket, owners, sites, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["owner"].queryset = owners
        self.fields["owner"].initial = ticket.owner_id
        self.fields["site"].queryset = sites
        if ticket.site_id is not None:
            del self.fields["site"]


class StatusForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"),
        choices=[(s.value, s.label) for s in (Status.OPEN, Status.CLOSED)],
    )
    note = forms.CharField(label=_("Note"), max_length=300, required=False)


METHOD_FOR_CHANNEL = {
    Channel.DESK: AnswerMethod.IN_PERSON,
    Channel.HOTLINE: AnswerMethod.PHONE,
    Channel.SMS: AnswerMethod.SMS,
    Channel.PAPER: AnswerMethod.IN_PERSON,
}


class AnswerForm(forms.Form):
    answer = forms.CharField(
        label=_("Answer given to the person"),
        max_length=2000,
        widget=forms.Textarea(attrs={"rows": 4, "dir": "auto"}),
    )
    language = forms.ChoiceField(label=_("In which language"), choices=Language.choices)
    method = forms.ChoiceField(label=_("How"), choices=AnswerMethod.choices)
    at = forms.DateTimeField(
        label=_("When"),
        input_formats=["%Y-%m-%dT%H:%M", "%Y-%m-%d %H:%M"],
        widget=forms.DateTimeInput(attrs={"type": "datetime-local"}, format="%Y-%m-%dT%H:%M"),
    )

    def __init__(self, *args, ticket, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["language"].initial = ticket.language
        self.fields["method"].initial = METHOD_FOR_CHANNEL.get(ticket.channel)
        self.fields["at"].initial = timezone.localtime().replace(second=0, microsecond=0)


class FilterForm(forms.Form):
    status = forms.ChoiceField(
        label=_("Status"), choices=[("", _("Any status"))] + Status.choices, required=False
    )
    category = forms.ChoiceField(label=_("Category"), required=False)
    channel = forms.ChoiceField(
        label=_("Channel"), choices=[("", _("Any channel"))] + Channel.choices, required=False
    )
    site = forms.ModelChoiceField(
        label=_("Site"), queryset=None, required=False, empty_label=_("Every site")
    )
    overdue = forms.BooleanField(label=_("Late only"), required=False)
    mine = forms.BooleanField(label=_("Mine only"), required=False)

    def __init__(self, *args, user, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["site"].queryset = user.site_scope().filter(is_active=True).order_by("name_en")
        shown = [c for c in Category.choices if (c[0] in RESTRICTED) == sees_restricted(user)]
        self.fields["category"].choices = [("", _("Any category"))] + shown
