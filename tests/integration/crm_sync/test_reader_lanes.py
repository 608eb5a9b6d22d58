"""How the sync waits on a lane of the child reader: real processes and queues, no CRM."""

from __future__ import annotations

import multiprocessing
import os
import queue
import time
from datetime import UTC, datetime
from typing import Any

import pytest

from hireflow.apps.crm_reader import ProcessReader, _check_in_child, _next
from hireflow.domain.models.crm_sync import CrmEntity
from hireflow.shared.config import Settings
from hireflow.shared.errors import ServiceUnavailable

CONTEXT = multiprocessing.get_context("spawn")


def _exit_with(code: int) -> None:
    raise SystemExit(code)


def _hand_over_then_exit(handoff: Any, delay: float) -> None:
    time.sleep(delay)
    handoff.put(("page", "late"))


def _started(target: Any, *args: Any, name: str) -> Any:
    process = CONTEXT.Process(target=target, args=args, name=name, daemon=True)
    process.start()
    return process


@pytest.fixture
def handoff() -> Any:
    made = CONTEXT.Queue()
    yield made
    made.close()


def test_a_lane_whose_child_died_is_an_error_naming_it(handoff: Any) -> None:
    checker = _started(_exit_with, 3, name="hireflow-check-crm-1")
    fetcher = _started(_exit_with, 0, name="hireflow-read-crm")
    checker.join()
    fetcher.join()

    with pytest.raises(ServiceUnavailable, match=r"hireflow-check-crm-1 ended unexpectedly \(exit 3\)"):
        _next(handoff, checker, fetcher)


def test_a_fetching_child_that_died_fails_every_lane_it_feeds(handoff: Any) -> None:
    checker = _started(
        time.sleep, 30, name="hireflow-check-crm-1"
    )  # alive, waiting for pages that never come
    fetcher = _started(_exit_with, 9, name="hireflow-read-crm")
    fetcher.join()
    try:
        with pytest.raises(ServiceUnavailable, match=r"hireflow-read-crm ended unexpectedly \(exit 9\)"):
            _next(handoff, checker, fetcher)
    finally:
        checker.terminate()
        checker.join()


def test_a_lane_still_checking_is_waited_for_after_the_fetching_child_finished(handoff: Any) -> None:
    fetcher = _started(_exit_with, 0, name="hireflow-read-crm")
    checker = _started(_hand_over_then_exit, handoff, 1.5, name="hireflow-check-crm-1")
    fetcher.join()

    assert _next(handoff, checker, fetcher) == ("page", "late")
    checker.join()


def test_a_page_handed_over_by_a_child_that_has_since_ended_is_still_taken(handoff: Any) -> None:
    checker = _started(_hand_over_then_exit, handoff, 0.0, name="hireflow-check-crm-1")
    checker.join()

    assert _next(handoff, checker, checker) == ("page", "late")


def test_the_lanes_default_to_one_per_core_but_one_and_a_setting_overrides_them(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for cores, lanes in [(1, 1), (2, 1), (3, 2), (8, 4)]:
        monkeypatch.setattr("os.cpu_count", lambda cores=cores: cores)
        assert ProcessReader("bullhorn", Settings()).lanes == lanes, cores
    assert ProcessReader("bullhorn", Settings(crm_reader_lanes=3)).lanes == 3
    assert ProcessReader("bullhorn", Settings(crm_reader_lanes=3), lanes=1).lanes == 1


def _drained(handoff: Any) -> list[tuple[Any, ...]]:
    items = []
    while True:
        try:
            items.append(handoff.get(timeout=0.2))
        except queue.Empty:
            return items


@pytest.mark.parametrize(
    ("last", "passed_on"),
    [(("end",), [("end",)]), (("error", "ServiceUnavailable", "gone"), [("error", "ServiceUnavailable", "gone")]),
     (("stop",), [])],
)  # fmt: skip
def test_a_checking_child_checks_its_pages_then_passes_the_end_or_an_error_on_and_stops_silently(
    last: tuple[Any, ...], passed_on: list[tuple[Any, ...]]
) -> None:
    inbox: queue.Queue[tuple[Any, ...]] = queue.Queue()
    output: queue.Queue[tuple[Any, ...]] = queue.Queue()
    page = [("7", datetime(2026, 3, 1, tzinfo=UTC), False, {"id": 7, "firstName": "Ana"})]
    inbox.put(("rows", page, 1))
    inbox.put(last)

    _check_in_child(("bullhorn", Settings(), CrmEntity.CANDIDATES), inbox, output, os.getppid())

    (checked, *rest) = _drained(output)
    assert checked[0] == "page"
    assert checked[1:3] == (page, 1)
    assert checked[3] == []  # no phone, no last name: not a valid candidate
    assert [index for index, _ in checked[4]] == [0]
    assert rest == passed_on


def test_a_checking_child_that_fails_reports_the_error_in_its_turn() -> None:
    inbox: queue.Queue[tuple[Any, ...]] = queue.Queue()
    output: queue.Queue[tuple[Any, ...]] = queue.Queue()
    inbox.put(
        ("rows", [("7", datetime(2026, 3, 1, tzinfo=UTC), False, None)], 1)
    )  # no payload: the parser fails

    _check_in_child(("bullhorn", Settings(), CrmEntity.CANDIDATES), inbox, output, os.getppid())

    ((kind, error_type, _),) = _drained(output)
    assert (kind, error_type) == ("error", "AttributeError")
