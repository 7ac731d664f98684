"""Standing and sitting positions (stretch, walk, wall, Kegel, stand-up break)."""

from exercises.guides_art.canvas import (
    ARROW,
    FAR,
    FLOOR,
    FLOOR_Y,
    MAT,
    TORSO,
    Picture,
    _pts,
)


# Lying figures have the head on the left and the feet on the right; the body's centre line
# sits half a stroke above the floor.
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
