"""The YAML file of local calendar days that `calendar import` reads
(docs/requests.md#the-office-calendar): every problem named with its file, line and column,
all of them at once, before anything is written."""

from __future__ import annotations

from datetime import date
from pathlib import Path
from typing import Any

from egovctl.errors import InvalidInput, NotFound
from egovctl.i18n import _, ngettext

FIRST_YEAR, LAST_YEAR = 1900, 2200  # the years the calendar can list


def read_days(path: Path) -> dict[date, tuple[str, bool, str | None]]:
    """The days of a YAML list of {date, name, working?, hours?}: date -> (name, working,
    hours); InvalidInput listing every problem by line."""
    import yaml

    from egovctl.identity import clean_text

    if Path(path).is_dir():
        raise InvalidInput(
            _("{path} is a directory; give the calendar's YAML file").format(path=path)
        )
    try:
        text = Path(path).read_text(encoding="utf-8")
    except FileNotFoundError:
        raise NotFound(_("calendar file {path} does not exist").format(path=path)) from None
    except (UnicodeDecodeError, OSError) as exc:
        raise InvalidInput(
            _("{path}: cannot read it as UTF-8 text ({problem})").format(path=path, problem=exc)
        ) from None
    try:
        node = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f"{path}:{mark.line + 1}:{mark.column + 1}" if mark else str(path)
        raise InvalidInput(
            _("{where}: not valid YAML: {problem}").format(
                where=where, problem=getattr(exc, "problem", exc)
            )
        ) from None
    if node is None or not isinstance(node, yaml.SequenceNode):
        raise InvalidInput(
            _("{path}: expected a list of days, e.g. {example}").format(
                path=path, example="'- {date: 2026-12-31, name: Cuti bersama}'"
            )
        )
    problems: list[str] = []
    days: dict[date, tuple[str, bool, str | None]] = {}
    for item in node.value:
        where = f"{path}:{item.start_mark.line + 1}:{item.start_mark.column + 1}"
        try:
            value = yaml.SafeLoader(yaml.serialize(item)).get_single_data()
        except (ValueError, yaml.YAMLError) as exc:
            # An unquoted date that does not exist (2026-02-30) fails in YAML's constructor.
            problems.append(
                _(
                    "{where}: date: {value} is not a date in the calendar ({problem}); "
                    "write it as 2026-12-31"
                ).format(where=where, value=_raw_date(item), problem=exc)
            )
            continue
        if not isinstance(value, dict):
            problems.append(_("{where}: each entry needs 'date' and 'name'").format(where=where))
            continue
        unknown = set(value) - {"date", "name", "working", "hours"}
        if unknown:
            problems.append(
                _("{where}: unknown key(s) {keys}; use date, name, working, hours").format(
                    where=where, keys=", ".join(sorted(map(str, unknown)))
                )
            )
        day = value.get("date")
        if isinstance(day, str):
            try:
                day = date.fromisoformat(day)
            except ValueError:
                day = None
        if not isinstance(day, date):
            problems.append(_("{where}: date: write it as 2026-12-31").format(where=where))
            continue
        if not FIRST_YEAR <= day.year <= LAST_YEAR:
            problems.append(
                _("{where}: date: {day} is outside {first}-{last}").format(
                    where=where, day=day, first=FIRST_YEAR, last=LAST_YEAR
                )
            )
            continue
        name = value.get("name")
        if name is not None and not isinstance(name, str):
            problems.append(
                _("{where}: name: must be text, e.g. name: HUT Kabupaten").format(where=where)
            )
            continue
        try:
            name = clean_text(name, "name")  # the same rules as `calendar add --name`
        except InvalidInput as exc:
            problems.append(f"{where}: name: {exc.message}")  # already translated
            continue
        if name is None:
            problems.append(_("{where}: name: missing; say what the day is").format(where=where))
            continue
        working = value.get("working", False)
        if not isinstance(working, bool):
            problems.append(_("{where}: working: must be true or false").format(where=where))
            continue
        hours = value.get("hours")
        if hours is not None and not isinstance(hours, str):
            problems.append(
                _('{where}: hours: write them in quotes, e.g. hours: "08:00-12:00"').format(
                    where=where
                )
            )
            continue
        try:
            hours = checked_hours(hours, working, "hours")
        except InvalidInput as exc:
            problems.append(f"{where}: {exc.message}")
            continue
        if day in days:
            problems.append(_("{where}: date {day} appears twice").format(where=where, day=day))
        days[day] = (name, working, hours)
    if problems:
        raise InvalidInput(
            ngettext(
                "{n} problem in {path}; nothing was imported",
                "{n} problems in {path}; nothing was imported",
                len(problems),
            ).format(n=len(problems), path=path),
            details=problems,
        )
    return days


def checked_hours(hours: str | None, working: bool, field: str) -> str | None:
    """A declared working day's own hours, normalised ("08:00-12:00")."""
    from egovctl.catalogue.hours import parse_span

    if hours is None or not hours.strip():
        return None
    if not working:
        raise InvalidInput(
            _("{field} is only for a declared working day (--working)").format(field=field)
        )
    try:
        start, end = parse_span(hours)
    except ValueError as exc:
        raise InvalidInput(f"{field}: {exc}") from None  # parse_span's message is translated
    return f"{start:%H:%M}-{end:%H:%M}"


def _raw_date(item: Any) -> str:
    """The text of an entry's ``date`` as written in the file."""
    for key, value in getattr(item, "value", None) or []:
        if getattr(key, "value", None) == "date" and isinstance(value.value, str):
            return str(value.value)
    return _("the date")
