"""Finding requests by a citizen's name, NIK or registration number (docs/requests.md,
docs/desk.md): the words of names at any position, ignoring case and accents, through an
index that a search for a name that is not there answers without reading the table.

Names are stored folded (``fold_name``: accents dropped, casefolded, single spaces) in
``service_request.applicant_name_fold``. Over that column:

- SQLite: the FTS5 table ``request_search`` (external content: it stores no copy of the
  names), kept in step by triggers on ``service_request``, so the index changes in the
  transaction that changes the request and a rolled-back log leaves nothing behind;
- PostgreSQL: a GIN index on ``to_tsvector('simple', applicant_name_fold)``, which the
  server itself keeps in the same transaction.

Each word typed matches the start of a word of the name: ``budi`` finds "Andi Budi Santoso",
``sant bud`` too. Migration 0011 creates both and folds the names stored before it.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable
from typing import TYPE_CHECKING, Any

from egovctl.errors import InvalidInput

if TYPE_CHECKING:
    from sqlalchemy import ColumnElement
    from sqlmodel import Session

# Longest search accepted: a name, a NIK or a registration number is far shorter.
MAX_SEARCH = 100
# More words than a name has would only make a longer query.
MAX_WORDS = 8

# The SQLite index: an FTS5 table over service_request.applicant_name_fold, and what keeps it.
FTS_TABLE = "request_search"
# Every word of the names, as the index cuts them (SQLite; written with each request).
WORDS_TABLE = FTS_TABLE + "_words"
# The prefix lengths FTS5 keeps an index of (``prefix='2 3'``): a word that long is matched
# through it. A longer one is matched as the known words that start with it, while there
# are at most VOCAB_WORDS of them (see _fts_word).
PREFIX_INDEXED = (2, 3)
VOCAB_WORDS = 50
PG_INDEX = "ix_service_request_name_search"
_WORD = re.compile(r"[^\W_]+")


def fold_name(name: str) -> str:
    """A name as it is searched: accents dropped (``José`` -> ``jose``), casefolded, with
    single spaces."""
    decomposed = unicodedata.normalize("NFKD", name)
    plain = "".join(ch for ch in decomposed if not unicodedata.combining(ch))
    return " ".join(plain.casefold().split())


def name_words(text: str) -> list[str]:
    """The words of a typed name, as the index cut the stored ones."""
    return _WORD.findall(fold_name(text))


def is_index_table(name: str | None) -> bool:
    """True for the search index's parts that no model describes: the tables of SQLite's
    FTS5 index, PostgreSQL's expression index."""
    if name is None:
        return False
    return name in (FTS_TABLE, PG_INDEX) or name.startswith(FTS_TABLE + "_")


def sqlite_ddl() -> list[str]:
    """The FTS5 table and the triggers that keep it in step with service_request."""
    t = FTS_TABLE
    return [
        f"CREATE VIRTUAL TABLE {t} USING fts5(applicant_name_fold, "
        "content='service_request', content_rowid='id', "
        "tokenize='unicode61 remove_diacritics 2', prefix='2 3')",
        f"CREATE TRIGGER {t}_ai AFTER INSERT ON service_request BEGIN "
        f"INSERT INTO {t}(rowid, applicant_name_fold) VALUES (new.id, new.applicant_name_fold); "
        "END",
        f"CREATE TRIGGER {t}_ad AFTER DELETE ON service_request BEGIN "
        f"INSERT INTO {t}({t}, rowid, applicant_name_fold) "
        "VALUES ('delete', old.id, old.applicant_name_fold); END",
        f"CREATE TRIGGER {t}_au AFTER UPDATE OF applicant_name_fold ON service_request BEGIN "
        f"INSERT INTO {t}({t}, rowid, applicant_name_fold) "
        "VALUES ('delete', old.id, old.applicant_name_fold); "
        f"INSERT INTO {t}(rowid, applicant_name_fold) VALUES (new.id, new.applicant_name_fold); "
        "END",
    ]


def sqlite_drop_ddl() -> list[str]:
    t = FTS_TABLE
    return [f"DROP TRIGGER IF EXISTS {t}_{s}" for s in ("ai", "ad", "au")] + [
        f"DROP TABLE IF EXISTS {t}"
    ]


def sqlite_words_ddl() -> str:
    """The table of every word of the names (no model: it is part of the index)."""
    return f"CREATE TABLE IF NOT EXISTS {WORDS_TABLE} (word TEXT PRIMARY KEY) WITHOUT ROWID"


def remember_words(conn: Any, names: Iterable[str]) -> None:
    """Add the words of ``names`` to the SQLite word table, in the caller's transaction."""
    words = {(word,) for name in names for word in name_words(name)}
    if words:
        conn.exec_driver_sql(
            f"INSERT OR IGNORE INTO {WORDS_TABLE} (word) VALUES (?)", sorted(words)
        )


def fill_words(conn: Any, after_id: int = 0) -> None:
    """The words of the names of the requests numbered after ``after_id`` (a migration or a
    bulk load, which write no words one request at a time)."""
    names = conn.exec_driver_sql(
        "SELECT DISTINCT applicant_name_fold FROM service_request WHERE id > ?", (after_id,)
    ).scalars()
    remember_words(conn, names)


def postgresql_ddl() -> list[str]:
    return [
        f"CREATE INDEX IF NOT EXISTS {PG_INDEX} ON service_request "
        "USING gin (to_tsvector('simple', applicant_name_fold))"
    ]


def _like_escape(text: str) -> str:
    return text.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")


def check_search(text: str) -> str:
    """The search text, stripped, or InvalidInput saying what is wrong with it."""
    from egovctl.i18n import _
    from egovctl.identity import check_printable, shorten

    term = text.strip()
    if not term:
        raise InvalidInput(_("--search needs some text: a registration number, name or NIK"))
    check_printable(term, "--search")
    if len(term) > MAX_SEARCH:
        raise InvalidInput(
            _(
                "--search '{term}' has {n} characters; search with at most {limit}: "
                "a registration number, name or NIK"
            ).format(term=shorten(term), n=len(term), limit=MAX_SEARCH)
        )
    return term


def _dense(session: Session, clause: ColumnElement[bool]) -> bool:
    from sqlalchemy import func, select

    from egovctl.models import ServiceRequest

    some = select(ServiceRequest.__table__.c.id).where(clause).limit(DENSE).subquery()
    return session.execute(select(func.count()).select_from(some)).scalar_one() >= DENSE


def _numbered(session: Session, number: int, year: int | None = None) -> list[str]:
    """The registration numbers ending in this number, in every agency and year that has
    numbered requests (``reg_counter``, a few rows): exact look-ups in the unique index of
    reg_no. A list of values rather than a subquery, so that the planner can still choose to
    read the table newest first when the rest of the search matches many."""
    from sqlalchemy import select

    from egovctl.models import Agency, RegCounter

    A, C = Agency.__table__.c, RegCounter.__table__.c
    query = select(A.code, C.year).join(Agency.__table__, A.id == C.agency_id)
    if year is not None:
        query = query.where(C.year == year)
    return [f"{code}-{y}-{number:06d}" for code, y in session.execute(query)]


def _fts_word(session: Session, word: str) -> str:
    """An FTS5 query for the names with a word that starts with ``word``.

    FTS5 answers a prefix query (``"siti"*``) that its prefix index does not cover by
    gathering every match of every word with that start before it can give the newest: 4.9 ms
    for ``siti`` at 4,000,000 requests against 0.7 ms at 1,000,000 (bench/README.md, issue 15).
    The same matches as the names' words that start so (``"siti" OR "sitiah"``, from the
    word table, a look-up in its primary key) are read newest first and stop at the page,
    however many there are."""
    from sqlalchemy import text as sql_text

    if len(word) in PREFIX_INDEXED:
        return f'"{word}"*'
    known = list(
        session.execute(
            sql_text(
                f"SELECT word FROM {WORDS_TABLE} WHERE word >= :word AND word < :past LIMIT :most"
            ),
            {"word": word, "past": word + "\U0010ffff", "most": VOCAB_WORDS + 1},
        ).scalars()
    )
    if not known or len(known) > VOCAB_WORDS:
        # Too many to name, or none known (a name changed outside egovctl): FTS5 finds them.
        return f'"{word}"*'
    return "(" + " OR ".join(f'"{term}"' for term in known) + ")"


# A NIK start shared by more requests than this (a region: 190603) is looked for newest
# first along the table, where matches are dense, rather than gathered from the NIK index
# and sorted (hundreds of thousands of them on a large database).
DENSE = 500


def search_clause(
    text: str, dialect: str, session: Session, *, newest: int | None = None
) -> ColumnElement[bool]:
    """What a search matches (docs/requests.md): a NIK or its start (its region:
    ``190603``), a registration number, its start or its end (``000002``), or the words of a
    name, each the start of a word of the name, in any order, case and accents ignored.
    ``newest``: when nothing but the search filters, the page's size, which SQLite's index
    can then stop at."""
    from sqlalchemy import and_, bindparam, false, func, or_, select
    from sqlalchemy import text as sql_text

    from egovctl.models import ServiceRequest

    R = ServiceRequest.__table__.c
    term = check_search(text)
    compact = "".join(term.split())
    if compact.isdigit():
        if len(compact) >= 16:
            return R.nik == compact  # ix_service_request_nik
        # The start of a NIK (its region: 190603; a range keeps ix_service_request_nik
        # usable), or the number at the end of a registration number (000042 or 42).
        nik_start = and_(R.nik >= compact, R.nik < compact + ":")  # ':' follows '9'
        if dialect == "sqlite" and _dense(session, nik_start):
            nik = R.nik + ""  # the same values, without the index
            nik_start = and_(nik >= compact, nik < compact + ":")
        if len(compact) > 7:
            return nik_start
        return or_(nik_start, R.reg_no.in_(_numbered(session, int(compact))))
    upper = term.upper()
    year_number = re.fullmatch(r"(\d{4})-(\d{1,7})", upper)
    if year_number:  # the end of a registration number: 2026-000002
        return R.reg_no.in_(_numbered(session, int(year_number[2]), int(year_number[1])))
    if "-" in upper and any(ch.isdigit() for ch in upper) and " " not in upper:
        # A registration number or its start: a range keeps the unique index usable.
        return and_(R.reg_no >= upper, R.reg_no < upper + "\uffff")
    words = name_words(term)[:MAX_WORDS]
    if not words:
        return false()
    if dialect == "sqlite":
        match = " AND ".join(_fts_word(session, word) for word in words)
        ids = (
            select(sql_text("rowid"))
            .select_from(sql_text(FTS_TABLE))
            .where(sql_text(f"{FTS_TABLE} MATCH :match").bindparams(bindparam("match", match)))
        )
        if newest is not None:
            # Nothing else filters: the newest matches straight from the index, which FTS5
            # walks backwards and stops, instead of gathering every match of a common name.
            ids = ids.order_by(sql_text("rowid DESC")).limit(newest)
        return R.id.in_(ids.scalar_subquery())
    if dialect == "postgresql":
        query = " & ".join(f"{word}:*" for word in words)
        return func.to_tsvector("simple", R.applicant_name_fold).op("@@")(
            func.to_tsquery("simple", query)
        )
    # Another database: no index, the same matches (a word's start, any order).
    return and_(
        *(
            or_(
                R.applicant_name_fold.like(_like_escape(word) + "%", escape="\\"),
                R.applicant_name_fold.like("% " + _like_escape(word) + "%", escape="\\"),
            )
            for word in words
        )
    )
