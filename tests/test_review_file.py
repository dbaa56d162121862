"""Review files written by `import` (gcmreview.render.review_file): the file on record
edited in place, or a new file in `gcmreview new`'s layout; both read back as the data."""

from __future__ import annotations

import copy
from pathlib import Path

import pytest

from gcmreview.load.catalogue import builtin
from gcmreview.load.loader import load_bytes, load_file
from gcmreview.render.review_file import canonical, catalogue_titles, plain, updated
from tests.conftest import DATA, ROOT

FILES = sorted((ROOT / "countries").glob("*.yaml")) + sorted(
    (DATA / "word" / "synthetic").glob("*.yaml"))


def data_of(path: Path) -> dict:
    loaded = load_file(path, path.name)
    assert loaded.data is not None
    return plain(loaded.data)


def read_back(text: str) -> object:
    loaded = load_bytes(text.encode("utf-8"), Path("XX.yaml"), "XX.yaml")
    assert loaded.data is not None, loaded.diagnostics
    return plain(loaded.data)


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_unchanged_data_leaves_the_file_as_it_is(path: Path) -> None:
    text = path.read_text(encoding="utf-8")
    assert updated(text, data_of(path)) == text


@pytest.mark.parametrize("path", FILES, ids=lambda p: p.stem)
def test_a_new_file_reads_back_as_the_data(path: Path) -> None:
    data = data_of(path)
    text = canonical(data, catalogue_titles(builtin(), data["review"]["language"]),
                     ["Imported by a test."])
    assert read_back(text) == data
    assert text.startswith("# Imported by a test.\ncountry: ")


def test_the_layout_of_a_new_file() -> None:
    data = data_of(ROOT / "countries" / "MA.yaml")
    text = canonical(data, catalogue_titles(builtin(), "fr"), ["Imported."])
    assert "\n\nobjectives:\n  # 5. Faire en sorte que les filières de migration régulière" in text
    assert '  date: "2020-08-13"\n' in text  # a date stays text
    assert "    summary: >-\n      Le Maroc compte la garantie" in text
    assert "    principles: [international-cooperation]\n" in text
    assert '      details: "Organisations non gouvernementales"\n' in text


def test_edits_keep_comments_order_and_untouched_lines() -> None:
    path = ROOT / "countries" / "MA.yaml"
    text = path.read_text(encoding="utf-8")
    data = copy.deepcopy(data_of(path))
    data["objectives"][23]["status"] = "implemented"
    data["objectives"][7] = {"status": "in_progress", "summary": "Des centres ont ouvert."}
    del data["objectives"][10]
    data["covid19"] = {"summary": "yes"}  # a YAML 1.1 boolean word, kept as text
    edited = updated(text, data)
    assert read_back(edited) == data
    assert "# Fichier d'exemple construit" in edited
    assert "# Objectifs 5, 10 et 21 : le rapport les cite" in edited
    numbers = [line.strip() for line in edited.splitlines()
               if line.startswith("  ") and line.strip().rstrip(":").isdigit()]
    assert numbers == ["5:", "7:", "21:", "23:"]  # in order, 10 gone
    before, after = text.splitlines(), edited.splitlines()
    assert before[:60] == after[:60]  # the sections before the objectives are untouched


def test_text_from_word_with_no_break_spaces_is_written_as_a_block() -> None:
    """French text from Word holds no-break spaces before colons: the file keeps it as a
    block a person can edit, not an escaped one-line string; a text with an invisible mark
    stays in double quotes."""
    data = data_of(ROOT / "countries" / "MA.yaml")
    summary = "Priorité\u00a0: « Intilaka » lancé en 2020.\n\nDeuxième paragraphe\u00a0: texte."
    data["objectives"][5]["summary"] = summary
    data["objectives"][10]["summary"] = "Un repère\u200f invisible.\nDeux lignes."
    text = canonical(data, catalogue_titles(builtin(), "fr"), ["Imported."])
    assert "    summary: |-\n      Priorité\u00a0: « Intilaka » lancé en 2020.\n\n" in text
    assert 'summary: "Un repère\u200f invisible.\\nDeux lignes."' in text
    assert read_back(text) == data
