"""Item analysis through the API and the pages: which attempts, whose, who may see them, CSV,
the chart, and a query count that does not grow with the attempts."""

import csv
import io
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import event

from trainer.curriculum.models import ModuleAttempt
from trainer.extensions import db
from trainer.scoring.engine import score_attempt
from trainer.vignettes.models import VignetteAttempt

T0 = datetime(2026, 11, 2, 9, 0, tzinfo=UTC)
CHECK_KEY = {"q1": {"a"}, "q2": {"a", "b"}}  # tests/factories.module_data
_keys = iter(range(1, 10**6))


def check_attempt(user, org, module, answers: dict, when: datetime, results=None):
    """A stored check attempt (results: the questions it asked, right or wrong)."""
    results = results or {q: set(a) == CHECK_KEY[q] for q, a in answers.items()}
    attempt = ModuleAttempt(user_id=user.id, organisation_id=org.id, module_id=module.id,
                            module_key=module.key, module_version=module.version,
                            answers=answers, results=results,
                            score=sum(results.values()) / len(results), passed=False,
                            submission_key=f"ia-{next(_keys)}", submitted_at=when)
    db.session.add(attempt)
    db.session.commit()
    return attempt


def vignette_attempt(user, org, vignette, answers: dict, when: datetime, levels=None):
    """A stored vignette attempt scored by the engine (a text stage pending without levels)."""
    result = score_attempt(vignette.data, answers, levels or {})
    attempt = VignetteAttempt(
        user_id=user.id, organisation_id=org.id, vignette_id=vignette.id,
        vignette_key=vignette.key, vignette_version=vignette.version,
        content_hash=vignette.content_hash, answers=answers,
        stage_results=[{**vars(s), "selected": list(s.selected)} for s in result.stages],
        critical_errors=[], text_levels=levels or {}, score=result.score,
        provisional=result.provisional, status=result.status, submitted_at=when)
    db.session.add(attempt)
    db.session.commit()
    return attempt


@pytest.fixture
def world(make):
    org_a, org_b = make.org(slug="org-a", name="Alpha"), make.org(slug="org-b", name="Beta")
    people = {
        "admin": make.user(org=org_a, role="admin"),
        "supervisor": make.user(org=org_a, role="supervisor"),
        "other": make.user(org=org_b, role="admin"),
        "platform": make.user(is_platform_admin=True),
        "t1": make.user(org=org_a, role="trainee"),
        "t2": make.user(org=org_a, role="trainee"),
        "t3": make.user(org=org_a, role="trainee"),
        "t4": make.user(org=org_b, role="trainee"),
    }
    module = make.module("mod-a")
    # t1: wrong on q1 first, right later; t2 and t3 once; t4 (organisation B) once
    check_attempt(people["t1"], org_a, module, {"q1": ["b"], "q2": ["a", "b"]}, T0)
    check_attempt(people["t1"], org_a, module, {"q1": ["a"], "q2": ["a", "b"]},
                  T0 + timedelta(days=1))
    check_attempt(people["t2"], org_a, module, {"q1": ["a"], "q2": ["a"]}, T0)
    check_attempt(people["t3"], org_a, module, {"q1": ["a"], "q2": ["c"]}, T0)
    check_attempt(people["t4"], org_b, module, {"q1": ["b"], "q2": ["b", "c"]}, T0)
    return {"a": org_a, "b": org_b, "module": module, **people}


def get(client, headers, path, **kwargs):
    return client.get(path, headers=headers, **kwargs)


def test_org_admin_gets_their_organisations_first_attempts(client, world, token_for):
    body = get(client, token_for(world["admin"]), "/api/v1/item-analysis/checks/mod-a").get_json()
    assert (body["kind"], body["id"], body["version"], body["attempts"]) == ("check", "mod-a", 1,
                                                                             "first")
    assert body["organisation"] == "org-a" and body["n"] == 3
    q1, q2 = body["items"]
    # first attempts q1: t1 b (wrong), t2 a, t3 a
    assert q1["id"] == "q1" and q1["n"] == 3 and q1["facility"] == 0.6667
    assert {o["id"]: (o["keyed"], o["chosen"]) for o in q1["options"]} == {
        "a": (True, 2), "b": (False, 1)}
    assert q1["flags"] == ["too-few"]
    # q2 has two keyed options; t1 right, t2 and t3 wrong: every T is 1
    assert [o["keyed"] for o in q2["options"]] == [True, True, False]
    assert (body["mean"], body["sd"], body["alpha"]) == (1.0, 0.0, None)


def test_all_attempts_switch_counts_retakes(client, world, token_for):
    body = get(client, token_for(world["admin"]),
               "/api/v1/item-analysis/checks/mod-a?attempts=all").get_json()
    assert body["attempts"] == "all" and body["n"] == 4
    assert body["items"][0]["facility"] == 0.75


def test_first_attempt_ties_in_time_go_to_the_lower_id(client, world, make, token_for):
    trainee = make.user(org=world["a"], role="trainee")
    check_attempt(trainee, world["a"], world["module"], {"q1": ["b"], "q2": ["c"]}, T0)
    check_attempt(trainee, world["a"], world["module"], {"q1": ["a"], "q2": ["a", "b"]}, T0)
    body = get(client, token_for(world["admin"]), "/api/v1/item-analysis/checks/mod-a").get_json()
    assert body["n"] == 4
    q1 = {o["id"]: o["chosen"] for o in body["items"][0]["options"]}
    assert q1 == {"a": 2, "b": 2}  # the new trainee's first (older id) attempt chose b


def test_another_organisation_sees_only_its_own(client, world, token_for):
    body = get(client, token_for(world["other"]), "/api/v1/item-analysis/checks/mod-a").get_json()
    assert body["organisation"] == "org-b" and body["n"] == 1


def test_org_admin_naming_another_organisation_still_gets_their_own(client, world, token_for):
    headers = token_for(world["admin"])
    for slug in ("org-b", "no-such-org"):
        response = get(client, headers, f"/api/v1/item-analysis/checks/mod-a?organisation={slug}")
        assert response.status_code == 200
        assert response.get_json()["organisation"] == "org-a"
        assert response.get_json()["n"] == 3


def test_platform_admin_gets_every_organisation_or_the_one_named(client, world, token_for):
    headers = token_for(world["platform"])
    everyone = get(client, headers, "/api/v1/item-analysis/checks/mod-a").get_json()
    assert everyone["organisation"] is None and everyone["n"] == 4
    beta = get(client, headers, "/api/v1/item-analysis/checks/mod-a?organisation=org-b")
    assert beta.get_json()["organisation"] == "org-b" and beta.get_json()["n"] == 1
    assert get(client, headers, "/api/v1/item-analysis/checks/mod-a?organisation=nope"
               ).status_code == 404


@pytest.mark.parametrize("who", ["t1", "supervisor"])
def test_trainees_and_supervisors_get_403(client, world, token_for, who):
    for path in ("/api/v1/item-analysis/checks/mod-a", "/api/v1/item-analysis/vignettes/none"):
        response = get(client, token_for(world[who]), path)
        assert response.status_code == 403
        assert response.get_json()["error"]["code"] == "forbidden"


def test_no_token_gets_401(client, world):
    assert client.get("/api/v1/item-analysis/checks/mod-a").status_code == 401


@pytest.mark.parametrize(("path", "status"), [
    ("/api/v1/item-analysis/checks/unknown", 404),
    ("/api/v1/item-analysis/vignettes/mod-a", 404),
    ("/api/v1/item-analysis/checks/mod-a?version=2", 404),
    ("/api/v1/item-analysis/checks/mod-a?version=1", 200),
    ("/api/v1/item-analysis/checks/mod-a?version=x", 422),
    ("/api/v1/item-analysis/checks/mod-a?version=99999999999", 422),
    ("/api/v1/item-analysis/checks/mod-a?attempts=best", 422),
])
def test_unknown_items_and_bad_parameters(client, world, token_for, path, status):
    response = get(client, token_for(world["admin"]), path)
    assert response.status_code == status
    if status == 422:
        assert response.get_json()["error"]["fields"]


def test_accept_text_csv_gives_one_row_per_item_option(client, world, token_for):
    headers = {**token_for(world["admin"]), "Accept": "text/csv"}
    response = get(client, headers, "/api/v1/item-analysis/checks/mod-a")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert [(r["item"], r["option"]) for r in rows] == [
        ("q1", "a"), ("q1", "b"), ("q2", "a"), ("q2", "b"), ("q2", "c")]
    assert rows[0]["facility"] == "0.6667" and rows[0]["keyed"] == "yes"
    assert rows[0]["organisation"] == "org-a" and rows[0]["n"] == "3"


def test_pools_count_a_question_only_where_it_was_asked(client, world, make, token_for):
    trainee = make.user(org=world["a"], role="trainee")
    check_attempt(trainee, world["a"], world["module"], {"q2": ["a", "b"]}, T0)
    body = get(client, token_for(world["admin"]), "/api/v1/item-analysis/checks/mod-a").get_json()
    assert body["n"] == 4
    assert [i["n"] for i in body["items"]] == [3, 4]


# --- vignettes -----------------------------------------------------------------------------

RIGHT = {"focus": ["grief"], "risk": ["ask", "plan"], "reflect": "A formulation."}
WRONG = {"focus": ["deficits"], "risk": ["ask", "ignore"], "reflect": "Not much."}


def test_vignette_pending_text_stages_are_left_out(client, world, make, token_for):
    vignette = make.vignette("vig-a")
    vignette_attempt(world["t1"], world["a"], vignette, RIGHT, T0, levels={"reflect": 2})
    vignette_attempt(world["t2"], world["a"], vignette, WRONG, T0)  # reflect pending
    body = get(client, token_for(world["admin"]),
               "/api/v1/item-analysis/vignettes/vig-a").get_json()
    stages = {i["id"]: i for i in body["items"]}
    assert body["kind"] == "vignette" and body["n"] == 2
    assert (stages["focus"]["n"], stages["reflect"]["n"]) == (2, 1)
    assert stages["reflect"]["options"] == [] and stages["reflect"]["facility"] == 1.0
    # focus: grief 2 points (keyed), deficits 0: scores 1 and 0
    assert stages["focus"]["facility"] == 0.5
    assert [(o["id"], o["keyed"], o["chosen"]) for o in stages["focus"]["options"]] == [
        ("grief", True, 1), ("transition", False, 0), ("deficits", False, 1)]
    risk = {o["id"]: o["keyed"] for o in stages["risk"]["options"]}
    assert risk == {"ask": True, "plan": True, "ignore": False}


def test_vignette_version_defaults_to_the_current_one(client, world, make, token_for):
    from tests.factories import vignette_data

    old = make.vignette("vig-a")
    vignette_attempt(world["t1"], world["a"], old, RIGHT, T0)
    old.latest = False
    make.vignette("vig-a", data=vignette_data("vig-a", version=2))
    headers = token_for(world["admin"])
    current = get(client, headers, "/api/v1/item-analysis/vignettes/vig-a").get_json()
    assert (current["version"], current["n"]) == (2, 0)
    first = get(client, headers, "/api/v1/item-analysis/vignettes/vig-a?version=1").get_json()
    assert (first["version"], first["n"]) == (1, 1)


def test_openapi_documents_both_routes(client, world):
    paths = client.get("/api/v1/openapi.json").get_json()["paths"]
    for path in ("/api/v1/item-analysis/checks/{module_id}",
                 "/api/v1/item-analysis/vignettes/{vignette_id}"):
        operation = paths[path]["get"]
        assert {"200", "401", "403", "404", "422"} <= set(operation["responses"])
        assert {p["name"] for p in operation["parameters"]} >= {"attempts", "version",
                                                                "organisation"}


# --- the pages -----------------------------------------------------------------------------


def many_vignette_attempts(world, make, count: int):
    """`count` more trainees of organisation A with one attempt each (every third wrong)."""
    if "vignette" not in world:
        world["vignette"] = make.vignette("vig-a")
    vignette = world["vignette"]
    for i in range(count):
        trainee = make.user(org=world["a"], role="trainee")
        answers = RIGHT if i % 3 else WRONG
        vignette_attempt(trainee, world["a"], vignette, answers, T0 + timedelta(minutes=i),
                         levels={"reflect": i % 3})
    return vignette


def test_page_shows_chart_table_options_and_csv_link(client, world, make, login_as):
    many_vignette_attempts(world, make, 6)
    login_as(world["admin"])
    html = client.get("/item-analysis/vignettes/vig-a").get_data(as_text=True)
    for text in ('data-target="chart-item-analysis"', 'type="application/json"',
                 "Facility against discrimination", "<th scope=\"row\"><a href=\"#item-focus\">",
                 "Upper group", "Download as CSV", "Each trainee's first", "alpha",
                 "plotly.min.js"):
        assert text in html, text
    assert "<script>" not in html  # no inline script: the figure is data


def test_page_csv_download(client, world, login_as):
    login_as(world["admin"])
    response = client.get("/item-analysis/checks/mod-a.csv?attempts=all")
    assert response.status_code == 200 and response.mimetype == "text/csv"
    assert "attachment" in response.headers["Content-Disposition"]
    rows = list(csv.DictReader(io.StringIO(response.get_data(as_text=True))))
    assert len(rows) == 5 and rows[0]["attempts"] == "all" and rows[0]["n"] == "4"


def test_chooser_leads_to_the_chosen_page(client, world, make, login_as):
    make.vignette("vig-a")
    login_as(world["admin"])
    index = client.get("/item-analysis/").get_data(as_text=True)
    assert "Module mod-a" in index and "Vignette vig-a" in index
    response = client.get("/item-analysis/?item=vignettes/vig-a&attempts=all")
    assert response.status_code == 302
    assert response.headers["Location"].endswith("/item-analysis/vignettes/vig-a?attempts=all")
    empty = client.get("/item-analysis/vignettes/vig-a").get_data(as_text=True)
    assert "No submitted attempts at this version yet" in empty


def test_page_access(client, world, login_as):
    assert client.get("/item-analysis/checks/mod-a").status_code == 302  # sign in first
    for who, status in (("t1", 403), ("supervisor", 403), ("admin", 200), ("other", 200),
                        ("platform", 200)):
        login_as(world[who])
        assert client.get("/item-analysis/checks/mod-a").status_code == status, who
    assert client.get("/item-analysis/checks/nope").status_code == 404


def test_platform_admin_page_offers_every_organisation(client, world, login_as):
    login_as(world["platform"])
    html = client.get("/item-analysis/checks/mod-a").get_data(as_text=True)
    assert "All organisations" in html and "Beta" in html and "every organisation" in html
    assert "Item analysis</a>" in html  # in the navigation
    beta = client.get("/item-analysis/checks/mod-a.csv?organisation=org-b").get_data(
        as_text=True)
    assert list(csv.DictReader(io.StringIO(beta)))[0]["n"] == "1"


def test_admin_navigation_links_to_item_analysis(client, world, login_as):
    login_as(world["admin"])
    html = client.get("/item-analysis/").get_data(as_text=True)
    assert '<li><a href="/item-analysis/">Item analysis</a></li>' in html


def count_statements(client, path: str) -> int:
    db.session.expire_all()
    seen = []
    listener = lambda *args: seen.append(1)  # noqa: E731
    event.listen(db.engine, "before_cursor_execute", listener)
    try:
        assert client.get(path).status_code == 200
    finally:
        event.remove(db.engine, "before_cursor_execute", listener)
    return len(seen)


@pytest.mark.parametrize("who", ["admin", "platform"])
def test_page_queries_stay_under_25_whatever_the_attempts(client, world, make, login_as, who):
    many_vignette_attempts(world, make, 4)
    login_as(world[who])
    path = "/item-analysis/vignettes/vig-a?attempts=all"
    count_statements(client, path)  # the content document is then kept in memory
    few = count_statements(client, path)
    many_vignette_attempts(world, make, 36)
    many = count_statements(client, path)
    assert few == many < 25


def test_the_openapi_document_lists_the_csv_answer(client):
    spec = client.get("/api/v1/openapi.json").get_json()
    for path in ("/api/v1/item-analysis/checks/{module_id}",
                 "/api/v1/item-analysis/vignettes/{vignette_id}"):
        content = spec["paths"][path]["get"]["responses"]["200"]["content"]
        assert set(content) == {"application/json", "text/csv"}
