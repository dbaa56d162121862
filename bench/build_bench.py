"""Benchmark `gcmreview build --all` (HTML and DOCX) for 193 synthetic reviews.

Two references, measured in the same run on the same Markdown (the report
Markdown gcmreview itself produces, written once with --format md):

- naive: one pandoc process per output file, one after the other;
- floor: pandoc batched with `pandoc lua`, one process per core, same
  templates and options.

`build --all` also writes the regional report, so its Markdown is part of the
floor's input too. Targets (issues 3 and 4): within 1.2x of the floor; a rebuild
with nothing changed at most 5% of the full build; peak memory under 500 MB.

    python bench/build_bench.py [--naive-sample N]
"""

from __future__ import annotations

import argparse
import os
import shutil
import subprocess
import sys
import time
from pathlib import Path

from common import HERE, ensure_workspace, measure

from gcmreview.convert.pandoc import pandoc_path
from gcmreview.render.templates import builtin_templates_dir


def timed(fn) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--naive-sample", type=int, default=0,
                        help="time the naive way on N files only and scale (0: all files)")
    args = parser.parse_args()
    ws = ensure_workspace()
    out = HERE / "out"
    md_dir, floor_dir, naive_dir, build_dir = (out / n for n in ("md", "floor", "naive", "build"))
    for folder in (md_dir, floor_dir, naive_dir, build_dir):
        shutil.rmtree(folder, ignore_errors=True)
        folder.mkdir(parents=True)
    subprocess.run([sys.executable, "-m", "gcmreview", "build", "--all", "--format", "md",
                    "--out", str(md_dir), "--quiet"], cwd=ws, check=True)
    files = sorted(str(p) for p in md_dir.glob("*.md"))
    pandoc = str(pandoc_path())
    templates = builtin_templates_dir()
    html_template, reference = str(templates / "report.html"), str(templates / "reference.docx")
    cores = os.cpu_count() or 1

    def floor() -> None:
        lists = []
        for i in range(cores):
            listing = out / f"floor-{i}.txt"
            listing.write_text("\n".join(files[i::cores]) + "\n", encoding="utf-8")
            lists.append(listing)
        procs = [subprocess.Popen([pandoc, "lua", str(HERE / "floor.lua"), html_template,
                                   reference, str(floor_dir), str(listing)])
                 for listing in lists]
        for proc, listing in zip(procs, lists, strict=True):
            if proc.wait() != 0:
                raise SystemExit(f"floor conversion failed ({listing})")

    sample = files[: args.naive_sample] if args.naive_sample else files

    def naive() -> None:
        for path in sample:
            stem = Path(path).stem
            subprocess.run([pandoc, path, "-s", "--toc", "--template", html_template,
                            "-o", str(naive_dir / f"{stem}.html")], check=True)
            subprocess.run([pandoc, path, "--reference-doc", reference,
                            "-o", str(naive_dir / f"{stem}.docx")], check=True)

    floor_s = min(timed(floor) for _ in range(2))
    naive_s = timed(naive) * len(files) / len(sample)
    command = [sys.executable, "-m", "gcmreview", "build", "--all", "--format", "html,docx",
               "--out", str(build_dir), "--quiet"]
    ours = measure([*command, "--force"], ws, repeat=2)
    unchanged = measure(command, ws, repeat=2)
    print(f"{len(files)} reviews, HTML + DOCX, {cores} cores")
    print(f"naive (a pandoc process per output, serial): {naive_s:6.2f} s"
          + (f" (scaled from {len(sample)} files)" if args.naive_sample else ""))
    print(f"floor (pandoc lua, one process per core):   {floor_s:6.2f} s")
    print(f"gcmreview build --all:                      {ours['seconds']:6.2f} s, "
          f"peak {ours['peak_mb']:.0f} MB")
    print(f"ratio to floor: {ours['seconds'] / floor_s:.2f}x (target <= 1.2x); "
          f"to naive: {ours['seconds'] / naive_s:.2f}x")
    print(f"rebuild, nothing changed:                   {unchanged['seconds']:6.2f} s = "
          f"{unchanged['seconds'] / ours['seconds']:.1%} of the full build (target <= 5%)")
    print(f"peak memory {ours['peak_mb']:.0f} MB (target < 500 MB)")


if __name__ == "__main__":
    main()
