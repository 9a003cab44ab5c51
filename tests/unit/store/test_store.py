"""The store: records survive the trip through SQLite, every write is stamped and audited."""

from __future__ import annotations

import sqlite3
from datetime import UTC, date, datetime, time
from pathlib import Path
from typing import Any

import pytest

from mutualaid_desktop.domain import (
    ORGANIZATION_ID,
    Address,
    AvailabilityException,
    BoxItem,
    BoxType,
    Category,
    Contact,
    DeliveryRun,
    DietaryFlag,
    DriverProfile,
    Item,
    Mobility,
    Need,
    NeedStatus,
    Organization,
    Outcome,
    PageSize,
    Phone,
    Recurrence,
    Ride,
    RideStatus,
    Role,
    ShareScope,
    Stop,
    Urgency,
    WeeklySlot,
)
from mutualaid_desktop.domain.base import Record
from mutualaid_desktop.errors import NotFound, UserError, ValidationFailed
from mutualaid_desktop.store import Store
from mutualaid_desktop.store.connection import sqlite
from mutualaid_desktop.store.store import row_stamps
from mutualaid_desktop.store.tables import CL_GROUP, spec_for

CONSENT = datetime(2026, 3, 14, 9, 30, tzinfo=UTC)


def raw(store: Store, model: type[Record], record_id: str) -> dict[str, Any]:
    rows = list(store.iter_rows(f"SELECT * FROM {model.__table__} WHERE id = ?", [record_id]))
    assert len(rows) == 1
    return rows[0]


def stamps_of(store: Store, model: type[Record], record_id: str) -> dict[str, tuple[int, int]]:
    return row_stamps(spec_for(model), raw(store, model, record_id))


def audit_rows(store: Store) -> list[dict[str, Any]]:
    return list(store.iter_rows("SELECT * FROM audit ORDER BY hlc, rowid"))


def a_household(**changes: Any) -> Contact:
    data: dict[str, Any] = {
        "name": "Zuleika Quintanilla-Brightwater",
        "roles": [Role.RECIPIENT, Role.VOLUNTEER],
        "phones": [
            Phone(original="(713) 555-0142", label="mobile"),
            Phone(original="+44 20 7946 0958", label="sister"),
        ],
        "email": "zuleika.q@example.org",
        "address": Address(
            street="4417 Wheeler Ave",
            unit="Apt 3B",
            city="Houston",
            region="TX",
            postal_code="77004",
            lat=29.7224,
            lon=-95.3569,
        ),
        "directions": "Blue door behind the laundromat",
        "languages": ["Spanish", "English"],
        "adults": 2,
        "children": 3,
        "seniors": 1,
        "dietary": [DietaryFlag.HALAL, DietaryFlag.NUT_ALLERGY],
        "allergies": "peanuts",
        "accessibility": "Second floor, no lift",
        "consent_at": CONSENT,
        "share_scope": ShareScope.GROUP,
        "tags": ["families", "north"],
        "notes": "Prefers evening calls",
        "created_at": datetime(2026, 1, 2, 3, 4, 5, tzinfo=UTC),
    }
    return Contact(**(data | changes))


def a_full_graph(store: Store) -> list[Record]:
    """One record of every kind, wired together, with every field away from its default."""
    home = store.insert(a_household())
    driver = store.insert(
        Contact(name="Dmitri Volkov", kind="person", roles=[Role.VOLUNTEER, Role.DRIVER])
    )
    need = store.insert(
        Need(
            contact_id=home.id,
            category=Category.BABY_SUPPLIES,
            description="Diapers size 4, wipes",
            quantity=3,
            urgency=Urgency.SOON,
            status=NeedStatus.SCHEDULED,
            needed_by=date(2026, 12, 3),
            recurrence=Recurrence.BIWEEKLY,
            source="phone",
            assigned_volunteer_id=driver.id,
            created_at=datetime(2026, 11, 20, 8, 0, tzinfo=UTC),
            status_changed_at=datetime(2026, 11, 21, 8, 0, tzinfo=UTC),
        )
    )
    item = store.insert(Item(name="Rice", unit="kg", category="staples"))
    box = store.insert(
        BoxType(
            name="Halal",
            suits=[DietaryFlag.HALAL, DietaryFlag.NO_PORK],
            description="d",
            sort_order=2,
        )
    )
    line = store.insert(
        BoxItem(box_type_id=box.id, item_id=item.id, qty_base=1.5, qty_per_person=0.34)
    )
    run = store.insert(
        DeliveryRun(
            date=date(2026, 11, 28),
            name="Route 1 – North",
            depot=Address(
                street="1 Depot Rd", city="Houston", postal_code="77002", lat=29.75, lon=-95.36
            ),
            driver_id=driver.id,
            capacity_boxes=40,
            notes="Key under the mat",
        )
    )
    stop = store.insert(
        Stop(
            run_id=run.id,
            contact_id=home.id,
            need_id=need.id,
            seq=4,
            box_type_id=box.id,
            boxes=2,
            outcome=Outcome.NOT_HOME,
            outcome_note="Left a note on the door",
            outcome_at=datetime(2026, 11, 28, 14, 5, tzinfo=UTC),
        )
    )
    profile = store.insert(
        DriverProfile(
            contact_id=driver.id,
            seats=4,
            wheelchair_accessible=True,
            availability=[
                WeeklySlot(weekday=0, start=time(9), end=time(13)),
                WeeklySlot(weekday=4, start=time(22), end=time(2)),
            ],
            exceptions=[
                AvailabilityException(date=date(2026, 12, 24)),
                AvailabilityException(
                    date=date(2026, 12, 27), available=True, start=time(10), end=time(12, 30)
                ),
            ],
            area_zips=["77004", "77021"],
            max_rides_per_day=5,
            active=False,
            notes="No highways",
        )
    )
    out = store.insert(
        Ride(
            rider_id=home.id,
            pickup_address="4417 Wheeler Ave, Houston",
            pickup_lat=29.7224,
            pickup_lon=-95.3569,
            pickup_at=datetime(2026, 12, 1, 9, 15),
            destination="Ben Taub Hospital",
            dest_lat=29.7107,
            dest_lon=-95.3928,
            appointment_at=datetime(2026, 12, 1, 10, 0),
            party_size=2,
            mobility=[Mobility.WALKER, Mobility.STAIRS_HELP],
            notes="Call when outside",
            status=RideStatus.CONFIRMED,
            driver_id=driver.id,
        )
    )
    back = store.insert(
        Ride(
            rider_id=home.id,
            pickup_address="Ben Taub Hospital",
            pickup_at=datetime(2026, 12, 1, 12, 0),
            destination="4417 Wheeler Ave, Houston",
            outbound_ride_id=out.id,
        )
    )
    return [home, driver, need, item, box, line, run, stop, profile, out, back]


# -- round trips ----------------------------------------------------------------


def test_every_kind_of_record_comes_back_exactly_as_it_went_in(store: Store) -> None:
    records = a_full_graph(store)
    kinds = {type(r) for r in records}
    assert kinds == {Contact, Need, Item, BoxType, BoxItem, DeliveryRun, Stop, DriverProfile, Ride}
    for record in records:
        model = type(record)
        assert store.get(model, record.id) == record
        assert record in store.select(model)
        assert store.select(model, "id = ?", [record.id]) == [record]


def test_round_trip_survives_closing_and_reopening_the_file(db_path: Path) -> None:
    with Store.create(db_path, organizer="Test Organizer") as first:
        records = a_full_graph(first)
    with Store.open(db_path) as again:
        for record in records:
            assert again.get(type(record), record.id) == record


def test_nested_values_keep_their_types(memory_store: Store) -> None:
    home = memory_store.insert(a_household())
    back = memory_store.get(Contact, home.id)
    assert back is not None
    assert back.address.lat == pytest.approx(29.7224)
    assert back.phones[1].e164 == "+442079460958"
    assert back.phones[0].original == "(713) 555-0142"
    assert back.dietary == [DietaryFlag.HALAL, DietaryFlag.NUT_ALLERGY]
    assert back.consent_at == CONSENT


def test_organization_profile_is_created_and_editable(store: Store) -> None:
    assert store.organization().name == "Test Group"
    store.update(Organization, ORGANIZATION_ID, page_size=PageSize.A4, support_phone="713.555.0199")
    org = store.organization()
    assert org.page_size is PageSize.A4
    assert org.support_phone == "+17135550199"


# -- stamps -----------------------------------------------------------------------


def test_update_stamps_only_the_field_groups_that_changed(store: Store) -> None:
    home = store.insert(a_household())
    before = stamps_of(store, Contact, home.id)
    assert len(set(before.values())) == 1  # a new row: one stamp for everything

    store.update(Contact, home.id, name="Zuleika Brightwater")
    after_name = stamps_of(store, Contact, home.id)
    changed = {g for g in after_name if after_name[g] != before[g]}
    assert changed == {"name"}
    assert after_name["name"][0] > before["name"][0]
    assert after_name["name"][1] == store.origin

    store.update(Contact, home.id, children=4)
    after_household = stamps_of(store, Contact, home.id)
    changed = {g for g in after_household if after_household[g] != after_name[g]}
    assert changed == {"household"}  # adults, children and seniors change together

    new_address = home.address.model_copy(update={"city": "Pasadena"})
    store.update(Contact, home.id, address=new_address)
    after_address = stamps_of(store, Contact, home.id)
    changed = {g for g in after_address if after_address[g] != after_household[g]}
    assert changed == {"address"}

    row = raw(store, Contact, home.id)
    assert row["address_city"] == "Pasadena"
    assert row["address_street"] == "4417 Wheeler Ave"
    assert row["_updated"] == max(s[0] for s in after_address.values())
    assert row["_updated"] == after_address["address"][0]
    assert row["_hlc"] == before["kind"][0]  # untouched groups keep the insert stamp
    assert row["_origin"] == store.origin


def test_status_and_its_date_share_one_stamp(store: Store) -> None:
    home = store.insert(a_household())
    need = store.insert(Need(contact_id=home.id, category=Category.GROCERIES))
    before = stamps_of(store, Need, need.id)
    moved = need.moved_to(NeedStatus.SCHEDULED)
    store.save(moved)
    after = stamps_of(store, Need, need.id)
    assert {g for g in after if after[g] != before[g]} == {"status"}
    assert store.get(Need, need.id) == moved


def test_update_without_a_change_writes_nothing(store: Store) -> None:
    home = store.insert(a_household())
    row = raw(store, Contact, home.id)
    n_audit = len(audit_rows(store))
    store.update(Contact, home.id, name="  Zuleika   Quintanilla-Brightwater ", adults=2)
    assert raw(store, Contact, home.id) == row
    assert len(audit_rows(store)) == n_audit


def test_stamps_grow_with_every_write(store: Store) -> None:
    home = store.insert(a_household())
    seen = [raw(store, Contact, home.id)["_updated"]]
    for n in range(5):
        store.update(Contact, home.id, notes=f"call {n}")
        seen.append(raw(store, Contact, home.id)["_updated"])
    assert seen == sorted(set(seen))
    assert store.persisted_hlc() >= seen[-1]


def test_invalid_update_is_refused_and_changes_nothing(store: Store) -> None:
    home = store.insert(a_household())
    row = raw(store, Contact, home.id)
    with pytest.raises(ValidationFailed) as caught:
        store.update(Contact, home.id, email="not-an-address", adults=0, children=0, seniors=0)
    assert "email" in caught.value.problems
    assert raw(store, Contact, home.id) == row


def test_save_rechecks_a_nested_edit(store: Store) -> None:
    home = store.insert(a_household())
    home.address.lat = 123.0  # nested models do not validate on assignment
    with pytest.raises(ValidationFailed) as caught:
        store.save(home)
    assert "address.lat" in caught.value.problems
    fresh = store.get(Contact, home.id)
    assert fresh is not None and fresh.address.lat == pytest.approx(29.7224)


def test_save_inserts_a_new_record_and_updates_a_known_one(store: Store) -> None:
    home = a_household()
    store.save(home)
    assert store.count(Contact) == 1
    home.notes = "Moved to the ground floor"
    store.save(home)
    assert store.count(Contact) == 1
    fresh = store.get(Contact, home.id)
    assert fresh is not None and fresh.notes == "Moved to the ground floor"


# -- delete and restore -------------------------------------------------------------


def test_delete_hides_the_record_and_restore_brings_it_back(store: Store) -> None:
    home = store.insert(a_household())
    other = store.insert(Contact(name="Someone Else"))
    assert store.count(Contact) == 2
    assert raw(store, Contact, home.id)["_cl"] == 1

    store.delete(Contact, home.id)
    assert store.get(Contact, home.id) is None
    assert store.count(Contact) == 1
    assert store.select(Contact) == [other]
    assert store.is_deleted(Contact, home.id)
    assert store.get(Contact, home.id, include_deleted=True) == home
    assert raw(store, Contact, home.id)["_cl"] == 2
    with pytest.raises(NotFound):
        store.require(Contact, home.id)

    store.restore(Contact, home.id)
    assert store.get(Contact, home.id) == home
    assert store.count(Contact) == 2
    assert raw(store, Contact, home.id)["_cl"] == 3

    store.delete(Contact, home.id)
    assert raw(store, Contact, home.id)["_cl"] == 4


def test_deleting_twice_or_restoring_a_live_record_changes_nothing(store: Store) -> None:
    home = store.insert(a_household())
    store.restore(Contact, home.id)
    assert raw(store, Contact, home.id)["_cl"] == 1
    store.delete(Contact, home.id)
    row = raw(store, Contact, home.id)
    store.delete(Contact, home.id)
    assert raw(store, Contact, home.id) == row


def test_delete_gets_its_own_stamp(store: Store) -> None:
    home = store.insert(a_household())
    before = stamps_of(store, Contact, home.id)
    store.delete(Contact, home.id)
    after = stamps_of(store, Contact, home.id)
    assert {g for g in after if after[g] != before[g]} == {CL_GROUP}
    assert raw(store, Contact, home.id)["_updated"] == after[CL_GROUP][0]


def test_deleting_or_editing_a_missing_record_says_so(store: Store) -> None:
    with pytest.raises(NotFound, match="does not exist"):
        store.delete(Contact, "no-such-id")
    home = store.insert(a_household())
    store.delete(Contact, home.id)
    with pytest.raises(NotFound, match="deleted"):
        store.update(Contact, home.id, notes="x")


# -- audit log ----------------------------------------------------------------------


def test_audit_log_records_who_did_what_to_which_record(store: Store) -> None:
    home = store.insert(a_household())
    store.update(Contact, home.id, notes="Prefers mornings")
    store.delete(Contact, home.id)
    store.restore(Contact, home.id)
    mine = [r for r in audit_rows(store) if r["row_id"] == home.id]
    assert [r["action"] for r in mine] == ["create", "update", "delete", "restore"]
    assert all(r["entity"] == "contacts" for r in mine)
    assert all(r["organizer"] == "Test Organizer" for r in mine)
    assert all(r["origin"] == store.replica_id for r in mine)
    assert mine[1]["detail"] == "notes"


def test_audit_log_holds_no_personal_data(store: Store) -> None:
    records = a_full_graph(store)
    home = records[0]
    assert isinstance(home, Contact)
    store.update(
        Contact,
        home.id,
        name="Xiomara Featherstonehaugh",
        phones=[Phone(original="(832) 555-0177")],
        email="xiomara@example.org",
        notes="Son Bartholomew picks up",
    )
    store.update(Need, records[2].id, description="Insulin pens for Xiomara")
    store.delete(Contact, home.id)
    secrets = [
        "Zuleika",
        "Quintanilla",
        "Brightwater",
        "Xiomara",
        "Featherstonehaugh",
        "Bartholomew",
        "Wheeler",
        "5550142",
        "5550177",
        "79460958",
        "example.org",
        "Insulin",
        "Diapers",
        "peanuts",
    ]
    rows = audit_rows(store)
    assert len(rows) >= 14
    text = "\n".join(str(v) for r in rows for v in r.values())
    for secret in secrets:
        assert secret.lower() not in text.lower()


def test_audit_log_cannot_be_changed_or_erased(store: Store) -> None:
    store.insert(a_household())
    before = audit_rows(store)
    with pytest.raises(sqlite.IntegrityError):
        store.conn.execute("UPDATE audit SET organizer = 'someone else'")
    store.conn.rollback()
    with pytest.raises(sqlite.IntegrityError):
        store.conn.execute("DELETE FROM audit")
    store.conn.rollback()
    assert audit_rows(store) == before


# -- integrity and transactions -------------------------------------------------------


def test_need_for_a_missing_contact_is_refused_with_a_sentence(store: Store) -> None:
    n_audit = len(audit_rows(store))
    with pytest.raises(UserError) as caught:
        store.insert(Need(contact_id="no-such-contact", category=Category.GROCERIES))
    message = str(caught.value)
    assert "does not exist" in message
    assert message.endswith(".")
    assert "FOREIGN KEY" not in message
    assert store.count(Need) == 0
    assert len(audit_rows(store)) == n_audit
    assert not store.conn.in_transaction


def test_pointing_a_record_at_a_missing_one_is_refused(store: Store) -> None:
    records = a_full_graph(store)
    stop = records[7]
    with pytest.raises(UserError, match="does not exist"):
        store.update(Stop, stop.id, run_id="no-such-run")
    assert store.get(Stop, stop.id) == stop


def test_inserting_the_same_record_twice_is_refused(store: Store) -> None:
    home = store.insert(a_household())
    with pytest.raises(UserError, match="already exists"):
        store.insert(home)
    assert store.count(Contact) == 1


def test_failed_transaction_rolls_back_everything(store: Store) -> None:
    before_audit = audit_rows(store)
    before_org = store.organization()
    before_hlc = store.persisted_hlc()
    with pytest.raises(RuntimeError), store.transaction():
        home = store.insert(a_household())
        store.insert(Need(contact_id=home.id, category=Category.HYGIENE, description="Soap"))
        store.update(Organization, ORGANIZATION_ID, name="Renamed")
        raise RuntimeError("power cut")
    assert store.count(Contact) == 0
    assert store.count(Need) == 0
    assert store.organization() == before_org
    assert audit_rows(store) == before_audit
    assert store.persisted_hlc() == before_hlc
    assert store.search("Zuleika") == []
    assert store.search("soap") == []


def test_refused_write_inside_a_transaction_leaves_the_rest_intact(store: Store) -> None:
    with store.transaction():
        first = store.insert(Contact(name="First Household"))
        with pytest.raises(UserError):
            store.insert(Need(contact_id="missing", category=Category.GROCERIES))
        second = store.insert(Contact(name="Second Household"))
    assert {c.id for c in store.select(Contact)} == {first.id, second.id}


def test_writes_are_committed_for_other_readers(store: Store, db_path: Path) -> None:
    home = store.insert(a_household())
    store.update(Contact, home.id, notes="seen by others")
    assert not store.conn.in_transaction
    other = sqlite3.connect(db_path)
    try:
        row = other.execute("SELECT notes FROM contacts WHERE id = ?", (home.id,)).fetchone()
    finally:
        other.close()
    assert row == ("seen by others",)


def test_file_database_uses_wal_and_enforces_foreign_keys(db_path: Path) -> None:
    with Store.create(db_path, organizer="Test Organizer") as first:
        assert first.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert first.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1
    with Store.open(db_path) as again:
        assert again.conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        assert again.conn.execute("PRAGMA foreign_keys").fetchone()[0] == 1


def test_creating_over_an_existing_file_is_refused(store: Store, db_path: Path) -> None:
    with pytest.raises(UserError, match="already exists"):
        Store.create(db_path, organizer="Someone")


def test_opening_a_missing_or_foreign_file_says_so(tmp_path: Path) -> None:
    with pytest.raises(UserError, match="no database"):
        Store.open(tmp_path / "missing.sqlite")
    junk = tmp_path / "notes.sqlite"
    junk.write_bytes(b"These are my shopping notes, not a database. " * 50)
    with pytest.raises(UserError, match="not a database"):
        Store.open(junk)
    other = tmp_path / "other.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.commit()
    conn.close()
    with pytest.raises(UserError, match="not a Mutual Aid Desktop database"):
        Store.open(other)


def test_closing_twice_is_harmless(db_path: Path) -> None:
    store = Store.create(db_path, organizer="Test Organizer")
    store.close()
    store.close()


def test_a_file_from_a_newer_program_version_is_refused(db_path: Path) -> None:
    with Store.create(db_path, organizer="Test Organizer") as store:
        store.insert(a_household())
        store.set_meta("schema_version", "99")
        store.conn.commit()
    with pytest.raises(UserError, match="update the program first"):
        Store.open(db_path)


def test_refusing_another_programs_database_leaves_it_untouched(tmp_path: Path) -> None:
    other = tmp_path / "recipes.sqlite"
    conn = sqlite3.connect(other)
    conn.execute("CREATE TABLE recipes (name TEXT)")
    conn.execute("INSERT INTO recipes VALUES ('lentil soup')")
    conn.commit()
    conn.close()
    before = other.read_bytes()
    with pytest.raises(UserError):
        Store.open(other)
    assert other.read_bytes() == before
    assert sorted(p.name for p in tmp_path.iterdir()) == ["recipes.sqlite"]


def test_a_setting_and_the_writes_after_it_survive_a_restart(db_path: Path) -> None:
    with Store.create(db_path, organizer="Test Organizer") as store:
        store.set_meta("last_view", "needs")
        home = store.insert(a_household())
        assert not store.conn.in_transaction
    with Store.open(db_path) as again:
        assert again.meta().get("last_view") == "needs"
        assert again.get(Contact, home.id) == home


def test_deleting_a_household_deletes_what_only_makes_sense_with_it(store: Store) -> None:
    records = a_full_graph(store)
    home, driver, need, profile = records[0], records[1], records[2], records[8]
    other = store.insert(Need(contact_id=home.id, category=Category.HYGIENE))
    deleted = store.delete(Contact, home.id)
    assert ("contacts", home.id) in deleted
    assert {("needs", need.id), ("needs", other.id)} <= set(deleted)
    assert store.get(Need, need.id) is None
    assert store.get(Need, other.id) is None
    assert store.get(DriverProfile, profile.id) == profile  # another person's profile stays

    store.restore_many(deleted)
    assert store.get(Contact, home.id) == home
    assert store.get(Need, need.id) == need
    assert store.get(Need, other.id) == other

    deleted = store.delete(Contact, driver.id)
    assert ("driver_profiles", profile.id) in deleted
    assert store.get(DriverProfile, profile.id) is None


def test_deleting_a_run_deletes_its_stops_and_undo_brings_them_back(store: Store) -> None:
    records = a_full_graph(store)
    run, stop = records[6], records[7]
    deleted = store.delete(DeliveryRun, run.id)
    assert set(deleted) == {("delivery_runs", run.id), ("stops", stop.id)}
    assert store.count(Stop) == 0
    store.restore_many(deleted)
    assert store.get(Stop, stop.id) == stop
    assert store.get(DeliveryRun, run.id) == run


def test_undoing_a_delete_leaves_earlier_deletions_alone(store: Store) -> None:
    home = store.insert(a_household())
    cancelled = store.insert(Need(contact_id=home.id, category=Category.OTHER))
    store.delete(Need, cancelled.id)  # deleted on purpose, before the household
    kept = store.insert(Need(contact_id=home.id, category=Category.GROCERIES))
    deleted = store.delete(Contact, home.id)
    assert ("needs", cancelled.id) not in deleted
    store.restore_many(deleted)
    assert store.get(Need, kept.id) is not None
    assert store.get(Need, cancelled.id) is None


def test_a_deleted_household_leaves_no_upcoming_stop_or_ride(store: Store) -> None:
    records = a_full_graph(store)
    home = records[0]
    stop = next(r for r in records if isinstance(r, Stop))
    store.update(Stop, stop.id, outcome=None, outcome_note="", outcome_at=None)  # still to come
    store.delete(Contact, home.id)
    assert store.select(Stop, "contact_id = ?", [home.id]) == []
    assert store.select(Ride, "rider_id = ?", [home.id]) == []


def test_a_deleted_household_keeps_its_delivery_history(store: Store) -> None:
    records = a_full_graph(store)
    home = records[0]
    delivered = next(r for r in records if isinstance(r, Stop))
    assert delivered.outcome is not None
    deleted = store.delete(Contact, home.id)
    assert ("stops", delivered.id) not in deleted
    assert store.get(Stop, delivered.id) is not None
