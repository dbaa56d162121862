"""The YAML loader: traps, positions, refusals and encodings."""

from __future__ import annotations

import time
from pathlib import Path

from gcmreview.core.diagnostics import Position, TextFix
from gcmreview.load.loader import MAX_FILE_BYTES, load_file, load_text, peek, position_of


def codes(text: str) -> list[tuple[int, int, str]]:
    result = load_text(text)
    return [(d.position.line, d.position.column, d.code) for d in result.diagnostics]


def test_yaml_11_traps_stay_strings() -> None:
    data = load_text(
        "country: NO\ntime: 12:30\na: on\nb: yes\nc: off\nd: true\nz: 0123\n"
        "date: 2024-01-31\nn: ~\n"
    ).data
    assert data == {"country": "NO", "time": "12:30", "a": "on", "b": "yes", "c": "off",
                    "d": True, "z": 123, "date": "2024-01-31", "n": None}


def test_positions_of_keys_and_values() -> None:
    data = load_text("a:\n  b: [x, y]\n  c:\n    - k: v\n").data
    assert position_of(data, ["a", "b"]) == Position(2, 6)
    assert position_of(data, ["a", "b"], key=True) == Position(2, 3)
    assert position_of(data, ["a", "b", 1]) == Position(2, 10)
    assert position_of(data, ["a", "c", 0, "k"]) == Position(4, 10)
    # a missing child falls back to the nearest ancestor
    assert position_of(data, ["a", "missing"]) == Position(2, 3)


def test_duplicate_key_names_both_lines() -> None:
    result = load_text("a: 1\nb: 2\na: 3\n")
    assert result.data is None
    (d,) = result.diagnostics
    assert (d.position, d.code) == (Position(3, 1), "duplicate-key")
    assert "line 1" in d.message and "line 3" in d.message


def test_aliases_and_tags_are_refused() -> None:
    assert codes("a: &x [1]\nb: *x\n") == [(1, 4, "yaml-alias")]
    assert codes("a: &x [1]\n") == [(1, 4, "yaml-alias")]  # an anchor alone too
    assert codes("a: [1, &y 2]\n") == [(1, 8, "yaml-alias")]
    assert codes("a: 'R&D & more'\nb: x&y\n") == []  # "&" inside values is text
    assert codes("a: !!python/object:os.system x\n") == [(1, 4, "yaml-tag")]
    assert codes("a: !custom x\n") == [(1, 4, "yaml-tag")]
    assert codes("a: !!binary aGk=\n") == [(1, 4, "yaml-tag")]


def test_alias_bomb_fails_fast() -> None:
    lines = ["a: &a [x, x, x, x, x, x, x, x, x]"]
    for i in range(1, 9):
        prev, cur = chr(96 + i), chr(97 + i)
        lines.append(f"{cur}: &{cur} [" + ", ".join([f"*{prev}"] * 9) + "]")
    start = time.perf_counter()
    result = load_text("\n".join(lines) + "\n")
    assert time.perf_counter() - start < 0.1
    assert [d.code for d in result.diagnostics] == ["yaml-alias"]


def test_syntax_error_is_positioned() -> None:
    assert codes("a: [1,\nb: 2\n")[0][2] == "yaml-syntax"
    assert codes("a: \x07\n") == [(1, 4, "yaml-syntax")]


def test_empty_and_non_mapping_files() -> None:
    assert codes("") == [(1, 1, "empty-file")]
    assert codes("# only a comment\n") == [(1, 1, "empty-file")]
    assert codes("- a\n- b\n") == [(1, 1, "not-a-mapping")]


def test_bom_and_crlf_are_accepted(tmp_path: Path) -> None:
    path = tmp_path / "MA.yaml"
    path.write_bytes(b"\xef\xbb\xbfcountry: MA\r\nnote: \xc3\xa9t\xc3\xa9\r\n")
    result = load_file(path, "MA.yaml")
    assert result.diagnostics == []
    assert result.data == {"country": "MA", "note": "été"}


def test_latin1_byte_is_located(tmp_path: Path) -> None:
    path = tmp_path / "MA.yaml"
    path.write_bytes(b"country: MA\nnote: caf\xe9 ok\n")
    (d,) = load_file(path, "MA.yaml").diagnostics
    assert (d.position, d.code) == (Position(2, 10), "encoding")
    assert "0xE9" in d.message and "UTF-8" in d.hint


def test_utf16_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "MA.yaml"
    path.write_bytes("country: MA\n".encode("utf-16"))
    (d,) = load_file(path, "MA.yaml").diagnostics
    assert d.code == "encoding" and "UTF-16" in d.message


def test_oversized_file_is_refused(tmp_path: Path) -> None:
    path = tmp_path / "MA.yaml"
    path.write_bytes(b"a: " + b"x" * MAX_FILE_BYTES + b"\n")
    (d,) = load_file(path, "MA.yaml").diagnostics
    assert d.code == "file-too-large"


def test_a_refused_file_is_read_past_its_line_mistakes() -> None:
    """Every line mistake is reported, each where the file has it, and the data read past
    them comes with the file (the file itself stays unread: `data` is None)."""
    result = load_text("country: MA\nreview:\n\tcycle: 2020\n  language: fr\n"
                       "  note: Priorité : haute  # voir : plus bas\n")
    assert result.data is None
    assert [(d.position.line, d.position.column, d.code) for d in result.diagnostics] == [
        (3, 1, "tab-character"), (5, 18, "colon-in-text")]
    assert result.repaired is not None
    assert result.repaired.data == {"country": "MA", "review": {
        "cycle": 2020, "language": "fr", "note": "Priorité : haute"}}
    tab, colon = result.diagnostics
    assert tab.fix == TextFix(3, 1, "\t", "  ")  # safe: what --fix may do
    assert colon.fix is None  # quotes or a block: the writer chooses
    assert '  note: "Priorité : haute"  # voir : plus bas' in (colon.hint or "")


def test_a_tab_that_could_mean_two_things_is_said_so() -> None:
    """Under `5:`, a tab-indented `challenges` is a sibling of `5` (2 spaces) or of `status`
    (4): both read, differently. Reported, with no fix."""
    result = load_text("objectives:\n  5:\n    status: planned\n    summary: x\n"
                       "\tchallenges: []\n")
    (tab,) = result.diagnostics
    assert tab.code == "tab-character" and tab.fix is None
    assert "with the tab as 2 and as 4 spaces" in (tab.hint or "")
    unique = load_text("review:\n\tcycle: 2020\n  language: fr\n")
    assert unique.diagnostics[0].fix == TextFix(2, 1, "\t", "  ")


def test_what_cannot_be_read_past_is_one_plain_error() -> None:
    result = load_text("a: [1,\nb: 2\n\tc: 3\n")
    assert [d.code for d in result.diagnostics][-1] == "yaml-syntax"
    assert result.repaired is None


def test_peek_reads_one_top_level_key_from_its_own_lines() -> None:
    head = b"country: MA\nreview:\n  cycle: 2024\n  # a comment\n  language: 'ar'\n"
    assert peek(head + b"objectives:\n  1: {status: planned}\n", "review") == {
        "cycle": 2024, "language": "ar"}
    assert peek(b"review: {language: fr}\nobjectives: {}\n", "review") == {"language": "fr"}
    # what the first lines cannot tell, the caller reads the whole file for
    assert peek(head, "review") is None  # nothing after it: the rest is not known to end
    assert peek(b"country: MA\nobjectives: {}\n", "review") is None
    assert peek(b"review:\n  language: [fr\nobjectives: {}\n", "review") is None
    assert peek(b"review:\n  language: \xe9\nobjectives: {}\n", "review") is None
    assert peek(b"a: &x 1\nreview:\n  language: fr\nb: 2\n", "review") is None  # an anchor
    assert peek(b"x: " + b"y" * 9000 + b"\nreview: {language: fr}\nb: 2\n", "review") is None
