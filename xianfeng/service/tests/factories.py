from datetime import timedelta

from django.utils import timezone

from xianfeng.service import services
from xianfeng.service.models import PartnerUnit


def unit(name="济南市中医院", **fields):
    fields = {"kind": "institution", "contact": "刘主任", "phone": "13800001111", **fields}
    return PartnerUnit.objects.create(name=name, **fields)


def project(world, org=None, *, direction="need", slots=1, **fields):
    fields = {
        "title": "帮独居老人买菜",
        "description": "每周两次",
        "claim_by": timezone.localdate() + timedelta(days=30),
        **fields,
    }
    return services.publish_project(
        org or world.branch, actor=world.users["admin"], direction=direction, slots=slots, **fields
    )
