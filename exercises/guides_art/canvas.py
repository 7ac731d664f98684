"""The drawing kit of the guide pictures: one canvas, one figure style, one palette.

One drawing style for every picture, so the guides read as one set: a 320 x 200 view, a line
figure with a round head and limbs as rounded strokes (the limbs nearer the viewer dark, the far
ones grey), a floor line, blue arrows for movement, orange for what to notice (the supports, the
muscle that works). Original work for this product, CC BY 4.0 (see the folder's README.md).
"""

import math

INK = "#1f2a36"  # the figure, near limbs
FAR = "#8a96a3"  # far limbs
ARROW = "#0b5cad"  # movement
FOCUS = "#d9480f"  # what to notice
FLOOR = "#5b6670"
MAT = "#e8f0fa"
LIMB = 9
TORSO = 12
HEAD = 12
FLOOR_Y = 172


def _pts(points) -> str:
    return " ".join(f"{x:g},{y:g}" for x, y in points)


class Picture:
    def __init__(self, *, floor: bool = True, mat: tuple[float, float] | None = None):
        self.parts: list[str] = []
        if mat:
            x0, x1 = mat
            self.parts.append(
                f'<rect x="{x0}" y="{FLOOR_Y - 3}" width="{x1 - x0}" height="6" rx="3" '
                f'fill="{MAT}"/>'
            )
        if floor:
            self.parts.append(
                f'<line x1="8" y1="{FLOOR_Y + 3}" x2="312" y2="{FLOOR_Y + 3}" stroke="{FLOOR}" '
                'stroke-width="3" stroke-linecap="round"/>'
            )

    def limb(self, points, *, far: bool = False, width: float = LIMB) -> None:
        colour = FAR if far else INK
        self.parts.append(
            f'<polyline points="{_pts(points)}" fill="none" stroke="{colour}" '
            f'stroke-width="{width}" stroke-linecap="round" stroke-linejoin="round"/>'
        )

    def torso(self, *points) -> None:
        if len(points) == 3:  # neck, a control point, hip: a bent back
            (x0, y0), (cx, cy), (x1, y1) = points
            self.parts.append(
                f'<path d="M{x0:g} {y0:g} Q{cx:g} {cy:g} {x1:g} {y1:g}" fill="none" '
                f'stroke="{INK}" stroke-width="{TORSO}" stroke-linecap="round"/>'
            )
        else:
            self.limb(points, width=TORSO)

    def head(self, x: float, y: float) -> None:
        self.parts.append(f'<circle cx="{x:g}" cy="{y:g}" r="{HEAD}" fill="{INK}"/>')

    def dot(self, x: float, y: float, r: float = 6) -> None:
        self.parts.append(
            f'<circle cx="{x:g}" cy="{y:g}" r="{r}" fill="{FOCUS}" stroke="#fff" stroke-width="2"/>'
        )

    def glow(self, x: float, y: float, rx: float, ry: float, *, dashed: bool = False) -> None:
        if dashed:
            self.parts.append(
                f'<ellipse cx="{x:g}" cy="{y:g}" rx="{rx}" ry="{ry}" fill="none" '
                f'stroke="{FOCUS}" stroke-width="3" stroke-dasharray="6 5"/>'
            )
        else:
            self.parts.append(
                f'<ellipse cx="{x:g}" cy="{y:g}" rx="{rx}" ry="{ry}" fill="{FOCUS}" '
                f'fill-opacity="0.3" stroke="{FOCUS}" stroke-width="3"/>'
            )

    def guide_line(self, a, b) -> None:
        self.parts.append(
            f'<line x1="{a[0]:g}" y1="{a[1]:g}" x2="{b[0]:g}" y2="{b[1]:g}" stroke="{ARROW}" '
            'stroke-width="3" stroke-dasharray="8 6" stroke-linecap="round"/>'
        )

    def _head_at(self, tip, angle: float, colour: str) -> None:
        size = 14
        left = (tip[0] - size * math.cos(angle - 0.45), tip[1] - size * math.sin(angle - 0.45))
        right = (tip[0] - size * math.cos(angle + 0.45), tip[1] - size * math.sin(angle + 0.45))
        self.parts.append(f'<polygon points="{_pts([tip, left, right])}" fill="{colour}"/>')

    def arrow(self, start, end, *, bend=None, colour: str = ARROW) -> None:
        """A straight arrow, or curved through the control point `bend`."""
        if bend is None:
            angle = math.atan2(end[1] - start[1], end[0] - start[0])
            d = f"M{start[0]:g} {start[1]:g} L{end[0]:g} {end[1]:g}"
        else:
            angle = math.atan2(end[1] - bend[1], end[0] - bend[0])
            d = f"M{start[0]:g} {start[1]:g} Q{bend[0]:g} {bend[1]:g} {end[0]:g} {end[1]:g}"
        # Stop the shaft short of the tip so the round cap does not poke through the head.
        self.parts.append(
            f'<path d="{d}" fill="none" stroke="{colour}" stroke-width="5" '
            'stroke-linecap="round" stroke-dasharray="none"/>'
        )
        self._head_at(end, angle, colour)

    def pause(self, x: float, y: float) -> None:
        self.parts.append(f'<circle cx="{x:g}" cy="{y:g}" r="20" fill="{FOCUS}"/>')
        for dx in (-6, 6):
            self.parts.append(
                f'<line x1="{x + dx:g}" y1="{y - 9:g}" x2="{x + dx:g}" y2="{y + 9:g}" '
                'stroke="#fff" stroke-width="5" stroke-linecap="round"/>'
            )

    def raw(self, svg: str) -> None:
        self.parts.append(svg)

    def svg(self, title: str) -> str:
        body = "\n  ".join(self.parts)
        return (
            '<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 320 200" width="320" '
            f'height="200" role="img">\n  <title>{title}</title>\n  {body}\n</svg>\n'
        )
