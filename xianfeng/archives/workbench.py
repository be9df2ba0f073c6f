"""Workbench: archive documents waiting for a reviewer."""

from django.urls import reverse
from django.utils.translation import gettext as _

from xianfeng.accounts.roles import Perm
from xianfeng.accounts.scoping import granted_paths, path_q
from xianfeng.core.workbench import TodoItem, workbench_provider

from .models import ArchiveItem, ItemStatus


@workbench_provider("archives")
def archives_todo(user, today):
    paths = granted_paths(user, Perm.ARCHIVE_REVIEW)
    if not paths:
        return
    pending = ArchiveItem.objects.filter(
        path_q("archive__member__organization__path", paths), status=ItemStatus.PENDING
    ).count()
    yield TodoItem("archives.review", _("待审核的档案材料"), pending, reverse("archives:home"))
