"""The lawyer's two commands for the draft, as lawyer_commands runs them:

/draft 编号 [名称 值 …]   what is missing, or the draft (a new version, sent to the lawyer)
/senddraft 编号            the reviewed version to the worker

The replies name claims, amounts, articles and warnings; never the worker's personal data,
which only the document holds.
"""

from __future__ import annotations

from sqlalchemy.orm import Session

from desk.cases.arbitration import drafts
from desk.cases.arbitration.claims import Assessment
from desk.cases.arbitration.document import cite
from desk.cases.arbitration.facts import (
    FACTS,
    FROM_LAWYER,
    PERSONAL_KEYS,
    Fact,
    Known,
    keys_of,
    shown,
)
from desk.cases.tickets import TicketError, assigned_to
from desk.common.replies import Reply
from desk.legal.calculators import yuan

HELP_WORDS = ("帮助", "help", "?", "？")


def _number_and_rest(session: Session, lawyer_id: int, args: str) -> tuple[str, str]:
    """/draft AJ-2026-000001 …, or /draft … with the only case the lawyer holds."""
    first, *rest = args.split(maxsplit=1) or [""]
    if first.upper().startswith("AJ-"):
        return first.upper(), "".join(rest)
    held = assigned_to(session, lawyer_id)
    if len(held) != 1:
        raise TicketError(
            "请写上案件编号，例如 /draft AJ-2026-000001。发 /mine 可以看到您手上的案件。"
        )
    return held[0].number or "", args


def draft(session: Session, lawyer_id: int, args: str) -> list[Reply]:
    if args.strip() in HELP_WORDS:
        return [Reply(all_facts())]
    number, line = _number_and_rest(session, lawyer_id, args.strip())
    return [Reply(answer(session, lawyer_id, number, line))]


def answer(session: Session, lawyer_id: int, number: str, line: str) -> str:
    """What /draft (and the console's 生成草稿) says: the values not used, then what is
    missing, or the claims of the version just rendered."""
    prepared = drafts.prepare(session, number, lawyer_id, line, drafts.today_in_china())
    problems = [f"· {problem}" for problem in prepared.problems]
    heading = ["这几项没能用上，请改了再发：", *problems, ""] if problems else []
    if prepared.missing:
        return "\n".join([*heading, missing_text(number, prepared.known, prepared.missing)])
    assert prepared.assessment is not None
    if prepared.draft is None:
        return "\n".join([*heading, nothing_to_claim(prepared.assessment)])
    summary = claims_text(number, prepared.draft.version or 0, prepared.assessment)
    return "\n".join([*heading, summary])


def send_draft(session: Session, lawyer_id: int, args: str) -> list[Reply]:
    number, _ = _number_and_rest(session, lawyer_id, args.strip())
    sent = drafts.send_to_worker(session, number, lawyer_id)
    return [
        Reply(
            f"第{sent.version}版草稿已发给工友，并告诉了工友这是和律师一起准备的草稿、请核对后签名提交。"
            "工友在这里的回复会转给您。"
        )
    ]


def _fact_line(fact: Fact, hint: str = "") -> str:
    example = f"{fact.words[0]} {fact.example}" if fact.example else fact.words[0]
    return f"· {fact.label}：{example}" + (f"（{hint}）" if hint else "")


def missing_text(number: str, known: Known, missing: tuple[Fact, ...]) -> str:
    lines = [f"{number} 的仲裁申请书还缺这些信息："]
    lines += [_fact_line(fact, known.hints.get(fact.key, "")) for fact in missing]
    if known.facts:
        lines.append("已经知道的：" + "；".join(_known_items(known)))
    example = " ".join(f"{fact.words[0]} {fact.example}" for fact in missing)
    lines += [
        "一次补齐，例如：",
        f"/draft {number} {example}",
        "还可以补充：加班、年休假、责令、欠条、主张、姓名、身份证、住址……（/draft 帮助 看全部）",
    ]
    return "\n".join(lines)


def _known_items(known: Known) -> list[str]:
    items = []
    for fact in FACTS:
        keys = [key for key in keys_of(fact) if key in known.facts]
        if not keys:
            continue
        source = known.sources.get(keys[0], "")
        if fact.key in known.hints and known.sources.get(keys[0]) != FROM_LAWYER:
            source += f"，{known.hints[fact.key]}"
        if fact.key in PERSONAL_KEYS:
            items.append(f"{fact.label.split('（')[0]}已填（{source}）")
        else:
            value = " ".join(shown(key, known.facts[key]) for key in keys)
            items.append(f"{fact.label.split('（')[0]} {value}（{source}）")
    return items


def claims_text(number: str, version: int, assessment: Assessment) -> str:
    if not assessment.included:
        lines = [
            f"{number} 草稿第{version}版已生成：仲裁申请书没有可以列入的请求，"
            "只有支付令申请书，文件马上发给您。"
        ]
    else:
        lines = [
            f"{number} 仲裁申请书草稿第{version}版已生成，文件马上发给您。",
            f"仲裁请求（合计 {yuan(assessment.total)}）：",
        ]
    lines += [
        f"{index}. {claim.title} {yuan(claim.amount)} —— {cite(claim.basis)}"
        for index, claim in enumerate(assessment.included, start=1)
    ]
    left_out = [claim for claim in assessment.claims if not claim.included]
    if left_out:
        lines.append("未列入：" + "；".join(f"{c.title} {yuan(c.amount)}" for c in left_out))
    lines.append(f"受理：{assessment.jurisdiction.reason}")
    if assessment.payment_order is not None:
        commission = assessment.jurisdiction.commission
        court = commission.court if commission else "基层人民法院"
        lines.append(f"另附支付令申请书（向{court}申请）。")
    if assessment.notes:
        lines.append("请留意：")
        lines += [f"· {note.text}" for note in assessment.notes]
    lines.append(
        f"看过后发 /senddraft {number}，这一版就发给工友；"
        f"要修改就再发 /draft {number} 加上要改的项。"
    )
    return "\n".join(lines)


def nothing_to_claim(assessment: Assessment) -> str:
    lines = ["按现在的信息，没有可以列入申请书的请求，所以没有生成草稿。"]
    lines += [f"· {note.text}" for note in assessment.notes]
    return "\n".join(lines)


def all_facts() -> str:
    lines = ["/draft 编号 后面按“名称 值”写，一次写几项都行，值里有空格也没关系："]
    lines += [_fact_line(fact) for fact in FACTS]
    lines.append("个人信息只写进文件，不会出现在消息和列表里。")
    return "\n".join(lines)
