"""Draws the exercise guides' pictures (exercises/static/exercises/guides/*.svg).

Run by hand after changing a pose: `.venv/bin/python -m exercises.guides_art`; the SVG files it
writes are committed (the app serves them as static files, nothing is drawn at run time).

One drawing style for every picture, so the guides read as one set: a 320 x 200 view, a line
figure with a round head and limbs as rounded strokes (the limbs nearer the viewer dark, the far
ones grey), a floor line, blue arrows for movement, orange for what to notice (the supports, the
muscle that works). Original work for this product, CC BY 4.0 (see the folder's README.md).
"""

import math
from pathlib import Path

OUT = Path(__file__).resolve().parent / "static" / "exercises" / "guides"

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


# --- poses --------------------------------------------------------------------------------------
# Lying figures have the head on the left and the feet on the right; the body's centre line
# sits half a stroke above the floor.
LY = FLOOR_Y - 6


def _supine_knees_bent(p: Picture, *, arms: str = "flat") -> None:
    neck, hip = (74, LY), (152, LY)
    p.limb([hip, (198, 118), (226, LY), (246, LY)], far=True)
    if arms == "flat":
        p.limb([neck, (104, LY + 1), (132, LY + 1)], far=True)
    p.torso(neck, hip)
    p.limb([hip, (202, 118), (232, LY), (252, LY)])
    if arms == "flat":
        p.limb([neck, (108, LY + 1), (136, LY + 1)])
    elif arms == "elbows":
        p.limb([neck, (98, LY + 1), (106, 136)])
    p.head(52, LY - 5)


def five_point_bridge():
    start = Picture(mat=(30, 290))
    _supine_knees_bent(start, arms="elbows")
    start.dot(98, LY + 1)
    start.dot(236, LY + 2)

    lifted = Picture(mat=(30, 290))
    neck, hip, knee = (74, 146), (150, 120), (204, 104)
    lifted.limb([hip, (200, 104), (226, LY), (246, LY)], far=True)
    lifted.torso(neck, hip)
    lifted.limb([hip, knee, (232, LY), (252, LY)])
    lifted.limb([neck, (86, LY + 1), (112, 134)])  # elbow on the bed, hand at the waist
    lifted.head(50, LY - 5)
    for x, y in ((50, LY + 6), (86, LY + 1), (236, LY + 2)):  # head, elbows, feet
        lifted.dot(x, y)
    lifted.guide_line((70, 136), (170, 114))
    lifted.arrow((130, 160), (130, 136))
    return [start, lifted]


def glute_bridge():
    start = Picture(mat=(30, 290))
    _supine_knees_bent(start, arms="flat")
    start.glow(150, LY - 8, 16, 10, dashed=True)

    lifted = Picture(mat=(30, 290))
    neck, hip, knee = (74, LY), (150, 128), (204, 100)
    lifted.limb([hip, (200, 100), (226, LY), (246, LY)], far=True)
    lifted.limb([neck, (104, LY + 1), (132, LY + 1)], far=True)
    lifted.torso(neck, hip)
    lifted.limb([hip, knee, (232, LY), (252, LY)])
    lifted.limb([neck, (108, LY + 1), (136, LY + 1)])
    lifted.head(52, LY - 5)
    lifted.glow(150, 132, 17, 11)
    lifted.guide_line((62, 172), (214, 95))
    lifted.arrow((150, 162), (150, 146))
    return [start, lifted]


def superman():
    down = Picture(mat=(30, 290))
    neck, hip = (74, LY), (152, LY)
    down.limb([hip, (200, LY), (248, LY), (258, LY - 8)], far=True)
    down.torso(neck, hip)
    down.limb([hip, (204, LY), (252, LY), (262, LY - 8)])
    down.limb([neck, (104, LY + 1), (132, LY + 1)])
    down.head(52, LY - 4)

    up = Picture(mat=(30, 290))
    neck, hip = (80, 146), (154, LY)
    up.limb([hip, (202, 160), (246, 146), (256, 136)], far=True)
    up.torso(neck, hip)
    up.limb([hip, (206, 162), (250, 150), (262, 142)])
    up.limb([neck, (106, 148), (132, 150)])  # arms reaching back, off the bed
    up.head(58, 134)
    up.glow(128, 152, 26, 10)
    up.arrow((40, 150), (44, 118), bend=(34, 134))
    up.arrow((282, 160), (280, 124), bend=(290, 142))
    return [down, up]


def plank():
    knees = Picture(mat=(30, 290))
    neck, hip, knee = (82, 124), (166, 142), (214, LY)
    knees.limb([neck, (86, LY), (118, LY)], far=True)
    knees.limb([hip, (210, LY), (250, LY - 2), (262, LY - 12)], far=True)
    knees.torso(neck, hip)
    knees.limb([hip, knee, (254, LY - 2), (266, LY - 12)])
    knees.limb([neck, (80, LY), (112, LY)])
    knees.head(60, 116)
    knees.dot(214, LY + 2)

    full = Picture(mat=(30, 290))
    neck, hip, knee, ankle = (82, 124), (168, 140), (216, 149), (262, 158)
    full.limb([neck, (86, LY), (118, LY)], far=True)
    full.limb([hip, (212, 149), (258, 158), (262, LY + 1)], far=True)
    full.torso(neck, hip)
    full.limb([hip, knee, ankle, (268, LY + 1)])
    full.limb([neck, (80, LY), (112, LY)])
    full.head(60, 116)
    full.guide_line((60, 112), (272, 152))
    full.glow(128, 134, 22, 9)
    return [knees, full]


def _standing_front(p: Picture, *, neck, hip, head, arms) -> None:
    hx, hy = hip
    p.limb([(hx - 10, hy), (hx - 16, 140), (hx - 20, FLOOR_Y - 2)])
    p.limb([(hx + 10, hy), (hx + 16, 140), (hx + 20, FLOOR_Y - 2)])
    p.limb([(hx - 12, hy), (hx + 12, hy)], width=TORSO)
    for arm in arms:
        p.limb(arm)
    p.torso(neck, ((neck[0] + hx) / 2 + (neck[0] - hx) * 0.1, (neck[1] + hy) / 2), hip)
    p.head(*head)


def waist_hip_stretch():
    hip = (160, 112)
    stand = Picture()
    neck = (160, 60)
    _standing_front(
        stand,
        neck=neck,
        hip=hip,
        head=(160, 42),
        arms=[
            [(146, 62), (174, 62)],
            [(146, 62), (128, 86), (148, 106)],
            [(174, 62), (192, 86), (172, 106)],
        ],
    )

    def bend(direction: int) -> Picture:
        p = Picture()
        nx, ny = 160 - 26 * direction, 64
        shoulder_l, shoulder_r = (nx - 14, ny + 4 * direction), (nx + 14, ny - 4 * direction)
        _standing_front(
            p,
            neck=(nx, ny),
            hip=hip,
            head=(nx - 12 * direction, ny - 16),
            arms=[
                [shoulder_l, shoulder_r],
                [shoulder_l, (shoulder_l[0] - 14, 94), (148, 108)],
                [shoulder_r, (shoulder_r[0] + 18, 88), (172, 106)],
            ],
        )
        side = 160 + 34 * direction  # the stretched side
        p.glow(side - 8 * direction, 88, 9, 22)
        p.arrow(
            (160 + 6 * direction, 26), (160 - 56 * direction, 52), bend=(160 - 40 * direction, 20)
        )
        return p

    left, right = bend(1), bend(-1)

    back = Picture()  # side view, facing right, leaning back
    hip, neck = (164, 110), (146, 62)
    back.limb([hip, (168, 140), (170, FLOOR_Y - 2), (188, FLOOR_Y - 2)], far=True)
    back.torso(neck, (160, 84), hip)
    back.limb([hip, (172, 140), (176, FLOOR_Y - 2), (194, FLOOR_Y - 2)])
    back.limb([neck, (136, 90), (156, 108)])  # hands on the buttocks
    back.head(136, 44)
    back.arrow((176, 40), (124, 26), bend=(156, 22))
    return [stand, left, right, back]


def _supine_straight(p: Picture, *, foot: str = "up") -> None:
    neck, hip = (74, LY), (152, LY)
    ankle = (248, LY)
    toe = (256, LY - 26) if foot == "up" else (274, LY + 2)
    p.limb([hip, (200, LY), (244, LY), (246 + (toe[0] - 252), toe[1])], far=True)
    p.limb([neck, (104, LY + 1), (132, LY + 1)], far=True)
    p.torso(neck, hip)
    p.limb([hip, (204, LY), ankle, toe])
    p.limb([neck, (108, LY + 1), (136, LY + 1)])
    p.head(52, LY - 5)


def ankle_pump():
    up = Picture(mat=(30, 290))
    _supine_straight(up, foot="up")
    up.glow(212, LY - 6, 16, 8)
    up.arrow((284, 150), (262, 120), bend=(286, 126))

    down = Picture(mat=(30, 290))
    _supine_straight(down, foot="down")
    down.glow(212, LY - 6, 16, 8)
    down.arrow((262, 126), (290, 154), bend=(288, 128))
    return [up, down]


def brisk_walk():
    walk = Picture()
    hip, neck = (156, 106), (160, 56)
    walk.limb([hip, (136, 136), (118, FLOOR_Y - 4), (108, FLOOR_Y - 10)], far=True)
    walk.limb([neck, (178, 80), (192, 100)], far=True)
    walk.torso(neck, hip)
    walk.limb([hip, (180, 136), (194, FLOOR_Y - 2), (212, FLOOR_Y - 2)])
    walk.limb([neck, (144, 80), (130, 100)])
    walk.head(164, 38)
    walk.arrow((214, 60), (274, 60))
    for y in (84, 100):
        walk.raw(
            f'<line x1="{86}" y1="{y}" x2="{110}" y2="{y}" stroke="{ARROW}" stroke-width="4" '
            'stroke-linecap="round" opacity="0.6"/>'
        )

    stop = Picture()
    hip, neck = (150, 110), (156, 60)
    stop.limb([hip, (148, 140), (146, FLOOR_Y - 2), (164, FLOOR_Y - 2)], far=True)
    stop.torso(neck, hip)
    stop.limb([hip, (160, 140), (162, FLOOR_Y - 2), (180, FLOOR_Y - 2)])
    stop.limb([neck, (166, 90), (164, 124)])  # hand on the painful leg
    stop.head(160, 42)
    stop.glow(161, 150, 12, 20)
    stop.pause(236, 70)
    return [walk, stop]


def _wall(p: Picture) -> None:
    p.raw(f'<rect x="100" y="14" width="16" height="{FLOOR_Y - 11}" fill="{MAT}"/>')
    p.raw(
        f'<line x1="116" y1="14" x2="116" y2="{FLOOR_Y + 3}" stroke="{FLOOR}" stroke-width="3" '
        'stroke-linecap="round"/>'
    )


def _wall_figure(p: Picture, dx: float) -> None:
    hip, neck = (130 + dx, 108), (128 + dx, 60)
    p.limb([hip, (132 + dx, 140), (130 + dx, FLOOR_Y - 2), (148 + dx, FLOOR_Y - 2)], far=True)
    p.torso(neck, hip)
    p.limb([hip, (134 + dx, 140), (132 + dx, FLOOR_Y - 2), (150 + dx, FLOOR_Y - 2)])
    p.limb([neck, (134 + dx, 86), (136 + dx, 112)])
    p.head(130 + dx, 41)


def wall_stand():
    step = Picture()
    _wall(step)
    _wall_figure(step, 90)
    step.arrow((200, 96), (150, 96))

    touch = Picture()
    _wall(touch)
    _wall_figure(touch, 0)
    for y in (41, 62, 112, FLOOR_Y - 4):  # head, shoulders, buttocks, heels on the wall
        touch.dot(118, y)
    touch.guide_line((170, 30), (170, FLOOR_Y - 2))
    return [step, touch]


def straight_leg_raise():
    down = Picture(mat=(30, 290))
    neck, hip = (74, LY), (152, LY)
    down.limb([hip, (198, 118), (226, LY), (246, LY)], far=True)
    down.limb([neck, (104, LY + 1), (132, LY + 1)], far=True)
    down.torso(neck, hip)
    down.limb([hip, (204, LY), (250, LY), (254, LY - 16)])
    down.limb([neck, (108, LY + 1), (136, LY + 1)])
    down.head(52, LY - 5)

    up = Picture(mat=(30, 290))
    up.limb([hip, (198, 118), (226, LY), (246, LY)], far=True)
    up.limb([neck, (104, LY + 1), (132, LY + 1)], far=True)
    up.torso(neck, hip)
    up.limb([hip, (193, 138), (234, 110), (248, 118)])
    up.limb([neck, (108, LY + 1), (136, LY + 1)])
    up.head(52, LY - 5)
    up.glow(172, 146, 20, 9)
    up.arrow((262, 156), (248, 96), bend=(272, 118))
    return [down, up]


def _chair(p: Picture, x: float = 118) -> None:
    p.raw(
        f'<polyline points="{_pts([(x, 40), (x, 120), (x + 66, 120), (x + 66, FLOOR_Y + 2)])}" '
        f'fill="none" stroke="{FLOOR}" stroke-width="5" stroke-linecap="round" '
        'stroke-linejoin="round"/>'
        f'<line x1="{x}" y1="120" x2="{x}" y2="{FLOOR_Y + 2}" stroke="{FLOOR}" stroke-width="5" '
        'stroke-linecap="round"/>'
    )


def _seated(p: Picture) -> None:
    hip, neck = (140, 112), (140, 60)
    p.limb([hip, (196, 110), (200, FLOOR_Y - 2), (216, FLOOR_Y - 2)], far=True)
    p.torso(neck, hip)
    p.limb([hip, (200, 112), (204, FLOOR_Y - 2), (222, FLOOR_Y - 2)])
    p.limb([neck, (152, 88), (180, 104)])
    p.head(142, 42)


def kegel():
    relaxed = Picture()
    _chair(relaxed)
    _seated(relaxed)
    relaxed.glow(148, 116, 20, 9, dashed=True)

    squeeze = Picture()
    _chair(squeeze)
    _seated(squeeze)
    squeeze.glow(148, 116, 20, 9)
    squeeze.arrow((244, 128), (244, 84))
    squeeze.arrow((90, 128), (90, 84))
    return [relaxed, squeeze]


def _breathing(p: Picture, belly: float) -> None:
    neck, hip = (74, LY), (152, LY)
    p.limb([hip, (198, 118), (226, LY), (246, LY)], far=True)
    p.torso(neck, hip)
    # The belly between ribs and hips, higher when the breath is in.
    p.raw(
        f'<path d="M100 {LY - 5} Q124 {LY - 5 - belly} 148 {LY - 5}" fill="{MAT}" '
        f'stroke="{INK}" stroke-width="4" stroke-linecap="round"/>'
    )
    p.limb([hip, (202, 118), (232, LY), (252, LY)])
    p.limb([neck, (84, 138), (92, LY - 16)], far=True)  # hand on the chest
    p.limb([neck, (104, 136), (124, LY - 8 - belly)])  # hand on the belly
    p.head(52, LY - 5)


def diaphragmatic_breathing():
    hands = Picture(mat=(30, 290))
    _breathing(hands, 10)
    hands.dot(92, LY - 16)
    hands.dot(124, LY - 18)

    breathe_in = Picture(mat=(30, 290))
    _breathing(breathe_in, 26)
    breathe_in.arrow((124, 118), (124, 82))
    breathe_in.arrow((20, 136), (38, 150), colour=FAR)  # air in through the nose

    breathe_out = Picture(mat=(30, 290))
    _breathing(breathe_out, 8)
    breathe_out.arrow((124, 92), (124, 132))
    breathe_out.arrow((38, 150), (16, 132), colour=FAR)
    return [hands, breathe_in, breathe_out]


def _bottle(p: Picture, x: float, y: float, w: float = 70, h: float = 44) -> None:
    p.raw(
        f'<rect x="{x}" y="{y}" width="{w}" height="{h}" rx="14" fill="{FOCUS}" '
        f'fill-opacity="0.85" stroke="{INK}" stroke-width="4"/>'
    )
    for i in range(3):
        wx = x + 14 + i * (w - 28) / 2
        p.raw(
            f'<path d="M{wx:g} {y - 8} q-8 -10 0 -20 q8 -10 0 -20" fill="none" stroke="{FOCUS}" '
            'stroke-width="4" stroke-linecap="round"/>'
        )


def heat_therapy():
    bottle = Picture()
    _bottle(bottle, 70, 100, 110, 66)
    bottle.raw(
        f'<rect x="62" y="{FLOOR_Y - 18}" width="126" height="18" rx="6" fill="{MAT}" '
        f'stroke="{FLOOR}" stroke-width="3"/>'
    )
    bottle.raw(
        f'<text x="250" y="118" font-family="sans-serif" font-size="26" font-weight="700" '
        f'text-anchor="middle" fill="{INK}">40–45 °C</text>'
    )
    bottle.raw(
        f'<rect x="236" y="130" width="28" height="34" rx="6" fill="none" stroke="{INK}" '
        'stroke-width="4"/>'
        f'<line x1="250" y1="136" x2="250" y2="150" stroke="{FOCUS}" stroke-width="6" '
        'stroke-linecap="round"/>'
    )

    lying = Picture(mat=(30, 290))
    neck, hip = (74, LY), (152, LY)
    lying.limb([hip, (200, LY), (248, LY), (258, LY - 8)], far=True)
    lying.torso(neck, hip)
    lying.limb([hip, (204, LY), (252, LY), (262, LY - 8)])
    lying.limb([neck, (60, 140), (36, LY - 8)])  # arms folded under the head
    lying.head(52, LY - 4)
    _bottle(lying, 116, LY - 30, 52, 22)
    return [bottle, lying]


def stand_up_break():
    sit = Picture()
    _chair(sit)
    _seated(sit)
    sit.raw(
        f'<rect x="206" y="84" width="96" height="10" rx="4" fill="{FAR}"/>'
        f'<line x1="290" y1="94" x2="290" y2="{FLOOR_Y + 2}" stroke="{FAR}" stroke-width="5" '
        'stroke-linecap="round"/>'
    )
    sit.raw(
        f'<circle cx="252" cy="40" r="22" fill="#fff" stroke="{ARROW}" stroke-width="4"/>'
        f'<polyline points="252,26 252,40 262,46" fill="none" stroke="{ARROW}" stroke-width="4" '
        'stroke-linecap="round" stroke-linejoin="round"/>'
    )

    up = Picture()
    _chair(up, 40)
    hip, neck = (176, 106), (180, 56)
    up.limb([hip, (156, 136), (138, FLOOR_Y - 4), (128, FLOOR_Y - 10)], far=True)
    up.limb([neck, (198, 80), (212, 100)], far=True)
    up.torso(neck, hip)
    up.limb([hip, (200, 136), (214, FLOOR_Y - 2), (232, FLOOR_Y - 2)])
    up.limb([neck, (164, 80), (150, 100)])
    up.head(184, 38)
    up.arrow((230, 56), (288, 56))
    return [sit, up]


DRAWINGS = {
    "five_point_bridge": five_point_bridge,
    "superman": superman,
    "plank": plank,
    "glute_bridge": glute_bridge,
    "waist_hip_stretch": waist_hip_stretch,
    "ankle_pump": ankle_pump,
    "brisk_walk": brisk_walk,
    "wall_stand": wall_stand,
    "straight_leg_raise": straight_leg_raise,
    "kegel": kegel,
    "diaphragmatic_breathing": diaphragmatic_breathing,
    "heat_therapy": heat_therapy,
    "stand_up_break": stand_up_break,
}


def main() -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    for key, draw in DRAWINGS.items():
        for number, picture in enumerate(draw(), start=1):
            path = OUT / f"{key}-{number}.svg"
            path.write_text(picture.svg(f"{key} {number}"), encoding="utf-8")
            print(path.relative_to(OUT.parent.parent.parent.parent))


if __name__ == "__main__":
    main()
