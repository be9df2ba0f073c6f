"""灯塔大课堂 for 郭店街道: a few courses (text and PDF, stored by the system), a required
course this quarter, a 党章 question bank with a monthly quiz, and members' study and scores."""

from datetime import timedelta

from django.core.files.base import ContentFile
from django.utils import timezone

from xianfeng.learning import services
from xianfeng.learning.models import Course, Quiz, QuizAttempt, StudyRecord
from xianfeng.learning.rules import BEAT, COMPLETE_SHARE
from xianfeng.members.models import Member
from xianfeng.orgs.models import Organization

COURSES = (
    ("学习党章 · 总纲", "text", 20),
    ("三会一课怎么开", "text", 15),
    ("发展党员工作流程(25 个步骤)", "document", 30),
    ("党员中心户怎样服务群众", "text", 10),
)
# (kind, text, options, answer indexes): facts from the 党章 and the party's rules.
QUESTIONS = (
    ("judge", "预备党员的预备期为一年。", ["对", "错"], [0]),
    ("judge", "党员缴纳党费是党员的义务。", ["对", "错"], [0]),
    ("judge", "正式党员有三人以上的，应当成立党的基层组织。", ["对", "错"], [0]),
    ("judge", "党支部委员会每届任期为五年。", ["对", "错"], [1]),
    ("single", "党的最高理想和最终目标是", ["实现共产主义", "全面建成小康社会", "实现现代化"], [0]),
    ("single", "党的根本宗旨是", ["全心全意为人民服务", "发展经济", "依法治国"], [0]),
    ("single", "年满多少岁可以申请入党", ["十六岁", "十八岁", "二十岁"], [1]),
    ("single", "党支部党员大会一般每季度召开", ["一次", "两次", "三次"], [0]),
    ("single", "党的组织原则是", ["民主集中制", "集体领导", "个人分工负责"], [0]),
    (
        "single",
        "党员的党龄从何时算起",
        ["递交申请书之日", "预备期满转为正式党员之日", "入党宣誓之日"],
        [1],
    ),
    (
        "multiple",
        "“三会一课”中的“三会”包括",
        ["支部党员大会", "支部委员会", "党小组会", "职工大会"],
        [0, 1, 2],
    ),
    ("multiple", "党的纪律包括", ["政治纪律", "组织纪律", "廉洁纪律", "群众纪律"], [0, 1, 2, 3]),
)
PDF = (
    b"%PDF-1.4\n1 0 obj<</Type/Catalog/Pages 2 0 R>>endobj\n"
    b"2 0 obj<</Type/Pages/Kids[3 0 R]/Count 1>>endobj\n"
    b"3 0 obj<</Type/Page/Parent 2 0 R/MediaBox[0 0 595 842]>>endobj\n"
    b"trailer<</Root 1 0 R>>\n%%EOF\n"
)


def load(ctx):
    street = Organization.objects.get(name="郭店街道党工委")
    if Course.objects.filter(organization=street).exists():
        return
    rng = ctx.rng("learning")
    today = ctx.today
    courses = [_course(street, title, kind, minutes) for title, kind, minutes in COURSES]
    quarter_start = today.replace(month=(today.month - 1) // 3 * 3 + 1, day=1)
    services.require_course(
        courses[0],
        street,
        actor=None,
        starts_on=quarter_start,
        ends_on=quarter_start + timedelta(days=89),
    )
    for kind, text, options, answer in QUESTIONS:
        services.add_question(
            street, topic="党章党规", kind=kind, text=text, options=options, answer=answer
        )
    quiz = Quiz.objects.create(
        organization=street,
        title=f"{today:%Y年%m月}党章党规测试",
        topic="党章党规",
        question_count=8,
        opens_on=today.replace(day=1),
        closes_on=today.replace(day=1) + timedelta(days=40),
    )
    members = list(Member.objects.active().filter(organization__path__startswith=street.path)[:400])
    _study(rng, members, courses)
    _answers(rng, members[:150], quiz, today)


def _course(street, title, kind, minutes):
    fields = {
        "title": title,
        "kind": kind,
        "minutes": minutes,
        "summary": f"{title}：郭店街道党工委组织办",
    }
    if kind == "document":
        fields["file"] = ContentFile(PDF, name="fazhan-dangyuan.pdf")
    else:
        fields["body"] = f"{title}\n\n本课程由街道党工委组织办编写，供党员在手机上随时学习。"
    return services.publish_course(street, actor=None, **fields)


def _study(rng, members, courses):
    now = timezone.now()
    records = []
    for member in members:
        for course in rng.sample(courses, rng.randrange(1, len(courses) + 1)):
            # Time studied before today's session, short of completion: the demo year
            # (demo/year.py) finishes some of them through the course page's beats, so the
            # completion and its study hours come from the service.
            short = int(COMPLETE_SHARE * course.minutes * 60) - 2 * BEAT
            seconds = rng.randrange(60, max(61, short))
            records.append(
                StudyRecord(
                    member=member,
                    course=course,
                    seconds=seconds,
                    last_beat_at=now - timedelta(days=rng.randrange(1, 60)),
                )
            )
    StudyRecord.objects.bulk_create(records, batch_size=500)


def _answers(rng, members, quiz, today):
    bank = list(services.bank_for(quiz))
    attempts = []
    for member in members:
        paper = rng.sample(bank, quiz.question_count)
        right = rng.randrange(3, quiz.question_count + 1)
        attempts.append(
            QuizAttempt(
                quiz=quiz,
                member=member,
                number=1,
                question_ids=[q.pk for q in paper],
                answers={str(q.pk): q.answer for q in paper[:right]},
                score=round(100 * right / quiz.question_count),
                submitted_at=timezone.now() - timedelta(days=rng.randrange(0, 20)),
            )
        )
    QuizAttempt.objects.bulk_create(attempts, batch_size=500)
