"""Photos taken on a phone (a resident's request, a grid worker's visit): checked by their first
bytes and size, never by the name or the browser's content type; Pillow verifies the image too
when it is installed."""

from django import forms

from .errors import DomainError
from .uploads import CONTENT_TYPES, sniff

MAX_PHOTO_BYTES = 5 * 1024 * 1024
MAX_PHOTOS = 4
KINDS = ("jpeg", "png", "gif", "webp")


class MultiFileInput(forms.ClearableFileInput):
    allow_multiple_selected = True


class PhotosField(forms.FileField):
    """Several image files in one input (`accept="image/*"` opens the phone's camera too)."""

    widget = MultiFileInput(attrs={"accept": "image/*", "multiple": True})

    def clean(self, data, initial=None):
        files = data if isinstance(data, list | tuple) else [data] if data else []
        return list(files)


def _pillow_verify(upload):
    try:
        from PIL import Image
    except ImportError:
        return True
    upload.seek(0)
    try:
        with Image.open(upload) as image:
            image.verify()
    except Exception:
        return False
    finally:
        upload.seek(0)
    return True


def check_photos(files):
    """[(upload, content_type)] for the valid uploads; DomainError naming the first bad one."""
    files = [f for f in files if f]
    if len(files) > MAX_PHOTOS:
        raise DomainError(f"最多上传 {MAX_PHOTOS} 张照片", field="photos")
    checked = []
    for upload in files:
        if upload.size > MAX_PHOTO_BYTES:
            raise DomainError(f"照片“{upload.name}”超过 5 MB", field="photos")
        upload.seek(0)
        kind = sniff(upload.read(16))
        upload.seek(0)
        if kind not in KINDS or not _pillow_verify(upload):
            raise DomainError(
                f"“{upload.name}”不是有效的图片（支持 JPEG、PNG、GIF、WebP）", field="photos"
            )
        checked.append((upload, CONTENT_TYPES[kind]))
    return checked
