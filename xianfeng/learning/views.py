"""学习 pages: a member's courses and quizzes on the phone; publishing, the bank and figures."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.db.models import Count, Q
from django.http import Http404, JsonResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from xianfeng.accounts.permissions import perm_required
from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import (
    get_org_for_user,
    has_perm_anywhere,
    in_or_above_q,
    scope_orgs,
)
from xianfeng.core import sheets
from xianfeng.core.errors import DomainError
from xianfeng.core.lists import page_of

from . import bank, media, services
from .figures import member_figures, org_figures
from .forms import BankUploadForm, CourseForm, QuizForm, RequireForm
from .models import Course, Question, Quiz, QuizAttempt, StudyRecord
from .rules import BEAT, SCORING_RULE


def _member(request):
    member = request.user.member if request.user.member_id else None
    if member is None:
        raise Http404("当前账号未关联党员，不能学习或答题")
    return member


def _visible_courses(user):
    """Courses a login may open: its own member's, those in the subtrees it may view, and those
    published above them (a branch secretary requires the street's courses for the branch)."""
    q = in_or_above_q("organization", user, Perm.ORG_VIEW)
    if user.member_id:
        q |= Q(pk__in=services.courses_for(user.member).values("pk"))
    return Course.objects.filter(q)


def _get_course(user, pk):
    try:
        return _visible_courses(user).select_related("organization").get(pk=pk)
    except (ValueError, Course.DoesNotExist) as exc:
        raise Http404("课程不存在或无权查看") from exc


@login_required
def learning_home(request):
    today = timezone.localdate()
    page = page_of(request, _visible_courses(request.user).filter(is_published=True))
    context = {"courses": page, "page": page}
    if request.user.member_id:
        member = request.user.member
        done = dict(
            StudyRecord.objects.filter(member=member).values_list("course_id", "completed_at")
        )
        context |= {
            "required": [(r, done.get(r.course_id)) for r in services.required_for(member, today)],
            "quizzes": services.open_quizzes_for(member, today),
            "done": done,
            "hours": round(
                sum(StudyRecord.objects.filter(member=member).values_list("seconds", flat=True))
                / 3600,
                1,
            ),
        }
    return render(request, "learning/home.html", context)


@login_required
def course_detail(request, pk):
    course = _get_course(request.user, pk)
    record = None
    if request.user.member_id:
        record = StudyRecord.objects.filter(member_id=request.user.member_id, course=course).first()
    context = {"course": course, "record": record, "beat": BEAT, "require_form": None}
    if has_perm_anywhere(request.user, Perm.LEARNING_MANAGE):
        context["require_form"] = RequireForm(user=request.user)
    return render(request, "learning/course.html", context)


@login_required
def course_media(request, pk):
    course = _get_course(request.user, pk)
    if not course.file:
        raise Http404("没有课件文件")
    return media.serve(request, course.file)


@require_POST
@login_required
def course_beat(request, pk):
    course = _get_course(request.user, pk)
    record = services.record_beat(_member(request), course)
    return JsonResponse({"seconds": record.seconds, "completed": record.completed_at is not None})


@perm_required(Perm.LEARNING_MANAGE)
def course_manage(request):
    form = CourseForm(request.POST or None, request.FILES or None, user=request.user)
    if request.method == "POST" and form.is_valid():
        data = dict(form.cleaned_data)
        org = data.pop("organization")
        try:
            course = services.publish_course(org, actor=request.user, **data)
        except DomainError as exc:
            form.add_domain_error(exc)
        else:
            messages.success(request, "课程已发布")
            return redirect("learning:course", course.pk)
    orgs = scope_orgs(request.user, Perm.LEARNING_MANAGE)
    courses = Course.objects.filter(organization__in=orgs).select_related("organization")
    page = page_of(request, courses)
    return render(request, "learning/manage.html", {"form": form, "courses": page, "page": page})


@require_POST
@perm_required(Perm.LEARNING_MANAGE)
def course_require(request, pk):
    course = _get_course(request.user, pk)
    form = RequireForm(request.POST, user=request.user)
    if form.is_valid():
        data = dict(form.cleaned_data)
        try:
            services.require_course(course, data.pop("organization"), actor=request.user, **data)
        except DomainError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "已布置为必学课程")
    else:
        messages.error(request, "请选择组织并填写起止日期")
    return redirect("learning:course", course.pk)


@perm_required(Perm.LEARNING_MANAGE)
def question_bank(request):
    form = BankUploadForm(request.POST or None, request.FILES or None, user=request.user)
    errors = []
    if request.method == "POST" and form.is_valid():
        created, errors = bank.import_bank(
            form.cleaned_data["file"], form.cleaned_data["organization"]
        )
        if created:
            messages.success(request, f"已导入 {created} 道试题")
            return redirect("learning:bank")
    orgs = scope_orgs(request.user, Perm.LEARNING_MANAGE)
    topics = (
        Question.objects.filter(organization__in=orgs)
        .values("topic", "kind")
        .order_by("topic", "kind")
    )
    page = page_of(request, Quiz.objects.filter(organization__in=orgs).order_by("-opens_on", "-id"))
    context = {
        "form": form,
        "errors": errors,
        "topics": topics.annotate(n=Count("pk")),
        "quiz_form": QuizForm(user=request.user),
        "page": page,
        "quizzes": page,
    }
    return render(request, "learning/bank.html", context)


@perm_required(Perm.LEARNING_MANAGE)
def bank_template(request):
    return sheets.download(bank.template(), "题库模板.xlsx")


@require_POST
@perm_required(Perm.LEARNING_MANAGE)
def quiz_create(request):
    form = QuizForm(request.POST, user=request.user)
    if form.is_valid():
        quiz = form.save(commit=False)
        quiz.created_by = request.user
        quiz.save()
        messages.success(request, "测试已发布")
    else:
        messages.error(request, "；".join(e for errs in form.errors.values() for e in errs))
    return redirect("learning:bank")


@login_required
def quiz_take(request, pk):
    member = _member(request)
    try:
        quiz = services.open_quizzes_for(member, timezone.localdate()).get(pk=pk)
    except (ValueError, Quiz.DoesNotExist) as exc:
        raise Http404("测试不存在或未开放") from exc
    try:
        attempt = services.start_attempt(quiz, member)
    except DomainError as exc:
        messages.error(request, exc.message)
        return redirect("learning:home")
    if request.method == "POST":
        answers = {
            key[2:]: request.POST.getlist(key) for key in request.POST if key.startswith("q_")
        }
        attempt = services.submit_attempt(attempt, answers)
        return redirect("learning:result", attempt.pk)
    context = {"quiz": quiz, "attempt": attempt, "questions": services.paper(attempt)}
    return render(request, "learning/quiz.html", context)


@login_required
def quiz_result(request, pk):
    try:
        attempt = QuizAttempt.objects.select_related("quiz").get(
            pk=pk, member_id=_member(request).pk, submitted_at__isnull=False
        )
    except (ValueError, QuizAttempt.DoesNotExist) as exc:
        raise Http404("答卷不存在") from exc
    rows = [
        (
            q,
            attempt.answers.get(str(q.pk), []),
            sorted(attempt.answers.get(str(q.pk), [])) == q.answer,
        )
        for q in services.paper(attempt)
    ]
    context = {"attempt": attempt, "rows": rows, "rule": SCORING_RULE}
    return render(request, "learning/result.html", context)


@perm_required(Perm.MEMBER_VIEW)
def study_figures(request):
    orgs = scope_orgs(request.user, Perm.MEMBER_VIEW)
    org_id = request.GET.get("org")
    org = (
        get_org_for_user(request.user, org_id, Perm.MEMBER_VIEW)
        if org_id
        else orgs.order_by("path").first()
    )
    if org is None:
        raise Http404("没有可查看的组织")
    rows = org_figures(org)
    members = member_figures(org) if rows == [] or rows[0].org == org else None
    return render(request, "learning/figures.html", {"org": org, "rows": rows, "members": members})
