"""Render the program's SVG icon to the PNG sizes desktops and installers ask for.

Run from the repository root after editing the SVG:
    QT_QPA_PLATFORM=offscreen .venv/bin/python packaging/make_icons.py
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtGui import QGuiApplication, QImage, QPainter
from PySide6.QtSvg import QSvgRenderer

ICONS = Path(__file__).resolve().parent.parent / "mutualaid_desktop" / "resources" / "icons"
NAME = "org.mutualaid.Desktop"
SIZES = (16, 24, 32, 48, 64, 128, 256, 512)


def main() -> None:
    app = QGuiApplication([])  # noqa: F841 (QPainter needs an application)
    renderer = QSvgRenderer(str(ICONS / f"{NAME}.svg"))
    for size in SIZES:
        image = QImage(size, size, QImage.Format.Format_ARGB32)
        image.fill(Qt.GlobalColor.transparent)
        painter = QPainter(image)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        renderer.render(painter)
        painter.end()
        image.save(str(ICONS / f"{NAME}-{size}.png"))
        print(ICONS / f"{NAME}-{size}.png")
    # The Windows and macOS builds take the icon in their own formats (Qt's
    # ico and icns image plugins write them from the largest rendering).
    for suffix, size in (("ico", 256), ("icns", 512)):
        image = QImage(str(ICONS / f"{NAME}-{size}.png"))
        if not image.save(str(ICONS / f"{NAME}.{suffix}"), suffix):
            raise SystemExit(f"Qt could not write {suffix}: its image plugin is missing")
        print(ICONS / f"{NAME}.{suffix}")


if __name__ == "__main__":
    main()
