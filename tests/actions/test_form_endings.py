"""How the joining and aid forms end when the worker says no, or after three failed answers:
nothing is kept, and a worker who could not get through is passed to a lawyer."""

from __future__ import annotations

import pytest
from rasa_sdk import Action
from rasa_sdk.executor import CollectingDispatcher

from actions.aid import ActionAidAfterForm
from actions.membership import ActionMembershipAfterForm
from tests.actions.conftest import LoadTracker
from tests.actions.support import (
    FORGET_AID,
    FORGET_MEMBERSHIP,
    FORM_FAILED,
    applications,
    handed_over,
    recorded,
    said,
)

DECLINED = "好的，没有您的同意，我们不会保存任何信息。以后想申请，随时点「{service}」。"


@pytest.mark.parametrize(
    ("action", "fixture", "forgotten", "service"),
    [
        (ActionMembershipAfterForm(), "membership_after_declined", FORGET_MEMBERSHIP, "申请入会"),
        (ActionAidAfterForm(), "aid_after_declined", FORGET_AID, "申请帮扶/救助"),
    ],
    ids=["membership", "aid"],
)
async def test_a_declined_application_keeps_nothing(
    load_tracker: LoadTracker,
    dispatcher: CollectingDispatcher,
    domain: dict,
    desk_database: str,
    action: Action,
    fixture: str,
    forgotten: list[dict],
    service: str,
) -> None:
    assert await action.run(dispatcher, load_tracker(fixture), domain) == forgotten
    assert said(dispatcher) == [(DECLINED.format(service=service), [])]
    assert applications(desk_database) == []


@pytest.mark.parametrize(
    ("action", "fixture", "service"),
    [
        (ActionMembershipAfterForm(), "membership_after_gave_up", "apply_membership"),
        (ActionAidAfterForm(), "aid_after_gave_up", "apply_aid"),
    ],
    ids=["membership", "aid"],
)
async def test_after_giving_up_the_case_goes_to_a_lawyer(
    load_tracker: LoadTracker,
    dispatcher: CollectingDispatcher,
    domain: dict,
    desk_database: str,
    action: Action,
    fixture: str,
    service: str,
) -> None:
    events = await action.run(dispatcher, load_tracker(fixture), domain)
    assert events == handed_over(["form_failed"])  # the form's answers go with it
    assert said(dispatcher) == [(FORM_FAILED, [])]
    assert recorded(desk_database) == [
        ("form_gave_up", service, None),
        ("handoff_started", "request_human", "form_failed"),
    ]
    assert applications(desk_database) == []
