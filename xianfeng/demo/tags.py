"""Member tags on some demo members: 流动党员, 困难党员, 光荣在党50年."""

from xianfeng.members.models import Member, MemberTag

from .people import add_years

TAGS = (("mobile", "流动党员"), ("hardship", "困难党员"), ("fifty_years", "光荣在党50年"))
SHARE = {"mobile": 0.04, "hardship": 0.03}


def load(ctx):
    rng = ctx.rng("tags")
    tags = {}
    for code, name in TAGS:
        tags[code], _ = MemberTag.objects.get_or_create(code=code, defaults={"name": name})
    fifty_years_ago = add_years(ctx.today, -50)
    numbers = [n for code in ctx.members for n in ctx.members[code]]
    Through = Member.tags.through
    links = []
    for i in range(0, len(numbers), 900):
        chunk = Member.objects.filter(id_number__in=numbers[i : i + 900]).order_by("id_number")
        for pk, confirmed in chunk.values_list("pk", "confirmed_on"):
            for code, share in SHARE.items():
                if rng.random() < share:
                    links.append(Through(member_id=pk, membertag_id=tags[code].pk))
            if confirmed and confirmed <= fifty_years_ago:
                links.append(Through(member_id=pk, membertag_id=tags["fifty_years"].pk))
    Through.objects.bulk_create(links, ignore_conflicts=True, batch_size=500)
