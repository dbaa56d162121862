"""Benchmark `gcmreview form` and `gcmreview import` for 193 full synthetic reviews.

The floor is pandoc's own docx -> Markdown conversion of the same forms in one
`pandoc lua` process (word_floor.lua): reading a .docx and writing its Markdown
is the least an import can do. `import` reads with one pandoc process per core,
so the floor on every core is printed too. Both sides run in the same
invocation, so machine noise hits both.

    python bench/word_bench.py

Target (issue 10): `form` and `import` of the 193 forms each <= 1.5x the floor.
"""

from __future__ import annotations

import os
import shutil
import sys
from pathlib import Path

from common import HERE, ensure_workspace, measure

from gcmreview.convert.pandoc import pandoc_path
from gcmreview.load.loader import load_file
from gcmreview.render.review_file import plain


def _data(path: Path) -> object:
    loaded = load_file(path, path.name) if path.is_file() else None
    return plain(loaded.data) if loaded is not None and loaded.data is not None else None


def main() -> None:
    ws = ensure_workspace()
    tool = str(Path(sys.executable).with_name("gcmreview"))
    shutil.rmtree(ws / "forms", ignore_errors=True)
    made = measure([tool, "form", "--all", "--force"], ws, repeat=1)
    forms = sorted((ws / "forms").glob("*.docx"))
    print(f"form --all: {len(forms)} forms in {made['seconds']:.1f} s "
          f"(largest process {made['peak_mb']:.0f} MB)")
    out = HERE / "out" / "word"
    shutil.rmtree(out, ignore_errors=True)
    (out / "floor").mkdir(parents=True)
    (out / "imported").mkdir()
    listing = out / "forms.txt"
    listing.write_text("\n".join(str(f) for f in forms) + "\n", encoding="utf-8")
    floor = measure([str(pandoc_path()), "lua", str(HERE / "word_floor.lua"), str(listing),
                     str(out / "floor")], ws, repeat=2)
    cores = os.cpu_count() or 1
    script = " & ".join(
        f"{pandoc_path()} lua {HERE / 'word_floor.lua'} {out / f'forms-{i}.txt'} {out / 'floor'}"
        for i in range(cores)) + " & wait"
    for i in range(cores):
        (out / f"forms-{i}.txt").write_text("\n".join(str(f) for f in forms[i::cores]) + "\n",
                                           encoding="utf-8")
    floor_all = measure(["sh", "-c", script], ws, repeat=2)
    imported = measure([tool, "import", *map(str, forms), "--output", str(out / "imported"),
                        "--force"], ws, repeat=2)
    same = sum(_data(out / "imported" / f"{f.stem}.yaml")
               == _data(ws / "countries" / f"{f.stem}.yaml")
               for f in forms if (ws / "countries" / f"{f.stem}.yaml").is_file())
    print(f"floor, pandoc docx -> Markdown in one process: {floor['seconds']:.1f} s; "
          f"on {cores} cores: {floor_all['seconds']:.1f} s")
    print(f"import: {imported['seconds']:.1f} s, {imported['seconds'] / floor['seconds']:.2f}x "
          f"the floor (largest process {imported['peak_mb']:.0f} MB; exit {imported['code']}; "
          f"{same} of {len(forms)} imports give the data of the original review); "
          f"{imported['seconds'] / floor_all['seconds']:.2f}x the floor on every core")
    print(f"form:   {made['seconds']:.1f} s, {made['seconds'] / floor['seconds']:.2f}x the floor")


if __name__ == "__main__":
    main()
