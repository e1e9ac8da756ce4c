"""The competency profile, checklists and cohort views, computed from real activity."""

from sqlalchemy import event

from trainer.extensions import db
from trainer.vignettes.services import create_attempt


def pass_vignettes(world, count=3):
    from trainer.scoring.engine import expert_key
    from trainer.vignettes.queries import catalogue

    rows = [r for r in catalogue(None, world["org"].id, {})
            if all(s["kind"] != "text" for s in r.vignette.data["stages"])][:count]
    for row in rows:
        answers = {s["id"]: (expert_key(s)[:1] if s["kind"] == "single" else expert_key(s))
                   for s in row.vignette.data["stages"]}
        create_attempt(world["trainee"], world["org"].id, row.vignette, answers, None)
    db.session.commit()
    return rows


def test_the_api_reports_estimates_from_vignette_evidence(client, world, token_for):
    pass_vignettes(world)
    body = client.get("/api/v1/trainees/me/competencies",
                      headers=token_for(world["trainee"])).get_json()
    assert body["framework"] == "ipt-core"
    by_id = {c["id"]: c for c in body["competencies"]}
    assert set(by_id["formulation-contract"]) == {"id", "title", "estimate", "level",
                                                  "evidence_count"}
    assert by_id["formulation-contract"]["estimate"] == 1.0
    # observed skill with no rated session: capped one below competent
    assert by_id["formulation-contract"]["level"] in (0, 2)
    supervisor = client.get(f"/api/v1/trainees/{world['trainee'].id}/competencies",
                            headers=token_for(world["supervisor"]))
    assert supervisor.status_code == 200


def test_eligibility_names_what_is_missing(client, world, token_for):
    response = client.get("/api/v1/trainees/me/eligibility/ipt-practitioner",
                          headers=token_for(world["trainee"]))
    body = response.get_json()
    assert body["pathway"] == "ipt-practitioner" and body["eligible"] is False
    ids = [r["id"] for r in body["requirements"]]
    assert "vignettes.passed_min" in ids and "supervised_cases.completed_min" in ids
    areas = next(r for r in body["requirements"] if r["id"] == "vignettes.problem_areas")
    assert areas["met"] is False and "0 of 4 problem areas covered" in areas["detail"]


def test_another_org_cannot_see_the_profile(client, world, make, token_for):
    outsider = token_for(make.user(org=make.org(), role="admin"))
    assert client.get(f"/api/v1/trainees/{world['trainee'].id}/competencies",
                      headers=outsider).status_code == 404


def test_trainee_home_shows_profile_checklists_and_next_steps(client, world, login_as):
    pass_vignettes(world)
    login_as(world["trainee"])
    html = client.get("/trainee").get_data(as_text=True)
    for text in ("Competency profile", 'data-target="chart-profile"', "Certification checklists",
                 "Certified IPT Practitioner", "What to do next", "problem areas covered"):
        assert text in html, text


def test_admin_sees_heatmap_csv_and_narrows_pathways(client, world, login_as):
    pass_vignettes(world)
    login_as(world["admin"])
    html = client.get("/competency/cohort").get_data(as_text=True)
    assert 'data-target="chart-heatmap"' in html and "Tia Trainee" in html
    csv = client.get("/competency/cohort.csv").get_data(as_text=True).splitlines()
    assert csv[0].startswith("name,email,level:ipt-knowledge")
    assert "Tia Trainee" in csv[1]
    client.post("/competency/pathways", data={"pathway": ["ipt-supervisor"]})
    login_as(world["trainee"])
    html = client.get("/trainee").get_data(as_text=True)
    assert "IPT Supervisor" in html and "Certified IPT Practitioner</h3>" not in html


def test_cohort_page_queries_do_not_grow_with_trainees(app, client, world, login_as, make):
    def count_queries(path):
        measure(path)  # the first view fills the estimate snapshots
        return measure(path)

    def measure(path):
        db.session.expire_all()  # the same starting state for both measurements
        seen = []
        listener = lambda *args: seen.append(1)  # noqa: E731
        event.listen(db.engine, "before_cursor_execute", listener)
        try:
            assert client.get(path).status_code == 200
        finally:
            event.remove(db.engine, "before_cursor_execute", listener)
        return len(seen)

    login_as(world["admin"])
    small = count_queries("/competency/cohort")
    for n in range(8):
        make.user(org=world["org"], role="trainee", name=f"Extra {n}")
    assert count_queries("/competency/cohort") == small
    login_as(world["supervisor"])
    sup_small = count_queries("/supervisor")
    for _ in range(4):
        make.assign(world["org"], world["supervisor"],
                    make.user(org=world["org"], role="trainee"))
    assert count_queries("/supervisor") == sup_small


def test_the_quick_eligible_list_agrees_with_the_full_checklists(world, make):
    from trainer.competency import queries, services

    pass_vignettes(world, count=5)
    others = [make.user(org=world["org"], role="trainee") for _ in range(3)]
    ids = [world["trainee"].id, *[o.id for o in others]]
    pathways = queries.pathways()
    estimates = queries.profiles(ids, world["org"].id)
    quick = services.eligible_ids(ids, world["org"].id, pathways, estimates)
    full = services.checklists(ids, world["org"].id, pathways, estimates)
    for index, pathway in enumerate(pathways):
        expected = {uid for uid in ids if full[uid][index].result.eligible}
        assert quick[pathway.key] == expected


def test_csv_cells_never_start_a_formula(client, world, make, login_as):
    make.user(org=world["org"], role="trainee", name="=HYPERLINK(\"http://x\")")
    login_as(world["admin"])
    rows = client.get("/competency/cohort.csv").get_data(as_text=True).splitlines()
    assert any(row.startswith("\"'=HYPERLINK") for row in rows), rows


def test_the_cohort_csv_refuses_another_organisations_cohort(client, world, make, login_as):
    """Issue 19, finding 7: a person in both organisations appeared in the other one's CSV."""
    other = make.org()
    shared = make.user(org=other, role="trainee", name="Shared Person")
    make.membership(shared, world["org"], "trainee")
    theirs = make.cohort(other, "Their intake", members=[shared])
    ours = make.cohort(world["org"], "Our intake", members=[world["trainee"]])
    login_as(world["admin"])
    assert client.get(f"/competency/cohort.csv?cohort={theirs.id}").status_code == 404
    assert client.get(f"/competency/cohort?cohort={theirs.id}").status_code == 404
    answer = client.get(f"/competency/cohort.csv?cohort={ours.id}")
    assert answer.status_code == 200
    assert world["trainee"].name in answer.get_data(as_text=True)


LINK_NAME = '<a href="https://evil.example/">Eve</a>'


def chart_data(html: str, target: str) -> dict:
    import json
    import re

    found = re.search(rf'data-target="{target}">(.*?)</script>', html, re.S)
    return json.loads(found.group(1))


def test_a_name_in_the_heatmap_is_text_not_a_link(client, world, make, login_as):
    """Issue 19, finding 11: Plotly made a live link of a trainee's name in the heatmap."""
    make.user(org=world["org"], role="trainee", name=LINK_NAME)
    login_as(world["admin"])
    heatmap = chart_data(client.get("/competency/cohort").get_data(as_text=True),
                         "chart-heatmap")
    names = heatmap["data"][0]["y"]
    assert "&lt;a href=\"https://evil.example/\"&gt;Eve&lt;/a&gt;" in names
    assert not any("<" in name for name in names)


def test_people_and_content_in_every_chart_are_escaped():
    from types import SimpleNamespace

    from trainer.charts.figures import profile_bars, profile_history, rater_agreement
    from trainer.itemanalysis.figures import facility_discrimination

    agreement = rater_agreement([LINK_NAME], [0.8], [0.9], 0.7, 0.8)
    assert agreement["data"][0]["x"] == ["&lt;a href=\"https://evil.example/\"&gt;Eve&lt;/a&gt;"]
    estimate = SimpleNamespace(title="<b>Risk</b>", estimate=0.5, level=2)
    bars = profile_bars([estimate], [{"min": 0.0}, {"min": 0.5}])["data"][0]
    assert bars["x"] == ["&lt;b&gt;Risk&lt;/b&gt;"] and bars["hovertext"] == bars["x"]
    from datetime import date

    history = profile_history([(date(2026, 1, 1), [estimate]), (date(2026, 1, 2), [estimate])])
    assert history["data"][0]["name"] == "&lt;b&gt;Risk&lt;/b&gt;"
    items = facility_discrimination([{"id": "<i>q1</i>", "facility": 0.5,
                                      "discrimination": 0.3, "flags": []}])
    assert items["data"][0]["text"] == ["&lt;i&gt;q1&lt;/i&gt;"]
