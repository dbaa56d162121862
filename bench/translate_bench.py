"""Benchmark `gcmreview translate export` and `translate import` for 193 full reviews.

The floor is translate-toolkit, the toolkit of open translation tools, parsing the
same XLIFF files (its XLIFF 2 class, lxml underneath) and reading every unit's
source (export) or target (import): the least a tool does with the files. Both
sides run in the same invocation, as processes of their own, so machine noise hits
both.

    python bench/translate_bench.py

Target (issue 18): export and import of all 193 States into one language, each
within 2x the floor.
"""

from __future__ import annotations

import copy
import shutil
import sys
from pathlib import Path

from common import HERE, ensure_workspace, measure

_FLOOR = """
import sys
from translate.storage.xliff2 import Xliff2File
count = 0
for name in open(sys.argv[1], encoding="utf-8").read().split():
    store = Xliff2File.parsefile(name)
    for unit in store.units:
        count += len(unit.target if sys.argv[2] == "target" else unit.source)
print(count)
"""

XLIFF2 = "urn:oasis:names:tc:xliff:document:2.0"


def fill(path: Path) -> None:
    """A CAT tool's work, not timed: each segment a target (its source, tags and all,
    each text marked as a test translation), marked translated."""
    from lxml import etree

    tree = etree.parse(str(path))
    for segment in tree.iter(f"{{{XLIFF2}}}segment"):
        source = segment.find(f"{{{XLIFF2}}}source")
        target = copy.deepcopy(source)
        target.tag = f"{{{XLIFF2}}}target"
        for element in target.iter():
            if element.text and element.text.strip():
                element.text = "ترجمة " + element.text
            if element is not target and element.tail and element.tail.strip():
                element.tail = "ترجمة " + element.tail
        source.addnext(target)
        segment.set("state", "translated")
    tree.write(str(path), xml_declaration=True, encoding="UTF-8")


def main() -> None:
    ws = ensure_workspace()
    tool = str(Path(sys.executable).with_name("gcmreview"))
    out = HERE / "out" / "translate"
    shutil.rmtree(out, ignore_errors=True)
    shutil.rmtree(ws / "translations", ignore_errors=True)
    floor_script = out / "floor.py"
    out.mkdir(parents=True)
    floor_script.write_text(_FLOOR, encoding="utf-8")
    try:
        exported = measure([tool, "translate", "export", "--lang", "ar", "--output",
                            str(out / "xliff")], ws, repeat=3)
        files = sorted((out / "xliff").glob("*.xlf"))
        listing = out / "files.txt"
        listing.write_text("\n".join(str(f) for f in files) + "\n", encoding="utf-8")
        floor_source = measure([sys.executable, str(floor_script), str(listing), "source"],
                               ws, repeat=3)
        size = sum(f.stat().st_size for f in files) / 2**20
        print(f"export --lang ar: {len(files)} files, {size:.1f} MB, "
              f"{exported['seconds']:.2f} s (largest process {exported['peak_mb']:.0f} MB); "
              f"translate-toolkit parsing them: {floor_source['seconds']:.2f} s; "
              f"{exported['seconds'] / floor_source['seconds']:.2f}x "
              f"(CPU time {exported['cpu']:.2f} s vs {floor_source['cpu']:.2f} s: "
              f"{exported['cpu'] / floor_source['cpu']:.2f}x)")
        for path in files:
            fill(path)
        floor_target = measure([sys.executable, str(floor_script), str(listing), "target"],
                               ws, repeat=3)
        runs = []
        for _ in range(3):  # each run from an empty store: every file is written
            shutil.rmtree(ws / "translations", ignore_errors=True)
            runs.append(measure([tool, "translate", "import", *map(str, files)], ws, repeat=1))
        imported = {"seconds": min(r["seconds"] for r in runs),
                    "cpu": min(r["cpu"] for r in runs),
                    "peak_mb": max(r["peak_mb"] for r in runs), "code": runs[-1]["code"]}
        stored = len(list((ws / "translations" / "ar").glob("*.xlf")))
        print(f"import: {stored} States stored, {imported['seconds']:.2f} s (largest process "
              f"{imported['peak_mb']:.0f} MB; exit {imported['code']}); translate-toolkit "
              f"parsing them: {floor_target['seconds']:.2f} s; "
              f"{imported['seconds'] / floor_target['seconds']:.2f}x "
              f"(CPU time {imported['cpu']:.2f} s vs {floor_target['cpu']:.2f} s: "
              f"{imported['cpu'] / floor_target['cpu']:.2f}x)")
    finally:  # the workspace serves the other benchmarks: no translation left in it
        shutil.rmtree(ws / "translations", ignore_errors=True)


if __name__ == "__main__":
    main()
