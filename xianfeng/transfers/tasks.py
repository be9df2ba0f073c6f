"""Nightly: letters past their validity without a receipt become 介绍信逾期未回执."""

from huey import crontab
from huey.contrib.djhuey import db_periodic_task

from .mobile import send_mobile_reminders
from .services import expire_letters


@db_periodic_task(crontab(hour="1", minute="10"))
def expire_transfer_letters():
    return expire_letters()


@db_periodic_task(crontab(hour="8", minute="20"))
def remind_settled_mobile_members():
    return send_mobile_reminders()
