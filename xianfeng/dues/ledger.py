"""Yearly dues ledger: 12 months × members, with totals; one builder for HTML and xlsx."""

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from django.db.models import Sum

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


def ledger_rows(members, year):
    """LedgerRow per member, 3 queries per chunk of sheets.chunk_size() members (bases, exemptions, paid).

    `members` is a queryset (read in chunks, only the columns the ledger needs) or a list.
    """
    if hasattr(members, "iterator"):
        members = members.only("pk", "name", "joined_on").iterator(chunk_size=sheets.chunk_size())
    for chunk in sheets.chunks(members):
        yield from _chunk_rows(chunk, year)


def _chunk_rows(members, year):
    ids = [m.pk for m in members]
    bases = bases_by_member(ids)
    exemptions = exemptions_by_member(ids)
    paid = {
        (member_id, month.month): amount
        for member_id, month, amount in DuesPayment.objects.filter(
            member_id__in=ids, month__year=year
        ).values_list("member_id", "month", "amount_paid")
    }
    for member in members:
        cells = []
        for m in range(1, 13):
            due = due_in(member, bases[member.pk], date(year, m, 1), exemptions[member.pk])
            cells.append((due, paid.get((member.pk, m))))
        yield LedgerRow(
            member,
            cells,
            sum((c[0] or 0 for c in cells), Decimal("0")),
            sum((c[1] or 0 for c in cells), Decimal("0")),
        )


class Totals:
    """Month and year totals added up as the rows stream past."""

    def __init__(self):
        self.month_paid = [Decimal("0")] * 12
        self.due_total = self.paid_total = Decimal("0")

    def add(self, row):
        for i, (_due, paid) in enumerate(row.cells):
            self.month_paid[i] += paid or 0
        self.due_total += row.due_total
        self.paid_total += row.paid_total
        return row


def voluntary_total(members, year):
    """Voluntary payments of `members` (a queryset: one query, as a subquery) in `year`."""
    ids = members.values("pk") if hasattr(members, "values") else [m.pk for m in members]
    total = VoluntaryPayment.objects.filter(member_id__in=ids, paid_on__year=year).aggregate(
        total=Sum("amount")
    )["total"]
    return total or Decimal("0")


def build_ledger(members, year):
    """The whole year for the A4 page (one branch's members: the rows are kept)."""
    totals = Totals()
    rows = [totals.add(row) for row in ledger_rows(members, year)]
    return {
        "year": year,
        "rows": rows,
        "month_paid": totals.month_paid,
        "due_total": totals.due_total,
        "paid_total": totals.paid_total,
        "voluntary_total": voluntary_total(members, year),
    }


def ledger_workbook(org, members, year):
    """The ledger as a write-only workbook, rows streamed from `ledger_rows` in flat memory."""
    wb = sheets.new_book()
    ws = wb.create_sheet(f"{year}年党费")
    sheets.start_sheet(
        ws,
        title=f"{org.name} {year}年党费收缴台账",
        headers=["姓名", *[f"{m}月实交" for m in range(1, 13)], "应交合计", "实交合计"],
        widths=(10, *[8] * 12, 10, 10),
        title_row=True,
    )
    totals = Totals()
    for row in ledger_rows(members, year):
        totals.add(row)
        _money_row(
            ws,
            [
                row.member.name,
                *[paid for _, paid in row.cells],
                row.due_total,
                row.paid_total,
            ],
        )
    _money_row(ws, ["合计", *totals.month_paid, totals.due_total, totals.paid_total])
    _money_row(ws, ["自愿多交党费合计", voluntary_total(members, year)])
    return wb


def _money_row(ws, values):
    label, *amounts = values
    ws.append(
        [sheets.cell(ws, label), *(sheets.cell(ws, a, number_format="0.00") for a in amounts)]
    )
