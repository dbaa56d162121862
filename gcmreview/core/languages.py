"""The languages gcmreview writes reports and messages in, and their direction."""

from __future__ import annotations

LANGUAGES = ("en", "fr", "ar")
RTL_LANGUAGES = frozenset({"ar"})
FALLBACK_LANGUAGE = "en"
"""Catalogue texts missing in a language fall back to this one, visibly marked."""


def direction(lang: str) -> str:
    return "rtl" if lang in RTL_LANGUAGES else "ltr"
