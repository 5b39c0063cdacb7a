"""Charts for the HTML and PDF reports, drawn with matplotlib's SVG backend.

Each function returns one self-contained ``<svg>`` element to inline in a template: no
scripts, no external CSS, text kept as text (``svg.fonttype = none``) so it stays sharp and
searchable in the PDF, and ids salted with a fixed value so the same data gives the same
bytes. matplotlib is imported only here, and only when a report is written to HTML or PDF.
"""

from __future__ import annotations

import io
import re
from collections.abc import Mapping, Sequence
from typing import Any

GREEN, RED, AMBER, BLUE, GREY = "#2e7d32", "#c62828", "#ef8f00", "#1f5fa8", "#9e9e9e"
FONT = ["DejaVu Sans"]  # bundled with matplotlib, and the face the templates use
WIDTH_IN = 9.5  # fits an A4 landscape text block; the template scales it to 100 %
_SVG_START = re.compile(r"^.*?(<svg\b)", re.S)


def _figure(height_in: float) -> tuple[Any, Any]:
    # A bare Figure (no pyplot): no global state, no GUI backend; savefig picks the SVG one.
    from matplotlib.figure import Figure

    fig = Figure(figsize=(WIDTH_IN, height_in), dpi=72)
    ax = fig.add_subplot()
    ax.spines[["top", "right"]].set_visible(False)
    return fig, ax


def _svg(fig: Any) -> str:
    import matplotlib

    with matplotlib.rc_context(
        {"svg.fonttype": "none", "svg.hashsalt": "egovctl", "font.family": FONT, "font.size": 9}
    ):
        buf = io.StringIO()
        fig.savefig(buf, format="svg", bbox_inches="tight", metadata={"Date": None})
    # Drop the XML declaration and doctype: the SVG is inlined into HTML.
    return _SVG_START.sub(r"\1", buf.getvalue(), count=1)


def _style() -> Any:
    import matplotlib

    return matplotlib.rc_context({"font.family": FONT, "font.size": 9, "svg.fonttype": "none"})


def stacked_bars(
    labels: Sequence[str],
    series: Mapping[str, Sequence[float]],
    colors: Sequence[str],
    *,
    xlabel: str = "",
) -> str:
    """Horizontal stacked bars, one per label (top to bottom in the given order)."""
    with _style():
        n = max(len(labels), 1)
        fig, ax = _figure(0.7 + 0.24 * n)
        y = list(range(len(labels)))[::-1]
        left = [0.0] * len(labels)
        for (name, values), color in zip(series.items(), colors, strict=False):
            ax.barh(y, values, left=left, color=color, label=name, height=0.62)
            for i, v in enumerate(values):
                if v:
                    ax.text(
                        left[i] + v / 2,
                        y[i],
                        f"{v:g}",
                        ha="center",
                        va="center",
                        color="white",
                        fontsize=7.5,
                    )
            left = [a + b for a, b in zip(left, values, strict=True)]
        ax.set_yticks(y, labels)
        ax.set_xlabel(xlabel)
        ax.xaxis.get_major_locator().set_params(integer=True)
        ax.legend(loc="lower right", frameon=False, ncols=len(series), bbox_to_anchor=(1, 1.0))
        return _svg(fig)


def trend(points: Sequence[Mapping[str, Any]], unit: str) -> str:
    """Received (line) against finished on time and late (stacked bars) per day or month."""
    with _style():
        fig, ax = _figure(2.3)
        x = list(range(len(points)))
        on_time = [p["on_time"] for p in points]
        late = [p["late"] for p in points]
        ax.bar(x, on_time, color=GREEN, label="Selesai tepat waktu", width=0.7)
        ax.bar(x, late, bottom=on_time, color=RED, label="Selesai terlambat", width=0.7)
        ax.plot(
            x,
            [p["received"] for p in points],
            color=BLUE,
            marker="o",
            markersize=3,
            linewidth=1.4,
            label="Diterima",
        )
        if unit == "day":
            labels = [p["label"][8:] for p in points]  # day of month
            ax.set_xlabel("Tanggal")
        else:
            labels = [_month_label(p["label"]) for p in points]
            ax.set_xlabel("Bulan")
        step = max(1, len(x) // 16)
        ax.set_xticks(x[::step], labels[::step])
        ax.set_ylabel("Permohonan")
        ax.yaxis.get_major_locator().set_params(integer=True)
        ax.set_ylim(bottom=0)
        ax.legend(loc="upper left", frameon=False, ncols=3, bbox_to_anchor=(0, 1.16))
        return _svg(fig)


_MONTHS = ("Jan", "Feb", "Mar", "Apr", "Mei", "Jun", "Jul", "Agu", "Sep", "Okt", "Nov", "Des")


def _month_label(label: str) -> str:
    year, month = label.split("-")
    return f"{_MONTHS[int(month) - 1]} {year[2:]}"


def nrr_bars(nrr: Mapping[str, float | None], weakest: str | None, weight: str = "1/9") -> str:
    """NRR per unsur (U1..U9) on the 1-4 scale, the weakest element highlighted; ``weight``
    is the unsur weight's name ("1/9" or "0.111"), for the line of grade B."""
    with _style():
        fig, ax = _figure(2.6)
        names = list(nrr)
        values = [nrr[u] or 0 for u in names]
        colors = [RED if u == weakest else BLUE for u in names]
        bars = ax.bar(names, values, color=colors, width=0.6)
        for bar, v in zip(bars, values, strict=True):
            ax.text(
                bar.get_x() + bar.get_width() / 2,
                v + 0.05,
                f"{v:.2f}".replace(".", ","),
                ha="center",
                va="bottom",
                fontsize=8,
            )
        ax.set_ylim(1, 4.3)
        ax.set_yticks([1, 2, 3, 4])
        ax.set_ylabel("NRR (skala 1-4)")
        # The NRR at which every unsur alike would give grade B (76.61 converted).
        from egovctl.reports.ikm import CONVERSION, GRADES, UNSUR, weight_from_name

        good = float(GRADES[1][0]) / (CONVERSION * float(weight_from_name(weight)) * len(UNSUR))
        ax.axhline(
            good,
            color=GREY,
            linewidth=0.8,
            linestyle="--",
            label=f"batas mutu B ({good:.2f})".replace(".", ","),
        )
        ax.legend(loc="upper right", frameon=False, bbox_to_anchor=(1, 1.14))
        return _svg(fig)
