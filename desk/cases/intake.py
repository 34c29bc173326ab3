"""The short intake before a case goes to a union lawyer: its questions, checks and summary.

Declared with desk.forms (SPEC) like the other forms; this module adds the intake's own checks,
what is stored with the ticket, and how answers are found in what the worker already said:
anything said already (the message that raised the handoff, answers given ahead, an open
case's earlier intake) is reused, not asked again.

The intake is lenient where a strict form would be unkind: a worker may not know the legal
name of the employer (不清楚 is an answer), the city need not be one a union here covers, the
head count and the amount may be rough (约20人, 约8000元), and the phone may be left out.
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Callable, Iterator, Mapping
from decimal import Decimal

from desk.cases import triage
from desk.common.quantities import Amount, Count, amount_owed, head_count
from desk.common.text import clean_answer, folded_answer
from desk.forms.answers import Invalid, Valid, read_consent
from desk.forms.interruptions import reads_as_question
from desk.forms.person import validate_phone
from desk.forms.spec import Field, FormSpec, Kept
from desk.membership import answers

_HAN = "\u3400-\u4dbf\u4e00-\u9fff"

UNKNOWN = "不清楚"
NOT_INVOLVED = "不涉及"
NOT_GIVEN = "未提供"


_UNKNOWN_ANSWER = re.compile(
    r"(?:我|俺)?(?:也)?(?:不知道|不清楚|不太清楚|不记得|记不清|忘了|说不清|不晓得|不确定|没数)"
    r"(?:了|啊|呀|呢|耶|欸)?(?:叫什么|叫啥|名字|全称|公司名|具体|具体多少|有多少|多少|几个)?"
    r"(?:了|啊|呀|呢)?"
)


def _unknown(raw: str) -> bool:
    return bool(_UNKNOWN_ANSWER.fullmatch(folded_answer(raw)))


# ── 情况经过 ──────────────────────────────────────────────────────────────────────────────────

STORY_MIN_CHARS = 6
# Words that carry no facts: a request for a human, greetings, fillers, a bare yes or no.
_NO_FACTS = re.compile(
    r"转人工|人工客服|人工|找律师|要律师|律师|转接|帮帮我|帮帮忙|帮我|帮忙|求助|救命|你好|您好|在吗|"
    r"请问|谢谢|我要|我想|咨询|问一下|不知道|不清楚|说不清|就是|那个|没有|有|嗯|啊|哦|是的|对|好的"
)


def _check_story(raw: str) -> Valid[str] | Invalid:
    text = raw.strip()  # kept as the worker wrote it: it is their account for the lawyer
    facts = _NO_FACTS.sub("", folded_answer(raw))
    if len(re.findall(f"[{_HAN}]", facts)) < STORY_MIN_CHARS:
        return Invalid(
            "请再多说几句发生了什么，比如“老板拖欠我们三个月工资，现在联系不上”，"
            "这样律师能更快了解情况。"
        )
    return Valid(text)


# ── 用人单位 ──────────────────────────────────────────────────────────────────────────────────


# The question itself follows this line, as after every answer that is not taken.
EMPLOYER_NOT_A_QUESTION = "您的问题律师接手后会详细解答，先把几个情况问清楚。"


def _check_employer(raw: str) -> Valid[str] | Invalid:
    if _unknown(raw):
        return Valid(UNKNOWN)
    if reads_as_question(raw):  # 加班费怎么算 asked again: the lawyer will answer it, not a name
        return Invalid(EMPLOYER_NOT_A_QUESTION)
    checked = answers.validate_employer_or_platform(raw)
    if isinstance(checked, Valid):
        return Valid(str(checked.value))
    text = clean_answer(raw)
    # Several platforms, say: for a lawyer the worker's own words are enough.
    if 2 <= len(text) <= answers.EMPLOYER_MAX_CHARS and re.search(f"[{_HAN}A-Za-z]", text):
        return Valid(text)
    if len(text) > answers.EMPLOYER_MAX_CHARS:
        return checked
    return Invalid(
        "请写一下单位、平台或老板的名字，比如“某某建筑公司”“美团”；不清楚就回复「不清楚」。"
    )


# Company names in a free sentence: 在深圳市宏达电子有限公司上班, 宏达电子厂的老板跑了.
_COMPANY = re.compile(
    rf"[{_HAN}A-Za-z0-9]{{2,24}}?(?:有限责任公司|股份有限公司|有限公司|公司|集团|工厂|厂|项目部)"
)
_COMPANY_SUFFIX = re.compile(r"(?:有限责任公司|股份有限公司|有限公司|公司|集团|工厂|厂|项目部)$")
_BEFORE_NAME = re.compile(
    r".*(?:在|给|替|是|被|跟|到|去|进|了|的|帮|让|把|从|叫|[一这那某哪](?:家|个|间|所))"
)
_OWNER = re.compile(r"^(?:我们|咱们|俺们|你们|他们|我|俺)")
# A name must name: 我们厂, 这家公司, 一家电子厂, 外包公司 say which kind, not which one.
_NOT_A_NAME = re.compile(
    r"^(?:我|你|他|她|咱|俺|这|那|哪|该|本|每|一|某|个|家|小|大|黑|总|分|原|老|新|上|下)|"
    r"^(?:电子|服装|食品|机械|化工|纺织|家具|玩具|鞋|制衣|印刷|塑料|五金|建筑|物流|快递|外卖|劳务|"
    r"装修|保安|物业|科技|外包|派遣|总包|分包|工程|贸易|餐饮|网络|工|皮包|空壳|黑心)$"
)


def _employer_in(text: str) -> str | None:
    names = set()
    for match in _COMPANY.finditer(clean_answer(text)):
        name = _OWNER.sub("", _BEFORE_NAME.sub("", match.group(0)))
        prefix = _COMPANY_SUFFIX.sub("", name)
        if len(prefix) >= 2 and not _NOT_A_NAME.search(prefix):
            names.add(name)
    return names.pop() if len(names) == 1 else None


# ── 所在城市 ──────────────────────────────────────────────────────────────────────────────────

# Prefecture-level cities and a few large county-level ones where many migrant workers are;
# enough to recognise a place, not a gazetteer (an unlisted 某某市/某某县 passes by its suffix).
_CITIES = frozenset(
    re.findall(
        r"\w+",
        """
    北京 天津 上海 重庆 石家庄 唐山 秦皇岛 邯郸 邢台 保定 张家口 承德 沧州 廊坊 衡水 太原 大同 阳泉
    长治 晋城 朔州 晋中 运城 忻州 临汾 吕梁 呼和浩特 包头 乌海 赤峰 通辽 鄂尔多斯 呼伦贝尔 巴彦淖尔
    乌兰察布 沈阳 大连 鞍山 抚顺 本溪 丹东 锦州 营口 阜新 辽阳 盘锦 铁岭 朝阳 葫芦岛 长春 吉林 四平
    辽源 通化 白山 松原 白城 延边 哈尔滨 齐齐哈尔 鸡西 鹤岗 双鸭山 大庆 伊春 佳木斯 七台河 牡丹江
    黑河 绥化 南京 无锡 徐州 常州 苏州 南通 连云港 淮安 盐城 扬州 镇江 泰州 宿迁 昆山 江阴 张家港
    常熟 杭州 宁波 温州 嘉兴 湖州 绍兴 金华 衢州 舟山 台州 丽水 义乌 合肥 芜湖 蚌埠 淮南 马鞍山 淮北
    铜陵 安庆 黄山 滁州 阜阳 宿州 六安 亳州 池州 宣城 福州 厦门 莆田 三明 泉州 漳州 南平 龙岩 宁德
    晋江 南昌 景德镇 萍乡 九江 新余 鹰潭 赣州 吉安 宜春 抚州 上饶 济南 青岛 淄博 枣庄 东营 烟台 潍坊
    济宁 泰安 威海 日照 临沂 德州 聊城 滨州 菏泽 郑州 开封 洛阳 平顶山 安阳 鹤壁 新乡 焦作 濮阳 许昌
    漯河 三门峡 南阳 商丘 信阳 周口 驻马店 济源 武汉 黄石 十堰 宜昌 襄阳 鄂州 荆门 孝感 荆州 黄冈
    咸宁 随州 恩施 仙桃 潜江 天门 长沙 株洲 湘潭 衡阳 邵阳 岳阳 常德 张家界 益阳 郴州 永州 怀化 娄底
    湘西 广州 韶关 深圳 珠海 汕头 佛山 江门 湛江 茂名 肇庆 惠州 梅州 汕尾 河源 阳江 清远 东莞 中山
    潮州 揭阳 云浮 南宁 柳州 桂林 梧州 北海 防城港 钦州 贵港 玉林 百色 贺州 河池 来宾 崇左 海口 三亚
    儋州 成都 自贡 攀枝花 泸州 德阳 绵阳 广元 遂宁 内江 乐山 南充 眉山 宜宾 广安 达州 雅安 巴中 资阳
    阿坝 甘孜 凉山 贵阳 六盘水 遵义 安顺 毕节 铜仁 黔东南 黔南 黔西南 昆明 曲靖 玉溪 保山 昭通 丽江
    普洱 临沧 楚雄 红河 文山 西双版纳 大理 德宏 拉萨 日喀则 昌都 林芝 山南 那曲 西安 铜川 宝鸡 咸阳
    渭南 延安 汉中 榆林 安康 商洛 兰州 嘉峪关 金昌 白银 天水 武威 张掖 平凉 酒泉 庆阳 定西 陇南
    临夏 西宁 海东 银川 石嘴山 吴忠 固原 中卫 乌鲁木齐 克拉玛依 吐鲁番 哈密 昌吉 阿克苏 喀什 和田
    伊犁 塔城 阿勒泰 石河子 库尔勒 伊宁 奎屯 香港 澳门
    """,
    )
)
_PROVINCES = frozenset(
    re.findall(
        r"\w+",
        "河北 山西 辽宁 黑龙江 江苏 浙江 安徽 福建 江西 山东 河南 湖北 湖南 广东 海南 四川"
        " 贵州 云南 陕西 甘肃 青海 台湾 内蒙古 广西 西藏 宁夏 新疆",
    )
)
_CITY_NAMES = "|".join(sorted(_CITIES, key=len, reverse=True))
_PROVINCE_NAMES = "|".join(sorted(_PROVINCES, key=len, reverse=True))
_KNOWN_CITY = re.compile(_CITY_NAMES)
# A place by its suffix; 小区, 开发区, 超市, 城市 are not places one works "in" as a city.
_PLACE = re.compile(rf"[{_HAN}]{{1,18}}(?:市|区|县|州|盟|旗|镇|乡)")
_NOT_PLACE = re.compile(
    r"(?:超市|城市|菜市|夜市|门市|股市|楼市|小区|园区|厂区|社区|景区|校区|营区|工业区|开发区|保税区)$|市场"
)
_CITY_AFFIXES = re.compile(
    r"^(?:我|我们|俺)?(?:现在|目前|一直)?(?:在|是在|是)?|(?:上班|工作|干活|打工|这边|那边|这里|那里|的)+$"
)
CITY_MAX_CHARS = 20


def _check_city(raw: str) -> Valid[str] | Invalid:
    text = _CITY_AFFIXES.sub("", re.sub(r"\s+", "", clean_answer(raw)))
    if not text or _unknown(raw):
        return Invalid("请告诉我您在哪个城市干活，写城市名就行，比如“深圳”“乌鲁木齐”。")
    located = answers.validate_location(text)
    if isinstance(located, Valid):
        return Valid(located.value.label)
    if len(text) > CITY_MAX_CHARS or not re.fullmatch(f"[{_HAN}]+", text):
        return Invalid("请只写城市名，比如“深圳”“乌鲁木齐市”“昆山市”。")
    if _KNOWN_CITY.search(text) or (_PLACE.fullmatch(text) and not _NOT_PLACE.search(text)):
        return Valid(text)
    province = re.fullmatch(rf"(?:{_PROVINCE_NAMES})(?:省|自治区)?", text)
    if province:
        return Invalid(f"请说一下是{province.group(0)}的哪个城市，比如“{_example_in(text)}”。")
    return Invalid("没认出这个地方。请写城市名，比如“深圳”“乌鲁木齐”“昆山市”。")


def _example_in(province: str) -> str:
    return {"广东": "东莞", "江苏": "苏州", "浙江": "宁波", "新疆": "乌鲁木齐"}.get(
        province[:2], "省会城市"
    )


# 在深圳打工, 到东莞干活, 深圳宝安区的工地: a city named as where the work is. 老家在… is home.
_CITY_IN_TEXT = re.compile(
    rf"(?<!老家)(?<!家)(?<!户口)(?:在|到|于)(?:(?:{_PROVINCE_NAMES})省?)?(?P<a>{_CITY_NAMES})(?!治)|"
    rf"(?P<b>{_CITY_NAMES})(?:市|[{_HAN}]{{1,3}}[区县]|这边|那边|本地|当地)"
)


def _city_in(text: str) -> str | None:
    found = {m.group("a") or m.group("b") for m in _CITY_IN_TEXT.finditer(clean_answer(text))}
    return found.pop() if len(found) == 1 else None


# ── 涉及人数 ──────────────────────────────────────────────────────────────────────────────────

MAX_WORKERS = 100_000
_MANY = re.compile(r"很多|好多|不少|一大帮|一大群|一堆|挺多|蛮多|许多|多人")


def _workers_value(count: Count) -> str:
    """An exact count is kept as the number (5); a rough one as 约20人, or as said (几十人)."""
    if count.words:
        return f"{count.words}人"
    return f"约{count.value}人" if count.approximate else str(count.value)


def _check_workers(raw: str) -> Valid[str] | Invalid:
    if _unknown(raw):
        return Valid(UNKNOWN)
    found = head_count(raw, answer=True)
    if found is None:
        if _MANY.search(folded_answer(raw)):
            return Invalid("说个大概的数就行，比如“二十多个”“五十人左右”。")
        return Invalid("请告诉我大概有几个人，比如“就我一个”“5个”“二十多个”。")
    if not 1 <= found.value <= MAX_WORKERS:
        return Invalid("这个人数好像不太对，请再说一下一共涉及几个人。")
    return Valid(_workers_value(found))


# ── 涉及金额 ──────────────────────────────────────────────────────────────────────────────────

MAX_AMOUNT = Decimal(1_000_000_000)
_NO_MONEY = re.compile(
    r"(?:没有|没|无|不|不是|不涉及)(?:涉及|欠|欠钱|欠我钱|关系)?(?:钱|金额)?(?:的事)?|"
    r"没欠(?:钱|工资)?|0元?|零"
)
_RATE = re.compile(r"每(?![个一]?人|位|名)|月薪|日薪|时薪|底薪|一个?月|一天|/(?:月|天)")


def _amount_value(amount: Amount) -> str:
    """32000元, 约8000元 when the worker said 多 or 左右, or as said (十几万元); 每人… when
    it is what each worker is owed."""
    said = amount.words or f"{'约' if amount.approximate else ''}{amount.value:f}"
    return f"{'每人' if amount.per_person else ''}{said}元"


def _check_amount(raw: str) -> Valid[str] | Invalid:
    folded = folded_answer(raw)
    if _NO_MONEY.fullmatch(folded):
        return Valid(NOT_INVOLVED)
    if _unknown(raw):
        return Valid(UNKNOWN)
    if re.fullmatch(r"1[3-9]\d{9}", re.sub(r"\D", "", folded)):
        return Invalid("这像是手机号。请写被拖欠或要赔偿的钱数，比如“8000元”“三万二”。")
    found = amount_owed(raw, answer=True)
    if found is None and _RATE.search(folded):
        return Invalid("这像是每月或每天的工资。请写一共被拖欠或要赔偿多少钱，比如“15000元”。")
    if found is None:
        return Invalid("请写一个钱数，比如“8000元”“三万二”；不涉及钱就回复「不涉及」。")
    if found.value > MAX_AMOUNT:
        return Invalid("这个金额好像太大了，请再核对一下，单位是元。")
    return Valid(_amount_value(found))


# ── 联系电话 ──────────────────────────────────────────────────────────────────────────────────

_NO_PHONE = re.compile(
    r"跳过|不方便|不想留|不留|不给|不用了?|算了|没有手机|没手机|未提供|不要|保密|不想|先不|下次|"
    r"^(?:没有|无|不)$"
)


def _check_phone(raw: str) -> Valid[str] | Invalid:
    if not re.search(r"\d", raw) and _NO_PHONE.search(folded_answer(raw)):
        return Valid(NOT_GIVEN)
    checked = validate_phone(raw)
    if isinstance(checked, Valid):
        return Valid(checked.value)
    return Invalid(f"{checked.message}。不方便留的话，回复「跳过」就行。")


# ── 同意转给律师 ──────────────────────────────────────────────────────────────────────────────

CONSENT_QUESTION = "同意把以上情况转给工会律师吗？"
CONSENT_NEEDED = (
    "需要您同意后，我们才能把情况转给工会律师。请点「同意」或「不同意」，也可以说“取消”。"
)
DECLINED = (
    "好的，没有您的同意，我们不会把情况转给律师，刚才说的内容也不会保存。"
    "需要帮助时，可以拨打职工服务热线 12351，或者随时再说“转人工”。"
)


def _check_consent(raw: str) -> Valid[str] | Invalid:
    answer = read_consent(folded_answer(raw), also_yes="转")
    if answer is not None:
        return Valid(str(answer))
    return Invalid(CONSENT_NEEDED)


# ── What is not asked again ──────────────────────────────────────────────────────────────────

STALE_BUTTON = "这个按钮是前面问题的，请直接用文字回答下面的问题。"


def _typed(check: Callable[[str], Valid[str] | Invalid]) -> Callable[[str], Valid[str] | Invalid]:
    """The check of an answer that must be typed: a button of an earlier message is none."""

    def checked(raw: str) -> Valid[str] | Invalid:
        return Invalid(STALE_BUTTON) if raw.startswith("/") else check(raw)

    return checked


# Zero threshold: an optional answer that fails twice is kept in the worker's own words (or the
# phone left out) and the intake goes on — the lawyer asks; only consent can end it unfinished.
KEPT_AFTER_FAILURES = 2
KEPT_AS_SAID = "没关系，我先按您的原话记下，律师会再跟您确认。"
PHONE_LEFT_OUT = "没关系，电话先不留了，律师接手后可以在这里直接和您联系。"
AS_SAID_MAX_CHARS = 200


def keep_as_said(slot: str, raw: str, failures: int) -> Kept | None:
    """After KEPT_AFTER_FAILURES failed answers in a row: what to keep instead of asking again."""
    if failures < KEPT_AFTER_FAILURES or slot == CONSENT_SLOT or slot not in FIELD_BY_SLOT:
        return None
    if slot == "h_phone":  # a wrong number is worse than none: the relay reaches the worker
        return Kept(NOT_GIVEN, PHONE_LEFT_OUT)
    words = raw.strip()[:AS_SAID_MAX_CHARS]
    if not words or words.startswith("/"):
        return None
    return Kept(f"（原话）{words}", KEPT_AS_SAID)


# ── The fields ───────────────────────────────────────────────────────────────────────────────


def _people(value: str) -> str:
    return f"{value}人" if value.isdigit() else value


CONSENT_SLOT = "h_consent"
GIVE_UP = (
    "这一项好像一直没能填好，别着急，我先不问了，刚才说的情况没有保存。"
    "您可以直接拨打职工服务热线 12351，或者过一会儿再说“转人工”。"
)
SUMMARY_FOOTER = "要修改请直接说，比如“改手机号”。"

SPEC = FormSpec(
    fields=(
        Field(
            "h_story",
            "情况经过",
            _typed(_check_story),
            "经过|情况|事情|描述|怎么回事",
            "请用几句话说说发生了什么：在哪里干活、出了什么事、现在怎么样了。",
            free_text=True,
        ),
        Field(
            "h_employer",
            "用人单位",
            _typed(_check_employer),
            "单位|公司|老板|平台|厂|雇主|包工头",
            "您是给哪个单位或老板干活的？写公司名、平台名，或者老板、包工头的名字都可以；"
            "不清楚就回复「不清楚」。",
            free_text=True,
        ),
        Field(
            "h_city",
            "所在城市",
            _typed(_check_city),
            "城市|地点|地址|地方|在哪|哪个市|所在地",
            "您在哪个城市干活？写城市名就行，比如“深圳”“乌鲁木齐”。",
        ),
        Field(
            "h_workers",
            "涉及人数",
            _typed(_check_workers),
            "人数|几个人|多少人|多少个人",
            "这件事一共涉及几个人？只有您自己就回复“就我一个”；人多说个大概也行，比如“二十多个”。",
            _people,
        ),
        Field(
            "h_amount",
            "涉及金额",
            _typed(_check_amount),
            "金额|钱|工资|欠款|数额",
            "被拖欠或需要赔偿的钱大概有多少？不涉及钱就回复「不涉及」。",
        ),
        Field(
            "h_phone",
            "联系电话",
            _typed(_check_phone),
            "手机|电话|号码|联系方式",
            "方便留个手机号吗？律师可能需要电话联系您。不方便就回复「跳过」。",
        ),
        Field(CONSENT_SLOT, "同意转给律师", _check_consent, question=CONSENT_QUESTION),
    ),
    consent_slot=CONSENT_SLOT,
    consent_needed=CONSENT_NEEDED,
    give_up=GIVE_UP,
    # Shown to the worker only, so nothing masked; consent is asked with the summary, last.
    summary_heading="转给律师之前，请核对一下：",
    summary_footer=f"{CONSENT_QUESTION}{SUMMARY_FOOTER}",
    # Most specific first: "改手机号" names the phone, not the amount (号 is in neither, 钱 is).
    change_order=("h_phone", "h_amount", "h_workers", "h_city", "h_employer", "h_story"),
    change_needs=re.compile(r"改|更正|写错|填错|说错|不对|错了|换|补充"),
    keep_as_said=keep_as_said,
    # A worker's story reads like a legal question and asks for a lawyer: both are answers here.
    interrupting=frozenset({"cancel", "help", "change_field"}),
)
FIELDS = SPEC.fields
FIELD_BY_SLOT = SPEC.by_slot
SLOTS = SPEC.slots
CONSENT = FIELD_BY_SLOT[CONSENT_SLOT]
# What the summary lists and the ticket keeps.
ANSWERS = SPEC.answers


def prefill(texts: list[str], filled: Mapping[str, object]) -> dict[str, str]:
    """Answers already given for questions not asked yet; never overwrites a filled slot.

    texts: what the worker wrote, oldest first, up to the message that raised the handoff.
    The story is the latest text that describes a hard case (the message that raised it), else
    the latest one that says what happened (老板跑了…, then 转人工). The other answers come from
    any text, the latest first (a correction wins).
    """
    latest_first = list(reversed(texts))
    hard_first = sorted(latest_first, key=lambda text: not triage.detect_reasons(text))
    stories = (("h_story", text) for text in hard_first)  # sorted() is stable: latest first
    return SPEC.prefill(itertools.chain(stories, *map(_said_in, latest_first)), filled)


def _said_in(text: str) -> Iterator[tuple[str, object]]:
    """The answers one message gives (slot, raw), looked for lazily: the first that fits wins."""
    ahead = answers.extract_ahead(text)
    yield "h_phone", ahead.get("phone")
    yield "h_employer", ahead.get("employer_or_platform") or _employer_in(text)
    yield "h_city", ahead.get("location") or _city_in(text)
    workers = head_count(text)
    if workers is not None:
        yield "h_workers", _workers_value(workers)
    amount = amount_owed(text)
    if amount is not None:
        yield "h_amount", _amount_value(amount)


def prefill_from_previous(intake: Mapping[str, object]) -> dict[str, str]:
    """A case in progress: its earlier intake (intake_record's labels) back into slots.

    The story is not carried over (the worker is adding something new), nor consent (it is
    given for what is sent now).
    """
    offers = ((f.slot, intake.get(f.label)) for f in ANSWERS if f.slot != "h_story")
    return SPEC.prefill(offers, {})


def intake_record(values: Mapping[str, object]) -> dict[str, str]:
    """What is stored with the ticket: label → answer, as the lawyer reads it (phone in full:
    the lawyer is who it was given for)."""
    return {
        field.label: field.shown(str(values[field.slot]))
        for field in ANSWERS
        if values.get(field.slot) not in (None, "")
    }


NOT_SAVED_YET = (
    "抱歉，系统刚才出了点问题，您的情况还没能转给律师，内容我都还记着。"
    "请过一两分钟再点「同意」试一次；急事请拨打职工服务热线 12351。"
)
CANCELLED = "好的，已取消。刚才说的情况没有保存，也没有转给律师。需要时随时说“转人工”。"
