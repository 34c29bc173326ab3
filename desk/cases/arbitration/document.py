"""The DOCX a lawyer edits and a worker signs: 劳动仲裁申请书 with its 证据清单, and a 支付令申请书
when an IOU or a mediation agreement backs the wages (python-docx).

The usual layout: title, 申请人, 被申请人, 仲裁请求 (numbered), 事实与理由 (each claim with its
calculation and articles), 此致 … 仲裁委员会, the applicant's signature and the date; then
the evidence list on a page of its own. What the desk does not know is left as a blank line to
fill in by hand, never guessed.

python-docx (with lxml, ~15 MB and 0.1 s) is imported by the first draft, not with this module:
the gateway and the staff's command line import it with the lawyers' commands at every start.
"""

from __future__ import annotations

import io
from collections.abc import Iterable, Mapping
from datetime import date
from typing import TYPE_CHECKING

from desk.cases.arbitration.claims import PAYMENT_ORDER_BASIS, Assessment, Claim
from desk.cases.arbitration.evidence import checklist
from desk.common.numerals import chinese_date, to_chinese
from desk.legal.calculators import yuan
from desk.legal.statutes import Citation

if TYPE_CHECKING:
    from docx.document import Document as DocumentObject
    from docx.text.paragraph import Paragraph

APPLICATION_TITLE = "劳动仲裁申请书"
PAYMENT_ORDER_TITLE = "支付令申请书"
EVIDENCE_TITLE = "证据清单"
BLANK = "________"
FONT = "宋体"
BODY_POINTS = 12


def cite(citations: Iterable[Citation]) -> str:
    """《劳动合同法》第八十七条、第四十七条、《劳动法》第五十条: one title per law, in order."""
    laws: dict[str, list[str]] = {}
    for citation in dict.fromkeys(citations):
        # A notice's numbered section (折算通知 二) is its 第二项.
        label = citation.label if citation.article is not None else f"第{citation.section}项"
        laws.setdefault(citation.law, []).append(label)
    return "、".join(f"《{law}》{'、'.join(labels)}" for law, labels in laws.items())


def _number(index: int) -> str:
    return f"{to_chinese(index)}、"


def _new_document() -> DocumentObject:
    from docx import Document
    from docx.oxml.ns import qn
    from docx.shared import Cm, Pt

    document = Document()
    page = document.sections[0]  # A4 with Word's Chinese default margins (the template is Letter)
    page.page_width, page.page_height = Cm(21), Cm(29.7)
    page.top_margin = page.bottom_margin = Cm(2.54)
    page.left_margin = page.right_margin = Cm(3.18)
    style = document.styles["Normal"]
    style.font.name = FONT
    style.font.size = Pt(BODY_POINTS)
    style.element.rPr.rFonts.set(qn("w:eastAsia"), FONT)  # Chinese text takes this font
    return document


def _title(document: DocumentObject, text: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH
    from docx.shared import Pt

    paragraph = document.add_paragraph()
    paragraph.alignment = WD_ALIGN_PARAGRAPH.CENTER
    run = paragraph.add_run(text)
    run.bold = True
    run.font.size = Pt(18)


def _heading(document: DocumentObject, text: str) -> Paragraph:
    paragraph = document.add_paragraph()
    paragraph.add_run(text).bold = True
    return paragraph


def _body(document: DocumentObject, text: str, indent: bool = True) -> Paragraph:
    from docx.shared import Pt

    paragraph = document.add_paragraph(text)
    if indent:
        paragraph.paragraph_format.first_line_indent = Pt(24)  # two characters
    return paragraph


def _right(document: DocumentObject, text: str) -> None:
    from docx.enum.text import WD_ALIGN_PARAGRAPH

    document.add_paragraph(text).alignment = WD_ALIGN_PARAGRAPH.RIGHT


def _filled(facts: Mapping[str, str], key: str) -> str:
    return facts.get(key) or BLANK


def _parties(document: DocumentObject, assessment: Assessment) -> None:
    facts = assessment.case.extra
    _body(
        document,
        f"申请人：{_filled(facts, 'name')}，性别：{_filled(facts, 'gender')}，"
        f"民族：{_filled(facts, 'ethnicity')}，身份证号：{_filled(facts, 'id_number')}，"
        f"住址：{_filled(facts, 'address')}，联系电话：{_filled(facts, 'phone')}。",
        indent=False,
    )
    _body(
        document,
        f"被申请人：{assessment.case.employer}，住所：{_filled(facts, 'employer_address')}，"
        f"法定代表人：{_filled(facts, 'representative')}。",
        indent=False,
    )


def _employment(assessment: Assessment) -> str:
    case = assessment.case
    job = case.extra.get("job")
    text = f"申请人于{chinese_date(case.start)}入职被申请人处" + (f"，担任{job}" if job else "")
    text += f"，月工资{yuan(case.wage)}。"
    if not case.contract_signed:
        text += "被申请人始终未与申请人签订书面劳动合同。"
    elif case.contract_signed_on is not None:
        text += f"双方直到{chinese_date(case.contract_signed_on)}才签订书面劳动合同。"
    else:
        text += "双方签订了书面劳动合同。"
    if case.insurance == "no":
        text += "被申请人未为申请人缴纳社会保险费。"
    elif case.insurance == "partial":
        text += "被申请人未足额为申请人缴纳社会保险费。"
    if case.end is None:
        text += "申请人现仍在被申请人处工作。"
    else:
        text += f"申请人于{chinese_date(case.end)}离职。"
    return text


def _is_arithmetic(step: str) -> bool:
    """A step of the sum (经济补偿 = 3.5 × 6000元, 按3.5个月工资计算); the calculators' advice to
    a worker (如果…封顶, 单位安排补休的可以不付) does not belong in a claim."""
    return "=" in step or "计算" in step


def _reason(index: int, claim: Claim) -> str:
    formula = "；".join(step for step in claim.calculation.steps if _is_arithmetic(step))
    return (
        f"{_number(index)}关于{claim.title}。{claim.reason}。"
        + (f"计算：{formula}。" if formula else "")
        + f"依据{cite(claim.basis)}的规定，请求裁决被申请人支付{yuan(claim.amount)}。"
    )


def _closing(document: DocumentObject, addressee: str, filed: date) -> None:
    document.add_paragraph("此致")
    document.add_paragraph(addressee)
    _right(document, f"申请人（签名）：{BLANK}")
    _right(document, chinese_date(filed))


def _evidence(document: DocumentObject, assessment: Assessment) -> None:
    from docx.enum.text import WD_BREAK

    document.add_paragraph().add_run().add_break(WD_BREAK.PAGE)
    _title(document, EVIDENCE_TITLE)
    items = checklist(assessment)
    table = document.add_table(rows=1, cols=4)
    table.style = "Table Grid"
    for cell, text in zip(
        table.rows[0].cells, ("序号", "证据名称", "证明内容", "页码"), strict=True
    ):
        cell.text = text
    for index, item in enumerate(items, start=1):
        cells = table.add_row().cells
        cells[0].text, cells[1].text, cells[2].text, cells[3].text = (
            str(index),
            item.name,
            item.proves,
            "",
        )
    _body(
        document,
        "证据提交时请按以上顺序编号，原件备查，复印件按被申请人人数加一份准备。",
        indent=False,
    )


def _saved(document: DocumentObject) -> bytes:
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def render_application(assessment: Assessment) -> bytes:
    """The 劳动仲裁申请书 with its evidence list; only the claims included in the draft."""
    case = assessment.case
    document = _new_document()
    _title(document, APPLICATION_TITLE)
    _parties(document, assessment)
    _heading(document, "仲裁请求：")
    claims = assessment.included
    for index, claim in enumerate(claims, start=1):
        end = "。" if index == len(claims) else "；"
        _body(document, f"{_number(index)}{claim.request}{end}")
    _heading(document, "事实与理由：")
    _body(document, _employment(assessment))
    for index, claim in enumerate(claims, start=1):
        _body(document, _reason(index, claim))
    _body(
        document,
        f"以上各项合计{yuan(assessment.total)}。综上，被申请人的行为侵害了申请人的合法权益。"
        f"根据{cite(_PROCEDURE)}的规定，申请人特向贵委申请仲裁，请求依法支持申请人的仲裁请求。",
    )
    commission = assessment.jurisdiction.commission
    _closing(
        document, commission.name if commission else f"{BLANK}劳动人事争议仲裁委员会", case.filed
    )
    _body(
        document, "附：本申请书副本一份（按被申请人人数提交）；证据清单及证据材料。", indent=False
    )
    _evidence(document, assessment)
    return _saved(document)


_PROCEDURE = (
    Citation("劳动争议调解仲裁法", article=2),
    Citation("劳动争议调解仲裁法", article=21),
    Citation("劳动争议调解仲裁法", article=28),
)


def render_payment_order(assessment: Assessment) -> bytes | None:
    """The 支付令申请书 to the basic people's court, when an IOU or a mediation agreement backs
    the wages; None otherwise."""
    wages = assessment.payment_order
    if wages is None:
        return None
    case = assessment.case
    document = _new_document()
    _title(document, PAYMENT_ORDER_TITLE)
    _parties(document, assessment)
    _heading(document, "请求事项：")
    _body(
        document,
        f"请求贵院依法向被申请人发出支付令，督促被申请人向申请人支付拖欠的工资"
        f"{yuan(wages.amount)}。",
    )
    _heading(document, "事实与理由：")
    _body(document, _employment(assessment))
    held = []
    wages_owed, agreement_not_kept = PAYMENT_ORDER_BASIS
    basis = [wages_owed]
    if case.iou:
        held.append("被申请人已向申请人出具欠条，确认拖欠的工资金额")
    if case.mediation:
        held.append("双方就拖欠的工资达成调解协议，被申请人在协议约定的期限内未履行")
        basis.append(agreement_not_kept)
    _body(
        document,
        f"{wages.reason}。{'；'.join(held)}。申请人与被申请人之间没有其他债务纠纷。"
        f"根据{cite(basis)}的规定，特向贵院申请支付令。",
    )
    commission = assessment.jurisdiction.commission
    _closing(document, commission.court if commission else f"{BLANK}人民法院", case.filed)
    attached = "欠条原件及复印件" if case.iou else "调解协议书原件及复印件"
    _body(document, f"附：{attached}；申请人身份证复印件；被申请人企业信用信息。", indent=False)
    return _saved(document)
