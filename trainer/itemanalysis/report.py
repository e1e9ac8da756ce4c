"""An analysis as the API gives it (the spec's fields, figures to 4 places), as CSV, and the
labels the page shows beside the ids."""

import csv
import io

from trainer.itemanalysis.engine import Analysis, ItemStats

PLACES = 4  # as the scores; flags are decided on the unrounded figures
CSV_HEADER = ["kind", "id", "version", "attempts", "organisation", "n", "mean", "sd", "alpha",
              "item", "item_n", "facility", "discrimination", "upper_lower", "flags",
              "option", "keyed", "chosen", "upper", "lower"]


def _rounded(value: float | None) -> float | None:
    return None if value is None else round(value, PLACES)


def report(analysis: Analysis, *, kind: str, key: str, version: int, attempts: str,
           organisation: str | None) -> dict:
    """The API's object: `kind`, `id`, `version`, `attempts`, `organisation` (a slug, null
    for every organisation), the whole-test figures and the items."""
    return {"kind": kind, "id": key, "version": version, "attempts": attempts,
            "organisation": organisation, "n": analysis.n, "mean": _rounded(analysis.mean),
            "sd": _rounded(analysis.sd), "alpha": _rounded(analysis.alpha),
            "items": [_item(item) for item in analysis.items]}


def _item(item: ItemStats) -> dict:
    return {"id": item.id, "n": item.n, "facility": _rounded(item.facility),
            "discrimination": _rounded(item.discrimination),
            "upper_lower": _rounded(item.upper_lower),
            "options": [{"id": o.id, "keyed": o.keyed, "chosen": o.chosen, "upper": o.upper,
                         "lower": o.lower} for o in item.options],
            "flags": list(item.flags)}


def _cell(value) -> object:
    """Empty for null, yes/no for booleans, text a spreadsheet will not read as a formula."""
    if value is None:
        return ""
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, str) and value[:1] in ("=", "+", "-", "@", "\t", "\r"):
        return f"'{value}"
    return value


def csv_rows(body: dict) -> list[list]:
    """One row per item option (an item without options, a text stage, has one row with the
    option columns empty); the whole-test figures repeat on every row."""
    head = [body[name] for name in CSV_HEADER[:9]]
    rows = []
    for item in body["items"]:
        figures = [item["id"], item["n"], item["facility"], item["discrimination"],
                   item["upper_lower"], " ".join(item["flags"])]
        for option in item["options"] or [{}]:
            rows.append([_cell(v) for v in (*head, *figures, option.get("id"),
                                            option.get("keyed"), option.get("chosen"),
                                            option.get("upper"), option.get("lower"))])
    return rows


def csv_text(body: dict) -> str:
    """The CSV document, header first."""
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(CSV_HEADER)
    writer.writerows(csv_rows(body))
    return out.getvalue()


def labels(kind: str, data: dict) -> dict[str, dict]:
    """Per item id: its title (a stage's title, a question's prompt) and its options' labels."""
    entries = data["check"]["questions"] if kind == "check" else data["stages"]
    return {entry["id"]: {"title": entry.get("title") or entry.get("prompt", ""),
                          "options": {o["id"]: o["label"] for o in entry.get("options", ())}}
            for entry in entries}
