"""The community satisfaction index (IKM) as offices publish it (PermenPANRB 14/2017).

Pure arithmetic on the sums of the answers, so the database only has to add up (SUM and
COUNT per unsur, COUNT of respondents) and every figure can be checked by hand:

- NRR per unsur = sum of its answers / the respondents who answered that unsur;
- the nine unsur weigh the same and the weights sum to 1, so IKM (1-4 scale) = the mean of
  the nine NRR, and the weighted NRR shown is NRR/9; converted IKM = IKM × 25. An all-4
  survey gives 100.00, as the regulation's interval table (NI 4,00 ↔ IKM 100,00) says.
- ``OLD_WEIGHT`` (``[survey] weight = "0.111"``) is the rounded weight the regulation's worked
  form prints, for an office that must match figures it published with it: IKM = Σ NRR ×
  0.111, about 0.1 % low (all-4 gives 99.90, nine 1s give 24.98, still grade D).

Everything is carried as exact fractions; only the converted IKM is rounded, to 2 decimals
half up (90.625 → 90.63, where ``round()`` would give 90.62), and the grade is read from that
rounded value, so 88.305 is 88.31 and grade A. An unsur nobody answered is left out and the
others share its weight (the same proportion of 1 or of 0.999).

The minimum sample is Krejcie & Morgan's (the table PermenPANRB 14/2017 cites):
S = 3.841·N·0.25 / (0.0025(N−1) + 0.96025), rounded half up; N is the population, the
service users of the period.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field
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
EXACT_WEIGHT = Fraction(1, len(UNSUR))
OLD_WEIGHT = Fraction(111, 1000)
# How a weight is named in the config file, in JSON and on paper.
WEIGHT_NAMES = {EXACT_WEIGHT: "1/9", OLD_WEIGHT: "0.111"}
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


def weight_from_name(name: str) -> Fraction:
    """``"1/9"`` or ``"0.111"`` as a weight; ValueError for anything else."""
    for weight, known in WEIGHT_NAMES.items():
        if name.strip() == known:
            return weight
    raise ValueError(name)


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


def min_sample(population: int) -> int:
    """Krejcie & Morgan's minimum number of respondents for a population of ``population``."""
    if population < 0:
        raise ValueError("the population must be 0 or more")
    n = Fraction(population)
    size = (
        Fraction(3841, 1000)
        * n
        * Fraction(1, 4)
        / (Fraction(25, 10000) * (n - 1) + Fraction(96025, 100000))
    )
    return int(round_half_up(size, 0))


@dataclass(frozen=True)
class IkmResult:
    """The index of ``respondents`` answer sheets whose per-unsur sums are ``sums`` (U1..U9),
    ``answered`` of them answering each unsur (all of them when not given)."""

    respondents: int
    sums: tuple[int, ...]
    answered: tuple[int, ...] = ()
    weight: Fraction = field(default=EXACT_WEIGHT)

    def __post_init__(self) -> None:
        if not self.answered:
            object.__setattr__(self, "answered", (self.respondents,) * len(UNSUR))

    @property
    def empty(self) -> bool:
        return self.respondents == 0 or not any(self.answered)

    def nrr_exact(self) -> dict[str, Fraction | None] | None:
        """NRR per unsur (None for an unsur nobody answered), None without answers."""
        if self.empty:
            return None
        return {
            u: (Fraction(s, n) if n else None)
            for u, s, n in zip(UNSUR, self.sums, self.answered, strict=True)
        }

    def _shares(self) -> dict[str, Fraction]:
        """The weight of each answered unsur: the set weight, the unanswered ones' share
        spread evenly over the others."""
        nrr = self.nrr_exact() or {}
        answered = [u for u, v in nrr.items() if v is not None]
        scale = Fraction(len(UNSUR), len(answered)) if answered else Fraction(0)
        return dict.fromkeys(answered, self.weight * scale)

    def ikm_exact(self) -> Fraction | None:
        """The unconverted IKM (1-4 scale), exact."""
        nrr = self.nrr_exact()
        if nrr is None:
            return None
        shares = self._shares()
        return sum((v * shares[u] for u, v in nrr.items() if v is not None), Fraction(0))

    @property
    def converted(self) -> Decimal | None:
        """The converted IKM (25-100) rounded half up to 2 decimals, None without answers."""
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
        if nrr is None:
            return None
        known = {u: v for u, v in nrr.items() if v is not None}
        return min(known, key=lambda u: known[u])

    def as_dict(self) -> dict[str, Any]:
        """docs/ikm.md keys; NRR to 2 decimals as on the regulation's worksheet, the weighted NRR
        and the unconverted index to 3 and 4, for reading only (the IKM is computed exactly)."""
        nrr = self.nrr_exact() or {}
        shares = self._shares()
        raw = self.ikm_exact()
        weighted = {u: v * shares[u] for u, v in nrr.items() if v is not None}

        def shown(value: Fraction | None, places: int) -> float | None:
            return None if value is None else float(round_half_up(value, places))

        data: dict[str, Any] = {
            "respondents": self.respondents,
            "answered": dict(zip(UNSUR, self.answered, strict=True)),
            "nrr": {u: shown(nrr.get(u), 2) for u in UNSUR},
            "nrr_weighted": {u: shown(weighted.get(u), 3) for u in UNSUR},
            "ikm_unconverted": shown(raw, 4),
            "ikm": None if self.converted is None else float(self.converted),
            "grade": self.grade,
            "performance": self.performance,
            "weight": WEIGHT_NAMES[self.weight],
        }
        if self.empty:
            data["message"] = NO_ANSWERS
        return data


def compute(
    respondents: int,
    sums: Sequence[int],
    answered: Sequence[int] | None = None,
    *,
    weight: Fraction = EXACT_WEIGHT,
) -> IkmResult:
    """The IKM of ``respondents`` answer sheets given the sum of each unsur's answers (U1..U9)
    and, when some were left blank, how many answered each unsur."""
    if respondents < 0:
        raise ValueError("respondents must be 0 or more")
    if weight not in WEIGHT_NAMES:
        raise ValueError(f"the weight is 1/9 or 0.111, not {weight}")
    if len(sums) != len(UNSUR):
        raise ValueError(f"need {len(UNSUR)} sums (U1..U9), got {len(sums)}")
    counts = tuple(int(n) for n in answered) if answered is not None else (respondents,) * 9
    if len(counts) != len(UNSUR):
        raise ValueError(f"need {len(UNSUR)} answer counts (U1..U9), got {len(counts)}")
    totals = tuple(int(s) for s in sums)
    for unsur, total, n in zip(UNSUR, totals, counts, strict=True):
        if not 0 <= n <= respondents:
            raise ValueError(f"{unsur}: {n} answers from {respondents} respondents")
        if not MIN_SCORE * n <= total <= MAX_SCORE * n:
            raise ValueError(
                f"{unsur}: a sum of {total} is impossible for {n} "
                f"answers of {MIN_SCORE}-{MAX_SCORE}"
            )
    return IkmResult(respondents, totals, counts, weight)


def from_answers(
    answers: Sequence[Sequence[int | None]], *, weight: Fraction = EXACT_WEIGHT
) -> IkmResult:
    """The IKM of individual answer sheets (each nine scores U1..U9, None when left blank)."""
    sums = [0] * len(UNSUR)
    counts = [0] * len(UNSUR)
    for row in answers:
        if len(row) != len(UNSUR):
            raise ValueError(f"an answer needs {len(UNSUR)} scores, got {len(row)}")
        for i, score in enumerate(row):
            if score is not None:
                sums[i] += score
                counts[i] += 1
    return compute(len(answers), sums, counts, weight=weight)


def combine(results: Sequence[IkmResult], *, weight: Fraction | None = None) -> IkmResult:
    """One index over several groups: sums and counts add up (the averages do not)."""
    sums = [0] * len(UNSUR)
    counts = [0] * len(UNSUR)
    for r in results:
        for i in range(len(UNSUR)):
            sums[i] += r.sums[i]
            counts[i] += r.answered[i]
    if weight is None:
        weight = results[0].weight if results else EXACT_WEIGHT
    return IkmResult(sum(r.respondents for r in results), tuple(sums), tuple(counts), weight)
