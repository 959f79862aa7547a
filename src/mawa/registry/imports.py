"""Importing households from a table: map columns, dry-run every row, then write all or the valid.

Rows are people; rows that share a value in the household column form one household (each row
is its own household when no such column is mapped). Validation reuses the registration forms,
so an imported family meets exactly the rules a typed one does.
"""

import re
from collections import OrderedDict
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
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


MEMBER_TARGETS = [k for k in TARGETS if k in MemberForm.base_fields]


def _member_value(name: str, cell: str):
    """What the member form is given for one field, from its cell ("" when not mapped)."""
    if name == "sex":
        return SEX_WORDS.get(cell.strip().lower(), cell)
    if name == "relationship":
        return (cell or "").strip().lower()
    if name == "needs":
        needs = re.split(r"[\s,;|]+", (cell or "").strip().upper())
        return [n for n in needs if n]
    return cell


def _member_data(cells: dict) -> dict:
    return {k: _member_value(k, cells.get(k, "")) for k in MEMBER_TARGETS}


def _ascii(data: dict) -> dict:
    """What DigitsForm does to submitted data: Arabic-Indic and Persian digits become ASCII."""
    return {k: to_ascii_digits(v) if isinstance(v, str) else v for k, v in data.items()}


_MISSING = object()


class _Lean:
    """One form validating row after row, as `form_class(data).is_valid()` would, but each
    field's cleaning (its `clean` and the form's `clean_<field>`) done once per distinct value.

    Import files repeat the same names, sexes, relationships and dates thousands of times;
    Django deep-copies a form's fields for each new instance and cleans every field of every
    row. The form-wide `clean()` still runs for every row, on the form itself, so the rules
    and messages (translated in the user's language) are the form's own. This relies on the
    field cleaning of these forms depending on the field's value alone (and today's date,
    which does not change during one check)."""

    def __init__(self, form_class):
        lean = type(f"Lean{form_class.__name__}", (form_class,), {"_clean_fields": _clean_fields})
        form = self.form = lean({})
        form._lean_fields = [
            (name, form.add_prefix(name), field, {}, {}) for name, field in form.fields.items()
        ]

    def check(self, data: dict):
        form = self.form
        form.data = data
        form.is_bound, form._errors = True, None
        form.__dict__.pop("cleaned_data", None)
        form.is_valid()
        return form


def _clean_fields(form) -> None:
    """Form._clean_fields, remembering each field's outcome by the value submitted."""
    data, cleaned = form.data, form.cleaned_data
    for name, html_name, form_field, valid, invalid in form._lean_fields:
        raw = data.get(html_name, _MISSING)
        key = tuple(raw) if isinstance(raw, list) else raw
        value = valid.get(key, _MISSING)
        if value is not _MISSING:
            cleaned[name] = list(value) if isinstance(value, list) else value
        elif key in invalid:
            form.add_error(name, invalid[key])
        else:
            try:
                cleaned[name] = form_field._clean_bound_field(form[name])
                if hasattr(form, f"clean_{name}"):
                    cleaned[name] = getattr(form, f"clean_{name}")()
            except ValidationError as error:
                form.add_error(name, error)
                invalid[key] = error
            else:
                value = cleaned[name]
                valid[key] = list(value) if isinstance(value, list) else value


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
    members, households = _Lean(MemberForm), _Lean(HouseholdForm)
    first_row = 2
    for offset, row in enumerate(table.rows):
        number = first_row + offset
        cells = {target: row[i] for target, i in index.items()}
        key = cells.get("household") or f"row-{number}"
        group = groups.setdefault(key, CheckedHousehold(key=key, rows=[]))
        group.rows.append(number)
        if "relationship" not in index:
            cells["relationship"] = "head" if len(group.rows) == 1 else "other_relative"
        member = members.check(_ascii(_member_data(cells)))
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
        _ascii(
            {
                "phone": cells.get("phone", ""),
                "origin_village": cells.get("origin_village", ""),
                "displacement_date": cells.get("displacement_date", ""),
                "arrival_date": cells.get("arrival_date") or consent_date.isoformat(),
                "consent_date": consent_date.isoformat(),
                "consent_purposes": [ConsentPurpose.ASSISTANCE],
            }
        )
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
