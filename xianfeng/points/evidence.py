"""佐证材料: what a member may upload with a claim, checked by content, not by file name."""

from django.core.exceptions import ValidationError

MAX_MB = 5
# The first bytes of each accepted format, and the extension it is saved under.
SIGNATURES = (
    (b"\xff\xd8\xff", ".jpg"),
    (b"\x89PNG\r\n\x1a\n", ".png"),
    (b"%PDF-", ".pdf"),
)


def check_evidence(upload):
    """Refuse files over MAX_MB or that are not JPEG, PNG or PDF by content; returns the upload."""
    if upload.size > MAX_MB * 1024 * 1024:
        raise ValidationError(f"文件不能超过 {MAX_MB} MB")
    upload.seek(0)
    head = upload.read(8)
    upload.seek(0)
    for signature, extension in SIGNATURES:
        if head.startswith(signature):
            upload.name = f"evidence{extension}"
            return upload
    raise ValidationError("只接受 JPG、PNG 图片或 PDF 文件")
