"""The joining (入会) application's own answers: employer or platform, occupation, district,
membership of another union, each checked and normalised where it is asked; and the answers a
worker gives ahead of time, picked out of a free sentence. Name, ID number and phone are checked
by desk.forms.person, as every form asks them.
"""

from __future__ import annotations

import re
import unicodedata
from collections.abc import Iterable, Mapping
from dataclasses import dataclass

from desk.common.text import clean_answer, fold, to_simplified
from desk.forms.answers import HAN, Invalid, Valid, is_unsure, read_yes_no
from desk.forms.person import validate_name
from desk.membership.unions import City, Industry, UnionDirectory, get_unions

# ── 工作单位或平台 ────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Employer:
    name: str
    platform: str | None  # the platform's usual name when the worker takes orders through one

    @property
    def is_platform(self) -> bool:
        return self.platform is not None

    def __str__(self) -> str:
        if self.platform is None or self.platform in _PLATFORM_ALIASES.values():
            return self.name
        return f"{OTHER_PLATFORM}：{self.platform}"


# The platforms offered as buttons; a worker on another one answers 其他平台：名称.
PLATFORMS = ("美团", "饿了么", "顺丰", "京东", "滴滴", "货拉拉", "闪送", "达达")
OTHER_PLATFORM = "其他平台"
# Written forms (folded: simplified, lower case) → the platform's usual name.
_PLATFORM_ALIASES: Mapping[str, str] = {
    **{name: name for name in PLATFORMS},
    "meituan": "美团",
    "饿了吗": "饿了么",
    "eleme": "饿了么",
    "蜂鸟": "饿了么",
    "didi": "滴滴",
    "花小猪": "滴滴",
    **{name.lower(): name for name in ("曹操出行", "T3出行", "高德打车", "快狗打车", "UU跑腿")},
    **{name: "满帮" for name in ("满帮", "运满满", "货车帮")},
    **{name: name for name in ("中通", "圆通", "申通", "韵达", "极兔")},
}
# Names that contain a platform's name but are not the platform (京东方 is a display maker).
_NOT_PLATFORMS = ("京东方", "完美团")
_OTHER_PLATFORM_ANSWER = re.compile(r"^(?:其他|其它|别的)(?:平台)?[:：\s]*(?P<named>.*)$")
_WORKPLACE_AFFIXES = re.compile(r"^(?:我在|在|我是)|(?:上班|工作|干活|打工)$")
# Workers without an employer (灵活就业) still join; the union records them as such.
NO_EMPLOYER = "灵活就业（无固定单位）"
_NO_EMPLOYER_ANSWERS = frozenset(
    {"无", "没有", "没", "没有单位", "无单位", "自由职业", "灵活就业", "打零工", "零工", "个体"}
) | {fold(NO_EMPLOYER)}
EMPLOYER_MAX_CHARS = 50


def validate_employer_or_platform(raw: str) -> Valid[Employer] | Invalid:
    text = _WORKPLACE_AFFIXES.sub("", clean_answer(raw)).strip()
    if is_unsure(fold(text)):  # 不知道 is no employer's name
        return Invalid(
            "不知道全称也没关系，写平时大家怎么叫它就行，比如“宏达电子厂”；"
            "平台接单的写平台名，没有固定单位就回复“没有”"
        )
    platforms = _platforms_in(text)
    if len(platforms) == 1:
        (platform,) = platforms
        return Valid(Employer(platform, platform))
    if len(platforms) > 1:
        return Invalid(f"您提到了{'、'.join(sorted(platforms))}，请告诉我现在主要在哪个平台接单")
    if fold(text) in _NO_EMPLOYER_ANSWERS:
        return Valid(Employer(NO_EMPLOYER, None))
    other = _OTHER_PLATFORM_ANSWER.fullmatch(text)
    name = other.group("named").strip() if other else text
    if not name:
        return Invalid(
            "请写一下是哪个平台，比如“其他平台：快狗打车”；有固定单位的话，请写单位名称"
            if other
            else "请告诉我您的工作单位；平台骑手、司机直接说平台名称就行，比如“美团”"
        )
    if len(name) < 2 or not re.search(rf"[{HAN}A-Za-z]", name):
        return Invalid("单位名称看起来不完整，请写单位全称，比如“某某建设有限公司”")
    if len(name) > EMPLOYER_MAX_CHARS:
        return Invalid(f"单位名称最多{EMPLOYER_MAX_CHARS}个字，您输入了{len(name)}个字")
    return Valid(Employer(name, name if other else None))


def _platforms_in(text: str) -> set[str]:
    folded = fold(text)
    for name in _NOT_PLATFORMS:
        folded = folded.replace(name, " ")
    return {platform for alias, platform in _PLATFORM_ALIASES.items() if alias in folded}


# ── 行业/职业 ─────────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Occupation:
    text: str  # as the worker put it
    industry: Industry

    def __str__(self) -> str:
        return self.text


# First match wins, so the order settles the overlaps noted on the right.
_INDUSTRY_WORDS: tuple[tuple[Industry, tuple[str, ...]], ...] = (
    (Industry.FREIGHT, ("货车", "货拉拉", "货运", "卡车", "拉货")),  # 货车司机 is not 网约车
    (Industry.RIDE_HAILING, ("网约车", "代驾", "出租车", "司机")),
    (Industry.COURIER, ("快递",)),  # 快递配送 is courier work
    (Industry.DELIVERY, ("外卖", "骑手", "配送", "送餐", "跑腿")),
    (Industry.CONSTRUCTION, ("建筑", "工地", "施工", "钢筋", "泥瓦", "瓦工", "装修")),
    (Industry.PROPERTY, ("物业", "保安", "门卫")),  # 物业保洁 works for the property firm
    (Industry.DOMESTIC, ("家政", "保洁", "保姆", "月嫂", "育儿嫂", "钟点工")),
    (Industry.MANUFACTURING, ("制造", "工厂", "车间", "流水线", "普工", "厂")),
)
_OCCUPATION_AFFIXES = re.compile(r"^(?:我是|我在|我做|我干|从事|做|干)|的$")
OCCUPATION_MIN_CHARS, OCCUPATION_MAX_CHARS = 2, 30


def validate_occupation(raw: str) -> Valid[Occupation] | Invalid:
    text = _OCCUPATION_AFFIXES.sub("", clean_answer(raw)).strip()
    if is_unsure(fold(text)):
        return Invalid("说说平时每天干的活就行，比如“送外卖”“在工地绑钢筋”“在厂里做普工”")
    if len(text) < OCCUPATION_MIN_CHARS or not re.search(rf"[{HAN}A-Za-z]", text):
        return Invalid("请具体说说您做什么工作，比如“外卖骑手”“建筑工人”“保安”")
    if len(text) > OCCUPATION_MAX_CHARS:
        return Invalid(f"请简短说一下，{OCCUPATION_MAX_CHARS}个字以内就好，您输入了{len(text)}个字")
    return Valid(Occupation(text, industry_of(text)))


def industry_of(text: str) -> Industry:
    folded = fold(text)
    for industry, words in _INDUSTRY_WORDS:
        if any(word in folded for word in words):
            return industry
    return Industry.OTHER


# ── 所在城市和区县 ────────────────────────────────────────────────────────────────────────────


@dataclass(frozen=True)
class Location:
    city: str
    district: str

    @property
    def label(self) -> str:
        return f"{self.city}{self.district}"

    def __str__(self) -> str:
        return self.label


def validate_location(
    raw: str, directory: UnionDirectory | None = None
) -> Valid[Location] | Invalid:
    """A district of the directory, with or without its city: 乌鲁木齐市天山区, 天山区, 上海嘉定."""
    directory = directory or get_unions()
    text = re.sub(r"\s+", "", clean_answer(raw))
    city, hits = _locate(text, directory, short_names=True)
    if len(hits) == 1:
        return Valid(hits[0])
    if hits:
        named = "、".join(hit.district for hit in hits)
        return Invalid(f"您提到了{named}，请告诉我您现在工作或居住的那一个区县")
    if city is not None:
        covered = "、".join(directory.districts(city.name))
        return Invalid(
            f"请说一下您在{city.name}的哪个区县。{city.name}目前在线受理：{covered}；"
            "在其他区县的话，请回复“转人工”"
        )
    first = directory.cities[0]
    return Invalid(
        f"{'没找到这个地方。' if text else ''}我们目前覆盖这些城市：{_coverage(directory)}。"
        f"请按“城市+区县”告诉我，比如“{first.name}{directory.districts(first.name)[0]}”"
    )


def _coverage(directory: UnionDirectory) -> str:
    return "、".join(
        f"{city.name}（{'、'.join(directory.districts(city.name))}）" for city in directory.cities
    )


def _locate(
    text: str, directory: UnionDirectory, *, short_names: bool
) -> tuple[City | None, list[Location]]:
    """The one city mentioned (if any) and every district of the directory the text names.

    A district's short name (天山 for 天山区) counts only with `short_names` or after its city:
    inside a free sentence it may as well be part of a name.
    """
    mentioned = [city for city in directory.cities if any(name in text for name in city.names)]
    city = mentioned[0] if len(mentioned) == 1 else None
    hits = []
    for candidate in [city] if city else directory.cities:
        for district in directory.districts(candidate.name):
            names = (district, _short(district)) if short_names or city else (district,)
            if any(name in text for name in names):
                hits.append(Location(candidate.name, district))
    return city, hits


def _short(district: str) -> str:
    """天山区 → 天山, 嘉定区 → 嘉定; a name that would drop to one character stays whole."""
    short = re.sub(r"[区县市旗]$", "", district)
    return short if len(short) >= 2 else district


# ── 是否已是会员 ──────────────────────────────────────────────────────────────────────────────


def validate_already_member(raw: str) -> Valid[bool] | Invalid:
    """Whether the worker is already a member of another union: 是/否 and their 口语 forms;
    不清楚 is 否 (the summary shows it, and staff check membership when they review)."""
    answer = read_yes_no(re.sub(r"\s+", "", fold(clean_answer(raw))), also_yes="入过|加入")
    if answer == "unsure":  # 不清楚: not a member as far as the worker knows; staff check it
        return Valid(False)
    if isinstance(answer, bool):
        return Valid(answer)
    return Invalid("请回答“是”或“否”：您现在是不是其他工会的会员？")


# ── 提前给出的答案 ────────────────────────────────────────────────────────────────────────────

_ID_IN_TEXT = re.compile(r"(?<![0-9A-Za-z])[0-9]{17}[0-9Xx](?![0-9A-Za-z])")
_PHONE_IN_TEXT = re.compile(
    r"(?<![0-9A-Za-z+])(?:(?:\+|00)?86[\s-]?)?(1[3-9][0-9])[\s-]?([0-9]{4})[\s-]?([0-9]{4})"
    r"(?![0-9A-Za-z])"
)
# 我是 is a weak cue (我是骑手, 我是江苏的): it needs a surname, a separator after, and no role.
_NAME_CUE = re.compile(
    rf"(?:我叫|我的名字(?:是|叫)|名字(?:是|叫)|姓名(?:是)?[:：]?|(?P<weak>我是))"
    rf"\s*(?P<name>[{HAN}·]+)(?P<after>.?)"
)
_NAME_ENDS_BEFORE = re.compile(
    r"在|住|手机|电话|身份证|今年|家|是|从事|做|干|的|来自|工作|送|开|跑"
)
_WEAK_NAME_AFTER = frozenset(" ,，.。!！;；、:：") | {""}
_COMMON_SURNAMES = frozenset(
    "王李张刘陈杨黄赵吴周徐孙朱胡郭何林罗郑梁谢宋唐许韩冯邓曹彭曾肖董袁潘于蒋蔡余杜叶程苏魏吕"
    "丁任沈姚卢姜崔钟谭陆汪范贾夏韦付邹孟熊秦邱尹薛闫段雷侯史陶黎贺顾毛郝龚邵万钱严覃武戴莫孔"
    "汤温康施樊葛邢齐乔伍庞颜倪庄聂章鲁岳翟殷詹欧耿焦俞左柳祝舒阮柯纪梅童凌毕季裴霍涂苗盛翁冉"
    "骆蓝游辛靳柴鲍喻祁蒲滕饶牟艾尤穆卓缪褚娄窦戚岑晏席卫柏瞿桂佟臧闵苟邬卞姬栾隋巫寇郎甄"
)
# Words that end a role, not a name: 包工头, 农民工, 快递员, 司机, 骑手, 本地人.
_ROLE_ENDINGS = frozenset("工头员手师生人者长机嫂姐哥叔姨妈家")
_PROVINCES = frozenset(
    re.findall(
        r"\w+",
        "北京 天津 上海 重庆 河北 山西 辽宁 吉林 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北"
        " 湖南 广东 海南 四川 贵州 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆 香港 澳门",
    )
)
CHINESE_NAME_MAX_CHARS = 4  # without a middle dot; longer runs are more likely a sentence


def extract_ahead(text: str, directory: UnionDirectory | None = None) -> dict[str, str]:
    """The answers a free sentence gives unambiguously, keyed by field: name, id_number, phone,
    employer_or_platform, location. Values are as written; each still goes through its
    validator when the form fills the field, so a wrong one is asked about, not kept."""
    directory = directory or get_unions()
    text = to_simplified(unicodedata.normalize("NFKC", text))
    found = {
        "name": _only(_names_in(text)),
        "id_number": _only(match.group(0).upper() for match in _ID_IN_TEXT.finditer(text)),
        "phone": _only("".join(match.groups()) for match in _PHONE_IN_TEXT.finditer(text)),
        "employer_or_platform": _only(_platforms_in(text)),
        "location": _only(
            hit.label for hit in _locate(re.sub(r"\s+", "", text), directory, short_names=False)[1]
        ),
    }
    return {field: value for field, value in found.items() if value is not None}


def _only(values: Iterable[str]) -> str | None:
    distinct = set(values)
    return distinct.pop() if len(distinct) == 1 else None


def _names_in(text: str) -> list[str]:
    names = []
    for match in _NAME_CUE.finditer(text):
        name = match.group("name")
        if match.group("weak") is not None:
            if not _plausible_weak_name(name, match.group("after")):
                continue
        else:
            end = _NAME_ENDS_BEFORE.search(name, 2)
            name = name[: end.start()] if end else name
        if "·" not in name and len(name) > CHINESE_NAME_MAX_CHARS:
            continue
        if isinstance(validate_name(name), Valid):
            names.append(name)
    return names


def _plausible_weak_name(name: str, after: str) -> bool:
    return (
        2 <= len(name) <= 3
        and after in _WEAK_NAME_AFTER
        and name[0] in _COMMON_SURNAMES
        and name[-1] not in _ROLE_ENDINGS
        and name not in _PROVINCES
        and not _platforms_in(name)
        and industry_of(name) is Industry.OTHER
    )
