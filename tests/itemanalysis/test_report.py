"""The API's object (rounded figures), the CSV rows and the chart built from an analysis."""

import csv
import io

from trainer.itemanalysis.engine import Item, Option, Response, analyse
from trainer.itemanalysis.figures import facility_discrimination
from trainer.itemanalysis.report import CSV_HEADER, csv_rows, csv_text, labels, report

ITEMS = [Item("s1", (Option("a", True), Option("-b", False))), Item("s2")]
DATA = [Response(i, {"s1": float(i % 3 == 0), "s2": (i % 4) / 3},
                 {"s1": ("a",) if i % 3 == 0 else ("-b",)}) for i in range(1, 8)]


def body() -> dict:
    return report(analyse(ITEMS, DATA), kind="vignette", key="vig", version=2, attempts="all",
                  organisation=None)


def test_report_has_the_spec_fields_rounded_to_four_places():
    out = body()
    assert list(out) == ["kind", "id", "version", "attempts", "organisation", "n", "mean", "sd",
                         "alpha", "items"]
    assert (out["kind"], out["id"], out["version"], out["attempts"]) == ("vignette", "vig", 2,
                                                                         "all")
    item = out["items"][1]
    assert list(item) == ["id", "n", "facility", "discrimination", "upper_lower", "options",
                          "flags"]
    # s2 scores: 1/3, 2/3, 1, 0, 1/3, 2/3, 1 (4 places each): facility 4/7 in 4 places
    assert item["facility"] == 0.5714
    assert all(len(str(v).split(".")[-1]) <= 4 for v in (out["mean"], out["sd"]))
    assert out["items"][0]["options"][0] == {"id": "a", "keyed": True, "chosen": 2, "upper": 2,
                                             "lower": 0}


def test_csv_has_one_row_per_option_and_one_for_an_item_without_options():
    rows = csv_rows(body())
    assert len(rows) == 3
    assert [r[CSV_HEADER.index("option")] for r in rows] == ["a", "'-b", ""]
    assert rows[0][:5] == ["vignette", "vig", 2, "all", ""]
    assert rows[0][CSV_HEADER.index("keyed")] == "yes"
    assert rows[0][CSV_HEADER.index("flags")] == "too-few"
    parsed = list(csv.reader(io.StringIO(csv_text(body()))))
    assert parsed[0] == CSV_HEADER and len(parsed) == 4


def test_labels_name_questions_and_stages():
    check = {"check": {"questions": [{"id": "q1", "prompt": "Why?", "options": [
        {"id": "a", "label": "Because"}]}]}}
    assert labels("check", check) == {"q1": {"title": "Why?", "options": {"a": "Because"}}}
    vignette = {"stages": [{"id": "s", "title": "Focus", "prompt": "P", "kind": "text"}]}
    assert labels("vignette", vignette) == {"s": {"title": "Focus", "options": {}}}


def test_chart_plots_the_items_with_both_figures():
    out = body()
    figure = facility_discrimination(out["items"])
    trace = figure["data"][0]
    plotted = [i for i in out["items"] if i["discrimination"] is not None]
    assert trace["x"] == [i["facility"] for i in plotted]
    assert trace["y"] == [i["discrimination"] for i in plotted]
    assert len(figure["layout"]["shapes"]) == 3  # the 0.20, 0.95 and 0.15 thresholds
    assert facility_discrimination([{"id": "q", "facility": None, "discrimination": None,
                                     "flags": []}]) is None
