"""Yearly dues ledger: 12 months × members, with totals; one builder for HTML and xlsx."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from io import BytesIO

from django.db.models import Sum
from openpyxl import Workbook

from xianfeng.core import sheets

from .models import DuesPayment, VoluntaryPayment
from .services import bases_by_member, due_in, exemptions_by_member

MONTHS = [date(2000, m, 1) for m in range(1, 13)]


@dataclass
class LedgerRow:
    member: object
    cells: list  # per month: (due or None, paid or None)
    due_total: Decimal
    paid_total: Decimal


def build_ledger(members, year):
    members = list(members)
    ids = [m.pk for m in members]
    bases = bases_by_member(ids)
    exemptions = exemptions_by_member(ids)
    paid = {
        (p.member_id, p.month.month): p.amount_paid
        for p in DuesPayment.objects.filter(member_id__in=ids, month__year=year)
    }
    rows = []
    for member in members:
        cells = []
        for m in range(1, 13):
            due = due_in(member, bases[member.pk], date(year, m, 1), exemptions[member.pk])
            cells.append((due, paid.get((member.pk, m))))
        rows.append(
            LedgerRow(
                member,
                cells,
                sum((c[0] or 0 for c in cells), Decimal("0")),
                sum((c[1] or 0 for c in cells), Decimal("0")),
            )
        )
    month_paid = [sum((r.cells[i][1] or 0 for r in rows), Decimal("0")) for i in range(12)]
    voluntary = VoluntaryPayment.objects.filter(member_id__in=ids, paid_on__year=year).aggregate(
        total=Sum("amount")
    )["total"] or Decimal("0")
    return {
        "year": year,
        "rows": rows,
        "month_paid": month_paid,
        "due_total": sum((r.due_total for r in rows), Decimal("0")),
        "paid_total": sum((r.paid_total for r in rows), Decimal("0")),
        "voluntary_total": voluntary,
    }


def ledger_workbook(org, ledger) -> bytes:
    wb = Workbook()
    ws = wb.active
    ws.title = f"{ledger['year']}年党费"
    sheets.start_sheet(
        ws,
        title=f"{org.name} {ledger['year']}年党费收缴台账",
        headers=["姓名", *[f"{m}月实交" for m in range(1, 13)], "应交合计", "实交合计"],
        widths=(10, *[8] * 12, 10, 10),
        title_row=True,
    )
    for row in ledger["rows"]:
        _money_row(
            ws,
            [
                row.member.name,
                *[paid for _, paid in row.cells],
                row.due_total,
                row.paid_total,
            ],
        )
    _money_row(ws, ["合计", *ledger["month_paid"], ledger["due_total"], ledger["paid_total"]])
    _money_row(ws, ["自愿多交党费合计", ledger["voluntary_total"]])
    out = BytesIO()
    wb.save(out)
    return out.getvalue()


def _money_row(ws, values):
    label, *amounts = values
    ws.append(
        [sheets.cell(ws, label), *(sheets.cell(ws, a, number_format="0.00") for a in amounts)]
    )
