"""`mutualaid import / export / report / digest`: what they print, exit codes, nothing half-done."""

from __future__ import annotations

import hashlib
from pathlib import Path

import pytest

from mutualaid_desktop.domain import Contact, Need
from mutualaid_desktop.store import Store
from tests.conftest import SIGNUP_CSV
from tests.unit.exchange.files import signup_rows, write_csv
from tests.unit.test_cli import assert_one_sentence, run


def _sha(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "aid.sqlite"
    assert run(capsys, "init", "--db", str(path), "--name", "Rosa", "--no-encryption")[0] == 0
    return path


def test_import_prints_added_merged_skipped_flagged(db, capsys):
    code, out, err = run(capsys, "import", "--db", str(db), str(SIGNUP_CSV))
    assert code == 0, err
    lines = out.splitlines()
    assert lines[0] == "Added: 300 households (358 needs, 89 driver profiles)"
    assert lines[1] == "Merged: 6 rows into households already known (6 brought nothing new)"
    assert lines[2] == "Skipped: 1 row (1 blank)"
    assert lines[3].startswith("Flagged for review: ")
    flagged = int(lines[3].split(": ")[1].split()[0])
    assert lines[4] == "To review:" and len(lines) == 5 + flagged
    with Store.open(db) as store:
        assert store.count(Contact) == 300
    code, out, _ = run(capsys, "import", "--db", str(db), str(SIGNUP_CSV))
    again = out.splitlines()
    assert again[0] == "Added: 0 households (0 needs, 0 driver profiles)"
    assert again[1] == "Merged: 306 rows into households already known (306 brought nothing new)"
    with Store.open(db) as store:
        assert store.count(Contact) == 300


def test_dry_run_shows_the_mapping_and_writes_nothing(db, capsys):
    before = _sha(db)
    code, out, _ = run(capsys, "import", "--db", str(db), str(SIGNUP_CSV), "--dry-run")
    assert code == 0
    assert "  Full name → Name" in out
    assert "Added: 300 households" in out and out.rstrip().endswith("(--dry-run).")
    assert _sha(db) == before


def test_map_overrides_a_heading(db, tmp_path, capsys):
    path = write_csv(
        tmp_path / "x.csv", ["Who", "Tel", "Wants"], [["Ana Ruiz", "713-555-0100", "Rent"]]
    )
    code, _, err = run(capsys, "import", "--db", str(db), str(path))
    assert code == 1 and "No column is mapped to the name" in err
    code, _out, err = run(
        capsys, "import", "--db", str(db), str(path), "--map", "Who=name", "--map", "wants=needs"
    )
    assert code == 0, err
    with Store.open(db) as store:
        [ana] = store.select(Contact)
        assert ana.name == "Ana Ruiz" and ana.phones[0].e164 == "+17135550100"
        assert [n.description for n in store.select(Need)] == ["Rent"]


@pytest.mark.parametrize(
    ("content", "args", "words"),
    [
        (None, [], "There is no file"),
        (b"", [], "is empty"),
        (b"\x00\x07" * 300, [], "not a spreadsheet"),
        (b"Name,Phone\nAna,1\n", ["--map", "Nope=phone"], "--map"),
        (b"Name,Phone\nAna,1\n", ["--sheet", "Sheet1"], "no sheets"),
        (b"Name,Phone\n", [], "no rows"),
    ],
)
def test_nothing_readable_is_exit_1_with_one_sentence(db, tmp_path, capsys, content, args, words):
    path = tmp_path / "in.csv"
    if content is not None:
        path.write_bytes(content)
    before = _sha(db)
    code, out, err = run(capsys, "import", "--db", str(db), str(path), *args)
    assert code == 1 and out == ""
    assert_one_sentence(err)
    assert words in err
    assert _sha(db) == before


def test_export_report_and_digest(db, tmp_path, capsys):
    run(capsys, "import", "--db", str(db), str(SIGNUP_CSV))
    code, out, err = run(
        capsys, "export", "contacts", "--db", str(db), "--out", str(tmp_path / "c.csv")
    )
    assert (code, out.strip()) == (0, f"Saved 300 contacts to {tmp_path / 'c.csv'}"), err
    assert "JOSÉ Ødegaard" in (tmp_path / "c.csv").read_bytes().decode("utf-8-sig")
    code, out, err = run(
        capsys,
        "export", "needs", "--db", str(db), "--out", str(tmp_path / "n.xlsx"), "--privacy", "code",
    )  # fmt: skip
    assert code == 0 and "Saved 358 needs" in out, err
    code, out, err = run(
        capsys,
        "report", "--db", str(db), "--from", "2026-11-01", "--to", "2026-11-30",
        "--out", str(tmp_path / "r.pdf"),
    )  # fmt: skip
    assert code == 0, err
    assert out.startswith("0 households served")  # imported needs are asked, not yet met
    assert (tmp_path / "r.pdf").read_bytes().startswith(b"%PDF")
    code, out, err = run(capsys, "digest", "--db", str(db), "--date", "2026-11-27")
    assert code == 0, err
    assert out.startswith("Open needs, Fri 27 Nov:")
    assert "Ødegaard" not in out and "urgent" in out
    code, _out, err = run(
        capsys, "export", "rides", "--db", str(db), "--out", str(tmp_path / "r.ods")
    )
    assert code == 1
    assert_one_sentence(err)


def test_a_sheet_without_a_consent_column_says_its_households_stay_on_this_laptop(
    db, tmp_path, capsys
):
    headers, rows = signup_rows()
    consent = headers.index("Can we share your info with other volunteers in the network?")
    path = write_csv(
        tmp_path / "no-consent.csv",
        [h for i, h in enumerate(headers) if i != consent],
        [[v for i, v in enumerate(r) if i != consent] for r in rows],
    )
    code, out, err = run(capsys, "import", "--db", str(db), str(path))
    assert code == 0, err
    with Store.open(db) as store:  # what the line says is what the database holds
        kept = store.count(Contact, "share_scope = 'local' AND consent_at IS NULL")
        assert kept == store.count(Contact) == 300
    assert "300 households stay on this laptop: the sheet has no consent column" in out.splitlines()
    one = write_csv(tmp_path / "one.csv", ["Name", "Phone"], [["Ana Ruiz", "713-555-0100"]])
    code, out, _ = run(capsys, "import", "--db", str(db), str(one), "--dry-run")
    assert "1 household stays on this laptop: the sheet has no consent column" in out.splitlines()


def test_a_sheet_with_a_consent_column_says_nothing_of_the_kind(db, capsys):
    code, out, _ = run(capsys, "import", "--db", str(db), str(SIGNUP_CSV))
    assert code == 0 and "consent column" not in out
