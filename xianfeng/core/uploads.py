"""Uploaded files: the real type is read from the file's first bytes, never from its name."""

from django.core.exceptions import ValidationError

# kind: (offset, magic bytes) — any one pair matches
SIGNATURES = {
    "pdf": ((0, b"%PDF-"),),
    "jpeg": ((0, b"\xff\xd8\xff"),),
    "png": ((0, b"\x89PNG\r\n\x1a\n"),),
    "mp4": ((4, b"ftyp"),),
    "webm": ((0, b"\x1a\x45\xdf\xa3"),),
    "mp3": ((0, b"ID3"), (0, b"\xff\xfb"), (0, b"\xff\xf3"), (0, b"\xff\xf2")),
    "ogg": ((0, b"OggS"),),
    "gif": ((0, b"GIF87a"), (0, b"GIF89a")),
    "webp": ((8, b"WEBP"),),
}
EXTENSIONS = {
    "pdf": (".pdf",),
    "jpeg": (".jpg", ".jpeg"),
    "png": (".png",),
    "mp4": (".mp4", ".m4a", ".m4v", ".mov"),
    "webm": (".webm",),
    "mp3": (".mp3",),
    "ogg": (".ogg", ".oga", ".ogv"),
    "gif": (".gif",),
    "webp": (".webp",),
}
CONTENT_TYPES = {
    "pdf": "application/pdf",
    "jpeg": "image/jpeg",
    "png": "image/png",
    "mp4": "video/mp4",
    "webm": "video/webm",
    "mp3": "audio/mpeg",
    "ogg": "audio/ogg",
    "gif": "image/gif",
    "webp": "image/webp",
}
MAX_BYTES = 10 * 1024 * 1024


def sniff(head: bytes):
    """The kind of file whose first 16 bytes are `head`, or None."""
    for kind, signatures in SIGNATURES.items():
        if any(head[offset : offset + len(magic)] == magic for offset, magic in signatures):
            return kind
    return None


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
