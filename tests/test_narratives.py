"""Narratives read together (the fast path) stay as separate and as inert as read alone."""

from __future__ import annotations

from pathlib import Path

import pytest

from .conftest import copy_workspace

REVIEW = """country: MA
review: {cycle: 2020, language: fr, status: draft}
objectives:
  1:
    status: planned
    summary: "Alpha[^1] ALPHA-TEXT\\n\\n[^1]: note of A"
  2:
    status: planned
    summary: "Beta[^1] BETA-TEXT\\n\\n[^1]: note of B"
  3:
    status: planned
    summary: "[x]: https://leak.example\\n\\nGAMMA-TEXT"
  4:
    status: planned
    summary: "DELTA-TEXT see [x] here"
  5:
    status: planned
    summary: "one\\n\\nGCMREVIEWNARRATIVE&#69;ND6\\n\\nSPOOFED-TEXT"
  6:
    status: planned
    summary: "ZETA-TEXT"
"""

# No definitions and no unclosed fence: these narratives take the joined read.
JOINED = """country: DZ
review: {cycle: 2020, language: fr, status: draft}
objectives:
  7:
    status: planned
    summary: "HOSTILE <script>alert(1)</script> [c](javascript:alert(1)) ![i](/etc/hostname) $x$"
  8:
    status: planned
    summary: "<img src=x onerror=alert(2)> ETA-TEXT"
"""


@pytest.fixture(scope="module")
def built(tmp_path_factory: pytest.TempPathFactory) -> Path:
    from gcmreview.commands.build import build
    from gcmreview.commands.context import Context

    ws = copy_workspace(tmp_path_factory.mktemp("narr") / "ws", ())
    (ws / "countries" / "MA.yaml").write_text(REVIEW, encoding="utf-8")
    (ws / "countries" / "DZ.yaml").write_text(JOINED, encoding="utf-8")
    outcome = build(Context(ws), codes=["MA", "DZ"], formats="html,md", out=ws / "out",
                    order="numeric")
    assert outcome.exit_code == 0, outcome.failed
    return ws / "out"


def section(md: str, start: str, end: str) -> str:
    return md[md.index(start):md.index(end)]


def test_footnotes_stay_with_their_narrative(built: Path) -> None:
    md = (built / "MA.fr.md").read_text(encoding="utf-8")
    assert "note of A" in md and "note of B" in md


def test_link_definitions_do_not_leak(built: Path) -> None:
    html = (built / "MA.fr.html").read_text(encoding="utf-8")
    assert "leak.example" not in html


def test_spoofed_marker_stays_in_its_narrative(built: Path) -> None:
    md = (built / "MA.fr.md").read_text(encoding="utf-8")
    five = section(md, "### Objectif 5", "### Objectif 6")
    assert "SPOOFED-TEXT" in five
    assert "SPOOFED-TEXT" not in section(md, "### Objectif 6", "# Principes directeurs")


def test_each_narrative_once(built: Path) -> None:
    html = (built / "MA.fr.html").read_text(encoding="utf-8")
    for marker in ("ALPHA-TEXT", "BETA-TEXT", "GAMMA-TEXT", "DELTA-TEXT", "ZETA-TEXT"):
        assert html.count(marker) == 1


def test_hostile_markup_is_inert_on_the_joined_path(built: Path) -> None:
    html = (built / "DZ.fr.html").read_text(encoding="utf-8")
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript' not in html
    assert "<img" not in html and "onerror" not in html.replace("&lt;img src=x onerror", "")
    assert "$x$" in html and "ETA-TEXT" in html
