"""Every write and domain rule of the exercises app (STYLE.md: services)."""

from exercises.services.catalogue import (
    CatalogueError,
    CatalogueLoadReport,
    LoadCounts,
    catalogue_load,
)
from exercises.services.programmes import THERAPIST_ROLE, caution_guard, template_item_add

__all__ = [
    "THERAPIST_ROLE",
    "CatalogueError",
    "CatalogueLoadReport",
    "LoadCounts",
    "catalogue_load",
    "caution_guard",
    "template_item_add",
]
