"""The key positions of each exercise, by exercise key, drawn with the kit in canvas.py."""

from exercises.guides_art.lying import (
    ankle_pump,
    diaphragmatic_breathing,
    five_point_bridge,
    glute_bridge,
    heat_therapy,
    plank,
    straight_leg_raise,
    superman,
)
from exercises.guides_art.upright import (
    brisk_walk,
    kegel,
    stand_up_break,
    waist_hip_stretch,
    wall_stand,
)

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
