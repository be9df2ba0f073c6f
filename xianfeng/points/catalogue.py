"""The starting catalogue: the codes other apps send, and a few rules for secretaries and claims.

Source for the practice: 舜玉路街道 "党员一卡通积分月度TOP10排名" (shared/seeds/003). The
report gives no point values; the values and caps below are this project's defaults for a
street to revise on the rules page (a revision is a new version; booked points keep theirs).
"""

from datetime import date

LOCAL = "舜玉路街道党员一卡通积分做法(见 seeds/003)；分值为本系统默认值，街道可修订"
START = date(2020, 1, 1)

# code, name, points, cap per month, cap per year, claimable
SEED = (
    ("meeting.attend", "参加三会一课、主题党日", 2, 10, None, False),
    ("request.solved", "办结群众诉求", 3, 15, None, False),
    ("service.activity", "参加志愿服务活动", 2, 10, None, False),
    ("project.finished", "认领的服务项目完成", 5, 10, 60, False),
    ("study.hours", "学习强国/网上学习（每学时）", 1, 8, 80, False),
    ("volunteer.hours", "志愿服务时长（每小时）", 1, 10, 100, False),
    ("good.deed", "好人好事（党员申报）", 3, 6, None, True),
    ("pioneer.post", "党员先锋岗表现突出", 5, 5, 30, True),
    ("absent.meeting", "无故缺席组织生活", -3, None, None, False),
    ("dues.late", "未按时交纳党费", -2, None, None, False),
    ("instructor.visit", "党建指导员到村(企)履职", 2, 8, None, False),
    # 党群服务中心 activities (venues app, issue 22): added by venues' migration 0003.
    ("venue.activity", "参加党群服务阵地活动", 2, 10, None, False),
)
# Paid per hour: points × hours, an hour begun counts as a whole hour (0.5 h → 1 h).
PER_HOUR = frozenset({"study.hours", "volunteer.hours"})


def seed_rules(rule_model):
    """Create the catalogue's first versions (for the data migrations and the tests).

    Migration 0002 runs this with a model that has no `per_hour` yet; 0003 adds it.
    """
    has_per_hour = any(f.name == "per_hour" for f in rule_model._meta.get_fields())
    for code, name, points, cap_month, cap_year, claimable in SEED:
        defaults = {
            "name": name,
            "points": points,
            "cap_month": cap_month,
            "cap_year": cap_year,
            "claimable": claimable,
            "needs_approval": True,
            "valid_from": START,
            "source": LOCAL,
        }
        if has_per_hour:
            defaults["per_hour"] = code in PER_HOUR
        rule_model.objects.get_or_create(code=code, version=1, scope=None, defaults=defaults)


def catalogue_codes():
    return {row[0] for row in SEED}
