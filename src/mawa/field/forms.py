from django import forms
from django.utils.translation import gettext_lazy as _

from mawa.assistance.models import Cycle, StockLocation
from mawa.core import sync
from mawa.core.models import Site, User
from mawa.field.models import Node


class NodeForm(forms.Form):
    name = forms.SlugField(label=_("Name of the node"), max_length=80)
    roles = forms.MultipleChoiceField(
        label=_("What the node does"),
        choices=[],
        widget=forms.CheckboxSelectMultiple,
        initial=["distribution"],
    )
    sites = forms.ModelMultipleChoiceField(Site.objects.filter(is_active=True), label=_("Sites"))
    cycles = forms.ModelMultipleChoiceField(
        Cycle.objects.exclude(status=Cycle.Status.CLOSED), label=_("Cycles"), required=False
    )
    points = forms.ModelMultipleChoiceField(
        StockLocation.objects.filter(kind=StockLocation.Kind.POINT),
        label=_("Distribution points"),
        required=False,
    )
    users = forms.ModelMultipleChoiceField(
        User.objects.filter(is_active=True), label=_("Users who may log in on it")
    )
    passphrase = forms.CharField(
        label=_("Passphrase"),
        min_length=10,
        widget=forms.PasswordInput,
        help_text=_("Tell it to the field team by another way than the package."),
    )

    def __init__(self, *args, user=None, **kwargs):
        super().__init__(*args, **kwargs)
        self.fields["roles"].choices = [(r.name, r.label) for r in sync.ROLES.values()]
        if user is not None and not user.all_sites:
            # A site-scoped administrator makes nodes for their own sites only.
            mine = user.site_scope().filter(is_active=True)
            self.fields["sites"].queryset = mine
            self.fields["cycles"].queryset = (
                self.fields["cycles"].queryset.filter(sites__in=mine).distinct()
            )
            self.fields["points"].queryset = self.fields["points"].queryset.filter(site__in=mine)
            self.fields["users"].queryset = (
                self.fields["users"].queryset.filter(sites__in=mine, all_sites=False).distinct()
            )

    def clean_name(self):
        name = self.cleaned_data["name"]
        if Node.objects.filter(name=name).exists():
            raise forms.ValidationError(_("A node with this name exists."))
        return name

    def clean(self):
        data = super().clean()
        sites = set(data.get("sites") or [])
        for role in data.get("roles") or []:
            for need in sync.ROLES[role].needs:
                if not data.get(need):
                    self.add_error(
                        need,
                        _("A node that does “%(role)s” needs this.")
                        % {"role": sync.ROLES[role].label},
                    )
        for point in data.get("points") or []:
            if point.site not in sites:
                self.add_error("points", _("%(point)s is not at a chosen site.") % {"point": point})
        for user in data.get("users") or []:
            # On the node a user sees the node's sites only, and only if they work there.
            if not sites & set(user.sites.all()):
                self.add_error(
                    "users", _("%(user)s does not work at a chosen site.") % {"user": user}
                )
        return data
