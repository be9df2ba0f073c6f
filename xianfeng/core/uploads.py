"""Uploaded files: the real type is read from the file's first bytes, never from its name.

Every uploaded file is stored under a server-made name whose extension comes from its content
(`ContentNamedStorage`), and files are only ever served by `serve` — from a scoped view, or
from `file_link`, a short-lived signed link that only pages which already checked the
viewer's scope hand out. `/media/` is not served by anyone.
"""

import posixpath
import uuid

from django.conf import settings
from django.core import signing
from django.core.exceptions import ValidationError
from django.core.files.storage import FileSystemStorage
from django.core.files.uploadedfile import UploadedFile
from django.http import FileResponse, Http404
from django.urls import reverse

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
    "xlsx": ((0, b"PK\x03\x04"),),
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
    "xlsx": (".xlsx",),
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
    "xlsx": "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
}
# Shown in the browser; anything else is a download.
INLINE = {"pdf", "jpeg", "png", "gif", "webp", "mp4", "webm", "mp3", "ogg"}
# A file response can run nothing and load nothing, even if a browser sniffs it as a page.
FILE_CSP = (
    "default-src 'none'; img-src 'self'; media-src 'self'; style-src 'unsafe-inline'; sandbox"
)
# Chrome's PDF viewer does not render inside a sandbox; PDFs still load nothing else.
PDF_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; object-src 'self'"
LINK_SALT = "xianfeng.core.file_link"
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


def kind_of(handle):
    """The checked kind of an open file (its position is kept), or None."""
    position = handle.tell()
    handle.seek(0)
    head = handle.read(16)
    handle.seek(position)
    return sniff(head)


def kind_of_name(fieldfile):
    """The kind a stored file's name says; stored names come from the checked content."""
    extension = posixpath.splitext(fieldfile.name)[1].lower()
    return next((kind for kind, exts in EXTENSIONS.items() if extension in exts), None)


class ContentNamedStorage(FileSystemStorage):
    """Uploads are saved as `<folder>/<random>.<extension of the checked content>`.

    The uploader's file name never reaches the disk: a GIF called `evil.html` is stored as
    `….gif`. Files the server writes itself (imports, demo data) keep the name given.
    """

    def save(self, name, content, max_length=None):
        if isinstance(content, UploadedFile):
            kind = kind_of(content)
            extension = EXTENSIONS[kind][0] if kind else ".bin"
            folder = posixpath.dirname(name or "")
            name = posixpath.join(folder, uuid.uuid4().hex + extension)
        return super().save(name, content, max_length=max_length)


def serve(fieldfile, *, filename=None):
    """A response for a stored file, typed by its content, with the headers that make it inert."""
    return serve_stored(fieldfile.storage, fieldfile.name, filename=filename)


def serve_stored(storage, name, *, filename=None):
    try:
        handle = storage.open(name, "rb")
    except FileNotFoundError as exc:
        raise Http404("文件不存在") from exc
    kind = kind_of(handle)
    response = FileResponse(
        handle,
        as_attachment=kind not in INLINE,
        filename=filename or posixpath.basename(name),
        content_type=CONTENT_TYPES.get(kind, "application/octet-stream"),
    )
    return harden(response, kind)


def harden(response, kind):
    """nosniff and a sandboxing CSP on any response that carries a stored file."""
    response["X-Content-Type-Options"] = "nosniff"
    response["Content-Security-Policy"] = PDF_CSP if kind == "pdf" else FILE_CSP
    response["Cross-Origin-Resource-Policy"] = "same-origin"
    return response


def file_link(fieldfile) -> str:
    """A signed link to one stored file, valid for XIANFENG_FILE_LINK_MAX_AGE seconds.

    Only a page that has already checked that its viewer may see the file calls this.
    """
    if not fieldfile:
        return ""
    token = signing.dumps(fieldfile.name, salt=LINK_SALT, compress=True)
    return reverse("core:file", args=[token])


def linked_name(token):
    """The stored name a `file_link` token points to, or None if forged or expired."""
    try:
        return signing.loads(token, salt=LINK_SALT, max_age=settings.XIANFENG_FILE_LINK_MAX_AGE)
    except signing.BadSignature:
        return None
