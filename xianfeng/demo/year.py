"""The rest of the demo year, lived through the services on the demo clock, and the months
closed by the real job.

The other modules replay their own flows (meetings and 民主评议, requests, volunteering,
双报到 service, instructors' visits); this one adds what happens across them over the year:

- 郭店 members in arrears pay an overdue month late (`dues.record_payment` → `dues.late`);
- 郭店 members finish a course they had started (`learning.record_beat` → `study.hours`);
- on the 1st of every month the TOP10 job (`points.rankings.close_last_month`) closes the
  month before for every street.

Then it runs the demo year: every step the modules scheduled (`Context.at`), oldest first,
each on the demo clock at its moment, so a member's bookings (caps, rollups, the TOP10 tie
rule) come in the order they would have. No point event is written here: every one comes
from the sender of the service a step calls.
"""

from datetime import datetime, time, timedelta
from time import process_time

from django.utils import timezone

from xianfeng.dues import services as dues
from xianfeng.dues.models import DuesPayment, PaymentMethod
from xianfeng.learning import services as learning
from xianfeng.learning.models import StudyRecord
from xianfeng.learning.rules import BEAT
from xianfeng.members.models import Member
from xianfeng.points.models import RankingSnapshot
from xianfeng.points.rankings import close_last_month

from . import clock
from .dues import STREET as DUES_STREET

MONTHS = 12  # closed months of TOP10 (the twelve before the current one)


def load(ctx):
    if not RankingSnapshot.objects.exists():
        late_dues(ctx)
        finish_courses(ctx)
    close_months(ctx)
    run(ctx)


def run(ctx):
    """Every scheduled step, oldest first, each on the demo clock at its moment; the progress
    report gets the CPU time of each kind of step (the function that scheduled it)."""
    spent = {}
    for moment, _order, step in sorted(ctx.timeline, key=lambda row: row[:2]):
        started = process_time()
        with clock.at(moment):
            step()
        kind = f"{step.__module__.rsplit('.', 1)[-1]}.{step.__qualname__.split('.')[0]}"
        count, seconds = spent.get(kind, (0, 0.0))
        spent[kind] = (count + 1, seconds + process_time() - started)
    ctx.timeline.clear()
    if ctx.progress is not None:
        for kind, (count, seconds) in sorted(spent.items(), key=lambda kv: -kv[1][1]):
            ctx.progress(f"  {kind} ×{count}", seconds)


def _moment(day, hour, minute=0):
    return timezone.make_aware(datetime.combine(day, time(hour, minute)))


def late_dues(ctx):
    """Two in three members in arrears pay their first unpaid month some weeks late."""
    rng = ctx.rng("year.dues")
    street = ctx.orgs[DUES_STREET]
    first_of_month = ctx.today.replace(day=1)
    members = (
        Member.objects.active()
        .filter(organization__path__startswith=street.path, dues_bases__isnull=False)
        .select_related("organization")
        .distinct()
        .order_by("id_number")
    )
    for member in members:
        paid = set(DuesPayment.objects.filter(member=member).values_list("month", flat=True))
        owed = [m for m in dues.unpaid_months(member, dues.bases_of(member), paid, ctx.today)]
        owed = [m for m in owed if m < first_of_month]
        if not owed or rng.random() > 0.66:
            continue
        month = owed[0]
        day = min(dues.next_month(month) + timedelta(days=rng.randrange(3, 40)), ctx.today)
        with clock.at(_moment(day, 10, rng.randrange(60))):
            dues.record_payment(member, month, paid_on=day, method=PaymentMethod.SELF, actor=None)


def finish_courses(ctx):
    """One in five started courses is finished: the page beats every BEAT seconds until the
    credited time reaches the completion share (the last session of study). Each beat is a
    real write, so the share is what the load's time budget allows."""
    rng = ctx.rng("year.study")
    records = StudyRecord.objects.filter(completed_at__isnull=True).select_related(
        "member", "course"
    )
    for record in records.order_by("pk"):
        if rng.random() > 0.2:
            continue
        day = ctx.today - timedelta(days=rng.randrange(1, 80))
        start = _moment(day, rng.randrange(8, 21), rng.randrange(60))
        beats = max(int(0.8 * record.course.minutes * 60) - record.seconds, 0) // BEAT + 2
        ctx.at(start, lambda r=record, s=start, n=beats: _study(r, s, n))


def _study(record, start, beats):
    for n in range(beats):
        at = start + timedelta(seconds=n * BEAT)
        with clock.at(at):
            record = learning.record_beat(record.member, record.course, now=at)
        if record.completed_at:
            return


def close_months(ctx):
    """月度结账 as the job does it, on the 1st of each month at 01:30, oldest first."""
    first = ctx.today.replace(day=1)
    days = []
    for _ in range(MONTHS):
        days.append(first)
        first = (first - timedelta(days=1)).replace(day=1)
    for day in reversed(days):
        ctx.at(_moment(day, 1, 30), lambda day=day: close_last_month(day))
