"""The one-year time limit for arbitration (劳动争议调解仲裁法 第二十七条), claim by claim.

- The year runs from the day the worker knew or should have known of the wrong: for what the end
  of the job brings (经济补偿, 赔偿金) from the day it ended; for 二倍工资 from the day the
  months without a written contract ended.
- Pay (劳动报酬: wages, overtime, leave pay) owed during the job is not limited while the job
  lasts; once it ended, the year runs from that day (第四款).
- Demanding payment of the employer, or asking an authority for help, interrupts the limit: the
  year starts again from then (第二款).

The check only warns. Whether a claim goes in stays the lawyer's call (保留 …).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date

from desk.common.numerals import chinese_date
from desk.legal.calculators import add_months
from desk.legal.statutes import Citation

LIMITATION_BASIS = Citation("劳动争议调解仲裁法", article=27)


@dataclass(frozen=True)
class TimeLimit:
    barred: bool
    note: str  # one sentence for the lawyer
    deadline: date | None = None  # None: not running (pay during the job)


def pay_during_job() -> TimeLimit:
    return TimeLimit(False, f"在职期间拖欠的劳动报酬不受一年时效限制（{LIMITATION_BASIS}第四款）")


def one_year(runs_from: date, since: str, filed: date, demanded: date | None) -> TimeLimit:
    """The year from runs_from (since: what happened then, for the note), restarted by a
    demand made within it."""
    deadline = add_months(runs_from, 12)
    note = f"时效自{since}（{chinese_date(runs_from)}）起算一年，到{chinese_date(deadline)}"
    if demanded is not None and runs_from <= demanded <= deadline:
        deadline = add_months(demanded, 12)
        note = (
            f"{chinese_date(demanded)}向单位主张过权利，时效中断，"
            f"重新计算到{chinese_date(deadline)}"
        )
    if filed > deadline:
        return TimeLimit(True, f"可能已过仲裁时效：{note}（{LIMITATION_BASIS}）", deadline)
    return TimeLimit(False, f"{note}，未超过", deadline)
