"""Each database's organizer identity: made at creation, kept, read aloud, upgraded into."""

from __future__ import annotations

import re
import sqlite3
from pathlib import Path

import pytest
from sqlite_utils import Database

from mutualaid_desktop import cli
from mutualaid_desktop.store import Store, schema
from mutualaid_desktop.store.constants import SCHEMA_VERSION
from mutualaid_desktop.sync.identity import fingerprint, identity, sign

FINGERPRINT = re.compile(r"^[A-Z2-7]{4}(-[A-Z2-7]{4}){7}$")


def test_a_new_database_has_a_key_pair_that_signs(store: Store) -> None:
    me = identity(store)
    assert FINGERPRINT.match(me.fingerprint)
    signature = sign(store, b"bundle bytes")
    assert me.verify(signature, b"bundle bytes")
    assert not me.verify(signature, b"tampered bytes")


def test_the_identity_survives_reopening_and_differs_between_databases(
    db_path: Path, tmp_path: Path
) -> None:
    first = Store.create(db_path, organizer="Rosa")
    fp = identity(first).fingerprint
    first.close()
    again = Store.open(db_path)
    assert identity(again).fingerprint == fp
    again.close()
    other = Store.create(tmp_path / "other.sqlite", organizer="Sam")
    assert identity(other).fingerprint != fp
    other.close()


def test_a_database_from_before_identities_gets_one_when_opened(db_path: Path) -> None:
    store = Store.create(db_path, organizer="Rosa")
    store.close()
    # Turn it back into a version-1 file: no identity table, schema_version 1.
    conn = sqlite3.connect(db_path)
    conn.execute("DROP TABLE identity")
    conn.execute("DELETE FROM _sqlite_migrations WHERE name = 'm002_identity'")
    conn.execute("UPDATE meta SET value = '1' WHERE key = 'schema_version'")
    conn.commit()
    conn.close()
    upgraded = Store.open(db_path)
    assert FINGERPRINT.match(identity(upgraded).fingerprint)
    assert upgraded.meta()["schema_version"] == str(SCHEMA_VERSION)
    assert [m.name for m in schema.migrations.pending(Database(upgraded.conn))] == []
    upgraded.close()


def test_fingerprint_depends_on_every_byte() -> None:
    assert fingerprint(b"\x00" * 32) != fingerprint(b"\x00" * 31 + b"\x01")


def test_identity_command_prints_the_fingerprint_last(
    db_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    Store.create(db_path, organizer="Rosa").close()
    assert cli.main(["identity", "--db", str(db_path)]) == 0
    out = capsys.readouterr().out.strip().splitlines()
    assert out[0] == "Organizer: Rosa"
    assert FINGERPRINT.match(out[-1])
