"""Trust you can take back: removing an organizer, and a founder who never switches groups
without being asked."""

from __future__ import annotations

from pathlib import Path

import pytest

from mutualaid_desktop.domain import Contact, ShareScope
from mutualaid_desktop.store import Store
from mutualaid_desktop.sync.bundle import peers
from mutualaid_desktop.sync.envelope import OpenedBundle
from mutualaid_desktop.sync.identity import identity
from mutualaid_desktop.sync.importer import Decisions, Incoming, NotTrusted, OtherGroup, check
from tests.unit.sync.exchange import body_of, deliver
from tests.unit.sync.test_conflicts import run


def incoming(sender: Store) -> Incoming:
    body = body_of(sender)
    return Incoming(OpenedBundle(body, identity(sender)), body["bundle_id"], "test")


def test_a_removed_organizer_must_be_compared_again(tmp_path: Path) -> None:
    rosa = Store.create(None, organizer="Rosa")
    sam_path = tmp_path / "sam.sqlite"
    with Store.create(sam_path, organizer="Sam") as sam:
        deliver(body_of(rosa), rosa, sam)
        assert [p.organizer for p in peers(sam)] == ["Rosa"]
    fp = identity(rosa).fingerprint
    code, out, err = run("trust", "remove", "--db", sam_path, fp.lower().replace("-", " "))
    assert code == 0, err
    assert "no longer accepts bundles from Rosa" in out
    with Store.open(sam_path) as sam:
        assert peers(sam) == []
        with pytest.raises(NotTrusted):
            check(sam, incoming(rosa))
    code, _, err = run("trust", "remove", "--db", sam_path, fp)
    assert code == 1 and "No organizer trusted here" in err


def test_a_group_founder_never_switches_groups_silently() -> None:
    rosa, sam, lee = (Store.create(None, organizer=n) for n in ("Rosa", "Sam", "Lee"))
    rosa.insert(
        Contact(name="Ana", adults=1, share_scope=ShareScope.GROUP, consent_at=rosa_consent())
    )
    deliver(body_of(rosa), rosa, sam)  # Sam joins the group Rosa founded
    founded = rosa.meta()["group_id"]
    with pytest.raises(OtherGroup):
        check(rosa, incoming(lee), Decisions(trust=identity(lee).fingerprint))
    assert rosa.meta()["group_id"] == founded
    # A laptop that never exchanged anything still joins the first group it trusts.
    fresh = Store.create(None, organizer="Tom")
    check(fresh, incoming(lee), Decisions(trust=identity(lee).fingerprint))


def rosa_consent():  # type: ignore[no-untyped-def]
    from datetime import UTC, datetime

    return datetime(2026, 11, 1, tzinfo=UTC)


@pytest.mark.parametrize(
    "weak", ["foodbank2026!", "eastside mutual aid 2026", "Rosa Rosa Rosa Rosa", "Tr0ub4dor&3"]
)
def test_a_weak_group_passphrase_is_refused_with_a_suggestion(tmp_path: Path, weak: str) -> None:
    from mutualaid_desktop.sync.bundle import export_bundle
    from mutualaid_desktop.sync.passphrase import WeakPassphrase, weakness

    store = Store.create(tmp_path / "r.sqlite", organizer="Rosa", org_name="Eastside Mutual Aid")
    with store, pytest.raises(WeakPassphrase) as caught:
        export_bundle(store, tmp_path / "x.bundle", weak)
    assert not (tmp_path / "x.bundle").exists()
    suggestion = caught.value.suggestion
    assert f"“{suggestion}”" in str(caught.value)
    assert len(suggestion.split()) == 5 and weakness(suggestion) is None
    from mutualaid_desktop.sync.passphrase import suggestion as another

    assert another() != suggestion  # made fresh each time, on this laptop


def test_why_a_passphrase_is_weak_is_said_in_the_organizers_language() -> None:
    # zxcvbn words its warnings in English only; ours are in the catalog.
    from mutualaid_desktop import i18n
    from mutualaid_desktop.sync.passphrase import weakness

    with i18n.speaking("es"):
        assert (
            weakness("aaaaaaaaaaaaaaaaaa") == 'las repeticiones como "aaa" son fáciles de adivinar'
        )
        assert weakness("qwertyuiopasdfgh") == "se parece a una contraseña muy usada"
    assert weakness("aaaaaaaaaaaaaaaaaa") == 'repeats like "aaa" are easy to guess'
