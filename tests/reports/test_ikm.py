"""IKM arithmetic (PermenPANRB 14/2017) against hand-computed values and the grade bands."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest

from egovctl.reports import ikm


def spread(total: int, n: int) -> list[int]:
    """Nine per-unsur sums adding up to ``total`` for ``n`` respondents."""
    base, extra = divmod(total, 9)
    sums = [base + (1 if i < extra else 0) for i in range(9)]
    assert all(n <= s <= 4 * n for s in sums)
    return sums


def test_all_fours_give_99_90_grade_a() -> None:
    result = ikm.from_answers([[4] * 9] * 7)
    assert result.converted == Decimal("99.90")
    assert (result.grade, result.performance) == ("A", "Sangat Baik")
    data = result.as_dict()
    assert data["nrr"] == dict.fromkeys(ikm.UNSUR, 4.0)
    assert data["ikm"] == 99.9
    assert data["ikm_unconverted"] == 3.996


def test_all_ones_is_grade_d() -> None:
    result = ikm.from_answers([[1] * 9])
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
    # IKM = 0.111 × 116/4 = 3.219; converted 80.475 → 80.48 → B Baik
    result = ikm.from_answers(answers)
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
    result = ikm.from_answers([[4] * 9, [3] * 9, [3] * 9])
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
def test_grade_boundaries_from_answers(n: int, total: int, expected: str, grade: str) -> None:
    result = ikm.compute(n, spread(total, n))
    assert result.converted == Decimal(expected)
    assert result.grade == grade


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
    assert both.respondents == 4
    assert both.as_dict()["nrr"]["U1"] == 2.5  # (4 + 6) / 4, not (4 + 2) / 2


def test_impossible_sums_are_refused() -> None:
    with pytest.raises(ValueError, match="impossible"):
        ikm.compute(2, [9] + [4] * 8)
    with pytest.raises(ValueError, match="9 sums"):
        ikm.compute(1, [4] * 8)
