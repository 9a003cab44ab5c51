"""The command line: exit codes 0/1/2, one plain sentence on errors, never a traceback."""

from __future__ import annotations

import hashlib
import re
import sqlite3
from pathlib import Path

import pytest
from unidecode import unidecode

from mutualaid_desktop import cli
from mutualaid_desktop.domain import Contact
from mutualaid_desktop.store import Store
from mutualaid_desktop.store.check import check_database

TODAY = "2026-11-27"


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = cli.main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def assert_one_sentence(err: str) -> None:
    lines = err.strip().splitlines()
    assert len(lines) == 1, err
    assert lines[0].startswith("mutualaid: ")
    assert lines[0].endswith(".")
    assert "Traceback" not in err and "Error:" not in err


def digest(path: Path) -> str:
    return hashlib.sha256(path.read_bytes()).hexdigest()


@pytest.fixture
def demo_db(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> Path:
    path = tmp_path / "demo.sqlite"
    code, out, _ = run(
        capsys,
        "demo",
        "--db",
        str(path),
        "--households",
        "30",
        "--seed",
        "3",
        "--today",
        TODAY,
        "--no-encryption",
    )
    assert code == 0
    assert "contacts" in out and "delivery runs" in out
    return path


def test_init_creates_an_empty_database(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "group" / "aid.sqlite"
    code, out, err = run(
        capsys,
        "init",
        "--db",
        str(path),
        "--name",
        " Rosa ",
        "--org",
        "Eastside",
        "--no-encryption",
    )
    assert code == 0
    assert str(path) in out
    assert err == ""
    with Store.open(path) as store:
        assert store.organizer == "Rosa"
        assert store.organization().name == "Eastside"
        assert store.count(Contact) == 0
        assert check_database(store) == []


def test_init_without_db_uses_the_program_folder(
    program_home: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, _, _ = run(capsys, "init", "--name", "Rosa", "--no-encryption")
    assert code == 0
    assert (program_home / "data" / "mutualaid.sqlite").exists()


def test_second_init_on_the_same_file_is_refused_plainly(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "aid.sqlite"
    assert run(capsys, "init", "--db", str(path), "--name", "Rosa", "--no-encryption")[0] == 0
    before = digest(path)
    code, out, err = run(
        capsys, "init", "--db", str(path), "--name", "Someone Else", "--no-encryption"
    )
    assert code == 1
    assert out == ""
    assert_one_sentence(err)
    assert "already exists" in err
    assert digest(path) == before


def test_init_needs_a_real_name(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    path = tmp_path / "aid.sqlite"
    code, _, err = run(capsys, "init", "--db", str(path), "--name", "   ")
    assert code == 1
    assert_one_sentence(err)
    assert "--name" in err
    assert not path.exists()


def test_demo_then_search_prints_one_tab_separated_line_per_hit(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conn = sqlite3.connect(demo_db)
    cid, name = conn.execute(
        "SELECT id, name FROM contacts WHERE name GLOB '[A-Z]*' ORDER BY id LIMIT 1"
    ).fetchone()
    needs = conn.execute("SELECT count(*) FROM needs WHERE contact_id = ?", (cid,)).fetchone()[0]
    conn.close()
    query = unidecode(name).lower()  # typed without accents or capitals
    code, out, err = run(capsys, "search", "--db", str(demo_db), query)
    assert code == 0, err
    lines = [line.split("\t") for line in out.splitlines()]
    assert all(len(fields) == 4 for fields in lines)
    assert ["contact", cid, name] in [fields[:3] for fields in lines]
    assert all(fields[0] in ("contact", "need") for fields in lines)
    assert sum(1 for f in lines if f[0] == "need" and name in f[2]) >= needs


def test_search_with_no_match_prints_nothing(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, _ = run(capsys, "search", "--db", str(demo_db), "Xqzwvy")
    assert (code, out) == (0, "")


def test_search_on_a_missing_file_says_how_to_create_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "nowhere.sqlite"
    code, out, err = run(capsys, "search", "--db", str(path), "jose")
    assert code == 1
    assert out == ""
    assert_one_sentence(err)
    assert "mutualaid init" in err
    assert not path.exists()


def test_search_on_a_file_that_is_not_a_database(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "notes.sqlite"
    path.write_text("shopping list\n" * 200, encoding="utf-8")
    code, _, err = run(capsys, "search", "--db", str(path), "jose")
    assert code == 1
    assert_one_sentence(err)


def test_check_passes_on_demo_data(demo_db: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "check", "--db", str(demo_db))
    assert code == 0, err
    assert "No problems found." in out


def test_check_reports_damage_and_repair_fixes_the_search_index(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    conn = sqlite3.connect(demo_db)
    conn.execute("DELETE FROM contacts_fts WHERE rowid IN (SELECT rowid FROM contacts LIMIT 3)")
    conn.commit()
    conn.close()
    code, _, err = run(capsys, "check", "--db", str(demo_db))
    assert code == 1
    assert "search index of contacts" in err
    assert "1 problem found." in err
    assert "Traceback" not in err
    code, out, _ = run(capsys, "check", "--db", str(demo_db), "--repair")
    assert code == 0
    assert "No problems found." in out


def test_demo_into_a_database_with_contacts_is_refused(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    before = sqlite3.connect(demo_db)
    n = before.execute("SELECT count(*) FROM contacts").fetchone()[0]
    before.close()
    code, _, err = run(capsys, "demo", "--db", str(demo_db), "--households", "20")
    assert code == 1
    assert_one_sentence(err)
    after = sqlite3.connect(demo_db)
    assert after.execute("SELECT count(*) FROM contacts").fetchone()[0] == n
    after.close()


def test_demo_names_the_demo_group(demo_db: Path) -> None:
    with Store.open(demo_db) as store:
        assert "demo" in store.organization().name.lower()


@pytest.mark.parametrize(
    "argv",
    [
        ["search", "--db", "{db}", "--no-such-option", "x"],
        ["frobnicate", "--db", "{db}"],
        ["demo", "--db", "{db}", "--households", "0"],
        ["demo", "--db", "{db}", "--households", "-5"],
        ["demo", "--db", "{db}", "--households", "many"],
        ["demo", "--db", "{db}", "--today", "2026-13-01"],
        ["init", "--db", "{db}"],  # --name is required
        ["search", "--db", "{db}"],  # the text is required
    ],
)
def test_wrong_usage_exits_2_with_usage_help(
    argv: list[str], tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    db = tmp_path / "x.sqlite"
    with pytest.raises(SystemExit) as caught:
        cli.main([a.format(db=db) for a in argv])
    assert caught.value.code == 2
    err = capsys.readouterr().err
    assert "usage: mutualaid" in err
    assert "Traceback" not in err
    assert not db.exists()


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as caught:
        cli.main(["--version"])
    assert caught.value.code == 0
    assert capsys.readouterr().out.startswith("mutualaid ")


def test_db_before_the_command_is_honoured(
    demo_db: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code, out, err = run(capsys, "--db", str(demo_db), "check")
    assert code == 0, err
    assert "No problems found." in out


def test_print_routes_writes_a_pdf(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_pdf = tmp_path / "routes.pdf"
    code, out, err = run(
        capsys,
        "print",
        "routes",
        "--db",
        str(demo_db),
        "--date",
        "2026-11-28",
        "--privacy",
        "code",
        "--out",
        str(out_pdf),
    )
    assert code == 0, err
    assert out_pdf.read_bytes().startswith(b"%PDF")
    assert "Saved" in out


def test_print_a_day_with_nothing_is_one_sentence(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out_pdf = tmp_path / "none.pdf"
    code, _, err = run(
        capsys,
        "print",
        "routes",
        "--db",
        str(demo_db),
        "--date",
        "2030-01-01",
        "--out",
        str(out_pdf),
    )
    assert code == 1
    assert_one_sentence(err)
    assert not out_pdf.exists()


def test_init_records_the_groups_choice_for_new_households(tmp_path: Path) -> None:
    from mutualaid_desktop.domain import ShareScope

    db = tmp_path / "group.sqlite"
    init = ["init", "--db", str(db), "--name", "Rosa", "--share", "group", "--no-encryption"]
    assert cli.main(init) == 0
    with Store.open(db) as store:
        assert store.organization().default_share_scope is ShareScope.GROUP


def _print(capsys: pytest.CaptureFixture[str], db: Path, out: Path, *extra: str):
    return run(
        capsys,
        "print",
        *extra[:1],
        "--db",
        str(db),
        "--date",
        "2026-11-28",
        "--out",
        str(out),
        *extra[1:],
    )


def test_print_edge_cases_are_one_accurate_sentence(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    from datetime import date

    from mutualaid_desktop.domain import DeliveryRun, Role

    with Store.open(demo_db) as store:
        store.insert(DeliveryRun(date=date(2026, 11, 28), name="Route 99"))
        driving = {
            r[0]
            for r in store.conn.execute(
                """SELECT driver_id FROM delivery_runs WHERE date = '2026-11-28'
                   UNION SELECT driver_id FROM rides WHERE pickup_at LIKE '2026-11-28%'"""
            )
        }
        idle = next(
            c
            for c in store.select(Contact, order_by="name")
            if Role.DRIVER in c.roles and c.id not in driving
        )
    out = tmp_path / "out.pdf"
    cases = [
        (("routes", "--run", "Route 99"), "Route 99 on 2026-11-28 has no stops yet"),
        (("routes", "--run", "Route 42"), "There is no run “Route 42” on 2026-11-28"),
        (("routes", "--driver", idle.name), f"{idle.name} drives no delivery run on 2026-11-28"),
        (("roster", "--driver", idle.name), f"{idle.name} has no rides on 2026-11-28"),
        (("routes", "--driver", "Nobody Atall"), "No driver is called “Nobody Atall”"),
        (("labels", "--offset", "40", "0"), "more than label sheets are ever off"),
    ]
    for argv, sentence in cases:
        code, _, err = _print(capsys, demo_db, out, *argv)
        assert code == 1, (argv, err)
        assert_one_sentence(err)
        assert sentence in err, (argv, err)
        assert not out.exists()
    # "that day's runs are …" names them, Route 2 before Route 10 style
    _, _, err = _print(capsys, demo_db, out, "routes", "--run", "Route 42")
    assert "Route 1 – North, Route 2 – Northeast" in err


def test_print_one_run_by_name_and_one_drivers_runs(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    import pdfplumber

    with Store.open(demo_db) as store:
        name, driver = store.conn.execute(
            """SELECT r.name, d.name FROM delivery_runs r JOIN contacts d ON d.id = r.driver_id
               WHERE r.date = '2026-11-28' ORDER BY r.name DESC LIMIT 1"""
        ).fetchone()
    for argv in (("routes", "--run", name), ("routes", "--driver", driver)):
        out = tmp_path / "one.pdf"
        code, _, err = _print(capsys, demo_db, out, *argv)
        assert code == 0, err
        with pdfplumber.open(out) as doc:
            pages = [p.extract_text() for p in doc.pages]
        assert all(f"{name} · Driver: {driver}" in page for page in pages)
        out.unlink()


def test_with_the_system_in_spanish_the_command_line_speaks_spanish(
    demo_db: Path, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    """Errors, what a command prints, --help and argparse's own words, and the route sheet."""
    from mutualaid_desktop import i18n
    from tests.unit.sheets.paper import document_words

    i18n.use_language("es")
    try:
        code, out, err = run(capsys, "search", "--db", str(tmp_path / "no.sqlite"), "jose")
        assert code == 1
        assert err.startswith("mutualaid: No hay ninguna base de datos en ")
        assert "cree una con `mutualaid init" in err
        out_pdf = tmp_path / "rutas.pdf"
        args = ["print", "routes", "--db", str(demo_db), "--date", "2026-11-28"]
        code, out, err = run(capsys, *args, "--out", str(out_pdf))
        assert code == 0, err
        assert out.startswith("Se guardó ")
        pages = document_words(out_pdf.read_bytes())
        assert "Hojas de ruta para conductores sábado, 28 de noviembre de 2026" in pages[0][0]
        assert any(re.search(r" · página 1 de \d+$", line) for line in pages[0])
        with pytest.raises(SystemExit):
            cli.main(["print", "--help"])
        shown = capsys.readouterr().out
        assert shown.startswith("uso: mutualaid print")
        assert "hacer un impreso" not in shown and "qué hoja" in shown
        assert "mostrar este mensaje de ayuda y salir" in shown
        with pytest.raises(SystemExit):
            cli.main(["print"])
        assert "faltan estos argumentos obligatorios" in capsys.readouterr().err
    finally:
        i18n.use_language("en")
