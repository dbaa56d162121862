"""A helper process spoken to in JSON lines: one request per line in, one answer out.

pandoc (`pandoc lua batch.lua`) and typst (`python -m gcmreview.convert.pdf`)
both run so: starting a process per document costs more than the work.
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import tempfile
import threading
from typing import IO, Any

from gcmreview.core.errors import ConversionError, InputError, os_reason
from gcmreview.core.i18n import _

ANSWER_TIMEOUT = 300.0
"""Seconds a helper process may take over one answer before it is stopped: a document
can make pandoc loop for ever (pandoc 3.9 on a footnote that cites itself), and a build
in CI would then wait for the job's own limit. The regional report of 193 States takes
10-20 s."""


class LineProcess:
    def __init__(self, name: str, command: list[str], env: dict[str, str] | None = None,
                 timeout: float | None = None) -> None:
        self.name = name
        self.timeout = ANSWER_TIMEOUT if timeout is None else timeout
        self.timed_out = False
        self.sent = 0
        """Bytes of requests sent so far."""
        # A file, not a pipe: a chatty process must never block on a full stderr pipe.
        self.stderr: IO[bytes] = tempfile.TemporaryFile()  # noqa: SIM115 - closed in close()
        try:
            self.process = subprocess.Popen(command, stdin=subprocess.PIPE,
                                            stdout=subprocess.PIPE, stderr=self.stderr, env=env)
        except OSError as exc:
            self.stderr.close()
            raise InputError(_("cannot start {program} ({path}): {reason}").format(
                program=name, path=command[0], reason=os_reason(exc))) from exc

    def send(self, message: dict[str, Any]) -> None:
        assert self.process.stdin is not None
        payload = _line(message)
        self.sent += len(payload)
        try:
            self.process.stdin.write(payload)
            self.process.stdin.flush()
        except BrokenPipeError:
            raise self.stopped() from None

    def receive(self) -> dict[str, Any]:
        assert self.process.stdout is not None
        # A watchdog, not select(): Windows cannot select on a pipe.
        watchdog = threading.Timer(self.timeout, self._time_out)
        watchdog.daemon = True
        watchdog.start()
        try:
            line = self.process.stdout.readline()
        finally:
            watchdog.cancel()
        if self.timed_out:
            raise ConversionError(_("{program} took more than {seconds} seconds over one "
                                    "document and was stopped").format(
                program=self.name, seconds=round(self.timeout)))
        if not line:
            raise self.stopped()
        answer: dict[str, Any] = json.loads(line)
        return answer

    def _time_out(self) -> None:
        self.timed_out = True
        with contextlib.suppress(OSError):
            self.process.kill()

    def stopped(self) -> ConversionError:
        self.stderr.seek(0)
        output = self.stderr.read().decode(errors="replace").strip()[-2000:]
        return ConversionError(_("{program} stopped unexpectedly: {output}").format(
            program=self.name, output=output))

    def close(self) -> None:
        """Stop the process and release its pipes, whatever state it is in."""
        with contextlib.suppress(OSError):
            if self.process.stdin:
                self.process.stdin.close()
        try:
            self.process.wait(timeout=60)
        except subprocess.TimeoutExpired:
            self.process.kill()
            self.process.wait()
        if self.process.stdout:
            self.process.stdout.close()
        self.stderr.close()


def _line(message: dict[str, Any]) -> bytes:
    """The message as one line of JSON, in UTF-8: Arabic and French as they are, not as
    \\u escapes (an Arabic job is then a third of the bytes, and written 2.7 times
    faster). A lone surrogate (a YAML escape can make one) cannot be UTF-8: escaped."""
    try:
        return json.dumps(message, ensure_ascii=False).encode() + b"\n"
    except UnicodeEncodeError:
        return json.dumps(message).encode() + b"\n"
