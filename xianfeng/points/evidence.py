"""佐证材料: what a member may upload with a claim, checked by content, not by file name."""

from django.core.exceptions import ValidationError

from xianfeng.core.uploads import EXTENSIONS, sniff

MAX_MB = 5
KINDS = ("jpeg", "png", "pdf")


def check_evidence(upload):
    """Refuse files over MAX_MB or that are not JPEG, PNG or PDF by content; returns the upload
    renamed to the extension its content has."""
    if upload.size > MAX_MB * 1024 * 1024:
        raise ValidationError(f"文件不能超过 {MAX_MB} MB")
    upload.seek(0)
    kind = sniff(upload.read(16))
    upload.seek(0)
    if kind not in KINDS:
        raise ValidationError("只接受 JPG、PNG 图片或 PDF 文件")
    upload.name = f"evidence{EXTENSIONS[kind][0]}"
    return upload
