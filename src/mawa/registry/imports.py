"""Importing households from a table: map columns, dry-run every row, then write all or the valid.

Rows are people; rows that share a value in the household column form one household (each row
is its own household when no such column is mapped). Validation reuses the registration forms,
so an imported family meets exactly the rules a typed one does.
"""

import re
from collections import OrderedDict
from dataclasses import dataclass, field

from django.db import transaction
from django.utils.translation import gettext as _
from django.utils.translation import gettext_lazy

from mawa.core.audit import audit_record
from mawa.core.models import AdminArea, AuditEvent, Site, User
from mawa.namekeys import to_ascii_digits
from mawa.registry.forms import HouseholdForm, MemberForm
from mawa.registry.models import ConsentPurpose, Person
from mawa.registry.services import MemberInput, RegistryError, households_bulk_register
from mawa.registry.tables import Table

# target field -> (label, header aliases after normalisation)
TARGETS: dict[str, tuple] = OrderedDict(
    household=(gettext_lazy("Household key"), {"household", "household_id", "hh_id", "hh"}),
    relationship=(gettext_lazy("Relationship to head"), {"relationship", "relation"}),
    given_name_ar=(gettext_lazy("Given name (Arabic script)"), {"given_name_ar", "name_ar"}),
    father_name_ar=(gettext_lazy("Father's name (Arabic script)"), {"father_name_ar"}),
    grandfather_name_ar=(gettext_lazy("Grandfather's name (Arabic script)"), {"grandfather_ar"}),
    family_name_ar=(gettext_lazy("Family name (Arabic script)"), {"family_name_ar"}),
    mother_name_ar=(gettext_lazy("Mother's name (Arabic script)"), {"mother_name_ar"}),
    given_name_lat=(gettext_lazy("Given name (Latin script)"), {"given_name", "first_name"}),
    father_name_lat=(gettext_lazy("Father's name (Latin script)"), {"father_name"}),
    grandfather_name_lat=(gettext_lazy("Grandfather's name (Latin script)"), {"grandfather"}),
    family_name_lat=(gettext_lazy("Family name (Latin script)"), {"family_name", "last_name"}),
    mother_name_lat=(gettext_lazy("Mother's name (Latin script)"), {"mother_name"}),
    sex=(gettext_lazy("Sex"), {"sex", "gender"}),
    birth_date=(gettext_lazy("Date of birth"), {"birth_date", "dob", "date_of_birth"}),
    phone=(gettext_lazy("Phone"), {"phone", "phone_number", "mobile"}),
    document_kind=(gettext_lazy("Document type"), {"document_type", "document_kind", "id_type"}),
    document_number=(gettext_lazy("Document number"), {"document_number", "id_number"}),
    needs=(gettext_lazy("Specific needs (codes)"), {"needs", "specific_needs"}),
    origin=(gettext_lazy("Place of origin (P-code)"), {"origin", "origin_pcode"}),
    origin_village=(gettext_lazy("Village of origin"), {"origin_village", "village"}),
    displacement_date=(gettext_lazy("Date of displacement"), {"displacement_date"}),
    arrival_date=(gettext_lazy("Date of arrival"), {"arrival_date", "arrival"}),
)
SEX_WORDS = {"m": "M", "male": "M", "ذكر": "M", "f": "F", "female": "F", "أنثى": "F", "انثى": "F"}
MAX_ERRORS = 5000


def header_key(header: str) -> str:
    """'hh_roster/member/Given_Name_AR' -> 'given_name_ar' (the last part of a Kobo path)."""
    last = header.replace("\\", "/").split("/")[-1]
    return re.sub(r"[^0-9a-z_]+", "_", last.strip().lower()).strip("_")


def guess_mapping(headers: list[str]) -> dict[str, str]:
    mapping = {}
    for target, (_label, aliases) in TARGETS.items():
        for header in headers:
            key = header_key(header)
            if key == target or key in aliases:
                mapping[target] = header
                break
    return mapping


@dataclass
class RowError:
    row: int
    column: str
    message: str


@dataclass
class CheckedHousehold:
    key: str
    rows: list[int]
    data: dict = field(default_factory=dict)
    members: list[MemberInput] = field(default_factory=list)
    valid: bool = True


@dataclass
class ImportReport:
    households: list[CheckedHousehold]
    errors: list[RowError]
    rows: int

    @property
    def valid_households(self) -> list[CheckedHousehold]:
        return [h for h in self.households if h.valid]

    def as_dict(self) -> dict:
        return {
            "rows": self.rows,
            "households": len(self.households),
            "valid_households": len(self.valid_households),
            "valid_rows": sum(len(h.rows) for h in self.valid_households),
            "errors": [e.__dict__ for e in self.errors[:MAX_ERRORS]],
            "error_count": len(self.errors),
        }


def _member_data(cells: dict) -> dict:
    data = {k: cells.get(k, "") for k in TARGETS if k in MemberForm.base_fields}
    data["sex"] = SEX_WORDS.get(cells.get("sex", "").strip().lower(), cells.get("sex", ""))
    data["relationship"] = (cells.get("relationship") or "").strip().lower()
    needs = re.split(r"[\s,;|]+", (cells.get("needs") or "").strip().upper())
    data["needs"] = [n for n in needs if n]
    return data


class _Rebound:
    """One form instance validating row after row. Django deep-copies a form's fields for each
    new instance, which is most of the cost of checking a large file; the fields hold no state
    between rows, so one copy serves them all."""

    def __init__(self, form_class):
        self.form = form_class({})

    def check(self, data: dict):
        form = self.form
        form.data = {k: to_ascii_digits(v) if isinstance(v, str) else v for k, v in data.items()}
        form.is_bound, form._errors = True, None
        form.__dict__.pop("cleaned_data", None)
        form.is_valid()
        return form


def _form_errors(form, row: int, mapping: dict) -> list[RowError]:
    errors = []
    for name, messages in form.errors.items():
        column = mapping.get(name) or mapping.get({"origin_area": "origin"}.get(name, ""), "")
        for message in messages:
            errors.append(RowError(row, column or name, message))
    return errors


def check_table(table: Table, mapping: dict[str, str], consent_date, areas=None) -> ImportReport:
    """Validate every row; never writes. `mapping` is target field -> column header."""
    index = {t: table.headers.index(h) for t, h in mapping.items() if h in table.headers}
    areas = areas if areas is not None else dict(AdminArea.objects.values_list("pcode", "pk"))
    groups: dict[str, CheckedHousehold] = OrderedDict()
    errors: list[RowError] = []
    members, households = _Rebound(MemberForm), _Rebound(HouseholdForm)
    first_row = 2
    for offset, row in enumerate(table.rows):
        number = first_row + offset
        cells = {target: row[i] for target, i in index.items()}
        key = cells.get("household") or f"row-{number}"
        group = groups.setdefault(key, CheckedHousehold(key=key, rows=[]))
        group.rows.append(number)
        if "relationship" not in index:
            cells["relationship"] = "head" if len(group.rows) == 1 else "other_relative"
        member = members.check(_member_data(cells))
        if not member.errors:
            group.members.append(
                MemberInput(
                    member.member_fields(), member.cleaned_data["needs"], member.documents()
                )
            )
        else:
            group.valid = False
            errors += _form_errors(member, number, mapping)
        if len(group.rows) == 1:
            group.valid &= _check_household(
                households, group, cells, number, consent_date, areas, mapping, errors
            )
    for group in groups.values():
        heads = sum(1 for m in group.members if m.fields["relationship"] == Person.HEAD)
        if group.valid and heads != 1:
            group.valid = False
            column = mapping.get("relationship", "relationship")
            errors.append(RowError(group.rows[0], column, _("A household needs exactly one head.")))
    errors.sort(key=lambda e: e.row)
    return ImportReport(households=list(groups.values()), errors=errors, rows=len(table.rows))


def _check_household(
    households, group, cells, number, consent_date, areas, mapping, errors
) -> bool:
    origin = (cells.get("origin") or "").strip().upper()
    if origin and origin not in areas:
        errors.append(RowError(number, mapping.get("origin", ""), _("Unknown P-code %s.") % origin))
        return False
    form = households.check(
        {
            "phone": cells.get("phone", ""),
            "origin_village": cells.get("origin_village", ""),
            "displacement_date": cells.get("displacement_date", ""),
            "arrival_date": cells.get("arrival_date") or consent_date.isoformat(),
            "consent_date": consent_date.isoformat(),
            "consent_purposes": [ConsentPurpose.ASSISTANCE],
        }
    )
    if form.errors:
        errors.extend(_form_errors(form, number, mapping))
        return False
    group.data = {k: form.cleaned_data[k] for k in form.cleaned_data if k != "origin_area"}
    group.data["origin_area_id"] = areas.get(origin)
    return True


def import_households(
    *, actor: User, site: Site, report: ImportReport, only_valid: bool, filename: str
) -> int:
    """Write the checked households in one transaction: all of them, or the valid ones."""
    if report.errors and not only_valid:
        raise RegistryError(_("The file has errors; nothing was imported."))
    with transaction.atomic():
        households_bulk_register(
            actor=actor,
            site=site,
            households=[(group.data, group.members) for group in report.valid_households],
        )
        audit_record(
            actor=actor,
            action=AuditEvent.Action.IMPORT,
            object_type="registry.household",
            summary={
                "file": filename,
                "site": site.code,
                "households": len(report.valid_households),
                "skipped": len(report.households) - len(report.valid_households),
            },
        )
    return len(report.valid_households)
