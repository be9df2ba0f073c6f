"""Photos from residents: the checks live in core.photos (grid visits take photos too)."""

from xianfeng.core.photos import KINDS, MAX_PHOTO_BYTES, MAX_PHOTOS, check_photos

__all__ = ["KINDS", "MAX_PHOTO_BYTES", "MAX_PHOTOS", "check_photos"]
