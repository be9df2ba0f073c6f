"""The yearly 台账 of an organization: meeting register, attendance register, review results.

One builder for the A4 page and the xlsx; a handful of grouped queries whatever the size.
"""

from io import BytesIO

from django.db.models import Count, Q
from openpyxl import Workbook

from xianfeng.core import sheets

from .models import Attendance, AttendanceStatus, Meeting, MeetingStatus, ReviewResult
from .services import org_members


def _held(org, year):
    return Meeting.objects.filter(
        organization__path__startswith=org.path, status=MeetingStatus.HELD, held_on__year=year
    )


def build_ledger(org, year):
    meetings = list(
        _held(org, year)
        .select_related("organization", "presided_by", "lecturer")
        .order_by("starts_at")
    )
    counts = {}
    for meeting_id, status, n in (
        Attendance.objects.filter(meeting__in=[m.pk for m in meetings])
        .order_by()
        .values_list("meeting_id", "status")
        .annotate(n=Count("id"))
    ):
        counts.setdefault(meeting_id, {})[status] = n
    register = [(m, _counts(counts.get(m.pk, {}))) for m in meetings]
    members = list(org_members(org).order_by("name_pinyin", "id"))
    per_member = {
        row["member_id"]: row
        for row in Attendance.objects.filter(
            member__in=[m.pk for m in members],
            meeting__status=MeetingStatus.HELD,
            meeting__held_on__year=year,
        )
        .order_by()
        .values("member_id")
        .annotate(
            invited=Count("id"),
            present=Count("id", filter=Q(status=AttendanceStatus.PRESENT)),
            leave=Count("id", filter=Q(status=AttendanceStatus.LEAVE)),
            absent=Count("id", filter=Q(status=AttendanceStatus.ABSENT)),
        )
    }
    attendance = []
    for member in members:
        row = per_member.get(member.pk, {"invited": 0, "present": 0, "leave": 0, "absent": 0})
        rate = row["present"] / row["invited"] if row["invited"] else None
        attendance.append((member, row, rate))
    reviews = ReviewResult.objects.filter(
        organization__path__startswith=org.path, year=year
    ).select_related("member")
    return {
        "year": year,
        "meetings": register,
        "attendance": attendance,
        "reviews": list(reviews.order_by("member__name_pinyin")),
    }


def _counts(by_status):
    planned = sum(by_status.values())
    return {
        "planned": planned,
        "present": by_status.get(AttendanceStatus.PRESENT, 0),
        "leave": by_status.get(AttendanceStatus.LEAVE, 0),
        "absent": by_status.get(AttendanceStatus.ABSENT, 0),
    }


def ledger_workbook(org, ledger) -> bytes:
    title = f"{org.name} {ledger['year']}年组织生活台账"
    wb = Workbook()
    ws = wb.active
    ws.title = "会议登记"
    sheets.start_sheet(
        ws,
        title=f"{title} · 会议登记",
        headers=[
            "日期",
            "组织",
            "类型",
            "主题",
            "地点",
            "主持人",
            "讲授人",
            "应到",
            "实到",
            "请假",
            "缺席",
        ],
        widths=(12, 24, 12, 36, 20, 10, 10, 6, 6, 6, 6),
        title_row=True,
    )
    for m, c in ledger["meetings"]:
        sheets.append(
            ws,
            [
                m.held_on,
                m.organization.name,
                m.kind_label,
                m.topic,
                m.place,
                m.presided_by.name if m.presided_by else "",
                m.lecturer.name if m.lecturer else m.lecturer_name,
                c["planned"],
                c["present"],
                c["leave"],
                c["absent"],
            ],
        )
    ws = wb.create_sheet("出勤登记")
    sheets.start_sheet(
        ws,
        title=f"{title} · 出勤登记",
        headers=["姓名", "应参加", "出席", "请假", "缺席", "出勤率"],
        widths=(12, 8, 8, 8, 8, 10),
    )
    for member, row, rate in ledger["attendance"]:
        values = [member.name, row["invited"], row["present"], row["leave"], row["absent"]]
        ws.append(
            [
                *sheets.row(ws, values),
                sheets.cell(ws, None if rate is None else round(rate, 4), number_format="0.0%"),
            ]
        )
    ws = wb.create_sheet("民主评议")
    sheets.start_sheet(
        ws,
        title=f"{title} · 民主评议",
        headers=["姓名", "等次", "优秀票", "合格票", "基本合格票", "不合格票", "评定依据"],
        widths=(12, 10, 8, 8, 10, 8, 40),
    )
    for r in ledger["reviews"]:
        sheets.append(
            ws,
            [
                r.member.name,
                r.get_grade_display(),
                r.votes_excellent,
                r.votes_qualified,
                r.votes_basic,
                r.votes_unqualified,
                r.basis,
            ],
        )
    sheets.wrap_columns(ws, [7], first_row=2)
    out = BytesIO()
    wb.save(out)
    return out.getvalue()
