"""What union staff see of lawyers' cases (issue 18, "staff as configured"): STAFF_SEE_CASES
none, summary (the default: the queue line, never the story) or full (masked), the same in the
command line and in the console."""

from __future__ import annotations

from collections.abc import Callable, Iterator

import pytest

from desk.settings import Settings, get_settings
from desk.staff import case_view, cli
from tests.cases import LAWYER, register, take
from tests.unit.test_console import (  # noqa: F401
    Browser,
    Console,
    browsers,
    console,
    signed_in,
)
from tests.unit.test_lawyer_desk import ID_NUMBER, OTHER_PHONE, PHONE, personal_case

STORY = "老板欠我三个月工资"


@pytest.fixture
def staff_see(
    monkeypatch: pytest.MonkeyPatch, database_url: str
) -> Iterator[Callable[[str | None], None]]:
    """Sets STAFF_SEE_CASES for the command line and the console alike."""
    monkeypatch.setenv("DATABASE_URL", database_url)

    def choose(view: str | None) -> None:
        if view is None:
            monkeypatch.delenv("STAFF_SEE_CASES", raising=False)
        else:
            monkeypatch.setenv("STAFF_SEE_CASES", view)
        get_settings.cache_clear()

    yield choose
    get_settings.cache_clear()


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str]:
    status = cli.main(list(argv))
    captured = capsys.readouterr()
    return status, captured.out + captured.err


def test_summary_is_the_default() -> None:
    assert Settings().staff_see_cases == case_view.SUMMARY


@pytest.mark.parametrize("view", [None, "summary", "full", "none"])
def test_the_command_line_shows_what_the_setting_allows(
    database_url: str,
    staff_see: Callable[[str | None], None],
    capsys: pytest.CaptureFixture[str],
    view: str | None,
) -> None:
    register(database_url, LAWYER, name="王律师")
    number = personal_case(database_url)
    take(database_url, LAWYER, number)
    staff_see(view)
    listed = run(capsys, "cases", "list")
    shown = run(capsys, "cases", "show", number)
    for _, text in (listed, shown):
        for personal in (PHONE, OTHER_PHONE, ID_NUMBER):
            assert personal not in text
    if view == "none":
        assert listed == shown == (1, case_view.NOT_SHOWN + "\n")
        return
    assert listed[0] == shown[0] == 0
    assert number in listed[1] and "承办：王律师" in listed[1] and STORY not in listed[1]
    if view == "full":
        assert STORY in shown[1] and "139****5678" in shown[1]
    else:
        assert STORY not in shown[1] and "深圳" in shown[1] and "只有承办律师" in shown[1]


@pytest.mark.parametrize("view", ["summary", "full", "none"])
async def test_the_console_shows_what_the_setting_allows(
    console: Console,  # noqa: F811
    browsers: list[Browser],  # noqa: F811
    staff_see: Callable[[str | None], None],
    view: str,
) -> None:
    number = personal_case(console.url)
    staff_see(view)
    [staff] = await signed_in(browsers, "zhang")
    listing = await staff.get("/console/staff/cases")
    case = await staff.get(f"/console/staff/cases/{number}")
    texts = [await listing.text(), await case.text()]
    assert not any(p in t for p in (PHONE, OTHER_PHONE, ID_NUMBER) for t in texts)
    if view == "none":
        assert listing.status == case.status == 409
        assert all("STAFF_SEE_CASES=none" in text for text in texts)
        return
    assert listing.status == case.status == 200
    assert number in texts[0] and STORY not in texts[0]
    assert (STORY in texts[1]) == (view == "full")
    assert (f'href="/console/staff/cases/{number}"' in texts[0]) == (view == "full")
    # Lawyers do not get the staff's view.
    [lawyer] = await signed_in(browsers[1:], "wang")  # another browser
    assert (await lawyer.get("/console/staff/cases")).status == 403
