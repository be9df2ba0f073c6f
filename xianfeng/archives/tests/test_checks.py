"""Content checks: the type is sniffed from magic bytes, the extension must agree, size limits."""

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile

from xianfeng.archives.checks import check_upload
from xianfeng.core.errors import DomainError

from .factories import JPEG, PDF, PNG


def upload(name, content):
    return SimpleUploadedFile(name, content)


@pytest.mark.parametrize(
    ("name", "content", "content_type"),
    [
        ("a.pdf", PDF, "application/pdf"),
        ("a.PDF", PDF, "application/pdf"),
        ("b.jpg", JPEG, "image/jpeg"),
        ("b.jpeg", JPEG, "image/jpeg"),
        ("c.png", PNG, "image/png"),
    ],
)
def test_accepted_types(name, content, content_type):
    checked = check_upload(upload(name, content))
    assert checked.kind.content_type == content_type
    assert checked.size == len(content) and len(checked.digest) == 64


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("a.png", PDF, "扩展名“.png”与内容(PDF)不符"),
        ("a.pdf", PNG, "扩展名“.pdf”与内容(PNG)不符"),
        ("noext", PDF, "扩展名“无”"),
        ("virus.pdf", b"MZ\x90\x00" + b"\x00" * 20, "不是 PDF、JPEG 或 PNG"),
        ("a.docx", b"PK\x03\x04" + b"\x00" * 20, "不是 PDF、JPEG 或 PNG"),
        ("empty.pdf", b"", "文件为空"),
    ],
)
def test_refused_with_chinese_reason(name, content, message):
    with pytest.raises(DomainError, match=message.replace("(", r"\(").replace(")", r"\)")):
        check_upload(upload(name, content))


def test_size_limit_edge(settings):
    settings.ARCHIVE_MAX_UPLOAD_BYTES = len(PDF) + 10
    assert check_upload(upload("a.pdf", PDF + b"x" * 10))
    with pytest.raises(DomainError, match="文件过大"):
        check_upload(upload("a.pdf", PDF + b"x" * 11))
