"""Stages per kind of campaign, dispatch meeting kinds, allocation rules.

The stages of 拆迁 and 回迁 are the ones the street offices work through (issue 21 §2); a
case moves one stage forward at a time, or back one stage with a reason (a signed agreement
withdrawn), never by skipping.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class CampaignKind(models.TextChoices):
    DEMOLITION = "demolition", _("拆迁")
    RESETTLEMENT = "resettlement", _("回迁")
    VILLAGE_TO_COMMUNITY = "v2c", _("村改居")
    OTHER = "other", _("其他")


STAGES_SOURCE = "本地做法：街道办理拆迁、回迁、村改居的工作环节（崮云湖街道东辛村拆迁、郭店街道十村整合回迁的报道）"
STAGES = {
    CampaignKind.DEMOLITION: (
        ("surveyed", _("已摸底")),
        ("negotiating", _("洽谈中")),
        ("signed", _("已签约")),
        ("moved_out", _("已腾空")),
        ("demolished", _("已拆除")),
    ),
    CampaignKind.RESETTLEMENT: (
        ("registered", _("已登记")),
        ("checked", _("资料已审核")),
        ("allocated", _("已选房")),
        ("keys", _("已交钥匙")),
        ("moved_in", _("已入住")),
    ),
    CampaignKind.VILLAGE_TO_COMMUNITY: (
        ("registered", _("已登记")),
        ("informed", _("已宣传告知")),
        ("agreed", _("已同意")),
        ("transferred", _("已转居")),
    ),
    CampaignKind.OTHER: (
        ("registered", _("已登记")),
        ("working", _("推进中")),
        ("done", _("已完成")),
    ),
}

# The six classes 东辛村 sorted its households into (崮云湖 report): a default a campaign may edit.
DEMOLITION_CLASSES_SOURCE = "本地做法：崮云湖街道东辛村拆迁临时党支部“将村里的拆迁户分为六类”"
DEMOLITION_CLASSES = (
    "积极配合",
    "基本配合",
    "观望等待",
    "诉求较多",
    "矛盾突出",
    "钉子户",
)


def stages_of(kind):
    return STAGES.get(kind, STAGES[CampaignKind.OTHER])


def stage_codes(kind):
    return [code for code, _label in stages_of(kind)]


def stage_label(kind, code):
    return dict(stages_of(kind)).get(code, code)


class DispatchKind(models.TextChoices):
    MORNING = "morning", _("早碰头")
    NOON = "noon", _("午调度")
    EVENING = "evening", _("晚研判")


class AllocationRule(models.TextChoices):
    LOTTERY = "lottery", _("抽签(公开种子)")
    AREA_DESC = "area_desc", _("按原房面积从大到小，同面积按户号")
    SIGNED_FIRST = "signed_first", _("按签约先后，同日按户号")


class CampaignStatus(models.TextChoices):
    ACTIVE = "active", _("进行中")
    CLOSED = "closed", _("已结束")
