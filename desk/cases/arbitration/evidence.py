"""证据清单: what the worker should bring to prove each fact the draft asserts.

The worker has to prove what they claim (劳动争议调解仲裁法 第六条), but records the employer
keeps (attendance, pay records) it must produce itself: the list says so where it matters.
"""

from __future__ import annotations

from dataclasses import dataclass

from desk.cases.arbitration.claims import Assessment
from desk.legal.calculators import yuan


@dataclass(frozen=True)
class Evidence:
    name: str
    proves: str


def checklist(assessment: Assessment) -> tuple[Evidence, ...]:
    case = assessment.case
    keys = {claim.key for claim in assessment.included}
    items = [
        Evidence("申请人身份证复印件", "申请人的身份"),
        Evidence(
            "被申请人的企业信用信息公示报告（或营业执照信息）", "被申请人的名称、住所和法定代表人"
        ),
    ]
    if case.contract_signed:
        items.append(Evidence("书面劳动合同", "劳动关系、入职时间和工资标准"))
    else:
        items.append(
            Evidence(
                "工作证、工牌、考勤记录、工作群聊天记录、同事证言等",
                "双方存在劳动关系及入职时间，被申请人未签订书面劳动合同",
            )
        )
    items.append(Evidence("银行工资流水、工资条", f"申请人的月工资标准（{yuan(case.wage)}）"))
    if "wages" in keys or assessment.payment_order is not None:
        items.append(Evidence("工资条、催要工资的聊天记录或录音", "被申请人拖欠工资的事实和金额"))
    if case.iou:
        items.append(Evidence("被申请人出具的欠条（原件）", "被申请人确认拖欠工资的金额"))
    if case.mediation:
        items.append(
            Evidence("调解协议书（原件）", "双方就拖欠工资达成调解协议，被申请人逾期未履行")
        )
    if "arrears_compensation" in keys:
        items.append(Evidence("劳动保障监察责令改正（限期支付）文书", "被申请人逾期仍未支付"))
    if keys & {"damages", "severance"}:
        items.append(
            Evidence("解除（终止）劳动合同的通知、聊天记录或录音", "劳动合同解除的时间、方式和理由")
        )
    if "overtime" in keys:
        items.append(
            Evidence(
                "考勤记录、排班表、加班审批单或工作群通知（考勤由单位保管的，可申请由单位提供）",
                "申请人的加班时长",
            )
        )
    if "unused_leave" in keys:
        items.append(Evidence("请假记录、休假审批记录", "申请人未休年休假的天数"))
    if case.insurance in ("no", "partial"):
        items.append(Evidence("社会保险缴费记录", "被申请人未依法为申请人缴纳社会保险费"))
    if case.demanded is not None:
        items.append(Evidence("向单位讨要或向有关部门投诉的记录", "仲裁时效中断"))
    return tuple(items)
