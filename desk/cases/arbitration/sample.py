"""A sample draft for a fictional worker, as the README shows it:
`python -m desk.cases.arbitration.sample [out.docx]` prints the document's text (and saves it).

The worker, the company and the addresses are made up; the figures are what the calculators
give for these facts.
"""

from __future__ import annotations

import io
import sys
from datetime import date
from pathlib import Path

import docx
from docx.table import Table

from desk.cases.arbitration.claims import Assessment, CaseFacts, assess
from desk.cases.arbitration.commissions import get_commissions
from desk.cases.arbitration.document import render_application
from desk.cases.arbitration.facts import parse

SAMPLE = (
    "单位 上海某某电子有限公司 履行地 上海市嘉定区 入职 2021-03-01 离职 2024-07-31 "
    "原因 违法辞退 月薪 6500 合同 有 社保 有 欠薪 2个月 2024-06至2024-07 "
    "加班 平时36小时 周末2天 年休假 5天 申请日期 2024-09-02 "
    "姓名 王小明 性别 男 民族 汉族 岗位 操作工 法定代表人 李某某"
)


def sample_assessment() -> Assessment:
    parsed = parse(SAMPLE)
    assert not parsed.problems, parsed.problems
    return assess(CaseFacts.from_known(parsed.facts, date(2024, 9, 2)), get_commissions())


def sample_text(content: bytes) -> list[str]:
    """The document as text, in order: a paragraph a line, a table one row a line."""
    lines: list[str] = []
    for block in docx.Document(io.BytesIO(content)).iter_inner_content():
        if isinstance(block, Table):
            lines += [
                " | ".join(cell.text for cell in row.cells).rstrip(" |") for row in block.rows
            ]
        elif block.text.strip():
            lines.append(block.text)
    return lines


def main() -> None:
    content = render_application(sample_assessment())
    if len(sys.argv) > 1:
        Path(sys.argv[1]).write_bytes(content)
    print("\n".join(sample_text(content)))


if __name__ == "__main__":
    main()
