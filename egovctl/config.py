"""Effective configuration: flag > environment > TOML config file > default (docs/configuration.md).

Every value remembers where it came from, so ``egovctl config show`` can explain itself.
"""

from __future__ import annotations

import getpass
import os
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from egovctl.errors import ConfigError
from egovctl.i18n import _

APP_NAME = "egovctl"
DEFAULT_TIMEZONE = "Asia/Jakarta"

TOP_KEYS = {
    "db",
    "templates",
    "locale",
    "office",
    "survey",
    "complaints",
    "staff",
    "sign",
    "notify",
}
SUPPORTED_LOCALES = ("id", "id_ID", "en", "en_US", "en_GB")
OFFICE_KEYS = {"government", "name", "address", "place", "logo", "timezone"}
SURVEY_KEYS = {"weight", "population"}
COMPLAINTS_KEYS = {"respond_days"}
STAFF_KEYS = {"session_hours"}
SIGN_KEYS = {
    "key",
    "cert",
    "chain",
    "passphrase_env",
    "command",
    "name",
    "title",
    "verify_url",
    "tsa_url",
    "trust",
}
SIGN_PATH_KEYS = ("key", "cert")
SIGN_PATH_LIST_KEYS = ("chain", "trust")
DEFAULT_PASSPHRASE_ENV = "EGOVCTL_SIGN_PASSPHRASE"
SURVEY_WEIGHTS = ("1/9", "0.111")
MAX_USERNAME = 64  # as the staff and audit tables store it


@dataclass(frozen=True)
class Setting:
    """A configuration value and the place it came from."""

    value: Any
    source: str


@dataclass
class Office:
    government: str = "Pemerintah Kabupaten Belitung Timur"
    name: str = "Mal Pelayanan Publik Kabupaten Belitung Timur"
    address: str = "Jl. Jenderal Sudirman, Manggar"
    place: str = "Manggar"
    logo: Path | None = None
    timezone: str = DEFAULT_TIMEZONE

    def as_dict(self) -> dict[str, Any]:
        return {
            "government": self.government,
            "name": self.name,
            "address": self.address,
            "place": self.place,
            "logo": str(self.logo) if self.logo else None,
            "timezone": self.timezone,
        }


@dataclass
class Survey:
    """The satisfaction survey (docs/ikm.md): the unsur weight, and the population of the sample
    check when the office counts its service users otherwise than by requests logged."""

    weight: str = "1/9"
    population: int | None = None

    def as_dict(self) -> dict[str, Any]:
        return {"weight": self.weight, "population": self.population}


@dataclass
class Complaints:
    """Complaints (docs/complaints.md): calendar days an office has to respond."""

    respond_days: int = 14

    def as_dict(self) -> dict[str, Any]:
        return {"respond_days": self.respond_days}


@dataclass
class Sign:
    """Electronic signatures and the document register (docs/signing.md): the key (a PKCS#12
    file, or an external signing command with its certificate), the name on the stamp, the
    timestamp server, the verification address and the roots ``egovctl verify`` trusts.
    Relative paths are relative to the config file."""

    key: Path | None = None
    cert: Path | None = None
    chain: list[Path] = field(default_factory=list)
    passphrase_env: str = DEFAULT_PASSPHRASE_ENV
    command: str | None = None
    name: str | None = None
    title: str | None = None
    verify_url: str | None = None
    tsa_url: str | None = None
    trust: list[Path] = field(default_factory=list)

    def as_dict(self) -> dict[str, Any]:
        return {
            "key": str(self.key) if self.key else None,
            "cert": str(self.cert) if self.cert else None,
            "chain": ", ".join(map(str, self.chain)) or None,
            "passphrase_env": self.passphrase_env,
            "command": self.command,
            "name": self.name,
            "title": self.title,
            "verify_url": self.verify_url,
            "tsa_url": self.tsa_url,
            "trust": ", ".join(map(str, self.trust)) or None,
        }


@dataclass
class Gateway:
    """One WhatsApp or SMS gateway (``[notify.wa]``, ``[notify.sms]``; docs/notify.md)."""

    gateway: str | None = None  # "webhook", "waha" or "fonnte"
    url: str | None = None
    session: str = "default"  # waha only


@dataclass
class EmailServer:
    """The SMTP server of ``[notify.email]``; the password comes from EGOVCTL_SMTP_PASSWORD."""

    host: str | None = None
    port: int = 587
    starttls: bool = True
    sender: str | None = None
    username: str | None = None


@dataclass
class Notify:
    """Notifications to applicants (docs/notify.md): ``[notify]`` and its channel tables."""

    survey_url: str | None = None
    max_attempts: int = 5
    timeout: float = 10.0  # seconds a gateway or SMTP server may take to answer
    retry_seconds: int = 60  # the first retry's delay; each next one doubles it
    email: EmailServer = field(default_factory=EmailServer)
    wa: Gateway = field(default_factory=Gateway)
    sms: Gateway = field(default_factory=Gateway)

    def as_dict(self) -> dict[str, Any]:
        out: dict[str, Any] = {
            "survey_url": self.survey_url,
            "max_attempts": self.max_attempts,
            "timeout": self.timeout,
            "retry_seconds": self.retry_seconds,
        }
        for name, part in (("email", self.email), ("wa", self.wa), ("sms", self.sms)):
            for key, value in vars(part).items():
                out[f"{name}.{key}"] = value
        return out


@dataclass
class StaffSettings:
    """Who is acting (docs/staff-and-audit.md#who-is-acting): how long a login lasts."""

    session_hours: float = 9

    def as_dict(self) -> dict[str, Any]:
        return {"session_hours": self.session_hours}


@dataclass
class Config:
    db_url: Setting
    config_file: Setting
    actor: Setting
    templates: Setting
    locale: Setting
    office: Office
    language: Setting = field(default_factory=lambda: Setting("id", "default"))
    office_sources: dict[str, str] = field(default_factory=dict)
    survey: Survey = field(default_factory=Survey)
    survey_sources: dict[str, str] = field(default_factory=dict)
    complaints: Complaints = field(default_factory=Complaints)
    complaints_sources: dict[str, str] = field(default_factory=dict)
    notify: Notify = field(default_factory=Notify)
    notify_sources: dict[str, str] = field(default_factory=dict)
    staff: StaffSettings = field(default_factory=StaffSettings)
    staff_sources: dict[str, str] = field(default_factory=dict)
    sign: Sign = field(default_factory=Sign)
    sign_sources: dict[str, str] = field(default_factory=dict)
    warnings: list[str] = field(default_factory=list)

    @property
    def timezone(self) -> str:
        return self.office.timezone

    def rows(self) -> list[tuple[str, str | None, str]]:
        """(key, value, source) for display; the value is None when the setting is unset."""

        def text(value: Any) -> str | None:
            return None if value is None or value == "" else str(value)

        rows = [
            ("db", text(self.db_url.value), self.db_url.source),
            ("config", text(self.config_file.value), self.config_file.source),
            ("as", text(self.actor.value), self.actor.source),
            ("templates", text(self.templates.value), self.templates.source),
            ("locale", text(self.locale.value), self.locale.source),
            ("lang", text(self.language.value), self.language.source),
        ]
        for key, value in self.office.as_dict().items():
            rows.append((f"office.{key}", text(value), self.office_sources.get(key, "default")))
        for key, value in self.survey.as_dict().items():
            rows.append((f"survey.{key}", text(value), self.survey_sources.get(key, "default")))
        for key, value in self.complaints.as_dict().items():
            source = self.complaints_sources.get(key, "default")
            rows.append((f"complaints.{key}", text(value), source))
        for key, value in self.notify.as_dict().items():
            source = self.notify_sources.get(key, "default")
            rows.append((f"notify.{key}", text(value), source))
        for key, value in self.staff.as_dict().items():
            rows.append((f"staff.{key}", text(value), self.staff_sources.get(key, "default")))
        for key, value in self.sign.as_dict().items():
            rows.append((f"sign.{key}", text(value), self.sign_sources.get(key, "default")))
        return rows


def user_data_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_data_dir(APP_NAME, appauthor=False))


def user_config_dir() -> Path:
    import platformdirs

    return Path(platformdirs.user_config_dir(APP_NAME, appauthor=False))


def db_url_from(value: str, base: Path | None = None) -> str:
    """A ``--db`` value (file path or SQLAlchemy URL) as a SQLAlchemy URL."""
    value = value.strip()
    if not value:
        raise ConfigError(_("the database value is empty; give a file path or a URL"))
    if "://" in value:
        if value.startswith("postgresql://") or value.startswith("postgres://"):
            # psycopg 3 is the driver we ship; plain postgresql:// would ask for psycopg2.
            value = "postgresql+psycopg://" + value.split("://", 1)[1]
        return value
    path = Path(value).expanduser()
    if base is not None and not path.is_absolute():
        path = base / path
    return f"sqlite:///{path.resolve()}"


def _find_config(cli_config: str | None, env: Mapping[str, str]) -> Setting:
    if cli_config:
        path = Path(cli_config).expanduser()
        if not path.is_file():
            if path.is_dir():
                said = _("config file {path} is a directory, not a file (given with --config)")
            else:
                said = _("config file {path} does not exist (given with --config)")
            raise ConfigError(said.format(path=cli_config))
        return Setting(path, "--config")
    if env.get("EGOVCTL_CONFIG"):
        path = Path(env["EGOVCTL_CONFIG"]).expanduser()
        if not path.is_file():
            if path.is_dir():
                said = _(
                    "config file {path} is a directory, not a file (named by EGOVCTL_CONFIG); "
                    "fix the variable or unset it"
                )
            else:
                said = _(
                    "config file {path} does not exist (named by EGOVCTL_CONFIG); fix the "
                    "variable or unset it"
                )
            raise ConfigError(said.format(path=path))
        return Setting(path, "EGOVCTL_CONFIG")
    local = Path("egovctl.toml")
    if local.is_file():
        return Setting(local, "./egovctl.toml")
    user = user_config_dir() / "egovctl.toml"
    if user.is_file():
        return Setting(user, "user config dir")
    return Setting(None, "none found")


def _read_toml(path: Path) -> dict[str, Any]:
    import tomllib  # only when there is a config file to read

    try:
        with path.open("rb") as fh:
            return tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(
            _("{path}: not valid TOML: {error}").format(path=path, error=exc)
        ) from None
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(
            _("{path}: cannot read the config file: {error}").format(path=path, error=exc)
        ) from None


def _unknown(keys: set[str], known: set[str], where: str, path: Path) -> list[str]:
    from egovctl.suggest import close_matches

    out = []
    for key in sorted(keys - known):
        hint = close_matches(key, sorted(known))
        if hint:
            said = _("{path}: unknown key '{key}' ignored (did you mean '{close}'?)")
        else:
            said = _("{path}: unknown key '{key}' ignored")
        out.append(
            said.format(path=path, key=f"{where}{key}", close=f"{where}{hint[0]}" if hint else "")
        )
    return out


def _expect_str(data: Mapping[str, Any], key: str, where: str, path: Path) -> str | None:
    value = data.get(key)
    if value is None:
        return None
    if not isinstance(value, str):
        raise ConfigError(
            _("{path}: '{key}' must be a string, got {value}").format(
                path=path, key=f"{where}{key}", value=repr(value)
            )
        )
    return value


def language_setting(
    cli_lang: str | None, cli_config: str | None, env: Mapping[str, str] | None = None
) -> Setting:
    """The language of the terminal (docs/configuration.md): ``--lang`` > ``EGOVCTL_LANG`` >
    ``locale`` in the config file > ``id``. An unknown ``--lang`` or ``EGOVCTL_LANG`` is a
    ``ValueError`` naming the choices; a config ``locale`` that is no language of the terminal
    leaves the default (loading the config warns about it)."""
    from egovctl.i18n import parse_language

    env = os.environ if env is None else env
    if cli_lang is not None:
        return Setting(parse_language(cli_lang, "--lang"), "--lang")
    if env.get("EGOVCTL_LANG"):
        return Setting(parse_language(env["EGOVCTL_LANG"], "EGOVCTL_LANG"), "EGOVCTL_LANG")
    found = _find_config(cli_config, env)
    if found.value is not None:
        locale = _read_toml(found.value).get("locale")
        if isinstance(locale, str) and locale.strip():
            code = locale.strip().replace("-", "_").split("_")[0]
            try:
                return Setting(parse_language(code, "locale"), f"config file {found.value}")
            except ValueError:
                pass
    return Setting("id", "default")


def load_config(
    cli_db: str | None = None,
    cli_config: str | None = None,
    cli_as: str | None = None,
    env: Mapping[str, str] | None = None,
    cli_lang: str | None = None,
) -> Config:
    """Resolve the effective configuration."""
    env = os.environ if env is None else env
    cfg_setting = _find_config(cli_config, env)
    data: dict[str, Any] = {}
    warnings: list[str] = []
    base: Path | None = None
    cfg_label = "config file"
    if cfg_setting.value is not None:
        path: Path = cfg_setting.value
        data = _read_toml(path)
        base = path.resolve().parent
        cfg_label = f"config file {path}"
        warnings += _unknown(set(data), TOP_KEYS, "", path)

    # Database
    if cli_db is not None:  # --db "" is a mistake to report, not a wish for the default
        db = Setting(db_url_from(cli_db), "--db")
    elif env.get("EGOVCTL_DB"):
        db = Setting(db_url_from(env["EGOVCTL_DB"]), "EGOVCTL_DB")
    elif cfg_setting.value is not None and _expect_str(data, "db", "", cfg_setting.value):
        db = Setting(db_url_from(data["db"], base), cfg_label)
    else:
        db = Setting(db_url_from(str(user_data_dir() / "egovctl.db")), "default (user data dir)")

    # Acting staff member
    if cli_as is not None:
        actor = Setting(_username(cli_as, "--as"), "--as")
    elif env.get("EGOVCTL_USER"):
        actor = Setting(_username(env["EGOVCTL_USER"], "EGOVCTL_USER"), "EGOVCTL_USER")
    else:
        try:
            login = getpass.getuser()
        except Exception:  # no login name in some containers
            login = "unknown"
        actor = Setting(login, "OS login name")

    templates = Setting(None, "default (bundled only)")
    locale = Setting("id", "default")
    office = Office()
    office_sources: dict[str, str] = {}
    if cfg_setting.value is not None:
        path = cfg_setting.value
        folder = path.resolve().parent  # relative paths in the file are relative to it
        tdir = _expect_str(data, "templates", "", path)
        if tdir:
            tpath = Path(tdir).expanduser()
            templates = Setting(tpath if tpath.is_absolute() else folder / tpath, cfg_label)
        loc = _expect_str(data, "locale", "", path)
        if loc:
            locale = Setting(loc, cfg_label)
            if loc.replace("-", "_") not in SUPPORTED_LOCALES:
                warnings.append(
                    _(
                        "{path}: locale '{locale}' is not supported; documents and "
                        'dates are in Bahasa Indonesia (locale = "id")'
                    ).format(path=path, locale=loc)
                )
        section = data.get("office", {})
        if not isinstance(section, dict):
            raise ConfigError(
                _("{path}: [{section}] must be a table").format(path=path, section="office")
            )
        warnings += _unknown(set(section), OFFICE_KEYS, "office.", path)
        for key in OFFICE_KEYS:
            value = _expect_str(section, key, "office.", path)
            if value is None:
                continue
            office_sources[key] = cfg_label
            if key == "logo":
                lpath = Path(value).expanduser()
                office.logo = lpath if lpath.is_absolute() else folder / lpath
            else:
                setattr(office, key, value)
    _check_timezone(office.timezone, office_sources.get("timezone"))
    survey = Survey()
    survey_sources: dict[str, str] = {}
    if cfg_setting.value is not None:
        survey, survey_sources = _survey(data, cfg_setting.value, cfg_label)
        warnings += _unknown(set(data.get("survey", {})), SURVEY_KEYS, "survey.", path)
    complaints = Complaints()
    complaints_sources: dict[str, str] = {}
    if cfg_setting.value is not None:
        complaints, complaints_sources = _complaints(data, cfg_setting.value, cfg_label)
        warnings += _unknown(set(data.get("complaints", {})), COMPLAINTS_KEYS, "complaints.", path)
    notify = Notify()
    notify_sources: dict[str, str] = {}
    if cfg_setting.value is not None:
        notify, notify_sources, found = _notify(data, cfg_setting.value, cfg_label)
        warnings += found
    staff = StaffSettings()
    staff_sources: dict[str, str] = {}
    if cfg_setting.value is not None:
        staff, staff_sources = _staff(data, cfg_setting.value, cfg_label)
        warnings += _unknown(set(data.get("staff", {})), STAFF_KEYS, "staff.", path)
    sign = Sign()
    sign_sources: dict[str, str] = {}
    if cfg_setting.value is not None:
        sign, sign_sources = _sign(data, cfg_setting.value, cfg_label)
        warnings += _unknown(set(data.get("sign", {})), SIGN_KEYS, "sign.", path)
    try:
        language = language_setting(cli_lang, cli_config, env)
    except ValueError as exc:
        raise ConfigError(str(exc)) from None
    return Config(
        language=language,
        db_url=db,
        config_file=cfg_setting,
        actor=actor,
        templates=templates,
        locale=locale,
        office=office,
        office_sources=office_sources,
        survey=survey,
        survey_sources=survey_sources,
        complaints=complaints,
        complaints_sources=complaints_sources,
        notify=notify,
        notify_sources=notify_sources,
        staff=staff,
        staff_sources=staff_sources,
        sign=sign,
        sign_sources=sign_sources,
        warnings=warnings,
    )


def _complaints(
    data: Mapping[str, Any], path: Path, label: str
) -> tuple[Complaints, dict[str, str]]:
    section = data.get("complaints", {})
    if not isinstance(section, dict):
        raise ConfigError(
            _("{path}: [{section}] must be a table").format(path=path, section="complaints")
        )
    complaints = Complaints()
    sources: dict[str, str] = {}
    days = section.get("respond_days")
    if days is not None:
        if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 365:
            raise ConfigError(
                _(
                    "{path}: 'complaints.respond_days' must be a whole number of calendar days "
                    "from 1 to 365, got {value}"
                ).format(path=path, value=repr(days))
            )
        complaints.respond_days, sources["respond_days"] = days, label
    return complaints, sources


NOTIFY_KEYS = {"survey_url", "max_attempts", "timeout", "retry_seconds", "email", "wa", "sms"}
EMAIL_KEYS = {"host", "port", "starttls", "sender", "username"}
GATEWAY_KEYS = {"gateway", "url", "session"}


def _notify(
    data: Mapping[str, Any], path: Path, label: str
) -> tuple[Notify, dict[str, str], list[str]]:
    """``[notify]`` (docs/notify.md). Values of the wrong type are errors; a gateway name
    or URL that cannot work is not: ``notify send`` reports it on each message it holds back,
    so a typo never stops ``request log``."""
    section = data.get("notify", {})
    if not isinstance(section, dict):
        raise ConfigError(
            _("{path}: [{section}] must be a table").format(path=path, section="notify")
        )
    notify = Notify()
    sources: dict[str, str] = {}
    warnings = _unknown(set(section), NOTIFY_KEYS, "notify.", path)
    url = _expect_str(section, "survey_url", "notify.", path)
    if url:
        notify.survey_url, sources["survey_url"] = url.strip(), label
    for key, low, high in (("max_attempts", 1, 50), ("retry_seconds", 1, 86400)):
        value = section.get(key)
        if value is None:
            continue
        if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
            raise ConfigError(
                _(
                    "{path}: '{key}' must be a whole number from {low} to {high}, got {value}"
                ).format(path=path, key=f"notify.{key}", low=low, high=high, value=repr(value))
            )
        setattr(notify, key, value)
        sources[key] = label
    timeout = section.get("timeout")
    if timeout is not None:
        if isinstance(timeout, bool) or not isinstance(timeout, int | float) or timeout <= 0:
            raise ConfigError(
                _("{path}: '{key}' must be a number of seconds above 0, got {value}").format(
                    path=path, key="notify.timeout", value=repr(timeout)
                )
            )
        notify.timeout, sources["timeout"] = float(timeout), label
    for name, part, keys in (
        ("email", notify.email, EMAIL_KEYS),
        ("wa", notify.wa, GATEWAY_KEYS),
        ("sms", notify.sms, GATEWAY_KEYS),
    ):
        table = section.get(name, {})
        if not isinstance(table, dict):
            raise ConfigError(
                _("{path}: [{section}] must be a table").format(path=path, section=f"notify.{name}")
            )
        warnings += _unknown(set(table), keys, f"notify.{name}.", path)
        for key in sorted(keys & set(table)):
            value = table[key]
            wanted: type | tuple[type, ...] = {"port": int, "starttls": bool}.get(key, str)
            if not isinstance(value, wanted) or (key == "port" and isinstance(value, bool)):
                said = {
                    "port": _("{path}: '{key}' must be a whole number, got {value}"),
                    "starttls": _("{path}: '{key}' must be true or false, got {value}"),
                }.get(key, _("{path}: '{key}' must be a string, got {value}"))
                raise ConfigError(
                    said.format(path=path, key=f"notify.{name}.{key}", value=repr(value))
                )
            setattr(part, key, value.strip() if isinstance(value, str) else value)
            sources[f"{name}.{key}"] = label
    return notify, sources, warnings


def _staff(data: Mapping[str, Any], path: Path, label: str) -> tuple[StaffSettings, dict[str, str]]:
    section = data.get("staff", {})
    if not isinstance(section, dict):
        raise ConfigError(f"{path}: [staff] must be a table")
    staff = StaffSettings()
    sources: dict[str, str] = {}
    hours = section.get("session_hours")
    if hours is not None:
        if isinstance(hours, bool) or not isinstance(hours, int | float) or not 0 < hours <= 24:
            raise ConfigError(
                f"{path}: 'staff.session_hours' must be a number of hours above 0 and at most "
                f"24, got {hours!r}"
            )
        staff.session_hours, sources["session_hours"] = hours, label
    return staff, sources


def _sign(data: Mapping[str, Any], path: Path, label: str) -> tuple[Sign, dict[str, str]]:
    from egovctl.i18n import _

    section = data.get("sign", {})
    if not isinstance(section, dict):
        raise ConfigError(_("{path}: [sign] must be a table").format(path=path))
    folder = path.resolve().parent
    sign = Sign()
    sources: dict[str, str] = {}

    def place(value: str) -> Path:
        p = Path(value).expanduser()
        return p if p.is_absolute() else folder / p

    for key in (
        "passphrase_env",
        "command",
        "name",
        "title",
        "verify_url",
        "tsa_url",
        "key",
        "cert",
    ):
        value = _expect_str(section, key, "sign.", path)
        if value is None or not value.strip():
            continue
        value = value.strip()
        sources[key] = label
        if key in SIGN_PATH_KEYS:
            setattr(sign, key, place(value))
        else:
            setattr(sign, key, value)
    for key in SIGN_PATH_LIST_KEYS:
        value = section.get(key)
        if value is None:
            continue
        items = [value] if isinstance(value, str) else value
        if not isinstance(items, list) or not all(isinstance(i, str) for i in items):
            raise ConfigError(
                _("{path}: 'sign.{key}' must be a file name or a list of file names").format(
                    path=path, key=key
                )
            )
        setattr(sign, key, [place(i) for i in items if i.strip()])
        sources[key] = label
    for key in ("verify_url", "tsa_url"):
        url = getattr(sign, key)
        if url is not None and not url.startswith(("http://", "https://")):
            raise ConfigError(
                _(
                    "{path}: 'sign.{key}' must be an http:// or https:// address, got {value!r}"
                ).format(path=path, key=key, value=url)
            )
    return sign, sources


def _survey(data: Mapping[str, Any], path: Path, label: str) -> tuple[Survey, dict[str, str]]:
    section = data.get("survey", {})
    if not isinstance(section, dict):
        raise ConfigError(
            _("{path}: [{section}] must be a table").format(path=path, section="survey")
        )
    survey = Survey()
    sources: dict[str, str] = {}
    weight = section.get("weight")
    if weight is not None:
        # A bare 0.111 is the same wish as "0.111"; anything else is a typo to report.
        text = "0.111" if weight == 0.111 and not isinstance(weight, bool) else weight
        if text not in SURVEY_WEIGHTS:
            raise ConfigError(
                _(
                    '{path}: \'survey.weight\' must be "1/9" (exact, the default) or "0.111" '
                    "(the old spreadsheet weight), got {value}"
                ).format(path=path, value=repr(weight))
            )
        survey.weight, sources["weight"] = text, label
    population = section.get("population")
    if population is not None:
        if isinstance(population, bool) or not isinstance(population, int) or population < 1:
            raise ConfigError(
                _(
                    "{path}: 'survey.population' must be a whole number of service users, 1 or "
                    "more, got {value}"
                ).format(path=path, value=repr(population))
            )
        survey.population, sources["population"] = population, label
    return survey, sources


def _check_timezone(name: str, source: str | None = None) -> None:
    from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

    try:
        ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        said = _(
            "unknown timezone '{name}' in [office] timezone; use e.g. Asia/Jakarta "
            "(WIB), Asia/Makassar (WITA) or Asia/Jayapura (WIT)"
        ).format(name=name)
        raise ConfigError(f"{source}: {said}" if source else said) from None


def _username(value: str, source: str) -> str:
    """The acting member's username as given: refused when blank or holding control
    characters (it is written into the audit log)."""
    name = value.strip()
    if not name:
        raise ConfigError(
            _("{source} is empty; give a staff username (see 'egovctl staff list')").format(
                source=source
            )
        )
    import unicodedata

    if len(name) > MAX_USERNAME:
        raise ConfigError(
            _(
                "{source} {name}... is longer than {max} characters; "
                "give a staff username (see 'egovctl staff list')"
            ).format(source=source, name=repr(name[:20]), max=MAX_USERNAME)
        )
    # Control characters, and invisible format ones (U+202E reverses the text after it, so
    # the audit log would show another name than the one recorded).
    if any(unicodedata.category(c) in ("Cc", "Cf", "Cs", "Zl", "Zp") for c in name):
        raise ConfigError(
            _(
                "{source} {name} holds control characters or invisible formatting; "
                "type the username again"
            ).format(source=source, name=repr(name))
        )
    # Usernames are lower case; one typed in capitals names the same member.
    return name.lower()
