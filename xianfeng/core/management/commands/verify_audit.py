"""manage.py verify_audit: walk the audit chain; exit 0 when intact, 1 naming the first broken row."""

from django.core.management.base import BaseCommand

from xianfeng.core.models import AuditLog, row_hash

# Written by `ledger_partitions --detach` when an old year of audit rows leaves the table.
DETACHED = "core.ledger_detached"


def seams():
    """{last seq: last hash} of the audit years taken out of the table, as the chain says."""
    rows = AuditLog.objects.filter(action=DETACHED, data__table="core_auditlog")
    return {
        r.data["last_seq"]: r.data["last_hash"] for r in rows if r.data.get("last_seq") is not None
    }


def first_break(rows, seams=None):
    """(row, reason) for the first row that breaks the chain, or None; `rows` in seq order.

    The chain starts at seq 1, or right after an archived year: the first row's predecessor
    must then be the last row of that year as the chain recorded it when the year left."""
    expected_seq, previous = 1, ""
    for index, row in enumerate(rows):
        if index == 0 and row.seq != 1 and seams and row.seq - 1 in seams:
            expected_seq, previous = row.seq, seams[row.seq - 1]
        if row.seq != expected_seq:
            return row, f"序号应为 {expected_seq}：之前的行被删除或插入"
        if row.prev_hash != previous:
            return row, "上一行摘要不符：之前的行被修改、删除或插入"
        if row_hash(row) != row.row_hash:
            return row, "本行内容与摘要不符：该行被修改"
        expected_seq, previous = expected_seq + 1, row.row_hash
    return None


class Command(BaseCommand):
    help = "核验审计日志链：完整时退出码 0，否则 1 并指出第一个损坏的行"

    def handle(self, *args, **options):
        rows = AuditLog.objects.order_by("seq").iterator(chunk_size=2000)
        broken = first_break(rows, seams())
        if broken is not None:
            row, reason = broken
            self.stderr.write(
                f"审计日志链已损坏：第一个损坏的行 id={row.pk} 序号={row.seq}（{reason}）"
            )
            raise SystemExit(1)
        count = AuditLog.objects.count()
        self.stdout.write(f"审计日志链完整：{count} 行")
