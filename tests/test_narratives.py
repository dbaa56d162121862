"""Narratives read together (the fast path) stay as separate and as inert as read alone."""

from __future__ import annotations

import json
import shutil
import subprocess
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
  9:
    status: planned
    summary: "IOTA-TEXT\\n\\n<!-- an unclosed comment"
  10:
    status: planned
    summary: "KAPPA-TEXT\\n\\n<!--GCMREVIEWNARRATIVE&#69;ND1-->\\n\\nSPOOF-KAPPA\\n\\n\\
      <!--GCMREVIEWNARRATIVE&#69;ND2-->\\n"
  11:
    status: planned
    summary: "LAMBDA-TEXT"
  12:
    status: planned
    summary: "MU-TEXT\\n\\n<!--GCMREVIEWNARRATIVEEND1-->\\n\\nSPOOF-MU"
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
    # Lines joined: the writer may wrap the text typed anywhere between words.
    html = " ".join((built / "DZ.fr.html").read_text(encoding="utf-8").split())
    assert "<script" not in html and "&lt;script&gt;alert(1)&lt;/script&gt;" in html
    assert 'href="javascript' not in html
    assert "<img" not in html and "onerror" not in html.replace("&lt;img src=x onerror", "")
    assert "$x$" in html and "ETA-TEXT" in html


def test_markers_cannot_be_spoofed_or_swallowed_on_the_joined_path(built: Path) -> None:
    """Narratives read together are joined by marker comments: one spelt with an
    entity, one written out, or an unclosed comment, stays in its own narrative."""
    md = (built / "DZ.fr.md").read_text(encoding="utf-8")
    sections = {n: section(md, f"### Objectif {n}", f"### Objectif {n + 1}") for n in (9, 10, 11)}
    sections[12] = section(md, "### Objectif 12", "# Principes directeurs")
    expected = {9: ["IOTA-TEXT"], 10: ["KAPPA-TEXT", "SPOOF-KAPPA"], 11: ["LAMBDA-TEXT"],
                12: ["MU-TEXT", "SPOOF-MU"]}
    for number, texts in expected.items():
        for text in texts:
            assert md.count(text) == 1, text
            assert text in sections[number], (text, number)
    assert "<!--GCMREVIEWNARRATIVE&#69;ND1-->" in sections[10]  # shown as typed, in code


# --- one definition of what a narrative may hold ----------------------------------------

def test_validate_and_the_sanitiser_agree_on_every_construct(tmp_path: Path, run_cli) -> None:
    """Each construct the reports do not show as written: validate warns about it,
    with its rule code, and the real pandoc output shows the neutralised form."""
    from gcmreview.core.narrative import CONSTRUCTS

    rows = [c for c in CONSTRUCTS if c.example]
    ws = copy_workspace(tmp_path / "ws", ())
    lines = ["country: MA", "review: {cycle: 2020, language: en, status: draft}", "objectives:"]
    for n, row in enumerate(rows, start=1):
        lines += [f"  {n}:", "    status: planned", f"    summary: {json.dumps(row.example)}"]
    (ws / "countries" / "MA.yaml").write_text("\n".join(lines) + "\n", encoding="utf-8")
    result = run_cli("validate", "--format", "json", cwd=ws)
    found = {(d["code"], d["line"]) for d in json.loads(result.out)["diagnostics"]}
    for n, row in enumerate(rows, start=1):
        assert (row.code, 4 + 3 * n - 1) in found, f"validate misses {row.code}"
    assert run_cli("build", "--country", "MA", "--format", "html", "--out", "out",
                   cwd=ws).code == 0
    html = " ".join((ws / "out" / "MA.en.html").read_text(encoding="utf-8").split())
    body = html[html.index('id="objectives"'):html.index('id="principles"')]
    assert "<b onclick" not in body and "&lt;b onclick=x()&gt;" in body  # raw-markup
    assert "<img" not in body and "<em>[the map]</em>" in body  # narrative-image
    assert "<strong>My heading</strong>" in body and "<h1>My heading" not in body
    assert 'href="javascript' not in body and "the law" in body  # unsafe-link


@pytest.mark.parametrize("text", [
    "See ![the map](map.png).", "See ![the map][map].\n\n[map]: map.png",
    "See ![the map][].\n\n[the map]: map.png", "See ![map].\n\n[map]: map.png",
    "[map]: map.png\n\nSee ![map].", "See ![map] without a definition.",
    "A note[^1] and ![x] here.\n\n[^1]: note", "No image: [x](https://un.org).",
])
def test_validate_warns_of_every_image_pandoc_reads(text: str) -> None:
    """Reference-style images too (`![alt][ref]`, `![ref]` with a definition): the report
    drops them as it drops `![alt](src)`, and validate says so for each (the real pandoc
    decides what is an image)."""
    from gcmreview.convert.pandoc import pandoc_path
    from gcmreview.core.narrative import READER, findings

    read = subprocess.run([str(pandoc_path()), "-f", READER, "-t", "json"], input=text.encode(),
                          capture_output=True, check=True, timeout=60).stdout.decode()
    image = '"t":"Image"' in read
    assert image == any(c.code == "narrative-image" for c in findings(text)), text


PLAIN_TEXTS = [
    "Plain words, *emphasis*, **strong**, ~~struck~~, `code` and a [link](https://un.org/x)."
    .replace("https://un.org/x", "#part"),
    "- [ ] a task\n- [x] done\n\n1. one\n2. two\n\n> a quote",
    "| State | Plan |\n|---|:-:|\n| MA | yes |\n\nAfter the table.",
    "Entities stay entities: &#64;gov.ma, &#119;ww.un.org, http&#58;//un.org, &commat; too.",
    "An address written around: focal point (at) gov dot ma; ww w.un.org; http: //un.org.",
    "Texte en français : « guillemets », l’apostrophe ; point-virgule !",
    "نص عربي: الهدف 1، السياسات الوطنية.",
    "<!-- a comment -->\n\n<b>raw HTML</b> and \\*escaped\\* stars",
    "Not a note: [x], ^caret, [ ^ spaced] and a task list [ ] inline.",
]
TRIGGERED = ["Write to focal.point@gov.ma", "See www.un.org today", "See https://un.org/x.",
             "ftp://files.un.org/a", "A note[^1].\n\n[^1]: the note."]
"""A text with each trigger (`WWW` in capitals is one only as a precaution: this pandoc
links the lower-case word alone)."""


def read_both(tmp_path: Path, texts: list[str]) -> list[tuple[str, str]]:
    """Each text as pandoc's JSON read with READER and with PLAIN_READER (the real pandoc)."""
    from gcmreview.convert.pandoc import pandoc_path
    from gcmreview.core.narrative import PLAIN_READER, READER

    script = tmp_path / "both.lua"
    script.write_text(
        "local d = pandoc.json.decode(io.read('a'))\n"
        "local out = {}\n"
        "for i, t in ipairs(d.texts) do out[i] = {pandoc.write(pandoc.read(t, d.full), 'json'),"
        " pandoc.write(pandoc.read(t, d.plain), 'json')} end\n"
        "io.write(pandoc.json.encode(out))\n", encoding="utf-8")
    request = json.dumps({"texts": texts, "full": READER, "plain": PLAIN_READER})
    done = subprocess.run([str(pandoc_path()), "lua", str(script)], input=request.encode(),
                          capture_output=True, check=True, timeout=120)
    return [(a, b) for a, b in json.loads(done.stdout)]


def test_the_plain_reader_reads_texts_without_its_triggers_as_the_full_one(
        tmp_path: Path) -> None:
    """batch.lua reads a narrative holding none of PLAIN_UNLESS with PLAIN_READER: for
    every text of the shipped workspaces and of the tests (`texts_of`), and texts made to come close
    to a bare link or a note, the document is the one READER reads, element for element;
    a text with each trigger is read otherwise (so the trigger is needed)."""
    import yaml

    from gcmreview.core.narrative import PLAIN_UNLESS
    from gcmreview.model.apparatus import texts_of

    found: list[str] = []
    root = Path(__file__).parents[1]
    for path in sorted([*root.glob("countries/**/*.yaml"), *root.glob("tests/data/**/*.yaml")]):
        try:
            found += texts_of(yaml.safe_load(path.read_text(encoding="utf-8")))
        except (yaml.YAMLError, UnicodeDecodeError):
            continue  # the files made to be refused
    plain = [t for t in [*found, *PLAIN_TEXTS] if not any(u in t for u in PLAIN_UNLESS)]
    assert len(plain) > 100 and all(t in plain for t in PLAIN_TEXTS)
    for text, (full, light) in zip(plain, read_both(tmp_path, plain), strict=True):
        assert full == light, text
    for text, (full, light) in zip(TRIGGERED, read_both(tmp_path, TRIGGERED), strict=True):
        assert any(u in text for u in PLAIN_UNLESS) and full != light, text


# --- parsed once per build, cached across builds -----------------------------------------

def cache_index(out: Path) -> tuple[Path, dict]:
    from gcmreview.convert.narratives import CACHE_FOLDER, INDEX_NAME

    (folder,) = (out / CACHE_FOLDER).glob("narratives-*")
    return folder, json.loads((folder / INDEX_NAME).read_text(encoding="utf-8"))["entries"]


def injected(word: str) -> str:
    """A raw HTML element, as an edited cache entry would hold it, saying `word`."""
    return '{"t":"RawInline","c":["html","<script>' + word + '()</script>"]}'


def assert_inert_when_built(ws: Path, word: str) -> None:
    """The State's report and the regional report, in this order (the second reads the
    entry in a later job of the same build): the injected element was read from the
    cache, not parsed again, and sanitised: inert text."""
    from gcmreview.commands.build import build
    from gcmreview.commands.context import Context

    assert build(Context(ws), codes=["DZ"], region=True, formats="html", out=ws / "out",
                 force=True).exit_code == 0
    for name in ("DZ.fr.html", "regional.fr.html"):
        html = (ws / "out" / name).read_text(encoding="utf-8")
        assert word in html, name
        assert f"<script>{word}" not in html, name
        assert f"&lt;script&gt;{word}()" in html, name


def test_cached_narratives_give_the_same_bytes(built: Path) -> None:
    from gcmreview.commands.build import build
    from gcmreview.commands.context import Context

    ws = built.parent
    before = {p.name: p.read_bytes() for p in built.iterdir() if p.is_file()
              and not p.name.startswith(".")}
    assert cache_index(built)[1], "the first build cached no narrative"
    again = build(Context(ws), codes=["MA", "DZ"], formats="html,md", out=built,
                  order="numeric", force=True)
    assert again.exit_code == 0 and sorted(again.built) == ["DZ", "MA"]
    after = {p.name: p.read_bytes() for p in built.iterdir() if p.is_file()
             and not p.name.startswith(".")}
    assert after == before


def test_a_tampered_cache_entry_is_sanitised_again(tmp_path: Path) -> None:
    from gcmreview.commands.build import build
    from gcmreview.commands.context import Context
    from gcmreview.convert.narratives import INDEX_NAME

    ws = copy_workspace(tmp_path / "ws", ())
    (ws / "countries" / "DZ.yaml").write_text(JOINED, encoding="utf-8")
    assert build(Context(ws), codes=["DZ"], formats="html", out=ws / "out").exit_code == 0
    # Someone with access to the build folder rewrites a pack and the index.
    folder, entries = cache_index(ws / "out")
    raw = injected("TAMPERED")
    pack = b""
    for key, (name, offset, length, used) in entries.items():
        with (folder / name).open("rb") as handle:
            handle.seek(offset)
            text = handle.read(length).decode().replace('{"t":"Str","c":"ETA-TEXT"}', raw)
        entries[key] = ["0123456789abcdef-1.pack", len(pack), len(text.encode()), used]
        pack += text.encode()
    (folder / "0123456789abcdef-1.pack").write_bytes(pack)
    (folder / INDEX_NAME).write_text(json.dumps({"build": 1, "entries": entries}),
                                     encoding="utf-8")
    assert_inert_when_built(ws, "TAMPERED")


def cached_requests(out: Path) -> list[dict]:
    """What the next build would send a worker for every cached narrative."""
    from gcmreview.convert.narratives import NarrativeCache
    from gcmreview.convert.pandoc import narrative_version

    _folder, entries = cache_index(out)
    return NarrativeCache(out, narrative_version()).request({k: "" for k in entries})[1]


def test_packs_this_user_wrote_are_sealed_and_trusted_by_the_next_build(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Sanitising every cached narrative again costs as much as reading them: a pack an
    earlier build of this user wrote is trusted through its seal; with another key (a
    build folder from elsewhere) every entry is sanitised again."""
    import os
    import stat as stat_

    from gcmreview.commands.build import build
    from gcmreview.commands.context import Context
    from gcmreview.convert.narratives import INDEX_NAME

    ws = copy_workspace(tmp_path / "ws", ())
    (ws / "countries" / "DZ.yaml").write_text(JOINED, encoding="utf-8")
    assert build(Context(ws), codes=["DZ"], formats="html", out=ws / "out").exit_code == 0
    folder, entries = cache_index(ws / "out")
    seals = json.loads((folder / INDEX_NAME).read_text(encoding="utf-8"))["seals"]
    assert set(seals) == set(entries)
    requests = cached_requests(ws / "out")
    assert requests and not any(r.get("verify") for r in requests)
    key = Path(os.environ["XDG_CACHE_HOME"]) / "gcmreview" / "cache-seal.key"
    assert stat_.S_IMODE(key.stat().st_mode) == 0o600 and len(key.read_bytes()) == 32

    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "another-user"))
    assert all(r.get("verify") for r in cached_requests(ws / "out"))
    # That build verifies them all, finds them clean, and seals them with its own key.
    assert build(Context(ws), codes=["DZ"], formats="html", out=ws / "out",
                 force=True).exit_code == 0
    assert not any(r.get("verify") for r in cached_requests(ws / "out"))
    # A key others can read seals nothing.
    other = tmp_path / "another-user" / "gcmreview" / "cache-seal.key"
    other.chmod(0o644)
    assert all(r.get("verify") for r in cached_requests(ws / "out"))


def test_a_sealed_entry_changed_on_disk_is_sanitised_again(tmp_path: Path) -> None:
    """Its seal no longer matches its bytes: it is verified, as any entry from elsewhere;
    the entries around it, moved but unchanged, keep their seals."""
    from gcmreview.commands.build import build
    from gcmreview.commands.context import Context
    from gcmreview.convert.narratives import INDEX_NAME

    ws = copy_workspace(tmp_path / "ws", ())
    (ws / "countries" / "DZ.yaml").write_text(JOINED, encoding="utf-8")
    assert build(Context(ws), codes=["DZ"], formats="html", out=ws / "out").exit_code == 0
    folder, entries = cache_index(ws / "out")
    index = json.loads((folder / INDEX_NAME).read_text(encoding="utf-8"))
    raw = injected("TAMPERED")
    packs: dict[str, bytes] = {}
    for key, (name, offset, length, used) in sorted(entries.items(),
                                                    key=lambda item: item[1][1]):
        with (folder / name).open("rb") as handle:
            handle.seek(offset)
            text = handle.read(length).decode().replace('{"t":"Str","c":"ETA-TEXT"}', raw)
        pack = packs.get(name, b"")
        entries[key] = [name, len(pack), len(text.encode()), used]
        packs[name] = pack + text.encode()
    for name, pack in packs.items():  # the same names, the seals left as they were
        (folder / name).write_bytes(pack)
    index["entries"] = entries
    (folder / INDEX_NAME).write_text(json.dumps(index), encoding="utf-8")
    assert set(index["seals"]) == set(entries)

    def verified() -> set[str]:
        return {r["key"] for r in cached_requests(ws / "out") if r.get("verify")}

    tampered = {k for k, (name, offset, length, _used) in entries.items()
                if b"TAMPERED" in packs[name][offset:offset + length]}
    assert len(tampered) == 1 and verified() == tampered
    assert_inert_when_built(ws, "TAMPERED")
    # Sanitising changed it: it is never sealed, and is sanitised at every build.
    assert verified() == tampered


def test_a_seal_covers_only_the_bytes_it_was_made_for(tmp_path: Path) -> None:
    """A pack from elsewhere holds clean entries and, after them, bytes no entry points
    to. Its entries are verified and sealed; an index then pointed at the hidden bytes,
    seals kept, gains nothing from them: those bytes are sanitised when read."""
    from gcmreview.commands.build import build
    from gcmreview.commands.context import Context
    from gcmreview.convert.narratives import INDEX_NAME

    ws = copy_workspace(tmp_path / "ws", ())
    (ws / "countries" / "DZ.yaml").write_text(JOINED, encoding="utf-8")
    assert build(Context(ws), codes=["DZ"], formats="html", out=ws / "out").exit_code == 0
    folder, entries = cache_index(ws / "out")
    raw = injected("HIDDEN")
    pack, hidden, target = b"", b"", None
    for key, (name, offset, length, used) in sorted(entries.items()):
        with (folder / name).open("rb") as handle:
            handle.seek(offset)
            text = handle.read(length)
        entries[key] = ["0123456789abcdef-1.pack", len(pack), len(text), used]
        pack += text
        if b"ETA-TEXT" in text:
            target = key
            hidden = text.replace(b'{"t":"Str","c":"ETA-TEXT"}', raw.encode())
    assert target is not None and hidden
    (folder / "0123456789abcdef-1.pack").write_bytes(pack + hidden)
    (folder / INDEX_NAME).write_text(json.dumps({"build": 1, "entries": entries}),
                                     encoding="utf-8")
    assert build(Context(ws), codes=["DZ"], formats="html", out=ws / "out",
                 force=True).exit_code == 0
    index = json.loads((folder / INDEX_NAME).read_text(encoding="utf-8"))
    assert target in index["seals"]  # verified clean, then sealed
    index["entries"][target][1:3] = [len(pack), len(hidden)]
    (folder / INDEX_NAME).write_text(json.dumps(index), encoding="utf-8")
    assert_inert_when_built(ws, "HIDDEN")


def test_cache_keeps_one_sanitiser_version_and_the_narratives_in_use(tmp_path: Path) -> None:
    from gcmreview.commands.build import build
    from gcmreview.commands.context import Context
    from gcmreview.convert.narratives import CACHE_FOLDER

    ws = copy_workspace(tmp_path / "ws", ())
    (ws / "countries" / "MA.yaml").write_text(REVIEW, encoding="utf-8")
    old = ws / "out" / CACHE_FOLDER / "narratives-0000000000000000"
    old.mkdir(parents=True)
    (old / "x.pack").write_text("{}", encoding="utf-8")
    assert build(Context(ws), codes=[], every=True, formats="md", out=ws / "out").exit_code == 0
    assert not old.exists()
    folder, first = cache_index(ws / "out")
    review = ws / "countries" / "MA.yaml"
    review.write_text(review.read_text(encoding="utf-8").replace("ZETA-TEXT", "ETA-TEXT"),
                      encoding="utf-8")
    assert build(Context(ws), codes=[], every=True, formats="md", out=ws / "out",
                 force=True).exit_code == 0
    _, second = cache_index(ws / "out")
    assert len(second) == len(first) and set(second) != set(first)  # ZETA's entry is gone
    packs = {entry[0] for entry in second.values()}
    assert {p.name for p in folder.glob("*.pack")} == packs  # unreferenced packs deleted


def test_a_lost_or_damaged_pack_is_parsed_again(tmp_path: Path) -> None:
    """Another build pruned it, a disk error truncated it, the index points past its end:
    the narratives are parsed again, and the reports are the same."""
    from gcmreview.commands.build import build
    from gcmreview.commands.context import Context
    from gcmreview.convert.narratives import INDEX_NAME

    ws = copy_workspace(tmp_path / "ws", ())
    (ws / "countries" / "DZ.yaml").write_text(JOINED, encoding="utf-8")
    assert build(Context(ws), codes=["DZ"], formats="md", out=ws / "out").exit_code == 0
    first = (ws / "out" / "DZ.fr.md").read_bytes()
    folder, entries = cache_index(ws / "out")
    packs = sorted({entry[0] for entry in entries.values()})
    (folder / packs[0]).write_bytes(b"garbage")
    for damage in ("truncated", "deleted", "offsets"):
        if damage == "deleted":
            for pack in folder.glob("*.pack"):
                pack.unlink()
        if damage == "offsets":
            entries = {k: [v[0], -5, 10**12, v[3]] for k, v in entries.items()}
            (folder / INDEX_NAME).write_text(json.dumps({"build": 3, "entries": entries}),
                                             encoding="utf-8")
        again = build(Context(ws), codes=["DZ"], formats="md", out=ws / "out", force=True)
        assert again.exit_code == 0, (damage, again.failed)
        assert (ws / "out" / "DZ.fr.md").read_bytes() == first, damage


def test_a_linked_cache_folder_is_not_followed(tmp_path: Path) -> None:
    """Pruning deletes what the index does not name: through a link, that would be files
    outside the build folder."""
    from gcmreview.commands.build import build
    from gcmreview.commands.context import Context
    from gcmreview.convert.narratives import CACHE_FOLDER

    ws = copy_workspace(tmp_path / "ws", ())
    (ws / "countries" / "DZ.yaml").write_text(JOINED, encoding="utf-8")
    assert build(Context(ws), codes=[], every=True, formats="md", out=ws / "out").exit_code == 0
    folder, _entries = cache_index(ws / "out")
    elsewhere = tmp_path / "elsewhere"
    shutil.move(folder, elsewhere)
    (elsewhere / "thesis.txt").write_text("keep me", encoding="utf-8")
    folder.symlink_to(elsewhere, target_is_directory=True)
    (ws / "out" / CACHE_FOLDER / "narratives-0000000000000000").symlink_to(
        elsewhere, target_is_directory=True)
    assert build(Context(ws), codes=[], every=True, formats="md", out=ws / "out",
                 force=True).exit_code == 0
    assert (elsewhere / "thesis.txt").read_text(encoding="utf-8") == "keep me"
    assert not folder.is_symlink() and folder.is_dir()


def test_a_definition_in_a_quote_or_list_serves_only_its_own_narrative(tmp_path: Path) -> None:
    from gcmreview.commands.build import build
    from gcmreview.commands.context import Context

    ws = copy_workspace(tmp_path / "ws", ())
    (ws / "countries" / "MA.yaml").write_text(
        "country: MA\nreview: {cycle: 2020, language: fr, status: draft}\nobjectives:\n"
        "  10:\n    status: planned\n"
        '    summary: "ATTACK texte\\n\\n> [annexe]: https://evil.example/quote\\n\\n'
        '- [rapport]: https://evil.example/list"\n'
        '  11:\n    status: planned\n    summary: "VICTIM voir [annexe] et [rapport]."\n',
        encoding="utf-8")
    assert build(Context(ws), codes=["MA"], formats="md", out=ws / "out").exit_code == 0
    md = (ws / "out" / "MA.fr.md").read_text(encoding="utf-8")
    assert "evil.example" not in md.split("VICTIM")[1].split("\n")[0]
    assert "VICTIM voir \\[annexe\\] et \\[rapport\\]." in md or "VICTIM voir [annexe]" in md


def test_a_cache_that_cannot_be_made_costs_only_time(tmp_path: Path) -> None:
    from gcmreview.commands.build import build
    from gcmreview.commands.context import Context
    from gcmreview.convert.narratives import CACHE_FOLDER

    ws = copy_workspace(tmp_path / "ws", ())
    (ws / "countries" / "DZ.yaml").write_text(JOINED, encoding="utf-8")
    (ws / "out").mkdir()
    (ws / "out" / CACHE_FOLDER).write_text("a file where the cache folder goes",
                                           encoding="utf-8")
    outcome = build(Context(ws), codes=["DZ"], formats="md", out=ws / "out")
    assert outcome.exit_code == 0, outcome.failed
    assert "ETA-TEXT" in (ws / "out" / "DZ.fr.md").read_text(encoding="utf-8")
