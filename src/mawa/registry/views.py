"""Registry pages: thin views over forms, permission-checked getters and services."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.paginator import Paginator
from django.db.models import Prefetch
from django.shortcuts import redirect, render
from django.utils.html import format_html_join
from django.utils.safestring import mark_safe
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST

from mawa.core import sync
from mawa.core.access import get_site_for_user, require, sites_for_user
from mawa.core.audit import audit_search, audit_views
from mawa.core.roles import Capability
from mawa.registry import services
from mawa.registry.access import (
    get_household_for_user,
    get_person_for_user,
    households_for_user,
    people_for_user,
)
from mawa.registry.forms import (
    ConsentForm,
    DepartureForm,
    HouseholdForm,
    MemberForm,
    MemberFormSet,
    NeedsForm,
    SearchForm,
    ShelterForm,
    TransferForm,
    filled_members,
)
from mawa.registry.models import Consent, Person
from mawa.registry.needs import need_choices, visible_needs
from mawa.registry.search import search_person_ids
from mawa.registry.signals import household_registered

HOUSEHOLD_DATA = (
    "phone",
    "origin_area",
    "origin_village",
    "displacement_date",
    "arrival_date",
    "consent_date",
    "consent_purposes",
)
HOUSEHOLD_EDIT = HOUSEHOLD_DATA[:-2]  # registration's consent becomes the head's consent rows


def _members_of(form) -> services.MemberInput:
    return services.MemberInput(
        fields=form.member_fields(), needs=form.cleaned_data["needs"], documents=form.documents()
    )


def _page(request, queryset, size=25):
    return Paginator(queryset, size).get_page(request.GET.get("page"))


class SearchPage:
    """One page of search results, without counting every match (that is what makes a common
    name slow at a million people): it knows only whether a next page exists."""

    def __init__(self, people: list, number: int, has_next: bool):
        self.object_list, self.number = people, number
        self.has_next_page, self.has_previous_page = has_next, number > 1

    def __iter__(self):
        return iter(self.object_list)

    def has_next(self):
        return self.has_next_page

    def has_previous(self):
        return self.has_previous_page

    def has_other_pages(self):
        return self.has_next_page or self.has_previous_page

    def next_page_number(self):
        return self.number + 1

    def previous_page_number(self):
        return self.number - 1


def _page_number(request) -> int:
    try:
        return max(1, min(int(request.GET.get("page", "1")), 400))
    except ValueError:
        return 1


def search_page(user, query: str, *, site=None, status: str = "", number: int = 1, size=25):
    sites = None if user.all_sites and site is None else [site] if site else user.site_scope()
    if sites is not None:
        sites = [s.pk for s in sites]
    ids = search_person_ids(
        query, sites=sites, status=status, offset=(number - 1) * size, limit=size + 1
    )
    people = people_for_user(user).filter(pk__in=ids[:size]).select_related("household__site")
    by_id = {p.pk: p for p in people}
    return SearchPage([by_id[i] for i in ids[:size] if i in by_id], number, len(ids) > size)


@login_required
def household_list(request):
    """Households, or people when searching: by any name part, number or phone."""
    require(request.user, Capability.VIEW_PEOPLE)
    form = SearchForm(request.GET or None, sites=sites_for_user(request.user, "view_people"))
    query, site, status = "", None, ""
    if form.is_valid():
        query = form.cleaned_data["q"].strip()
        site, status = form.cleaned_data["site"], form.cleaned_data["status"]
    if query:
        results = search_page(
            request.user, query, site=site, status=status, number=_page_number(request)
        )
        audit_search(
            actor=request.user,
            scope="households",
            query=query,
            results=len(results.object_list),
            more=results.has_next(),
        )
        audit_views(actor=request.user, objects=results.object_list)
    else:
        households = households_for_user(request.user).select_related("site")
        if site:
            households = households.filter(site=site)
        if status:
            households = households.filter(status=status)
        households = households.prefetch_related(
            Prefetch("members", queryset=Person.objects.filter(relationship=Person.HEAD))
        )
        results = _page(request, households.order_by("-pk"))
        # each row names its head: one view of that person
        audit_views(actor=request.user, objects=[p for h in results for p in h.members.all()])
    context = {"form": form, "query": query, "page": results, "searching": bool(query)}
    if request.headers.get("HX-Request"):
        return render(request, "registry/_results.html", context)
    context["site_options"] = _site_options(form)
    return render(request, "registry/household_list.html", context)


def _site_options(form) -> str:
    """The site filter's <option>s, as Django's Select widget renders them but without a
    template per option (87 sites took 13 ms through the widget templates)."""
    field = form.fields["site"]
    chosen = form["site"].value()
    chosen = "" if chosen is None else str(chosen)
    options = [("", field.empty_label)] + [(str(s.pk), s.name) for s in field.queryset]
    return format_html_join(
        "\n",
        '<option value="{}"{}>{}</option>',
        (
            (value, mark_safe(" selected") if value == chosen else "", label)  # noqa: S308
            for value, label in options
        ),
    )


@login_required
@require_http_methods(["GET", "POST"])
def household_register(request):
    sites = sites_for_user(request.user, Capability.REGISTER)
    site_id = request.POST.get("site") or request.GET.get("site")
    site = get_site_for_user(request.user, site_id, Capability.REGISTER) if site_id else None
    if site is None and sites.count() == 1:
        site = sites.get()
    form = HouseholdForm(request.POST or None)
    members = MemberFormSet(
        request.POST or None, prefix="m", initial=[{"relationship": Person.HEAD}]
    )
    if request.method == "POST" and site and form.is_valid() and members.is_valid():
        try:
            household = services.household_register(
                actor=request.user,
                site=site,
                members=[_members_of(f) for f in filled_members(members)],
                **{k: form.cleaned_data[k] for k in HOUSEHOLD_DATA},
            )
        except services.RegistryError as error:
            messages.error(request, str(error))
        else:
            household_registered.send(
                sender=household_register,
                household=household,
                people=household.registered_people,
                actor=request.user,
                prefixes=[f.prefix for f in filled_members(members)],
                data=request.POST,
            )
            messages.success(
                request, _("Household %s registered.") % household.reference, extra_tags="saved"
            )
            return redirect("registry:household_detail", household.pk)
    elif request.method == "POST" and not site:
        messages.error(request, _("Choose the site where the family is registered."))
    context = {"form": form, "members": members, "site": site, "sites": sites}
    return render(request, "registry/household_register.html", context)


@login_required
def household_detail(request, pk):
    household = get_household_for_user(request.user, pk)
    people = list(
        household.members.prefetch_related(
            "needs",
            "documents",
            Prefetch("consents", queryset=Consent.objects.select_related("recorded_by")),
        ).select_related("shelter__sector")  # a shelter is shown as 'sector / code'
    )
    audit_views(actor=request.user, objects=people)
    shown = visible_needs(request.user)
    at_headquarters = not sync.is_node()  # consent and needs forms: closed on field nodes
    protection = request.user.can(Capability.VIEW_PROTECTION) and at_headquarters
    for index, person in enumerate(people):
        person.shown_needs = [n for n in person.needs.all() if n.code in shown]
        if protection:  # a protection officer changes needs here, not in the edit form
            person.needs_form = NeedsForm(
                initial={"needs": [n.code for n in person.shown_needs]},
                codes=shown,
                auto_id=f"id_needs{index}_%s",
            )
    movements = household.movements.select_related("from_site", "to_site", "shelter__sector")
    context = {"household": household, "people": people, "movements": movements}
    if request.user.can(Capability.RECORD_CONSENT) and at_headquarters:
        context["consent_form"] = True
        for index, person in enumerate(people):  # one form each, with ids of its own
            person.consent_form = ConsentForm(auto_id=f"id_consent{index}_%s")
    return render(request, "registry/household_detail.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def household_edit(request, pk):
    household = get_household_for_user(request.user, pk, Capability.EDIT_HOUSEHOLD)
    initial = {k: getattr(household, k) for k in HOUSEHOLD_EDIT}
    form = HouseholdForm(request.POST or None, initial=initial)
    for name in set(HOUSEHOLD_DATA) - set(HOUSEHOLD_EDIT):
        del form.fields[name]  # consent is recorded per member, on the household page
    if request.method == "POST" and form.is_valid():
        services.household_update(
            actor=request.user,
            household=household,
            **{k: form.cleaned_data[k] for k in HOUSEHOLD_EDIT},
        )
        messages.success(request, _("Saved."))
        return redirect("registry:household_detail", household.pk)
    return render(request, "registry/household_edit.html", {"form": form, "household": household})


def _person_initial(person: Person, shown_needs: frozenset[str]) -> dict:
    initial = {name: getattr(person, name) for name in services.PERSON_FIELDS}
    if person.birth_date and person.birth_date_precision == Person.DatePrecision.YEAR:
        initial["birth_date"] = str(person.birth_date.year)
    initial["birth_date_estimated"] = person.birth_date_precision == "estimated"
    initial["needs"] = [c for c in person.needs.values_list("code", flat=True) if c in shown_needs]
    document = person.documents.first()
    if document:
        initial.update(document_kind=document.kind, document_number=document.number)
    return initial


@login_required
@require_http_methods(["GET", "POST"])
def person_edit(request, pk):
    person = get_person_for_user(request.user, pk, Capability.EDIT_HOUSEHOLD)
    shown = visible_needs(request.user)
    form = MemberForm(request.POST or None, initial=_person_initial(person, shown))
    form.fields["needs"].choices = need_choices(shown)
    if request.method == "GET":
        audit_views(actor=request.user, objects=[person])
    if request.method == "POST" and form.is_valid():
        member = _members_of(form)
        try:
            services.person_update(
                actor=request.user,
                person=person,
                fields=member.fields,
                needs=member.needs,
                documents=member.documents,
                needs_in_view=shown,
            )
        except services.RegistryError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Saved."))
            return redirect("registry:household_detail", person.household_id)
    context = {"form": form, "person": person, "household": person.household}
    return render(request, "registry/person_form.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def person_add(request, pk):
    household = get_household_for_user(request.user, pk, Capability.EDIT_HOUSEHOLD)
    form = MemberForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.person_add(actor=request.user, household=household, member=_members_of(form))
        except services.RegistryError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Member added."))
            return redirect("registry:household_detail", household.pk)
    context = {"form": form, "person": None, "household": household}
    return render(request, "registry/person_form.html", context)


@login_required
@require_POST
def person_remove(request, pk):
    person = get_person_for_user(request.user, pk, Capability.EDIT_HOUSEHOLD)
    try:
        services.person_remove(actor=request.user, person=person)
    except services.RegistryError as error:
        messages.error(request, str(error))
    else:
        messages.success(request, _("Member removed."))
    return redirect("registry:household_detail", person.household_id)


@login_required
@require_http_methods(["GET", "POST"])
def household_shelter(request, pk):
    household = get_household_for_user(request.user, pk, Capability.MANAGE_SHELTER)
    form = ShelterForm(request.POST or None, household=household)
    overflow = None
    if request.method == "POST" and form.is_valid():
        try:
            services.shelter_assign(
                actor=request.user,
                household=household,
                shelter=form.cleaned_data["shelter"],
                people=list(form.cleaned_data["members"]) or None,
                allow_overflow=form.cleaned_data["accept_overflow"],
            )
        except services.ShelterOverflow as error:
            overflow = str(error)
        except services.RegistryError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Shelter assigned."))
            return redirect("registry:household_detail", household.pk)
    context = {"form": form, "household": household, "overflow": overflow}
    return render(request, "registry/household_shelter.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def household_transfer(request, pk):
    household = get_household_for_user(request.user, pk, Capability.RECORD_MOVEMENT)
    form = TransferForm(request.POST or None, household=household)
    if request.method == "POST" and form.is_valid():
        try:
            services.household_transfer(
                actor=request.user, household=household, **form.cleaned_data
            )
        except services.RegistryError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Transfer recorded."))
            if households_for_user(request.user).filter(pk=household.pk).exists():
                return redirect("registry:household_detail", household.pk)
            return redirect("registry:household_list")
    context = {"form": form, "household": household, "title": _("Transfer to another site")}
    return render(request, "registry/household_move.html", context)


@login_required
@require_http_methods(["GET", "POST"])
def household_depart(request, pk):
    household = get_household_for_user(request.user, pk, Capability.RECORD_MOVEMENT)
    form = DepartureForm(request.POST or None)
    if request.method == "POST" and form.is_valid():
        try:
            services.household_depart(actor=request.user, household=household, **form.cleaned_data)
        except services.RegistryError as error:
            messages.error(request, str(error))
        else:
            messages.success(request, _("Departure recorded."))
            return redirect("registry:household_detail", household.pk)
    context = {"form": form, "household": household, "title": _("Record a departure")}
    return render(request, "registry/household_move.html", context)


@login_required
def register_member_row(request):
    """An empty member row for the registration form (HTMX), numbered by `index`."""
    require(request.user, Capability.REGISTER)
    try:
        index = max(0, min(int(request.GET.get("index", "0")), 39))
    except ValueError:
        index = 0
    form = MemberFormSet(prefix="m").empty_form
    form.prefix = f"m-{index}"
    return render(request, "registry/_member_row.html", {"member": form, "index": index})
