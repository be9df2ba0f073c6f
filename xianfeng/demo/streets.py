"""The streets of the demo, as the five reports in ../shared/seeds/ describe them.

Numbers the reports give are exact here (郭店: 43 branches, 1,062 members; 大季家: 32 villages,
26 enterprises, 瑞祥社区 4 grid branches with 12 building groups; 崮云湖: 25 villages and
8 communities, a joint and a temporary branch); names not in the reports are plausible local ones.
"""

from dataclasses import dataclass, field

from xianfeng.orgs.models import Domain, OrgKind


@dataclass(frozen=True)
class Unit:
    name: str
    domain: str
    kind: str = OrgKind.BRANCH
    members: int | None = None  # direct members; None: a share of the street (or a default)
    probationary: int | None = None  # exact number of probationary members; None: ~5%
    named: tuple = ()  # (name, gender) of real people in the reports; the first is secretary
    is_joint: bool = False
    is_temporary: bool = False
    children: tuple = ()


@dataclass(frozen=True)
class Street:
    name: str
    short_name: str
    roads: tuple
    units: tuple
    members: int | None = None  # exact subtree total, or None for per-unit defaults


@dataclass(frozen=True)
class District:
    code: str  # also the 6-digit region code of the ID numbers issued there
    name: str
    place: str  # address prefix
    streets: tuple = field(default_factory=tuple)


def branches(names, domain, suffix="党支部", **extra):
    return tuple(Unit(f"{n}{suffix}", domain, **extra) for n in names)


def community_streets(spec, place_roads):
    return tuple(
        Street(
            f"{street}街道党工委",
            f"{street}街道",
            place_roads,
            (Unit(f"{street}街道机关党支部", Domain.ORGAN),)
            + branches(communities, Domain.RURAL if rural else Domain.COMMUNITY),
        )
        for street, communities, rural in spec
    )


GUODIAN_VILLAGES = (
    "十里堡村",
    "曹家馆村",
    "前路家庄村",
    "后路家庄村",
    "冷家村",
    "王家庄村",
    "小许家村",
    "大许家村",
    "郭店村",
    "胡家岸村",
    "刘家村",
    "东沙村",
    "西沙村",
    "郭家村",
    "老虎庄村",
    "荷花村",
    "李家庄村",
    "枣林村",
    "孟家村",
    "黄家村",
    "辛庄村",
    "杨家村",
    "崔家庄村",
    "宋家村",
    "张马屯村",
)
GUODIAN_COMMUNITIES = (
    "虞景社区",
    "虞山社区",
    "郭店社区",
    "临港社区",
    "郭店新城社区",
    "裕园社区",
    "相公社区",
    "春晖社区",
)
GUODIAN = Street(
    "郭店街道党工委",
    "郭店街道",
    ("工业北路", "世纪大道", "临港北路", "郭店大街", "虞山大道", "春晖路"),
    (
        Unit("郭店街道机关党支部", Domain.ORGAN, members=46),
        Unit("济南镁碳砖厂党支部", Domain.PRIVATE, members=24),
        Unit("闽鲁建材城党支部", Domain.PRIVATE, members=17),
        # Brand still being built: two full members and one probationary (under 3 → warning).
        Unit("山东耀华玻璃有限公司党支部", Domain.PRIVATE, members=3, probationary=1),
        Unit("济南临港物流园党支部", Domain.PRIVATE, members=9),
        Unit("山东中孚建材有限公司党支部", Domain.PRIVATE, members=8),
        Unit("济南华鲁食品有限公司党支部", Domain.PRIVATE, members=7),
        Unit("临港智能制造产业园联合党支部", Domain.PRIVATE, members=11, is_joint=True),
        Unit("郭店街道卫生院党支部", Domain.INSTITUTION, members=14),
        Unit("郭店中学党支部", Domain.SCHOOL, members=21),
        # The resettled village of the report: over 50 members (→ warning).
        Unit("十里堡村党支部", Domain.RURAL, members=58),
        Unit("曹家馆村党支部", Domain.RURAL, named=(("杨长学", "M"),)),
    )
    + branches(GUODIAN_VILLAGES[2:], Domain.RURAL)
    + (Unit("虞景社区党支部", Domain.COMMUNITY, named=(("王凯", "M"),)),)
    + branches(GUODIAN_COMMUNITIES[1:], Domain.COMMUNITY),
    members=1062,
)

TIANQIAO_STREETS = (
    ("北坦", ("北关社区", "北坦社区", "五柳闸社区", "东流水社区"), False),
    ("制锦市", ("制锦市社区", "铜元局社区", "估衣市街社区", "共青团路社区"), False),
    ("堤口路", ("堤口路社区", "北园小区社区", "清河社区", "新黄社区"), False),
    ("工人新村北村", ("北村社区", "林家庄社区", "二环西路社区"), False),
    ("工人新村南村", ("南村社区", "纬北社区", "花园社区"), False),
    ("天桥东街", ("天桥东街社区", "北大槐树社区", "新城社区"), False),
    ("官扎营", ("官扎营社区", "西洼社区", "东工商河社区", "小鲁庄社区"), False),
    ("宝华", ("宝华社区", "凤凰山社区", "明湖北社区"), False),
    ("纬北路", ("纬北路社区", "生产路社区", "北坦南社区"), False),
    ("无影山", ("无影山社区", "盛福社区", "天桥南社区", "西工商河社区"), False),
    ("药山", ("药山社区", "北园新村社区", "城市文化社区"), False),
    ("北园", ("北园社区", "水屯社区", "舜兴社区", "东泺河社区"), False),
    ("泺口", ("泺口社区", "鹊山社区", "匡山社区"), False),
    ("桑梓店", ("桑梓店村", "闫家村", "鹊山村", "黄家村"), True),
    ("大桥", ("大桥村", "太平村", "二张村", "邢家渡村"), True),
)
TIANQIAO_ROADS = (
    "北园大街",
    "堤口路",
    "无影山中路",
    "济洛路",
    "生产路",
    "纬北路",
    "官扎营前街",
    "制锦市街",
    "天桥东街",
    "药山西路",
    "泺口北路",
    "林家庄东路",
    "北坦大街",
)

DAJIJIA_VILLAGES = (
    "张家村",
    "山后陈家村",
    "方里刘家村",
    "丈老沟村",
    "大季家村",
    "小季家村",
    "西陌堂村",
    "东陌堂村",
    "宋家村",
    "北王家村",
    "南王家村",
    "马家庄村",
    "初家村",
    "于家庄村",
    "唐家村",
    "孙家夼村",
    "姜家村",
    "山后初家村",
    "山后林家村",
    "东花园村",
    "西花园村",
    "上夼村",
    "下夼村",
    "芦洋村",
    "牟家村",
    "曲家村",
    "鞠家村",
    "隋家村",
    "北沟村",
    "前七夼村",
    "后七夼村",
    "邹家村",
)
DAJIJIA_FIRMS = (
    "烟台万华物流有限公司",
    "烟台和盛源海洋科技有限公司",
    "烟台季风新材料有限公司",
    "烟台开发区八角港务有限公司",
    "烟台海纳化工有限公司",
    "烟台鲁东精细化工有限公司",
    "烟台大季家建筑安装有限公司",
    "烟台东方海洋食品有限公司",
    "烟台恒邦精密机械有限公司",
    "烟台西港物流有限公司",
    "烟台宏远氧化锆有限公司",
    "烟台滨海热电有限公司",
    "烟台德润新能源有限公司",
    "烟台华港包装有限公司",
    "烟台瑞达电子有限公司",
    "烟台中科海洋生物有限公司",
    "烟台凯达建材有限公司",
    "烟台通达船舶服务有限公司",
    "烟台鑫源环保科技有限公司",
    "烟台金海湾水产有限公司",
    "烟台恒泰涂料有限公司",
    "烟台开发区大季家供销社",
    "烟台北方汽车零部件有限公司",
    "烟台新港冷链有限公司",
    "烟台天润化工设备有限公司",
    "烟台海丰农业开发有限公司",
)
RUIXIANG = Unit(
    "瑞祥社区党总支",
    Domain.COMMUNITY,
    kind=OrgKind.GENERAL_BRANCH,
    members=0,
    children=tuple(
        Unit(
            f"瑞祥社区第{n}网格党支部",
            Domain.COMMUNITY,
            members=3,
            probationary=0,
            children=tuple(
                Unit(f"{(i - 1) * 3 + b}号楼栋党小组", Domain.COMMUNITY, kind=OrgKind.GROUP)
                for b in range(1, 4)
            ),
        )
        for i, n in enumerate("一二三四", 1)
    ),
)
DAJIJIA = Street(
    "大季家街道党工委",
    "大季家街道",
    ("大季家中心大街", "长江路", "黄河路", "天山路", "嵩山路", "八角路"),
    (
        Unit("大季家街道机关党支部", Domain.ORGAN, members=28),
        Unit("张家村党支部", Domain.RURAL, named=(("夏仁顺", "M"), ("张心明", "M"))),
    )
    + branches(DAJIJIA_VILLAGES[1:], Domain.RURAL)
    + branches(DAJIJIA_FIRMS[:-1], Domain.PRIVATE)
    # A new firm's branch with only two full members (under 3 → warning).
    + (Unit(f"{DAJIJIA_FIRMS[-1]}党支部", Domain.PRIVATE, members=2, probationary=0),)
    + (RUIXIANG,),
)

SHUNYULU = Street(
    "舜玉路街道党工委",
    "舜玉路街道",
    ("舜玉路", "舜耕路", "七里山路", "八里洼路", "济大路", "郎茂山路"),
    (
        Unit("舜玉路街道机关党支部", Domain.ORGAN, members=32),
        Unit(
            "舜园社区综合党委",
            Domain.COMMUNITY,
            kind=OrgKind.COMMITTEE,
            members=0,
            children=branches(
                ("舜园社区第一", "舜园社区第二", "舜园社区第三", "舜园社区离退休"),
                Domain.COMMUNITY,
            ),
        ),
        Unit(
            "舜玉社区党总支",
            Domain.COMMUNITY,
            kind=OrgKind.GENERAL_BRANCH,
            members=0,
            children=branches(("舜玉社区第一", "舜玉社区第二", "舜玉社区第三"), Domain.COMMUNITY),
        ),
    )
    + branches(
        ("舜函社区", "舜耕社区", "七里山社区", "八里洼社区", "舜华园社区"), Domain.COMMUNITY
    ),
)

GUYUNHU_VILLAGES = (
    "东辛村",
    "西辛村",
    "崮山村",
    "潘村",
    "马套村",
    "宋家庄村",
    "王家庄村",
    "小屯村",
    "郭庄村",
    "黄崖村",
    "北黄崖村",
    "大刘庄村",
    "小刘庄村",
    "孙庄村",
    "前大彦村",
    "后大彦村",
    "坡里庄村",
    "老屯村",
    "张庄村",
    "甄庄村",
    "刘庄村",
    "凤凰村",
    "双泉村",
    "武家庄村",
    "石店村",
)
GUYUNHU_COMMUNITIES = (
    "创科社区",
    "常春藤社区",
    "崮云湖社区",
    "大学城社区",
    "丰齐社区",
    "乐天社区",
    "书香社区",
    "紫薇社区",
)
GUYUNHU = Street(
    "崮云湖街道党工委",
    "崮云湖街道",
    ("大学路", "紫薇路", "海棠路", "丁香路", "崮山路", "莲台山路"),
    (Unit("崮云湖街道机关党支部", Domain.ORGAN, members=30),)
    # 东辛村 is the village being demolished: a big branch (over 50 → warning).
    + (Unit("东辛村党支部", Domain.RURAL, members=53),)
    + branches(GUYUNHU_VILLAGES[1:], Domain.RURAL)
    + branches(GUYUNHU_COMMUNITIES, Domain.COMMUNITY)
    + (
        Unit("创新大厦联合党支部", Domain.PRIVATE, members=12, is_joint=True),
        Unit(
            "东辛村拆迁临时党支部",
            Domain.RURAL,
            members=3,
            is_temporary=True,
            children=tuple(
                Unit(f"拆迁第{n}党小组", Domain.RURAL, kind=OrgKind.GROUP, members=3)
                for n in "一二三四"
            ),
        ),
    ),
)

DISTRICTS = (
    District("370112", "历城区委", "山东省济南市历城区", (GUODIAN,)),
    District(
        "370105",
        "天桥区委",
        "山东省济南市天桥区",
        community_streets(TIANQIAO_STREETS, TIANQIAO_ROADS),
    ),
    District("370671", "烟台开发区工委", "山东省烟台市开发区", (DAJIJIA,)),
    District("370103", "市中区委", "山东省济南市市中区", (SHUNYULU,)),
    District("370113", "长清区委", "山东省济南市长清区", (GUYUNHU,)),
)
