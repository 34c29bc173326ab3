"""The DOCX drafts opened again with python-docx: the sections in their order, the amounts of the
claims, the commission, the evidence list, and the 支付令申请书 when an IOU backs the wages."""

from __future__ import annotations

import io
from datetime import date

import docx
import pytest

from desk.cases.arbitration.claims import Assessment, CaseFacts, assess
from desk.cases.arbitration.commissions import get_commissions
from desk.cases.arbitration.document import (
    APPLICATION_TITLE,
    BLANK,
    EVIDENCE_TITLE,
    PAYMENT_ORDER_TITLE,
    render_application,
    render_payment_order,
)
from desk.cases.arbitration.facts import parse
from tests.identity import make_id_number

ID_NUMBER = make_id_number("310114", date(1988, 5, 20))
DISMISSED = (
    "单位 上海宏达电子有限公司 履行地 上海市嘉定区 入职 2021-03-01 离职 2024-07-31 原因 违法辞退 "
    "月薪 8000 合同 有 社保 无 欠薪 2个月 2024-06至2024-07 加班 平时40小时 申请日期 2024-09-01 "
    f"姓名 李明 性别 男 民族 汉族 身份证 {ID_NUMBER} 法定代表人 王某"
)


def assessed(line: str) -> Assessment:
    parsed = parse(line)
    assert not parsed.problems, parsed.problems
    return assess(CaseFacts.from_known(parsed.facts, date(2025, 12, 1)), get_commissions())


def paragraphs(content: bytes) -> list[str]:
    return [p.text for p in docx.Document(io.BytesIO(content)).paragraphs if p.text.strip()]


def section(lines: list[str], start: str, end: str) -> list[str]:
    return lines[lines.index(start) + 1 : lines.index(end)]


def test_the_application_has_the_usual_sections_in_order_with_each_claims_amount() -> None:
    assessment = assessed(DISMISSED)
    lines = paragraphs(render_application(assessment))
    headings = [APPLICATION_TITLE, "仲裁请求：", "事实与理由：", "此致", EVIDENCE_TITLE]
    assert [line for line in lines if line in headings] == headings
    assert lines[1].startswith("申请人：李明，性别：男，民族：汉族，") and ID_NUMBER in lines[1]
    assert lines[1].endswith(f"住址：{BLANK}，联系电话：{BLANK}。")  # unknown: a blank to fill in
    assert lines[2] == f"被申请人：上海宏达电子有限公司，住所：{BLANK}，法定代表人：王某。"
    assert section(lines, "仲裁请求：", "事实与理由：") == [
        "一、裁决被申请人支付申请人2024年6月至2024年7月拖欠的工资16000元；",
        "二、裁决被申请人支付申请人违法解除劳动合同赔偿金56000元；",
        "三、裁决被申请人支付申请人加班费2758.62元。",
    ]
    reasons = section(lines, "事实与理由：", "此致")
    assert reasons[0].startswith("申请人于2021年3月1日入职被申请人处，月工资8000元。")
    assert "被申请人未为申请人缴纳社会保险费" in reasons[0]
    assert reasons[2].startswith("二、关于违法解除劳动合同赔偿金（2N）。")
    assert (
        "2 × 28000元 = 56000元" in reasons[2]
        and "《劳动合同法》第八十七条、第四十七条" in reasons[2]
    )
    assert "《关于职工全年月平均工作时间和工资折算问题的通知》第二项" in reasons[3]
    assert "以上各项合计74758.62元" in reasons[4]
    closing = lines[lines.index("此致") + 1 : lines.index("此致") + 4]
    assert closing == [
        "上海市嘉定区劳动人事争议仲裁委员会",
        f"申请人（签名）：{BLANK}",
        "2024年9月1日",
    ]
    # Advice meant for a worker in the chat stays out of a claim.
    assert not any("如果月工资高于" in line or "可以不付" in line for line in lines)


def test_the_evidence_list_is_a_table_of_what_proves_each_claim() -> None:
    document = docx.Document(io.BytesIO(render_application(assessed(DISMISSED))))
    page = document.sections[0]
    assert (round(page.page_width.cm, 1), round(page.page_height.cm, 1)) == (21.0, 29.7)  # A4
    (table,) = document.tables
    rows = [[cell.text for cell in row.cells] for row in table.rows]
    assert rows[0] == ["序号", "证据名称", "证明内容", "页码"]
    assert [row[0] for row in rows[1:]] == [str(n) for n in range(1, len(rows))]
    proves = [row[2] for row in rows[1:]]
    assert "申请人的月工资标准（8000元）" in proves
    assert "劳动合同解除的时间、方式和理由" in proves
    assert "申请人的加班时长" in proves
    assert "被申请人未依法为申请人缴纳社会保险费" in proves
    assert not any("年休假" in text for text in proves)  # nothing claimed, nothing to prove


def test_a_claim_left_out_of_the_draft_is_not_in_the_document() -> None:
    barred = assessed(
        "单位 宏达 履行地 深圳市宝安区 入职 2020-05-01 离职 2024-05-31 原因 违法辞退 月薪 7000 "
        "合同 有 社保 有 加班 平时120小时 申请日期 2025-03-01 不主张 加班费"
    )
    lines = paragraphs(render_application(barred))
    assert section(lines, "仲裁请求：", "事实与理由：") == [
        "一、裁决被申请人支付申请人违法解除劳动合同赔偿金63000元。"  # 4.5 × 7000 × 2
    ]
    assert not any("加班" in line for line in lines if "证据" not in line)
    assert "深圳市宝安区劳动人事争议仲裁委员会" in lines


def test_without_a_commission_in_the_directory_the_addressee_is_left_to_fill_in() -> None:
    lines = paragraphs(
        render_application(
            assessed(
                "单位 宏达 履行地 昆山市 入职 2023-03-01 离职 在职 月薪 6000 合同 有 社保 有 "
                "欠薪 6000"
            )
        )
    )
    assert lines[lines.index("此致") + 1] == f"{BLANK}劳动人事争议仲裁委员会"


@pytest.mark.parametrize(
    ("holds", "reason", "attached"),
    [
        ("欠条 有", "被申请人已向申请人出具欠条", "欠条原件及复印件"),
        ("调解协议 有", "《劳动争议调解仲裁法》第十六条", "调解协议书原件及复印件"),
    ],
)
def test_an_iou_or_a_mediation_agreement_for_wages_gives_a_payment_order_to_the_court(
    holds: str, reason: str, attached: str
) -> None:
    assessment = assessed(DISMISSED + " " + holds)
    content = render_payment_order(assessment)
    assert content is not None
    lines = paragraphs(content)
    assert lines[0] == PAYMENT_ORDER_TITLE
    assert section(lines, "请求事项：", "事实与理由：") == [
        "请求贵院依法向被申请人发出支付令，督促被申请人向申请人支付拖欠的工资16000元。"
    ]
    assert any(reason in line for line in lines)
    assert lines[lines.index("此致") + 1] == "上海市嘉定区人民法院"
    assert lines[-1].startswith(f"附：{attached}")
    assert render_payment_order(assessed(DISMISSED)) is None


def test_the_readme_shows_the_sample_draft_as_the_desk_renders_it() -> None:
    from desk.cases.arbitration.sample import sample_assessment, sample_text
    from desk.settings import PROJECT_ROOT

    readme = (PROJECT_ROOT / "README.md").read_text("utf-8")
    block = readme.split("<!-- sample-draft -->")[1].split("<!-- /sample-draft -->")[0]
    shown = block.strip().removeprefix("```text").removesuffix("```").strip().splitlines()
    assert shown == sample_text(render_application(sample_assessment()))
