"""Build hook: compile the gettext catalogues (``.po`` → ``.mo``) into the package.

Runs for wheels and for editable installs (``pip install -e .``) alike, so an installed
egovctl always carries the compiled Indonesian catalogue; the ``.mo`` files are build
products, not kept in git.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

try:
    from hatchling.builders.hooks.plugin.interface import BuildHookInterface
except ImportError:  # run by hand (`python hatch_build.py`), outside a build environment
    BuildHookInterface = object


def compile_catalogues(root: Path) -> list[Path]:
    """Compile every ``egovctl/locale/*/LC_MESSAGES/*.po`` beside itself; the ``.mo`` paths."""
    from babel.messages.mofile import write_mo
    from babel.messages.pofile import read_po

    written = []
    for po in sorted((root / "egovctl" / "locale").glob("*/LC_MESSAGES/*.po")):
        with po.open("rb") as handle:
            catalogue = read_po(handle, locale=po.parent.parent.name)
        mo = po.with_suffix(".mo")
        with mo.open("wb") as handle:
            write_mo(handle, catalogue, use_fuzzy=False)
        written.append(mo)
    return written


class CatalogueHook(BuildHookInterface):  # type: ignore[misc]
    PLUGIN_NAME = "catalogues"

    def initialize(self, version: str, build_data: dict[str, Any]) -> None:
        # The .mo files are git-ignored; pyproject.toml names them as build artifacts, so the
        # wheel carries them, and an editable install finds them in the source tree.
        compile_catalogues(Path(self.root))


if __name__ == "__main__":  # `python hatch_build.py`: compile after editing a .po file
    for path in compile_catalogues(Path(__file__).resolve().parent):
        print(f"compiled {path}")
