"""Private at rest: every file the program writes is 0600 in a 0700 folder, and the log
holds no person: a household with recognisable values meets errors in every layer,
then the log is searched for them."""

from __future__ import annotations

import logging
import os
import stat
from collections.abc import Iterator
from pathlib import Path

import pytest

from mutualaid_desktop import cli, config, logs
from mutualaid_desktop.domain import Contact
from mutualaid_desktop.store import Store
from mutualaid_desktop.store.connection import DatabaseKey
from mutualaid_desktop.sync.importer import backup_database
from tests.recognisable import (
    EMAIL,
    NAME,
    NOTE,
    PASSPHRASE,
    PHONE,
    STREET,
    TRACES,
    household,
    passphrase_file,
)


@pytest.fixture
def umask_022() -> Iterator[None]:
    old = os.umask(0o022)  # the usual default: files 0644, folders 0755
    yield
    os.umask(old)


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    return passphrase_file(tmp_path)


@pytest.fixture
def log_file(program_home: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Path]:
    """The program's log set up afresh in this test's home."""
    monkeypatch.setattr(logs, "_configured", False)
    root = logging.getLogger()
    before = list(root.handlers)
    logs.setup_logging()
    yield Path(logs.log_file())
    for handler in root.handlers[:]:
        if handler not in before:
            root.removeHandler(handler)
            handler.close()


def modes(*roots: Path, skip: tuple[Path, ...] = ()) -> dict[str, str]:
    """Every file and folder under `roots` whose mode is not 0600 / 0700."""
    wrong = {}
    for root in roots:
        for folder, dirs, names in os.walk(root):
            for name in dirs + names:
                path = Path(folder) / name
                if path in skip:
                    continue
                mode = stat.S_IMODE(path.stat().st_mode)
                want = 0o700 if path.is_dir() else 0o600
                if mode != want:
                    wrong[str(path.relative_to(root))] = oct(mode)
    return wrong


def test_every_file_the_program_writes_is_0600_in_a_0700_folder(
    program_home: Path, tmp_path: Path, secret: Path, umask_022: None, log_file: Path
) -> None:
    work = tmp_path / "group"  # made by the program
    db = work / "aid.sqlite"
    key = ("--db", str(db), "--passphrase-file", str(secret))
    assert cli.main(["demo", *key, "--households", "20", "--today", "2026-11-27"]) == 0
    pdf = work / "sheets" / "routes.pdf"
    pdf.parent.mkdir()  # the organizer's own folder: left as they made it
    assert cli.main(["print", "routes", *key, "--date", "2026-11-28", "--out", str(pdf)]) == 0
    bundle_pw = tmp_path / "group-pass.txt"
    bundle_pw.write_text("group sync words for the stick\n", encoding="utf-8")
    out = work / "sheets" / "east.bundle"
    export = ["bundle", "export", "--db", str(db), "--db-passphrase-file", str(secret)]
    assert cli.main([*export, "--out", str(out), "--bundle-passphrase-file", str(bundle_pw)]) == 0
    with Store.open(db, DatabaseKey.for_file(db, PASSPHRASE)) as store:
        assert backup_database(store) is not None
        logging.getLogger("mutualaid_desktop").warning("a line, so the log has content")
    written = [p for p in program_home.rglob("*") if p.is_file()]
    assert {p.name for p in written} >= {"mutualaid.log", "replicas.json"}
    assert any(p.parent.parent == config.backups_dir() for p in written)  # one folder per database
    assert modes(program_home) == {}
    assert modes(work, skip=(pdf.parent,)) == {}
    assert pdf.exists() and out.exists()


def test_a_database_made_readable_by_an_earlier_version_is_tightened_on_open(
    db_path: Path, umask_022: None
) -> None:
    Store.create(db_path, organizer="Rosa").close()
    os.chmod(db_path, 0o644)
    with Store.open(db_path):
        assert stat.S_IMODE(db_path.stat().st_mode) == 0o600
        assert stat.S_IMODE(Path(f"{db_path}-wal").stat().st_mode) == 0o600


def test_the_log_holds_no_household_data_whatever_fails(
    tmp_path: Path, secret: Path, log_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    db = tmp_path / "aid.sqlite"
    key = ("--db", str(db), "--passphrase-file", str(secret))
    assert cli.main(["init", *key, "--name", "Rosa"]) == 0
    with Store.open(db, DatabaseKey.for_file(db, PASSPHRASE)) as store:
        contact = store.insert(household())

    # The store: a bug while searching that quotes the whole record back (its repr).
    def broken_search(conn: object, text: str, limit: int = 50) -> list[object]:
        try:
            Contact(name=NAME, email="zeph.quix@@example", notes=NOTE)  # pydantic's input_value
        except ValueError as invalid:
            raise RuntimeError(f"cannot rank {contact!r} for {text!r}") from invalid
        return []

    with monkeypatch.context() as patch:
        patch.setattr("mutualaid_desktop.store.search.search", broken_search)
        assert cli.main(["search", *key, NAME]) == 1

    # The printouts: a bug drawing a household's line, naming it the way our messages do.
    def broken_sheet(*args: object, **kwargs: object) -> object:
        raise ValueError(f"no room for “{NAME}, {STREET}” ({PHONE}, {EMAIL}) on the page")

    pdf = tmp_path / "routes.pdf"
    with monkeypatch.context() as patch:
        patch.setattr("mutualaid_desktop.sheets.make.make_sheet", broken_sheet)
        assert cli.main(["print", "routes", *key, "--date", "2026-11-28", "--out", str(pdf)]) == 1

    # Sync: the merge fails on a row, as a KeyError does (its message is the key's repr).
    def broken_export(*args: object, **kwargs: object) -> object:
        raise KeyError(NOTE)

    bundle_pw = tmp_path / "group.txt"
    bundle_pw.write_text("group sync words\n", encoding="utf-8")
    with monkeypatch.context() as patch:
        patch.setattr("mutualaid_desktop.sync.bundle.export_bundle", broken_export)
        export = ["bundle", "export", "--db", str(db), "--db-passphrase-file", str(secret)]
        out = ["--out", str(tmp_path / "b"), "--passphrase-file", str(bundle_pw)]
        assert cli.main([*export, *out]) == 1

    # The disk: an OSError naming a file the organizer called after the household.
    def full_disk(*args: object, **kwargs: object) -> None:
        raise OSError(28, "No space left on device", str(tmp_path / f"{NAME} routes.pdf"))

    with monkeypatch.context() as patch:
        patch.setattr("mutualaid_desktop.sheets.make.make_sheet", full_disk)
        assert cli.main(["print", "signin", *key, "--date", "2026-11-28", "--out", str(pdf)]) == 1

    # The window's bug dialog logs through the same scrubber (its details are sent on, too).
    try:
        {"name": NAME, "phone": PHONE}["email"]
    except KeyError as error:
        error.add_note(f"while showing {contact.model_dump()!r}")
        details = logs.describe_exception(error)
        logging.getLogger("mutualaid_desktop.ui.errors").error("unexpected error\n%s", details)
        assert not [t for t in TRACES if t in details]

    for handler in logging.getLogger().handlers:
        handler.flush()
    text = log_file.read_text(encoding="utf-8")
    assert (
        text.count("unexpected error") == 4 and "OS or SQLite error" in text
    )  # every failure logged
    assert "Traceback" in text
    assert contact.id in text  # records are named by id
    assert [t for t in TRACES if t in text] == []


def test_scrubbing_keeps_what_helps_and_removes_what_names_someone() -> None:
    line = (
        'File "/app/store.py", line 1208, in save: UNIQUE constraint failed: contacts.id '
        "for 3f2a9c1e-1234-4567-8901-123456789012, input_value='Zephyrine', can't parse "
        "“4417 Quillfeather”, call +1 (713) 555-0199 or zeph.quix@example.org"
    )
    scrubbed = logs.scrub(line)
    assert scrubbed.startswith('File "/app/store.py", line 1208, in save: UNIQUE constraint')
    assert "3f2a9c1e-1234-4567-8901-123456789012" in scrubbed and "can't parse" in scrubbed
    assert [t for t in [*TRACES, "713"] if t in scrubbed] == []
