"""Consent merges restrictive-wins: no bundle widens, overwrites or deletes a household
this laptop keeps on this laptop only (SYNC.md, "Bundle file").

Each test is checked against what the household agreed to, from outside: the
bytes of the next bundle must not name the household or carry its private note.
"""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

from mutualaid_desktop.demo import build_demo
from mutualaid_desktop.domain import Category, Contact, Need, ShareScope
from mutualaid_desktop.store import Store
from mutualaid_desktop.sync.bundle import knowledge
from mutualaid_desktop.sync.conflicts import open_conflicts, resolve
from mutualaid_desktop.sync.merge import merge
from tests.unit.sync.exchange import body_of, deliver, sync

TODAY = date(2026, 11, 27)
PRIVATE_NOTE = "Undocumented; do not share the address"


def paired() -> tuple[Store, Store, Contact]:
    """Rosa and Sam after syncing both ways; Sam then keeps one household home."""
    rosa, sam = Store.create(None, organizer="Rosa"), Store.create(None, organizer="Sam")
    build_demo(rosa, households=12, seed=3, today=TODAY)
    sync(rosa, sam)
    sync(sam, rosa)
    household = rosa.select(
        Contact,
        "share_scope = 'group' AND id IN (SELECT contact_id FROM needs WHERE _cl % 2 = 1)",
        limit=1,
    )[0]
    sam.update(Contact, household.id, share_scope=ShareScope.LOCAL, notes=PRIVATE_NOTE)
    return rosa, sam, household


def leaks(store: Store, household: Contact) -> list[str]:
    """What of the household the store's next full bundle would carry."""
    text = json.dumps(body_of(store), ensure_ascii=False)
    return [s for s in (household.name, PRIVATE_NOTE) if s in text]


def assert_kept_home(sam: Store, household: Contact) -> None:
    kept = sam.require(Contact, household.id)
    assert kept.share_scope is ShareScope.LOCAL
    assert kept.notes == PRIVATE_NOTE
    assert kept.name == household.name
    assert not leaks(sam, household)


def test_a_peer_re_recording_consent_unaware_does_not_share_it_again() -> None:
    rosa, sam, household = paired()
    # Rosa has not seen Sam's change; she re-records the consent date.
    rosa.update(Contact, household.id, consent_at=datetime(2026, 11, 20, tzinfo=UTC))
    result = deliver(body_of(rosa), rosa, sam)
    assert_kept_home(sam, household)
    assert result.changes.conflicts >= 1
    assert any(c.row_id == household.id for c in open_conflicts(sam))
    # Back at Rosa's, the narrower scope wins too, and her laptop stops sharing it.
    sync(sam, rosa)
    assert rosa.require(Contact, household.id).share_scope is ShareScope.LOCAL
    assert not leaks(rosa, household)
    # ...also towards a third laptop that only hears from Rosa.
    tom = Store.create(None, organizer="Tom")
    sync(rosa, tom)
    assert tom.get(Contact, household.id) is None


def test_a_consent_only_flip_on_purpose_is_refused() -> None:
    rosa, sam, household = paired()
    sync(sam, rosa)  # Rosa knows Sam keeps it home, and flips it back on purpose
    assert rosa.require(Contact, household.id).share_scope is ShareScope.LOCAL
    rosa.update(
        Contact,
        household.id,
        share_scope=ShareScope.GROUP,
        consent_at=datetime(2026, 11, 26, tzinfo=UTC),
    )
    deliver(body_of(rosa), rosa, sam)
    assert_kept_home(sam, household)
    [conflict] = [c for c in open_conflicts(sam) if c.row_id == household.id]
    assert conflict.group == "consent"


def test_a_tombstone_does_not_delete_a_household_kept_home() -> None:
    rosa, sam, household = paired()
    needs = [n.id for n in sam.select(Need, "contact_id = ?", [household.id])]
    assert needs
    rosa.delete(Contact, household.id)  # takes its needs along on Rosa's laptop
    deliver(body_of(rosa), rosa, sam)
    assert not sam.is_deleted(Contact, household.id)
    assert_kept_home(sam, household)
    assert [n.id for n in sam.select(Need, "contact_id = ?", [household.id])] == needs
    assert any(c.group == "_cl" for c in open_conflicts(sam) if c.row_id == household.id)


def test_a_full_row_overwrite_is_refused_and_listed_for_review() -> None:
    rosa, sam, household = paired()
    rosa.update(Contact, household.id, name="Someone Else", notes="overwritten by Rosa", adults=4)
    body = body_of(rosa)
    preview = merge(sam, body, knowledge(sam), write=False)
    result = deliver(body, rosa, sam)
    assert preview.as_dict() == result.changes.as_dict()
    assert_kept_home(sam, household)
    assert sam.require(Contact, household.id).adults == household.adults
    lost = {c.group: c.other.values for c in open_conflicts(sam) if c.row_id == household.id}
    assert lost["name"] == {"name": "Someone Else"}
    assert lost["notes"] == {"notes": "overwritten by Rosa"}


def test_a_new_need_for_a_household_kept_home_stays_home() -> None:
    rosa, sam, household = paired()
    need = rosa.insert(Need(contact_id=household.id, category=Category.BABY_SUPPLIES))
    deliver(body_of(rosa), rosa, sam)
    assert sam.get(Need, need.id) is not None
    assert need.id not in json.dumps(body_of(sam))


def test_only_an_organizer_on_this_laptop_widens_it() -> None:
    rosa, sam, household = paired()
    sync(sam, rosa)
    sam.update(
        Contact,
        household.id,
        share_scope=ShareScope.GROUP,
        consent_at=datetime(2026, 11, 26, tzinfo=UTC),
    )
    deliver(body_of(sam), sam, rosa)
    # Rosa keeps it home until an organizer on her laptop decides.
    assert rosa.require(Contact, household.id).share_scope is ShareScope.LOCAL
    [conflict] = [
        c for c in open_conflicts(rosa) if c.row_id == household.id and c.group == "consent"
    ]
    resolve(rosa, conflict.id, "other")
    assert rosa.require(Contact, household.id).share_scope is ShareScope.GROUP


def test_a_deleted_household_leaves_no_trace_in_later_bundles() -> None:
    rosa, sam = Store.create(None, organizer="Rosa"), Store.create(None, organizer="Sam")
    gone = rosa.insert(
        Contact(
            name="Marisol Quintanilla",
            adults=2,
            phones=[{"original": "(713) 555-0142"}],
            notes="Asylum hearing on the 3rd",
            share_scope=ShareScope.GROUP,
            consent_at=datetime(2026, 11, 1, tzinfo=UTC),
        )
    )
    rosa.insert(Need(contact_id=gone.id, category=Category.GROCERIES, description="Halal only"))
    sync(rosa, sam)
    rosa.delete(Contact, gone.id)
    text = json.dumps(body_of(rosa), ensure_ascii=False)
    assert gone.id in text  # the deletion itself travels
    for trace in ("Marisol", "Quintanilla", "555-0142", "7135550142", "Asylum", "Halal"):
        assert trace not in text, trace
    deliver(body_of(rosa), rosa, sam)
    assert sam.is_deleted(Contact, gone.id)
    # A laptop that never had the household learns only that it was deleted.
    tom = Store.create(None, organizer="Tom")
    sync(rosa, tom)
    assert tom.is_deleted(Contact, gone.id)
    raw = tom.conn.execute("SELECT name, phones, notes FROM contacts WHERE id = ?", (gone.id,))
    assert raw.fetchone() == ("", "", "")
    from mutualaid_desktop.sync.shared import sync_state

    assert sync_state(rosa) == sync_state(sam) == sync_state(tom)


def test_the_refused_deletion_can_still_be_chosen_here() -> None:
    rosa, sam, household = paired()
    rosa.delete(Contact, household.id)
    deliver(body_of(rosa), rosa, sam)
    [conflict] = [c for c in open_conflicts(sam) if c.row_id == household.id]
    assert conflict.other.text() == "deleted" and conflict.current.text() == "kept"
    resolve(sam, conflict.id, "other")
    assert sam.is_deleted(Contact, household.id)
    assert not sam.select(Need, "contact_id = ?", [household.id])
