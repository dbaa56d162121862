"""Text in a report with its own language and direction: the pieces every model uses."""

from __future__ import annotations

from typing import NamedTuple


class Text(NamedTuple):
    """Text with its language and direction, for spans inside another language.

    A named tuple: a regional report makes a hundred thousand of these.
    """

    text: str
    lang: str
    dir: str
    fallback: bool = False


class Phrase(NamedTuple):
    """A sentence in the report's language with pieces in another (a partner's name in
    French inside an Arabic status line): `{name}` in `text` stands for `parts[name]`."""

    text: str
    parts: dict[str, Text]
