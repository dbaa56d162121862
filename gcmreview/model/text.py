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


class Citation(NamedTuple):
    """One source cited in one place, with its locators, in the three ways a report gives
    it: `short`, its number in the list of sources ("[1], par. 10 et 11": the site, beside
    that list); `full`, the source named ("Rapport du deuxième atelier…, 13 août 2020,
    par. 10"): a footnote; `ibid`, the footnote right after one that cites this source
    alone ("Ibid., par. 10"), as United Nations documents write it; `again`, a later note
    citing a source named before, by its short title if the review gives one."""

    number: int
    short: Text | Phrase
    full: Text | Phrase
    ibid: Text | Phrase
    again: Text | Phrase
