"""Uploaded evidence: the real type is read from the file's first bytes, never from its name."""

from django.core.exceptions import ValidationError

SIGNATURES = {
    "pdf": (b"%PDF-",),
    "jpeg": (b"\xff\xd8\xff",),
    "png": (b"\x89PNG\r\n\x1a\n",),
}
EXTENSIONS = {"pdf": (".pdf",), "jpeg": (".jpg", ".jpeg"), "png": (".png",)}
MAX_BYTES = 10 * 1024 * 1024


def sniff(head: bytes):
    return next(
        (kind for kind, sigs in SIGNATURES.items() if any(head.startswith(s) for s in sigs)), None
    )


def check_upload(upload, *, kinds=("pdf", "jpeg", "png"), max_bytes=MAX_BYTES):
    """Refuse a file that is too big, not one of `kinds`, or whose name lies about its type."""
    if upload.size > max_bytes:
        raise ValidationError(f"文件过大：不能超过 {max_bytes // (1024 * 1024)} MB")
    upload.seek(0)
    kind = sniff(upload.read(16))
    upload.seek(0)
    if kind not in kinds:
        names = "、".join(k.upper() for k in kinds)
        raise ValidationError(f"文件格式不支持：只接受 {names} 文件")
    if not upload.name.lower().endswith(EXTENSIONS[kind]):
        raise ValidationError("文件扩展名与内容不符")
    return kind
