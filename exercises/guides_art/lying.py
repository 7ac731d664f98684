"""Positions lying on a mat (bridges, plank, prone extension, leg raise, ankle pumps, breathing,
heat)."""

from exercises.guides_art.canvas import (
    FAR,
    FLOOR,
    FLOOR_Y,
    FOCUS,
    INK,
    MAT,
    Picture,
)

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
