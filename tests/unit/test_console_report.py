"""The console's report: the same figures as `python -m desk report --json`, charts drawn from
them (each bar's number and each title's total are the JSON's), downloads, and an empty period
that says so instead of drawing empty axes."""

from __future__ import annotations

import json
import re
from collections.abc import AsyncIterator
from decimal import Decimal
from pathlib import Path

import pytest

from desk.staff import accounts, charts, cli
from desk.staff.report import format_money, format_share
from tests.unit.test_console import Browser, Console, add_account
from tests.unit.test_console import console as console
from tests.unit.test_report import seed

PERIOD = "since=2026-03-01&until=2026-04-01"
EMPTY = "since=2025-01-01&until=2025-02-01"


@pytest.fixture
async def staff(console: Console) -> AsyncIterator[Browser]:
    seed(console.url)
    add_account(console.url, "chen", accounts.STAFF)
    browser = console.browser()
    await browser.sign_in("chen")
    yield browser
    await browser.http.close()


def svg_texts(svg: str) -> list[str]:
    return re.findall(r"<text[^>]*>([^<]*)</text>", svg)


def bar_values(svg: str) -> list[float]:
    """The numbers written on the bars (matplotlib's bar_label, grouped as "value")."""
    found = re.findall(r'<g id="value[^"]*">\s*<text[^>]*>([^<]*)</text>', svg)
    return [float(text) for text in found if text]


async def test_the_figures_are_the_cli_report_for_the_same_period(
    staff: Browser, cli_database: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cli_database == staff.console.url
    figures = json.loads(await staff.page(f"/console/report.json?{PERIOD}"))
    assert cli.main(["report", "--json", "--since", "2026-03-01", "--until", "2026-04-01"]) == 0
    assert figures["report"] == json.loads(capsys.readouterr().out)
    series = figures["series"]
    days = series["questions_by_day"].values()
    assert sum(d["answered"] for d in days) == figures["report"]["questions_answered"]
    assert len(series["questions_by_day"]) == 31
    assert sum(series["ratings"].values()) == figures["report"]["rated"]


async def test_each_chart_shows_the_figures_of_the_json(staff: Browser) -> None:
    figures = json.loads(await staff.page(f"/console/report.json?{PERIOD}"))
    report, series = figures["report"], figures["series"]
    svgs = {}
    for name in charts.CHARTS:
        response = await staff.get(f"/console/report/{name}.svg?{PERIOD}")
        assert response.status == 200 and response.content_type == "image/svg+xml", name
        svgs[name] = await response.text()
        assert len(svgs[name]) > 2000 and "<path" in svgs[name], name  # something is drawn

    assert (
        f"解答 {report['questions_answered']} 次（职工提问 {report['questions_asked']} 次）"
        in (svgs["questions"])
    )
    assert sum(bar_values(svgs["tags"])) == sum(report["opened_by_tag"].values())
    for tag, count in report["opened_by_tag"].items():
        assert sum(week.get(tag, 0) for week in series["tags_by_week"].values()) == count
        # The legend says each total, in Chinese kept as text for the browser's own fonts.
        assert f"{tag} {count}" in svg_texts(svgs["tags"])
    cases = svgs["cases"]
    assert f"受理 {report['tickets_opened']} 件，办结 {report['tickets_closed']} 件" in cases
    opened = sum(v for w in series["cases_by_week"].values() for k, v in w.items() if "opened" in k)
    assert sum(bar_values(cases)) == report["tickets_opened"] + report["tickets_closed"]
    assert opened == report["tickets_opened"]
    money = svgs["money"]
    assert f"追回欠款 {format_money(Decimal(report['money_recovered']))} 元" in money
    assert sum(bar_values(money)) == pytest.approx(float(report["money_recovered"]))
    satisfaction = svgs["satisfaction"]
    assert f"满意度 {format_share(report['satisfaction'])}" in satisfaction
    assert bar_values(satisfaction) == [v for v in series["ratings"].values() if v]
    assert sum(bar_values(svgs["applications"])) == sum(report["applications_submitted"].values())
    assert "中位数：接案 1小时20分" in svgs["waiting"]


async def test_the_page_lists_the_figures_and_offers_downloads(staff: Browser) -> None:
    page = await staff.page(f"/console/report?{PERIOD}")
    assert "2026-03-01 至 2026-03-31（UTC）" in page
    assert "为职工追回欠款 13,846.17 元" in page
    assert page.count('<img src="/console/report/') == len(charts.CHARTS)
    png = await staff.get(f"/console/report/satisfaction.png?download&{PERIOD}")
    assert png.headers["Content-Disposition"] == 'attachment; filename="satisfaction.png"'
    assert (await png.read()).startswith(b"\x89PNG")
    pdf = await staff.get(f"/console/report.pdf?{PERIOD}")
    assert (await pdf.read()).startswith(b"%PDF")


async def test_an_empty_period_says_so_instead_of_drawing(staff: Browser) -> None:
    page = await staff.page(f"/console/report?{EMPTY}")
    assert "<img" not in page
    assert page.count('<p class="empty">本期没有') == len(charts.CHARTS)
    assert (await staff.get(f"/console/report/cases.svg?{EMPTY}")).status == 204
    assert (await staff.get("/console/report?since=2026-13-01")).status == 409


def test_the_cli_writes_the_same_charts_as_a_pdf(
    cli_database: str, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    seed(cli_database)
    target = tmp_path / "2026-03.pdf"
    period = ["--since", "2026-03-01", "--until", "2026-04-01"]
    assert cli.main(["report", *period, "--pdf", str(target)]) == 0
    assert "为职工追回欠款 13,846.17 元" in capsys.readouterr().out  # the text report as before
    pdf = target.read_bytes()
    pages = re.findall(rb"/Type\s*/Page(?![a-z])", pdf)
    assert pdf.startswith(b"%PDF") and len(pages) == len(charts.CHARTS)  # every chart has data
