from datetime import timedelta

from django.utils import timezone

from xianfeng.learning import services
from xianfeng.learning.models import Quiz


def course(world, org=None, **fields):
    fields = {"title": "学习党章", "kind": "text", "body": "党章全文……", "minutes": 10, **fields}
    return services.publish_course(org or world.street, actor=world.users["admin"], **fields)


def questions(world, n=5, org=None, topic="党章"):
    return [
        services.add_question(
            org or world.street,
            topic=topic,
            kind="single",
            text=f"第{i}题",
            options=["甲", "乙", "丙"],
            answer=[i % 3],
        )
        for i in range(n)
    ]


def quiz(world, org=None, **fields):
    today = timezone.localdate()
    fields = {
        "title": "党章测试",
        "topic": "党章",
        "question_count": 3,
        "opens_on": today - timedelta(days=1),
        "closes_on": today + timedelta(days=7),
        **fields,
    }
    return Quiz.objects.create(organization=org or world.street, **fields)
