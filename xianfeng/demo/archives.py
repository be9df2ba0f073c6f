"""档案 in 郭店: most files complete, some with gaps, items waiting for review or sent back.

Every demo item points at one small sample PDF written once under MEDIA_ROOT; its SHA-256
field is a per-item demo value (the content checks run on real uploads only). Each member's
draw is seeded by the ID number and members that have an archive are left alone, so a
re-run adds nothing.
"""

from hashlib import sha256

from django.core.files.base import ContentFile
from django.core.files.storage import default_storage
from django.utils import timezone

from xianfeng.archives.models import Archive, ArchiveItem, ItemStatus
from xianfeng.archives.rules import derive_path, required_docs
from xianfeng.members.models import Category, Member

STREET = "370112-01"  # 郭店街道党工委
SAMPLE = "archives/demo/sample.pdf"
SAMPLE_PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)
COMPLETE, PARTIAL = 0.62, 0.88  # cumulative shares: complete, partial, nothing yet


def load(ctx):
    if not default_storage.exists(SAMPLE):
        default_storage.save(SAMPLE, ContentFile(SAMPLE_PDF))
    street = ctx.orgs[STREET]
    members = list(
        Member.objects.active()
        .filter(organization__path__startswith=street.path, archive__isnull=True)
        .order_by("id_number")
    )
    plans = []
    for member in members:
        rng = ctx.rng(f"archives:{member.id_number}")  # per member: a re-run draws the same
        draw = rng.random()
        if draw >= PARTIAL:
            continue
        required = required_docs(
            derive_path(member.joined_on, came_from_outside=False), member.category == Category.FULL
        )
        plans.append((member, required, draw < COMPLETE, rng))
    archives = Archive.objects.bulk_create([Archive(member=plan[0]) for plan in plans])
    now = timezone.now()
    items = []
    for archive, (member, required, complete, rng) in zip(archives, plans, strict=True):
        for n, req in enumerate(required):
            status = ItemStatus.ACCEPTED
            if not complete and n == len(required) - 1:
                continue  # the last document is missing
            if not complete and n == len(required) - 2:
                status = rng.choice((ItemStatus.PENDING, ItemStatus.TO_FIX))
            items.append(item(archive, member, req, status, now, rng))
    ArchiveItem.objects.bulk_create(items, batch_size=2000)


def item(archive, member, req, status, now, rng):
    return ArchiveItem(
        archive=archive,
        doc=req.doc,
        doc_date=member.joined_on if req.doc == "volunteer_form" else None,
        pages=rng.randint(1, 6),
        file=SAMPLE,
        original_name=f"{req.name}.pdf",
        content_type="application/pdf",
        size=len(SAMPLE_PDF),
        sha256=sha256(f"demo:{member.id_number}:{req.doc}".encode()).hexdigest(),
        status=status,
        review_note="扫描件不清晰，请重新扫描" if status == ItemStatus.TO_FIX else "",
        reviewed_at=now if status != ItemStatus.PENDING else None,
    )
