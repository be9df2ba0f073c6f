"""Campaign use cases: create with its temporary branch and groups, cases and their stages
(the board's counts kept in the same transaction), visits, documents, dispatch and
assignments, closing. Allocation, imports and notices live in allocation.py, imports.py and
outreach.py; the board and the screen's figures in progress.py."""

from datetime import date
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ValidationError
from django.db import IntegrityError, transaction
from django.db.models import F
from django.utils import timezone

from xianfeng.core import audit
from xianfeng.core.errors import DomainError
from xianfeng.members import idcard
from xianfeng.members.masking import reveal_values
from xianfeng.orgs import services as org_services
from xianfeng.orgs.models import Organization, OrgKind, OrgStatus

from .models import (
    Assignment,
    Campaign,
    Case,
    CaseClass,
    CaseDocument,
    CasePerson,
    CaseVisit,
    DispatchMeeting,
    StageChange,
    StageCount,
    WorkGroup,
)
from .progress import progress_for_org  # noqa: F401  (the big screen calls it from here)
from .rules import (
    DEMOLITION_CLASSES,
    CampaignKind,
    CampaignStatus,
    DispatchKind,
    stage_codes,
    stage_label,
)

CASE_FIELDS = (
    "village",
    "head_name",
    "id_number",
    "phone",
    "people",
    "address",
    "area",
    "property_note",
    "note",
)


def _user(actor):
    return actor if actor is not None and actor.is_authenticated else None


def _today():
    return timezone.localdate()


# ---------------------------------------------------------------- campaign


def create_campaign(
    street,
    *,
    actor,
    name,
    kind,
    starts_on,
    ends_on,
    branch_code,
    groups=(),
    classes=None,
    leader=None,
    description="",
    branch=None,
):
    """A campaign of `street` with its 临时党支部 and groups (name, leader name, leader login).

    The branch is created under the street (code `branch_code`) with a 党小组 per group; a
    street that set the branch up already passes it as `branch` (its groups are adopted by
    name, missing ones created). Classes default to 东辛's six for a demolition."""
    if kind not in CampaignKind.values:
        raise DomainError("请选择专项工作类别", field="kind")
    if ends_on < starts_on:
        raise DomainError("计划完成日期不能早于开始日期", field="ends_on")
    if street.kind != OrgKind.COMMITTEE:
        raise DomainError("专项工作须由街道(乡镇)党组织发起", field="street")
    if classes is None:
        classes = DEMOLITION_CLASSES if kind == CampaignKind.DEMOLITION else ()
    if len(set(classes)) != len(classes):
        raise DomainError("户类别名称不能重复", field="classes")
    with transaction.atomic():
        if branch is None:
            branch = org_services.create_org(
                street,
                actor=actor,
                code=branch_code,
                name=f"{name}临时党支部",
                kind=OrgKind.BRANCH,
                is_temporary=True,
                domain=street.domain,
                founded_on=starts_on,
            )
        elif not branch.is_temporary or not branch.path.startswith(street.path):
            raise DomainError("承担专项工作的须是本街道的临时党支部", field="branch")
        if Campaign.objects.filter(branch=branch).exists():
            raise DomainError("该临时党支部已承担其他专项工作", field="branch")
        campaign = Campaign.objects.create(
            name=name,
            kind=kind,
            street=street,
            branch=branch,
            leader=leader,
            starts_on=starts_on,
            ends_on=ends_on,
            description=description,
            created_by=_user(actor),
        )
        CaseClass.objects.bulk_create(
            CaseClass(campaign=campaign, position=i, name=c) for i, c in enumerate(classes, 1)
        )
        existing = {o.name: o for o in Organization.objects.get_children(branch)}
        for i, (group_name, leader_name, leader_user) in enumerate(groups, 1):
            org = existing.get(group_name) or org_services.create_org(
                branch,
                actor=actor,
                code=f"{branch.code}-{i:02d}",
                name=group_name,
                kind=OrgKind.GROUP,
                domain=branch.domain,
                founded_on=starts_on,
            )
            WorkGroup.objects.create(
                campaign=campaign,
                organization=org,
                name=group_name,
                leader_name=leader_name,
                leader=leader_user,
            )
        audit.record(
            "campaign.create",
            campaign,
            actor=actor,
            kind=kind,
            street=street.code,
            branch=branch.code,
            groups=[g[0] for g in groups],
            classes=list(classes),
        )
    return campaign


def close_campaign(campaign, *, actor, on=None):
    """End the campaign and dissolve its temporary branch and groups (the link stays)."""
    on = on or _today()
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        if campaign.status == CampaignStatus.CLOSED:
            raise DomainError("该专项工作已结束")
        if on < campaign.starts_on:
            raise DomainError("结束日期不能早于开始日期", field="on")
        for group in campaign.groups.select_related("organization"):
            if group.organization.status == OrgStatus.ACTIVE:
                org_services.dissolve_org(group.organization, actor=actor, on=on)
        branch = campaign.branch
        branch.refresh_from_db()
        if branch.status == OrgStatus.ACTIVE:
            org_services.dissolve_org(branch, actor=actor, on=on)
        campaign.status = CampaignStatus.CLOSED
        campaign.closed_on = on
        campaign.save(update_fields=["status", "closed_on"])
        audit.record("campaign.close", campaign, actor=actor, on=on)
    return campaign


def _require_active(campaign):
    if campaign.status != CampaignStatus.ACTIVE:
        raise DomainError("该专项工作已结束，不能再办理")


# ---------------------------------------------------------------- counts


def bump_counts(campaign_id, deltas):
    """Apply {(day or None, group_key, class_key or 0, stage): delta} to the counts table
    (inside the caller's transaction). Day rows are keyed by group only."""
    for (day, group_key, class_key, stage), delta in deltas.items():
        if not delta:
            continue
        key = {
            "campaign_id": campaign_id,
            "day": day,
            "group_key": group_key,
            "class_key": 0 if day else class_key,
            "stage": stage,
        }
        rows = StageCount.objects.filter(**key)  # day=None is "day IS NULL"
        if rows.update(n=F("n") + delta):
            continue
        try:
            with transaction.atomic():
                StageCount.objects.create(**key, n=delta)
        except IntegrityError:
            rows.update(n=F("n") + delta)


def _entered(deltas, case, stages, on, sign=1):
    """Day rows: `case` reached each of `stages` on `on`."""
    for stage in stages:
        key = (on, case.group_id or 0, 0, stage)
        deltas[key] = deltas.get(key, 0) + sign


def _now(deltas, case, sign):
    key = (None, case.group_id or 0, case.case_class_id or 0, case.stage)
    deltas[key] = deltas.get(key, 0) + sign


def case_deltas(case, kind, sign=1):
    """The counts one case contributes when it is added (or removed, sign -1), reached its
    stage on `stage_since` (and the earlier ones on the same day)."""
    codes = stage_codes(kind)
    deltas = {}
    _now(deltas, case, sign)
    _entered(deltas, case, codes[: codes.index(case.stage) + 1], case.stage_since, sign)
    return deltas


# ---------------------------------------------------------------- cases


def _check_case_fields(campaign, fields):
    unknown = set(fields) - set(CASE_FIELDS)
    if unknown:
        raise DomainError(f"不能设置字段：{', '.join(sorted(unknown))}")
    if "head_name" in fields and not str(fields["head_name"]).strip():
        raise DomainError("请填写户主姓名", field="head_name")


def add_case(
    campaign,
    *,
    actor,
    number,
    case_class=None,
    group=None,
    responsible=None,
    on=None,
    persons=(),
    **fields,
):
    """Register a household (or property) at the first stage of the campaign's kind."""
    _check_case_fields(campaign, fields)
    number = str(number).strip()
    if not number:
        raise DomainError("请填写户号", field="number")
    on = on or _today()
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        _require_active(campaign)
        _check_parts(campaign, case_class, group)
        if Case.objects.filter(campaign=campaign, number=number).exists():
            raise DomainError(f"户号 {number} 已登记", field="number")
        case = Case.objects.create(
            campaign=campaign,
            number=number,
            case_class=case_class,
            group=group,
            responsible=responsible,
            stage=stage_codes(campaign.kind)[0],
            stage_since=on,
            **fields,
        )
        CasePerson.objects.bulk_create(
            CasePerson(case=case, name=n, relation=r, id_number=i) for n, r, i in persons
        )
        StageChange.objects.create(case=case, after=case.stage, on=on, actor=_user(actor))
        bump_counts(campaign.pk, case_deltas(case, campaign.kind))
        audit.record("campaign.case_add", case, actor=actor, campaign=campaign.pk, number=number)
    return case


def _check_parts(campaign, case_class, group):
    if case_class is not None and case_class.campaign_id != campaign.pk:
        raise DomainError("类别不属于该专项工作", field="case_class")
    if group is not None and group.campaign_id != campaign.pk:
        raise DomainError("工作小组不属于该专项工作", field="group")


def _locked_case(case):
    return Case.objects.select_for_update().select_related("campaign").get(pk=case.pk)


STALE_MESSAGE = "该户档案已被他人修改，请刷新后重试（您填写的内容仍在表单中）"
SENSITIVE = ("id_number", "phone")
_KEEP = object()


def _normal_id(value, field):
    number = idcard.normalize(value)
    if number:
        try:
            idcard.parse(number)
        except ValidationError as exc:
            raise DomainError(exc.messages[0], field=field) from exc
    return number


def _clean_case_fields(fields):
    """Normalise and check the household's own fields (Chinese errors, per field)."""
    fields = dict(fields)
    for key in ("village", "head_name", "address", "property_note", "note"):
        if key in fields:
            fields[key] = str(fields[key] or "").strip()
    if "id_number" in fields:
        fields["id_number"] = _normal_id(fields["id_number"], "id_number")
    if "phone" in fields:
        phone = str(fields["phone"] or "").strip().replace(" ", "")
        if phone and not (7 <= len(phone) <= 20 and phone.replace("-", "").isdigit()):
            raise DomainError("联系电话应为手机号或固定电话（数字和“-”）", field="phone")
        fields["phone"] = phone
    if "people" in fields:
        try:
            people = int(fields["people"])
        except (TypeError, ValueError):
            people = 0
        if not 1 <= people <= 99:
            raise DomainError("人口数应为1到99之间的整数", field="people")
        fields["people"] = people
    if "area" in fields:
        try:
            area = Decimal(str(fields["area"] or 0)).quantize(Decimal("0.01"))
        except (InvalidOperation, ValueError) as exc:
            raise DomainError("原房面积应为数字", field="area") from exc
        if not Decimal(0) <= area < Decimal("1000000"):
            raise DomainError("原房面积应在0到999999.99㎡之间", field="area")
        fields["area"] = area
    return fields


def _person_changes(case, persons):
    """Plan the family list: (creates, updates, deletes) from dicts {id?, name, relation,
    id_number?}; an existing person without `id_number` keeps the stored one."""
    existing = {p.pk: p for p in case.persons.all()}
    creates, updates, seen = [], [], set()
    for n, row in enumerate(persons, 1):
        name = str(row.get("name") or "").strip()
        if not name:
            raise DomainError(f"第 {n} 位家庭成员请填写姓名", field="persons")
        relation = str(row.get("relation") or "").strip()[:20]
        pk = row.get("id")
        number = row.get("id_number")
        if number is not None:
            number = _normal_id(number, "persons")
        if pk:
            person = existing.get(int(pk)) if str(pk).isdigit() else None
            if person is None or person.pk in seen:
                raise DomainError(f"第 {n} 位家庭成员不属于该户", field="persons")
            seen.add(person.pk)
            new = {"name": name[:50], "relation": relation}
            if number is not None:
                new["id_number"] = number
            if any(getattr(person, k) != v for k, v in new.items()):
                for key, value in new.items():
                    setattr(person, key, value)
                updates.append(person)
        else:
            creates.append(
                CasePerson(case=case, name=name[:50], relation=relation, id_number=number or "")
            )
    deletes = [p for pk, p in existing.items() if pk not in seen]
    return creates, updates, deletes


def update_case(case, *, actor, expected_version=None, persons=None, case_class=_KEEP, **fields):
    """Correct a household's file: its own fields (head, 身份证号, phone, people, property,
    note), its family (`persons`, see `_person_changes`; None leaves it) and its class.

    `expected_version` is the version the form was read at (default: the caller's
    instance); a stale one is refused with nothing written. One audit row names the changed
    fields (身份证号 and phones as ***); a class change moves the board's counts."""
    _check_case_fields(case.campaign, fields)
    fields = _clean_case_fields(fields)
    expected = case.version if expected_version is None else expected_version
    try:
        expected = int(expected)
    except (TypeError, ValueError) as exc:
        raise DomainError("版本号无效", field="version") from exc
    with transaction.atomic():
        locked = _locked_case(case)
        campaign = locked.campaign
        _require_active(campaign)
        if locked.version != expected:
            raise DomainError(STALE_MESSAGE, code="stale")
        changed = {k: v for k, v in fields.items() if getattr(locked, k) != v}
        before = {k: getattr(locked, k) for k in changed}
        if case_class is not _KEEP and case_class != locked.case_class:
            _check_parts(campaign, case_class, None)
            before["case_class"] = locked.case_class
            changed["case_class"] = case_class
        plan = _person_changes(locked, persons) if persons is not None else ([], [], [])
        if not changed and not any(plan):
            return locked
        deltas = case_deltas(locked, campaign.kind, -1) if "case_class" in changed else None
        for key, value in changed.items():
            setattr(locked, key, value)
        locked.version += 1
        locked.save(update_fields=[*changed, "version", "updated_at"])
        if deltas is not None:
            for key, delta in case_deltas(locked, campaign.kind).items():
                deltas[key] = deltas.get(key, 0) + delta
            bump_counts(campaign.pk, deltas)
        creates, updates, deletes = plan
        CasePerson.objects.bulk_create(creates)
        if updates:
            CasePerson.objects.bulk_update(updates, ["name", "relation", "id_number"])
        if deletes:
            CasePerson.objects.filter(pk__in=[p.pk for p in deletes]).delete()
        data = {
            "fields": sorted(changed),
            "before": {k: _shown(k, v) for k, v in before.items()},
            "after": {k: _shown(k, v) for k, v in changed.items()},
        }
        if any(plan):
            data["persons"] = {
                "added": [p.name for p in creates],
                "changed": [p.name for p in updates],
                "removed": [p.name for p in deletes],
            }
        audit.record("campaign.case_edit", locked, actor=actor, **data)
    _sync(case, locked)
    return locked


def _shown(key, value):
    if key in SENSITIVE:
        return "***" if value else ""
    if isinstance(value, CaseClass):
        return value.name
    return value


def _sync(case, locked):
    for field in (*CASE_FIELDS, "case_class_id", "group_id", "responsible_id", "version"):
        setattr(case, field, getattr(locked, field))
    for cached in ("case_class", "group", "responsible"):
        case._state.fields_cache.pop(cached, None)


def reveal_case(case, *, actor, reason):
    """The full 身份证号 and phones of one household (head and family): the members' reveal
    (`members.masking.reveal_values`), one chained audit row with the reason. The caller
    checked `scoping.may_reveal_case`."""
    values = {
        "id_number": case.id_number,
        "phone": case.phone,
        "persons": [
            {"id": p.pk, "name": p.name, "id_number": p.id_number} for p in case.persons.all()
        ],
    }
    return reveal_values(case, values, actor=actor, reason=reason, action="campaign.case_reveal")


def assign_case(case, *, actor, case_class=None, group=None, responsible=None):
    """Class, group and 包户 person of a household; the counts follow."""
    with transaction.atomic():
        case = _locked_case(case)
        campaign = case.campaign
        _require_active(campaign)
        _check_parts(campaign, case_class, group)
        before = (case.case_class_id, case.group_id, case.responsible_id)
        after = (
            case_class.pk if case_class else None,
            group.pk if group else None,
            responsible.pk if responsible else None,
        )
        if before == after:
            return case
        deltas = case_deltas(case, campaign.kind, -1)
        case.case_class, case.group, case.responsible = case_class, group, responsible
        for key, delta in case_deltas(case, campaign.kind).items():
            deltas[key] = deltas.get(key, 0) + delta
        case.version += 1
        case.save(update_fields=["case_class", "group", "responsible", "version", "updated_at"])
        bump_counts(campaign.pk, deltas)
        audit.record(
            "campaign.case_assign",
            case,
            actor=actor,
            case_class=after[0],
            group=after[1],
            responsible=after[2],
        )
    return case


def change_stage(case, stage, *, actor, on=None, note=""):
    """Move a household one stage forward, or one back with a reason. Counts, history and the
    audit row are written together."""
    on = on or _today()
    with transaction.atomic():
        case = _locked_case(case)
        campaign = case.campaign
        _require_active(campaign)
        codes = stage_codes(campaign.kind)
        if stage not in codes:
            raise DomainError("未知的进度", field="stage")
        if stage == case.stage:
            return case
        here, there = codes.index(case.stage), codes.index(stage)
        if there > here + 1:
            raise DomainError(
                f"请先完成“{stage_label(campaign.kind, codes[here + 1])}”，不能跳过", field="stage"
            )
        if there < here and not note.strip():
            raise DomainError("退回上一进度须说明原因", field="note")
        if there < here - 1:
            raise DomainError("一次只能退回一个进度", field="stage")
        if on < case.stage_since:
            raise DomainError("日期不能早于上一次进度变更", field="on")
        if on > _today():
            raise DomainError("日期不能晚于今天", field="on")
        deltas = {}
        _now(deltas, case, -1)
        if there < here:
            _entered(deltas, case, [case.stage], on, -1)
        before = case.stage
        case.stage, case.stage_since = stage, on
        if stage == "signed" and there > here:
            case.signed_on = on
        _now(deltas, case, 1)
        if there > here:
            _entered(deltas, case, [stage], on)
        case.save(update_fields=["stage", "stage_since", "signed_on", "updated_at"])
        StageChange.objects.create(
            case=case, before=before, after=stage, on=on, note=note[:200], actor=_user(actor)
        )
        bump_counts(campaign.pk, deltas)
        audit.record("campaign.stage", case, actor=actor, before=before, after=stage, on=on)
    return case


def change_stages(campaign, case_ids, stage, *, actor, on=None, note=""):
    """One step forward for many households at once (a day's 资料审核 or 交钥匙 sheet): the same
    checks as change_stage for each, one transaction, history, counts and an audit row each."""
    on = on or _today()
    if on > _today():
        raise DomainError("日期不能晚于今天", field="on")
    codes = stage_codes(campaign.kind)
    if stage not in codes or stage == codes[0]:
        raise DomainError("未知的进度", field="stage")
    before = codes[codes.index(stage) - 1]
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        _require_active(campaign)
        cases = list(
            Case.objects.select_for_update().filter(campaign=campaign, pk__in=list(case_ids))
        )
        if len(cases) != len(set(case_ids)):
            raise DomainError("有户不属于该专项工作", field="cases")
        wrong = [c.number for c in cases if c.stage != before or c.stage_since > on]
        if wrong:
            raise DomainError(
                f"以下户不在“{stage_label(campaign.kind, before)}”或日期有误："
                + "、".join(wrong[:10]),
                field="cases",
            )
        deltas = {}
        for case in cases:
            _now(deltas, case, -1)
            case.stage, case.stage_since = stage, on
            _now(deltas, case, 1)
            _entered(deltas, case, [stage], on)
        Case.objects.bulk_update(cases, ["stage", "stage_since"], batch_size=2000)
        user = _user(actor)
        StageChange.objects.bulk_create(
            (
                StageChange(case=c, before=before, after=stage, on=on, note=note, actor=user)
                for c in cases
            ),
            batch_size=2000,
        )
        bump_counts(campaign.pk, deltas)
        audit.record_many(
            [("campaign.stage", c, {"before": before, "after": stage, "on": on}) for c in cases],
            actor=actor,
        )
    return cases


def add_visit(case, *, actor, visited_on, visitor_name, said, talked_with="", issues="", key=None):
    """走访谈话; a repeated submit with the same form token returns the first record."""
    if not said.strip():
        raise DomainError("请填写谈话内容", field="said")
    if visited_on > _today():
        raise DomainError("走访日期不能晚于今天", field="visited_on")
    with transaction.atomic():
        if key:
            first = CaseVisit.objects.filter(idempotency_key=key).first()
            if first is not None:
                return first
        case = _locked_case(case)
        _require_active(case.campaign)
        visit = CaseVisit.objects.create(
            case=case,
            visited_on=visited_on,
            visitor_name=visitor_name,
            talked_with=talked_with,
            said=said,
            issues=issues,
            recorded_by=_user(actor),
            idempotency_key=key or None,
        )
        audit.record("campaign.visit", case, actor=actor, visited_on=visited_on)
    return visit


def add_document(case, *, actor, kind, title, file):
    """A checked upload (core.uploads.check_upload ran in the form) filed to the household."""
    with transaction.atomic():
        case = _locked_case(case)
        document = CaseDocument.objects.create(
            case=case, kind=kind, title=title, file=file, uploaded_by=_user(actor)
        )
        audit.record("campaign.document", case, actor=actor, kind=kind, title=title)
    return document


# ---------------------------------------------------------------- dispatch


def record_dispatch(
    campaign, *, actor, held_on, kind, issues="", decisions="", attendees="", assignments=()
):
    """早碰头/午调度/晚研判 with its assignments as (task, owner login, due_on, case or None)."""
    if kind not in DispatchKind.values:
        raise DomainError("请选择调度会类别", field="kind")
    if held_on > _today():
        raise DomainError("会议日期不能晚于今天", field="held_on")
    for task, owner, due_on, _case in assignments:
        if not task.strip() or owner is None:
            raise DomainError("交办事项须有内容和责任人", field="assignments")
        if due_on < held_on:
            raise DomainError("交办时限不能早于会议日期", field="assignments")
    with transaction.atomic():
        campaign = Campaign.objects.select_for_update().get(pk=campaign.pk)
        _require_active(campaign)
        if DispatchMeeting.objects.filter(campaign=campaign, held_on=held_on, kind=kind).exists():
            raise DomainError(f"{held_on} 的{DispatchKind(kind).label}已记录", field="kind")
        meeting = DispatchMeeting.objects.create(
            campaign=campaign,
            held_on=held_on,
            kind=kind,
            issues=issues,
            decisions=decisions,
            attendees=attendees,
            recorded_by=_user(actor),
        )
        Assignment.objects.bulk_create(
            Assignment(meeting=meeting, campaign=campaign, task=t[:300], owner=o, due_on=d, case=c)
            for t, o, d, c in assignments
        )
        audit.record(
            "campaign.dispatch",
            meeting,
            actor=actor,
            campaign=campaign.pk,
            held_on=held_on,
            kind=kind,
            assignments=len(assignments),
        )
    return meeting


def complete_assignment(assignment, *, actor, result="", on=None):
    on = on or _today()
    with transaction.atomic():
        assignment = Assignment.objects.select_for_update().get(pk=assignment.pk)
        if assignment.done_on:
            return assignment
        if on > _today():
            raise DomainError("完成日期不能晚于今天", field="on")
        assignment.done_on = on
        assignment.result = result[:300]
        assignment.save(update_fields=["done_on", "result"])
        audit.record("campaign.assignment_done", assignment, actor=actor, on=on)
    return assignment


def escalate_late_assignments(today: date | None = None) -> int:
    """The daily job: each assignment past its deadline and not done is reported once to the
    campaign's leader (or, without one, to those who manage the temporary branch)."""
    from xianfeng.accounts.roles import Perm
    from xianfeng.notices.models import NoticeKind
    from xianfeng.notices.services import grant_holders, notify

    today = today or _today()
    late = (
        Assignment.objects.filter(done_on=None, escalated_on=None, due_on__lt=today)
        .select_related("campaign__branch", "owner")
        .order_by("campaign_id", "due_on", "id")
    )
    count = 0
    for assignment in late:
        with transaction.atomic():
            locked = Assignment.objects.select_for_update().get(pk=assignment.pk)
            if locked.done_on or locked.escalated_on:
                continue
            campaign = assignment.campaign
            leaders = (
                {campaign.leader_id}
                if campaign.leader_id
                else grant_holders(campaign.branch, Perm.ORG_CHANGE)
            )
            notify(
                leaders,
                kind=NoticeKind.REQUEST_ESCALATED,
                title=f"{campaign.name}：交办事项超期",
                body=f"{assignment.owner}：{assignment.task}（时限 {assignment.due_on}）",
                link=f"/campaigns/{campaign.pk}/dispatch/",
                key=f"campaign.assignment.{assignment.pk}",
            )
            locked.escalated_on = today
            locked.save(update_fields=["escalated_on"])
            audit.record("campaign.assignment_escalate", locked, actor=None, due_on=locked.due_on)
            count += 1
    return count
