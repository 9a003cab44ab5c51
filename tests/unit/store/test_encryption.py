"""The database encrypted at rest: no readable byte on disk, one sentence for a wrong passphrase.

Each check looks at the file from outside (its bytes, SQLCipher's own
passphrase handling, a second name kept on the old file) rather than asking
the store whether it thinks it encrypted.
"""

from __future__ import annotations

import hashlib
import os
from collections.abc import Iterator
from pathlib import Path

import pytest

from mutualaid_desktop import cli
from mutualaid_desktop.demo import build_demo
from mutualaid_desktop.domain import Contact
from mutualaid_desktop.errors import PassphraseRequired, UserError, WrongPassphrase
from mutualaid_desktop.store import Store
from mutualaid_desktop.store.check import check_database
from mutualaid_desktop.store.connection import DatabaseKey, connect, is_encrypted, sqlite
from mutualaid_desktop.store.encryption import change_key, encrypt_in_place
from mutualaid_desktop.sync.importer import backup_database
from mutualaid_desktop.sync.shared import sync_state
from tests.conftest import TODAY
from tests.recognisable import NAME, PASSPHRASE, household, passphrase_file, traces_in


def readable(path: Path) -> bytes:
    """Every byte SQLite keeps for the database at `path` (the file, its -wal and -shm)."""
    return b"".join(
        Path(f"{path}{suffix}").read_bytes()
        for suffix in ("", "-wal", "-shm")
        if Path(f"{path}{suffix}").exists()
    )


def run(capfd: pytest.CaptureFixture[str], *argv: str | Path) -> tuple[int, str, str]:
    code = cli.main([str(a) for a in argv])
    out, err = capfd.readouterr()
    return code, out, err


def assert_one_sentence(err: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("mutualaid: ") and lines[0].endswith(".")
    assert "Traceback" not in err and "ERROR" not in err


@pytest.fixture
def secret(tmp_path: Path) -> Path:
    return passphrase_file(tmp_path)


@pytest.fixture
def encrypted_db(tmp_path: Path, secret: Path, capfd: pytest.CaptureFixture[str]) -> Path:
    """A database made by `mutualaid init --passphrase-file`, holding one household."""
    path = tmp_path / "aid.sqlite"
    code, _, err = run(capfd, "init", "--db", path, "--name", "Rosa", "--passphrase-file", secret)
    assert code == 0, err
    with Store.open(path, DatabaseKey.for_file(path, PASSPHRASE)) as store:
        store.insert(household())
    return path


@pytest.fixture
def plain_demo(tmp_path: Path) -> Iterator[Path]:
    path = tmp_path / "plain.sqlite"
    store = Store.create(path, organizer="Rosa", org_name="Eastside")
    build_demo(store, households=30, seed=5, today=TODAY)
    store.insert(household())
    store.close()
    yield path


def test_a_database_made_with_a_passphrase_file_has_no_header_and_no_name_in_its_bytes(
    encrypted_db: Path,
) -> None:
    data = encrypted_db.read_bytes()
    assert not data.startswith(b"SQLite format 3")
    assert traces_in(readable(encrypted_db)) == []
    # ...while the household is there for whoever has the passphrase.
    with Store.open(encrypted_db, DatabaseKey.for_file(encrypted_db, PASSPHRASE)) as store:
        assert [hit.title for hit in store.search("quixwell")] == [NAME]


def test_the_passphrase_alone_opens_it_with_sqlciphers_own_settings(encrypted_db: Path) -> None:
    # In an emergency, the sqlcipher shell and `PRAGMA key = '<passphrase>'` open the file.
    conn = sqlite.connect(str(encrypted_db))
    conn.execute(f"PRAGMA key = '{PASSPHRASE}'")
    assert conn.execute("SELECT name FROM contacts").fetchall() == [(NAME,)]
    conn.close()


def test_the_wrong_passphrase_is_one_sentence_and_changes_nothing(
    encrypted_db: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    wrong = tmp_path / "wrong.txt"
    wrong.write_text("plum orbit lantern eighteen\n", encoding="utf-8")
    before = hashlib.sha256(encrypted_db.read_bytes()).hexdigest()
    for command in (
        ["search", "quix"],
        ["check"],
        ["print", "routes", "--date", "2026-11-28", "--out", str(tmp_path / "r.pdf")],
    ):
        code, out, err = run(capfd, *command, "--db", encrypted_db, "--passphrase-file", wrong)
        assert code == 1
        assert out == ""
        assert_one_sentence(err)  # and SQLCipher wrote nothing of its own to stderr
        assert "passphrase does not open aid.sqlite" in err
    assert hashlib.sha256(encrypted_db.read_bytes()).hexdigest() == before
    assert not (tmp_path / "r.pdf").exists()


def test_without_a_passphrase_and_no_terminal_it_says_how_to_give_one(
    encrypted_db: Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin.isatty", lambda: False, raising=False)
    code, _, err = run(capfd, "search", "--db", encrypted_db, "quix")
    assert code == 1
    assert_one_sentence(err)
    assert "--passphrase-file" in err


def test_a_terminal_is_asked_without_echo(
    encrypted_db: Path, capfd: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    asked: list[str] = []
    monkeypatch.setattr("mutualaid_desktop.passphrases.can_ask", lambda: True)
    monkeypatch.setattr("getpass.getpass", lambda prompt: asked.append(prompt) or PASSPHRASE)
    code, out, err = run(capfd, "search", "--db", encrypted_db, "quixwell")
    assert code == 0, err
    assert NAME in out
    assert asked == ["Passphrase for aid.sqlite: "]


def test_the_store_refuses_without_the_key_and_with_a_wrong_one(encrypted_db: Path) -> None:
    with pytest.raises(PassphraseRequired):
        Store.open(encrypted_db)
    with pytest.raises(WrongPassphrase):
        Store.open(encrypted_db, DatabaseKey.for_file(encrypted_db, "not it"))


def test_new_databases_are_encrypted_unless_told_not_to(
    tmp_path: Path, secret: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    refused = tmp_path / "refused.sqlite"
    code, _, err = run(capfd, "init", "--db", refused, "--name", "Rosa")
    assert code == 1
    assert_one_sentence(err)
    assert "--no-encryption" in err and not refused.exists()
    plain = tmp_path / "plain.sqlite"
    assert run(capfd, "init", "--db", plain, "--name", "Rosa", "--no-encryption")[0] == 0
    assert plain.read_bytes().startswith(b"SQLite format 3")
    code, _, err = run(
        capfd, "init", "--db", tmp_path / "both.sqlite", "--name", "R",
        "--no-encryption", "--passphrase-file", secret,
    )  # fmt: skip
    assert code == 1 and "not both" in err


def test_every_command_works_on_an_encrypted_demo(
    tmp_path: Path, secret: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "demo.sqlite"
    key = ("--db", db, "--passphrase-file", secret)
    assert run(capfd, "demo", *key, "--households", "30", "--today", TODAY.isoformat())[0] == 0
    assert not db.read_bytes().startswith(b"SQLite format 3")
    code, out, err = run(capfd, "check", *key)
    assert (code, out.strip()) == (0, "No problems found."), err
    code, out, _ = run(capfd, "search", *key, "garcia")
    assert code == 0 and out.count("\n") >= 1
    pdf = tmp_path / "routes.pdf"
    code, _, err = run(capfd, "print", "routes", *key, "--date", "2026-11-28", "--out", pdf)
    assert code == 0, err
    assert pdf.read_bytes().startswith(b"%PDF")
    for command in (["identity"], ["sync-state"], ["rides", "match", "--date", "2026-11-28"]):
        code, _, err = run(capfd, *command, *key)
        # (a small demo may have no unassigned ride that day: the query ran all the same)
        assert code == 0 or "no unassigned rides" in err, (command, err)
    sheet = tmp_path / "signup.csv"
    sheet.write_text("Name,Phone,ZIP\nZephyrine Quixwell,713 555 0199,77036\n", encoding="utf-8")
    code, out, err = run(capfd, "import", *key, sheet)
    assert code == 0 and "Added: 1 household " in out, (out, err)
    out_csv = tmp_path / "contacts.csv"
    assert run(capfd, "export", "contacts", *key, "--out", out_csv)[0] == 0
    assert NAME in out_csv.read_bytes().decode("utf-8-sig")
    report = tmp_path / "report.xlsx"
    assert run(capfd, "report", *key, "--from", "2026-11-01", "--to", "2026-11-30",
               "--out", report)[0] == 0  # fmt: skip
    assert run(capfd, "digest", *key, "--date", "2026-11-27")[0] == 0
    bundle_pw = tmp_path / "group.txt"
    bundle_pw.write_text("group sync words for the stick\n", encoding="utf-8")
    code, out, err = run(
        capfd, "bundle", "export", "--db", db, "--db-passphrase-file", secret,
        "--out", tmp_path / "b.bundle", "--passphrase-file", bundle_pw,
    )  # fmt: skip
    assert code == 0, err
    assert "read back correctly" in out


def test_encrypt_in_place_keeps_every_row_and_overwrites_the_plain_file(
    plain_demo: Path, secret: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    with Store.open(plain_demo) as store:
        state = sync_state(store)
        hits = [h.id for h in store.search("quixwell")]
    assert traces_in(readable(plain_demo)) != []  # the plain file held them
    # A second name for the plain file's bytes: after encrypting, they must be zeros.
    spare = plain_demo.with_name("spare-link")
    os.link(plain_demo, spare)
    code, out, err = run(capfd, "encrypt", "--db", plain_demo, "--passphrase-file", secret)
    assert code == 0, err
    assert "Encrypted" in out
    assert set(spare.read_bytes()) == {0}
    assert not plain_demo.read_bytes().startswith(b"SQLite format 3")
    assert traces_in(readable(plain_demo)) == []
    leftovers = sorted(p.name for p in plain_demo.parent.iterdir())
    assert leftovers == ["passphrase.txt", "plain.sqlite", "spare-link"]
    with Store.open(plain_demo, DatabaseKey.for_file(plain_demo, PASSPHRASE)) as store:
        assert sync_state(store) == state
        assert [h.id for h in store.search("quixwell")] == hits
        assert check_database(store) == []


def test_encrypt_refuses_while_the_database_is_open_elsewhere(
    plain_demo: Path, secret: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    before = hashlib.sha256(plain_demo.read_bytes()).hexdigest()
    with Store.open(plain_demo):
        code, _, err = run(capfd, "encrypt", "--db", plain_demo, "--passphrase-file", secret)
    assert code == 1
    assert_one_sentence(err)
    assert "open in another window" in err
    assert is_encrypted(plain_demo) is False
    with Store.open(plain_demo) as store:
        assert store.search("quixwell")
    assert hashlib.sha256(plain_demo.read_bytes()).hexdigest() == before


def test_a_copy_that_fails_its_check_changes_nothing(
    plain_demo: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from mutualaid_desktop.store import encryption

    calls = iter(range(1000))
    real = encryption._digest
    monkeypatch.setattr(encryption, "_digest", lambda conn, table: (real(conn, table), next(calls)))
    with pytest.raises(UserError, match="differs from the original"):
        encrypt_in_place(plain_demo, DatabaseKey.new(PASSPHRASE))
    assert sorted(p.name for p in plain_demo.parent.iterdir()) == ["plain.sqlite"]
    with Store.open(plain_demo) as store:
        assert store.search("quixwell")


def test_rekey_changes_which_passphrase_opens_it(encrypted_db: Path) -> None:
    old = DatabaseKey.for_file(encrypted_db, PASSPHRASE)
    change_key(encrypted_db, old, DatabaseKey.new("a whole new set of words"))
    with pytest.raises(WrongPassphrase):
        Store.open(encrypted_db, DatabaseKey.for_file(encrypted_db, PASSPHRASE))
    new = DatabaseKey.for_file(encrypted_db, "a whole new set of words")
    assert new.salt != old.salt
    with Store.open(encrypted_db, new) as store:
        assert [c.name for c in store.select(Contact)] == [NAME]
    assert traces_in(readable(encrypted_db)) == []


def test_a_background_job_reopens_with_the_same_key_and_no_key_stretching(
    encrypted_db: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    with Store.open(encrypted_db, DatabaseKey.for_file(encrypted_db, PASSPHRASE)) as store:

        def no_stretching(*args: object) -> None:
            raise AssertionError("a second connection must reuse the stretched key")

        monkeypatch.setattr(DatabaseKey, "derive", no_stretching)
        with store.reopen() as other:
            assert [c.name for c in other.select(Contact)] == [NAME]


def test_the_backup_before_an_import_is_encrypted_with_the_same_key(encrypted_db: Path) -> None:
    key = DatabaseKey.for_file(encrypted_db, PASSPHRASE)
    with Store.open(encrypted_db, key) as store:
        backup = backup_database(store)
    assert backup is not None
    assert not backup.read_bytes().startswith(b"SQLite format 3")
    assert traces_in(backup.read_bytes()) == []
    conn = connect(backup, key, read_only=True)
    assert conn.execute("SELECT name FROM contacts").fetchall() == [(NAME,)]
    conn.close()


def test_a_key_never_shows_in_its_repr() -> None:
    key = DatabaseKey.new(PASSPHRASE)
    assert key.key.hex() not in repr(key) and PASSPHRASE not in repr(key)
    assert key.matches(PASSPHRASE) and not key.matches("plum orbit lantern")


def test_a_weak_new_passphrase_is_refused_with_a_strong_one_suggested(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    weak = tmp_path / "weak.txt"
    weak.write_text("eastside2026\n", encoding="utf-8")
    path = tmp_path / "aid.sqlite"
    code, _, err = run(capfd, "init", "--db", path, "--name", "Rosa", "--passphrase-file", weak)
    assert code == 1
    assert_one_sentence(err)
    assert "Too easy to guess" in err and "for example" in err
    assert not path.exists()


def test_backup_backups_and_restore_take_the_passphrase_and_stay_encrypted(
    encrypted_db: Path, secret: Path, tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    key_args = ("--db", encrypted_db, "--passphrase-file", secret)
    code, out, err = run(capfd, "backup", *key_args)
    assert code == 0, err
    backup = Path(out.strip().splitlines()[-1])
    assert "1 contacts" in out or "1 contact" in out
    data = backup.read_bytes()
    assert not data.startswith(b"SQLite format 3") and traces_in(data) == []
    code, out, err = run(capfd, "backups", *key_args)
    assert code == 0 and out.startswith(str(backup)), err
    key = DatabaseKey.for_file(encrypted_db, PASSPHRASE)
    with Store.open(encrypted_db, key) as store:
        store.delete(Contact, store.select(Contact)[0].id)
    # The passphrase changes: the backup made under the old one restores with both, and
    # the restored database keeps the current passphrase.
    new_secret = tmp_path / "new.txt"
    new_secret.write_text("a whole new set of words\n", encoding="utf-8")
    code, _, err = run(capfd, "rekey", *key_args, "--new-passphrase-file", new_secret)
    assert code == 0, err
    now_args = ("--db", encrypted_db, "--passphrase-file", new_secret)
    code, _, err = run(capfd, "restore", *now_args, backup)
    assert code == 1 and "--backup-passphrase-file" in err
    assert_one_sentence(err)
    code, out, err = run(capfd, "restore", *now_args, "--backup-passphrase-file", secret, backup)
    assert code == 0, err
    assert traces_in(readable(encrypted_db)) == []
    with Store.open(
        encrypted_db, DatabaseKey.for_file(encrypted_db, "a whole new set of words")
    ) as store:
        assert [c.name for c in store.select(Contact)] == [NAME]
