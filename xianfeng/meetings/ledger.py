"""The yearly 台账 of an organization: meeting register, attendance register, review results.

One set of row generators for the A4 page and the xlsx: two queries per chunk of
sheets.chunk_size() rows (the rows, then their attendance counts), so the xlsx of a whole city
streams in flat memory with a query count that grows with chunks, never with rows.
"""

from django.db.models import Count, Q

from xianfeng.core import sheets

from .models import Attendance, AttendanceStatus, Meeting, MeetingStatus, ReviewResult
from .services import org_members


def _held(org, year):
    return Meeting.objects.filter(
        organization__path__startswith=org.path, status=MeetingStatus.HELD, held_on__year=year
    )


def register_rows(org, year):
    """(meeting, counts) in date order; 2 queries per chunk of sheets.chunk_size() meetings."""
    meetings = (
        _held(org, year)
        .select_related("organization", "presided_by", "lecturer")
        .only(*MEETING_COLUMNS)
        .order_by("starts_at", "pk")
    )
    for chunk in sheets.chunks(meetings.iterator(chunk_size=sheets.chunk_size())):
        counts = {}
        for meeting_id, status, n in (
            Attendance.objects.filter(meeting_id__in=[m.pk for m in chunk])
            .order_by()
            .values_list("meeting_id", "status")
            .annotate(n=Count("id"))
        ):
            counts.setdefault(meeting_id, {})[status] = n
        for m in chunk:
            yield m, _counts(counts.get(m.pk, {}))


MEETING_COLUMNS = (
    "organization",
    "organization__name",
    "presided_by",
    "lecturer",
    "kind",
    "local_kind",
    "topic",
    "starts_at",
    "held_on",
    "place",
    "presided_by__name",
    "lecturer__name",
    "lecturer_name",
)
NO_ATTENDANCE = {"invited": 0, "present": 0, "leave": 0, "absent": 0}


def attendance_rows(org, year):
    """(member, counts, rate) per active member of the subtree; 2 queries per chunk."""
    members = org_members(org).only("pk", "name").order_by("name_pinyin", "id")
    for chunk in sheets.chunks(members.iterator(chunk_size=sheets.chunk_size())):
        per_member = {
            row["member_id"]: row
            for row in Attendance.objects.filter(
                member_id__in=[m.pk for m in chunk],
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
        for member in chunk:
            row = per_member.get(member.pk, NO_ATTENDANCE)
            rate = row["present"] / row["invited"] if row["invited"] else None
            yield member, row, rate


def review_rows(org, year):
    reviews = (
        ReviewResult.objects.filter(organization__path__startswith=org.path, year=year)
        .select_related("member")
        .defer("member__id_number", "member__phone")
        .order_by("member__name_pinyin", "pk")
    )
    return reviews.iterator(chunk_size=sheets.chunk_size())


def build_ledger(org, year):
    """The A4 page's ledger (one organization's year: the rows are kept)."""
    return {
        "year": year,
        "meetings": list(register_rows(org, year)),
        "attendance": list(attendance_rows(org, year)),
        "reviews": list(review_rows(org, year)),
    }


def _counts(by_status):
    planned = sum(by_status.values())
    return {
        "planned": planned,
        "present": by_status.get(AttendanceStatus.PRESENT, 0),
        "leave": by_status.get(AttendanceStatus.LEAVE, 0),
        "absent": by_status.get(AttendanceStatus.ABSENT, 0),
    }


def ledger_workbook(org, year):
    """The ledger as a write-only workbook, each sheet streamed from its rows (flat memory)."""
    title = f"{org.name} {year}年组织生活台账"
    wb = sheets.new_book()
    ws = wb.create_sheet("会议登记")
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
    for m, c in register_rows(org, year):
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
    for member, row, rate in attendance_rows(org, year):
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
    for r in review_rows(org, year):
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
            wrap=(7,),
        )
    return wb
