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


def load(language: Language) -> _gettext.NullTranslations:
    """The compiled catalogue of ``language``; English is the source, so it has none."""
    if language == "en":
        return _gettext.NullTranslations()
    path = LOCALE_DIR / language / "LC_MESSAGES" / f"{DOMAIN}.mo"
    try:
        with path.open("rb") as handle:
            return _gettext.GNUTranslations(handle)
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
