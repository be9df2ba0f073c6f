"""Entering a year of the working calendar: from a form, or from the text of the State Council's
holiday notice (国务院办公厅关于X年部分节假日安排的通知).

The notice has one line per holiday:

    二、春节：2月15日（农历腊月二十八、周日）至23日（农历正月初七、周一）放假调休，共9天。
    2月14日（周六）、2月28日（周六）上班。

`parse_notice` reads those lines into a `ParsedYear` that the administrator confirms before
`save_calendar_year` stores it. Saving announces `calendar_changed` after the commit, so the
apps with deadlines re-count them (resident_requests does so in a background job).
"""

import re
import unicodedata
from dataclasses import dataclass, field
from datetime import date, timedelta

from django.db import transaction

from xianfeng.core import workcal
from xianfeng.core.audit import record
from xianfeng.core.errors import DomainError
from xianfeng.core.events import calendar_changed
from xianfeng.core.models import CalendarDay, CalendarYear, DayKind

WEEKDAYS = "一二三四五六日"
FIRST_YEAR, LAST_YEAR = 2000, 2100

_LINE = re.compile(r"^\s*[一二三四五六七八九十]+、\s*(?P<name>[^:]{1,20}):(?P<body>.+)$")
_DATE = re.compile(
    r"(?:(?P<y>\d{4})年)?(?:(?P<m>\d{1,2})月)?(?P<d>\d{1,2})日(?:\((?P<note>[^)]*)\))?"
)
_TITLE_YEAR = re.compile(r"(\d{4})年部分节假日安排")
_TOTAL = re.compile(r"(?:共|放假)(\d+)天")
_WEEKDAY = re.compile(r"(?:周|星期)([一二三四五六日天])")


@dataclass
class ParsedYear:
    year: int
    source: str = ""
    days_off: dict = field(default_factory=dict)  # date -> holiday name
    workdays: dict = field(default_factory=dict)  # date -> holiday name
    errors: list = field(default_factory=list)

    def rows(self):
        """Sorted (date, kind label, holiday) for the preview and the form."""
        rows = [(d, DayKind.OFF, n) for d, n in self.days_off.items()]
        rows += [(d, DayKind.WORK, n) for d, n in self.workdays.items()]
        return sorted(rows)


def _normal(text):
    # Full-width digits, brackets and colons as plain ASCII: the notice is typeset in both.
    return unicodedata.normalize("NFKC", text or "").replace("星期天", "星期日")


def year_of_notice(text: str) -> int | None:
    match = _TITLE_YEAR.search(_normal(text))
    return int(match.group(1)) if match else None


def _dates(sentence, year, errors, label):
    """Every date in `sentence`; a date without a month takes the month before it."""
    found = []
    month = None
    for match in _DATE.finditer(sentence):
        month = int(match["m"]) if match["m"] else month
        if month is None:
            errors.append(f"{label}：“{match.group(0)}”缺少月份")
            continue
        try:
            day = date(int(match["y"] or year), month, int(match["d"]))
        except ValueError:
            errors.append(f"{label}：{month}月{match['d']}日不是有效日期")
            continue
        weekday = _WEEKDAY.search(match["note"] or "")
        if weekday and WEEKDAYS.index(weekday.group(1).replace("天", "日")) != day.weekday():
            errors.append(
                f"{label}：{day.month}月{day.day}日是周{WEEKDAYS[day.weekday()]}，"
                f"通知写的是周{weekday.group(1)}，请核对年份"
            )
        found.append((day, match.start(), match.end()))
    return found


def parse_notice(text: str, year: int | None = None) -> ParsedYear:
    """Read the holiday lines of a notice; problems are listed in `errors`, never raised."""
    text = _normal(text)
    year = year or year_of_notice(text)
    if year is None:
        return ParsedYear(0, errors=["未能从通知中识别年份，请填写年份"])
    parsed = ParsedYear(year)
    title = next((line.strip() for line in text.splitlines() if "节假日安排" in line), "")
    parsed.source = title[:200] or f"国务院办公厅关于{year}年部分节假日安排的通知"
    for line in text.splitlines():
        match = _LINE.match(line)
        if not match or "放假" not in match["body"]:
            continue
        name = match["name"].strip()[:20]
        sentences = [s for s in match["body"].split("。") if s.strip()]
        holiday = next(s for s in sentences if "放假" in s)
        found = _dates(holiday.split("放假")[0], year, parsed.errors, name)
        if not found:
            parsed.errors.append(f"{name}：没有找到放假日期")
            continue
        first, last = found[0][0], found[-1][0]
        if last < first:
            parsed.errors.append(f"{name}：结束日期早于开始日期")
            continue
        span = [first + timedelta(days=n) for n in range((last - first).days + 1)]
        total = _TOTAL.search(holiday)
        if total and int(total.group(1)) != len(span):
            parsed.errors.append(f"{name}：通知写共{total.group(1)}天，日期算出{len(span)}天")
        for day in span:
            parsed.days_off[day] = name
        for sentence in sentences:
            if "上班" in sentence and "放假" not in sentence:
                for day, _start, _end in _dates(sentence, year, parsed.errors, name):
                    parsed.workdays[day] = name
    if not parsed.days_off and not parsed.errors:
        parsed.errors.append("没有找到“X月X日至X日放假”这样的节假日安排，请粘贴通知正文")
    return parsed


def check_year(parsed: ParsedYear) -> None:
    """Refuse what cannot be a year's arrangement, with the first problem in Chinese."""
    if parsed.errors:
        raise DomainError(parsed.errors[0])
    if not FIRST_YEAR <= parsed.year <= LAST_YEAR:
        raise DomainError(f"年份应在 {FIRST_YEAR}–{LAST_YEAR} 之间", field="year")
    for day in [*parsed.days_off, *parsed.workdays]:
        if abs(day.year - parsed.year) > 1 or (
            day.year != parsed.year and day.month not in (1, 12)
        ):
            raise DomainError(f"{day:%Y-%m-%d} 不属于{parsed.year}年的节假日安排")
    both = set(parsed.days_off) & set(parsed.workdays)
    if both:
        raise DomainError(f"{min(both):%Y-%m-%d} 不能既放假又上班")
    weekday = next((d for d in sorted(parsed.workdays) if d.weekday() < 5), None)
    if weekday:
        raise DomainError(f"{weekday:%Y-%m-%d} 本是工作日，调休上班日应为周末")
    if not parsed.source.strip():
        raise DomainError("请填写依据的通知", field="source")
    taken = (
        CalendarDay.objects.filter(day__in=[*parsed.days_off, *parsed.workdays])
        .exclude(calendar__year=parsed.year)
        .order_by("day")
        .first()
    )
    if taken:
        raise DomainError(f"{taken.day:%Y-%m-%d} 已在{taken.calendar.year}年的安排中")


def save_calendar_year(parsed: ParsedYear, *, actor, notice_text: str = "") -> CalendarYear:
    """Enter or replace one year of the working calendar; open deadlines are re-counted."""
    check_year(parsed)
    with transaction.atomic():
        calendar, created = CalendarYear.objects.select_for_update().get_or_create(
            year=parsed.year, defaults={"source": parsed.source[:200]}
        )
        before = sorted(calendar.days.values_list("day", "kind"))
        calendar.source = parsed.source.strip()[:200]
        calendar.notice_text = notice_text or calendar.notice_text
        calendar.updated_by = actor if actor is not None and actor.is_authenticated else None
        calendar.save()
        calendar.days.all().delete()
        CalendarDay.objects.bulk_create(
            CalendarDay(calendar=calendar, day=day, kind=kind, holiday=name)
            for day, kind, name in parsed.rows()
        )
        after = sorted((d, k) for d, k, _n in parsed.rows())
        record(
            "calendar.created" if created else "calendar.changed",
            calendar,
            actor=actor,
            days_off=len(parsed.days_off),
            workdays=len(parsed.workdays),
            changed=before != after,
        )
        transaction.on_commit(workcal.forget)
        if before != after:
            transaction.on_commit(
                lambda: calendar_changed.send(sender=CalendarYear, years=[parsed.year])
            )
    workcal.forget()
    return calendar


def parsed_from_lines(year: int, source: str, days_off: str, workdays: str) -> ParsedYear:
    """The per-year form: one date or span per line, `2027-02-06 至 2027-02-14 春节`."""
    parsed = ParsedYear(year, source=(source or "").strip())
    for text, target, label in (
        (days_off, parsed.days_off, "放假日期"),
        (workdays, parsed.workdays, "调休上班日期"),
    ):
        for number, line in enumerate(_normal(text).splitlines(), 1):
            line = line.strip()
            if not line:
                continue
            match = re.match(
                r"^(\d{4}-\d{1,2}-\d{1,2})(?:\s*(?:至|~|-{1,2}|到)\s*(\d{4}-\d{1,2}-\d{1,2}))?\s*(.*)$",
                line,
            )
            if not match:
                parsed.errors.append(
                    f"{label}第{number}行“{line[:30]}”格式应为 2027-02-06 或 2027-02-06 至 2027-02-14"
                )
                continue
            try:
                first = date.fromisoformat(_iso(match[1]))
                last = date.fromisoformat(_iso(match[2])) if match[2] else first
            except ValueError:
                parsed.errors.append(f"{label}第{number}行“{line[:30]}”不是有效日期")
                continue
            if last < first or (last - first).days > 31:
                parsed.errors.append(f"{label}第{number}行的日期区间无效")
                continue
            for n in range((last - first).days + 1):
                target[first + timedelta(days=n)] = match[3].strip()[:20]
    return parsed


def _iso(text):
    y, m, d = text.split("-")
    return f"{int(y):04d}-{int(m):02d}-{int(d):02d}"


def as_lines(calendar: CalendarYear) -> tuple[str, str]:
    """The year's days for the per-year form, spans joined back."""
    result = {DayKind.OFF: [], DayKind.WORK: []}
    for day in calendar.days.order_by("day"):
        spans = result[day.kind]
        if spans and spans[-1][1] + timedelta(days=1) == day.day and spans[-1][2] == day.holiday:
            spans[-1][1] = day.day
        else:
            spans.append([day.day, day.day, day.holiday])
    return tuple(
        "\n".join(
            f"{a:%Y-%m-%d}" + (f" 至 {b:%Y-%m-%d}" if b != a else "") + (f" {n}" if n else "")
            for a, b, n in result[kind]
        )
        for kind in (DayKind.OFF, DayKind.WORK)
    )
