"""Column specs: one list per sheet drives the template, the reader and the export alike.

A column's `key` is the model field it fills; `kind` says how a cell is parsed
(text, date, enum, bool, id). Enum columns carry their choices, shown to users by
their Chinese labels and accepted by label or by code.
"""

from dataclasses import dataclass, field

from django.utils import translation

from xianfeng.members.models import Category, Education, Gender, MemberStatus
from xianfeng.orgs.models import Domain, OrgKind

YES, NO = "是", "否"


@dataclass(frozen=True)
class Column:
    key: str
    header: str
    required: bool = False
    kind: str = "text"
    choices: tuple = ()
    max_length: int | None = None
    note: str = ""
    width: int = 14
    default: object = None
    # Codes and phone numbers: spaces inside ("138 0000 1111") are dropped, not only around.
    compact: bool = False
    # "int" and "number" columns: the allowed range (inclusive), None for open.
    low: float | None = None
    high: float | None = None

    @property
    def title(self):
        """Header as written in the sheet: required columns end with '*'."""
        return f"{self.header}*" if self.required else self.header

    @property
    def labels(self):
        return [label for _value, label in self.choices]

    def rule(self):
        """The rule shown as the header cell's comment and on the 填写说明 sheet."""
        parts = ["必填" if self.required else "选填"]
        if self.kind == "enum":
            parts.append("从下拉列表选择：" + "、".join(self.labels))
        elif self.kind == "bool":
            parts.append(f"填“{YES}”或“{NO}”，空白视为“{NO}”")
        elif self.kind == "date":
            parts.append("日期，格式 yyyy-mm-dd，如 2001-07-01")
        elif self.kind in ("int", "number"):
            parts.append(("整数" if self.kind == "int" else "数值") + _range(self.low, self.high))
        if self.max_length:
            parts.append(f"不超过{self.max_length}个字")
        if self.note:
            parts.append(self.note)
        return "；".join(parts)


def _range(low, high):
    if low is not None and high is not None:
        return f"，{low:g}~{high:g}"
    if low is not None:
        return f"，不小于{low:g}"
    return f"，不大于{high:g}" if high is not None else ""


@dataclass(frozen=True)
class SheetSpec:
    kind: str
    sheet: str
    title: str
    columns: tuple
    example: dict = field(default_factory=dict)

    def column(self, key):
        return next(c for c in self.columns if c.key == key)


def _enum(key, header, choices, **kw):
    # Workbooks are always in Simplified Chinese: imports match cells against these labels.
    with translation.override("zh-hans"):
        choices = tuple((value, str(label)) for value, label in choices)
    return Column(key, header, kind="enum", choices=choices, **kw)


ORG_SPEC = SheetSpec(
    kind="orgs",
    sheet="党组织",
    title="党组织导入模板",
    columns=(
        Column(
            "code",
            "组织代码",
            required=True,
            max_length=32,
            compact=True,
            note="全系统唯一",
            width=14,
        ),
        Column("name", "组织名称", required=True, max_length=120, width=28),
        Column("short_name", "简称", max_length=60),
        _enum("kind", "组织类别", OrgKind.choices, required=True),
        Column(
            "parent_code",
            "上级组织代码",
            max_length=32,
            compact=True,
            note="填已有组织或本表中其他行的组织代码；空白表示顶级组织(仅超级管理员)；"
            "必须在您有权导入的范围内",
        ),
        _enum("domain", "所属领域", Domain.choices),
        Column("is_temporary", "临时党组织", kind="bool", width=11, default=False),
        Column("is_joint", "联合党组织", kind="bool", width=11, default=False),
        Column("founded_on", "成立日期", kind="date", width=12),
        Column("address", "地址", max_length=200, width=28),
        Column("contact_name", "联系人", max_length=50),
        Column("contact_phone", "联系电话", max_length=30),
    ),
    example={
        "code": "GD0101",
        "name": "郭店街道示范社区党支部",
        "short_name": "示范社区支部",
        "kind": "党支部",
        "parent_code": "GD01",
        "domain": "社区",
        "is_temporary": NO,
        "is_joint": NO,
        "founded_on": "2010-07-01",
        "address": "济南市历城区郭店街道",
        "contact_name": "王红",
        "contact_phone": "0531-88000000",
    },
)

MEMBER_SPEC = SheetSpec(
    kind="members",
    sheet="党员",
    title="党员导入模板",
    columns=(
        Column("name", "姓名", required=True, max_length=50, width=10),
        Column(
            "id_number",
            "身份证号",
            required=True,
            kind="id",
            note="18位，末位可为X；请以文本格式填写，勿填成数字；全系统唯一",
            width=21,
        ),
        _enum("gender", "性别", Gender.choices, note="空白按身份证号推断", width=7),
        Column("ethnicity", "民族", max_length=20, note="空白视为汉族", default="汉族", width=8),
        Column(
            "birth_date",
            "出生日期",
            kind="date",
            note="须与身份证号一致；空白按身份证号推断",
            width=12,
        ),
        Column("phone", "手机号", max_length=20, width=14, compact=True),
        _enum("education", "学历", Education.choices, width=12),
        Column("employer", "工作单位", max_length=120, width=24),
        Column("post", "职务", max_length=60),
        Column("household_address", "户籍地址", max_length=200, width=28),
        Column("home_address", "现居住地址", max_length=200, width=28),
        Column(
            "joined_on", "入党日期", required=True, kind="date", note="不能早于年满18周岁", width=12
        ),
        Column("confirmed_on", "转正日期", kind="date", note="不能早于入党日期", width=12),
        _enum("category", "党员类别", Category.choices, required=True, width=11),
        _enum(
            "status",
            "党籍状态",
            MemberStatus.choices,
            note="空白视为正常",
            default=MemberStatus.NORMAL,
            width=9,
        ),
        Column(
            "org_code",
            "所在组织代码",
            required=True,
            max_length=32,
            compact=True,
            note="须为系统中已有、未撤销、且您有权导入的组织",
        ),
        Column("tags", "标签", note="系统已有标签名称，多个用逗号分隔", width=20),
    ),
    example={
        "name": "张三",
        "id_number": "11010519491231002X",
        "gender": "女",
        "ethnicity": "汉族",
        "birth_date": "1949-12-31",
        "phone": "13912345678",
        "education": "大学本科",
        "employer": "郭店街道办事处",
        "post": "科员",
        "household_address": "济南市历城区郭店街道",
        "home_address": "济南市历城区郭店街道",
        "joined_on": "1975-07-01",
        "confirmed_on": "1976-07-01",
        "category": "正式党员",
        "status": "正常",
        "org_code": "GD0101",
        "tags": "光荣在党50年",
    },
)

SPECS = {spec.kind: spec for spec in (ORG_SPEC, MEMBER_SPEC)}
