"""Nightly: the 自行脱党 check and the 失联 / 停止党籍 reminders (huey periodic tasks)."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .services import detect_lapses, send_reminders


@db_periodic_task(crontab(hour="2", minute="20"))
def check_lapsed_members():
    return detect_lapses()


@db_periodic_task(crontab(hour="8", minute="10"))
def remind_lost_contact():
    return send_reminders()
