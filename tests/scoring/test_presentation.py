"""Drawn option orders and question draws: seeded, repeatable, new per attempt."""

import pytest

from trainer.scoring.presentation import (
    check_presentation,
    draw_questions,
    option_order,
    ordered,
    seed,
    vignette_order,
)

SECRET = "a-secret"
STAGE = {"id": "s1", "options": [{"id": c} for c in "abcdef"]}


def test_the_same_seed_gives_the_same_order_and_others_differ():
    first = option_order(STAGE, seed(SECRET, 1, "s1", 1))
    assert first == option_order(STAGE, seed(SECRET, 1, "s1", 1))
    orders = {tuple(option_order(STAGE, seed(SECRET, user, "s1", 1))) for user in range(20)}
    assert len(orders) > 10  # 720 orders: twenty trainees rarely share one
    assert sorted(first) == list("abcdef")


def test_the_seed_depends_on_the_secret():
    assert seed("one", 1, 2) != seed("two", 1, 2)
    assert seed("one", 1, 2) != seed("one", 1, 3)


def test_shuffle_false_keeps_file_order():
    assert option_order({**STAGE, "shuffle": False}, 12345) == list("abcdef")


def test_an_option_fixed_last_stays_last_whatever_the_seed():
    stage = {"id": "s", "options": [{"id": "none", "fixed": "last"}, *STAGE["options"]]}
    for number in range(30):
        assert option_order(stage, seed(SECRET, number))[-1] == "none"


def test_each_attempt_number_gets_its_own_order():
    stages = [STAGE, {"id": "t", "kind": "text"}]
    orders = [vignette_order(stages, SECRET, 7, 1, "vig", n) for n in range(1, 6)]
    assert all(set(o) == {"s1"} for o in orders)  # text stages have no order
    assert len({tuple(o["s1"]) for o in orders}) > 1
    assert vignette_order(stages, SECRET, 7, 1, "vig", 2) == orders[1]


def _pool(tags: dict[str, int]) -> dict:
    questions = []
    for tag, count in tags.items():
        questions += [{"id": f"{tag}-{i}", "competencies": [tag],
                       "options": [{"id": "a"}, {"id": "b"}]} for i in range(count)]
    return {"questions": questions}


@pytest.mark.parametrize("tags, ask, expected", [
    ({"x": 3, "y": 3, "z": 3}, 6, {"x": 2, "y": 2, "z": 2}),   # an even spread
    ({"x": 6, "y": 1}, 4, {"x": 3, "y": 1}),                   # y has only one
    ({"x": 2, "y": 2}, 3, None),                               # 2 + 1 either way
])
def test_a_draw_asks_ask_questions_spread_across_competencies(tags, ask, expected):
    check = {**_pool(tags), "ask": ask}
    for number in range(10):
        drawn = draw_questions(check, seed(SECRET, number))
        assert len(drawn) == ask and len({q["id"] for q in drawn}) == ask
        counts = {}
        for question in drawn:
            counts[question["competencies"][0]] = counts.get(question["competencies"][0], 0) + 1
        if expected:
            assert counts == expected
        else:
            assert sorted(counts.values()) == [1, 2]


def test_without_ask_every_question_is_asked_and_retakes_are_redrawn():
    check = {**_pool({"x": 5, "y": 4}), "ask": 6}
    draws = [tuple(check_presentation(check, SECRET, 3, 1, "mod", n)) for n in range(1, 6)]
    assert len(set(draws)) > 1
    assert check_presentation(check, SECRET, 3, 1, "mod", 2) == \
        check_presentation(check, SECRET, 3, 1, "mod", 2)
    whole = check_presentation(_pool({"x": 2}), SECRET, 3, 1, "mod", 1)
    assert sorted(whole) == ["x-0", "x-1"]


def test_ordered_lists_options_as_shown_and_keeps_unknown_ones_at_the_end():
    item = {"id": "q", "options": [{"id": "a"}, {"id": "b"}, {"id": "c"}]}
    assert [o["id"] for o in ordered(item, ["c", "a"])["options"]] == ["c", "a", "b"]
    assert ordered(item, None) is item
