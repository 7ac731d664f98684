"""Draws the exercise guides' pictures (exercises/static/exercises/guides/*.svg).

Run by hand after changing a pose: `.venv/bin/python -m exercises.guides_art`; the SVG files it
writes are committed (the app serves them as static files, nothing is drawn at run time). The
drawing kit (canvas, figure style, palette) is in canvas.py, the positions in poses.py. Original
work for this product, CC BY 4.0 (see the pictures folder's README.md).
"""

from pathlib import Path

from exercises.guides_art.poses import DRAWINGS

OUT = Path(__file__).resolve().parent.parent / "static" / "exercises" / "guides"


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for key, draw in DRAWINGS.items():
        for number, picture in enumerate(draw(), start=1):
            path = OUT / f"{key}-{number}.svg"
            path.write_text(picture.svg(f"{key} {number}"), encoding="utf-8")
            print(path.name)
