"""Content checks for uploaded scans: the real type comes from the file's first bytes.

Only PDF, JPEG and PNG are accepted; the extension must agree with the content, so a renamed
executable or a PNG called .pdf is refused. Messages are Chinese and name the problem.
"""

from dataclasses import dataclass
from hashlib import sha256
from pathlib import PurePath

from django.conf import settings

from xianfeng.core.errors import DomainError
from xianfeng.core.uploads import CONTENT_TYPES, EXTENSIONS, sniff

DEFAULT_MAX_BYTES = 10 * 1024 * 1024


@dataclass(frozen=True)
class Kind:
    name: str
    content_type: str
    extensions: tuple


KINDS = {
    kind: Kind(kind.upper(), CONTENT_TYPES[kind], EXTENSIONS[kind])
    for kind in ("pdf", "jpeg", "png")
}


@dataclass(frozen=True)
class Checked:
    kind: Kind
    size: int
    digest: str


def max_bytes():
    return getattr(settings, "ARCHIVE_MAX_UPLOAD_BYTES", DEFAULT_MAX_BYTES)


def check_upload(upload) -> Checked:
    """Refuse empty, oversized, unknown or mislabelled files; return the sniffed kind."""
    size = upload.size or 0
    if size == 0:
        raise DomainError("文件为空，请重新选择", field="file")
    limit = max_bytes()
    if size > limit:
        raise DomainError(
            f"文件过大：{size / 1048576:.1f} MB，上限 {limit / 1048576:.0f} MB", field="file"
        )
    upload.seek(0)
    head = upload.read(16)
    kind = KINDS.get(sniff(head))
    if kind is None:
        raise DomainError("文件内容不是 PDF、JPEG 或 PNG，不能上传", field="file")
    extension = PurePath(upload.name or "").suffix.lower()
    if extension not in kind.extensions:
        raise DomainError(f"文件扩展名“{extension or '无'}”与内容({kind.name})不符", field="file")
    upload.seek(0)
    digest = sha256()
    for chunk in upload.chunks():
        digest.update(chunk)
    upload.seek(0)
    return Checked(kind, size, digest.hexdigest())
