"""The one table of the big screen: a month's member and organization totals per subtree.

The trend line of 党员与组织 needs last year's totals, which the per-organization counters
(orgs.stats.subtree_stats) only know for today. The nightly job (tasks.py) writes this month's
row for every committee and root (one `subtree_stats` each), so the screen reads twelve rows.
"""

from django.db import models
from django.utils.translation import gettext_lazy as _


class MonthlyFigure(models.Model):
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("党组织"),
        on_delete=models.CASCADE,
        related_name="monthly_figures",
    )
    month = models.DateField(_("月份(当月1日)"))
    members = models.PositiveIntegerField(_("党员"))
    full_members = models.PositiveIntegerField(_("正式党员"))
    probationary_members = models.PositiveIntegerField(_("预备党员"))
    organizations = models.PositiveIntegerField(_("党组织"))
    branches = models.PositiveIntegerField(_("党支部"))
    as_of = models.DateField(_("统计日期"))

    class Meta:
        verbose_name = _("月度党员与组织数")
        verbose_name_plural = _("月度党员与组织数")
        ordering = ["organization", "month"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "month"], name="monthly_figure_once")
        ]

    def __str__(self):
        return f"{self.organization_id} {self.month:%Y-%m} {self.members}"
