"""Hard cases for a union lawyer: which ones, what they are about, and how the bot says so.

The design notes send a case to a human "without the worker asking twice" when a message
describes a collective dispute, a boss who ran off or cannot be reached, an injury, or a legal
clock (or arrears) with a date close. A wrong trigger is costly too: a general question
(工伤怎么认定, 仲裁时效是多久) deserves its FAQ answer, not a place in the lawyers' queue. So each
detector wants the worker to *describe* the thing, not just name it:

- injury: someone got hurt (我摔伤了, 工友从架子上掉下来, 手指被机器压断) — not a rule
  question without a person or a finished event (摔伤算工伤吗, 出差受伤算不算);
- absconding: the boss, contractor or company fled (老板跑了) — not anybody (肇事司机跑了);
- collective: many workers in a dispute (我们工地都没发工资, 我们5个人) — not 集体合同;
- deadline: a clock that is close (时效还剩三天, 快满一年了) — not a mention of 时效.

Negation (没受伤, 老板没有跑路) and hypotheticals (万一老板跑路, 怕受伤) do not trigger.
Everything works on the folded text (full-width → half-width, 繁体 → 简体, lower case).
"""

from __future__ import annotations

import re
from collections.abc import Iterable

from desk.common.numerals import CHINESE_NUMERAL_CHARS
from desk.common.quantities import head_count, says_alone
from desk.common.text import fold, mark_clauses

# ── Reasons ─────────────────────────────────────────────────────────────────────────────────
# The four detected ones equal desk.cases.tickets.URGENT_REASONS (a test holds them together); they
# are spelled out here so this module stays free of the database layer.
EXPLICIT = "explicit"  # the worker asked for a human
COLLECTIVE = "collective"
ABSCONDING = "absconding_boss"
INJURY = "injury"
DEADLINE = "deadline"
UNSURE_TWICE = "unsure_twice"  # two answers in a row the bot was not sure of
FORM_FAILED = "form_failed"  # a form step failed repeatedly
DETECTED = (COLLECTIVE, ABSCONDING, INJURY, DEADLINE)  # the order detect_reasons reports

# desk.cases.tickets.KNOWN_TAGS, in its order; "其他" only when nothing else applies.
OTHER_TAG = "其他"

# A few misspellings workers make in the words the detectors key on (拼音 input slips).
# 啦 is 了 said with feeling (老板跑啦).
_TYPOS = {
    "老版": "老板",
    "老扳": "老板",
    "包工投": "包工头",
    "跑陆": "跑路",
    "和同": "合同",
    "啦": "了",
}
_TYPO = re.compile("|".join(map(re.escape, _TYPOS)))


def _prepare(text: str) -> str:
    """Folded, typos fixed, every clause break made a "，" so patterns can stop at it."""
    return mark_clauses(_TYPO.sub(lambda match: _TYPOS[match.group(0)], fold(text)))


def _clause_bounds(text: str, start: int, end: int) -> tuple[int, int]:
    left = text.rfind("，", 0, start) + 1
    right = text.find("，", end)
    return left, len(text) if right < 0 else right


# Immediately before the verb: 没受伤, 也没被车撞, 老板并没有跑路, 不会跑路.
_NEGATED_BEFORE = re.compile(
    r"(?:没有?|未|并未|不曾|不会|不是|别|免得)(?:[还也都就再并真]|怎么|被)?$"
)
# Anywhere earlier in the clause: the thing has not happened (万一老板跑路, 怕受伤, 会不会).
_HYPOTHETICAL = re.compile(
    r"如果|万一|要是|假如|假设|若是|倘若|会不会|怕|担心|以免|防止|避免|预防|以防|难道|是否|"
    r"有没有|可能会|要不要|应该怎么防"
)


def _negated(text: str, start: int, end: int) -> bool:
    left, right = _clause_bounds(text, start, end)
    before = text[left:start]
    return bool(
        _NEGATED_BEFORE.search(before) or _HYPOTHETICAL.search(before) or "的话" in text[end:right]
    )


# ── Injury ──────────────────────────────────────────────────────────────────────────────────

_INJURY_EVENT = re.compile(
    r"受了?(?:重|轻|点)?伤|伤(?:到|着)了|工伤了|"
    r"摔(?:伤|断|坏|残|骨折|倒了|了一?跤|下来|下去)|(?:掉|跌|坠)了?下(?:来|去)|坠落|跌落|骨折|"
    r"(?:压|砸|切|轧|碾|夹|绞|锯|卷|撞|弄)(?:断|伤|残)|"
    r"(?:烫|烧|炸|灼|割|扭|划|刺|咬|电|摔|碰|磕|打|砍)伤|触电|被电(?:到|击|了)|"
    r"被[^，]{0,6}?(?:撞|砸|压|轧|碾|夹|卷|绞|割|划|烫|烧|炸|咬|切|锯|削|刺|扎|打)(?:了|到|倒|中|伤|断|进|飞|掉|坏|破|残|瞎)|"
    r"出了?车祸|出了?(?:工伤)?事故|出了工伤|工伤事故|"
    r"住(?:进了?|了)?院|送(?:到|进)?了?医院|进了?(?:医院|icu|重症)|抢救|截肢|缝了[^，]{0,3}针|"
    r"(?:手指|手指头|手掌|手|手臂|胳膊|腿|脚|脚趾|腰|肋骨|骨头|眼睛|头)[^，]{0,6}?"
    r"(?:断了|没了|瞎了|折了|废了|伤了|破了|流血)|流了?(?:很多|好多|一地)?血|"
    r"中暑|中毒|工亡|身亡|出了人命|死了人|死人了|死了(?:一个|两个|几个)?(?:工友|工人|同事)|"
    r"(?:查出|确诊|得了)(?:了)?(?:尘肺|矽肺|职业病|苯中毒|噪声聋)"
)
_FATAL = re.compile(r"身亡|出人命|死了")
# A stay in hospital for an illness, a birth or a check-up is not an injury.
_ILLNESS = re.compile(r"生病|病了|得了[^，]{0,4}病|看病|感冒|发烧|怀孕|生孩子|生娃|产检|分娩|病假")
_HOSPITAL_EVENT = re.compile(r"^(?:住|送|进|抢救)")
# Hurt outside work: the question is about something else (医疗期, 病假) — unless that is only
# what the employer claims (非说我是在家里弄伤的).
_NOT_AT_WORK = re.compile(
    r"(?<!说)(?<!说是)(?<!说我是)(?:非因工|非工伤|不是工伤|不属于工伤|在家里?[^，]{0,4}(?:摔|伤)|周末在家)"
)
_PERSON = re.compile(
    r"我|俺|咱|本人|工友|同事|师傅|老乡|兄弟|老公|丈夫|爱人|老婆|媳妇|妻子|爸|妈|父亲|母亲|儿子|"
    r"女儿|哥|姐|弟|妹|叔|舅|他|她|有人|有个(?:工友|人|同事|师傅)|一个(?:工人|工友|人)|小工(?!厂)|徒弟|"
    r"朋友|亲戚"
)
_PAST = re.compile(
    r"昨天|前天|今天|今早|刚才|刚刚|上周|上礼拜|上个?星期|上个月|前几天|前些天|前段时间|去年|"
    r"那天|当时|\d+号|几天前|个月前|周前|星期前"
)
_STATE = re.compile(
    r"住院了|在住院|在医院|还在医院|做了?手术|缝了|抢救|昏迷|躺着|养伤|截肢|骨折了|现在|目前|至今"
)
_CONSEQUENCE = re.compile(
    r"不管|不给治|不给看|不给报|不报销|不赔|不认|不承认|别声张|不让说|私了|垫了|自己掏|花了|"
    r"医药费|治疗费|住院费|不让声张|推来推去|踢皮球|没人管|都不管|(?:说|认为)不算"
)
# A question about the rules: answered by the FAQ unless a person or a finished event is there.
_RULE_QUESTION = re.compile(
    r"算(?:不算)?工伤|算不算|能(?:不能)?算|能不能认|能否认|能认定?|可以认定?|认定工伤|工伤认定|"
    r"是不是工伤|属于工伤|属不属于|怎么(?:认定|赔|算|判断|处理|申请)|"
    r"谁(?:来)?(?:赔|负责|管|出|承担|买单)|找谁|管不管|哪些|什么(?:材料|证据|手续)|赔多少|能赔|"
    r"有没有赔偿|归谁|该谁|(?:能|可以)?(?:拿|赔|要|得)多少|预防|防止|避免"
)


def _injury_at(text: str) -> int | None:
    """Someone got hurt: an injury event that is reported, not asked about.

    Reported: it happened (了, 被/把, a past date, in hospital now, the boss refuses to pay) and
    either a person is named or it is no rule question; or a person is its subject and it is no
    rule question (工友从脚手架上掉下来). Left to the FAQ: 上班时被顾客打伤算工伤吗.
    """
    if _NOT_AT_WORK.search(text):
        return None
    rule_question = bool(_RULE_QUESTION.search(text))
    person_anywhere = bool(_PERSON.search(text))
    context = bool(_PAST.search(text) or _STATE.search(text) or _CONSEQUENCE.search(text))
    for match in _INJURY_EVENT.finditer(text):
        start, end = match.span()
        if _negated(text, start, end):
            continue
        if _HOSPITAL_EVENT.match(match.group(0)) and _ILLNESS.search(text):
            continue
        left, right = _clause_bounds(text, start, end)
        if _happened(text, match, left, right) or context:
            if person_anywhere or not rule_question:
                return start
        elif _PERSON.search(text[left:start]) and not rule_question:
            return start
    return None


def _happened(text: str, match: re.Match[str], left: int, right: int) -> bool:
    start, end = match.span()
    # 出了工伤怎么办 is as often "if one gets hurt" as a report; 出了人命 is always a report.
    event = match.group(0).replace("出了", "出")
    after = text[end : min(end + 3, right)]
    finished = "了" in event or bool(_FATAL.match(event)) or ("了" in after and "了解" not in after)
    # 被机器夹了手, 机器把手绞伤了: these constructions report what happened.
    passive = event.startswith("被") or bool(
        re.search("[被把]", text[max(left, start - 6) : start])
    )
    return finished or passive


# ── Absconding boss ─────────────────────────────────────────────────────────────────────────

# Fleeing in itself: no one but a boss 卷款跑路.
_FLED = re.compile(
    r"跑路|卷(?:了)?(?:款|钱)|携款|人去楼空|人间蒸发|玩(?:起了?)?失踪|失联|连夜跑|跑得?没影"
)
# Gone or unreachable: counts when it is the boss (a driver who 跑了 is not our case).
_GONE = re.compile(
    r"(?<![让能去来在再着不别])跑了(?![一二两三四五六七八九十几半好多\d个趟])|溜了|逃了|逃跑了?|失踪了?|不见了|"
    r"找不(?:到|着)(?:了|人|他)|联系不(?:上|到)|(?:电话|手机|微信)[^，]{0,4}?(?:打不通|关机|停机|不接|不回)|"
    r"关机了|拉黑|搬走了|跑回老家"
)
_BOSS = re.compile(
    r"老板|包工头|工头|包头|老总|厂长|站长|负责人|法人|承包人|承包商|班组长|领班|经理|东家|"
    r"项目经理|中介|劳务公司|公司|厂子|店主|雇主|管事的"
)
# Unreachable (not fled) also counts when the message is about unpaid wages: the payer is meant.
_UNREACHABLE = re.compile(r"^(?:找不|联系不|电话|手机|微信|关机|拉黑)")
_WAGES = re.compile(r"欠|拖欠|工资|工钱|薪水|没发|不发|没给|不给|讨薪|结账")
_BOSS_AFTER = re.compile(r"^[^，]{0,2}(?:老板|包工头|工头|老总|厂长|站长|负责人|公司|人)")


def _absconding_at(text: str) -> int | None:
    for match in _FLED.finditer(text):
        if not _negated(text, *match.span()):
            return match.start()
    for match in _GONE.finditer(text):
        start, end = match.span()
        if _negated(text, start, end):
            continue
        # The boss in this clause or the one before it: 老板欠了钱，现在电话打不通.
        left, _ = _clause_bounds(text, start, end)
        previous = text.rfind("，", 0, max(left - 1, 0)) + 1
        boss = _BOSS.search(text[previous:start]) or _BOSS_AFTER.match(text[end:])
        unreachable_payer = _UNREACHABLE.match(match.group(0)) and _WAGES.search(text)
        if boss or unreachable_payer or text[max(left, start - 2) : start].endswith("人"):
            return start
    return None


# ── Collective dispute ──────────────────────────────────────────────────────────────────────

_COLLECTIVE_WORDS = re.compile(
    r"集体(?:讨薪|欠薪|被|维权|上访|停工|罢工|辞退|解雇|裁员|讨要|要|去|中毒|受伤|仲裁|起诉|投诉|堵|"
    r"没|都|离职)|群体|多人|多名(?:工人|工友|员工|职工|骑手|农民工|同事)|"
    r"全(?:厂|公司|工地|车间|班组|队|站)|整个(?:工地|厂|车间|公司|班组|项目|站点|队)|"
    r"(?:我们|俺们|咱们)(?:整个)?(?:工地|厂|车间|班组|公司|项目|站点|队|组|店|村)"
    r"(?:的(?:人|工人|工友|员工|骑手|兄弟|师傅))?(?:都|全|所有人)|"
    r"大家(?:都|全)|所有(?:人|工人|工友|员工|兄弟|骑手|同事)|"
    r"一起(?:讨薪|讨要|维权|被|去要|要工资|去仲裁|申请仲裁|找|告|起诉|投诉)|"
    r"工友们|(?:很|好|许)多(?:人|工友|工人|员工|兄弟|骑手|同事)|一(?:帮|群|伙|批)(?:人|工人|工友|兄弟)"
)
# A dispute, not just many people (我们厂几百人，怎么成立工会 is not a case).
_DISPUTE = re.compile(
    r"欠|拖|没发|不发|没给|不给|没结|不结|没拿到|拿不到|讨|维权|辞退|开除|解雇|裁|停工|罢工|"
    r"关门|倒闭|跑路|跑了|失联|联系不上|伤|中毒|中暑|赔|仲裁|起诉|投诉|上访|堵|扣|降薪|补偿|"
    r"没交|不交|押金|骗"
)
COLLECTIVE_MIN_WORKERS = 3  # "我们5个人" is collective; two workers are still two cases


def _collective_at(text: str) -> int | None:
    if not _DISPUTE.search(text):
        return None
    count = head_count(text)  # the text is folded already: its positions are this text's
    if count is not None and count.value >= COLLECTIVE_MIN_WORKERS:
        return count.at
    if says_alone(text):
        return None  # 不是大家都…，就我一个
    for match in _COLLECTIVE_WORDS.finditer(text):
        if not _negated(text, *match.span()):
            return match.start()
    return None


# ── Deadline ────────────────────────────────────────────────────────────────────────────────

_CLOCK = r"时效|期限|截止|过期|到期|开庭|上诉期|答辩期|举证期|申请期|仲裁期|失效|最后期限"
_COUNT = rf"(?:\d+|[{CHINESE_NUMERAL_CHARS}几]+|最后)"
_NEAR = re.compile(
    rf"(?:还|只|就|仅)(?:剩|有|差)?(?:下)?{_COUNT}(?:个)?(?:天|日|周|星期|礼拜)|"
    rf"再过{_COUNT}(?:个)?(?:天|日|周|星期|礼拜)|"
    r"明天|后天|今天|今晚|下周|下个?(?:星期|礼拜|月)|这周|本周|这个?(?:星期|礼拜|月)|本月|月底|过几天|没几天|"
    r"几天(?:后|内|之内)|最后一天|来不及|赶不上"
)
_NEAR_CLOCK = re.compile(
    rf"(?:{_NEAR.pattern})[^，]{{0,10}}?(?:{_CLOCK})|(?:{_CLOCK})[^，]{{0,10}}?(?:{_NEAR.pattern})"
)
# 快/马上/就要 only with what is about to run out right after them (快递 is not 快).
_ABOUT_TO = re.compile(
    rf"(?:快|马上|就要|即将|眼看|立马)(?:就)?(?:要)?(?:过了?|到|满|超过?|过去)?(?:{_CLOCK}|一年|1年|12个月)"
)
# "one year" is the clock of arbitration (from leaving) and of the 工伤认定 application.
_YEAR_CLOCK = re.compile(r"一年|1年|12个月")
# A contract or probation running out is a term of the job, not a deadline to claim.
_NOT_A_CLOCK = re.compile(r"合同|试用|租|签证|驾照|证件|身份证")
_CLOCK_STARTED = re.compile(
    r"离职|辞职|辞退|开除|解除|不干了|走了|离开|受伤|工伤|出事|仲裁|时效|认定|期限"
)


def _deadline_at(text: str) -> int | None:
    for pattern in (_NEAR_CLOCK, _ABOUT_TO):
        for match in pattern.finditer(text):
            start, end = match.span()
            if _negated(text, start, end) or _NOT_A_CLOCK.search(text[max(0, start - 6) : end]):
                continue
            year_only = _YEAR_CLOCK.search(match.group(0)) and not re.search(_CLOCK, match.group(0))
            if year_only and not _CLOCK_STARTED.search(text):
                continue  # 干了快一年了: a job's length, not a legal clock
            return start
    return None


_DETECTORS = {
    COLLECTIVE: _collective_at,
    ABSCONDING: _absconding_at,
    INJURY: _injury_at,
    DEADLINE: _deadline_at,
}


def _reason_positions(prepared: str) -> dict[str, int]:
    found = {reason: detect(prepared) for reason, detect in _DETECTORS.items()}
    return {reason: at for reason, at in found.items() if at is not None}


def detect_reasons(text: str) -> list[str]:
    """The hard-case reasons a worker's message describes, in DETECTED order."""
    return list(_reason_positions(_prepare(text)))


# ── Tags ────────────────────────────────────────────────────────────────────────────────────

_TAG_WORDS: dict[str, re.Pattern[str]] = {
    "欠薪": re.compile(
        r"欠薪|欠(?!缺)|拖欠|讨薪|讨(?:要)?工资|讨钱|要工资|克扣|扣(?:了)?(?:我)?(?:的)?(?:工资|钱)|"
        r"押(?:了)?工资|压(?:着)?工资|拖着?(?:工资|不给|不发)|(?:工资|工钱|薪水)[^，]{0,4}(?:没|不|未)(?:发|给|结|到)|"
        r"(?:没|不|未)(?:发|给|结)(?:工资|工钱|钱)|没拿到|拿不到(?:工资|钱)|结账"
    ),
    "工伤": re.compile(r"工伤|职业病|工亡|伤残|劳动能力鉴定"),
    "解除": re.compile(
        r"辞退|开除|解雇|解除|炒(?:了)?鱿鱼|裁员|被裁|劝退|不用来了|不要我了|辞职|离职|被离职|"
        r"赶走|经济补偿|赔偿金|n\+1|2n|末位淘汰|退工|自动离职"
    ),
    "社保": re.compile(
        r"社保|社会保险|五险|养老保险|医保|医疗保险|失业保险|公积金|生育保险|工伤保险|失业金|养老金"
    ),
    "集体": re.compile(r"集体(?!合同|协商|谈判)|群体|(?<![好很许])多人"),
    "加班": re.compile(
        r"加班|超时|996|延长工作时间|调休|加点|休息日|双休|单休|工时|倒班|夜班|连轴转|"
        r"(?:每天|一天)(?:要)?干\d+个?小时"
    ),
    "合同": re.compile(r"合同|签约|试用期|派遣|没签|未签|不签|用工协议|劳动协议"),
}
# The reasons that imply a tag wherever the words themselves are missing (我们5个人没拿到钱).
_TAG_OF_REASON = {INJURY: "工伤", COLLECTIVE: "集体", ABSCONDING: "欠薪"}


def detect_tags(texts: Iterable[str]) -> list[str]:
    """Tags of tickets.KNOWN_TAGS the texts are about, in the order they first come up."""
    seen: list[tuple[int, int, str]] = []
    for number, text in enumerate(texts):
        prepared = _prepare(text)
        for tag, pattern in _TAG_WORDS.items():
            match = pattern.search(prepared)
            if match:
                seen.append((number, match.start(), tag))
        for reason, at in _reason_positions(prepared).items():
            if reason in _TAG_OF_REASON:
                seen.append((number, at, _TAG_OF_REASON[reason]))
    tags = list(dict.fromkeys(tag for _, _, tag in sorted(seen)))
    return tags or [OTHER_TAG]


# ── What the bot says ───────────────────────────────────────────────────────────────────────

_URGENT_WORDS = {
    COLLECTIVE: "多名工友",
    ABSCONDING: "老板跑路或失联",
    INJURY: "人员受伤",
    DEADLINE: "维权期限临近",
}
_PASSING_ON = "我这就帮您转给工会律师，先简单问几个问题。"


def _joined(words: list[str]) -> str:
    return words[0] if len(words) == 1 else "、".join(words[:-1]) + "和" + words[-1]


def explain(reasons: Iterable[str]) -> str:
    """One short, kind message: the case goes to a union lawyer, and why.

    Unknown reasons are ignored; with none left it reads like an explicit request.
    """
    given = set(reasons)
    sentences = []
    urgent = [word for reason, word in _URGENT_WORDS.items() if reason in given]
    if urgent:
        sentences.append(f"您说的情况涉及{_joined(urgent)}，需要律师尽快跟进。")
    if UNSURE_TWICE in given:
        sentences.append("我连续两次没能答准您的问题，不想耽误您。")
    if FORM_FAILED in given:
        sentences.append("这一步填写一直没成功，别着急。")
    if not sentences:
        return f"好的，{_PASSING_ON}"
    if EXPLICIT in given:
        sentences[0] = f"好的，{sentences[0]}"
    return "".join(sentences) + _PASSING_ON
