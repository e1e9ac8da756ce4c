"""Web security: CSRF on every form post, a new session at sign-in, no redirect off the site
after sign-in, and a Content-Security-Policy that the pages with charts keep to."""

import json
import re
from html import escape as html_escape
from html.parser import HTMLParser
from urllib.parse import urljoin, urlsplit

import pytest
from sqlalchemy import func, select

from tests.factories import DEFAULT_PASSWORD, good_rating
from trainer.auth.models import User
from trainer.content.services import DEFAULT_PATHS, sync_content
from trainer.curriculum.models import ModuleAttempt
from trainer.extensions import db
from trainer.orgs.models import Invitation, Membership
from trainer.scoring.engine import expert_key
from trainer.supervision.models import SessionRating
from trainer.vignettes.queries import catalogue
from trainer.vignettes.services import create_attempt

CSRF_ON = pytest.mark.options(WTF_CSRF_ENABLED=True)
HOSTILE = "</script><script>alert(1)</script><img src=x onerror=alert(2)>"


def csrf_token(html: str) -> str:
    return re.search(r'name="csrf_token" type="hidden" value="([^"]+)"', html).group(1)


def session_cookie(client) -> str | None:
    cookie = client.get_cookie("session")
    return cookie.value if cookie else None


def sign_in(client, user, token: str | None, next_url: str | None = None):
    data = {"email": user.email, "password": DEFAULT_PASSWORD}
    if token is not None:
        data["csrf_token"] = token
    return client.post("/login", data=data,
                       query_string={"next": next_url} if next_url is not None else None)


@pytest.fixture
def people(make):
    org = make.org(slug="org-a")
    people = {role: make.user(org=org, role=role) for role in ("trainee", "supervisor", "admin")}
    make.assign(org, people["supervisor"], people["trainee"])
    return {"org": org, **people}


# --- CSRF ---------------------------------------------------------------------------------

def _placeholder(converter) -> str:
    items = getattr(converter, "items", None)
    return sorted(items)[0] if items else "1"


def form_post_urls(app) -> list[tuple[str, str]]:
    """(endpoint, URL) of every route that takes a form POST (the API takes bearer tokens)."""
    urls = []
    for rule in app.url_map.iter_rules():
        if "POST" in rule.methods and not rule.endpoint.startswith("api."):
            path = re.sub(r"<(?:[^:<>]+:)?([^<>]+)>",
                          lambda m, r=rule: _placeholder(r._converters[m.group(1)]), rule.rule)
            urls.append((rule.endpoint, path))
    return sorted(urls)


@CSRF_ON
@pytest.mark.parametrize("role", ["anonymous", "trainee", "supervisor", "admin"])
def test_every_form_post_without_a_csrf_token_is_400(app, client, people, login_as, role):
    if role != "anonymous":
        login_as(people[role])
    urls = form_post_urls(app)
    assert len(urls) > 20
    for endpoint, url in urls:
        response = client.post(url, data={"anything": "1"})
        assert response.status_code == 400, (endpoint, url, response.status_code)
        assert "CSRF" in response.get_data(as_text=True) or response.is_json, endpoint


@CSRF_ON
def test_sign_in_without_a_token_signs_no_one_in(client, people):
    client.get("/login")
    response = sign_in(client, people["trainee"], token=None)
    assert response.status_code == 400
    assert client.get("/trainee").status_code == 302  # still signed out
    response = sign_in(client, people["trainee"], token="forged." + "A" * 40)
    assert response.status_code == 400
    assert client.get("/trainee").status_code == 302


@CSRF_ON
def test_a_module_check_without_a_token_records_no_attempt(client, people, login_as, make):
    make.module("mod-a")
    login_as(people["trainee"])
    assert client.get("/modules/mod-a/check").status_code == 200
    response = client.post("/modules/mod-a/check",
                           data={"q-0": "a", "q-1": ["a", "b"], "submission_key": "k1"})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(ModuleAttempt)) == 0


@CSRF_ON
def test_a_rating_form_without_a_token_saves_nothing(client, people, login_as, make):
    scale = make.scale()
    case = make.case(people["org"], people["trainee"], people["supervisor"])
    session_id = case.sessions[0].id
    login_as(people["supervisor"])
    form = {f"item-{k}": str(v) for k, v in good_rating(scale.data, "initial")["items"].items()}
    response = client.post(f"/supervision/sessions/{session_id}/rate",
                           data={**form, "global": "4", "action": "submit",
                                 "purpose": "formative"})
    assert response.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(SessionRating)) == 0


@CSRF_ON
def test_admin_forms_without_a_token_change_nothing(client, people, login_as):
    login_as(people["admin"])
    invite = client.post("/org/people", data={"email": "new@example.org", "role": "trainee",
                                              "name": "New Person"})
    assert invite.status_code == 400
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 0
    membership = db.session.scalar(select(Membership).where(
        Membership.user_id == people["trainee"].id))
    response = client.post(f"/org/memberships/{membership.id}/deactivate")
    assert response.status_code == 400
    db.session.refresh(membership)
    assert membership.active is True


@CSRF_ON
def test_the_same_admin_form_with_its_token_works(client, people, login_as):
    """The refusals above are CSRF, not something else: with the token the form goes through."""
    login_as(people["admin"])
    token = csrf_token(client.get("/org/people").get_data(as_text=True))
    response = client.post("/org/people", data={"email": "new@example.org", "role": "trainee",
                                                "name": "New Person", "csrf_token": token})
    assert response.status_code == 200
    assert db.session.scalar(select(func.count()).select_from(Invitation)) == 1


# --- session fixation ---------------------------------------------------------------------

@CSRF_ON
def test_sign_in_starts_a_new_session(client, people):
    token = csrf_token(client.get("/login").get_data(as_text=True))
    with client.session_transaction() as session:  # what an attacker could have planted
        session["planted"] = "by-someone-else"
        session["membership_id"] = 999
    planted = session_cookie(client)
    assert planted
    response = sign_in(client, people["trainee"], token)
    assert response.status_code == 303
    after = session_cookie(client)
    assert after and after != planted
    with client.session_transaction() as session:
        assert "planted" not in session and session.get("membership_id") != 999
        assert session["_user_id"].startswith(f"{people['trainee'].id}:")
    # the CSRF token of the session before sign-in is worthless now
    response = client.post("/logout", data={"csrf_token": token})
    assert response.status_code == 400


@CSRF_ON
def test_a_cookie_from_before_sign_in_is_not_signed_in(client, people):
    token = csrf_token(client.get("/login").get_data(as_text=True))
    before = session_cookie(client)
    assert sign_in(client, people["trainee"], token).status_code == 303
    assert client.get("/trainee").status_code == 200
    client.set_cookie("session", before)  # replay the pre-sign-in cookie
    assert client.get("/trainee").status_code == 302


def test_sign_out_ends_the_session_everywhere(client, people):
    assert sign_in(client, people["trainee"], token=None).status_code == 303
    stolen = session_cookie(client)
    client.post("/logout")
    client.set_cookie("session", stolen)
    assert client.get("/trainee").status_code == 302


# --- open redirects after sign-in ---------------------------------------------------------

OFF_SITE = [
    "https://evil.example/", "http://evil.example", "//evil.example", "///evil.example",
    "/\\evil.example", "\\\\evil.example", "/\\/evil.example", "javascript:alert(1)",
    "JaVaScRiPt:alert(1)", "data:text/html,<script>alert(1)</script>", "http:evil.example",
    "https:/evil.example", " //evil.example", "/\t/evil.example", "/\n/evil.example",
    "/\r/evil.example", "\t//evil.example", "/%09/evil.example", "%2F%2Fevil.example",
    "https://localhost@evil.example/", "//localhost@evil.example", "/\x00/evil.example",
    "//evil.example/%2e%2e", "\u3002//evil.example", "/\u2028/evil.example",
]


def lands_on(location: str) -> str:
    """Where a browser goes for a Location header: it drops tabs and newlines, trims
    control characters and spaces, and reads backslashes as slashes (WHATWG URL)."""
    cleaned = re.sub(r"[\t\n\r]", "", location).strip("\x00- ").replace("\\", "/")
    return urljoin("http://localhost/login", cleaned)


@pytest.mark.parametrize("target", OFF_SITE)
def test_next_never_leads_off_the_site(client, people, target):
    response = sign_in(client, people["trainee"], token=None, next_url=target)
    if "\x00" in target:  # refused before sign-in is even tried
        assert response.status_code == 400
        return
    assert response.status_code == 303
    destination = urlsplit(lands_on(response.headers["Location"]))
    assert destination.scheme == "http" and destination.netloc == "localhost", \
        response.headers["Location"]


@pytest.mark.parametrize("target", OFF_SITE[:8])
def test_the_sign_in_form_does_not_carry_an_off_site_next_anywhere(client, target):
    html = client.get("/login", query_string={"next": target}).get_data(as_text=True)
    action = re.search(r'<form method="post" action="([^"]*)"', html).group(1)
    assert urlsplit(lands_on(action.replace("&amp;", "&"))).netloc == "localhost"


def test_a_path_on_the_site_is_where_sign_in_returns(client, people):
    response = sign_in(client, people["trainee"], token=None, next_url="/modules/")
    assert response.headers["Location"] == "/modules/"


# --- Content-Security-Policy on the pages with charts -------------------------------------

class Scripts(HTMLParser):
    """Every <script> tag's attributes and text, and every on* attribute and javascript: URL."""

    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.scripts: list[dict] = []
        self.handlers: list[tuple[str, str]] = []
        self._inside: dict | None = None

    def handle_starttag(self, tag, attrs):
        attributes = dict(attrs)
        self.handlers += [(tag, name) for name, _ in attrs if name.startswith("on")]
        self.handlers += [(tag, name) for name, value in attrs
                          if name in ("href", "src", "action", "formaction") and value
                          and value.strip().lower().startswith("javascript:")]
        if tag == "script":
            self._inside = {**attributes, "text": ""}
            self.scripts.append(self._inside)

    def handle_data(self, data):
        if self._inside is not None:
            self._inside["text"] += data

    def handle_endtag(self, tag):
        if tag == "script":
            self._inside = None


EXECUTABLE = {None, "", "text/javascript", "application/javascript", "module"}


def check_csp(response) -> int:
    """The page's CSP allows no inline script; every executable <script> is the app's own file
    with this response's nonce; data blocks are JSON. Returns how many charts it holds."""
    assert response.status_code == 200
    assert "no-store" in response.headers["Cache-Control"]  # personal records: no shared cache
    csp = dict(part.strip().split(" ", 1) for part in
               response.headers["Content-Security-Policy"].split(";"))
    script_src = csp.get("script-src", csp["default-src"]).split()
    assert "'unsafe-inline'" not in script_src and "'unsafe-eval'" not in script_src
    assert "*" not in script_src and not any(s.startswith(("http:", "https:", "data:"))
                                             for s in script_src)
    (nonce,) = [s[len("'nonce-"):-1] for s in script_src if s.startswith("'nonce-")]
    parser = Scripts()
    parser.feed(response.get_data(as_text=True))
    assert parser.handlers == []
    charts = 0
    for script in parser.scripts:
        if script.get("type") in EXECUTABLE:
            src = urlsplit(script.get("src") or "")
            assert script.get("src") and not src.scheme and not src.netloc, script
            assert script.get("nonce") == nonce, script
            assert not script["text"].strip(), script
        else:  # a data block (browsers do not execute it): the chart's figure as JSON
            assert script["type"] == "application/json", script
            json.loads(script["text"])
            charts += 1
    return charts


@pytest.fixture
def charted(people, make, client):
    """Content, a trainee with a hostile name, vignette evidence and a case with measures,
    so that every chart has something to draw and a name to escape."""
    _, problems = sync_content(list(DEFAULT_PATHS))
    assert problems == []
    trainee = people["trainee"]
    trainee.name = HOSTILE
    db.session.commit()
    rows = [r for r in catalogue(None, people["org"].id, {})
            if all(s["kind"] != "text" for s in r.vignette.data["stages"])][:3]
    for row in rows:
        answers = {s["id"]: expert_key(s)[:1] if s["kind"] == "single" else expert_key(s)
                   for s in row.vignette.data["stages"]}
        create_attempt(trainee, people["org"].id, row.vignette, answers, None)
    case = make.case(people["org"], trainee, people["supervisor"], code="C-0099")
    db.session.commit()
    return {**people, "case_id": case.id}


@pytest.mark.parametrize(("who", "url"), [
    ("trainee", "/trainee"),
    ("admin", "/competency/cohort"),
    ("supervisor", "/competency/trainees/{trainee_id}"),
    ("trainee", "/cases/{case_id}"),
])
def test_pages_with_charts_run_only_the_apps_own_scripts(client, charted, login_as, who, url):
    login_as(charted[who])
    url = url.format(trainee_id=charted["trainee"].id, case_id=charted["case_id"])
    response = client.get(url)
    assert check_csp(response) >= 1, "the page should hold a chart"
    html = response.get_data(as_text=True)
    if url != "/trainee":  # the hostile name is shown, escaped, never as markup
        assert "<script>alert(1)" not in html and "<img src=x" not in html


def test_the_nonce_is_new_on_every_page(client, charted, login_as):
    login_as(charted["admin"])
    first = client.get("/competency/cohort").headers["Content-Security-Policy"]
    second = client.get("/competency/cohort").headers["Content-Security-Policy"]
    assert first != second


def test_a_hostile_name_cannot_close_the_chart_data_block(client, charted, login_as):
    login_as(charted["admin"])
    html = client.get("/competency/cohort").get_data(as_text=True)
    parser = Scripts()
    parser.feed(html)
    data = [json.loads(s["text"]) for s in parser.scripts if s.get("type") == "application/json"]
    # the figure holds the name as Plotly shows it literally (issue 19, finding 11)
    shown = html_escape(HOSTILE, quote=False)
    assert any(shown in json.dumps(figure, ensure_ascii=False) for figure in data)
    assert db.session.scalar(select(User.name).where(User.id == charted["trainee"].id)) == HOSTILE
