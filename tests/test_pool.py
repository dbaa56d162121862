"""The worker pool behind build, form and import (gcmreview.convert.pool): results as they
are done, an item's expected failure as its result, every other failure raised together
once every thread has ended, and nothing left running when the caller stops early.

The pool's own rules, with workers that are plain objects; tests/test_convert.py and
tests/test_build.py run it with real pandoc and typst processes."""

from __future__ import annotations

import contextlib
import json
import threading
import time
from collections.abc import Iterator
from typing import ClassVar

import pytest

from gcmreview.convert.pool import Pool, Processes
from gcmreview.core.errors import ConversionError, DocumentRefused


class Doubler:
    started: ClassVar[list[Doubler]] = []

    def __init__(self, processes: Processes) -> None:
        self.closed = False
        Doubler.started.append(self)

    def work(self, item: int) -> int:
        if item < 0:
            raise DocumentRefused(f"item {item} refused")
        if item >= 100:
            time.sleep(0.05)  # both workers hold a failing item at once
            raise ConversionError(f"worker failed on {item}")
        return item * 2

    def close(self) -> None:
        self.closed = True


@pytest.fixture(autouse=True)
def fresh() -> Iterator[None]:
    Doubler.started = []
    yield
    assert all(w.closed for w in Doubler.started), "a worker was not closed"
    assert threading.active_count() == 1, "a pool thread is still running"


def test_every_item_comes_back_and_refusals_are_results() -> None:
    pool: Pool[Doubler, int, int] = Pool(2, Doubler, Doubler.work,
                                         item_errors=(DocumentRefused,))
    with contextlib.closing(pool.results([1, -2, 3, 4])) as results:
        done = sorted(results, key=lambda d: d.index)
    assert [(d.item, d.value) for d in done] == [(1, 2), (-2, None), (3, 6), (4, 8)]
    assert str(done[1].error) == "item -2 refused"


def test_every_failure_is_raised_not_only_the_first() -> None:
    pool: Pool[Doubler, int, int] = Pool(2, Doubler, Doubler.work)
    with pytest.raises(ConversionError) as raised, \
            contextlib.closing(pool.results([100, 101])) as results:
        list(results)
    assert "worker failed on 100" in raised.value.message
    assert "worker failed on 101" in raised.value.message


def test_an_item_that_cannot_be_made_stops_the_pool() -> None:
    def items() -> Iterator[int]:
        yield 1
        raise ConversionError("the template failed")

    pool: Pool[Doubler, int, int] = Pool(2, Doubler, Doubler.work)
    with pytest.raises(ConversionError, match="the template failed"), \
            contextlib.closing(pool.results(items())) as results:
        list(results)


def test_a_worker_that_cannot_start_closes_those_started() -> None:
    def start(processes: Processes) -> Doubler:
        if Doubler.started:
            raise ConversionError("pandoc cannot start")
        return Doubler(processes)

    pool: Pool[Doubler, int, int] = Pool(3, start, Doubler.work)
    with pytest.raises(ConversionError, match="cannot start"), \
            contextlib.closing(pool.results([1])) as results:
        list(results)
    assert len(Doubler.started) == 1


def test_stopping_early_ends_every_thread() -> None:
    pool: Pool[Doubler, int, int] = Pool(2, Doubler, Doubler.work)
    with contextlib.closing(pool.results(range(1000))) as results:
        first = next(results)
    assert first.value == first.item * 2


def test_a_request_is_one_line_of_utf8_json_whatever_its_text() -> None:
    """Arabic as it is (a third of the bytes of \\u escapes); a line separator inside a
    text does not end the line; a lone surrogate, which UTF-8 cannot hold, is escaped."""
    from gcmreview.convert.process import _line

    arabic = _line({"text": "الهجرة\u2028next"})
    assert arabic.count(b"\n") == 1 and arabic.endswith(b"\n")
    assert "الهجرة".encode() in arabic and json.loads(arabic)["text"] == "الهجرة\u2028next"
    odd = _line({"text": "a\ud800b"})
    assert odd == b'{"text": "a\\ud800b"}\n'


def test_a_helper_that_never_answers_is_stopped() -> None:
    """A document can make pandoc loop for ever (a footnote that cites itself): after
    its time, the process is stopped and the document fails with a message."""
    import sys
    import time

    from gcmreview.convert.process import LineProcess
    from gcmreview.core.errors import ConversionError

    helper = LineProcess("sleeper", [sys.executable, "-c",
                                     "import sys, time; sys.stdin.readline(); time.sleep(60)"],
                         timeout=1.0)
    started = time.monotonic()
    helper.send({"job": 1})
    with pytest.raises(ConversionError, match="took more than 1 seconds"):
        helper.receive()
    assert time.monotonic() - started < 20
    helper.close()
