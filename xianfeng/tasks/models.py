from django.db import models
from django.utils.translation import gettext_lazy as _

from xianfeng.core.fields import actor_field


class TaskKind(models.TextChoices):
    KEY_TASK = "key_task", _("重点任务")
    BREAKTHROUGH = "breakthrough", _("突破项目")


class KeyTask(models.Model):
    """重点任务 / 突破项目 on the 挂图作战 board: who owns it, by when, how far along."""

    kind = models.CharField(_("类别"), max_length=20, choices=TaskKind.choices)
    title = models.CharField(_("任务名称"), max_length=120)
    description = models.TextField(_("任务内容与目标"), blank=True)
    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("责任党组织"),
        on_delete=models.PROTECT,
        related_name="key_tasks",
    )
    lead_unit = models.CharField(_("牵头单位"), max_length=100)
    lead_person = models.CharField(_("责任人"), max_length=50)
    co_units = models.CharField(_("配合单位"), max_length=200, blank=True)
    starts_on = models.DateField(_("开始日期"))
    due_on = models.DateField(_("完成时限"), db_index=True)
    progress = models.PositiveSmallIntegerField(_("进度(%)"), default=0)
    completed_on = models.DateField(_("完成日期"), null=True, blank=True)
    created_by = actor_field(_("创建人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("重点任务")
        verbose_name_plural = _("重点任务")
        ordering = ["due_on", "id"]
        constraints = [
            models.CheckConstraint(
                condition=models.Q(due_on__gte=models.F("starts_on")), name="task_due_after_start"
            ),
            models.CheckConstraint(condition=models.Q(progress__lte=100), name="task_progress_max"),
        ]

    def __str__(self):
        return self.title


class Milestone(models.Model):
    """任务节点: a dated step of a key task."""

    task = models.ForeignKey(
        KeyTask, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("节点"), max_length=100)
    due_on = models.DateField(_("节点时限"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)

    class Meta:
        verbose_name = _("任务节点")
        verbose_name_plural = _("任务节点")
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.title


class TaskUpdate(models.Model):
    """周报: one progress report per task per week; a second report that week replaces it."""

    task = models.ForeignKey(
        KeyTask, verbose_name=_("任务"), on_delete=models.CASCADE, related_name="updates"
    )
    week_of = models.DateField(_("所在周(周一)"))
    progress = models.PositiveSmallIntegerField(_("进度(%)"))
    summary = models.TextField(_("本周进展"))
    problems = models.TextField(_("困难问题"), blank=True)
    reported_by = actor_field(_("报送人"))
    reported_at = models.DateTimeField(_("报送时间"), auto_now=True)

    class Meta:
        verbose_name = _("任务周报")
        verbose_name_plural = _("任务周报")
        ordering = ["-week_of"]
        constraints = [
            models.UniqueConstraint(fields=["task", "week_of"], name="one_update_per_task_week"),
        ]

    def __str__(self):
        return f"{self.task} {self.week_of}"


class BrandStatus(models.TextChoices):
    PLANNING = "planning", _("谋划中")
    BUILDING = "building", _("创建中")
    ACHIEVED = "achieved", _("已建成")
    DROPPED = "dropped", _("已终止")


class BrandPlan(models.Model):
    """党建品牌创建计划 of one organization (一社区一品牌 for communities)."""

    organization = models.ForeignKey(
        "orgs.Organization",
        verbose_name=_("党组织"),
        on_delete=models.PROTECT,
        related_name="brand_plans",
    )
    name = models.CharField(_("品牌名称"), max_length=60)
    year = models.PositiveSmallIntegerField(_("创建年度"))
    concept = models.TextField(_("品牌内涵"), blank=True)
    goals = models.TextField(_("创建目标"))
    is_key = models.BooleanField(_("重点培育"), default=False, db_index=True)
    guide = models.CharField(_("指导联系人"), max_length=50, blank=True)
    status = models.CharField(
        _("状态"), max_length=20, choices=BrandStatus.choices, default=BrandStatus.PLANNING
    )
    created_by = actor_field(_("创建人"))
    created_at = models.DateTimeField(_("创建时间"), auto_now_add=True)

    class Meta:
        verbose_name = _("党建品牌创建计划")
        verbose_name_plural = _("党建品牌创建计划")
        ordering = ["organization__path", "-year"]
        constraints = [
            models.UniqueConstraint(fields=["organization", "name"], name="one_brand_name_per_org"),
        ]

    def __str__(self):
        return self.name


class BrandMilestone(models.Model):
    """创建节点 of a brand plan, with its evidence once done."""

    plan = models.ForeignKey(
        BrandPlan, verbose_name=_("品牌计划"), on_delete=models.CASCADE, related_name="milestones"
    )
    title = models.CharField(_("节点"), max_length=100)
    due_on = models.DateField(_("计划完成日期"))
    done_on = models.DateField(_("完成日期"), null=True, blank=True)
    evidence = models.FileField(_("佐证材料"), upload_to="brands/%Y/", blank=True)
    note = models.CharField(_("说明"), max_length=200, blank=True)

    class Meta:
        verbose_name = _("品牌创建节点")
        verbose_name_plural = _("品牌创建节点")
        ordering = ["due_on", "id"]

    def __str__(self):
        return self.title
