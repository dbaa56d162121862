"""Time `finish_docx` alone, the Python post-processing of every DOCX pandoc writes,
against the same function at another revision, on the same raw pandoc outputs.

    python bench/docx_finish_bench.py capture [--out DIR] [--workspace WS] [BUILD ARGS...]
    python bench/docx_finish_bench.py time DIR... [--against REV] [--repeat 3]

`capture` builds the DOCX of a workspace (bench/out/ws by default, `build --all
--format docx --force` plus the arguments given, e.g. --lang ar) and keeps each file as
pandoc wrote it, before finishing, with the `DocxFinish` of its job and what the
finishing puts in place of pandoc's markers: the figures' pictures (NAME.pictures.json),
the data tables and the figures' text alternatives (NAME.tables.json), beside NAME.docx
and NAME.json in DIR (by default bench/out/docx-raw/<workspace>[-<lang>]). A
revision whose finish_docx takes no pictures (before stand-ins) finishes the files
without them, one from before the markers cannot place what pandoc did not: their
bytes then differ (compare revisions on files captured with the older one).

`time` finishes every raw file of the folders with the code of the working tree and
with gcmreview/convert/docx.py as it is at REV (default main), each pass in a fresh
process (a build finishes each file once: caches must not carry over from one pass to
the next), the two alternating so that machine noise hits both. It prints the CPU time
(time.process_time, as the cores are shared) of the best pass of each, the ratio, and
whether the two wrote the same bytes for every file.
"""

from __future__ import annotations

import argparse
import base64
import dataclasses
import hashlib
import importlib.util
import inspect
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
import zipfile
from pathlib import Path
from types import ModuleType

from common import ensure_workspace

HERE = Path(__file__).resolve().parent
REPO = HERE.parent
sys.path.insert(0, str(REPO))  # this tree's gcmreview, not the one installed


def capture(out: Path, workspace: Path, build_args: list[str]) -> None:
    """Build in this process with `finish_docx` wrapped to keep its input first."""
    import gcmreview.convert.pandoc as pandoc
    from gcmreview.cli import main as cli_main
    from gcmreview.convert.docx import DocxFinish, Package, Picture

    original = pandoc.finish_docx
    shutil.rmtree(out, ignore_errors=True)
    out.mkdir(parents=True)

    def keeping(path: Path, job: DocxFinish, pictures: dict[str, Picture] | None = None,
                tables: dict[str, str] | None = None, alts: dict[str, str] | None = None,
                package: Package | None = None) -> None:
        if package is None:
            shutil.copyfile(path, out / path.name)
        else:  # its part of a batch pandoc wrote (gcmreview.convert.docx_batch), as a file
            with zipfile.ZipFile(out / path.name, "w", zipfile.ZIP_DEFLATED) as raw:
                for name in package.names:
                    raw.writestr(name, package.parts[name])
        (out / f"{path.stem}.json").write_text(json.dumps(dataclasses.asdict(job)),
                                               encoding="utf-8")
        (out / f"{path.stem}.pictures.json").write_text(json.dumps(
            {name: [base64.b64encode(p.png).decode(), p.width, p.height]
             for name, p in (pictures or {}).items()}), encoding="utf-8")
        (out / f"{path.stem}.tables.json").write_text(json.dumps(
            {"tables": tables or {}, "alts": alts or {}}), encoding="utf-8")
        original(path, job, pictures, tables, alts, package)

    pandoc.finish_docx = keeping
    os.chdir(workspace)
    with tempfile.TemporaryDirectory() as built:
        code = cli_main(["build", "--all", "--format", "docx", "--force", "--quiet",
                         "--out", built, *build_args])
    print(f"{len(list(out.glob('*.docx')))} raw DOCX in {out} (build exit {code})")


def _module(source: Path) -> ModuleType:
    spec = importlib.util.spec_from_file_location("docx_under_test", source)
    assert spec is not None and spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    sys.modules[spec.name] = module  # dataclasses look their module up
    spec.loader.exec_module(module)
    return module


def one_pass(source: Path, folders: list[Path]) -> None:
    """Finish every raw file once with the docx.py at `source`; print CPU seconds and a
    digest of each output, as JSON."""
    module = _module(source)
    raws = sorted(p for folder in folders for p in folder.glob("*.docx"))
    jobs = [module.DocxFinish(**json.loads(p.with_suffix(".json").read_text(encoding="utf-8")))
            for p in raws]
    data = [p.read_bytes() for p in raws]
    digests: dict[str, str] = {}
    seconds = 0.0
    with tempfile.TemporaryDirectory() as scratch:
        for raw, job, content in zip(raws, jobs, data, strict=True):
            path = Path(scratch) / raw.name
            path.write_bytes(content)
            kept = raw.with_suffix(".pictures.json")
            found = json.loads(kept.read_text(encoding="utf-8")) if kept.is_file() else {}
            kept = raw.with_suffix(".tables.json")
            placed = json.loads(kept.read_text(encoding="utf-8")) if kept.is_file() else {}
            # An older finish_docx takes no pictures (pandoc placed them itself then), nor
            # tables (pandoc wrote them); one before alts takes the PNGs alone.
            takes = inspect.signature(module.finish_docx).parameters
            start = time.process_time()
            if "alts" in takes:
                pictures = {name: module.Picture(base64.b64decode(png), width, height)
                            for name, (png, width, height) in found.items()}
                module.finish_docx(path, job, pictures, placed.get("tables", {}),
                                   placed.get("alts", {}))
            elif "pictures" in takes:
                module.finish_docx(path, job, {name: base64.b64decode(png)
                                               for name, (png, _w, _h) in found.items()})
            else:
                module.finish_docx(path, job)
            seconds += time.process_time() - start
            digests[f"{raw.parent.name}/{raw.name}"] = hashlib.sha256(
                path.read_bytes()).hexdigest()
    print(json.dumps({"seconds": seconds, "digests": digests}))


@dataclasses.dataclass
class Pass:
    seconds: float
    digests: dict[str, str]


def _pass(source: Path, folders: list[Path]) -> Pass:
    out = subprocess.run([sys.executable, __file__, "pass", str(source), *map(str, folders)],
                         check=True, capture_output=True, text=True, cwd=REPO).stdout
    return Pass(**json.loads(out))


def compare(folders: list[Path], against: str, repeat: int) -> None:
    with tempfile.TemporaryDirectory() as scratch:
        old_source = Path(scratch) / "docx_old.py"
        old_source.write_bytes(subprocess.run(
            ["git", "show", f"{against}:gcmreview/convert/docx.py"], check=True,
            capture_output=True, cwd=REPO).stdout)
        new_source = REPO / "gcmreview" / "convert" / "docx.py"
        old_runs: list[Pass] = []
        new_runs: list[Pass] = []
        for _ in range(repeat):
            old_runs.append(_pass(old_source, folders))
            new_runs.append(_pass(new_source, folders))
    reference = old_runs[0].digests
    count = len(reference)
    old = min(r.seconds for r in old_runs)
    new = min(r.seconds for r in new_runs)
    differ = sorted(name for name, digest in reference.items()
                    if any(r.digests.get(name) != digest for r in [*old_runs, *new_runs]))
    print(f"{count} DOCX: {against} {old:.2f} s CPU ({old / count * 1000:.1f} ms each), "
          f"working tree {new:.2f} s ({new / count * 1000:.1f} ms each): "
          f"{new / old:.2f}x (best of {repeat})")
    print("same bytes for every file" if not differ else
          f"{len(differ)} differ: {', '.join(differ[:10])}")
    if differ:
        raise SystemExit(1)


def main() -> None:
    if len(sys.argv) > 1 and sys.argv[1] == "pass":
        one_pass(Path(sys.argv[2]), [Path(f) for f in sys.argv[3:]])
        return
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    commands = parser.add_subparsers(dest="command", required=True)
    cap = commands.add_parser("capture", help="keep the raw DOCX of a build")
    cap.add_argument("--workspace", type=Path)
    cap.add_argument("--out", type=Path)
    timing = commands.add_parser("time", help="time finish_docx, working tree vs REV")
    timing.add_argument("folders", nargs="+", type=Path)
    timing.add_argument("--against", default="main")
    timing.add_argument("--repeat", type=int, default=3)
    args, rest = parser.parse_known_args()
    if args.command == "capture":
        workspace = (args.workspace or ensure_workspace()).resolve()
        lang = rest[rest.index("--lang") + 1] if "--lang" in rest else None
        name = workspace.name + (f"-{lang}" if lang else "")
        out = (args.out or HERE / "out" / "docx-raw" / name).resolve()
        capture(out, workspace, rest)
    else:
        if rest:
            parser.error(f"unrecognized arguments: {' '.join(rest)}")
        compare([f.resolve() for f in args.folders], args.against, args.repeat)


if __name__ == "__main__":
    main()
