"""档案 pages: completeness per organization, one member's checklist, upload, review, file index."""

from django.contrib import messages
from django.db import transaction
from django.http import Http404
from django.shortcuts import redirect, render
from django.views.decorators.http import require_POST

from xianfeng.accounts.permissions import perm_required
from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import (
    can,
    can_for_member,
    get_member_for_user,
    get_org_for_user,
    scope_members,
    scope_orgs,
)
from xianfeng.core import audit, uploads
from xianfeng.core.errors import DomainError
from xianfeng.core.lists import page_of
from xianfeng.members.models import Member
from xianfeng.members.views import member_view_required
from xianfeng.orgs.models import Organization

from . import rollups, services
from .completeness import file_states, member_state
from .forms import PathForm, ReviewForm, UploadForm
from .models import Archive, ArchiveItem, ItemStatus
from .rules import DOC_ORDER, PATHS, RULES_IN_FORCE_SOURCE


def get_item_for_user(user, pk, perm=Perm.MEMBER_VIEW):
    members = scope_members(user, perm)
    qs = ArchiveItem.objects.select_related("archive__member__organization")
    try:
        return qs.get(pk=pk, archive__member__in=members)
    except (ValueError, TypeError, ArchiveItem.DoesNotExist) as exc:
        raise Http404("档案材料不存在或无权查看") from exc


def _top_org(request):
    if request.GET.get("org"):
        return get_org_for_user(request.user, request.GET["org"], Perm.MEMBER_VIEW)
    org = scope_orgs(request.user, Perm.MEMBER_VIEW).order_by("depth", "path").first()
    if org is None:
        raise Http404("没有可查看的党组织")
    return org


def _subtree_members(user, org):
    return scope_members(user).filter(organization__path__startswith=org.path)


@perm_required(Perm.MEMBER_VIEW)
def archives_home(request):
    org = _top_org(request)
    children = list(
        scope_orgs(request.user, Perm.MEMBER_VIEW, Organization.objects.get_children(org).active())
    )
    orgs = [org, *children]
    tallies = rollups.subtree_tallies(orgs)  # the rollup rows of every subtree, one statement
    page = page_of(request, [(child, tallies[child.pk]) for child in children])
    context = {"org": org, "tally": tallies[org.pk], "rows": page, "page": page}
    return render(request, "archives/home.html", context)


@perm_required(Perm.MEMBER_VIEW)
def archives_org(request, pk):
    org = get_org_for_user(request.user, pk, Perm.MEMBER_VIEW)
    members = _subtree_members(request.user, org)
    only_incomplete = request.GET.get("incomplete") == "1"
    people = members.active().select_related("organization").order_by("organization__path", "pk")
    if only_incomplete:  # the rollup's per-member flag: filtered and paged in SQL
        people = people.filter(archive_state__complete=False)
    page = page_of(request, people.only("pk", "name", "organization__name", "organization__path"))
    states = file_states(Member.objects.filter(pk__in=[m.pk for m in page]))
    tally = rollups.subtree_tallies([org])[org.pk]
    context = {
        "org": org,
        "rows": [(m, states[m.pk]) for m in page],
        "page": page,
        "tally": tally,
        "paths": PATHS,
        "incomplete": only_incomplete,
    }
    return render(request, "archives/org.html", context)


@member_view_required
def archives_member(request, pk):
    member = get_member_for_user(request.user, pk)
    return render(request, "archives/member.html", _member_context(request, member))


def _member_context(request, member, upload_form=None, path_form=None):
    state = member_state(member)
    archive = Archive.objects.filter(member=member).first()
    items = list(archive.items.select_related("uploaded_by", "reviewed_by")) if archive else []
    by_doc = {}
    for item in items:
        by_doc.setdefault(item.doc, []).append(item)
    required = state.required if state else []
    missing = {r.doc for r in state.missing} if state else set()
    checklist = [(r, by_doc.pop(r.doc, []), r.doc not in missing) for r in required]
    user = request.user
    return {
        "member": member,
        "state": state,
        "paths": PATHS,
        "archive": archive,
        "checklist": checklist,
        "extra": [item for doc_items in by_doc.values() for item in doc_items],
        "may_upload": can_for_member(user, Perm.MEMBER_CHANGE, member),
        "may_review": can(user, Perm.ARCHIVE_REVIEW, member.organization),
        "upload_form": upload_form or UploadForm(),
        "path_form": path_form or PathForm(initial={"path": archive.path if archive else ""}),
        "review_form": ReviewForm(),
        "legacy_source": RULES_IN_FORCE_SOURCE,
    }


@require_POST
@perm_required(Perm.MEMBER_CHANGE)
def archives_upload(request, pk):
    member = get_member_for_user(request.user, pk, Perm.MEMBER_CHANGE)
    form = UploadForm(request.POST, request.FILES)
    if form.is_valid():
        data = form.cleaned_data
        try:
            services.upload_item(member, upload=data.pop("file"), actor=request.user, **data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "已上传，等待审核")
            return redirect("archives:member", member.pk)
    context = _member_context(request, member, upload_form=form)
    return render(request, "archives/member.html", context, status=400)


@require_POST
@perm_required(Perm.MEMBER_CHANGE)
def archives_path(request, pk):
    member = get_member_for_user(request.user, pk, Perm.MEMBER_CHANGE)
    form = PathForm(request.POST)
    if form.is_valid():
        services.set_archive_path(member, form.cleaned_data["path"], actor=request.user)
        messages.success(request, "已保存入党途径")
        return redirect("archives:member", member.pk)
    context = _member_context(request, member, path_form=form)
    return render(request, "archives/member.html", context, status=400)


@require_POST
@perm_required(Perm.ARCHIVE_REVIEW)
def archives_review(request, pk):
    item = get_item_for_user(request.user, pk, Perm.MEMBER_VIEW)
    member = item.archive.member
    if not can(request.user, Perm.ARCHIVE_REVIEW, member.organization):
        raise Http404("档案材料不存在或无权审核")
    form = ReviewForm(request.POST)
    if not form.is_valid():
        messages.error(request, "请选择审核结果")
    else:
        try:
            services.review_item(item, actor=request.user, **form.cleaned_data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, f"已审核：{item.display_title}")
    return redirect("archives:member", member.pk)


@member_view_required
def archives_file(request, pk):
    item = get_item_for_user(request.user, pk)
    with transaction.atomic():
        audit.record("archive.file_view", item.archive.member, actor=request.user, item=item.pk)
    return uploads.serve(item.file, filename=item.original_name)


@member_view_required
def archives_index(request, pk):
    member = get_member_for_user(request.user, pk)
    accepted = ArchiveItem.objects.filter(archive__member=member, status=ItemStatus.ACCEPTED)
    items = sorted(
        accepted, key=lambda i: (DOC_ORDER.get(i.doc, 99), i.doc_date or i.uploaded_at.date(), i.pk)
    )
    rows, page = [], 1
    for n, item in enumerate(items, 1):
        rows.append((n, item, page, page + item.pages - 1))
        page += item.pages
    context = {"member": member, "rows": rows, "state": member_state(member), "paths": PATHS}
    return render(request, "archives/index.html", context)
