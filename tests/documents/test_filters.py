"""Template filters that are more than a call to egovctl.formats (egovctl.documents.filters)."""

from __future__ import annotations

import pytest

from egovctl.documents.filters import markdown_html, position_title


@pytest.mark.parametrize(
    "title,unit,expected",
    [
        # The reviewer's case: a camat's title names the place, not "Kecamatan".
        ("Camat Manggar", "Kecamatan Manggar", "Camat Manggar"),
        ("CAMAT MANGGAR", "kecamatan manggar", "CAMAT MANGGAR"),
        ("Lurah Kelapa Kampit", "Kelurahan Kelapa Kampit", "Lurah Kelapa Kampit"),
        ("Bupati Belitung Timur", "Kabupaten Belitung Timur", "Bupati Belitung Timur"),
        ("Kepala Puskesmas Manggar", "UPTD Puskesmas Manggar", "Kepala Puskesmas Manggar"),
        ("Kepala Desa Lalang", "Desa Lalang", "Kepala Desa Lalang"),
        ("Kepala Dinas Sosial", "DINAS SOSIAL", "Kepala Dinas Sosial"),
        ("Kepala Dinas", "Dinas Sosial", "Kepala Dinas Sosial"),
        ("Kepala", "Dinas Sosial", "Kepala Dinas Sosial"),
        (
            "Kepala Badan Kepegawaian",
            "Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
            "Kepala Badan Kepegawaian dan Pengembangan Sumber Daya Manusia",
        ),
        # Another position in the unit keeps the unit after it.
        ("Kepala Bidang Sosial", "Dinas Sosial", "Kepala Bidang Sosial Dinas Sosial"),
        ("Sekretaris", "Dinas Sosial", "Sekretaris Dinas Sosial"),
        ("", "Dinas Sosial", "Dinas Sosial"),
        ("Sekretaris Daerah", None, "Sekretaris Daerah"),
    ],
)
def test_position_title_never_repeats_the_unit(title: str, unit: str | None, expected: str) -> None:
    assert position_title(title, unit) == expected


def test_bundled_agency_heads_sign_with_their_title_alone() -> None:
    import yaml

    from egovctl.resources import procedures_dir

    heads = [
        (doc["head"]["title"], doc["name"])
        for path in sorted(procedures_dir().glob("*.yaml"))
        for doc in yaml.safe_load_all(path.read_text("utf-8"))
        if doc and doc.get("kind") == "agency" and doc.get("head")
    ]
    assert ("Camat Manggar", "Kecamatan Manggar") in heads
    for title, unit in heads:
        assert position_title(title, unit) == title


def test_markdown_images_are_replaced_only_when_given() -> None:
    source = "![foto](foto.png) dan ![peta](peta.png)"

    html = str(markdown_html(source, {"foto.png": "data:image/png;base64,AAAA"}))
    assert 'src="data:image/png;base64,AAAA"' in html and 'src="peta.png"' in html
    assert str(markdown_html(source)).count('src="') == 2
