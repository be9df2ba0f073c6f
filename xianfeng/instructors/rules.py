"""党建指导员 rules, from the 大季家 practice (../shared/seeds/002_…): who may be appointed,
how often logs and ledgers are collected, when an organization counts as unvisited."""

from django.utils.translation import gettext_lazy

from xianfeng.members.models import Category

PRACTICE = "地方惯例：大季家街道党建指导员制度（烟台开发区，2019年报道）"
MIN_PARTY_AGE = 1
ELIGIBILITY_SOURCE = f"{PRACTICE}：“选派政治坚定、党龄1年以上、综合素质突出的机关干部”。"
DUTY_SOURCE = (
    f"{PRACTICE}：到岗履责制度、工作汇报制度；“列席重要的会议，指导村里开展各项党建活动”。"
)
COLLECTION_SOURCE = (
    f"{PRACTICE}：“每季度组织工作例会或座谈会，每两个季度集中收取党建指导员的《工作日志》，"
    "每年集中收取《工作台账》”。收取时间由街道党建办设定。"
)
STALE_DAYS = 30
STALE_SOURCE = "督导调度：30天内无到岗记录的组织列入提醒（本系统默认，可调整）。"


def eligibility_errors(member, on) -> list[str]:
    """Why `member` may not be appointed instructor on day `on` (empty: eligible).

    党龄 counts from `confirmed_on` (members.Member.party_age, 党章 第七条); exactly one year
    is enough.
    """
    errors = []
    if not member.is_active:
        errors.append(f"{member.name}党籍状态为{member.get_status_display()}")
    if member.category != Category.FULL:
        errors.append(f"{member.name}是预备党员")
    age = member.party_age(on)
    if age is None or age < MIN_PARTY_AGE:
        since = member.confirmed_on or "未填写"
        errors.append(f"{member.name}党龄不满{MIN_PARTY_AGE}年（转正日期{since}）")
    return errors


RULE_TABLE = (
    (gettext_lazy("选派条件"), gettext_lazy("正式党员，党龄满1年"), ELIGIBILITY_SOURCE),
    (gettext_lazy("到岗履责"), gettext_lazy("到岗指导、列席重要会议、工作汇报"), DUTY_SOURCE),
    (gettext_lazy("收取"), gettext_lazy("工作日志每两个季度、工作台账每年"), COLLECTION_SOURCE),
    (gettext_lazy("督导"), gettext_lazy("30天无到岗记录的组织"), STALE_SOURCE),
)
