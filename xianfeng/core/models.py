import hashlib
import hmac
import json
from datetime import UTC

from django.conf import settings
from django.db import connections, models, router, transaction
from django.utils import timezone
from django.utils.translation import gettext_lazy as _

from xianfeng.core.fields import actor_field

# Any constant: the one lock that orders the chain on PostgreSQL (SQLite writers are serial).
CHAIN_LOCK = 7_113_355_001


class AppendOnlyError(Exception):
    """Audit rows are never changed or deleted (issue 13 §3)."""


class AuditQuerySet(models.QuerySet):
    def update(self, **kwargs):
        raise AppendOnlyError("审计日志只能追加，不能修改")

    def delete(self):
        raise AppendOnlyError("审计日志只能追加，不能删除")

    def bulk_create(self, objs, *args, **kwargs):
        # Each row's hash needs the row before it: rows are chained one by one in save().
        raise AppendOnlyError("审计日志须逐行写入")

    def bulk_update(self, objs, fields, batch_size=None):
        raise AppendOnlyError("审计日志只能追加，不能修改")


class AuditLog(models.Model):
    """审计日志: one row per change or sensitive read, written in the same transaction.

    Append-only (here, in the queryset and, on PostgreSQL, in a trigger) and chained: each row
    carries an HMAC of its content and of the row before it, so `manage.py verify_audit` finds
    any row changed, inserted or deleted. The actor's username and name are kept on the row,
    so deleting a login (which empties `actor`) does not erase who did it.
    """

    at = models.DateTimeField(_("时间"), default=timezone.now, db_index=True)
    actor = actor_field(_("操作人"))
    actor_username = models.CharField(_("操作人账号"), max_length=150, blank=True)
    actor_name = models.CharField(_("操作人姓名"), max_length=100, blank=True)
    action = models.CharField(_("操作"), max_length=64, db_index=True)
    target_type = models.CharField(_("对象类型"), max_length=64)
    target_id = models.CharField(_("对象编号"), max_length=64)
    target_repr = models.CharField(_("对象"), max_length=200, blank=True)
    data = models.JSONField(_("详情"), default=dict, blank=True)
    seq = models.PositiveBigIntegerField(_("序号"), unique=True)
    prev_hash = models.CharField(_("上一行摘要"), max_length=64)
    row_hash = models.CharField(_("本行摘要"), max_length=64)

    objects = AuditQuerySet.as_manager()

    class Meta:
        verbose_name = _("审计日志")
        verbose_name_plural = _("审计日志")
        ordering = ["-at", "-id"]
        indexes = [models.Index(fields=["target_type", "target_id"], name="audit_target_idx")]

    def __str__(self):
        return f"{self.at:%Y-%m-%d %H:%M} {self.action} {self.target_repr}"

    def save(self, *args, **kwargs):
        if not self._state.adding:
            raise AppendOnlyError("审计日志只能追加，不能修改")
        using = kwargs.get("using") or router.db_for_write(AuditLog)
        if self.actor_id and not self.actor_username:
            self.actor_username = self.actor.username
            self.actor_name = str(self.actor)[:100]
        with transaction.atomic(using=using):
            lock_chain(using)
            last = AuditLog.objects.using(using).order_by("-seq").values("seq", "row_hash").first()
            self.seq = (last["seq"] + 1) if last else 1
            self.prev_hash = last["row_hash"] if last else ""
            self.row_hash = row_hash(self)
            super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        raise AppendOnlyError("审计日志只能追加，不能删除")

    @classmethod
    def append_many(cls, rows, *, using=None, batch_size=1000):
        """Append unsaved rows in order: the chain is locked and read once, each row hashed
        on the one before it, and the rows inserted in batches (bulk imports write one row
        per changed record without one SELECT and INSERT each)."""
        rows = list(rows)
        if not rows:
            return rows
        using = using or router.db_for_write(cls)
        with transaction.atomic(using=using):
            lock_chain(using)
            last = cls.objects.using(using).order_by("-seq").values("seq", "row_hash").first()
            seq, prev = (last["seq"], last["row_hash"]) if last else (0, "")
            for row in rows:
                seq += 1
                row.seq, row.prev_hash = seq, prev
                row.row_hash = prev = row_hash(row)
            # The plain QuerySet: AuditQuerySet.bulk_create refuses rows not chained here.
            models.QuerySet(cls, using=using).bulk_create(rows, batch_size=batch_size)
        return rows

    @property
    def actor_display(self):
        """Who did it, also after the login was deleted."""
        return self.actor_name or self.actor_username or "—"


def lock_chain(using):
    """Serialise chain appends until the transaction ends (PostgreSQL advisory lock)."""
    connection = connections[using]
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor:
            cursor.execute("SELECT pg_advisory_xact_lock(%s)", [CHAIN_LOCK])


def _canonical(value):
    """The JSON value as every database gives it back (jsonb drops '.0' of large floats)."""
    if isinstance(value, dict):
        return {str(k): _canonical(v) for k, v in value.items()}
    if isinstance(value, list | tuple):
        return [_canonical(v) for v in value]
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def row_hash(row) -> str:
    """HMAC-SHA256 of the row's content and the previous row's hash."""
    content = {
        "seq": row.seq,
        "prev": row.prev_hash,
        "at": row.at.astimezone(UTC).isoformat(timespec="microseconds"),
        "actor_username": row.actor_username,
        "actor_name": row.actor_name,
        "action": row.action,
        "target_type": row.target_type,
        "target_id": row.target_id,
        "target_repr": row.target_repr,
        "data": _canonical(row.data),
    }
    message = json.dumps(content, sort_keys=True, ensure_ascii=False, separators=(",", ":"))
    return hmac.new(audit_key(), message.encode(), hashlib.sha256).hexdigest()


def audit_key() -> bytes:
    return (settings.XIANFENG_AUDIT_KEY or settings.SECRET_KEY).encode()


class CalendarYear(models.Model):
    """一年的节假日安排: the State Council's notice for one year, the data of the working calendar."""

    year = models.PositiveSmallIntegerField(_("年份"), unique=True)
    source = models.CharField(_("依据的通知"), max_length=200)
    notice_text = models.TextField(_("通知原文"), blank=True)
    updated_at = models.DateTimeField(_("更新时间"), auto_now=True)
    updated_by = actor_field(_("更新人"))

    class Meta:
        verbose_name = _("节假日安排")
        verbose_name_plural = _("节假日安排")
        ordering = ["year"]

    def __str__(self):
        return f"{self.year}年节假日安排"


class DayKind(models.TextChoices):
    OFF = "off", _("放假")
    WORK = "work", _("调休上班")


class CalendarDay(models.Model):
    """A day the notice changes: a day off (including weekend days inside a holiday span) or a
    weekend day made a working day. Every other day is a working day on Monday to Friday."""

    calendar = models.ForeignKey(
        CalendarYear, verbose_name=_("节假日安排"), on_delete=models.CASCADE, related_name="days"
    )
    day = models.DateField(_("日期"), unique=True)
    kind = models.CharField(_("类型"), max_length=4, choices=DayKind.choices)
    holiday = models.CharField(_("节日"), max_length=20, blank=True)

    class Meta:
        verbose_name = _("节假日")
        verbose_name_plural = _("节假日")
        ordering = ["day"]

    def __str__(self):
        return f"{self.day:%Y-%m-%d} {self.get_kind_display()}"
