from django.core.files.uploadedfile import SimpleUploadedFile

from .. import services

PDF = b"%PDF-1.4\n1 0 obj<<>>endobj\ntrailer<<>>\n%%EOF\n"
JPEG = b"\xff\xd8\xff\xe0\x00\x10JFIF\x00" + b"\x00" * 32
PNG = b"\x89PNG\r\n\x1a\n" + b"\x00" * 32


def pdf(name="scan.pdf", body=b""):
    return SimpleUploadedFile(name, PDF + body, content_type="application/pdf")


def upload_scan(member, *, actor=None, doc="application", n=0, **fields):
    """Upload a distinct small PDF (vary `n` for several files of one member)."""
    return services.upload_item(
        member, doc=doc, upload=pdf(body=f"%{doc}{n}".encode()), actor=actor, **fields
    )


def complete_file(member, docs, *, actor=None):
    """Upload and accept every document in `docs`."""
    for n, doc in enumerate(docs):
        item = upload_scan(member, actor=actor, doc=doc, n=n)
        services.review_item(item, verdict="accepted", actor=actor)
