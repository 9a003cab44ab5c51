"""Read printed sheets back from their PDFs and hold them against the database.

Everything here is independent of the code that makes the sheets: the text
comes out of the PDF with pdfplumber, the household's allergies, diet, box and
language come from the database, and what a household may not have is decided
by a reading of its own (below), not by `domain.packing`. A household whose
language is Spanish gets its slip in Spanish: the words to expect come from the
Spanish catalog file itself, the program's items (the demo's) by their Spanish
names, anything an organizer typed as typed.

Also runnable on a real database (the done-when check on the 20,000-household
demo): `python -m tests.unit.sheets.paper --db COPY.sqlite --date YYYY-MM-DD`.
"""

from __future__ import annotations

import io
import json
import math
import re
import sqlite3
import unicodedata
from collections import Counter, defaultdict
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pdfplumber
from babel.messages.pofile import read_po

from mutualaid_desktop.demo.pools import ITEMS as DEMO_ITEMS
from mutualaid_desktop.domain.contact import household_code
from tests.conftest import REPO

# -- what the database says a household may not have (the test's own reading) -----

# Words organizers type, longest first so "tree nut" is not read as "nut".
ALLERGY_WORDS: list[tuple[str, set[str]]] = [
    ("leche de formula", set()),  # baby formula: a need, not a milk allergy
    ("tree nut", {"tree_nut"}),
    ("peanut", {"peanut"}),
    ("mani", {"peanut"}),
    ("cacahuate", {"peanut"}),
    ("nut", {"peanut", "tree_nut"}),
    ("almond", {"tree_nut"}),
    ("cashew", {"tree_nut"}),
    ("walnut", {"tree_nut"}),
    ("shellfish", {"shellfish"}),
    ("shrimp", {"shellfish"}),
    ("mariscos", {"shellfish"}),
    ("seafood", {"fish", "shellfish"}),
    ("fish", {"fish"}),
    ("pescado", {"fish"}),
    ("egg", {"egg"}),
    ("huevo", {"egg"}),
    ("milk", {"milk"}),
    ("dairy", {"milk"}),
    ("leche", {"milk"}),
    ("lacteo", {"milk"}),
    ("lactos", {"milk"}),
    ("cheese", {"milk"}),
    ("gluten", {"wheat"}),
    ("celiac", {"wheat"}),
    ("wheat", {"wheat"}),
    ("trigo", {"wheat"}),
    ("sesame", {"sesame"}),
    ("tahini", {"sesame"}),
    ("soy", {"soy"}),
    ("soja", {"soy"}),
]
# Diets typed as words rather than ticked as flags.
DIET_WORDS = {
    "gluten": "gluten_free",
    "celiac": "gluten_free",
    "lactos": "lactose_free",
    "vegan": "vegan",
    "vegetarian": "vegetarian",
    "halal": "halal",
    "kosher": "kosher",
    "no pork": "no_pork",
    "sin cerdo": "no_pork",
    "diabet": "diabetic",
    "low sodium": "low_sodium",
    "low salt": "low_sodium",
    "bajo en sal": "low_sodium",
    "bajo en sodio": "low_sodium",
    "formula": "baby_formula",
}
NOTHING = {"", "none", "no", "n/a", "na", "ninguna", "ninguno", "no known allergies"}


def _plain(text: str) -> str:
    bare = unicodedata.normalize("NFKD", text.casefold())
    return "".join(ch for ch in bare if not unicodedata.combining(ch))


def household_allergens(allergies: str, dietary: list[str]) -> tuple[set[str], set[str]]:
    """(allergens, diets) a household's record names, read by this test on its own."""
    text = _plain(allergies)
    found: set[str] = set()
    diets = set(dietary)
    for word, names in ALLERGY_WORDS:
        if word in text:
            found |= names
            text = text.replace(word, " ")
    for word, diet in DIET_WORDS.items():
        if word in _plain(allergies).replace("-", " "):
            diets.add(diet)
    if "nut_allergy" in diets:
        found |= {"peanut", "tree_nut"}
    return found, diets


def conflicts(allergens: set[str], traits: set[str], who: tuple[set[str], set[str]]) -> set[str]:
    """What in the household's record an item with these contents conflicts with: the
    allergens it shares and the diets it breaks (empty: the item may go in the box).

    Baby formula is a need, not a diet that rules anything out: see `check_packing`.
    """
    household, diets = who
    meat = bool({"meat", "pork"} & traits)
    animal = meat or bool({"fish", "shellfish"} & allergens)
    broken = {
        "vegetarian": animal,
        "vegan": animal or bool({"milk", "egg"} & allergens),
        "halal": meat and "halal" not in traits,
        "kosher": (meat and "kosher" not in traits) or "shellfish" in allergens,
        "no_pork": "pork" in traits,
        "gluten_free": "wheat" in allergens,
        "lactose_free": "milk" in allergens and "lactose_free" not in traits,
        "nut_allergy": bool({"peanut", "tree_nut"} & allergens),
        "diabetic": "high_sugar" in traits,
        "low_sodium": "high_sodium" in traits,
    }
    return (allergens & household) | {diet for diet, hit in broken.items() if hit and diet in diets}


def forbidden(allergens: set[str], traits: set[str], who: tuple[set[str], set[str]]) -> bool:
    """Whether an item with these contents conflicts with the household's record."""
    return bool(conflicts(allergens, traits, who))


# -- the words a slip prints, in each language the program has -----------------------

UNMET_NEED = "Needs {need}: none in this box; add it by hand or choose another box type"

CATALOG = REPO / "mutualaid_desktop" / "resources" / "locale" / "{lang}" / "LC_MESSAGES"
LANGUAGE_WORDS = {"english": "en", "en": "en", "spanish": "es", "español": "es", "es": "es"}
PROGRAM_LANGUAGE = "en"  # the tests run the program in English
BUILT_IN_ITEMS = {name for name, *_rest in DEMO_ITEMS}


def slip_language(languages: list[str]) -> str:
    """The language a household's slip should speak: the first of its languages the
    program has, else the program's."""
    for name in languages:
        code = LANGUAGE_WORDS.get(name.strip().casefold())
        if code:
            return code
    return PROGRAM_LANGUAGE


@dataclass(frozen=True)
class Words:
    """What a slip says in one language, read from that language's catalog file."""

    lang: str
    catalog: dict[str, str]

    def __call__(self, msgid: str) -> str:
        return self.catalog.get(msgid) or msgid

    def item(self, name: str) -> str:
        return self(name) if name in BUILT_IN_ITEMS else name

    @property
    def stop(self) -> str:  # " · stop "
        return self("{run} · stop {seq} · {day}").split("{run}")[1].split("{seq}")[0]

    @property
    def headings(self) -> tuple[str, str, str]:  # Item, Unit, Qty
        return self("Item"), self("Unit"), self("Qty")

    @property
    def split_headings(self) -> tuple[str, str]:  # the first words of "In box 1 + 2", "Per box"
        return self("In box 1 + 2").split()[0], self("Per box").split()[0]

    @property
    def instead(self) -> str:  # " (instead of "
        return (
            self("{item} (instead of {original}: {reason})")
            .split("{item}")[1]
            .split("{original}")[0]
        )

    @property
    def left_out(self) -> str:  # "No "
        return self("No {item}: {reason}; {rest}").split("{item}")[0]

    @property
    def allergies(self) -> str:  # "ALLERGIES:"
        return self("ALLERGIES: ").strip()


def _catalog(lang: str) -> dict[str, str]:
    if lang == "en":
        return {}
    with (Path(str(CATALOG).format(lang=lang)) / "mutualaid.po").open("rb") as f:
        return {m.id: m.string for m in read_po(f) if isinstance(m.id, str) and m.string}


WORDS = {lang: Words(lang, _catalog(lang)) for lang in ("en", "es")}


def lower_first(name: str) -> str:
    return name[0].lower() + name[1:] if len(name) > 1 and name[1].islower() else name


@dataclass
class Item:
    id: str
    name: str
    allergens: set[str]
    traits: set[str]
    substitutes: list[str]


@dataclass
class Household:
    stop_id: str
    run: str
    seq: int
    code: str
    size: int
    allergies: str
    who: tuple[set[str], set[str]]
    notes: str
    driver_notes: str
    box_type: str
    boxes: int
    rules: list[tuple[str, float, float]]  # item id, base, per person
    language: str = PROGRAM_LANGUAGE  # the language its slip speaks


def read_database(path: str, day: str) -> tuple[dict[str, Item], list[Household]]:
    conn = sqlite3.connect(f"file:{path}?mode=ro", uri=True)
    items = {
        r[0]: Item(r[0], r[1], set(json.loads(r[2])), set(json.loads(r[3])), json.loads(r[4]))
        for r in conn.execute(
            "SELECT id, name, allergens, traits, substitutes FROM items WHERE _cl % 2 = 1"
        )
    }
    rules: dict[str, list[tuple[str, float, float]]] = defaultdict(list)
    for box, item, base, per in conn.execute(
        "SELECT box_type_id, item_id, qty_base, qty_per_person FROM box_items WHERE _cl % 2 = 1"
    ):
        rules[box].append((item, base, per))
    out = []
    for row in conn.execute(
        """SELECT s.id, r.name, s.seq, c.id, c.adults + c.children + c.seniors, c.allergies,
                  c.dietary, c.notes, c.driver_notes, coalesce(b.name, ''), s.box_type_id,
                  s.boxes, c.languages
           FROM stops s JOIN delivery_runs r ON r.id = s.run_id
           JOIN contacts c ON c.id = s.contact_id LEFT JOIN box_types b ON b.id = s.box_type_id
           WHERE s._cl % 2 = 1 AND r._cl % 2 = 1 AND r.date = ?""",
        (day,),
    ):
        sid, run, seq, cid, size, allergies, dietary, notes, driver, box, box_id, boxes, langs = row
        out.append(
            Household(
                sid,
                run,
                seq,
                household_code(cid),
                size,
                allergies,
                household_allergens(allergies, json.loads(dietary)),
                notes,
                driver,
                box,
                boxes,
                rules.get(box_id or "", []),
                slip_language(json.loads(langs)),
            )
        )
    conn.close()
    return items, out


def expected_items(home: Household, items: dict[str, Item]) -> tuple[dict[str, int], set[str]]:
    """{item name: quantity} the household should get, and the names left out."""
    want: dict[str, int] = defaultdict(int)
    left_out = set()
    for item_id, base, per in home.rules:
        item = items.get(item_id)
        if item is None:
            continue
        qty = math.ceil(base + per * (max(home.size, 1) - 1) - 1e-9)
        if qty <= 0:
            continue
        if not forbidden(item.allergens, item.traits, home.who):
            want[item.name] += qty
            continue
        safe = [
            items[s]
            for s in item.substitutes
            if s in items and not forbidden(items[s].allergens, items[s].traits, home.who)
        ]
        if safe:
            want[safe[0].name] += qty
        else:
            left_out.add(item.name)
    return dict(want), left_out


# -- what the paper says -------------------------------------------------------------


def _lines(page: Any) -> list[list[dict[str, Any]]]:
    """Words grouped into lines (tops within 2 pt: cells are top-aligned), top to bottom."""
    lines: list[list[dict[str, Any]]] = []
    top = -100.0
    for word in sorted(
        page.extract_words(extra_attrs=["size", "fontname"]), key=lambda w: w["top"]
    ):
        if lines and word["top"] - top <= 2:
            lines[-1].append(word)
        else:
            lines.append([word])
            top = word["top"]
    return [sorted(line, key=lambda w: w["x0"]) for line in lines]


def _text(words: list[dict[str, Any]]) -> str:
    return " ".join(w["text"] for w in words)


@dataclass
class Slip:
    code: str
    header: str
    lines: list[str] = field(default_factory=list)
    items: dict[str, int] = field(default_factory=dict)
    per_box: dict[str, list[int]] = field(default_factory=dict)
    bold: list[str] = field(default_factory=list)


def read_slips(pdf: bytes) -> list[Slip]:
    """Every slip, in whichever language it speaks."""
    languages = WORDS.values()
    stops = [w.stop.strip() for w in languages]
    heads = {w.headings[0] for w in languages}
    ends = {w.headings[2] for w in languages} | {
        w(msgid).split()[-1] for w in languages for msgid in ("In box 1 + 2", "Per box")
    }
    named = {h for w in languages for h in w.headings}
    splits = {h for w in languages for h in w.split_headings}
    instead = [w.instead.rstrip() for w in languages]  # a long name may wrap right after it
    slips: list[Slip] = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            columns: list[float] = []
            last: str | None = None
            for words in _lines(page):
                first = words[0]["text"]
                line = _text(words)
                if re.fullmatch(r"H-[A-Z0-9]{5}", first) and any(w in line for w in stops):
                    slips.append(Slip(first, line))
                    columns, last = [], None
                    continue
                if not slips:
                    continue
                slip = slips[-1]
                slip.lines.append(line)
                if "Bold" in words[0]["fontname"] and first != "☐":
                    slip.bold.append(line)
                if first in heads and words[-1]["text"] in ends:
                    columns = [w["x0"] for w in words if w["text"] in named]
                    split = [w["x0"] for w in words if w["text"] in splits]
                    columns += split
                    continue
                if not columns:
                    continue
                cells = _cells(words, columns)
                if first == "☐":
                    name = cells[0]
                    for words_for in instead:
                        name = name.split(words_for)[0]
                    slip.items[name] = slip.items.get(name, 0) + int(cells[2])
                    if len(cells) > 3 and cells[3]:
                        slip.per_box[name] = [int(n) for n in cells[3].split("+")]
                    last = name
                elif last is not None and words[0]["x0"] >= columns[0] - 1 and cells[0]:
                    # a wrapped item name continues on the next line: still the same item
                    continue
                else:
                    columns, last = [], None
    return slips


def _cells(words: list[dict[str, Any]], columns: list[float]) -> list[str]:
    cells: list[list[str]] = [[] for _ in columns]
    for word in words:
        at = max((i for i, x in enumerate(columns) if word["x0"] >= x - 1), default=-1)
        if at >= 0:
            cells[at].append(word["text"])
    return [" ".join(c) for c in cells]


def read_pick_list(pdf: bytes) -> dict[tuple[str, str], int]:
    """(box type, item) -> quantity on the pick list."""
    totals: dict[tuple[str, str], int] = defaultdict(int)
    kind = ""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            columns: list[float] = []
            for words in _lines(page):
                line = _text(words)
                heading = re.fullmatch(r"(.+) · \d+ box(es)?", line)
                if heading and "Bold" in words[0]["fontname"]:
                    kind, columns = heading.group(1), []
                    continue
                if words[0]["text"] == "Item" and "Quantity" in line:
                    columns = [w["x0"] for w in words if w["text"] in ("Item", "Unit", "Quantity")]
                    continue
                if columns and words[0]["x0"] < columns[1] - 1:
                    cells = _cells(words, columns)
                    if cells[2].split() and cells[2].split()[0].isdigit():
                        totals[(kind, cells[0])] += int(cells[2].split()[0])
    return dict(totals)


def document_words(pdf: bytes) -> list[list[str]]:
    """Each page's text as one string of words (line breaks as spaces)."""
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        return [[_text(words) for words in _lines(page)] for page in doc.pages]


# -- holding the paper against the database -----------------------------------------


@dataclass
class Findings:
    problems: list[str] = field(default_factory=list)
    slips: int = 0
    items_checked: int = 0
    left_out: int = 0
    flagged: int = 0
    pages_named: int = 0
    # allergen or diet -> item lines of the households' box types it ruled out
    ruled_out_by: Counter[str] = field(default_factory=Counter)
    formula_packed: int = 0  # households needing baby formula that got some
    formula_missing: int = 0  # ... that got none, and a bold line saying so

    def __bool__(self) -> bool:
        return not self.problems


def check_packing(
    slips_pdf: bytes, pick_pdf: bytes, items: dict[str, Item], homes: list[Household]
) -> Findings:
    found = Findings()
    slips = {s.code: s for s in read_slips(slips_pdf)}
    summed: dict[tuple[str, str], int] = defaultdict(int)
    for home in homes:
        slip = slips.get(home.code)
        if slip is None:
            found.problems.append(f"{home.code}: no slip")
            continue
        found.slips += 1
        words = WORDS[home.language]
        if words.stop not in slip.header:
            found.problems.append(f"{home.code}: the slip does not speak {home.language}")
        by_name = {words.item(i.name): i for i in items.values()}
        for name, qty in slip.items.items():
            item = by_name.get(name)
            if item is None:
                found.problems.append(f"{home.code}: “{name}” is no item in the database")
                continue
            if clash := conflicts(item.allergens, item.traits, home.who):
                found.problems.append(
                    f"{home.code}: {name} conflicts with {sorted(clash)} (“{home.allergies}”)"
                )
            summed[(home.box_type or "Type not set", item.name)] += qty
            found.items_checked += 1
        for item_id, _base, _per in home.rules:
            if item_id in items:
                item = items[item_id]
                found.ruled_out_by.update(conflicts(item.allergens, item.traits, home.who))
        if "baby_formula" in home.who[1]:
            # A need: some formula on the slip, or a bold line saying there is none.
            needs = words(UNMET_NEED).split("{need}")[0].casefold()
            if any("baby_formula" in by_name[n].traits for n in slip.items if n in by_name):
                found.formula_packed += 1
            elif any(b.casefold().startswith(needs) for b in slip.bold):
                found.formula_missing += 1
            else:
                found.problems.append(f"{home.code}: needs baby formula, none packed or said")
        in_db, gone_in_db = expected_items(home, items)
        want = {words.item(name): qty for name, qty in in_db.items()}
        gone = {words.item(name) for name in gone_in_db}
        if slip.items != want:
            found.problems.append(f"{home.code}: printed {slip.items}, the rules give {want}")
        for name, shares in slip.per_box.items():
            if len(shares) != max(home.boxes, 1) or sum(shares) != slip.items.get(name):
                found.problems.append(f"{home.code}: {name} split {shares} over {home.boxes}")
        for name in gone:
            sentence = f"{words.left_out}{lower_first(name)}:".casefold()
            said = [b for b in slip.bold if b.casefold().startswith(sentence)]
            if not said:
                found.problems.append(f"{home.code}: {name} left out without a bold line")
            found.left_out += 1
        if home.allergies.strip().casefold() not in NOTHING:
            if home.who[0]:
                if not any(line.startswith(words.allergies) for line in slip.bold):
                    found.problems.append(f"{home.code}: allergies “{home.allergies}” not bold")
            else:
                flagged = " ".join(slip.bold)
                if home.allergies.strip() not in flagged:
                    found.problems.append(f"{home.code}: “{home.allergies}” not flagged")
                found.flagged += 1
        if home.notes and home.notes in " ".join([slip.header, *slip.lines]):
            found.problems.append(f"{home.code}: organizer note on the slip")
    pick = read_pick_list(pick_pdf)
    if pick != dict(summed):
        diff = {k: (pick.get(k), summed.get(k)) for k in set(pick) | set(summed)}
        wrong = {k: v for k, v in diff.items() if v[0] != v[1]}
        found.problems.append(f"pick list differs from the slips: {wrong}")
    return found


@dataclass
class RouteRow:
    run: str
    seq: int
    cells: list[str]  # household and phones, address, for the driver, outcome


def read_routes(pdf: bytes) -> tuple[list[RouteRow], list[str]]:
    """The stop rows of route sheets, cell by cell (between the grid's lines), and each
    page's run-and-driver line."""
    rows: list[RouteRow] = []
    named: list[str] = []
    with pdfplumber.open(io.BytesIO(pdf)) as doc:
        for page in doc.pages:
            lines = _lines(page)
            label = next(
                (_text(w) for w in lines[:3] if re.search(r" · page \d+ of \d+$", _text(w))), ""
            )
            named.append(label)
            run = label.split(" · Driver: ")[0]
            heads = [w for words in lines if words[0]["text"] == "#" for w in words]
            names = ("#", "Household", "Address", "For", "Outcome", "Scan")
            columns = [w["x0"] for w in heads if w["text"] in names]
            if len(columns) != len(names):
                continue
            # The grid's row lines, not the QR codes' little squares.
            edges = sorted(
                {round(e["top"], 1) for e in page.horizontal_edges if e["x1"] - e["x0"] > 300}
            )
            bands: dict[int, list[list[str]]] = {}
            for words in lines:
                for word in words:
                    band = sum(1 for y in edges if y <= word["top"])
                    at = max(i for i, x in enumerate(columns) if word["x0"] >= x - 1 or i == 0)
                    bands.setdefault(band, [[] for _ in columns])[at].append(word["text"])
            for band in sorted(bands):
                cells = bands[band]
                if cells[0] and cells[0][0].isdigit() and 0 < band < len(edges):
                    rows.append(RouteRow(run, int(cells[0][0]), [" ".join(c) for c in cells[1:]]))
    return rows, named


def check_routes(routes_pdf: bytes, items: dict[str, Item], homes: list[Household]) -> Findings:
    found = Findings()
    rows, named = read_routes(routes_pdf)
    runs = {h.run for h in homes}
    for label in named:
        if any(label.startswith(f"{run} · Driver: ") for run in runs):
            found.pages_named += 1
        else:
            found.problems.append(f"a route page names no run: “{label}”")
    by_stop = {(r.run, r.seq): r for r in rows}
    for home in homes:
        row = by_stop.get((home.run, home.seq))
        if row is None:
            found.problems.append(f"{home.code}: no row on {home.run}'s route sheet")
            continue
        text = " ".join(row.cells)
        if home.notes and home.notes in text:
            found.problems.append(f"{home.code}: organizer note “{home.notes}” on a route sheet")
        if home.driver_notes and home.driver_notes not in text:
            found.problems.append(f"{home.code}: driver notes “{home.driver_notes}” missing")
        # The items summary follows the boxes line: "2 boxes · Standard Apples 3, Rice 4".
        summary = row.cells[2].partition(f" · {home.box_type or 'type not set'} ")[2]
        for item in items.values():
            if re.search(rf"(^|, ){re.escape(item.name)} \d+", summary) and forbidden(
                item.allergens, item.traits, home.who
            ):
                found.problems.append(f"{home.code}: {item.name} on the route sheet")
        if home.who[0] and "ALLERGIES:" not in row.cells[2]:
            found.problems.append(f"{home.code}: allergies not labelled on the route sheet")
    return found


def main() -> int:
    import argparse
    from datetime import date

    from mutualaid_desktop.domain import PrivacyLevel
    from mutualaid_desktop.sheets.make import make_sheet
    from mutualaid_desktop.store import Store

    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--db", required=True)
    parser.add_argument("--date", required=True)
    args = parser.parse_args()
    day = date.fromisoformat(args.date)
    with Store.open(args.db) as store:  # migrates a copy to the current schema first
        sheets = {
            kind: make_sheet(store, kind, day, privacy=PrivacyLevel.CODE).pdf
            for kind in ("packing", "picklist")
        }
        routes_at = {
            level: make_sheet(store, "routes", day, privacy=level).pdf for level in PrivacyLevel
        }
    items, homes = read_database(args.db, args.date)
    packing = check_packing(sheets["packing"], sheets["picklist"], items, homes)
    routes = Findings()
    for level, pdf in routes_at.items():
        found = check_routes(pdf, items, homes)
        routes.pages_named += found.pages_named
        routes.problems += [f"{level.value}: {p}" for p in found.problems]
    print(
        f"{len(homes)} stops; {packing.slips} slips, {packing.items_checked} item lines checked,"
        f" {packing.left_out} items left out with a bold line, {packing.flagged} allergy notes"
        f" flagged; {routes.pages_named} route pages (at the three privacy levels) naming their run"
    )
    print(
        "item lines each restriction ruled out (replaced or left out): "
        + ", ".join(f"{what} {n}" for what, n in sorted(packing.ruled_out_by.items()))
        + f"; baby formula packed for {packing.formula_packed} households, said to be missing"
        f" for {packing.formula_missing}"
    )
    for problem in packing.problems + routes.problems:
        print("PROBLEM:", problem)
    return 0 if packing and routes else 1


if __name__ == "__main__":
    raise SystemExit(main())
