"""Installed the way users and packagers install it, the program still prints.

Builds the sdist and the wheel as a packager would (`python -m build`), installs
the wheel into a fresh virtual environment and prints a sheet from a folder far
from the checkout. The fresh environment borrows this one's dependencies (a
.pth line, added after its own site-packages) instead of downloading PySide6
again; the package itself must come from the wheel.
"""

from __future__ import annotations

import subprocess
import sys
import sysconfig
import tarfile
import venv
import zipfile
from datetime import timedelta
from pathlib import Path

import pdfplumber
import pytest

from tests.conftest import REPO, TODAY

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("dist")
    subprocess.run(
        [sys.executable, "-m", "build", "--sdist", "--wheel", "--outdir", str(out), str(REPO)],
        check=True,
        capture_output=True,
    )
    return out


def test_the_sdist_carries_the_licence_and_what_a_build_needs(built: Path) -> None:
    (sdist,) = built.glob("*.tar.gz")
    with tarfile.open(sdist) as tar:
        names = {n.split("/", 1)[1] for n in tar.getnames() if "/" in n}
    assert {"LICENSE", "pyproject.toml", "README.md"} <= names
    assert "mutualaid_desktop/resources/fonts/DejaVuSans.ttf" in names
    assert "mutualaid_desktop/resources/fonts/LICENSE-DejaVu.txt" in names
    assert {"setup.py", "mutualaid_desktop/resources/locale/es/LC_MESSAGES/mutualaid.po"} <= names


def test_the_installed_wheel_prints_a_sheet(built: Path, tmp_path: Path) -> None:
    (wheel,) = built.glob("*.whl")
    with zipfile.ZipFile(wheel) as zf:
        names = zf.namelist()
    assert "mutualaid_desktop/resources/fonts/DejaVuSans.ttf" in names
    # The build compiled the Spanish catalog: nobody has to by hand.
    assert "mutualaid_desktop/resources/locale/es/LC_MESSAGES/mutualaid.mo" in names
    env_dir = tmp_path / "venv"
    venv.create(env_dir, with_pip=False)
    python = env_dir / "bin" / "python"
    site = Path(
        subprocess.run(
            [str(python), "-c", "import sysconfig; print(sysconfig.get_paths()['purelib'])"],
            check=True,
            capture_output=True,
            text=True,
        ).stdout.strip()
    )
    with zipfile.ZipFile(wheel) as zf:  # what `pip install --no-deps` puts in place
        zf.extractall(site)
    (site / "zz-borrowed-dependencies.pth").write_text(
        sysconfig.get_paths()["purelib"] + "\n", encoding="utf-8"
    )
    work = tmp_path / "elsewhere"
    work.mkdir()
    env = {"MUTUALAID_HOME": str(tmp_path / "home"), "PATH": "/usr/bin:/bin"}

    def run(*args: str) -> subprocess.CompletedProcess[str]:
        return subprocess.run(
            [str(python), "-m", "mutualaid_desktop", *args],
            cwd=work,
            env=env,
            capture_output=True,
            text=True,
        )

    where = subprocess.run(
        [str(python), "-c", "import mutualaid_desktop; print(mutualaid_desktop.__file__)"],
        cwd=work,
        env=env,
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    assert where.startswith(str(site)), where
    db = work / "demo.sqlite"
    secret = work / "passphrase.txt"
    secret.write_text("plum orbit lantern seventeen\n", encoding="utf-8")
    key = ("--passphrase-file", str(secret))  # SQLCipher comes with the installed wheel too
    demo = ("demo", "--db", str(db), "--households", "20", "--seed", "3", "--today", str(TODAY))
    done = run(*demo, *key)
    assert done.returncode == 0, done.stderr
    assert not db.read_bytes().startswith(b"SQLite format 3")
    pdf = work / "routes.pdf"
    day = (TODAY + timedelta(days=1)).isoformat()
    done = run("print", "routes", "--db", str(db), "--date", day, "--out", str(pdf), *key)
    assert done.returncode == 0, done.stderr
    with pdfplumber.open(pdf) as doc:
        text = doc.pages[0].extract_text()
    assert "Please shred after your route" in text
