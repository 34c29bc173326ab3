"""Lawyers racing to claim: threads in one process, then processes with an engine each.

Every worker is a lawyer pressing 接案. First they all press for the same ticket at the same
moment (a barrier), round after round: exactly one may win each round. Then they press for
"the next one" as fast as they can while releasing some of what they hold, so tickets change
hands many times. Afterwards the ticket history is replayed: a ticket is never claimed twice
without a release in between, no lawyer ever holds more than their capacity, and every claim
a worker was told it won is in the audit log, once.
"""

from __future__ import annotations

import multiprocessing
import random
import threading
import traceback
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import select

from desk.cases import lawyers
from desk.cases.tickets import (
    CLAIMED,
    NORMAL,
    OPEN,
    URGENT,
    claim,
    open_or_add,
    release,
    remove_lawyer,
)
from desk.storage.db import get_engine, in_unit_of_work, session_scope
from desk.storage.models import AuditEntry, Ticket, TicketEvent

CAPACITY = {3001: 3, 3002: 2, 3003: 2, 3004: 1}  # Telegram id → cases held at once
TICKETS = 12  # more than the lawyers can hold together, so "next" also meets an empty queue
SAME_TICKET_ROUNDS = 60
NEXT_STEPS = 100


@dataclass(frozen=True)
class Outcome:
    telegram_id: int
    rounds: list[str] = field(default_factory=list)  # "won" or the refusal code, per round
    claims: list[str] = field(default_factory=list)  # numbers this worker was told it won
    releases: list[str] = field(default_factory=list)
    error: str | None = None


def seed(url: str, telegram_ids: Sequence[int]) -> list[str]:
    with session_scope(url) as session:
        for telegram_id in telegram_ids:
            lawyers.register(session, telegram_id, f"律师{telegram_id}", CAPACITY[telegram_id], "t")
        return [
            open_or_add(session, f"tg:{i}", "欠薪", {}, URGENT if i % 3 else NORMAL, ["欠薪"])[
                0
            ].number
            or ""
            for i in range(TICKETS)
        ]


def race(url: str, telegram_id: int, numbers: list[str], barrier: Any, seed_: int) -> Outcome:
    outcome = Outcome(telegram_id)
    try:
        _same_ticket(url, telegram_id, numbers, barrier, outcome)
        _next_ticket(url, telegram_id, random.Random(seed_), outcome)
    except Exception:
        barrier.abort()  # the others must not wait for this worker forever
        return Outcome(telegram_id, error=traceback.format_exc())
    return outcome


def _same_ticket(
    url: str, telegram_id: int, numbers: list[str], barrier: Any, outcome: Outcome
) -> None:
    for round_ in range(SAME_TICKET_ROUNDS):
        number = numbers[round_ % len(numbers)]
        barrier.wait()
        result = in_unit_of_work(url, claim, telegram_id, number)
        outcome.rounds.append("won" if isinstance(result, Ticket) else result.code)
        barrier.wait()  # everyone has pressed; only then does the winner give it back
        if isinstance(result, Ticket):
            outcome.claims.append(number)
            _release(url, telegram_id, number, outcome)


def _next_ticket(url: str, telegram_id: int, rng: random.Random, outcome: Outcome) -> None:
    held: list[str] = []
    for _ in range(NEXT_STEPS):
        result = in_unit_of_work(url, claim, telegram_id)
        if isinstance(result, Ticket):
            held.append(result.number or "")
            outcome.claims.append(result.number or "")
        if held and rng.random() < 0.5:
            _release(url, telegram_id, held.pop(rng.randrange(len(held))), outcome)


def _release(url: str, telegram_id: int, number: str, outcome: Outcome) -> None:
    with session_scope(url) as session:
        release(session, number, telegram_id)
    outcome.releases.append(number)


def _process_main(
    url: str, telegram_id: int, numbers: list[str], barrier: Any, seed_: int, results: Any
) -> None:
    results.put(race(url, telegram_id, numbers, barrier, seed_))
    get_engine(url).dispose()


def check(url: str, outcomes: list[Outcome]) -> None:
    assert [o.error for o in outcomes if o.error] == []
    # Same ticket, same moment: exactly one winner per round; everyone else is told it is
    # taken, or, pressing for the winner's own lawyer with capacity 1, that they are full.
    ids = [o.telegram_id for o in outcomes]
    for round_ in zip(*(o.rounds for o in outcomes), strict=True):
        assert round_.count("won") == 1, round_
        winner = ids[round_.index("won")]
        for telegram_id, code in zip(ids, round_, strict=True):
            full = telegram_id == winner and CAPACITY[winner] == 1
            assert code in ("won", "taken") or (code == "at_capacity" and full), round_

    with session_scope(url) as session:
        events = session.scalars(
            select(TicketEvent)
            .where(TicketEvent.action.in_(("claimed", "released")))
            .order_by(TicketEvent.id)
        ).all()
        holder: dict[int, str | None] = {}
        load: Counter[str] = Counter()
        for event in events:
            if event.action == "claimed":
                assert holder.get(event.ticket_id) is None, "claimed twice without a release"
                holder[event.ticket_id] = event.actor
                load[event.actor] += 1
                assert load[event.actor] <= CAPACITY[int(event.actor.split(":")[1])]
            else:
                assert holder.get(event.ticket_id) == event.actor
                holder[event.ticket_id] = None
                load[event.actor] -= 1
        for ticket in session.scalars(select(Ticket)):
            if ticket.status == CLAIMED:
                assert ticket.assignee is not None
                assert holder[ticket.id] == f"lawyer:{ticket.assignee.telegram_id}"
            else:
                assert ticket.status == OPEN and ticket.assignee_id is None
                assert holder.get(ticket.id) is None

        def logged(action: str) -> Counter[tuple[str, str]]:
            rows = session.execute(
                select(AuditEntry.actor, AuditEntry.subject).where(AuditEntry.action == action)
            )
            return Counter((actor, subject) for actor, subject in rows)

        def told(kind: str) -> Counter[tuple[str, str]]:
            return Counter(
                (f"lawyer:{o.telegram_id}", number) for o in outcomes for number in getattr(o, kind)
            )

        assert logged("ticket.claimed") == told("claims")
        assert logged("ticket.released") == told("releases")
    attempts = sum(len(o.rounds) for o in outcomes) + NEXT_STEPS * len(outcomes)
    assert attempts >= 600 and sum(len(o.claims) for o in outcomes) > 150


def workers(per_lawyer: int) -> list[int]:
    return [telegram_id for telegram_id in CAPACITY for _ in range(per_lawyer)]


def test_threads_race_to_claim(database_url: str) -> None:
    ids = workers(per_lawyer=2)
    numbers = seed(database_url, CAPACITY)
    barrier = threading.Barrier(len(ids), timeout=30)
    outcomes: list[Outcome] = [Outcome(0)] * len(ids)

    def run(index: int, telegram_id: int) -> None:
        outcomes[index] = race(database_url, telegram_id, numbers, barrier, index)

    threads = [threading.Thread(target=run, args=pair) for pair in enumerate(ids)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    check(database_url, outcomes)


def test_processes_race_to_claim(database_url: str) -> None:
    # spawn, not fork: each process starts clean and builds its own engine and pool.
    context = multiprocessing.get_context("spawn")
    ids = workers(per_lawyer=1)
    numbers = seed(database_url, CAPACITY)
    barrier = context.Barrier(len(ids), timeout=60)
    results = context.Queue()
    processes = [
        context.Process(
            target=_process_main, args=(database_url, telegram_id, numbers, barrier, i, results)
        )
        for i, telegram_id in enumerate(ids)
    ]
    for process in processes:
        process.start()
    outcomes = [results.get(timeout=120) for _ in processes]
    for process in processes:
        process.join(timeout=30)
    check(database_url, outcomes)


REMOVAL_ROUNDS = 25


def test_a_lawyer_removed_while_taking_a_case_keeps_none(database_url: str) -> None:
    """Finding 7: staff remove a lawyer at the very moment the lawyer presses 接案, round after
    round. Whichever commits first, afterwards no case is held by an inactive lawyer, and a
    case the lawyer was told they won and then lost went back with its release recorded."""
    lawyer_id = 3001
    seed(database_url, [lawyer_id])
    barrier = threading.Barrier(2, timeout=30)
    won: list[str] = []
    errors: list[str] = []

    def take() -> None:
        try:
            for _ in range(REMOVAL_ROUNDS):
                barrier.wait()
                result = in_unit_of_work(database_url, claim, lawyer_id)
                if isinstance(result, Ticket):
                    won.append(result.number or "")
                barrier.wait()
        except Exception:
            barrier.abort()
            errors.append(traceback.format_exc())

    def remove_and_register_again() -> None:
        try:
            for _ in range(REMOVAL_ROUNDS):
                barrier.wait()
                in_unit_of_work(database_url, remove_lawyer, lawyer_id, "staff:li")
                barrier.wait()
                with session_scope(database_url) as session:  # back for the next round
                    lawyers.register(session, lawyer_id, "律师", CAPACITY[lawyer_id], "t")
                    assert not session.scalars(
                        select(Ticket).where(Ticket.status == CLAIMED)
                    ).all(), "a case stayed with a removed lawyer"
        except Exception:
            barrier.abort()
            errors.append(traceback.format_exc())

    threads = [threading.Thread(target=take), threading.Thread(target=remove_and_register_again)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    with session_scope(database_url) as session:
        released = session.scalars(
            select(TicketEvent.ticket_id).where(TicketEvent.action == "released")
        ).all()
        claimed = session.scalars(
            select(TicketEvent.ticket_id).where(TicketEvent.action == "claimed")
        ).all()
    assert len(claimed) == len(won) == len(released)
