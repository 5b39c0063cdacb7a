"""The language of the terminal: Bahasa Indonesia by default, English on request.

Every string a person reads in the terminal is written in English in the code, marked with
``_()`` (or ``N_()`` where it must be translated later, such as help texts defined before the
language is chosen), extracted with ``pybabel extract`` and translated in
``egovctl/locale/id/LC_MESSAGES/egovctl.po``; the build compiles it to ``egovctl.mo``.
Printed documents are Indonesian in their templates and do not pass through here.

The language is chosen once per command, before Click prints anything (see ``docs/language.md``):
``--lang`` > ``EGOVCTL_LANG`` > ``locale`` in the config file > ``id``. Typer's own strings
(section titles, "default", "required", "Aborted!") and the vendored Click's hard-coded messages
are translated where egovctl shows them (``egovctl.cli``), from the same catalogue.

Loading the catalogue is one small file read (well under a millisecond); nothing else is
imported.
"""

from __future__ import annotations

import gettext as _gettext
from pathlib import Path
from typing import Any, Literal, get_args

Language = Literal["id", "en"]
LANGUAGES: tuple[Language, ...] = get_args(Language)
DEFAULT_LANGUAGE: Language = "id"
DOMAIN = "egovctl"
LOCALE_DIR = Path(__file__).resolve().parent / "locale"

_catalogue: _gettext.NullTranslations = _gettext.NullTranslations()
_language: Language = "en"
_loaded: dict[Language, _gettext.NullTranslations] = {}


class Catalogue(_gettext.NullTranslations):
    """A compiled catalogue (``.mo``) read lazily: loading it is one file read, and each
    message is found when asked, by binary search in the file's sorted table of message ids
    (the .mo format keeps them sorted; ``tests/test_i18n.py`` checks the compiled file).

    ``gettext.GNUTranslations`` decodes every entry when it loads, about 2 ms for egovctl's
    thousand messages: more than the whole rest of choosing the language, on every command.
    """

    def __init__(self, data: bytes) -> None:
        super().__init__()
        import struct

        magic = struct.unpack_from("<I", data)[0]
        self._order = "<" if magic == 0x950412DE else ">"
        if struct.unpack_from(self._order + "I", data)[0] != 0x950412DE:
            raise OSError("not a gettext .mo file")
        _version, self._count, self._ids, self._strs = struct.unpack_from(
            self._order + "4I", data, 4
        )
        self._data = data
        self._plural: Any = None
        self._said: dict[str, str] = {}

    def _entry(self, table: int, index: int) -> bytes:
        import struct

        length, offset = struct.unpack_from(self._order + "2I", self._data, table + 8 * index)
        return self._data[offset : offset + length]

    def _find(self, key: bytes) -> str | None:
        low, high = 0, self._count
        while low < high:
            middle = (low + high) // 2
            probe = self._entry(self._ids, middle)
            if probe < key:
                low = middle + 1
            elif probe > key:
                high = middle
            else:
                return self._entry(self._strs, middle).decode("utf-8")
        return None

    def gettext(self, message: str) -> str:
        # Like gettext's, an untranslated message comes back as the very object given (the
        # help formatter tells "no translation" by identity).
        if message in self._said:
            return self._said[message] or message
        found = self._find(message.encode("utf-8")) if message else None
        self._said[message] = found or ""
        return found or message

    def ngettext(self, msgid1: str, msgid2: str, n: int) -> str:  # type: ignore[override]
        found = self._find(msgid1.encode("utf-8") + b"\0" + msgid2.encode("utf-8"))
        if found is None:
            return msgid1 if n == 1 else msgid2
        forms = found.split("\0")
        return forms[min(self._plural_form(n), len(forms) - 1)]

    def _plural_form(self, n: int) -> int:
        if self._plural is None:
            header = self._find(b"") or ""
            rule = "0"
            for line in header.splitlines():
                if line.lower().startswith("plural-forms:"):
                    rule = line.split("plural=", 1)[-1].rstrip(";").strip() or "0"
            self._plural = _gettext.c2py(rule)
        return int(self._plural(n))


def load(language: Language) -> _gettext.NullTranslations:
    """The compiled catalogue of ``language``; English is the source, so it has none."""
    if language == "en":
        return _gettext.NullTranslations()
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
    try:
        return Catalogue(path.read_bytes())
    except FileNotFoundError:
        # A checkout whose catalogue was never compiled: English rather than a crash. The
        # build compiles it (hatch_build.py); `pybabel compile -d egovctl/locale -D egovctl`
        # does so by hand.
        return _gettext.NullTranslations()


def set_language(language: Language) -> None:
    """Speak ``language`` from now on, in egovctl's strings and in Typer's."""
    global _catalogue, _language
    if language not in _loaded:
        _loaded[language] = load(language)
    _catalogue = _loaded[language]
    _language = language


def language() -> Language:
    return _language


def _(message: str) -> str:
    """``message`` (English) in the language of the terminal."""
    return _catalogue.gettext(message)


def ngettext(singular: str, plural: str, n: int) -> str:
    """The singular or plural form of a message for ``n``, in the language of the terminal."""
    return _catalogue.ngettext(singular, plural, n)


class Said(str):
    """A message in the terminal's language that keeps its English form for JSON, whose values
    are the same in both languages (docs/language.md): ``str(said)`` is what the terminal
    shows, ``said.english`` what ``--json`` prints. Fields that are ``Said`` themselves (a
    status word) take their English form in the English text."""

    english: str

    def __new__(cls, message: str, **fields: Any) -> Said:
        self = super().__new__(cls, _(message).format(**fields) if fields else _(message))
        english = {k: getattr(v, "english", v) for k, v in fields.items()}
        self.english = message.format(**english) if fields else message
        return self


def english(value: Any) -> Any:
    """``value`` with every ``Said`` in it (in lists and dicts too) in its English form."""
    if isinstance(value, Said):
        return value.english
    if isinstance(value, dict):
        return {k: english(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [english(v) for v in value]
    return value


def N_(message: str) -> str:  # noqa: N802  (the conventional name of gettext's no-op marker)
    """Mark ``message`` for extraction only; it is translated with ``_()`` where it is shown."""
    return message


def parse_language(value: str, origin: str) -> Language:
    """A language code from ``origin`` (an option, a variable, a config key), or ValueError."""
    code = value.strip().lower()
    for lang in LANGUAGES:
        if code == lang:
            return lang
    choices = ", ".join(LANGUAGES)
    raise ValueError(
        _("{origin}: unknown language {value}; choose one of {choices}").format(
            origin=origin, value=repr(value), choices=choices
        )
    )
