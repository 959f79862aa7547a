"""A candidate's evidence in words (English here; the tracing app translates the same codes)."""

from mawa.tracelink.score import Candidate

LABELS = {
    "given": "given name",
    "father": "father's name",
    "grandfather": "grandfather's name",
    "family": "family name",
    "mother": "mother's name",
}
LEVEL_TEXT = {
    "same": "same {label} (any spelling or script)",
    "similar": "similar {label} (another spelling or a typo)",
    "unsure": "{label} somewhat alike",
    "differs": "different {label}",
    "missing": "{label} not registered",
}


def reason_codes(candidate: Candidate) -> list[tuple[str, str, dict]]:
    """(code, part, details) in order: agreements first, then differences, then the rest."""
    order = {"same": 0, "similar": 1, "differs": 2, "unsure": 3, "missing": 4}
    found: list[tuple[str, str, dict]] = []
    for part, level in sorted(candidate.levels.items(), key=lambda item: order[item[1]]):
        derived = part in candidate.derived
        code = f"{level}_from_seeker" if derived and level in ("same", "similar") else level
        found.append((code, part, {}))
    if candidate.years_apart is not None:
        found.append(("years_apart", "birth_year", {"years": candidate.years_apart}))
    return found


def reasons(candidate: Candidate) -> list[str]:
    """The reasons in English, strongest first."""
    texts = []
    for code, part, details in reason_codes(candidate):
        if code == "years_apart":
            years = details["years"]
            texts.append(
                "birth year as given"
                if years == 0
                else f"birth year {years} year(s) from the one given"
            )
            continue
        level = code.removesuffix("_from_seeker")
        text = LEVEL_TEXT[level].format(label=LABELS[part])
        if code.endswith("_from_seeker"):
            text += ", as the seeker's own name implies"
        texts.append(text)
    return texts
