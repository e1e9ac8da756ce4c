"""The sweep: every registered route, for every kind of caller, answers as the table says.

A route missing from ROUTES fails the suite, so every new route states who may use it.
Callers: anonymous, a trainee, a supervisor and an admin of organisation A, and an admin of
organisation B (who must never see A's objects: 404, not 403).
"""

import pytest
from sqlalchemy import select

from tests.factories import DEFAULT_PASSWORD
from trainer.curriculum.models import ModuleAttempt
from trainer.extensions import db
from trainer.orgs.models import Invitation, Membership
from trainer.orgs.services import create_invitation
from trainer.vignettes.services import create_attempt

CALLERS = ("anon", "trainee", "supervisor", "admin", "other")


def row(anon, trainee, supervisor, admin, other):
    return dict(zip(CALLERS, (anon, trainee, supervisor, admin, other), strict=True))


# endpoint: (method, url pattern, expected status per caller)
ROUTES = {
    "auth.login": ("GET", "/login", row(200, 302, 302, 302, 302)),
    "auth.logout": ("POST", "/logout", row(302, 303, 303, 303, 303)),
    "auth.change_password": ("GET", "/account/password", row(302, 200, 200, 200, 200)),
    "auth.login_code": ("GET", "/login/code", row(302, 302, 302, 302, 302)),
    "auth.two_factor": ("GET", "/account/two-factor", row(302, 200, 200, 200, 200)),
    "orgs.two_factor": ("POST", "/org/two-factor", row(302, 403, 403, 303, 303)),
    "auth.accept": ("GET", "/invite/{token}", row(200, 200, 200, 200, 200)),
    "home.index": ("GET", "/", row(302, 302, 302, 302, 302)),
    "home.trainee": ("GET", "/trainee", row(302, 200, 403, 403, 403)),
    "home.supervisor": ("GET", "/supervisor", row(302, 403, 200, 403, 403)),
    "home.admin": ("GET", "/admin", row(302, 403, 403, 200, 200)),
    "home.no_role": ("GET", "/welcome", row(302, 302, 302, 302, 302)),
    "home.switch": ("POST", "/switch", row(302, 404, 404, 404, 404)),
    "orgs.members": ("GET", "/org/people", row(302, 403, 403, 200, 200)),
    "orgs.revoke_invitation": ("POST", "/org/invitations/{invitation_id}/revoke",
                               row(302, 403, 403, 303, 404)),
    "orgs.set_active": ("POST", "/org/memberships/{membership_id}/deactivate",
                        row(302, 403, 403, 303, 404)),
    "orgs.cohorts": ("GET", "/org/cohorts", row(302, 403, 403, 200, 200)),
    "orgs.cohort": ("GET", "/org/cohorts/{cohort_id}", row(302, 403, 403, 200, 404)),
    "orgs.remove_cohort_member": ("POST", "/org/cohorts/{cohort_id}/members/{trainee_id}/remove",
                                  row(302, 403, 403, 303, 404)),
    "orgs.assignments": ("GET", "/org/supervision", row(302, 403, 403, 200, 200)),
    "orgs.remove_assignment": ("POST", "/org/supervision/{assignment_id}/remove",
                               row(302, 403, 403, 303, 404)),
    "orgs.audit": ("GET", "/org/audit", row(302, 403, 403, 200, 200)),
    "orgs.platform": ("GET", "/org/platform", row(302, 403, 403, 403, 403)),
    "curriculum.catalogue": ("GET", "/modules/", row(302, 200, 200, 200, 200)),
    "curriculum.module": ("GET", "/modules/{module}", row(302, 200, 200, 200, 200)),
    "curriculum.section": ("GET", "/modules/{module}/sections/1", row(302, 200, 200, 200, 200)),
    "curriculum.check": ("GET", "/modules/{module}/check", row(302, 200, 403, 403, 403)),
    "curriculum.attempt": ("GET", "/modules/attempts/{module_attempt_id}",
                           row(302, 200, 200, 200, 404)),
    "curriculum.trainee_progress": ("GET", "/modules/trainees/{trainee_id}",
                                    row(302, 403, 200, 200, 404)),
    "api.list_modules": ("GET", "/api/v1/modules", row(401, 200, 200, 200, 200)),
    "api.get_module": ("GET", "/api/v1/modules/{module}", row(401, 200, 200, 200, 200)),
    "api.submit_module_check": ("POST", "/api/v1/modules/{module}/check",
                                row(401, 422, 403, 403, 403)),
    "vignettes.catalogue": ("GET", "/vignettes/", row(302, 200, 200, 200, 200)),
    "vignettes.intro": ("GET", "/vignettes/{vignette}", row(302, 200, 200, 200, 200)),
    "vignettes.start": ("POST", "/vignettes/{vignette}/start", row(302, 303, 403, 403, 403)),
    "vignettes.stage": ("GET", "/vignettes/{vignette}/stages/1", row(302, 302, 403, 403, 403)),
    "vignettes.review": ("GET", "/vignettes/{vignette}/review", row(302, 302, 403, 403, 403)),
    "vignettes.submit": ("POST", "/vignettes/{vignette}/submit", row(302, 303, 403, 403, 403)),
    "vignettes.attempt": ("GET", "/vignettes/attempts/{vignette_attempt_id}",
                          row(302, 200, 200, 200, 404)),
    "vignettes.trainee_attempts": ("GET", "/vignettes/trainees/{trainee_id}",
                                   row(302, 403, 200, 200, 404)),
    "api.list_vignettes": ("GET", "/api/v1/vignettes", row(401, 200, 200, 200, 200)),
    "api.get_vignette": ("GET", "/api/v1/vignettes/{vignette}", row(401, 200, 200, 200, 200)),
    "api.submit_attempt": ("POST", "/api/v1/vignettes/{vignette}/attempts",
                           row(401, 422, 403, 403, 403)),
    "api.get_attempt": ("GET", "/api/v1/attempts/{vignette_attempt_id}",
                        row(401, 200, 200, 200, 404)),
    "cases.index": ("GET", "/cases/", row(302, 200, 200, 200, 200)),
    "cases.new": ("GET", "/cases/new", row(302, 200, 403, 403, 403)),
    "cases.detail": ("GET", "/cases/{case_id}", row(302, 200, 200, 200, 404)),
    "cases.consent": ("POST", "/cases/{case_id}/consent", row(302, 303, 403, 403, 403)),
    "cases.add_person": ("POST", "/cases/{case_id}/inventory", row(302, 303, 403, 403, 403)),
    "cases.add_event": ("POST", "/cases/{case_id}/timeline", row(302, 303, 403, 403, 403)),
    "cases.formulation": ("POST", "/cases/{case_id}/formulation",
                          row(302, 303, 403, 403, 403)),
    "cases.approve": ("POST", "/cases/{case_id}/formulation/approve",
                      row(302, 403, 303, 403, 403)),
    "cases.new_session": ("GET", "/cases/{case_id}/sessions/new", row(302, 200, 403, 403, 403)),
    "cases.session": ("GET", "/cases/sessions/{session_id}", row(302, 200, 200, 200, 404)),
    "cases.upload": ("POST", "/cases/sessions/{session_id}/recording",
                     row(302, 303, 403, 403, 403)),
    "cases.recording": ("GET", "/cases/sessions/{session_id}/recording",
                        row(302, 200, 200, 200, 404)),
    "cases.add_meeting": ("POST", "/cases/{case_id}/meetings", row(302, 303, 303, 403, 403)),
    "cases.confirm_meeting": ("POST", "/cases/meetings/{meeting_id}/confirm",
                              row(302, 403, 303, 403, 403)),
    "cases.sign_off": ("POST", "/cases/{case_id}/sign-off", row(302, 403, 303, 403, 403)),
    "cases.draw": ("POST", "/cases/{case_id}/draw", row(302, 403, 303, 403, 403)),
    "supervision.queue": ("GET", "/supervision/queue", row(302, 403, 200, 403, 403)),
    "supervision.rate": ("GET", "/supervision/sessions/{session_id}/rate",
                         row(302, 200, 200, 403, 403)),
    "supervision.rating": ("GET", "/supervision/ratings/{rating_id}",
                           row(302, 200, 200, 200, 404)),
    "supervision.correct": ("GET", "/supervision/ratings/{rating_id}/correct",
                            row(302, 403, 200, 403, 403)),
    "cases.add_member": ("POST", "/cases/{case_id}/members", row(302, 303, 403, 403, 403)),
    "cases.attendance": ("POST", "/cases/sessions/{session_id}/attendance",
                         row(302, 303, 403, 403, 403)),
    "web.plotly_js": ("GET", "/static/vendor/plotly.min.js", row(200, 200, 200, 200, 200)),
    "supervision.follow_ups": ("GET", "/supervision/follow-ups", row(302, 403, 200, 200, 200)),
    "supervision.close_follow_up": ("POST", "/supervision/follow-ups/{follow_up_id}/close",
                                    row(302, 403, 303, 403, 403)),
    "supervision.dismiss": ("POST", "/supervision/notifications/{notification_id}/dismiss",
                            row(302, 303, 404, 404, 404)),
    "api.create_case": ("POST", "/api/v1/cases", row(401, 422, 403, 403, 403)),
    "api.get_case": ("GET", "/api/v1/cases/{case_id}", row(401, 200, 200, 200, 404)),
    "api.create_session": ("POST", "/api/v1/cases/{case_id}/sessions",
                           row(401, 422, 403, 403, 404)),
    "api.upload_recording": ("PUT", "/api/v1/sessions/{session_id}/recording",
                             row(401, 422, 403, 403, 404)),
    "api.get_recording": ("GET", "/api/v1/sessions/{session_id}/recording",
                          row(401, 200, 200, 200, 404)),
    "api.create_rating": ("POST", "/api/v1/sessions/{session_id}/ratings",
                          row(401, 422, 422, 422, 404)),
    "competency.trainee": ("GET", "/competency/trainees/{trainee_id}",
                           row(302, 403, 200, 200, 404)),
    "competency.cohort": ("GET", "/competency/cohort", row(302, 403, 403, 200, 200)),
    "competency.cohort_csv": ("GET", "/competency/cohort.csv", row(302, 403, 403, 200, 200)),
    "competency.pathways": ("GET", "/competency/pathways", row(302, 403, 403, 200, 200)),
    "api.trainee_competencies": ("GET", "/api/v1/trainees/{trainee_id}/competencies",
                                 row(401, 200, 200, 200, 404)),
    "api.trainee_eligibility": ("GET", "/api/v1/trainees/{trainee_id}/eligibility/unknown",
                                row(401, 404, 404, 404, 404)),
    "certificates.index": ("GET", "/certificates", row(302, 200, 403, 200, 200)),
    "certificates.detail": ("GET", "/certificates/{certificate_id}",
                            row(302, 200, 404, 200, 404)),
    "certificates.issue": ("POST", "/certificates/issue", row(302, 403, 403, 302, 302)),
    "certificates.revoke": ("POST", "/certificates/{certificate_id}/revoke",
                            row(302, 403, 403, 422, 404)),
    "certificates.renew": ("POST", "/certificates/{certificate_id}/renew",
                           row(302, 403, 403, 302, 404)),
    "certificates.pdf": ("GET", "/certificates/{certificate_id}/certificate.pdf",
                         row(302, 200, 404, 200, 404)),
    "certificates.download": ("GET", "/certificates/{certificate_id}/credential.jwt",
                              row(302, 200, 404, 200, 404)),
    "public.verify": ("GET", "/verify/{certificate_id}", row(200, 200, 200, 200, 200)),
    "public.issuer": ("GET", "/issuers/org-a", row(200, 200, 200, 200, 200)),
    "public.status_list": ("GET", "/issuers/org-a/status/revocation",
                           row(200, 200, 200, 200, 200)),
    "public.jwks": ("GET", "/.well-known/jwks.json", row(200, 200, 200, 200, 200)),
    "public.pathway": ("GET", "/pathways/test-pathway", row(200, 200, 200, 200, 200)),
    "public.competencies": ("GET", "/competencies/none-loaded", row(404, 404, 404, 404, 404)),
    "api.issue_certificate": ("POST", "/api/v1/certificates", row(401, 403, 403, 422, 422)),
    "api.get_certificate": ("GET", "/api/v1/certificates/{certificate_id}",
                            row(401, 200, 404, 200, 404)),
    "api.revoke_certificate": ("POST", "/api/v1/certificates/{certificate_id}/revoke",
                               row(401, 403, 404, 422, 404)),
    "api.certificate_credential": ("GET", "/api/v1/certificates/{certificate_id}/credential",
                                   row(200, 200, 200, 200, 200)),
    "api.verify_certificate": ("GET", "/api/v1/verify/{certificate_id}",
                               row(200, 200, 200, 200, 200)),
    "competency.xapi": ("GET", "/competency/xapi", row(302, 403, 403, 200, 200)),
    "api.organisation_xapi": ("GET", "/api/v1/organisations/{slug}/xapi",
                              row(401, 403, 403, 200, 404)),
    # item analysis: every organisation admin sees their own organisation's attempts
    "itemanalysis.index": ("GET", "/item-analysis/", row(302, 403, 403, 200, 200)),
    "itemanalysis.detail": ("GET", "/item-analysis/checks/{module}",
                            row(302, 403, 403, 200, 200)),
    "itemanalysis.detail_csv": ("GET", "/item-analysis/vignettes/{vignette}.csv",
                                row(302, 403, 403, 200, 200)),
    "api.check_item_analysis": ("GET", "/api/v1/item-analysis/checks/{module}",
                                row(401, 403, 403, 200, 200)),
    "api.vignette_item_analysis": ("GET", "/api/v1/item-analysis/vignettes/{vignette}",
                                   row(401, 403, 403, 200, 200)),
    "supervision.text_answers": ("GET", "/supervision/text-answers",
                                 row(302, 403, 200, 403, 403)),
    "supervision.rate_text": ("GET", "/supervision/text-answers/{vignette_attempt_id}",
                              row(302, 403, 200, 403, 403)),
    "calibration.index": ("GET", "/calibration/", row(302, 403, 200, 200, 200)),
    "calibration.new": ("GET", "/calibration/new", row(302, 403, 403, 200, 200)),
    "calibration.recording": ("GET", "/calibration/gold/{gold_id}/recording",
                              row(302, 403, 200, 200, 404)),
    "calibration.rate": ("GET", "/calibration/gold/{gold_id}/rate", row(302, 403, 200, 403, 403)),
    "calibration.result": ("GET", "/calibration/gold/{gold_id}/result",
                           row(302, 403, 302, 403, 403)),
    "calibration.platform_new": ("GET", "/calibration/platform/new",
                                 row(302, 403, 403, 403, 403)),
    "calibration.settings": ("POST", "/calibration/settings", row(302, 403, 403, 303, 303)),
    "calibration.second": ("GET", "/calibration/second/{double_id}",
                           row(302, 403, 404, 403, 403)),
    "calibration.second_recording": ("GET", "/calibration/second/{double_id}/recording",
                                     row(302, 403, 404, 403, 403)),
    "web.static": ("GET", "/static/css/app.css", row(200, 200, 200, 200, 200)),
    "api.create_token": ("POST", "/api/v1/tokens", row(422, 422, 422, 422, 422)),
    "api.revoke_current_token": ("DELETE", "/api/v1/tokens/current",
                                 row(401, 204, 204, 204, 204)),
    "api.me": ("GET", "/api/v1/me", row(401, 200, 200, 200, 200)),
    "api.organisation_members": ("GET", "/api/v1/organisations/{slug}/members",
                                 row(401, 403, 403, 200, 404)),
    "api.openapi_document": ("GET", "/api/v1/openapi.json", row(200, 200, 200, 200, 200)),
}


def test_every_route_is_in_the_sweep_table(app):
    registered = {rule.endpoint for rule in app.url_map.iter_rules()}
    missing = registered - set(ROUTES)
    assert not missing, f"add these routes to the sweep table: {sorted(missing)}"
    assert not set(ROUTES) - registered, "the table names routes that no longer exist"


@pytest.fixture
def world(make):
    org_a, org_b = make.org(slug="org-a"), make.org(slug="org-b")
    people = {
        "trainee": make.user(org=org_a, role="trainee"),
        "supervisor": make.user(org=org_a, role="supervisor"),
        "admin": make.user(org=org_a, role="admin"),
        "other": make.user(org=org_b, role="admin"),
    }
    assignment = make.assign(org_a, people["supervisor"], people["trainee"])
    cohort = make.cohort(org_a, members=[people["trainee"]])
    plain, invitation = create_invitation(people["admin"], org_a, "invitee@example.org",
                                          "trainee")
    module = make.module("mod-a")
    module_attempt = ModuleAttempt(user_id=people["trainee"].id, organisation_id=org_a.id,
                                   module_id=module.id, module_key=module.key, module_version=1,
                                   answers={}, results={}, score=1.0, passed=True,
                                   submission_key="sweep")
    db.session.add(module_attempt)
    vignette = make.vignette("vig-a")
    vignette_attempt = create_attempt(people["trainee"], org_a.id, vignette,
                                      {"focus": ["grief"], "risk": ["ask", "plan"],
                                       "reflect": "A formulation."}, None)
    case_ids = make.case_with_rating(org_a, people["trainee"], people["supervisor"])
    gold = make.gold(org_a, people["admin"])
    double = make.double_rating(org_a, case_ids["rating_id"],
                                make.user(org=org_a, role="supervisor"))
    make.pathway()
    certificate = make.certificate(org_a, people["trainee"], people["admin"])
    db.session.commit()
    membership = db.session.scalar(select(Membership).where(
        Membership.user_id == people["trainee"].id))
    params = {
        "token": plain, "invitation_id": invitation.id, "membership_id": membership.id,
        "cohort_id": cohort.id, "trainee_id": people["trainee"].id,
        "assignment_id": assignment.id, "slug": "org-a", "module": "mod-a",
        "module_attempt_id": module_attempt.id, "vignette": "vig-a",
        "vignette_attempt_id": vignette_attempt.id, **case_ids, "gold_id": gold.id,
        "double_id": double.id, "certificate_id": certificate.id,
    }
    return people, params


@pytest.mark.parametrize("caller", CALLERS)
@pytest.mark.parametrize("endpoint", sorted(ROUTES))
def test_route_answers_each_caller_as_expected(client, world, login_as, endpoint, caller):
    people, params = world
    method, pattern, expected = ROUTES[endpoint]
    url = pattern.format(**params)
    headers = {}
    if caller != "anon":
        if url.startswith("/api/"):
            token = client.post("/api/v1/tokens", json={"email": people[caller].email,
                                                        "password": DEFAULT_PASSWORD})
            headers["Authorization"] = f"Bearer {token.get_json()['token']}"
        else:
            login_as(people[caller])
    response = client.open(url, method=method, headers=headers,
                           json={} if url.startswith("/api/") and method != "GET" else None)
    response.close()  # static files stream from an open file
    assert response.status_code == expected[caller], (endpoint, caller, url)
    if expected[caller] == 404 and caller == "other" and endpoint.startswith("orgs."):
        # another organisation's object is untouched
        invitation = db.session.get(Invitation, params["invitation_id"])
        db.session.refresh(invitation)
        assert invitation.revoked_at is None
