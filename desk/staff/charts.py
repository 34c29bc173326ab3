"""The report's charts, drawn with matplotlib on the server: no CDN, no script in the browser.

Each chart is drawn from the report's JSON (what `python -m desk report --json` prints, plus the
series behind it), so a picture never says something the figures do not. Bars carry their
numbers and each title its total. A chart with nothing to draw is not drawn: the page says the
period has no such data instead of showing empty axes.

SVG keeps the text as text (svg.fonttype "none"), and the browser draws the Chinese with its own
fonts; PNG and PDF are drawn here and need a CJK font on the machine (Debian's
fonts-wqy-microhei, installed by scripts/browser.sh).
"""

from __future__ import annotations

import io
import threading
from collections.abc import Callable, Iterable
from datetime import timedelta
from decimal import Decimal
from typing import Any, NamedTuple

import matplotlib
from matplotlib.backends.backend_pdf import PdfPages
from matplotlib.figure import Figure  # used without pyplot: no global state, no display
from matplotlib.ticker import MaxNLocator

from desk.cases.tickets import PRIORITY_LABEL
from desk.staff.report import format_duration, format_money, format_share

matplotlib.rcParams.update(
    {
        "svg.fonttype": "none",
        "font.family": "sans-serif",
        "font.sans-serif": [
            "WenQuanYi Micro Hei",
            "Noto Sans CJK SC",
            "Source Han Sans SC",
            "Microsoft YaHei",
            "PingFang SC",
            "DejaVu Sans",
        ],
        "axes.unicode_minus": False,
        "axes.spines.top": False,
        "axes.spines.right": False,
        "svg.hashsalt": "desk",  # the same figures give the same file
    }
)
RED, GREY, GOLD, BLUE = "#c8102e", "#9a9aa2", "#e0a100", "#2f6db5"
FORMATS = {"svg": "image/svg+xml", "png": "image/png"}
# Figures are not thread-safe in every backend part; the pages render one chart at a time.
_drawing = threading.Lock()

Figures = dict[str, Any]  # {"report": Report.as_json(), "series": Series.as_json()}


class Chart(NamedTuple):
    title: str
    has_data: Callable[[Figures], bool]  # cheap: the page asks it of every chart
    draw: Callable[[Figures], Figure]  # only called when has_data


def _figure(title: str, height: float = 3.4) -> tuple[Figure, Any]:
    figure = Figure(figsize=(7.5, height), dpi=100, layout="constrained")
    axes = figure.add_subplot()
    axes.set_title(title, fontsize=13, loc="left")
    axes.yaxis.set_major_locator(MaxNLocator(integer=True))  # counts: no 0.5 件
    axes.margins(y=0.12)  # room above the tallest bar for its number
    return figure, axes


def _label(axes: Any, bars: Any, values: list[Any] | None = None) -> None:
    """The number on each bar that has one (a zero says nothing a missing bar does not)."""
    shown = values if values is not None else [bar.get_height() for bar in bars]
    axes.bar_label(
        bars,
        labels=[_number(v) if float(v) else "" for v in shown],
        padding=2,
        fontsize=9,
        gid="value",
    )


def _number(value: Any) -> str:
    return f"{value:g}" if isinstance(value, float) else str(value)


def _stacked(
    axes: Any, positions: list[Any], layers: Iterable[tuple[list[int], str, str]], **bar: Any
) -> None:
    """Bars stacked layer on layer (values, colour, legend label), each layer's numbered."""
    bottom = [0] * len(positions)
    for values, colour, label in layers:
        bars = axes.bar(positions, values, bottom=bottom, color=colour, label=label, **bar)
        _label(axes, bars, values)
        bottom = [b + v for b, v in zip(bottom, values, strict=True)]


def questions(figures: Figures) -> Figure:
    report, days = figures["report"], figures["series"]["questions_by_day"]
    figure, axes = _figure(
        f"法律咨询：解答 {report['questions_answered']} 次"
        f"（职工提问 {report['questions_asked']} 次）"
    )
    names = [day[5:] for day in days]
    answered = [d["answered"] for d in days.values()]
    other = [d["asked"] - d["answered"] for d in days.values()]
    axes.bar(names, answered, color=RED, label="已解答")
    axes.bar(names, other, bottom=answered, color=GREY, label="未能解答")
    axes.legend(frameon=False, fontsize=9)
    axes.tick_params(axis="x", labelrotation=60, labelsize=8)
    axes.set_ylabel("次")
    return figure


def topics(figures: Figures) -> Figure:
    top = figures["series"]["top_topics"]
    figure, axes = _figure("问得最多的问题（已解答）", height=0.4 * len(top) + 1.2)
    names = list(top)[::-1]
    bars = axes.barh(range(len(names)), [top[n] for n in names], color=RED)
    axes.set_yticks(range(len(names)), names)  # every topic named, none thinned out
    axes.xaxis.set_major_locator(MaxNLocator(integer=True))
    axes.bar_label(bars, padding=2, fontsize=9, gid="value")
    axes.set_xlabel("次")
    return figure


def cases(figures: Figures) -> Figure:
    report, weeks = figures["report"], figures["series"]["cases_by_week"]
    figure, axes = _figure(
        f"案件：受理 {report['tickets_opened']} 件，办结 {report['tickets_closed']} 件（按周）"
    )
    names = [f"{week[5:]}周" for week in weeks]
    positions = list(range(len(names)))
    width = 0.38
    for offset, what, colours in (
        (-width / 2, "opened", (RED, GOLD)),
        (width / 2, "closed", (BLUE, GREY)),
    ):
        layers = [
            (
                [w[f"{what}_{priority}"] for w in weeks.values()],
                colour,
                f"{'受理' if what == 'opened' else '办结'}·{PRIORITY_LABEL[priority]}",
            )
            for priority, colour in zip(PRIORITY_LABEL, colours, strict=True)
        ]
        _stacked(axes, [p + offset for p in positions], layers, width=width)
    axes.set_xticks(positions, names)
    axes.legend(frameon=False, fontsize=8, ncols=2)
    axes.set_ylabel("件")
    return figure


def tags(figures: Figures) -> Figure:
    by_tag, weeks = figures["report"]["opened_by_tag"], figures["series"]["tags_by_week"]
    figure, axes = _figure("受理案件的类别（按周；一件可有多个类别）")
    names = [f"{week[5:]}周" for week in weeks]
    layers = [
        ([counts.get(tag, 0) for counts in weeks.values()], colour, f"{tag} {by_tag[tag]}")
        for tag, colour in zip(by_tag, _palette(len(by_tag)), strict=True)  # most frequent first
    ]
    _stacked(axes, names, layers)
    axes.legend(frameon=False, fontsize=8, ncols=2)
    axes.set_ylabel("件")
    return figure


def _palette(count: int) -> list[str]:
    base = [RED, BLUE, GOLD, GREY, "#6b8e23", "#8a4fb5", "#d2691e", "#3a3a3a"]
    return [base[i % len(base)] for i in range(count)]


def waiting(figures: Figures) -> Figure:
    report, series = figures["report"], figures["series"]
    samples = {"接案": series["hours_to_claim"], "律师首次答复": series["hours_to_first_reply"]}
    medians = (report["median_time_to_claim"], report["median_time_to_first_reply"])
    said = [format_duration(None if m is None else timedelta(seconds=m)) for m in medians]
    figure, axes = _figure(f"用时（中位数：接案 {said[0]}，首次答复 {said[1]}）")
    shown = {name: values for name, values in samples.items() if values}
    axes.boxplot(
        list(shown.values()), orientation="horizontal", tick_labels=list(shown), widths=0.5
    )
    axes.set_xlabel("小时（自登记起）")
    return figure


def money(figures: Figures) -> Figure:
    report, weeks = figures["report"], figures["series"]["money_by_week"]
    total = Decimal(report["money_recovered"])
    figure, axes = _figure(f"为职工追回欠款 {format_money(total)} 元（按办结周）")
    values = [float(Decimal(v)) for v in weeks.values()]
    bars = axes.bar([f"{w[5:]}周" for w in weeks], values, color=RED)
    labels = [amount if Decimal(amount) else "" for amount in weeks.values()]
    axes.bar_label(bars, labels=labels, padding=2, fontsize=9, gid="value")
    axes.set_ylabel("元")
    return figure


def satisfaction(figures: Figures) -> Figure:
    report, ratings = figures["report"], figures["series"]["ratings"]
    figure, axes = _figure(
        f"满意度 {format_share(report['satisfaction'])}"
        f"（评价 {report['rated']} 件，4–5 分 {report['rated_4_or_5']} 件）"
    )
    colours = [GREY, GREY, GREY, RED, RED]
    bars = axes.bar([f"{score} 分" for score in ratings], list(ratings.values()), color=colours)
    _label(axes, bars)
    axes.set_ylabel("件")
    return figure


def applications(figures: Figures) -> Figure:
    by_programme = figures["series"]["applications"]
    total = sum(figures["report"]["applications_submitted"].values())
    figure, axes = _figure(f"在线申请 {total} 件（按项目和初步判断）")
    verdicts = list(dict.fromkeys(v for counts in by_programme.values() for v in counts))
    colours = dict(zip(verdicts, [RED, GREY, GOLD, BLUE, "#555"], strict=False))
    layers = [
        ([counts.get(verdict, 0) for counts in by_programme.values()], colours[verdict], verdict)
        for verdict in verdicts
    ]
    _stacked(axes, list(by_programme), layers)
    axes.legend(frameon=False, fontsize=9)
    axes.tick_params(axis="x", labelsize=8)
    axes.set_ylabel("件")
    return figure


def _report(field: str) -> Callable[[Figures], bool]:
    return lambda figures: bool(figures["report"][field])


CHARTS: dict[str, Chart] = {
    "questions": Chart("法律咨询", _report("questions_asked"), questions),
    "topics": Chart("问得最多的问题", lambda f: bool(f["series"]["top_topics"]), topics),
    "cases": Chart(
        "受理与办结案件",
        lambda f: bool(f["report"]["tickets_opened"] or f["report"]["tickets_closed"]),
        cases,
    ),
    "tags": Chart("案件类别", _report("opened_by_tag"), tags),
    "waiting": Chart(
        "接案与答复用时",
        lambda f: bool(f["series"]["hours_to_claim"] or f["series"]["hours_to_first_reply"]),
        waiting,
    ),
    "money": Chart("追回欠款", lambda f: bool(Decimal(f["report"]["money_recovered"])), money),
    "satisfaction": Chart("满意度", _report("rated"), satisfaction),
    "applications": Chart(
        "在线申请", lambda f: any(f["report"]["applications_submitted"].values()), applications
    ),
}


def render(name: str, figures: Figures, image_format: str) -> bytes | None:
    """One chart as SVG or PNG; None when the period has nothing for it."""
    chart = CHARTS[name]
    if not chart.has_data(figures):
        return None
    with _drawing:
        figure = chart.draw(figures)
        out = io.BytesIO()
        figure.savefig(out, format=image_format, metadata=_metadata(image_format))
        return out.getvalue()


def pdf(figures: Figures, heading: str) -> bytes:
    """Every chart with data, one a page, for the monthly report."""
    out = io.BytesIO()
    with _drawing, PdfPages(out, metadata={"Title": heading, "Creator": "职工在线服务台"}) as book:
        shown = [chart for chart in CHARTS.values() if chart.has_data(figures)]
        for chart in shown:
            book.savefig(chart.draw(figures))
        if not shown:
            figure, axes = _figure(heading)
            axes.axis("off")
            axes.text(0.5, 0.5, "本期没有数据", ha="center", fontsize=14)
            book.savefig(figure)
    return out.getvalue()


def _metadata(image_format: str) -> dict[str, Any]:
    # No creation date: the same figures give the same bytes.
    return {"Date": None} if image_format == "svg" else {}
