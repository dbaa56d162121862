"""One pool of worker threads, each talking to processes of its own (pandoc, typst).

`build` and `form` convert documents through it, `import` reads Word documents
through it. Items are read from an iterable in a thread of their own (a build
renders the next document while pandoc converts the ones before), one worker per
core takes them, and results come back to the caller as they are done, so the
caller's own work on one (finishing a DOCX, importing a review) overlaps the
workers' on the next.

One error channel: an item that fails in an expected way (`item_errors`: a Word
file refused) is that item's result and the others go on; anything else that fails
(a worker that cannot start or stops, an item that cannot be made) stops the pool:
no new item is taken, the items under way finish, and every such failure is
raised together once all threads have ended. If the
caller is interrupted (Ctrl-C, SIGTERM), every process is killed and every thread
has ended before the interruption goes on: nothing writes into the output any more.
"""

from __future__ import annotations

import contextlib
import queue
import threading
from collections.abc import Callable, Generator, Iterable
from dataclasses import dataclass
from typing import Any, Generic, Protocol, TypeVar

from gcmreview.convert.process import LineProcess
from gcmreview.core.errors import ConversionError, GcmReviewError

T = TypeVar("T")
R = TypeVar("R")


class Worker(Protocol):
    def close(self) -> None: ...


W = TypeVar("W", bound=Worker)


class Processes:
    """Every process the pool's workers start, so that all can be stopped at once."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._running: list[LineProcess] = []
        self.stopping = threading.Event()

    def started(self, process: LineProcess) -> None:
        with self._lock:
            self._running.append(process)
        if self.stopping.is_set():
            process.process.kill()

    def kill(self) -> None:
        self.stopping.set()
        with self._lock:
            for process in self._running:
                process.process.kill()  # a worker waiting for its answer gets one at once


@dataclass(frozen=True)
class Done(Generic[T, R]):
    index: int
    """The item's position in the iterable."""
    item: T
    value: R | None = None
    error: GcmReviewError | None = None
    """The item failed in an expected way (one of `item_errors`); the others went on."""


def raise_all(failures: list[BaseException]) -> None:
    """Every failure at once: one error saying each of them, or a group when one of
    them is a bug (its traceback is wanted)."""
    if not failures:
        return
    if len(failures) == 1:
        raise failures[0]
    if all(isinstance(f, GcmReviewError) for f in failures):
        messages = list(dict.fromkeys(f.message for f in failures  # type: ignore[attr-defined]
                                      ))
        raise ConversionError("\n".join(messages)) from failures[0]
    raise BaseExceptionGroup("several workers failed", failures)


class Pool(Generic[W, T, R]):
    def __init__(self, size: int, start: Callable[[Processes], W],
                 work: Callable[[W, T], R],
                 item_errors: tuple[type[GcmReviewError], ...] = ()) -> None:
        self.size = max(1, size)
        self.start = start
        """Makes one worker, registering each process it starts (in the caller's thread:
        a worker that cannot start fails the pool at once)."""
        self.work = work
        self.item_errors = item_errors

    def results(self, items: Iterable[T]) -> Generator[Done[T, R], None, None]:
        """Each item's result, in the order they are done. Use it in
        `contextlib.closing(...)`: stopping early stops the workers."""
        processes = Processes()
        workers: list[W] = []
        try:
            for _worker in range(self.size):
                workers.append(self.start(processes))
        except BaseException:
            for worker in workers:
                worker.close()
            raise
        todo: queue.Queue[tuple[int, T] | None] = queue.Queue(maxsize=2 * self.size)
        done: queue.Queue[Done[T, R] | None] = queue.Queue(maxsize=2 * self.size)
        failures: list[BaseException] = []
        failed = threading.Event()
        """Take no new item: something failed (the items under way finish)."""

        def stopped() -> bool:
            return failed.is_set() or processes.stopping.is_set()

        def feed() -> None:
            try:
                for index, item in enumerate(items):
                    if stopped():
                        break
                    todo.put((index, item))
            except BaseException as exc:
                failures.append(exc)
                failed.set()
            finally:
                for _mark in workers:
                    todo.put(None)

        def serve(worker: W) -> None:
            try:
                while (task := todo.get()) is not None:
                    if stopped():
                        continue  # drain the queue: the feeder is waiting to put its end marks
                    index, item = task
                    try:
                        done.put(Done(index, item, self.work(worker, item)))
                    except self.item_errors as exc:
                        done.put(Done(index, item, error=exc))
                    except BaseException as exc:
                        if not processes.stopping.is_set():  # not the aftermath of a kill
                            failures.append(exc)
                        failed.set()
            finally:
                worker.close()
                done.put(None)

        threads = [threading.Thread(target=feed, daemon=True),
                   *(threading.Thread(target=serve, args=(w,), daemon=True) for w in workers)]
        for thread in threads:
            thread.start()
        ended = 0
        try:
            while ended < len(workers):
                result = done.get()
                if result is None:
                    ended += 1
                elif not stopped():
                    yield result
        finally:
            # Normally every thread has ended here. Interrupted, or stopped early: stop
            # every process, then wait for every thread, even through a second interrupt.
            if ended < len(workers):
                processes.kill()
            _join(threads, done, processes)
        raise_all(failures)


def _join(threads: list[threading.Thread], done: queue.Queue[Any],
          processes: Processes) -> None:
    interrupted: BaseException | None = None
    while any(t.is_alive() for t in threads):
        try:
            with contextlib.suppress(queue.Empty):
                done.get(timeout=0.05)  # a worker may be waiting to hand in a result
        except BaseException as exc:
            interrupted = interrupted or exc
            processes.kill()  # again: killing twice is harmless
    if interrupted is not None:
        raise interrupted
