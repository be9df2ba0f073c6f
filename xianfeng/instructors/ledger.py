"""工作台账: one instructor's year, one builder for the A4 page and the xlsx export."""

from io import BytesIO

from openpyxl import Workbook
from openpyxl.styles import Alignment, Font

TITLE = "{name} {year}年党建指导员工作台账"


def build_ledger(instructor, year):
    return {
        "year": year,
        "instructor": instructor,
        "assignments": list(
            instructor.assignments.filter(started_on__year__lte=year)
            .exclude(ended_on__year__lt=year)
            .select_related("organization")
        ),
        "visits": list(
            instructor.visits.filter(visited_on__year=year)
            .select_related("organization")
            .order_by("visited_on", "id")
        ),
        "reports": list(instructor.reports.filter(reported_on__year=year).order_by("reported_on")),
        "meetings": list(instructor.meetings.filter(held_on__year=year).order_by("held_on")),
        "submissions": list(
            instructor.submissions.filter(window__period_start__year=year)
            .select_related("window")
            .order_by("window__period_start")
        ),
    }


def ledger_workbook(ledger) -> bytes:
    instructor = ledger["instructor"]
    wb = Workbook()
    ws = wb.active
    ws.title = "到岗履责"
    ws.append([TITLE.format(name=instructor.member.name, year=ledger["year"])])
    ws["A1"].font = Font(bold=True, size=14)
    ws.append(["指导的党组织", "、".join(a.organization.name for a in ledger["assignments"])])
    ws.append([])
    ws.append(["日期", "党组织", "类别", "工作内容"])
    for visit in ledger["visits"]:
        ws.append(
            [visit.visited_on, visit.organization.name, visit.get_kind_display(), visit.content]
        )
    for column, width in zip("ABCD", (12, 28, 14, 60), strict=True):
        ws.column_dimensions[column].width = width
    for row in ws.iter_rows(min_row=5, min_col=4, max_col=4):
        row[0].alignment = Alignment(wrap_text=True, vertical="top")
    _sheet(
        wb,
        "工作汇报",
        ["日期", "标题", "内容"],
        [[r.reported_on, r.title, r.content] for r in ledger["reports"]],
    )
    _sheet(
        wb,
        "工作例会",
        ["日期", "类型", "议题"],
        [[m.held_on, m.get_kind_display(), m.topic] for m in ledger["meetings"]],
    )
    _sheet(
        wb,
        "日志台账提交",
        ["收取内容", "所属期间", "提交日期", "是否逾期"],
        [
            [str(s.window), s.window.period_start, s.submitted_on, "逾期" if s.is_late else "按时"]
            for s in ledger["submissions"]
        ],
    )
    for sheet in wb.worksheets:
        for row in sheet.iter_rows():
            for cell in row:
                if hasattr(cell.value, "isoformat"):
                    cell.number_format = "yyyy-mm-dd"
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _sheet(wb, title, head, rows):
    ws = wb.create_sheet(title)
    ws.append(head)
    for row in rows:
        ws.append(row)
