"""Reading catalogue YAML: every problem located at FILE:LINE:COLUMN with its field path, the
round trip through dump_catalogue, and robustness against damaged files."""

from __future__ import annotations

import textwrap
from datetime import date
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from egovctl.catalogue.dump import dump_catalogue
from egovctl.catalogue.load import SourceDoc, agencies_defined, collect_files, load_catalogue
from egovctl.catalogue.schema import (
    AGENCY_CODE_PATTERN,
    MAX_COPIES,
    MAX_DAYS,
    MAX_FEE,
    PROCEDURE_CODE_PATTERN,
    AgencyDoc,
    ProcedureDoc,
    catalogue_json_schema,
    content_hash,
)
from egovctl.catalogue.yaml_positions import Problem
from tests.conftest import PROCEDURES

AGENCY = """\
kind: agency
code: DISDUKCAPIL
name: Dinas Kependudukan dan Pencatatan Sipil
head: {name: Budi Santoso, nip: "198701012010011001", title: Kepala Dinas}
"""

PROCEDURE = """\
kind: procedure
code: DUKCAPIL-KTP-EL
name: Penerbitan KTP Elektronik
agency: DISDUKCAPIL
requirements:
  - Fotokopi Kartu Keluarga
  - {name: Pas foto 3x4, copies: 2, optional: false, note: latar merah}
steps:
  - {name: Penerimaan berkas, actor: Petugas loket, days: 0}
  - {name: Verifikasi data, actor: Operator, days: 1}
  - {name: Penyerahan dokumen}
sla_days: 3
fee: 0
product: KTP Elektronik
"""


def write(name: str, text: str) -> str:
    """Write a file under the test's working directory; return the relative path as typed."""
    path = Path(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(textwrap.dedent(text), encoding="utf-8")
    return name


def problems_of(*paths: str) -> list[Problem]:
    docs, problems = load_catalogue(list(paths))
    return problems


def only(problems: list[Problem]) -> Problem:
    assert len(problems) == 1, "\n".join(map(str, problems))
    return problems[0]


def at(problem: Problem) -> str:
    return f"{problem.path}:{problem.line}:{problem.column}:{problem.field}"


def procedure(**changes: str | None) -> str:
    """PROCEDURE with some top-level fields (and their indented lines) replaced by the given
    text, or removed when the text is None; fields PROCEDURE lacks are appended."""
    lines: list[str] = []
    key = ""
    for line in PROCEDURE.splitlines():
        if not line.startswith(" "):
            key = line.split(":", 1)[0]
            if key in changes:
                replacement = changes.pop(key)
                if replacement is not None:
                    lines.append(replacement)
                key = "\0replaced"
                continue
        if key != "\0replaced":
            lines.append(line)
    lines.extend(v for v in changes.values() if v is not None)
    return "\n".join(lines) + "\n"


# -- the happy path ------------------------------------------------------------------------


def test_valid_files_load_with_positions() -> None:
    write("cat/a.yaml", AGENCY + "---\n" + PROCEDURE)
    docs, problems = load_catalogue(["cat"])
    assert problems == []
    agency, proc = docs
    assert (agency.kind, agency.index, agency.code) == ("agency", 0, "DISDUKCAPIL")
    assert (proc.kind, proc.index, proc.path) == ("procedure", 1, Path("cat/a.yaml"))
    assert isinstance(proc.doc, ProcedureDoc)
    assert proc.doc.requirements[0].name == "Fotokopi Kartu Keluarga"
    assert proc.doc.requirements[0].copies == 1
    assert proc.doc.steps[2].days is None
    # The procedure document starts on line 6 (after the agency and the '---').
    assert proc.where("") == (6, 1)
    assert proc.where("agency") == (9, 9)
    assert proc.where("steps[1].days") == (15, 52)
    assert proc.where("requirements[1].note") == (12, 60)
    # Fields not written fall back to the nearest parent that was.
    assert proc.where("steps[2].days") == (16, 5)
    assert proc.where("fee_basis") == (6, 1)
    assert agency.where("head.nip") == (4, 33)
    assert agencies_defined(docs) == {"DISDUKCAPIL": agency}
    unknown = proc.problem("agency", "unknown agency 'DISDUKCAPIL'")
    assert str(unknown) == "cat/a.yaml:9:9: agency: unknown agency 'DISDUKCAPIL'"


def test_bundled_catalogue_is_valid() -> None:
    docs, problems = load_catalogue([PROCEDURES])
    assert problems == []
    assert len([d for d in docs if d.kind == "procedure"]) >= 15


def test_problem_text() -> None:
    assert str(Problem("a.yaml", 3, 7, "fee", "bad")) == "a.yaml:3:7: fee: bad"
    assert str(Problem("a.yaml", 1, 1, "", "empty")) == "a.yaml:1:1: empty"
    assert str(Problem("nope", 0, 0, "", "no such file")) == "nope: no such file"


def test_collect_files() -> None:
    write("cat/b.yml", AGENCY)
    write("cat/a.yaml", PROCEDURE)
    write("cat/sub/c.YAML", PROCEDURE)
    write("cat/notes.txt", "not yaml")
    write("cat/.hidden/d.yaml", PROCEDURE)
    write("single.txt", AGENCY)
    files = collect_files(["cat", "single.txt", "cat/a.yaml", "missing.yaml"])
    assert [str(f) for f in files] == ["cat/a.yaml", "cat/b.yml", "cat/sub/c.YAML", "single.txt"]


def test_missing_path_and_empty_directory_are_problems() -> None:
    Path("empty").mkdir()
    problems = problems_of("missing.yaml", "empty")
    assert [str(p) for p in problems] == [
        "missing.yaml: no such file or directory",
        "empty: no .yaml or .yml files in this directory",
    ]


# -- file-level problems --------------------------------------------------------------------


def test_empty_file() -> None:
    write("empty.yaml", "\n  \n")
    p = only(problems_of("empty.yaml"))
    assert at(p) == "empty.yaml:1:1:" and "the file is empty" in p.message


def test_file_of_comments() -> None:
    write("comments.yaml", "# nothing yet\n---\n# still nothing\n")
    p = only(problems_of("comments.yaml"))
    assert at(p) == "comments.yaml:1:1:" and "no documents" in p.message


def test_not_utf8() -> None:
    Path("latin1.yaml").write_bytes(b"kind: agency\ncode: DINAS\nname: Dinas Pekerjaan Umum\xe9\n")
    p = only(problems_of("latin1.yaml"))
    assert at(p) == "latin1.yaml:3:27:"
    assert "not UTF-8" in p.message and "0xe9" in p.message


def test_binary_file() -> None:
    Path("logo.yaml").write_bytes(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")
    p = only(problems_of("logo.yaml"))
    assert "binary file" in p.message


def test_utf16_file() -> None:
    Path("u16.yaml").write_bytes(AGENCY.encode("utf-16"))
    assert "UTF-16" in only(problems_of("u16.yaml")).message


def test_control_character_is_reported_and_the_rest_still_checked() -> None:
    write("ctl.yaml", procedure(name="name: Penerbitan\x07 KTP", fee="fee: -1"))
    problems = problems_of("ctl.yaml")
    assert [at(p) for p in problems] == ["ctl.yaml:3:17:", "ctl.yaml:13:6:fee"]
    assert "control character U+0007" in problems[0].message


def test_yaml_syntax_error_and_recovery_at_next_document() -> None:
    text = AGENCY + "---\n" + "code: X\nname: [a, b\nfee: 1\n" + "---\n" + procedure(fee="fee: x")
    write("broken.yaml", text)
    problems = problems_of("broken.yaml")
    assert [at(p) for p in problems] == ["broken.yaml:8:4:", "broken.yaml:22:6:fee"]
    assert "YAML syntax error" in problems[0].message
    assert "not closed" in problems[0].message
    assert "expected a whole number" in problems[1].message


def test_unclosed_bracket_does_not_hide_the_next_document() -> None:
    write("open.yaml", "kind: agency\ncode: DINAS\nname: [Dinas\n---\n" + procedure(fee="fee: x"))
    problems = problems_of("open.yaml")
    assert [at(p) for p in problems] == ["open.yaml:4:1:", "open.yaml:17:6:fee"]
    assert "'[' list is not closed" in problems[0].message


def test_unquoted_colon_hint() -> None:
    write("colon.yaml", procedure(product="product: Surat: Keterangan"))
    p = only(problems_of("colon.yaml"))
    assert at(p) == "colon.yaml:14:15:"
    assert "a value contains ': ' and needs quotes" in p.message


def test_tab_indentation() -> None:
    write("tab.yaml", "kind: agency\ncode: DINAS\n\tname: x\n")
    p = only(problems_of("tab.yaml"))
    assert (p.line, p.column) == (3, 1) and "YAML syntax error" in p.message


# -- document-level problems ----------------------------------------------------------------


@pytest.mark.parametrize(
    ("text", "got"),
    [("- a\n- b\n", "a list"), ("just some text\n", "the text 'just some text'")],
)
def test_document_not_a_mapping(text: str, got: str) -> None:
    write("list.yaml", AGENCY + "---\n" + text)
    p = only(problems_of("list.yaml"))
    assert at(p) == "list.yaml:6:1:"
    assert p.message == f"a document must be a mapping of fields (kind, code, name, ...), got {got}"


def test_unknown_kind() -> None:
    write("kind.yaml", procedure(kind="kind: prosedur"))
    p = only(problems_of("kind.yaml"))
    assert at(p) == "kind.yaml:1:7:kind"
    assert "unknown kind 'prosedur'; did you mean 'procedure'?" in p.message
    write("kind2.yaml", "kind:\ncode: X\n")
    assert "the kind is empty" in only(problems_of("kind2.yaml")).message


def test_kind_defaults_to_procedure() -> None:
    write("nokind.yaml", procedure(kind=None))
    docs, problems = load_catalogue(["nokind.yaml"])
    assert problems == [] and docs[0].kind == "procedure"


def test_missing_required_fields_are_located_at_the_document_start() -> None:
    write("missing.yaml", AGENCY + "---\n" + procedure(product=None, sla_days=None))
    problems = problems_of("missing.yaml")
    assert [at(p) for p in problems] == [
        "missing.yaml:6:1:sla_days",
        "missing.yaml:6:1:product",
    ]
    assert "required field is missing; add 'sla_days: ...'" in problems[0].message
    assert "jangka waktu penyelesaian" in problems[0].message.lower()
    assert "produk pelayanan" in problems[1].message.lower()


def test_missing_field_in_a_step_is_located_at_the_step() -> None:
    write("step.yaml", procedure(steps="steps:\n  - {actor: Operator, days: 1}"))
    p = only(problems_of("step.yaml"))
    assert at(p) == "step.yaml:9:5:steps[0].name"
    assert "required field is missing" in p.message


# -- unknown keys at every level ------------------------------------------------------------


def test_unknown_top_level_key_with_suggestion() -> None:
    write("typo.yaml", procedure(product="prodcut: KTP Elektronik"))
    p = only(problems_of("typo.yaml"))  # the missing 'product' is the same mistake
    assert at(p) == "typo.yaml:14:1:prodcut"
    assert p.message == "unknown field 'prodcut'; did you mean 'product'?"


def test_unknown_key_in_indonesian_is_translated() -> None:
    write("id.yaml", procedure(fee="biaya: 0"))
    p = only(problems_of("id.yaml"))
    assert at(p) == "id.yaml:13:1:biaya"
    assert p.message == "unknown field 'biaya'; did you mean 'fee'?"


def test_unknown_key_without_suggestion_lists_the_fields() -> None:
    write("x.yaml", AGENCY + "website: https://disdukcapil.example\n")
    p = only(problems_of("x.yaml"))
    assert at(p) == "x.yaml:5:1:website"
    assert "the fields here are: kind, code, name, address, phone, head" in p.message


def test_unknown_keys_in_steps_requirements_and_head() -> None:
    text = (
        AGENCY.replace("title:", "jabatan:")
        + "---\n"
        + procedure(
            requirements="requirements:\n  - {name: Pas foto, copeis: 2}",
            steps="steps:\n  - {name: Verifikasi, dayz: 1}",
        )
    )
    write("nested.yaml", text)
    problems = problems_of("nested.yaml")
    assert [at(p) for p in problems] == [
        "nested.yaml:4:55:head.jabatan",
        "nested.yaml:11:22:requirements[0].copeis",
        "nested.yaml:13:24:steps[0].dayz",
    ]
    assert [p.message for p in problems] == [
        "unknown field 'jabatan'; did you mean 'title'?",
        "unknown field 'copeis'; did you mean 'copies'?",
        "unknown field 'dayz'; did you mean 'days'?",
    ]


def test_duplicate_key() -> None:
    write("dup.yaml", procedure(fee="fee: 0\nfee: 5000"))
    p = only(problems_of("dup.yaml"))
    assert at(p) == "dup.yaml:14:1:fee"
    assert "duplicate key 'fee' (first written at line 13)" in p.message


# -- wrong types ----------------------------------------------------------------------------


def test_fee_with_thousands_separator_as_text() -> None:
    write("fee.yaml", procedure(fee='fee: "50.000"'))
    p = only(problems_of("fee.yaml"))
    assert at(p) == "fee.yaml:13:6:fee"
    assert p.message.startswith("expected a whole number, got the text '50.000'")
    assert "without separators, e.g. 50000" in p.message


def test_fee_with_thousands_separator_unquoted_is_a_decimal() -> None:
    write("fee.yaml", procedure(fee="fee: 50.000"))
    p = only(problems_of("fee.yaml"))
    assert at(p) == "fee.yaml:13:6:fee"
    assert "got 50.000 (which YAML reads as the decimal number 50.0)" in p.message


def test_quoted_number_and_boolean_where_a_number_belongs() -> None:
    write("t.yaml", procedure(sla_days='sla_days: "3"', fee="fee: no"))
    problems = problems_of("t.yaml")
    assert [at(p) for p in problems] == ["t.yaml:12:11:sla_days", "t.yaml:13:6:fee"]
    assert problems[0].message == "expected a whole number, got the text '3'; remove the quotes"
    assert "got the yes/no value false (written no)" in problems[1].message


def test_number_or_date_where_text_belongs() -> None:
    text = (
        AGENCY.replace('"198701012010011001"', "198701012010011001")
        + "---\n"
        + procedure(category="category: 2024-01-01")
    )
    write("t.yaml", text)
    problems = problems_of("t.yaml")
    assert [at(p) for p in problems] == ["t.yaml:4:33:head.nip", "t.yaml:20:11:category"]
    assert "got the number 198701012010011001; put the value in quotes" in problems[0].message
    assert "got the date 2024-01-01; put the value in quotes" in problems[1].message


def test_wrong_shapes() -> None:
    write(
        "shape.yaml",
        procedure(
            requirements="requirements:\n  - 5\n  -",
            steps="steps:\n  - Penerimaan berkas",
            name="name: [a, b]",
            legal_basis="legal_basis: UU 25/2009",
        ),
    )
    problems = problems_of("shape.yaml")
    assert [at(p) for p in problems] == [
        "shape.yaml:3:7:name",
        "shape.yaml:6:5:requirements[0]",
        "shape.yaml:7:4:requirements[1]",
        "shape.yaml:9:5:steps[0]",
        "shape.yaml:13:14:legal_basis",
    ]
    messages = [p.message for p in problems]
    assert messages[0] == "expected text, got a list"
    assert "expected the document's name or a mapping {name: ..., copies: 1}" in messages[1]
    assert "the list item is empty" in messages[2]
    assert "expected a mapping {name: ..., actor: ..., days: 1}" in messages[3]
    assert "expected a list" in messages[4]


def test_empty_required_values() -> None:
    write("blank.yaml", procedure(name="name:", product='product: "  "'))
    problems = problems_of("blank.yaml")
    assert [(at(p), p.message) for p in problems] == [
        ("blank.yaml:3:6:name", "the value is empty; fill it in"),
        ("blank.yaml:14:10:product", "must not be empty"),
    ]


def test_blank_optional_values_mean_absent() -> None:
    write("opt.yaml", procedure(category='category: ""', description="description:"))
    docs, problems = load_catalogue(["opt.yaml"])
    assert problems == [] and docs[0].doc.category is None


# -- codes and numbers ----------------------------------------------------------------------


def test_malformed_codes_say_the_rule_in_words() -> None:
    text = (
        AGENCY.replace("DISDUKCAPIL", "Dinas 1")
        + "---\n"
        + procedure(code="code: dukcapil ktp", agency="agency: 1DINAS")
    )
    write("codes.yaml", text)
    problems = problems_of("codes.yaml")
    assert [at(p) for p in problems] == [
        "codes.yaml:2:7:code",
        "codes.yaml:7:7:code",
        "codes.yaml:9:9:agency",
    ]
    assert problems[0].message == (
        "'Dinas 1' is not a valid agency code: use capital letters, digits and '-', starting "
        "with a letter, 2 to 30 characters; did you mean 'DINAS-1'?"
    )
    assert "not a valid procedure code" in problems[1].message
    assert "2 to 40 characters; did you mean 'DUKCAPIL-KTP'?" in problems[1].message
    assert "'1DINAS' is not a valid agency code" in problems[2].message
    assert "did you mean" not in problems[2].message


def test_code_too_long() -> None:
    write("long.yaml", procedure(code="code: " + "A" * 41))
    p = only(problems_of("long.yaml"))
    assert at(p) == "long.yaml:2:7:code" and "2 to 40 characters" in p.message


def test_negative_numbers_and_zero_copies() -> None:
    write(
        "neg.yaml",
        procedure(
            requirements="requirements:\n  - {name: Pas foto, copies: 0}",
            steps="steps:\n  - {name: Verifikasi, days: -1}",
            sla_days="sla_days: -2",
            fee="fee: -5000",
        ),
    )
    problems = problems_of("neg.yaml")
    assert [(at(p), p.message) for p in problems] == [
        ("neg.yaml:6:30:requirements[0].copies", "must be 1 or more, got the number 0"),
        ("neg.yaml:8:30:steps[0].days", "must be 0 or more, got the number -1"),
        ("neg.yaml:9:11:sla_days", "must be 0 or more, got the number -2"),
        ("neg.yaml:10:6:fee", "must be 0 or more, got the number -5000"),
    ]


def test_absurd_fee() -> None:
    write("big.yaml", procedure(fee=f"fee: {MAX_FEE * 10}"))
    p = only(problems_of("big.yaml"))
    assert at(p) == "big.yaml:13:6:fee" and "must be at most" in p.message


def test_empty_steps() -> None:
    write("nosteps.yaml", procedure(steps="steps: []"))
    p = only(problems_of("nosteps.yaml"))
    assert at(p) == "nosteps.yaml:8:8:steps"
    assert p.message == "at least one step is required (sistem, mekanisme dan prosedur)"


# -- duplicates across the import -----------------------------------------------------------


def test_duplicate_codes_across_files() -> None:
    write("procedures/a.yaml", AGENCY + "---\n" + PROCEDURE)
    write("procedures/b.yaml", "# copy\n" + AGENCY + "---\n" + PROCEDURE)
    docs, problems = load_catalogue(["procedures"])
    assert [at(p) for p in problems] == [
        "procedures/b.yaml:3:7:code",
        "procedures/b.yaml:8:7:code",
    ]
    assert problems[0].message.startswith(
        "duplicate agency code DISDUKCAPIL, first defined at procedures/a.yaml:2"
    )
    assert problems[1].message.startswith(
        "duplicate procedure code DUKCAPIL-KTP-EL, first defined at procedures/a.yaml:7"
    )
    assert [d.path for d in docs] == [Path("procedures/a.yaml")] * 2


def test_duplicate_code_is_reported_beside_schema_errors() -> None:
    # The second definition also has a schema error: both are reported in the same run.
    write("dup.yaml", PROCEDURE + "---\n" + procedure(fee="fee: gratis"))
    problems = problems_of("dup.yaml")
    assert [at(p) for p in problems] == ["dup.yaml:17:7:code", "dup.yaml:28:6:fee"]
    assert problems[0].message.startswith(
        "duplicate procedure code DUKCAPIL-KTP-EL, first defined at dup.yaml:2"
    )


# -- agency references ----------------------------------------------------------------------


def test_unknown_agency_is_reported_beside_schema_errors() -> None:
    """An unknown agency shows up in the same run as the document's schema errors."""
    write(
        "baru.yaml",
        procedure(
            agency="agency: DINSOSS", sla_days="sla_days: -1", fee="fee: gratis", product=None
        ),
    )
    docs, problems = load_catalogue(["baru.yaml"], known_agencies={"DINSOS", "DINKES"})
    assert docs == []
    # In position order; the missing field is reported at the start of the document.
    assert [at(p) for p in problems] == [
        "baru.yaml:1:1:product",
        "baru.yaml:4:9:agency",
        "baru.yaml:12:11:sla_days",
        "baru.yaml:13:6:fee",
    ]
    assert (
        str(problems[1]) == "baru.yaml:4:9: agency: unknown agency 'DINSOSS'; "
        "did you mean 'DINSOS'?"
    )


def test_agency_references_checked_only_when_usable_and_asked_for() -> None:
    write("a.yaml", procedure(agency="agency: DINAS-ENTAH"))
    # Without the database's agencies there is nothing to check against.
    assert problems_of("a.yaml") == []
    docs, problems = load_catalogue(["a.yaml"], known_agencies=[])
    assert str(only(problems)) == (
        "a.yaml:4:9: agency: unknown agency 'DINAS-ENTAH'; no agencies exist yet; add a "
        "'kind: agency' document for it"
    )
    docs, problems = load_catalogue(["a.yaml"], known_agencies=["DISDUKCAPIL"])
    assert "see 'egovctl agency list'" in only(problems).message
    # An agency field that is itself invalid is reported once, as invalid, not also unknown.
    write("b.yaml", procedure(agency="agency: [DINAS]"))
    docs, problems = load_catalogue(["b.yaml"], known_agencies=["DISDUKCAPIL"])
    assert only(problems).message.startswith("expected text")


def test_agency_defined_by_a_document_with_errors_still_counts() -> None:
    # Only the misspelt field is reported, not its procedures' references to the agency.
    write("cat.yaml", AGENCY.replace("name: Dinas", "nama: Dinas") + "---\n" + PROCEDURE)
    docs, problems = load_catalogue(["cat.yaml"], known_agencies=[])
    assert [at(p) for p in problems] == ["cat.yaml:3:1:nama"]


def test_same_code_for_an_agency_and_a_procedure_is_allowed() -> None:
    write("same.yaml", AGENCY + "---\n" + procedure(code="code: DISDUKCAPIL"))
    assert problems_of("same.yaml") == []


# -- YAML features --------------------------------------------------------------------------


def test_anchors_and_merge_keys() -> None:
    text = (
        PROCEDURE.replace(
            "steps:\n", "steps:\n  - &loket {name: Penerimaan, actor: Petugas loket}\n"
        )
        + "---\n"
        + procedure(code="code: DUKCAPIL-KK", steps="steps:\n  - {<<: *loket, days: 2}\n  - *loket")
    )
    write("anchors.yaml", text)
    # Anchors belong to their own document: the second document cannot see &loket.
    problems = problems_of("anchors.yaml")
    assert [at(p) for p in problems] == [
        "anchors.yaml:25:10:steps[0]",
        "anchors.yaml:26:5:steps[1]",
    ]
    assert all("unknown alias *loket; define &loket" in p.message for p in problems)

    text = PROCEDURE.replace(
        "steps:\n",
        "steps:\n  - &loket {name: Penerimaan, actor: Petugas loket}\n"
        "  - {<<: *loket, days: 2}\n  - *loket\n",
    )
    write("anchors.yaml", text)
    docs, problems = load_catalogue(["anchors.yaml"])
    assert problems == []
    steps = docs[0].doc.steps
    assert [(s.name, s.days) for s in steps[:3]] == [
        ("Penerimaan", None),
        ("Penerimaan", 2),
        ("Penerimaan", None),
    ]
    assert docs[0].where("steps[2]") == (11, 5)


def test_alias_bomb_is_refused() -> None:
    lines = ["a0: &a0 [x, x, x, x, x, x, x, x, x, x]"]
    lines += [f"a{i}: &a{i} [" + ", ".join([f"*a{i - 1}"] * 10) + "]" for i in range(1, 9)]
    write("bomb.yaml", "\n".join(lines) + "\n")
    p = only(problems_of("bomb.yaml"))
    assert "too many values" in p.message


def test_deep_nesting_is_refused() -> None:
    write("deep.yaml", "name: " + "[" * 200 + "]" * 200 + "\n")
    p = only(problems_of("deep.yaml"))
    assert "nested too deeply" in p.message


def test_unsupported_tag() -> None:
    write("tag.yaml", procedure(product="product: !secret KTP"))
    p = only(problems_of("tag.yaml"))
    assert at(p) == "tag.yaml:14:10:product" and "unsupported YAML tag '!secret'" in p.message


# -- everything at once ---------------------------------------------------------------------


def test_all_problems_of_all_files_are_reported_together() -> None:
    write("cat/01-agency.yaml", AGENCY.replace("name: Dinas", "nama: Dinas"))
    write(
        "cat/02-ktp.yaml",
        procedure(fee='fee: "50.000"') + "---\n" + procedure(code="code: DUKCAPIL-KK", steps=None),
    )
    write("cat/03-broken.yaml", "code: [\n")
    write("cat/04-empty.yaml", "")
    docs, problems = load_catalogue(["cat", "nope"])
    assert docs == []
    assert [str(p) for p in problems] == [
        "nope: no such file or directory",
        "cat/01-agency.yaml:3:1: nama: unknown field 'nama'; did you mean 'name'?",
        "cat/02-ktp.yaml:13:6: fee: expected a whole number, got the text '50.000'; write the "
        "amount in rupiah without separators, e.g. 50000",
        "cat/02-ktp.yaml:16:1: steps: required field is missing; add 'steps: ...' (Sistem, "
        "mekanisme dan prosedur: the ordered steps, at least one, each {name, actor, days})",
        "cat/03-broken.yaml:2:1: YAML syntax error: did not find expected node content, while "
        "parsing a flow node; a '[' list or '{' mapping is not closed, or a value in it contains "
        "',', '[' or '{' and needs quotes",
        "cat/04-empty.yaml:1:1: the file is empty; a catalogue file holds one or more documents "
        "(kind: agency or kind: procedure)",
    ]


# -- schema helpers -------------------------------------------------------------------------


def test_canonical_form_and_hash_ignore_spelling() -> None:
    short = ProcedureDoc.model_validate(
        {
            "code": "A-B",
            "name": " Layanan ",
            "agency": "DINAS",
            "requirements": ["KTP"],
            "steps": [{"name": "Terima"}],
            "sla_days": 1,
            "fee": 0,
            "product": "Surat",
            "category": "",
        }
    )
    long = ProcedureDoc.model_validate(
        {
            "kind": "procedure",
            "code": "A-B",
            "name": "Layanan",
            "agency": "DINAS",
            "requirements": [{"name": "KTP", "copies": 1, "optional": False}],
            "steps": [{"name": "Terima", "days": None}],
            "sla_days": 1,
            "fee": 0,
            "product": "Surat",
        }
    )
    assert short.canonical() == long.canonical()
    assert list(short.canonical()) == [
        "kind",
        "code",
        "name",
        "agency",
        "legal_basis",
        "requirements",
        "steps",
        "sla_days",
        "fee",
        "product",
    ]
    assert content_hash(short) == content_hash(long) == content_hash(long.canonical())
    assert content_hash(short.model_copy(update={"fee": 1})) != content_hash(short)


def test_json_schema_accepts_documents_and_rejects_mistakes() -> None:
    jsonschema = pytest.importorskip("jsonschema")
    import yaml

    schema = catalogue_json_schema()
    assert schema["$schema"] == "https://json-schema.org/draft/2020-12/schema"
    jsonschema.Draft202012Validator.check_schema(schema)
    validator = jsonschema.Draft202012Validator(schema)
    agency, proc = yaml.safe_load(AGENCY), yaml.safe_load(PROCEDURE)
    del proc["kind"]
    assert list(validator.iter_errors(agency)) == []
    assert list(validator.iter_errors(proc)) == []
    assert list(validator.iter_errors({**proc, "fee": "50.000"}))
    assert list(validator.iter_errors({**proc, "prodcut": "x"}))
    assert list(validator.iter_errors({**agency, "code": "dinas"}))
    assert list(validator.iter_errors({**proc, "steps": []}))
    props = schema["$defs"]["ProcedureDoc"]["properties"]
    assert "persyaratan" in props["requirements"]["description"].lower()
    assert "jangka waktu penyelesaian" in props["sla_days"]["description"].lower()


# -- writing --------------------------------------------------------------------------------


def test_dump_format() -> None:
    agency = AgencyDoc.model_validate(
        {"kind": "agency", "code": "DISDUKCAPIL", "name": "Dinas", "phone": "0719 21000"}
    ).canonical()
    proc = ProcedureDoc.model_validate(
        {
            "code": "DUKCAPIL-KTP-EL",
            "name": "Penerbitan KTP-el: baru",
            "agency": "DISDUKCAPIL",
            "description": "Baris satu.\nBaris dua.",
            "requirements": ["Fotokopi KK", {"name": "Pas foto", "copies": 2}],
            "steps": [{"name": "Terima", "actor": "Loket", "days": 1}],
            "sla_days": 1,
            "fee": 0,
            "product": "KTP " + "panjang " * 30,
        }
    ).canonical()
    text = dump_catalogue([agency], [proc])
    assert text.startswith("kind: agency\ncode: DISDUKCAPIL\n")
    assert "\n---\nkind: procedure\ncode: DUKCAPIL-KTP-EL\n" in text
    assert "- Fotokopi KK\n" in text
    assert "- {name: Pas foto, copies: 2}\n" in text
    assert "- {name: Terima, actor: Loket, days: 1}\n" in text
    assert "description: |-\n  Baris satu.\n  Baris dua.\n" in text
    assert "name: 'Penerbitan KTP-el: baru'\n" in text
    assert "product: KTP panjang panjang" in text and len(text.splitlines()) < 30
    assert "legal_basis" not in text  # empty lists are left out


def test_dump_then_load_gives_the_same_documents() -> None:
    write("src.yaml", AGENCY + "---\n" + PROCEDURE)
    docs, problems = load_catalogue(["src.yaml"])
    assert problems == []
    agencies = [d.doc.canonical() for d in docs if d.kind == "agency"]
    procedures = [d.doc.canonical() for d in docs if d.kind == "procedure"]
    Path("out.yaml").write_text(dump_catalogue(agencies, procedures), encoding="utf-8")
    again, problems = load_catalogue(["out.yaml"])
    assert problems == []
    assert [d.doc.canonical() for d in again] == agencies + procedures


def test_dump_rejects_invalid_documents() -> None:
    with pytest.raises(ValueError):
        dump_catalogue([], [{"code": "x"}])


# -- properties -----------------------------------------------------------------------------

# Any text without lone surrogates (which cannot be written as UTF-8 at all) or control
# characters (which the schema refuses).
TEXT = st.text(
    st.characters(blacklist_categories=("Cs", "Cc", "Cf", "Zl", "Zp")), min_size=1, max_size=40
).filter(lambda s: s.strip())
OPTIONAL_TEXT = st.none() | TEXT
REQUIREMENT = TEXT | st.fixed_dictionaries(
    {"name": TEXT},
    optional={
        "copies": st.integers(1, MAX_COPIES),
        "optional": st.booleans(),
        "note": OPTIONAL_TEXT,
    },
)
STEP = st.fixed_dictionaries(
    {"name": TEXT}, optional={"actor": OPTIONAL_TEXT, "days": st.none() | st.integers(0, MAX_DAYS)}
)
AGENCY_CODE = st.from_regex(AGENCY_CODE_PATTERN, fullmatch=True)
PROCEDURE_DOC = st.fixed_dictionaries(
    {
        "code": st.from_regex(PROCEDURE_CODE_PATTERN, fullmatch=True),
        "name": TEXT,
        "agency": AGENCY_CODE,
        "steps": st.lists(STEP, min_size=1, max_size=4),
        "sla_days": st.integers(0, MAX_DAYS),
        "fee": st.integers(0, MAX_FEE),
        "product": TEXT,
    },
    optional={
        "category": OPTIONAL_TEXT,
        "description": OPTIONAL_TEXT,
        "legal_basis": st.lists(TEXT, max_size=3),
        "requirements": st.lists(REQUIREMENT, max_size=4),
        "fee_basis": OPTIONAL_TEXT,
        "complaints": OPTIONAL_TEXT,
        "service_hours": OPTIONAL_TEXT,
    },
).map(ProcedureDoc.model_validate)
# A valid NIP: birth date, start of service (year, month), sex, serial.
NIP = st.builds(
    lambda born, age, month, sex, serial: (
        f"{born:%Y%m%d}{born.year + age}{month:02d}{sex}{serial:03d}"
    ),
    st.dates(min_value=date(1960, 1, 1), max_value=date(2000, 12, 31)),
    st.integers(20, 35),
    st.integers(1, 12),
    st.sampled_from("12"),
    st.integers(1, 999),
)
AGENCY_DOC = st.fixed_dictionaries(
    {"kind": st.just("agency"), "code": AGENCY_CODE, "name": TEXT},
    optional={
        "address": OPTIONAL_TEXT,
        "phone": OPTIONAL_TEXT,
        "head": st.none()
        | st.fixed_dictionaries(
            {"name": TEXT}, optional={"nip": st.none() | NIP, "title": OPTIONAL_TEXT}
        ),
    },
).map(AgencyDoc.model_validate)

FAST = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@FAST
@given(agencies=st.lists(AGENCY_DOC, max_size=2), procedures=st.lists(PROCEDURE_DOC, max_size=3))
def test_random_documents_round_trip(
    agencies: list[AgencyDoc], procedures: list[ProcedureDoc], tmp_path: Path
) -> None:
    # Codes must be unique within one import, like a real export.
    agencies = list({a.code: a for a in agencies}.values())
    procedures = list({p.code: p for p in procedures}.values())
    expected = [a.canonical() for a in agencies] + [p.canonical() for p in procedures]
    text = dump_catalogue([a.canonical() for a in agencies], [p.canonical() for p in procedures])
    path = tmp_path / "roundtrip.yaml"
    path.write_text(text, encoding="utf-8")
    docs, problems = load_catalogue([path])
    if not expected:
        assert [p.message for p in problems] == [
            "the file is empty; a catalogue file holds one or more documents "
            "(kind: agency or kind: procedure)"
        ]
        return
    assert problems == [], text
    assert [d.doc.canonical() for d in docs] == expected, text


VALID_TEXT = AGENCY + "---\n" + PROCEDURE
NASTY = st.sampled_from(
    [
        ":",
        ": ",
        "-",
        "- ",
        "[",
        "]",
        "{",
        "}",
        ",",
        "#",
        "&a",
        "*a",
        "!",
        "|",
        ">",
        "'",
        '"',
        "\t",
        "\n",
        "---\n",
        "...\n",
        "%YAML 1.1\n",
        "<<: ",
        "? ",
        "\\",
        "\x00",
        "\x07",
        "\ufeff",
        "\u2028",
        "\x85",
        "é",
        "  ",
        "0x1F",
        "1e9",
        "~",
        "yes",
        "2024-01-01",
        "!!binary ",
        "@",
    ]
)


@st.composite
def damaged(draw: st.DrawFn) -> bytes:
    """VALID_TEXT after a few random edits: characters, lines, or raw bytes."""
    data = VALID_TEXT.encode("utf-8")
    for _ in range(draw(st.integers(1, 4))):
        op = draw(st.sampled_from(["delete", "insert", "replace", "line", "dupline", "bytes"]))
        pos = draw(st.integers(0, len(data)))
        if op == "delete":
            data = data[:pos] + data[pos + draw(st.integers(1, 20)) :]
        elif op in ("insert", "replace"):
            piece = draw(NASTY | st.text(max_size=5)).encode("utf-8", "surrogatepass")
            cut = pos + (draw(st.integers(1, 5)) if op == "replace" else 0)
            data = data[:pos] + piece + data[cut:]
        elif op in ("line", "dupline"):
            lines = data.split(b"\n")
            i = draw(st.integers(0, len(lines) - 1))
            if op == "line":
                lines[i] = draw(NASTY | st.text(max_size=30)).encode("utf-8", "surrogatepass")
            else:
                lines.insert(i, lines[i])
            data = b"\n".join(lines)
        else:
            data = data[:pos] + draw(st.binary(min_size=1, max_size=6)) + data[pos:]
    return data


@settings(
    max_examples=250, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(data=damaged())
def test_damaged_files_only_ever_give_problems(data: bytes, tmp_path: Path) -> None:
    path = tmp_path / "damaged.yaml"
    path.write_bytes(data)
    docs, problems = load_catalogue([path])  # must not raise
    assert all(isinstance(d, SourceDoc) for d in docs)
    # YAML also counts NEL, LS and PS as line breaks.
    text = data.decode("utf-8", errors="replace")
    line_count = sum(text.count(c) for c in "\n\r\x85\u2028\u2029") + 2
    for p in problems:
        assert p.path == str(path)
        assert "internal error" not in p.message, p
        assert 1 <= p.line <= line_count and p.column >= 1, p
        assert p.message and "\n" not in p.message, p
