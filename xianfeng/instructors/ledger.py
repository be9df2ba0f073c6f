"""工作台账: one instructor's year, one builder for the A4 page and the xlsx export."""

from xianfeng.core import sheets

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


def ledger_workbook(ledger):
    """One instructor's year as a write-only workbook, for `sheets.download`."""
    instructor = ledger["instructor"]
    title = TITLE.format(name=instructor.member.name, year=ledger["year"])
    wb = sheets.new_book()
    ws = wb.create_sheet("到岗履责")
    sheets.print_setup(ws, title=title, widths=(12, 28, 14, 60), header_row=4)
    ws.append([sheets.cell(ws, title, font=sheets.TITLE_FONT)])
    sheets.append(
        ws, ["指导的党组织", "、".join(a.organization.name for a in ledger["assignments"])]
    )
    ws.append([])
    ws.append(
        [sheets.cell(ws, h, font=sheets.HEAD_FONT) for h in ("日期", "党组织", "类别", "工作内容")]
    )
    for visit in ledger["visits"]:
        sheets.append(
            ws,
            [visit.visited_on, visit.organization.name, visit.get_kind_display(), visit.content],
            wrap=(4,),
        )
    _sheet(
        wb,
        f"{title} · 工作汇报",
        "工作汇报",
        {"日期": 12, "标题": 30, "内容": 60},
        [[r.reported_on, r.title, r.content] for r in ledger["reports"]],
    )
    _sheet(
        wb,
        f"{title} · 工作例会",
        "工作例会",
        {"日期": 12, "类型": 14, "议题": 60},
        [[m.held_on, m.get_kind_display(), m.topic] for m in ledger["meetings"]],
    )
    _sheet(
        wb,
        f"{title} · 日志台账提交",
        "日志台账提交",
        {"收取内容": 36, "所属期间": 12, "提交日期": 12, "是否逾期": 10},
        [
            [str(s.window), s.window.period_start, s.submitted_on, "逾期" if s.is_late else "按时"]
            for s in ledger["submissions"]
        ],
    )
    return wb


def _sheet(wb, title, name, columns, rows):
    ws = wb.create_sheet(name)
    sheets.start_sheet(ws, title=title, headers=list(columns), widths=list(columns.values()))
    for row in rows:
        sheets.append(ws, row, wrap=(len(columns),))
