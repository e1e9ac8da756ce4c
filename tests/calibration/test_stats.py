"""Agreement statistics: ICC against Shrout & Fleiss (1979), and the spec's calibration rule."""

import dataclasses

import pytest

from trainer.calibration.stats import (
    Agreement,
    PairAgreement,
    Thresholds,
    agreement,
    bias,
    bland_altman,
    calibration_status,
    icc_1_1,
    icc_2_1,
    icc_3_1,
    item_disagreement,
    item_pairs,
    mean_squares,
    pairwise_agreement,
    within_one,
)

# Shrout & Fleiss (1979), Table 2: 6 targets rated by 4 judges.
SHROUT_FLEISS = [
    [9, 2, 5, 8],
    [6, 1, 3, 2],
    [8, 4, 6, 8],
    [7, 1, 2, 6],
    [10, 5, 6, 9],
    [6, 2, 4, 7],
]


# --- ICC -------------------------------------------------------------------------------------


def test_mean_squares_match_shrout_fleiss_table_3():
    ms = mean_squares(SHROUT_FLEISS)
    assert (ms.n, ms.k) == (6, 4)
    assert float(ms.rows) == pytest.approx(11.24, abs=5e-3)
    assert float(ms.columns) == pytest.approx(32.49, abs=5e-3)
    assert float(ms.error) == pytest.approx(1.02, abs=5e-3)
    assert float(ms.within) == pytest.approx(6.26, abs=5e-3)


@pytest.mark.parametrize(
    ("icc", "published", "value"),
    [
        (icc_2_1, 0.29, 0.2898),
        (icc_3_1, 0.71, 0.7148),
        (icc_1_1, 0.17, 0.1657),
    ],
)
def test_icc_matches_shrout_fleiss_worked_example(icc, published, value):
    result = icc(SHROUT_FLEISS)
    assert round(result, 2) == published
    assert result == pytest.approx(value, abs=5e-4)


@pytest.mark.parametrize(
    ("matrix", "expected"),
    [
        pytest.param([[1, 1], [2, 2], [3, 3]], 1.0, id="perfect-agreement"),
        pytest.param([[2, 1], [3, 2], [4, 3], [5, 4], [6, 5]], 5 / 6, id="constant-offset"),
        pytest.param([[3, 3], [1, 2], [2, 3], [4, 4]], 0.8, id="hand-computed"),
        pytest.param([[1, 2], [2, 1], [1, 2], [2, 1]], -2.0, id="crossed-scores-go-negative"),
        pytest.param([[1.5, 1.5], [2.5, 2.5]], 1.0, id="floats"),
    ],
)
def test_icc_2_1_values(matrix, expected):
    assert icc_2_1(matrix) == pytest.approx(expected)


def test_constant_offset_lowers_absolute_agreement_but_not_consistency():
    matrix = [[2, 1], [3, 2], [4, 3], [5, 4], [6, 5]]
    pairs = [tuple(row) for row in matrix]
    assert icc_2_1(matrix) < 1.0
    assert icc_3_1(matrix) == pytest.approx(1.0)
    assert within_one(pairs) == 1.0
    assert bias(pairs) == 1.0


@pytest.mark.parametrize("icc", [icc_2_1, icc_3_1, icc_1_1])
@pytest.mark.parametrize(
    "matrix",
    [
        pytest.param([[3, 3], [3, 3], [3, 3]], id="identical-scores"),
        pytest.param([[0.1, 0.1, 0.1]] * 4, id="identical-float-scores"),
        pytest.param([[1, 2]], id="one-target"),
        pytest.param([[1], [2], [3]], id="one-rater"),
        pytest.param([], id="no-targets"),
        pytest.param([[], []], id="no-raters"),
    ],
)
def test_icc_is_none_when_undefined(icc, matrix):
    assert icc(matrix) is None


def test_icc_2_1_is_none_for_2_by_2_matrix_without_target_or_rater_spread():
    assert icc_2_1([[1, 2], [2, 1]]) is None


def test_icc_rejects_missing_scores():
    with pytest.raises(ValueError, match="every target"):
        icc_2_1([[1, 2], [3]])


# --- within one, bias, Bland–Altman ----------------------------------------------------------


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ([(3, 3), (3, 4), (3, 5), (0, 2)], 0.5),
        ([(1, 2)], 1.0),
        ([(4, 2), (0, 3)], 0.0),
        ([(2.5, 1.5), (2.5, 1.0)], 0.5),
        ([], None),
    ],
)
def test_within_one(pairs, expected):
    assert within_one(pairs) == expected


@pytest.mark.parametrize(
    ("pairs", "expected"),
    [
        ([(3, 2), (4, 2), (2, 3)], 2 / 3),
        ([(1, 3)], -2.0),
        ([(2, 2), (3, 3)], 0.0),
        ([], None),
    ],
)
def test_bias_is_mean_of_rater_minus_reference(pairs, expected):
    assert bias(pairs) == (None if expected is None else pytest.approx(expected))


def test_bland_altman_hand_computed():
    result = bland_altman([(3, 2), (5, 3), (4, 4)])
    assert result["means"] == [2.5, 4.0, 4.0]
    assert result["differences"] == [1, 2, 0]
    assert result["mean_difference"] == 1.0
    assert result["sd_difference"] == 1.0
    assert result["lower_limit"] == pytest.approx(-0.96)
    assert result["upper_limit"] == pytest.approx(2.96)


@pytest.mark.parametrize(
    ("pairs", "mean_difference"),
    [([(3, 1)], 2.0), ([], None)],
)
def test_bland_altman_has_no_limits_below_two_pairs(pairs, mean_difference):
    result = bland_altman(pairs)
    assert result["mean_difference"] == mean_difference
    assert result["sd_difference"] is None
    assert result["lower_limit"] is None
    assert result["upper_limit"] is None
    assert len(result["means"]) == len(result["differences"]) == len(pairs)


# --- agreement over gold-standard recordings -------------------------------------------------

RATINGS = [
    ({"a": 3, "b": 2, "c": None}, {"a": 3, "b": 3, "c": 4}),
    ({"a": 1, "b": 4, "d": 2}, {"a": 2, "b": 4, "c": 1}),
]


def test_item_pairs_keep_only_items_rated_by_both():
    assert item_pairs(RATINGS) == {"a": [(3, 3), (1, 2)], "b": [(2, 3), (4, 4)]}


def test_agreement_over_items_rated_by_both():
    result = agreement(RATINGS)
    assert result == Agreement(
        icc=pytest.approx(0.8), within_one=1.0, bias=-0.5, items=4, recordings=2
    )


@pytest.mark.parametrize(
    ("ratings", "expected"),
    [
        ([], Agreement(None, None, None, items=0, recordings=0)),
        ([({"a": None}, {"a": 3})], Agreement(None, None, None, items=0, recordings=1)),
        ([({"a": 3}, {"a": 2})], Agreement(None, 1.0, 1.0, items=1, recordings=1)),
        ([({"a": 3, "b": 3}, {"a": 3, "b": 3})], Agreement(None, 1.0, 0.0, items=2, recordings=1)),
    ],
)
def test_agreement_edge_cases(ratings, expected):
    assert agreement(ratings) == expected


# --- calibration status ----------------------------------------------------------------------


def status(icc=0.85, within=0.9, offset=0.2, recordings=3, thresholds=None):
    a = Agreement(icc=icc, within_one=within, bias=offset, items=30, recordings=recordings)
    return calibration_status(a, thresholds or Thresholds())


def test_thresholds_default_to_the_spec():
    assert Thresholds() == Thresholds(icc=0.70, within_one=0.80, bias=0.5, min_recordings=3)
    with pytest.raises(dataclasses.FrozenInstanceError):
        Thresholds().icc = 0.5


@pytest.mark.parametrize(
    "kwargs",
    [
        pytest.param({}, id="comfortably"),
        pytest.param({"icc": 0.70, "within": 0.80, "offset": 0.5}, id="on-every-threshold"),
        pytest.param({"offset": -0.5, "recordings": 7}, id="negative-bias-on-threshold"),
    ],
)
def test_calibrated_when_every_condition_holds(kwargs):
    assert status(**kwargs) == (True, [])


@pytest.mark.parametrize(
    ("kwargs", "reason"),
    [
        ({"recordings": 1}, "3 gold-standard recordings needed, 1 rated"),
        ({"icc": 0.62}, "ICC 0.62 below 0.70"),
        ({"icc": -0.15}, "ICC -0.15 below 0.70"),
        ({"icc": 0.6996}, "ICC 0.6996 below 0.70"),
        ({"icc": None}, "ICC cannot be computed: too few items rated or no spread in the scores"),
        ({"within": 0.75}, "within one point 75% below 80%"),
        ({"within": 0.799}, "within one point 79.9% below 80%"),
        ({"within": None}, "within one point cannot be computed: no items rated by both"),
        ({"offset": 0.7}, "bias +0.70 beyond ±0.5"),
        ({"offset": -0.8}, "bias -0.80 beyond ±0.5"),
        ({"offset": 0.504}, "bias +0.504 beyond ±0.5"),
        ({"offset": None}, "bias cannot be computed: no items rated by both"),
    ],
)
def test_each_unmet_condition_gives_its_reason(kwargs, reason):
    assert status(**kwargs) == (False, [reason])


def test_every_unmet_condition_is_listed_in_order():
    assert status(icc=0.62, within=0.75, offset=0.7, recordings=1) == (
        False,
        [
            "3 gold-standard recordings needed, 1 rated",
            "ICC 0.62 below 0.70",
            "within one point 75% below 80%",
            "bias +0.70 beyond ±0.5",
        ],
    )


@pytest.mark.parametrize(
    ("thresholds", "kwargs", "expected"),
    [
        (
            Thresholds(icc=0.8, within_one=0.9, bias=0.25, min_recordings=5),
            {"icc": 0.75, "within": 0.85, "offset": 0.3, "recordings": 4},
            (
                False,
                [
                    "5 gold-standard recordings needed, 4 rated",
                    "ICC 0.75 below 0.80",
                    "within one point 85% below 90%",
                    "bias +0.30 beyond ±0.25",
                ],
            ),
        ),
        (
            Thresholds(min_recordings=1),
            {"recordings": 0},
            (False, ["1 gold-standard recording needed, 0 rated"]),
        ),
        (
            Thresholds(icc=0.6, within_one=0.7, bias=1.0, min_recordings=2),
            {"icc": 0.62, "within": 0.75, "offset": 0.7, "recordings": 2},
            (True, []),
        ),
    ],
)
def test_thresholds_are_settable(thresholds, kwargs, expected):
    assert status(thresholds=thresholds, **kwargs) == expected


def test_close_rater_is_calibrated_and_far_rater_is_not():
    consensus = [{"q1": 1, "q2": 2, "q3": 3}, {"q1": 4, "q2": 5, "q3": 3}, {"q1": 2, "q2": 6}]
    close = [{"q1": 1, "q2": 3, "q3": 3}, {"q1": 4, "q2": 5, "q3": 2}, {"q1": 2, "q2": 6}]
    far = [{"q1": 4, "q2": 2, "q3": 6}, {"q1": 6, "q2": 6, "q3": 3}, {"q1": 5, "q2": 6}]
    close_agreement = agreement(list(zip(close, consensus, strict=True)))
    far_agreement = agreement(list(zip(far, consensus, strict=True)))
    assert close_agreement.icc == pytest.approx(148 / 155)
    assert calibration_status(close_agreement, Thresholds()) == (True, [])
    assert calibration_status(far_agreement, Thresholds()) == (
        False,
        ["ICC 0.45 below 0.70", "within one point 50% below 80%", "bias +1.50 beyond ±0.5"],
    )


# --- which items disagree most ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("pairs_by_item", "expected"),
    [
        (
            {"a": [(3, 3), (2, 2)], "b": [(1, 4), (2, 2)], "c": [(2, 3), (3, 2)], "d": []},
            [("b", 1.5), ("c", 1.0), ("a", 0.0)],
        ),
        ({"y": [(1, 2)], "x": [(2, 1)]}, [("x", 1.0), ("y", 1.0)]),
        ({}, []),
    ],
)
def test_item_disagreement_orders_largest_mean_absolute_difference_first(pairs_by_item, expected):
    assert item_disagreement(pairs_by_item) == expected


# --- Pairs of raters of one recording ---------------------------------------------------------

# By hand, for A = (2, 3, 4, 4) and B = (3, 3, 5, 3) over items p..s: grand mean 27/8;
# SS rows 35/8, SS columns 1/8, SS total 47/8, so SS error 11/8; MS rows 35/24, MS columns
# 3/24, MS error 11/24; ICC(2,1) = (35/24 - 11/24) / (35/24 + 11/24 + 2 (3/24 - 11/24) / 4)
# = 24/42 = 4/7. Every difference is at most 1: within one 1.0.
#
# For A = (1, 2, 3, 4) and B = A + 1: MS rows 10/3, MS columns 2, MS error 0; ICC(2,1) =
# (10/3) / (10/3 + 2 * 2 / 4) = 10/13, although every pair is within one point.
@pytest.mark.parametrize("scores, expected", [
    ({"A": {"p": 2, "q": 3, "r": 4, "s": 4}, "B": {"p": 3, "q": 3, "r": 5, "s": 3}},
     [("A", "B", 4 / 7, 1.0, 4)]),
    ({"A": {"p": 1, "q": 2, "r": 3, "s": 4}, "B": {"p": 2, "q": 3, "r": 4, "s": 5}},
     [("A", "B", 10 / 13, 1.0, 4)]),
    # The same scores: perfect agreement.
    ({"A": {"p": 2, "q": 3, "r": 4}, "B": {"p": 2, "q": 3, "r": 4}}, [("A", "B", 1.0, 1.0, 3)]),
    # Opposite ends on two items: a 2 x 2 matrix with no spread of items or raters has a
    # zero denominator (MS rows + MS columns), so no ICC; no pair within one.
    ({"A": {"p": 1, "q": 5}, "B": {"p": 5, "q": 1}}, [("A", "B", None, 0.0, 2)]),
    # N/A or missing on either side leaves the item out; one item left: no ICC.
    ({"A": {"p": 3, "q": None, "r": 4}, "B": {"p": 5, "q": 2}}, [("A", "B", None, 0.0, 1)]),
    # Nothing in common: neither figure.
    ({"A": {"p": None}, "B": {"q": 3}}, [("A", "B", None, None, 0)]),
    # No spread at all (every score the same): ICC undefined, within one 1.0.
    ({"A": {"p": 4, "q": 4}, "B": {"p": 4, "q": 4}}, [("A", "B", None, 1.0, 2)]),
    # Three raters: every pair once, in the order given. A-C over p, q, rows (1, 1), (2, 5):
    # MS rows 25/4, MS columns 9/4, MS error 9/4, ICC = 4 / (17/2) = 8/17; B-C likewise 8/13.
    ({"A": {"p": 1, "q": 2, "r": 3, "s": 4}, "B": {"p": 2, "q": 3, "r": 4, "s": 5},
      "C": {"p": 1, "q": 5, "r": None}},
     [("A", "B", 10 / 13, 1.0, 4), ("A", "C", 8 / 17, 0.5, 2), ("B", "C", 8 / 13, 0.5, 2)]),
    # One rater: no pairs.
    ({"A": {"p": 1}}, []),
])
def test_pairwise_agreement_hand_computed(scores, expected):
    result = pairwise_agreement(scores)
    assert [(p.first, p.second, p.within_one, p.items) for p in result] == \
        [(a, b, within, items) for a, b, _, within, items in expected]
    for pair, (*_, icc, _within, _items) in zip(result, expected, strict=True):
        assert pair.icc == (None if icc is None else pytest.approx(icc))
    assert all(isinstance(pair, PairAgreement) for pair in result)
