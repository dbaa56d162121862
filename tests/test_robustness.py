"""Inputs found by trying to break the CLI: each must give a message, never a traceback."""

from __future__ import annotations

import os
from pathlib import Path

import pytest

from .conftest import copy_workspace

HEAD = "country: MA\nreview: {cycle: 2020, language: fr, status: draft}\n"


def write(ws: Path, text: str) -> Path:
    path = ws / "countries" / "MA.yaml"
    path.write_text(text, encoding="utf-8")
    return path


@pytest.fixture
def ws(tmp_path: Path) -> Path:
    return copy_workspace(tmp_path / "ws", ("MA",))


def check(result, code: int, *expected: str) -> None:
    assert result.code == code, result.out + result.err
    assert "Traceback" not in result.err and "internal error" not in result.err
    for text in expected:
        assert text in result.out + result.err


def test_deep_nesting(run_cli, ws: Path) -> None:
    write(ws, HEAD + "objectives: {}\nx: " + "[" * 400 + "]" * 400 + "\n")
    check(run_cli("validate", cwd=ws), 1, "countries/MA.yaml:4:",
          "nested more than 64 levels")


def test_emphasis_nested_past_what_typst_can_lay_out_is_refused_with_its_place(
        run_cli, ws: Path) -> None:
    """64 levels of * and _ passed validate, then failed the PDF with "typst failed:
    maximum show rule depth exceeded" and no place in the review to look at."""
    levels = 64
    opened = "".join(("*" if i % 2 == 0 else "_") + f"w{i} " for i in range(levels))
    closed = " ".join(f"x{i}" + ("*" if i % 2 == 0 else "_") for i in reversed(range(levels)))
    write(ws, HEAD + f"objectives:\n  5:\n    status: planned\n    summary: '{opened}core "
                     f"{closed}'\n")
    check(run_cli("validate", cwd=ws), 1, "countries/MA.yaml:6:14: error[narrative-too-deep]",
          "nests emphasis (* and _) 64 levels deep; a report allows 32")
    check(run_cli("build", "--country", "MA", "--format", "pdf", "--out", "out", cwd=ws), 1,
          "narrative-too-deep", "not built MA")
    # Emphasis as reviews use it, however much of it, is no finding.
    write(ws, HEAD + "objectives:\n  5:\n    status: planned\n    summary: '"
              + "**Mesures** : *un*, _deux_, ***trois***, snake_case, \\* " * 40 + "'\n")
    assert "narrative-too-deep" not in run_cli("validate", cwd=ws).out


def test_a_pile_of_combining_marks_is_refused_with_its_place(run_cli, ws: Path) -> None:
    """20,000 accents on one letter took pandoc a minute a document (4,000: 2 s; it grows
    with the square); Arabic with every vowel sign, or French accents, is no finding."""
    write(ws, HEAD + "objectives:\n  5:\n    status: planned\n    summary: 'a"
              + "\u0301" * 4000 + " texte'\n")
    check(run_cli("validate", cwd=ws), 1,
          "countries/MA.yaml:6:14: error[narrative-combining-marks]",
          "stacks 4000 combining marks (accents, vowel signs) on one letter; a report allows 32")
    write(ws, HEAD + "objectives:\n  5:\n    status: planned\n    summary: '"
              + "اَلْعَرَبِيَّةُ لُغَةٌ جَمِيلَةٌ، élève à l’école. " * 40 + "'\n")
    assert "narrative-combining-marks" not in run_cli("validate", cwd=ws).out


def test_mapping_in_principles_list(run_cli, ws: Path) -> None:
    write(ws, HEAD + "objectives:\n  7:\n    status: planned\n    summary: x\n"
              "    principles: [{a: 1}]\n")
    check(run_cli("validate", cwd=ws), 1, "countries/MA.yaml:7:")
    check(run_cli("coverage", "--format", "json", cwd=ws), 0)


def test_duplicate_keys_of_different_types_name_the_first_line(run_cli, ws: Path) -> None:
    write(ws, HEAD + "objectives:\n  1: {status: planned, summary: a}\n"
              "  1.0: {status: planned, summary: b}\n")
    check(run_cli("validate", cwd=ws), 1,
          "the key `1.0` appears twice: first on line 4, again on line 5")


def test_whole_numbers_and_control_characters(run_cli, ws: Path) -> None:
    write(ws, "country: MA\nreview: {cycle: 2020.0, language: fr, status: draft}\n"
              'objectives:\n  1: {status: planned, summary: "a\\x00b\\e[31m"}\n')
    check(run_cli("validate", cwd=ws), 1, "error[wrong-type]: `review.cycle` must be a whole",
          "error[control-character]")


def test_null_byte_in_a_config_path(run_cli, ws: Path) -> None:
    config = ws / "gcmreview.yaml"
    config.write_text(config.read_text(encoding="utf-8") + 'catalogue: "a\\x00b"\n',
                      encoding="utf-8")
    check(run_cli("catalogue", cwd=ws), 2, "gcmreview.yaml:")


def test_catalogue_file_that_is_not_a_regular_file(run_cli, ws: Path) -> None:
    os.mkfifo(ws / "titles.yaml")
    config = ws / "gcmreview.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "catalogue: titles.yaml\n",
                      encoding="utf-8")
    check(run_cli("catalogue", cwd=ws), 2, "not-a-regular-file")


def test_template_runtime_errors(run_cli, ws: Path) -> None:
    (ws / "templates").mkdir()
    (ws / "templates" / "report.md.j2").write_text("# x\n\n{{ 1/0 }}\n", encoding="utf-8")
    check(run_cli("build", "-c", "MA", "-f", "md", cwd=ws), 2,
          "templates/report.md.j2:3", "ZeroDivisionError")


def test_templates_are_sandboxed(run_cli, ws: Path) -> None:
    (ws / "templates").mkdir()
    (ws / "templates" / "report.md.j2").write_text(
        "# x\n\n{{ review.__class__.__mro__ }}\n", encoding="utf-8")
    check(run_cli("build", "-c", "MA", "-f", "md", cwd=ws), 2,
          "templates/report.md.j2:3", "unsafe")
    assert not (ws / "build" / "MA.fr.md").exists()


def test_override_keys_must_be_objective_numbers(run_cli, ws: Path) -> None:
    (ws / "titles.yaml").write_text("sources: {ar: x}\nobjectives:\n  true: {title: {ar: y}}\n",
                                    encoding="utf-8")
    config = ws / "gcmreview.yaml"
    config.write_text(config.read_text(encoding="utf-8") + "catalogue: titles.yaml\n",
                      encoding="utf-8")
    check(run_cli("catalogue", cwd=ws), 2, "titles.yaml:3:3")


def test_special_files_are_not_replaced(run_cli, tmp_path: Path) -> None:
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    link = tmp_path / "link"
    link.symlink_to(tmp_path / "target")
    for target in (fifo, link):
        check(run_cli("schema", "--output", str(target), cwd=tmp_path), 2, "left as it is")
    assert link.is_symlink() and not fifo.is_file()


@pytest.mark.skipif(os.name == "nt", reason="Windows file names are Unicode")
def test_a_file_name_that_is_not_utf8_is_a_finding(run_cli, tmp_path: Path) -> None:
    """Git allows such a name in a pull request: the build reports the file and builds
    the others (it stopped on a UnicodeEncodeError while hashing the inputs)."""
    ws = copy_workspace(tmp_path / "ws", ("MA",))
    weird = ws / "countries" / os.fsdecode(b"M\xffA.yaml")
    weird.write_bytes((ws / "countries" / "MA.yaml").read_bytes())
    result = run_cli("build", "--all", "--format", "md", "--out", "out", cwd=ws)
    assert result.code == 1, result.err
    assert "Traceback" not in result.out + result.err
    assert (ws / "out" / "MA.fr.md").is_file()


@pytest.mark.skipif(os.name == "nt", reason="no named pipes in the file system")
@pytest.mark.parametrize("kind", ["folder", "pipe"])
def test_a_folder_or_pipe_named_like_a_review_is_a_finding(run_cli, tmp_path: Path,
                                                           kind: str) -> None:
    """KM.yaml as a folder or a named pipe was passed over without a word (KM shown as
    not submitted); a pipe must never be read (it would block for ever)."""
    ws = copy_workspace(tmp_path / "ws", ("MA",))
    odd = ws / "countries" / "KM.yaml"
    if kind == "folder":
        odd.mkdir()
    else:
        os.mkfifo(odd)
    checked = run_cli("validate", cwd=ws)
    assert checked.code == 1, checked.err
    said = ("this is a folder, not a review file" if kind == "folder"
            else "the file is a symbolic link or not a regular file")
    assert f"countries/KM.yaml:1:1: error[not-a-regular-file]: {said}" in checked.out
    built = run_cli("build", "--all", "--format", "md", "--out", "out", cwd=ws)
    assert built.code == 1 and "not built KM" in built.err
    assert (ws / "out" / "MA.fr.md").is_file()
    exported = run_cli("translate", "export", "--lang", "en", "KM", cwd=ws)
    assert exported.code == 2 and "countries/KM.yaml has errors" in exported.err


def test_the_coverage_csv_runs_no_formula(run_cli, tmp_path: Path) -> None:
    """A review file's name is a State's cell in the CSV: one named to start like a
    formula is kept text (an apostrophe before it), as the site's downloads keep theirs."""
    ws = copy_workspace(tmp_path / "ws", ("MA",))
    name = '=HYPERLINK("http:evil","x")'
    (ws / "countries" / f"{name}.yaml").write_bytes((ws / "countries" / "MA.yaml").read_bytes())
    result = run_cli("coverage", "--format", "csv", cwd=ws)
    cells = [line.split(",")[0] for line in result.out.splitlines()[1:]]
    assert cells and not [c for c in cells if c.lstrip('"').startswith(("=", "+", "-", "@"))]
    assert any(c.lstrip('"').startswith("'=HYPERLINK") for c in cells)


@pytest.mark.skipif(os.name == "nt", reason="symbolic links need privileges on Windows")
def test_a_symbolic_link_as_build_folder_is_refused(run_cli, tmp_path: Path) -> None:
    """A pull request can commit `build` as a link to a folder elsewhere: the build wrote
    its reports, manifest and cache there (the site already refused it)."""
    ws = copy_workspace(tmp_path / "ws", ("MA",))
    elsewhere = tmp_path / "elsewhere"
    elsewhere.mkdir()
    (ws / "build").symlink_to(elsewhere, target_is_directory=True)
    result = run_cli("build", "--country", "MA", "--format", "md", cwd=ws)
    check(result, 2, "outside the workspace")  # the default folder, checked with the config
    (ws / "build").unlink()
    (ws / "link").symlink_to(elsewhere, target_is_directory=True)
    result = run_cli("build", "--country", "MA", "--format", "md", "--out", "link", cwd=ws)
    check(result, 2, "is a symbolic link", "give --out a real folder")
    assert list(elsewhere.iterdir()) == []


def test_a_build_folder_from_elsewhere_is_built_again(run_cli, tmp_path: Path) -> None:
    """Its manifest said every report was up to date: a report with a script put in it,
    committed with the manifest by a pull request (or restored from another machine),
    was kept as it was. The manifest is trusted only with the seal this user's key made
    (in the cache folder, so the manifest's bytes stay the same on every machine)."""
    ws = copy_workspace(tmp_path / "ws", ("MA",))
    assert run_cli("build", "--country", "MA", "-f", "html", cwd=ws).code == 0
    again = run_cli("build", "--country", "MA", "-f", "html", cwd=ws)
    assert "up to date: MA" in again.out + again.err
    other = copy_workspace(tmp_path / "other", ("MA",))
    (other / "build").mkdir()
    for name in ("MA.fr.html", ".gcmreview-manifest.json"):
        data = (ws / "build" / name).read_bytes()
        (other / "build" / name).write_bytes(
            data.replace(b"</body>", b"<script>alert(1)</script></body>"))
    for seal in (None, b"\0" * 32):
        if seal is not None:
            (other / "build" / ".gcmreview-cache").mkdir(exist_ok=True)
            (other / "build" / ".gcmreview-cache" / "manifest.seal").write_bytes(seal)
            page = other / "build" / "MA.fr.html"
            page.write_bytes(page.read_bytes().replace(b"</body>",
                                                       b"<script>alert(1)</script></body>"))
        result = run_cli("build", "--country", "MA", "-f", "html", cwd=other)
        assert result.code == 0 and "built MA" in result.out + result.err
        assert b"<script>alert" not in (other / "build" / "MA.fr.html").read_bytes()
    assert (other / "build" / ".gcmreview-manifest.json").read_bytes() == \
        (ws / "build" / ".gcmreview-manifest.json").read_bytes()


@pytest.mark.parametrize("setting", ["countries_dir: ../secret", "catalogue: ../secret/MA.yaml",
                                     "output_dir: ../secret", "templates_dir: /tmp",
                                     None])
def test_the_configuration_names_nothing_outside_the_workspace(run_cli, tmp_path: Path,
                                                              setting: str | None) -> None:
    """gcmreview.yaml may come with a pull request: a review or catalogue file read from
    elsewhere showed its text in the messages (“review must be … not the text
    “hunter2””), and reports could be written elsewhere. What it names (or a `countries`
    folder that is a link) must lie inside the workspace, as data_dir already had to."""
    secret = tmp_path / "secret"
    secret.mkdir()
    (secret / "MA.yaml").write_text("country: MA\nreview: hunter2\napi_token: x\n",
                                    encoding="utf-8")
    ws = copy_workspace(tmp_path / "ws", ("MA",))
    if setting is None:
        if os.name == "nt":
            pytest.skip("symbolic links need privileges on Windows")
        import shutil

        shutil.rmtree(ws / "countries")
        (ws / "countries").symlink_to(secret, target_is_directory=True)
    else:
        config = ws / "gcmreview.yaml"
        config.write_text(config.read_text(encoding="utf-8") + setting + "\n",
                          encoding="utf-8")
    result = run_cli("validate", cwd=ws)
    check(result, 2, "outside the workspace", "give a path inside the workspace")
    assert "hunter2" not in result.out + result.err and "api_token" not in result.out + result.err
    assert sorted(p.name for p in secret.iterdir()) == ["MA.yaml"]
