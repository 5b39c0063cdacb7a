"""The community satisfaction index (IKM), exactly as PermenPANRB 14/2017 computes it.

Pure arithmetic on the sums of the answers, so the database only has to add up (SUM per
unsur, COUNT of respondents) and every figure can be checked by hand:

- NRR per unsur = sum of its answers / respondents;
- weighted NRR = NRR × 0.111 (the regulation's rounded 1/9, which is why all-4 answers give
  99.90 and not 100);
- IKM = Σ weighted NRR (1-4 scale); converted IKM = IKM × 25.

Everything is carried as exact fractions; only the converted IKM is rounded, to 2 decimals
half up, and the grade is read from that rounded value, so 88.305 is 88.31 and grade A. The
regulation's bands start at 25.00, but nine answers of 1 give 24.975 → 24.98 (the weight is
under 1/9); such a value is still grade D.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal
from fractions import Fraction
from typing import Any

UNSUR = ("U1", "U2", "U3", "U4", "U5", "U6", "U7", "U8", "U9")
UNSUR_NAMES = {
    "U1": "Persyaratan",
    "U2": "Sistem, mekanisme, dan prosedur",
    "U3": "Waktu penyelesaian",
    "U4": "Biaya/tarif",
    "U5": "Produk spesifikasi jenis pelayanan",
    "U6": "Kompetensi pelaksana",
    "U7": "Perilaku pelaksana",
    "U8": "Sarana dan prasarana",
    "U9": "Penanganan pengaduan, saran dan masukan",
}
WEIGHT = Fraction(111, 1000)
CONVERSION = 25
MIN_SCORE, MAX_SCORE = 1, 4
# Lower bound of each band (converted IKM, 2 decimals) -> grade (mutu), performance (kinerja).
GRADES: tuple[tuple[Decimal, str, str], ...] = (
    (Decimal("88.31"), "A", "Sangat Baik"),
    (Decimal("76.61"), "B", "Baik"),
    (Decimal("65.00"), "C", "Kurang Baik"),
    (Decimal("0"), "D", "Tidak Baik"),
)
NO_ANSWERS = "no survey answers in the period"
TWO_PLACES = Decimal("0.01")


def round_half_up(value: Fraction, places: int = 2) -> Decimal:
    """An exact fraction rounded half up (away from zero for these positive values)."""
    scale = 10**places
    scaled = value * scale
    whole = scaled.numerator // scaled.denominator
    if scaled - whole >= Fraction(1, 2):
        whole += 1
    return Decimal(whole).scaleb(-places).quantize(Decimal(1).scaleb(-places))


def grade(converted: Decimal) -> tuple[str, str]:
    """(grade, performance) of a converted IKM already rounded to 2 decimals."""
    value = Decimal(converted).quantize(TWO_PLACES, rounding=ROUND_HALF_UP)
    for lower, letter, label in GRADES:
        if value >= lower:
            return letter, label
    return GRADES[-1][1], GRADES[-1][2]


@dataclass(frozen=True)
class IkmResult:
    """The index of ``respondents`` answers whose per-unsur sums are ``sums`` (U1..U9)."""

    respondents: int
    sums: tuple[int, ...]

    @property
    def empty(self) -> bool:
        return self.respondents == 0

    def nrr_exact(self) -> dict[str, Fraction] | None:
        if self.empty:
            return None
        return {u: Fraction(s, self.respondents) for u, s in zip(UNSUR, self.sums, strict=True)}

    def ikm_exact(self) -> Fraction | None:
        """The unconverted IKM (1-4 scale), exact."""
        nrr = self.nrr_exact()
        if nrr is None:
            return None
        return sum((v * WEIGHT for v in nrr.values()), Fraction(0))

    @property
    def converted(self) -> Decimal | None:
        """The converted IKM (25-100) rounded to 2 decimals, None without answers."""
        raw = self.ikm_exact()
        return None if raw is None else round_half_up(raw * CONVERSION)

    @property
    def grade(self) -> str | None:
        value = self.converted
        return None if value is None else grade(value)[0]

    @property
    def performance(self) -> str | None:
        value = self.converted
        return None if value is None else grade(value)[1]

    def weakest(self) -> str | None:
        """The unsur with the lowest NRR (the first such, when tied)."""
        nrr = self.nrr_exact()
        return None if nrr is None else min(UNSUR, key=lambda u: nrr[u])

    def as_dict(self) -> dict[str, Any]:
        """SPEC §7 keys; NRR to 2 decimals as on the regulation's worksheet, the weighted NRR
        and the unconverted index to 3 and 4, for checking by hand."""
        nrr = self.nrr_exact()
        raw = self.ikm_exact()
        data: dict[str, Any] = {
            "respondents": self.respondents,
            "nrr": {u: (None if nrr is None else float(round_half_up(nrr[u], 2))) for u in UNSUR},
            "nrr_weighted": {
                u: (None if nrr is None else float(round_half_up(nrr[u] * WEIGHT, 3)))
                for u in UNSUR
            },
            "ikm_unconverted": None if raw is None else float(round_half_up(raw, 4)),
            "ikm": None if self.converted is None else float(self.converted),
            "grade": self.grade,
            "performance": self.performance,
        }
        if self.empty:
            data["message"] = NO_ANSWERS
        return data


def compute(respondents: int, sums: Sequence[int]) -> IkmResult:
    """The IKM of ``respondents`` answers given the sum of each unsur's answers (U1..U9)."""
    if respondents < 0:
        raise ValueError("respondents must be 0 or more")
    if len(sums) != len(UNSUR):
        raise ValueError(f"need {len(UNSUR)} sums (U1..U9), got {len(sums)}")
    sums = tuple(int(s) for s in sums)
    for unsur, total in zip(UNSUR, sums, strict=True):
        if not MIN_SCORE * respondents <= total <= MAX_SCORE * respondents:
            raise ValueError(
                f"{unsur}: a sum of {total} is impossible for {respondents} "
                f"answers of {MIN_SCORE}-{MAX_SCORE}"
            )
    return IkmResult(respondents, sums)


def from_answers(answers: Sequence[Sequence[int]]) -> IkmResult:
    """The IKM of individual answers (each nine scores U1..U9)."""
    sums = [0] * len(UNSUR)
    for row in answers:
        if len(row) != len(UNSUR):
            raise ValueError(f"an answer needs {len(UNSUR)} scores, got {len(row)}")
        for i, score in enumerate(row):
            sums[i] += score
    return compute(len(answers), sums)


def combine(results: Sequence[IkmResult]) -> IkmResult:
    """One index over several groups: sums and respondents add up (the averages do not)."""
    sums = [0] * len(UNSUR)
    for r in results:
        for i, s in enumerate(r.sums):
            sums[i] += s
    return IkmResult(sum(r.respondents for r in results), tuple(sums))
