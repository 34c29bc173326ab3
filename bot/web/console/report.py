"""The report page: the CLI's report text, its charts (SVG on the page, PNG and PDF to
download) and its figures as JSON — all from desk/staff/report.py for the same period.

The charts module (matplotlib, ~60 MB) is imported by the first report asked for, not when the
gateway starts: most gateways serve chats all day and a report now and then."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime
from typing import Any

from aiohttp import web

from bot.web.console.base import Call, Pages, download
from desk.staff.accounts import STAFF
from desk.staff.cli import UsageError, report_period
from desk.staff.report import (
    Report,
    build_report,
    figures,
    format_period,
    render_report,
    report_heading,
)


def _period(query: Any) -> tuple[datetime, datetime]:
    """?since=YYYY-MM-DD&until=YYYY-MM-DD (until excluded), the CLI's defaults otherwise."""
    try:
        since, until = (
            date.fromisoformat(query[name]) if query.get(name) else None
            for name in ("since", "until")
        )
    except ValueError:
        raise UsageError("日期请用 2026-03-01 这样的写法") from None
    return report_period(since, until, datetime.now(UTC).date())


def _figures(call: Call) -> tuple[Report, dict[str, Any]]:
    """The period's report, and the figures the charts draw."""
    report = build_report(call.session, *_period(call.query))
    return report, figures(call.session, report)


class ReportPages:
    def __init__(self, pages: Pages) -> None:
        self.pages = pages

    async def page(self, request: web.Request) -> web.StreamResponse:
        def work(call: Call) -> web.StreamResponse:
            from desk.staff import charts

            report, data = _figures(call)
            return call.render(
                "report.html",
                period=format_period(report.since, report.until),
                since=f"{report.since:%Y-%m-%d}",
                until=f"{report.until:%Y-%m-%d}",
                lines=render_report(report).split("\n")[1:],  # below the page's own heading
                charts=[
                    (name, chart.title, chart.has_data(data))
                    for name, chart in charts.CHARTS.items()
                ],
                query=request.query_string,
            )

        return await self.pages.view(request, STAFF, work)

    async def figures(self, request: web.Request) -> web.StreamResponse:
        def work(call: Call) -> web.StreamResponse:
            _, data = _figures(call)
            response = web.json_response(data, dumps=lambda v: json.dumps(v, ensure_ascii=False))
            response.headers["Cache-Control"] = "no-store"
            return response

        return await self.pages.view(request, STAFF, work)

    async def chart(self, request: web.Request) -> web.StreamResponse:
        from desk.staff import charts

        name, image_format = request.match_info["chart"], request.match_info["format"]
        if name not in charts.CHARTS or image_format not in charts.FORMATS:
            raise web.HTTPNotFound

        def work(call: Call) -> web.StreamResponse:
            _, data = _figures(call)
            image = charts.render(name, data, image_format)
            if image is None:
                return web.Response(status=204)
            if "download" in call.query:
                return download(image, charts.FORMATS[image_format], f"{name}.{image_format}")
            response = web.Response(body=image, content_type=charts.FORMATS[image_format])
            response.headers["Cache-Control"] = "no-store"
            # matplotlib styles the SVG's shapes inline; nothing in it runs.
            response.headers["Content-Security-Policy"] = (
                "default-src 'none'; style-src 'unsafe-inline'"
            )
            return response

        return await self.pages.view(request, STAFF, work)

    async def pdf(self, request: web.Request) -> web.StreamResponse:
        def work(call: Call) -> web.StreamResponse:
            from desk.staff import charts

            report, data = _figures(call)
            pdf = charts.pdf(data, report_heading(report))
            return download(pdf, "application/pdf", "report.pdf")

        return await self.pages.view(request, STAFF, work)
