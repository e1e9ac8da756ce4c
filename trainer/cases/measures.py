"""Outcome measures a session may log: totals only, with their valid ranges."""

from trainer.errors import DomainError

# name: (label, low, high, whole numbers only)
MEASURES = {
    "phq9": ("PHQ-9 total", 0, 27, True),
    "phq9_item9": ("PHQ-9 item 9 (thoughts of self-harm)", 0, 3, True),
    "gad7": ("GAD-7 total", 0, 21, True),
    "epds": ("EPDS total (perinatal)", 0, 30, True),
    "phqa": ("PHQ-A total (adolescents)", 0, 27, True),
    "srm": ("Social Rhythm Metric (IPSRT)", 0, 7, False),
    "pcl5": ("PCL-5 total (PTSD)", 0, 80, True),
    "edeq": ("EDE-Q global score (eating disorders)", 0, 6, False),
}
CORE = ("phq9", "phq9_item9", "gad7")


def validate_measures(values: object) -> dict[str, float | int]:
    """The measures given, each checked against its range; DomainError listing every problem."""
    if values is None:
        return {}
    if not isinstance(values, dict):
        raise DomainError("measures must be an object of totals.", field="measures")
    problems, clean = {}, {}
    for name, value in values.items():
        if value is None:
            continue
        if name not in MEASURES:
            problems[f"measures.{name}"] = [f"Unknown measure '{name}'."]
            continue
        label, low, high, whole = MEASURES[name]
        number_ok = isinstance(value, int | float) and not isinstance(value, bool)
        if not number_ok or (whole and not float(value).is_integer()) or not low <= value <= high:
            problems[f"measures.{name}"] = [f"{label} must be {'a whole number ' if whole else ''}"
                                            f"from {low} to {high}."]
            continue
        clean[name] = int(value) if whole else float(value)
    if "phq9_item9" in clean and "phq9" in clean and clean["phq9_item9"] > clean["phq9"]:
        problems["measures.phq9_item9"] = ["Item 9 cannot be higher than the PHQ-9 total."]
    if problems:
        raise DomainError("Some measures are out of range.", fields=problems)
    return clean
