"""PDF layout (egovctl.documents.pdf): WeasyPrint's messages collected, its import without a
library search, garbage collection during layout."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest

from egovctl.documents.render import Renderer


@pytest.fixture(scope="module")
def renderer() -> Renderer:
    return Renderer()


def test_layout_warnings_are_collected_not_printed(
    renderer: Renderer, capsys: pytest.CaptureFixture[str]
) -> None:
    # A remote image is refused (no network while printing) and reported, not on stderr.
    renderer.pdf_bytes(
        '<html><body><img src="http://example.invalid/x.png">'
        '<img src="file:///etc/hostname"><p>x</p></body></html>'
    )
    assert any("example.invalid" in message for message in renderer.layout_warnings)
    assert any("/etc/hostname" in message for message in renderer.layout_warnings)
    assert capsys.readouterr().err == ""


def test_layout_warning_about_a_bad_image_has_a_reason_and_no_base64(renderer: Renderer) -> None:
    renderer.pdf_bytes('<p><img src="data:image/png;base64,bm90IGFuIGltYWdlCg=="></p>')
    assert renderer.layout_warnings, "WeasyPrint no longer reports an unreadable image"
    for message in renderer.layout_warnings:
        assert "base64" not in message and "embedded image/png" in message
        assert not message.rstrip().endswith(":")


# -- importing WeasyPrint -----------------------------------------------------------------------


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the library search is Linux's")
def test_weasyprint_loads_its_libraries_without_searching() -> None:
    # ctypes.util.find_library runs ldconfig, gcc and ld for every name it is asked about;
    # WeasyPrint's Linux sonames load directly, so a fresh process should never ask.
    script = (
        "import ctypes.util\n"
        "asked = []\n"
        "real = ctypes.util.find_library\n"
        "ctypes.util.find_library = lambda name: asked.append(name) or real(name)\n"
        "from egovctl.documents.pdf import import_weasyprint\n"
        "weasyprint = import_weasyprint()\n"
        "weasyprint.HTML(string='<p>Halo</p>').write_pdf()\n"
        "print(len(asked), weasyprint.__name__)\n"
    )
    out = subprocess.run([sys.executable, "-c", script], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["0", "weasyprint"]


FAKE_NATIVE = """
import ctypes.util
from fakenative import helper
print("pasang pustaka sistem dulu")
if ctypes.util.find_library("fake") is None:
    raise OSError("cannot load library 'libfake.so'")
LOADED_BY = ctypes.util.find_library("fake")
"""


@pytest.fixture
def fake_native(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[str]:
    """A package that, like WeasyPrint on some systems, needs find_library to load."""
    import ctypes.util

    package = tmp_path / "fakenative"
    package.mkdir()
    (package / "__init__.py").write_text(FAKE_NATIVE, encoding="utf-8")
    (package / "helper.py").write_text("VALUE = 1\n", encoding="utf-8")
    monkeypatch.syspath_prepend(str(tmp_path))
    monkeypatch.setattr(ctypes.util, "find_library", lambda name: f"/usr/lib/lib{name}.so")
    yield "fakenative"
    for name in [m for m in sys.modules if m.split(".")[0] == "fakenative"]:
        del sys.modules[name]


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the library search is Linux's")
def test_library_search_is_used_when_direct_loading_fails(
    fake_native: str, capsys: pytest.CaptureFixture[str]
) -> None:
    import ctypes.util

    from egovctl.documents.pdf import _import_without_library_search, import_native

    real = ctypes.util.find_library
    with pytest.raises(OSError):
        _import_without_library_search(fake_native)
    # The failed attempt leaves nothing behind: no half-imported modules, no printed help.
    assert not [m for m in sys.modules if m.split(".")[0] == fake_native]
    assert ctypes.util.find_library is real
    assert capsys.readouterr().out == ""

    module = import_native(fake_native)
    assert module.LOADED_BY == "/usr/lib/libfake.so"
    assert ctypes.util.find_library is real
    assert capsys.readouterr().out.count("pasang pustaka") == 1
    assert import_native(fake_native) is module


def test_layout_collects_garbage_less_often_and_restores_the_thresholds(
    renderer: Renderer, monkeypatch: pytest.MonkeyPatch
) -> None:
    import gc

    from egovctl.documents import pdf

    seen = []
    real_layout = Renderer._layout

    def layout(self: Renderer, html: str) -> bytes:
        seen.append(gc.get_threshold())
        return real_layout(self, html)

    monkeypatch.setattr(Renderer, "_layout", layout)
    previous = gc.get_threshold()
    try:
        gc.set_threshold(700, 10, 10)
        assert renderer.pdf_bytes("<p>Halo</p>").startswith(b"%PDF")
        assert seen[-1] == pdf._LAYOUT_GC_THRESHOLDS
        assert gc.get_threshold() == (700, 10, 10)
        gc.set_threshold(50_000, 10, 10)  # an application's own, higher setting is kept
        renderer.pdf_bytes("<p>Halo</p>")
        assert seen[-1] == (50_000, 50, 50)
        gc.set_threshold(0)  # automatic collection off: layout does not turn it on
        renderer.pdf_bytes("<p>Halo</p>")
        assert seen[-1][0] == 0
        assert gc.get_threshold()[0] == 0
    finally:
        gc.set_threshold(*previous)
