"""Distances and printer offsets read in the group's units, from outside: the miles a
driver is shown are the kilometres between two points on the map, converted; an
offset typed in inches moves the labels by that much on the paper."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pdfplumber
import pytest

from mutualaid_desktop import cli
from mutualaid_desktop.domain import DistanceUnit, LengthUnit, Organization
from mutualaid_desktop.domain.units import format_distance, format_length, parse_length
from mutualaid_desktop.i18n import system_territory
from mutualaid_desktop.rides.matching import load_day, match_day
from mutualaid_desktop.routing.geo import distance_km
from mutualaid_desktop.store import Store
from tests.conftest import TODAY

REGION_VARIABLES = ("LC_ALL", "LC_MEASUREMENT", "LANG")


@pytest.fixture
def region(monkeypatch: pytest.MonkeyPatch):
    """Set the computer's region as a user's session would (LANG), nothing else."""

    def set_to(value: str) -> None:
        for name in REGION_VARIABLES:
            monkeypatch.delenv(name, raising=False)
        monkeypatch.setenv("LANG", value)
        monkeypatch.setattr("locale.getlocale", lambda *a: (None, None))

    return set_to


def test_the_computers_region_chooses_until_the_group_does(region) -> None:
    region("en_US.UTF-8")
    assert system_territory() == "US"
    group = Organization()
    assert (group.distances(), group.lengths()) == (DistanceUnit.MILES, LengthUnit.INCHES)
    region("en_GB.UTF-8")  # road signs in miles, rulers in millimetres
    assert (group.distances(), group.lengths()) == (DistanceUnit.MILES, LengthUnit.MILLIMETRES)
    region("es_MX.UTF-8")
    assert (group.distances(), group.lengths()) == (
        DistanceUnit.KILOMETRES,
        LengthUnit.MILLIMETRES,
    )
    chosen = Organization(distance_unit=DistanceUnit.MILES, length_unit=LengthUnit.INCHES)
    assert (chosen.distances(), chosen.lengths()) == (DistanceUnit.MILES, LengthUnit.INCHES)


def test_without_a_region_the_groups_phone_country_decides(region) -> None:
    region("C.UTF-8")  # a server, a container: no country at all
    assert system_territory() is None
    assert Organization(phone_region="US").distances() is DistanceUnit.MILES
    assert Organization(phone_region="DE").lengths() is LengthUnit.MILLIMETRES


def test_a_measurement_region_set_apart_from_the_language_wins(
    region, monkeypatch: pytest.MonkeyPatch
) -> None:
    region("es_MX.UTF-8")
    monkeypatch.setenv("LC_MEASUREMENT", "en_US.UTF-8")
    assert Organization().distances() is DistanceUnit.MILES


def test_words_a_volunteer_reads() -> None:
    assert format_distance(16.09344, DistanceUnit.MILES) == "10.0 mi"
    assert format_distance(5.04, DistanceUnit.KILOMETRES) == "5.0 km"
    assert format_distance(None, DistanceUnit.MILES) == "—"
    assert format_length(2.54, LengthUnit.INCHES) == "0.10 in"
    assert format_length(1.5, LengthUnit.MILLIMETRES) == "1.5 mm"


@pytest.mark.parametrize(
    ("typed", "unit", "mm"),
    [
        ("0.1in", LengthUnit.MILLIMETRES, 2.54),
        ('0.1"', LengthUnit.MILLIMETRES, 2.54),
        ("2 mm", LengthUnit.INCHES, 2.0),
        ("0.1", LengthUnit.INCHES, 2.54),
        ("1,5", LengthUnit.MILLIMETRES, 1.5),
        ("-1", LengthUnit.MILLIMETRES, -1.0),
    ],
)
def test_lengths_typed_on_the_command_line(typed: str, unit: LengthUnit, mm: float) -> None:
    assert parse_length(typed, unit) == pytest.approx(mm)


def test_rides_match_says_miles_for_a_group_in_miles(
    demo_store_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open(demo_store_path) as store:
        store.save(store.organization().model_copy(update={"distance_unit": DistanceUnit.MILES}))
        day = next(
            TODAY.fromordinal(TODAY.toordinal() + i)
            for i in range(1, 8)
            if any(
                p.driver_id and p.km
                for p in match_day(store, TODAY.fromordinal(TODAY.toordinal() + i))
            )
        )
        rides, drivers, _ = load_day(store, day)
    homes = {d.id: d.home for d in drivers}
    pickups = {r.id: r.pickup for r in rides}
    assert (
        cli.main(["rides", "match", "--db", str(demo_store_path), "--date", day.isoformat()]) == 0
    )
    lines = [line for line in capsys.readouterr().out.splitlines() if " away)" in line]
    assert lines
    for line in lines:
        ride_id = line.split("\t")[1]
        shown = float(re.search(r"\(([\d.]+) mi away\)", line).group(1))  # type: ignore[union-attr]
        driver = next(d for d in drivers if line.split("\tdriver: ")[1].startswith(d.name))
        expected = distance_km(homes[driver.id], pickups[ride_id]) / 1.609344  # type: ignore[arg-type]
        assert shown == pytest.approx(expected, abs=0.051)
        assert "km" not in line


@pytest.fixture
def demo_store_path(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "demo.sqlite"
    argv = ["demo", "--db", str(path), "--households", "40", "--seed", "3", "--no-encryption"]
    assert cli.main([*argv, "--today", TODAY.isoformat()]) == 0
    capsys.readouterr()
    return path


def _first_label_x(pdf: Path) -> float:
    with pdfplumber.open(io.BytesIO(pdf.read_bytes())) as doc:
        return min(ch["x0"] for ch in doc.pages[0].chars)


def test_a_label_offset_in_inches_moves_the_labels_by_that_much(
    demo_store_path: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    with Store.open(demo_store_path) as store:
        store.save(store.organization().model_copy(update={"length_unit": LengthUnit.INCHES}))
    day = TODAY.fromordinal(TODAY.toordinal() + 1).isoformat()
    xs = {}
    for offset in (("0", "0"), ("0.1", "0"), ("2.54mm", "0")):
        out = tmp_path / f"labels-{offset[0]}.pdf"
        argv = ["print", "labels", "--db", str(demo_store_path), "--date", day]
        assert cli.main([*argv, "--out", str(out), "--offset", *offset]) == 0, capsys.readouterr()
        xs[offset[0]] = _first_label_x(out)
    # A bare number is in the group's unit: 0.1 in is 7.2 points on the paper.
    assert xs["0.1"] - xs["0"] == pytest.approx(7.2, abs=0.05)
    assert xs["2.54mm"] == pytest.approx(xs["0.1"], abs=0.01)
    capsys.readouterr()
    assert cli.main([*argv, "--out", str(tmp_path / "x.pdf"), "--offset", "1in", "0"]) == 1
    err = capsys.readouterr().err
    assert "1.00 in right" in err and "at most 0.39 in" in err
    assert cli.main([*argv, "--out", str(tmp_path / "x.pdf"), "--offset", "left", "0"]) == 1
    assert "is not a printer offset" in capsys.readouterr().err
