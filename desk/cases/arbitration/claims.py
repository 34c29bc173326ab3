"""The claims a lawyer would consider for a 劳动仲裁申请书, from the facts of a case.

Each claim's amount comes from desk.legal.calculators (the same code that answers workers in the
chat) and carries that calculation's articles; each gets its time-limit check. A claim that looks
time-barred is left out of the draft unless the lawyer keeps it; one the lawyer drops is left
out too. Notes for the lawyer (what else might be claimed, what to check) cite their articles
as well: every citation here must resolve in knowledge/statutes (a test checks).
"""

from __future__ import annotations

import dataclasses
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import date, timedelta
from decimal import Decimal

from desk.cases.arbitration import limitation
from desk.cases.arbitration.commissions import CommissionDirectory, Jurisdiction, choose
from desk.cases.arbitration.facts import CLAIM_WORDS, STILL_EMPLOYED
from desk.common.numerals import chinese_date
from desk.legal import calculators
from desk.legal.calculators import Calculation, yuan
from desk.legal.statutes import Citation

# Why the contract's end gives 经济补偿: the article behind each way it ended.
_SEVERANCE_GROUNDS: Mapping[str, tuple[Citation, ...]] = {
    "forced": (Citation("劳动合同法", article=38), Citation("劳动合同法", article=46)),
    "agreed": (Citation("劳动合同法", article=46),),
    "expired": (Citation("劳动合同法", article=44), Citation("劳动合同法", article=46)),
}
PAYMENT_ORDER_BASIS = (
    Citation("劳动合同法", article=30),
    Citation("劳动争议调解仲裁法", article=16),
)
_REINSTATEMENT = Citation("劳动合同法", article=48)
_INSURANCE_ARREARS = (Citation("社会保险法", article=63), Citation("社会保险法", article=86))
_BURDEN_OF_PROOF = Citation("劳动争议调解仲裁法", article=6)
# A wage IOU goes to court as an ordinary civil debt, without arbitration first.
_IOU_LAWSUIT = Citation("最高人民法院关于审理劳动争议案件适用法律问题的解释（一）", article=15)


@dataclass(frozen=True)
class CaseFacts:
    """The facts of a case as the claims need them, typed (facts.Known holds them as text)."""

    employer: str
    place: str
    start: date
    wage: Decimal
    end: date | None  # None while the worker is still employed
    reason: str | None  # a key of facts.END_REASONS
    contract_signed: bool
    contract_signed_on: date | None  # signed late: the day
    insurance: str  # yes | no | partial
    filed: date
    unpaid: Decimal | None = None
    unpaid_months: Decimal | None = None
    unpaid_period: str | None = None
    overtime: str | None = None
    unused_leave: int | None = None
    ordered: bool = False
    extra_percent: int | None = None
    iou: bool = False
    mediation: bool = False
    demanded: date | None = None
    keep: frozenset[str] = frozenset()
    drop: frozenset[str] = frozenset()
    employer_place: str | None = None
    average_wage: Decimal | None = None
    extra: Mapping[str, str] = dataclasses.field(default_factory=dict)  # the rest, as text

    @property
    def employed(self) -> bool:
        return self.end is None

    @property
    def day_after_end(self) -> date | None:
        return None if self.end is None else self.end + timedelta(days=1)

    @classmethod
    def from_known(cls, facts: Mapping[str, str], today: date) -> CaseFacts:
        """facts: complete (facts.missing found nothing), each in its normal written form."""

        def day(key: str) -> date | None:
            return date.fromisoformat(facts[key]) if facts.get(key) else None

        def money(key: str) -> Decimal | None:
            return Decimal(facts[key]) if facts.get(key) else None

        def keys(key: str) -> frozenset[str]:
            return frozenset(filter(None, facts.get(key, "").split(",")))

        contract = facts["contract"]
        signed_on = None if contract in ("yes", "no") else date.fromisoformat(contract)
        employed = facts["end"] == STILL_EMPLOYED
        return cls(
            employer=facts["employer"],
            place=facts["place"],
            start=date.fromisoformat(facts["start"]),
            wage=Decimal(facts["wage"]),
            end=None if employed else date.fromisoformat(facts["end"]),
            reason=None if employed else facts.get("reason"),
            contract_signed=contract != "no",
            contract_signed_on=signed_on,
            insurance=facts["insurance"],
            filed=day("filed") or today,
            unpaid=money("unpaid"),
            unpaid_months=money("unpaid_months"),
            unpaid_period=facts.get("unpaid_period"),
            overtime=facts.get("overtime"),
            unused_leave=int(facts["unused_leave"]) if facts.get("unused_leave") else None,
            ordered=facts.get("ordered") == "yes",
            extra_percent=int(facts["extra_percent"]) if facts.get("extra_percent") else None,
            iou=facts.get("iou") == "yes",
            mediation=facts.get("mediation") == "yes",
            demanded=day("demanded"),
            keep=keys("keep"),
            drop=keys("drop"),
            employer_place=facts.get("employer_place"),
            average_wage=money("average_wage"),
            extra=dict(facts),
        )


@dataclass(frozen=True)
class Claim:
    key: str  # a key of facts.CLAIM_WORDS
    title: str  # 拖欠工资, for the lawyer's list
    request: str  # the 仲裁请求 sentence
    reason: str  # its sentence in 事实与理由
    calculation: Calculation
    time_limit: limitation.TimeLimit
    included: bool  # in the draft

    @property
    def amount(self) -> Decimal:
        return self.calculation.amount

    @property
    def basis(self) -> tuple[Citation, ...]:
        return self.calculation.basis


@dataclass(frozen=True)
class Note:
    """Something for the lawyer to weigh; never in the document."""

    text: str
    basis: tuple[Citation, ...] = ()


@dataclass(frozen=True)
class Assessment:
    case: CaseFacts
    claims: tuple[Claim, ...]
    notes: tuple[Note, ...]
    jurisdiction: Jurisdiction
    payment_order: Claim | None  # the wages, when an IOU or a mediation agreement backs them

    @property
    def included(self) -> tuple[Claim, ...]:
        return tuple(claim for claim in self.claims if claim.included)

    @property
    def total(self) -> Decimal:
        return sum((claim.amount for claim in self.included), Decimal(0))

    def citations(self) -> tuple[Citation, ...]:
        """Every article the assessment rests on or mentions."""
        cited = [citation for claim in self.claims for citation in claim.basis]
        cited += [citation for note in self.notes for citation in note.basis]
        cited += [limitation.LIMITATION_BASIS, *PAYMENT_ORDER_BASIS, _BURDEN_OF_PROOF]
        return tuple(dict.fromkeys(cited))


def assess(case: CaseFacts, directory: CommissionDirectory) -> Assessment:
    claims: list[Claim] = []
    notes: list[Note] = []
    wages = _unpaid_wages(case)
    if wages is not None:
        claims.append(wages)
        claims += _arrears_compensation(case, wages, notes)
    claims += _end_of_job(case, notes)
    claims += _double_pay(case)
    claims += _overtime(case)
    claims += _unused_leave(case)
    claims = [_decide(case, claim) for claim in claims]
    notes += _time_notes(claims, case)
    if case.insurance in ("no", "partial"):
        notes.append(
            Note(
                "单位未缴或少缴社会保险：补缴向社会保险费征收机构投诉，一般不作为仲裁请求；"
                "这也是劳动者被迫解除劳动合同的理由",
                (*_INSURANCE_ARREARS, Citation("劳动合同法", article=38)),
            )
        )
    jurisdiction = choose(directory, case.place, case.employer_place)
    commission = jurisdiction.commission
    if commission is not None and commission.district is None:
        notes.append(
            Note("只找到了市里的仲裁委员会；补充履行地的区县（如 履行地 上海市嘉定区）可找到区里的")
        )
    payment_order = None
    if wages is not None and (case.iou or case.mediation):
        payment_order = wages
        held = "欠条" if case.iou else "工资的调解协议"
        notes.append(
            Note(
                f"工友持有{held}：另附支付令申请书，可以不经仲裁直接向法院申请支付令"
                + ("；凭工资欠条也可以直接起诉，按普通民事纠纷受理" if case.iou else ""),
                PAYMENT_ORDER_BASIS + ((_IOU_LAWSUIT,) if case.iou else ()),
            )
        )
    return Assessment(case, tuple(claims), tuple(notes), jurisdiction, payment_order)


def _pay_limit(case: CaseFacts) -> limitation.TimeLimit:
    if case.end is None:
        return limitation.pay_during_job()
    return limitation.one_year(case.end, "离职", case.filed, case.demanded)


def _claim(
    key: str, title: str, request: str, reason: str, calc: Calculation, limit: limitation.TimeLimit
) -> Claim:
    return Claim(key, title, request, reason, calc, limit, included=True)


def _unpaid_wages(case: CaseFacts) -> Claim | None:
    if case.unpaid is None and case.unpaid_months is None:
        return None
    calc = calculators.unpaid_wages(case.wage, case.unpaid_months, case.unpaid)
    period = case.unpaid_period or ""
    return _claim(
        "wages",
        "拖欠工资",
        f"裁决被申请人支付申请人{period}拖欠的工资{yuan(calc.amount)}",
        f"被申请人拖欠申请人{period}工资共计{yuan(calc.amount)}，至今未予支付",
        calc,
        _pay_limit(case),
    )


def _arrears_compensation(case: CaseFacts, wages: Claim, notes: list[Note]) -> list[Claim]:
    if not case.ordered:
        notes.append(
            Note(
                "第八十五条的加付赔偿金要先由劳动行政部门责令限期支付、单位逾期仍不支付；"
                "有的话补充：责令 有（可加 加付 100%）",
                calculators.ARREARS_COMPENSATION_BASIS,
            )
        )
        return []
    percent = case.extra_percent or calculators.ARREARS_COMPENSATION_PERCENT[0]
    calc = calculators.arrears_compensation(wages.amount, percent)
    return [
        _claim(
            "arrears_compensation",
            "加付赔偿金",
            f"裁决被申请人按拖欠工资的{percent}%加付赔偿金{yuan(calc.amount)}",
            "劳动行政部门已责令被申请人限期支付，被申请人逾期仍未支付",
            calc,
            wages.time_limit,
        )
    ]


def _end_of_job(case: CaseFacts, notes: list[Note]) -> list[Claim]:
    if case.end is None or case.reason is None:
        return []
    assert case.day_after_end is not None
    months = calculators.full_months(case.start, case.day_after_end)
    limit = limitation.one_year(case.end, "离职", case.filed, case.demanded)
    if case.reason == "unlawful":
        notes.append(
            Note("工友也可以要求继续履行劳动合同，不要赔偿金；两者只能选一", (_REINSTATEMENT,))
        )
        calc = calculators.unlawful_termination_damages(months, case.wage, case.average_wage)
        return [
            _claim(
                "damages",
                "违法解除劳动合同赔偿金（2N）",
                f"裁决被申请人支付申请人违法解除劳动合同赔偿金{yuan(calc.amount)}",
                f"被申请人于{chinese_date(case.end)}解除与申请人的劳动合同，没有法定理由，属于违法解除",
                calc,
                limit,
            )
        ]
    grounds = _SEVERANCE_GROUNDS.get(case.reason)
    if grounds is None:  # resigned of their own accord
        notes.append(Note("工友主动辞职，没有经济补偿", (Citation("劳动合同法", article=46),)))
        return []
    if (
        case.reason == "forced"
        and not (case.unpaid or case.unpaid_months)
        and case.insurance == "yes"
    ):
        notes.append(
            Note(
                "被迫解除要有单位的过错（如未及时足额支付劳动报酬、未依法缴纳社会保险费），请核实",
                (Citation("劳动合同法", article=38),),
            )
        )
    if case.reason == "expired":
        notes.append(
            Note(
                "合同期满时单位维持或者提高条件续订而工友不同意的，没有经济补偿",
                (Citation("劳动合同法", article=46),),
            )
        )
    calc = calculators.severance(months, case.wage, case.average_wage)
    calc = dataclasses.replace(calc, basis=(*grounds, *calc.basis))
    how = {
        "forced": (
            f"申请人因被申请人{_fault(case)}，于{chinese_date(case.end)}通知被申请人解除劳动合同"
        ),
        "agreed": f"被申请人提出解除劳动合同，双方于{chinese_date(case.end)}协商一致解除",
        "expired": f"双方劳动合同于{chinese_date(case.end)}期满，被申请人不再续订",
    }[case.reason]
    word = "终止" if case.reason == "expired" else "解除"
    return [
        _claim(
            "severance",
            "经济补偿（N）",
            f"裁决被申请人支付申请人{word}劳动合同经济补偿{yuan(calc.amount)}",
            how,
            calc,
            limit,
        )
    ]


def _fault(case: CaseFacts) -> str:
    faults = []
    if case.unpaid or case.unpaid_months:
        faults.append("未及时足额支付劳动报酬")
    if case.insurance in ("no", "partial"):
        faults.append("未依法缴纳社会保险费")
    return "、".join(faults) or "的过错"


def _double_pay(case: CaseFacts) -> list[Claim]:
    if case.contract_signed and case.contract_signed_on is None:
        return []  # signed in time
    first_month_ends = calculators.add_months(case.start, 1)
    ends = [day for day in (case.contract_signed_on, case.day_after_end) if day is not None]
    until = min(ends) if ends else case.filed
    if until <= first_month_ends:
        return []  # signed, or left, within the first month
    calc = calculators.double_pay_without_contract(case.wage, case.start, until)
    period_end = min(until, calculators.add_months(case.start, 12))
    last_day = period_end - timedelta(days=1)
    limit = limitation.one_year(last_day, "未签书面合同期间的最后一天", case.filed, case.demanded)
    signed = (
        f"直到{chinese_date(case.contract_signed_on)}才补签"
        if case.contract_signed_on
        else "始终未签订"
    )
    return [
        _claim(
            "double_pay",
            "未签书面劳动合同的二倍工资",
            f"裁决被申请人支付申请人{chinese_date(first_month_ends)}至{chinese_date(last_day)}"
            f"未签订书面劳动合同的二倍工资差额{yuan(calc.amount)}",
            f"申请人入职后，被申请人未在一个月内与申请人订立书面劳动合同，{signed}",
            calc,
            limit,
        )
    ]


def _overtime(case: CaseFacts) -> list[Claim]:
    if not case.overtime:
        return []
    hours = calculators.parse_overtime(case.overtime)
    calc = calculators.overtime_pay(case.wage, hours.hours, hours.notes, hours.basis)
    return [
        _claim(
            "overtime",
            "加班费",
            f"裁决被申请人支付申请人加班费{yuan(calc.amount)}",
            f"申请人在职期间按被申请人安排加班（{case.overtime}），被申请人未支付加班费",
            calc,
            _pay_limit(case),
        )
    ]


def _unused_leave(case: CaseFacts) -> list[Claim]:
    if not case.unused_leave:
        return []
    calc = calculators.unused_leave_pay(case.wage, case.unused_leave)
    return [
        _claim(
            "unused_leave",
            "未休年休假工资",
            f"裁决被申请人支付申请人未休年休假工资{yuan(calc.amount)}",
            f"申请人有{case.unused_leave}天应休年休假未休，被申请人未支付相应工资报酬",
            calc,
            _pay_limit(case),
        )
    ]


def _decide(case: CaseFacts, claim: Claim) -> Claim:
    """Time-barred claims stay out unless kept; dropped ones stay out."""
    if claim.key in case.drop:
        return dataclasses.replace(claim, included=False)
    if claim.time_limit.barred and claim.key not in case.keep:
        return dataclasses.replace(claim, included=False)
    return claim


def _time_notes(claims: list[Claim], case: CaseFacts) -> list[Note]:
    notes = []
    for claim in claims:
        if not claim.time_limit.barred:
            continue
        if claim.included:
            then = "按律师要求仍列入草稿"
        else:
            later = "有更晚的" if case.demanded else "工友曾"
            then = (
                f"草稿未列入。{later}向单位讨要或投诉的，补充 主张 日期；"
                f"仍要列入，补充 保留 {CLAIM_WORDS[claim.key][0]}"
            )
        notes.append(Note(f"{claim.title}：{claim.time_limit.note}。{then}"))
    return notes
