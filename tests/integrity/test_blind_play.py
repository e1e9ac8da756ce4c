"""A guesser who knows no IPT passes nothing: blind strategies played over the shipped
content through the JSON API and through the pages' forms, as a trainee would."""

import re

import pytest

from trainer.content.models import Module
from trainer.content.services import DEFAULT_PATHS, sync_content
from trainer.curriculum.models import ModuleAttempt
from trainer.extensions import db
from trainer.scoring.engine import score_attempt
from trainer.vignettes.queries import vignette_by_key

STRATEGIES = ("first", "longest")


def pick(options: list[tuple[str, str]], strategy: str, count: int) -> list[str]:
    """`count` of the (id, label) options, as listed or longest first (ties as listed)."""
    if strategy == "longest":
        options = sorted(options, key=lambda option: -len(option[1]))
    return [oid for oid, _ in options[:count]]


@pytest.fixture
def shipped(app):
    _, problems = sync_content(list(DEFAULT_PATHS))
    assert problems == []
    db.session.commit()
    return db.session.query(Module).filter(Module.latest.is_(True)).all()


@pytest.fixture
def org(make):
    return make.org()


def unlock_every_module(trainee, org, modules) -> None:
    """A passed attempt on record for each module, so no check is locked by its
    prerequisites (the blind attempt itself is scored like any other)."""
    for module in modules:
        db.session.add(ModuleAttempt(
            user_id=trainee.id, organisation_id=org.id, module_id=module.id,
            module_key=module.key, module_version=module.version, answers={}, results={},
            score=1.0, passed=True, submission_key=f"unlock-{module.key}"))
    db.session.commit()


def passed_after_rating(vignette_key: str, answers: dict) -> bool:
    """Whether the attempt passes once its written answers get the lowest level (a guess)."""
    data = vignette_by_key(vignette_key).data
    levels = {s["id"]: 0 for s in data["stages"] if s["kind"] == "text"}
    return score_attempt(data, answers, levels).status == "passed"


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_blind_strategies_pass_no_vignette_through_the_api(client, make, org, shipped,
                                                           token_for, strategy):
    headers = token_for(make.user(org=org, role="trainee"))
    keys = [item["id"] for item in client.get("/api/v1/vignettes", headers=headers)
            .get_json()["items"]]
    assert len(keys) == 28
    passed = []
    for key in keys:
        detail = client.get(f"/api/v1/vignettes/{key}", headers=headers).get_json()
        answers = {stage["id"]: pick([(o["id"], o["label"]) for o in stage["options"]],
                                     strategy, stage["max_choices"])
                   if stage["kind"] != "text" else "I am not sure what I would do here."
                   for stage in detail["stages"]}
        attempt = client.post(f"/api/v1/vignettes/{key}/attempts", headers=headers,
                              json={"answers": answers}).get_json()
        if attempt["status"] == "passed" or (attempt["status"] == "pending"
                                             and passed_after_rating(key, answers)):
            passed.append(key)
    assert passed == []


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_blind_strategies_reach_no_pass_mark_through_the_api(client, make, org, shipped,
                                                             token_for, strategy):
    trainee = make.user(org=org, role="trainee")
    unlock_every_module(trainee, org, shipped)
    headers = token_for(trainee)
    passed = []
    for module in shipped:
        detail = client.get(f"/api/v1/modules/{module.key}", headers=headers).get_json()
        answers = {q["id"]: pick([(o["id"], o["label"]) for o in q["options"]], strategy,
                                 1 if q["kind"] == "single" else (len(q["options"]) + 1) // 2)
                   for q in detail["questions"]}
        result = client.post(f"/api/v1/modules/{module.key}/check", headers=headers,
                             json={"answers": answers})
        assert result.status_code == 201, result.get_json()
        if result.get_json()["passed"]:
            passed.append(module.key)
    assert len(shipped) == 16 and passed == []


OPTION = re.compile(r'<input[^>]*name="([a-z_0-9]+)"[^>]*type="(radio|checkbox)"[^>]*'
                    r'value="([a-z0-9-]+)"[^>]*>\s*<label[^>]*>([^<]*)</label>')


def form_options(html: str) -> dict[str, tuple[str, list[tuple[str, str]]]]:
    """Field name -> (input type, [(value, label)]) in the order the page shows them."""
    fields: dict[str, tuple[str, list]] = {}
    for name, kind, value, label in OPTION.findall(html):
        fields.setdefault(name, (kind, []))[1].append((value, label))
    return fields


def play_stage(client, key: str, number: int, strategy: str) -> None:
    html = client.get(f"/vignettes/{key}/stages/{number}").get_data(as_text=True)
    fields = form_options(html)
    if not fields:  # a text stage
        data = {"answer": "I am not sure what I would do here."}
    else:
        kind, options = fields["answer"]
        limit = re.search(r"Choose up to (\d+)", html)
        count = 1 if kind == "radio" else int(limit.group(1))
        data = {"answer": pick(options, strategy, count)}
    response = client.post(f"/vignettes/{key}/stages/{number}", data=data)
    assert response.status_code == 303, key


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_blind_strategies_pass_no_vignette_through_the_pages(client, make, org, shipped,
                                                             login_as, strategy):
    login_as(make.user(org=org, role="trainee"))
    catalogue = client.get("/vignettes/").get_data(as_text=True)
    keys = sorted(set(re.findall(r'href="/vignettes/([a-z0-9-]+)"', catalogue)))
    assert len(keys) == 28
    passed = []
    for key in keys:
        client.post(f"/vignettes/{key}/start")
        total = len(vignette_by_key(key).data["stages"])
        for number in range(1, total + 1):
            play_stage(client, key, number, strategy)
        review = client.get(f"/vignettes/{key}/review").get_data(as_text=True)
        token = re.search(r'name="token"[^>]*value="([0-9a-f]+)"', review).group(1)
        result = client.post(f"/vignettes/{key}/submit", data={"token": token})
        page = client.get(result.headers["Location"]).get_data(as_text=True)
        if '<span class="badge badge-ok">passed</span>' in page:
            passed.append(key)
    assert passed == []


@pytest.mark.parametrize("strategy", STRATEGIES)
def test_blind_strategies_reach_no_pass_mark_through_the_pages(client, make, org, shipped,
                                                               login_as, strategy):
    trainee = login_as(make.user(org=org, role="trainee"))
    unlock_every_module(trainee, org, shipped)
    passed = []
    for module in shipped:
        page = client.get(f"/modules/{module.key}/check").get_data(as_text=True)
        number = re.search(r'name="attempt_number"[^>]*value="(\d+)"', page).group(1)
        data = {"submission_key": f"blind-{module.key}", "attempt_number": number}
        for name, (kind, options) in form_options(page).items():
            data[name] = pick(options, strategy,
                              1 if kind == "radio" else (len(options) + 1) // 2)
        result = client.post(f"/modules/{module.key}/check", data=data)
        assert result.status_code == 303, module.key
        html = client.get(result.headers["Location"]).get_data(as_text=True)
        if '<span class="badge badge-ok">passed</span>' in html:
            passed.append(module.key)
    assert passed == []
