"""manage.py ledger_partitions: the yearly partitions of the ledgers (PostgreSQL only).

    manage.py ledger_partitions                      # this year's and next year's partitions
    manage.py ledger_partitions --year 2028          # …up to 2028
    manage.py ledger_partitions --detach 2024        # take 2024 out of every ledger
    manage.py ledger_partitions --detach 2024 --archive /backup/ledgers
                                                     # …dump each year to DIR, then drop it

A detached year stays as a plain table (`points_pointevent_y2024`, …) until it is dumped
and dropped; the live ledgers no longer see its rows. The audit chain records where its
remaining rows start, so `verify_audit` still proves them intact (decision 0005).
"""

import os
import subprocess
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, transaction
from django.utils import timezone

from xianfeng.core import partitions
from xianfeng.core.audit import record


class Command(BaseCommand):
    help = "按年分区的流水表（仅 PostgreSQL）：建立下一年的分区，或分离/归档往年的分区"

    def add_arguments(self, parser):
        parser.add_argument("--year", type=int, help="建立分区直到该年（默认明年）")
        parser.add_argument("--detach", type=int, metavar="YEAR", help="分离该年的分区")
        parser.add_argument("--archive", metavar="DIR", help="分离后用 pg_dump 导出到目录并删除")
        parser.add_argument(
            "--table",
            action="append",
            choices=[ledger.table for ledger in partitions.LEDGERS],
            help="只处理这张表（可重复）；默认全部流水表",
        )

    def handle(self, *args, **options):
        if not partitions.enabled(connection):
            self.stdout.write("SQLite 不分区：无需操作")
            return
        ledgers = [partitions.BY_TABLE[t] for t in options["table"] or ()] or list(
            partitions.LEDGERS
        )
        if options["archive"] and options["detach"] is None:
            raise CommandError("--archive 须与 --detach YEAR 一起使用")
        if options["detach"] is not None:
            self.detach(ledgers, options["detach"], options["archive"])
        else:
            self.stdout.write(ensure_partitions(ledgers, options["year"]))

    def detach(self, ledgers, year, archive):
        if year >= timezone.localdate().year:
            raise CommandError(f"只能分离往年的分区：{year} 年尚未结束")
        if archive:
            Path(archive).mkdir(parents=True, exist_ok=True)
        for ledger in ledgers:
            if year not in partitions.years(ledger.table):
                self.stdout.write(f"{ledger.table}：没有 {year} 年的分区，跳过")
                continue
            with transaction.atomic():
                name, facts = detach_one(ledger, year)
            self.stdout.write(f"{ledger.table}：已分离 {name}（{facts['rows']} 行）")
            if archive:
                target = Path(archive) / f"{name}.dump"
                dump(name, target)
                with connection.cursor() as cursor:
                    cursor.execute(f"DROP TABLE {name}")
                self.stdout.write(f"{ledger.table}：已导出到 {target} 并删除 {name}")


def ensure_partitions(ledgers=partitions.LEDGERS, until=None) -> str:
    """This year's and next year's partitions (or up to `until`), and one for each year whose
    rows wait in DEFAULT (bulk loads of past years); what was added."""
    this_year = timezone.localdate().year
    until = until or this_year + 1
    added = []
    with transaction.atomic():
        for ledger in ledgers:
            wanted = set(range(this_year, until + 1)) | set(partitions.stray_years(ledger))
            for year in sorted(wanted):
                if partitions.ensure_year(ledger, year):
                    added.append(partitions.partition_name(ledger.table, year))
    return "已建立分区：" + "、".join(added) if added else "分区齐全，无需新增"


def detach_one(ledger, year):
    """Detach one year in the caller's transaction, with an audit row saying what left."""
    facts = {"table": ledger.table, "year": year}
    name = partitions.partition_name(ledger.table, year)
    with connection.cursor() as cursor:
        cursor.execute(f"SELECT count(*) FROM {name}")
        facts["rows"] = cursor.fetchone()[0]
        if ledger.table == "core_auditlog" and facts["rows"]:
            # Only the oldest rows can leave the chain: verify_audit then starts at the seam.
            cursor.execute(f"SELECT seq, row_hash FROM {name} ORDER BY seq DESC LIMIT 1")
            facts["last_seq"], facts["last_hash"] = cursor.fetchone()
            cursor.execute(
                f"SELECT min(seq) FROM core_auditlog WHERE tableoid <> '{name}'::regclass"
            )
            rest = cursor.fetchone()[0]
            if rest is not None and rest < facts["last_seq"]:
                raise CommandError("审计日志只能从最早的年份开始分离")
    partitions.detach_year(ledger, year)
    record("core.ledger_detached", None, **facts)
    return name, facts


def dump(table, target):
    db = connection.settings_dict
    env = {**os.environ, "PGPASSWORD": str(db.get("PASSWORD") or "")}
    command = ["pg_dump", "--format=custom", "--table", table, "--file", str(target)]
    for flag, key in (("--host", "HOST"), ("--port", "PORT"), ("--username", "USER")):
        if db.get(key):
            command += [flag, str(db[key])]
    command.append(db["NAME"])
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    if result.returncode != 0:
        raise CommandError(f"pg_dump 失败：{result.stderr.strip()}")
