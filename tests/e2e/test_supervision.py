"""kill -9 of Rasa or the action server in the middle of a joining form: the gateway apologises
while it is down, the process is restarted, and the form goes on from the question it was at."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from bot.gateway import Gateway
from bot.rasa_client import RasaClient
from desk.common import replies
from desk.storage.db import session_scope
from desk.storage.models import Application
from launcher.processes import ProcessGroup
from launcher.stack import StackConfig
from tests.e2e.faults import kill, say, supervised_stack, wait_restarted
from tests.e2e.test_membership import new_id_number


@pytest.fixture
def supervised(tmp_path: Path) -> Iterator[tuple[StackConfig, ProcessGroup]]:
    with supervised_stack(tmp_path) as running:
        yield running


async def test_a_killed_action_server_or_rasa_costs_one_apology_and_no_answer(
    supervised: tuple[StackConfig, ProcessGroup],
) -> None:
    config, group = supervised
    rasa = RasaClient(config.rasa_url, 20)
    gateway = Gateway(rasa, 2000, config.database_url)
    sender, id_number = "tg:7001", new_id_number()
    try:
        assert "您同意吗" in await say(gateway, sender, "我想申请入会")
        assert "姓名" in await say(gateway, sender, "/affirm")
        assert "身份证号" in await say(gateway, sender, "王强")

        # The action server dies: the answer is neither taken nor lost, the worker is told.
        restarts = kill(group, "actions")
        assert await say(gateway, sender, id_number) == replies.RASA_UNAVAILABLE
        wait_restarted(group, config, "actions", restarts)
        assert "手机号" in await say(gateway, sender, id_number)

        # Rasa dies: the same; the conversation is in its tracker store and goes on.
        restarts = kill(group, "rasa")
        assert await say(gateway, sender, "13912345678") == replies.RASA_UNAVAILABLE
        wait_restarted(group, config, "rasa", restarts)
        assert "单位" in await say(gateway, sender, "13912345678")

        assert "什么工作" in await say(gateway, sender, "美团")
        assert "区县" in await say(gateway, sender, "外卖骑手")
        assert "其他工会的会员" in await say(gateway, sender, "天山区")
        assert "请核对" in await say(gateway, sender, "不是")
        assert "已提交" in await say(gateway, sender, "/affirm")
    finally:
        await rasa.close()
    with session_scope(config.database_url) as session:
        count = select(func.count()).select_from(Application).where(Application.chat_id == sender)
        assert session.scalar(count) == 1
