"""Merge rules on realistic data: order, repetition, consent, deltas and previews."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime

import pytest

from mutualaid_desktop.demo import build_demo
from mutualaid_desktop.domain import Category, Contact, Need, ShareScope
from mutualaid_desktop.store import Store
from mutualaid_desktop.sync.bundle import knowledge
from mutualaid_desktop.sync.conflicts import count_open, open_conflicts, resolve
from mutualaid_desktop.sync.importer import OtherGroup
from mutualaid_desktop.sync.merge import merge
from mutualaid_desktop.sync.shared import sync_state
from tests.unit.sync.exchange import body_of, deliver, sync

TODAY = date(2026, 11, 27)
CONSENTED = datetime(2026, 11, 1, tzinfo=UTC)


def demo(organizer: str, seed: int) -> Store:
    store = Store.create(None, organizer=organizer)
    build_demo(store, households=15, seed=seed, today=TODAY)
    return store


def fresh(organizer: str) -> Store:
    return Store.create(None, organizer=organizer)


def test_bundles_merge_the_same_in_any_order_and_any_number_of_times() -> None:
    rosa, sam = demo("Rosa", 1), demo("Sam", 2)
    first, second = body_of(rosa), body_of(sam)
    one, other = fresh("Ana"), fresh("Ben")
    deliver(first, rosa, one)
    deliver(second, sam, one, merge_groups=True)
    deliver(second, sam, other)
    deliver(first, rosa, other, merge_groups=True)
    assert sync_state(one) == sync_state(other)
    again = body_of(rosa)  # a new bundle of the same data: applying it changes nothing
    assert deliver(again, rosa, one).changes.total() == 0
    assert sync_state(one) == sync_state(other)


def test_contacts_kept_on_this_laptop_never_leave_nor_anything_of_theirs() -> None:
    rosa, sam = demo("Rosa", 1), fresh("Sam")
    private = rosa.insert(Contact(name="Only Here", adults=1, share_scope=ShareScope.LOCAL))
    rosa.insert(Need(contact_id=private.id, category=Category.GROCERIES))
    helped = rosa.select(Need, limit=1)[0]
    rosa.update(Need, helped.id, assigned_volunteer_id=private.id)
    body = body_of(rosa)
    text = json.dumps(body)
    assert private.id not in text and "Only Here" not in text
    sync(rosa, sam)
    assert sam.get(Contact, private.id) is None
    assert sam.require(Need, helped.id).assigned_volunteer_id is None
    # Once the volunteer agrees to be shared, the reference follows.
    rosa.update(Contact, private.id, share_scope=ShareScope.GROUP, consent_at=CONSENTED)
    rosa.update(Need, helped.id, assigned_volunteer_id=private.id)
    sync(rosa, sam)
    assert sam.require(Need, helped.id).assigned_volunteer_id == private.id
    assert sync_state(rosa) == sync_state(sam)


def test_a_delta_carries_only_what_the_peer_has_not_seen() -> None:
    rosa, sam = demo("Rosa", 1), fresh("Sam")
    sync(rosa, sam)
    sync(sam, rosa)  # now Rosa knows what Sam has
    contacts = rosa.select(Contact, "share_scope = 'group'", limit=3)
    for c in contacts:
        rosa.update(Contact, c.id, notes=f"note for {c.name}")
    delta = body_of(rosa, "Sam")
    assert delta["kind"] == "delta"
    assert {t: len(v["rows"]) for t, v in delta["tables"].items()} == {"contacts": 3}
    deliver(delta, rosa, sam)
    assert sync_state(rosa) == sync_state(sam)


def test_the_preview_counts_what_the_import_then_does_and_writes_nothing() -> None:
    rosa, sam = demo("Rosa", 1), fresh("Sam")
    sync(rosa, sam)
    sync(sam, rosa)
    c = rosa.select(Contact, "share_scope = 'group'", limit=2)
    rosa.update(Contact, c[0].id, notes="new gate code")
    sam.update(Contact, c[0].id, notes="moved away")  # later: Sam's wins, Rosa's is a conflict
    rosa.delete(Contact, c[1].id)
    body = body_of(rosa)
    state = sync_state(sam)
    preview = merge(sam, body, knowledge(sam), write=False)
    assert sync_state(sam) == state
    result = deliver(body, rosa, sam).changes
    assert preview.as_dict() == result.as_dict()
    assert result.tables["contacts"].deleted == 1
    assert result.conflicts == 1
    assert any("Contacts: 1 deleted" in line for line in result.lines())


def test_keeping_the_other_value_is_an_edit_that_reaches_everyone() -> None:
    rosa, sam = demo("Rosa", 1), fresh("Sam")
    sync(rosa, sam)
    contact = rosa.select(Contact, "share_scope = 'group'", limit=1)[0]
    rosa.update(Contact, contact.id, notes="Rosa's note")
    sam.update(Contact, contact.id, notes="Sam's note")
    sync(rosa, sam)  # Sam's is newer: Rosa's is the conflict on Sam's laptop
    [conflict] = open_conflicts(sam)
    assert conflict.current.text() == "Sam's note" and conflict.current.by == "Sam"
    assert conflict.other.text() == "Rosa's note" and conflict.other.by == "Rosa"
    resolve(sam, conflict.id, "other")
    assert count_open(sam) == 0
    assert sam.require(Contact, contact.id).notes == "Rosa's note"
    sync(sam, rosa)
    assert rosa.require(Contact, contact.id).notes == "Rosa's note"
    assert sync_state(rosa) == sync_state(sam)


def test_a_conflict_settled_on_one_laptop_is_settled_on_the_other() -> None:
    rosa, sam = demo("Rosa", 1), fresh("Sam")
    sync(rosa, sam)
    contact = rosa.select(Contact, "share_scope = 'group'", limit=1)[0]
    rosa.update(Contact, contact.id, notes="Rosa's note")
    sam.update(Contact, contact.id, notes="Sam's note")
    rosa_body, sam_body = body_of(rosa), body_of(sam)
    deliver(sam_body, sam, rosa)  # each records the conflict
    deliver(rosa_body, rosa, sam)
    assert count_open(rosa) + count_open(sam) >= 1
    for store in (rosa, sam):
        for conflict in open_conflicts(store):
            resolve(store, conflict.id, "current")
            break
    sync(rosa, sam)
    sync(sam, rosa)
    assert count_open(rosa) == 0 and count_open(sam) == 0
    assert sync_state(rosa) == sync_state(sam)


@pytest.mark.parametrize("keep", ["current", "other"])
def test_a_record_deleted_there_and_edited_here_can_be_brought_back(keep: str) -> None:
    rosa, sam = demo("Rosa", 1), fresh("Sam")
    sync(rosa, sam)
    contact = rosa.select(Contact, "share_scope = 'group'", limit=1)[0]
    rosa.delete(Contact, contact.id)
    sam.update(Contact, contact.id, notes="Needs a ride Tuesday")
    sync(rosa, sam)
    [conflict] = open_conflicts(sam)
    assert conflict.current.text() == "deleted"
    assert "Needs a ride Tuesday" in conflict.other.text()
    resolve(sam, conflict.id, keep)  # type: ignore[arg-type]
    sync(sam, rosa)
    for store in (rosa, sam):
        assert store.is_deleted(Contact, contact.id) == (keep == "current")
    assert sync_state(rosa) == sync_state(sam)


def test_an_older_bundle_arriving_late_changes_nothing_newer() -> None:
    rosa, sam = demo("Rosa", 1), fresh("Sam")
    contact = rosa.select(Contact, "share_scope = 'group'", limit=1)[0]
    rosa.update(Contact, contact.id, notes="first version")
    old = body_of(rosa)
    rosa.update(Contact, contact.id, notes="second version")
    deliver(body_of(rosa), rosa, sam)
    late = deliver(old, rosa, sam)  # a different bundle id: merged, not refused
    assert sam.require(Contact, contact.id).notes == "second version"
    assert late.changes.total() == 0 and late.changes.conflicts == 0
    assert sync_state(rosa) == sync_state(sam)


# -- found in review: knowledge, consent and settling ------------------------------


def test_every_blankable_pointer_is_a_field_group_of_its_own() -> None:
    # A blanked pointer travels with the zero stamp; sharing a group would
    # carry the blank under a real stamp and the copies would never agree.
    from mutualaid_desktop.store.tables import SPECS
    from mutualaid_desktop.sync.shared import POINTERS

    for table, columns in POINTERS.items():
        spec = SPECS[table]
        for col in columns:
            assert spec.groups[spec.group_of[col]] == (col,), (table, col)


def test_a_delta_imported_by_the_wrong_laptop_gives_it_no_false_knowledge() -> None:
    rosa, sam, tom = demo("Rosa", 1), fresh("Sam"), fresh("Tom")
    for other in (sam, tom):
        sync(rosa, other)
        sync(other, rosa)
    contact = rosa.select(Contact, "share_scope = 'group'", limit=1)[0]
    rosa.update(Contact, contact.id, notes="Rosa: gate code 4411")
    stray = body_of(rosa, "Sam")
    deliver(body_of(sam, "Rosa"), sam, rosa)  # now cut for Sam
    result = deliver(stray, rosa, tom)  # ...but carried to Tom's laptop
    assert any("full bundle" in w for w in result.warnings)
    tom.update(Contact, contact.id, notes="Tom: call after 5")
    sync(tom, rosa)  # Tom never saw Rosa's note: it must be kept for review
    lost = [json.loads(v) for (v,) in rosa.conn.execute("SELECT lost_value FROM conflicts")]
    assert {"notes": "Rosa: gate code 4411"} in lost


def test_a_ride_keeps_its_status_when_its_driver_stays_home() -> None:
    from mutualaid_desktop.domain import Ride, RideStatus

    rosa, sam = demo("Rosa", 1), fresh("Sam")
    rider = rosa.select(Contact, "share_scope = 'group'", limit=1)[0]
    driver = rosa.insert(Contact(name="Private Driver", adults=1, share_scope=ShareScope.LOCAL))
    ride = rosa.insert(
        Ride(
            rider_id=rider.id,
            pickup_address="1 Main St",
            pickup_at=datetime(2026, 11, 30, 9, tzinfo=UTC),
            destination="Clinic",
            driver_id=driver.id,
            status=RideStatus.CONFIRMED,
        )
    )
    sync(rosa, sam)
    assert sam.require(Ride, ride.id).status == RideStatus.CONFIRMED
    assert sam.require(Ride, ride.id).driver_id is None
    rosa.update(Contact, driver.id, share_scope=ShareScope.GROUP, consent_at=CONSENTED)
    sync(rosa, sam)
    assert sam.require(Ride, ride.id).driver_id == driver.id
    assert sync_state(rosa) == sync_state(sam)


def test_withdrawn_consent_reaches_the_others_who_stop_passing_it_on() -> None:
    rosa, sam, tom = demo("Rosa", 1), fresh("Sam"), fresh("Tom")
    contact = rosa.select(Contact, "share_scope = 'group'", limit=1)[0]
    sync(rosa, sam)
    rosa.update(Contact, contact.id, share_scope=ShareScope.LOCAL)
    body = body_of(rosa)
    assert contact.name not in json.dumps(body)  # only the id and the consent travel
    sync(rosa, sam)
    assert sam.require(Contact, contact.id).share_scope == ShareScope.LOCAL
    sync(sam, tom)
    assert tom.get(Contact, contact.id) is None
    assert sync_state(rosa) == sync_state(sam) == sync_state(tom)


def test_a_household_shared_later_arrives_with_its_needs_in_a_delta() -> None:
    rosa, sam = demo("Rosa", 1), fresh("Sam")
    sync(rosa, sam)
    sync(sam, rosa)
    private = rosa.insert(Contact(name="Later Shared", adults=1, share_scope=ShareScope.LOCAL))
    need = rosa.insert(Need(contact_id=private.id, category=Category.GROCERIES))
    sync(rosa, sam)
    sync(sam, rosa)
    rosa.update(Contact, private.id, share_scope=ShareScope.GROUP, consent_at=CONSENTED)
    deliver(body_of(rosa, "Sam"), rosa, sam)
    assert sam.get(Need, need.id) is not None
    assert sync_state(rosa) == sync_state(sam)


def test_overwriting_an_assignment_to_someone_kept_home_is_a_conflict() -> None:
    rosa, sam = demo("Rosa", 1), fresh("Sam")
    sync(rosa, sam)
    need = rosa.select(Need, "assigned_volunteer_id IS NULL", limit=1)[0]
    private = rosa.insert(Contact(name="Vol Private", adults=1, share_scope=ShareScope.LOCAL))
    rosa.update(Need, need.id, assigned_volunteer_id=private.id)
    volunteer = sam.select(Contact, "share_scope = 'group'", limit=1)[0]
    sync(rosa, sam)
    sam.update(Need, need.id, assigned_volunteer_id=volunteer.id)
    sync(sam, rosa)
    lost = [json.loads(v) for (v,) in rosa.conn.execute("SELECT lost_value FROM conflicts")]
    assert {"assigned_volunteer_id": private.id} in lost


def test_keeping_the_edit_of_a_record_restored_since_leaves_it_live() -> None:
    rosa, sam = demo("Rosa", 1), fresh("Sam")
    sync(rosa, sam)
    contact = rosa.select(Contact, "share_scope = 'group'", limit=1)[0]
    rosa.delete(Contact, contact.id)
    sam.update(Contact, contact.id, notes="Gate code 4411")
    sync(rosa, sam)
    sam.restore(Contact, contact.id)
    [conflict] = open_conflicts(sam)
    resolve(sam, conflict.id, "other")
    assert not sam.is_deleted(Contact, contact.id)


def test_a_laptop_that_joins_another_group_takes_its_first_partners_along() -> None:
    rosa, sam, tom = fresh("Rosa"), fresh("Sam"), fresh("Tom")
    rosa.insert(Contact(name="A", adults=1, share_scope=ShareScope.GROUP, consent_at=CONSENTED))
    deliver(body_of(rosa), rosa, sam)  # Sam joins Rosa's group
    # Rosa founded a group: she joins Tom's only when she chooses to merge.
    with pytest.raises(OtherGroup):
        deliver(body_of(tom), tom, rosa)
    deliver(body_of(tom), tom, rosa, merge_groups=True)
    deliver(body_of(rosa), rosa, sam)  # Sam follows instead of refusing
    assert sam.meta()["group_id"] == rosa.meta()["group_id"] == tom.meta()["group_id"]


def test_keeping_the_edit_of_a_deleted_household_brings_its_needs_back_too() -> None:
    rosa, sam = demo("Rosa", 1), fresh("Sam")
    sync(rosa, sam)
    household = rosa.select(
        Contact,
        "share_scope = 'group' AND id IN (SELECT contact_id FROM needs WHERE _cl % 2 = 1)",
        limit=1,
    )[0]
    needs = sorted(n.id for n in rosa.select(Need, "contact_id = ?", [household.id]))
    rosa.delete(Contact, household.id)  # takes the needs along
    sam.update(Contact, household.id, notes="Still here: moved to apt 4")
    sync(rosa, sam)
    [conflict] = open_conflicts(sam)
    resolve(sam, conflict.id, "other")
    assert sorted(n.id for n in sam.select(Need, "contact_id = ?", [household.id])) == needs
    sync(sam, rosa)
    assert sorted(n.id for n in rosa.select(Need, "contact_id = ?", [household.id])) == sorted(
        needs
    )
    assert sync_state(rosa) == sync_state(sam)
