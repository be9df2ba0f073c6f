"""Deterministic, realistic Chinese personal names: surname + one or two given-name characters."""

# Common surnames, weighted roughly by their frequency in Shandong.
SURNAMES = (
    ("王", 90),
    ("张", 85),
    ("李", 80),
    ("刘", 60),
    ("陈", 30),
    ("杨", 30),
    ("赵", 35),
    ("孙", 35),
    ("徐", 22),
    ("马", 22),
    ("高", 25),
    ("郭", 20),
    ("于", 20),
    ("宋", 15),
    ("董", 12),
    ("韩", 12),
    ("吴", 10),
    ("周", 10),
    ("朱", 10),
    ("曹", 10),
    ("吕", 9),
    ("胡", 8),
    ("林", 8),
    ("姜", 12),
    ("崔", 10),
    ("魏", 8),
    ("杜", 8),
    ("田", 8),
    ("丁", 8),
    ("任", 7),
    ("孟", 8),
    ("侯", 6),
    ("邵", 5),
    ("袁", 5),
    ("许", 6),
    ("冯", 6),
    ("程", 5),
    ("秦", 5),
    ("郑", 6),
    ("谢", 4),
    ("路", 4),
    ("贾", 5),
    ("葛", 4),
    ("房", 4),
    ("薛", 4),
    ("荆", 3),
    ("夏", 4),
    ("曲", 5),
    ("初", 3),
    ("隋", 3),
    ("鞠", 3),
    ("尹", 3),
    ("苏", 4),
    ("范", 4),
    ("石", 4),
    ("毕", 3),
)

MALE_CHARS = (
    "伟强磊军勇杰涛斌超明刚平辉鹏华飞鑫波宁健亮俊峰建国志文海东林永庆德兴成山春凯龙彬浩宇"
    "博新利昌福顺广宏义民金胜学忠振家治延兆洪传立召庆玉宝泽瑞锋"
)
FEMALE_CHARS = (
    "芳娜敏静丽艳娟霞秀英玲燕红梅琳婷洁兰萍慧雪颖倩琴云凤莉玉桂珍芬佳欣悦月晶蕾丹淑美荣"
    "翠爱莲华春秋冬雁彩娇菊"
)

_SURNAME_POOL = tuple(s for s, weight in SURNAMES for _ in range(weight))


def make_name(rng, gender: str) -> str:
    """A name for gender "M" or "F"; 70% have two given-name characters, as in real registers."""
    chars = MALE_CHARS if gender == "M" else FEMALE_CHARS
    given = rng.choice(chars)
    if rng.random() < 0.7:
        given += rng.choice(chars)
    return rng.choice(_SURNAME_POOL) + given
