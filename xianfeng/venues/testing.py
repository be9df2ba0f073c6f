"""Objects for tests/test_permission_matrix.py: a venue of the world's branch with a room,
a photo, a booking by the branch, an activity and a resident's sign-up."""

from datetime import datetime, time, timedelta

from django.core.files.uploadedfile import SimpleUploadedFile
from django.utils import timezone

from xianfeng.core import workcal

from . import activities, services

PNG = (
    b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x00\x01\x00\x00\x00\x01\x08\x06\x00\x00"
    b"\x00\x1f\x15\xc4\x89\x00\x00\x00\rIDATx\x9cc\xf8\x0f\x00\x00\x01\x01\x00\x05\x18\xd8N"
    b"\x00\x00\x00\x00IEND\xaeB`\x82"
)


def next_workday_at(hour, days=2):
    day = workcal.next_workday(timezone.localdate() + timedelta(days=days))
    return timezone.make_aware(datetime.combine(day, time(hour)))


def matrix_objects(world):
    admin = world.users["admin"]
    venue = services.create_venue(
        world.branch,
        actor=None,
        name="北关社区党群服务中心",
        kind="centre",
        address="北关北路1号",
        latitude=36.68,
        longitude=117.0,
    )
    room = services.add_room(venue, actor=None, name="多功能厅", capacity=30)
    photo = services.add_photo(
        venue, actor=None, file=SimpleUploadedFile("a.png", PNG, content_type="image/png")
    )
    booking = services.book_room(
        room,
        actor=admin,
        starts_at=next_workday_at(9),
        ends_at=next_workday_at(10),
        booker_kind="org",
        organization=world.branch,
        contact_name="张三",
        purpose="主题党日",
    )
    activity = activities.publish_activity(
        venue,
        actor=None,
        organization=world.branch,
        kind="lecture",
        title="健康讲座",
        starts_at=next_workday_at(14),
        ends_at=next_workday_at(16),
        capacity=5,
    )
    signup = activities.sign_up(activity, name="王大妈", phone="13800000001")
    return {
        "venue": venue.pk,
        "venue_photo": photo.pk,
        "room_booking": booking.pk,
        "booking_token": booking.token,
        "venue_activity": activity.pk,
        "venue_signup": signup.pk,
        "activity_token": activities.check_in_token(activity),
    }
