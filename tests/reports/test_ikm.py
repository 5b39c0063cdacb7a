"""IKM arithmetic (PermenPANRB 14/2017) against hand-computed values and the grade bands.

The default is the exact weight 1/9 offices publish with; ``OLD`` (0.111, the worked form's
rounded weight, ``[survey] weight = "0.111"``) must still give exactly the figures egovctl
printed before it, so those tests run with it.
"""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from egovctl.reports import ikm

OLD = ikm.OLD_WEIGHT


def spread(total: int, n: int) -> list[int]:
    """Nine per-unsur sums adding up to ``total`` for ``n`` respondents."""
    base, extra = divmod(total, 9)
    sums = [base + (1 if i < extra else 0) for i in range(9)]
    assert all(n <= s <= 4 * n for s in sums)
    return sums


def test_all_fours_give_100_grade_a() -> None:
    result = ikm.from_answers([[4] * 9] * 7)
    assert result.converted == Decimal("100.00")
    assert (result.grade, result.performance) == ("A", "Sangat Baik")
    data = result.as_dict()
    assert data["ikm"] == 100.0 and data["ikm_unconverted"] == 4.0
    assert data["nrr_weighted"]["U1"] == 0.444  # NRR / 9, rounded for reading only
    assert data["weight"] == "1/9"


def test_old_weight_all_fours_give_99_90_grade_a() -> None:
    result = ikm.from_answers([[4] * 9] * 7, weight=OLD)
    assert result.converted == Decimal("99.90")
    assert (result.grade, result.performance) == ("A", "Sangat Baik")
    data = result.as_dict()
    assert data["nrr"] == dict.fromkeys(ikm.UNSUR, 4.0)
    assert data["ikm"] == 99.9
    assert data["ikm_unconverted"] == 3.996
    assert data["weight"] == "0.111"


def test_all_ones_is_25_grade_d() -> None:
    result = ikm.from_answers([[1] * 9])
    assert result.converted == Decimal("25.00")
    assert result.grade == "D" and result.performance == "Tidak Baik"


def test_half_up_rounding_of_the_published_example() -> None:
    # DOMAIN.md: 25 respondents all 4 and 15 all 3: NRR 3.625 each, 90.625 → 90.63 (round()
    # would give 90.62, rounding half to even).
    result = ikm.from_answers([[4] * 9] * 25 + [[3] * 9] * 15)
    assert result.ikm_exact() == Fraction(29, 8)
    assert round(float(result.ikm_exact() * 25), 2) == 90.62
    assert result.converted == Decimal("90.63")
    assert result.as_dict()["ikm"] == 90.63 and result.grade == "A"


def test_old_weight_all_ones_is_grade_d() -> None:
    result = ikm.from_answers([[1] * 9], weight=OLD)
    assert result.converted == Decimal("24.98")  # 9 × 0.111 × 25 = 24.975
    assert result.grade == "D" and result.performance == "Tidak Baik"


def test_hand_computed_worksheet() -> None:
    # Four respondents, computed by hand the way the regulation's worksheet does:
    answers = [
        [4, 3, 3, 4, 3, 4, 4, 3, 2],
        [3, 3, 2, 4, 3, 3, 4, 3, 3],
        [4, 4, 3, 4, 4, 4, 4, 3, 3],
        [3, 2, 3, 4, 3, 3, 3, 2, 2],
    ]
    # sums: U1 14, U2 12, U3 11, U4 16, U5 13, U6 14, U7 15, U8 11, U9 10 (total 116)
    # NRR: 3.50 3.00 2.75 4.00 3.25 3.50 3.75 2.75 2.50
    # IKM = mean NRR = 116/36 = 3.2222; converted 80.555… → 80.56 → B Baik
    # (the old weight: 0.111 × 116/4 = 3.219; converted 80.475 → 80.48)
    exact = ikm.from_answers(answers)
    assert exact.ikm_exact() == Fraction(29, 9)
    assert exact.as_dict()["ikm"] == 80.56 and exact.grade == "B"
    assert exact.as_dict()["nrr_weighted"]["U1"] == 0.389  # 3.5 / 9 = 0.3888…
    result = ikm.from_answers(answers, weight=OLD)
    assert result.sums == (14, 12, 11, 16, 13, 14, 15, 11, 10)
    assert result.ikm_exact() == Fraction(3219, 1000)
    data = result.as_dict()
    assert data["respondents"] == 4
    assert data["nrr"] == {
        "U1": 3.5,
        "U2": 3.0,
        "U3": 2.75,
        "U4": 4.0,
        "U5": 3.25,
        "U6": 3.5,
        "U7": 3.75,
        "U8": 2.75,
        "U9": 2.5,
    }
    assert data["nrr_weighted"]["U1"] == 0.389  # 3.5 × 0.111 = 0.3885 → 0.389
    assert data["ikm"] == 80.48
    assert (data["grade"], data["performance"]) == ("B", "Baik")
    assert result.weakest() == "U9"


def test_nrr_rounding_of_thirds() -> None:
    exact = ikm.from_answers([[4] * 9, [3] * 9, [3] * 9])
    assert exact.converted == Decimal("83.33")  # 10/3 × 25 = 83.333…
    result = ikm.from_answers([[4] * 9, [3] * 9, [3] * 9], weight=OLD)
    assert result.as_dict()["nrr"]["U1"] == 3.33
    # 10/3 × 0.999 × 25 = 83.25 exactly
    assert result.converted == Decimal("83.25")


@pytest.mark.parametrize(
    ("n", "total", "expected", "grade"),
    [
        (11, 350, "88.30", "B"),  # 88.2954...
        (17, 541, "88.31", "A"),  # 88.3102...
        (38, 1049, "76.60", "C"),  # 76.6046...
        (23, 635, "76.61", "B"),  # 76.6141...
        (19, 445, "64.99", "D"),  # 64.9934...
        (26, 609, "65.00", "C"),  # 64.9990... rounds up to the C band
        (185, 5887, "88.31", "A"),  # exactly 88.305: half up, not to even (88.30 would be B)
        (185, 5107, "76.61", "B"),  # exactly 76.605
    ],
)
def test_old_weight_grade_boundaries(n: int, total: int, expected: str, grade: str) -> None:
    result = ikm.compute(n, spread(total, n), weight=OLD)
    assert result.converted == Decimal(expected)
    assert result.grade == grade


@pytest.mark.parametrize(
    ("n", "total", "expected", "grade"),
    [
        (19, 604, "88.30", "B"),  # 88.3040...
        (24, 763, "88.31", "A"),  # 88.3101...
        (26, 717, "76.60", "C"),  # 76.6025...
        (19, 524, "76.61", "B"),  # 76.6081...
        (38, 889, "64.99", "D"),  # 64.9853...
        (5, 117, "65.00", "C"),  # 65 exactly
    ],
)
def test_exact_weight_grade_boundaries(n: int, total: int, expected: str, grade: str) -> None:
    result = ikm.compute(n, spread(total, n))
    assert result.converted == Decimal(expected)
    assert result.grade == grade


def test_the_old_weight_can_drop_a_grade() -> None:
    # ISSUE #21: a true 88.31 ("A, Sangat Baik") reads 88.22 ("B, Baik") with 0.111.
    sums = spread(763, 24)
    assert (ikm.compute(24, sums).converted, ikm.compute(24, sums).grade) == (
        Decimal("88.31"),
        "A",
    )
    old = ikm.compute(24, sums, weight=OLD)
    assert (old.converted, old.grade) == (Decimal("88.22"), "B")


def test_unanswered_unsur_divide_by_those_who_answered() -> None:
    # Three respondents; one left U3 blank, another left U3 and U9 blank.
    answers: list[list[int | None]] = [
        [4, 4, 4, 4, 4, 4, 4, 4, 4],
        [3, 3, None, 3, 3, 3, 3, 3, 3],
        [2, 2, None, 2, 2, 2, 2, 2, None],
    ]
    result = ikm.from_answers(answers)
    assert result.respondents == 3
    assert result.answered == (3, 3, 1, 3, 3, 3, 3, 3, 2)
    data = result.as_dict()
    assert data["nrr"]["U1"] == 3.0 and data["nrr"]["U3"] == 4.0 and data["nrr"]["U9"] == 3.5
    # Mean of the nine NRR: (7 × 3 + 4 + 3.5) / 9 = 28.5 / 9 = 3.1666…; × 25 = 79.1666… → 79.17
    assert result.ikm_exact() == Fraction(57, 18)
    assert result.converted == Decimal("79.17")
    # The same from the database's sums and counts.
    same = ikm.compute(3, [9, 9, 4, 9, 9, 9, 9, 9, 7], [3, 3, 1, 3, 3, 3, 3, 3, 2])
    assert same.converted == Decimal("79.17")
    with pytest.raises(ValueError, match="impossible"):
        ikm.compute(3, [9] * 9, [3, 3, 1, 3, 3, 3, 3, 3, 3])


def test_an_unsur_nobody_answered_is_left_out() -> None:
    result = ikm.from_answers([[4, 4, 4, 4, 4, 4, 4, 4, None], [2, 2, 2, 2, 2, 2, 2, 2, None]])
    data = result.as_dict()
    assert data["nrr"]["U9"] is None and data["nrr_weighted"]["U9"] is None
    assert result.converted == Decimal("75.00")  # the eight answered share the weight
    assert result.weakest() == "U1"


@pytest.mark.parametrize(
    ("population", "sample"),
    [
        (10, 10),
        (50, 44),
        (100, 80),
        (200, 132),
        (300, 169),
        (500, 217),
        (1_000, 278),
        (2_000, 322),
        (5_000, 357),
        (10_000, 370),
        (100_000, 383),
        (1_000_000, 384),
        # between the table's rows, by the formula
        (150, 108),  # 108.07
        (250, 152),  # 151.7
        (750, 254),  # 254.4
        (1, 1),
        (0, 0),
    ],
)
def test_minimum_sample_krejcie_morgan(population: int, sample: int) -> None:
    assert ikm.min_sample(population) == sample


def test_weight_names() -> None:
    assert ikm.weight_from_name("1/9") == Fraction(1, 9)
    assert ikm.weight_from_name("0.111") == Fraction(111, 1000)
    with pytest.raises(ValueError):
        ikm.weight_from_name("0.11")


@pytest.mark.parametrize(
    ("value", "grade", "label"),
    [
        ("100.00", "A", "Sangat Baik"),
        ("88.31", "A", "Sangat Baik"),
        ("88.30", "B", "Baik"),
        ("76.61", "B", "Baik"),
        ("76.60", "C", "Kurang Baik"),
        ("65.00", "C", "Kurang Baik"),
        ("64.99", "D", "Tidak Baik"),
        ("25.00", "D", "Tidak Baik"),
        ("24.98", "D", "Tidak Baik"),
    ],
)
def test_grade_function(value: str, grade: str, label: str) -> None:
    assert ikm.grade(Decimal(value)) == (grade, label)


def test_exact_fraction_rounding() -> None:
    assert ikm.round_half_up(Fraction(88305, 1000)) == Decimal("88.31")
    assert ikm.round_half_up(Fraction(88304999, 1000000)) == Decimal("88.30")
    assert str(ikm.round_half_up(Fraction(7, 1))) == "7.00"


def test_no_respondents_is_not_a_division_by_zero() -> None:
    result = ikm.compute(0, [0] * 9)
    assert result.empty and result.converted is None and result.grade is None
    data = result.as_dict()
    assert data["respondents"] == 0 and data["ikm"] is None
    assert data["nrr"] == dict.fromkeys(ikm.UNSUR)
    assert data["message"] == "no survey answers in the period"


def test_combine_adds_sums_not_averages() -> None:
    a = ikm.from_answers([[4] * 9])
    b = ikm.from_answers([[2] * 9] * 3)
    both = ikm.combine([a, b])
    assert both.weight == ikm.EXACT_WEIGHT
    assert both.respondents == 4
    assert both.as_dict()["nrr"]["U1"] == 2.5  # (4 + 6) / 4, not (4 + 2) / 2


def test_impossible_sums_are_refused() -> None:
    with pytest.raises(ValueError, match="impossible"):
        ikm.compute(2, [9] + [4] * 8)
    with pytest.raises(ValueError, match="9 sums"):
        ikm.compute(1, [4] * 8)
