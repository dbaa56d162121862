"""Read Word documents with pandoc's docx reader, for `gcmreview import`.

One `pandoc lua word.lua` process reads every document of an import (a process
per file would cost more than the reading) and gives back each one as plain
blocks (gcmreview.model.document). It also writes narratives of the review on
file the way an import writes them, so an answer nobody touched keeps its text.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path
from typing import Any

from gcmreview.convert.pandoc import RTS_OPTIONS, pandoc_path
from gcmreview.convert.process import LineProcess
from gcmreview.core.errors import ConversionError
from gcmreview.core.i18n import _
from gcmreview.core.narrative import policy
from gcmreview.model.document import Block, Cell, WordDocument


def _cell(data: dict[str, Any]) -> Cell:
    return Cell(data.get("text") or "", data.get("markdown") or "",
                tuple(data.get("lines") or ()), int(data.get("images") or 0))


def _block(data: dict[str, Any]) -> Block:
    return Block(
        kind=data["kind"], index=int(data["index"]), text=data.get("text") or "",
        markdown=data.get("markdown") or "", level=int(data.get("level") or 0),
        bold=bool(data.get("bold")),
        rows=tuple(tuple(_cell(c) for c in row) for row in data.get("rows") or ()),
        header_rows=int(data.get("header_rows") or 0), style=data.get("style") or "",
        images=int(data.get("images") or 0))


class WordReader:
    """A pandoc process reading .docx files one after the other."""

    def __init__(self) -> None:
        env = {**os.environ, "LC_ALL": "C.UTF-8"}
        script = Path(__file__).with_name("word.lua")
        self.process = LineProcess("pandoc", [
            str(pandoc_path()), "+RTS", *RTS_OPTIONS, "-RTS", "lua", str(script)], env)
        self.process.send({"policy": policy()})
        self.folder = tempfile.TemporaryDirectory(prefix="gcmreview-import-")
        self.count = 0

    def _ask(self, request: dict[str, Any]) -> dict[str, Any]:
        self.count += 1
        request["id"] = self.count
        self.process.send(request)
        answer = self.process.receive()
        if answer.get("id") != self.count:
            raise ConversionError(_("pandoc gave an unexpected answer: {output}").format(
                output=self.process.stopped().message))
        return answer

    def read(self, data: bytes, shown_as: str) -> WordDocument:
        """The document's blocks; `data` is the checked .docx (gcmreview.load.docx)."""
        path = Path(self.folder.name) / f"document-{self.count + 1}.docx"
        path.write_bytes(data)
        try:
            answer = self._ask({"read": str(path)})
        finally:
            path.unlink(missing_ok=True)
        if not answer.get("ok"):
            raise ConversionError(_("pandoc could not read {path}: {reason}").format(
                path=shown_as, reason=answer.get("error")),
                hint=_("open it in Word or LibreOffice and save it again as a Word document "
                       "(.docx)"))
        return WordDocument(tuple(_block(b) for b in answer["blocks"]))

    def canonical(self, texts: list[str]) -> list[str]:
        """Narratives as an import would write them (parsed, sanitised, written back)."""
        if not texts:
            return []
        answer = self._ask({"canonical": texts})
        if not answer.get("ok"):
            raise ConversionError(_("pandoc failed: {reason}").format(
                reason=answer.get("error")))
        return list(answer["canonical"])

    def close(self) -> None:
        self.process.close()
        self.folder.cleanup()

    def __enter__(self) -> WordReader:
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()
