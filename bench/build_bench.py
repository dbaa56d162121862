"""Benchmark `gcmreview build` for 193 synthetic reviews against pandoc's own floor.

The floor is pandoc converting the same Markdown (the report Markdown gcmreview
itself writes with --format md) with the same templates and options, in
`pandoc lua` processes: nothing faster can turn that Markdown into those
files. It runs with pandoc's own runtime settings; gcmreview's pandoc processes
tune the garbage collector (gcmreview.convert.pandoc.RTS_OPTIONS), so the floor
with those settings is printed too. It is measured with pandoc's CommonMark
reader (the fastest; pandoc's own markdown reader is slower, shown for
reference). Both sides run in the same invocation, so machine noise hits both:
for `build --all`, in rounds (--rounds, 3 by default), each round the floor, the
floor with gcmreview's settings and gcmreview's build one after the other; the
machine's speed drifts by a tenth within minutes here, so each is reported as the
best of its rounds, and each round's own ratio is printed too, with their median. Each
round also times a first build, in a new folder (`build --all` as a check on a pull
request runs it in a fresh clone: every narrative parsed, no cache to read). The floor
writes each file in a pandoc write of its own, as pandoc does; gcmreview writes the DOCX
of up to eight reports of one language in one write and cuts it into the same files
(gcmreview.convert.docx_batch), which spares pandoc rebuilding its default reference
document at each file: the floor is not given that.

    python bench/build_bench.py [--naive-sample N] [--rounds N] [--skip-all]
                                [--skip-region] [--pdf]

Targets (issue 8): `build --all --format html,docx` <= 1.2x the floor (one
process per core); the regional report alone <= 1.3x its floor (one process);
a rebuild with nothing changed <= 5 % of the full build; no process over
500 MB, for `--format pdf` too.
"""

from __future__ import annotations

import argparse
import os
import shutil
import statistics
import subprocess
import sys
import time
from pathlib import Path

from common import HERE, ensure_workspace, measure

from gcmreview.convert.pandoc import RTS_OPTIONS, pandoc_path
from gcmreview.render.templates import builtin_templates_dir

READERS = {"commonmark": "commonmark_x", "markdown": "markdown"}
CORES = os.cpu_count() or 1


def timed(fn) -> float:  # type: ignore[no-untyped-def]
    start = time.perf_counter()
    fn()
    return time.perf_counter() - start


def floor(files: list[str], out: Path, formats: str, reader: str, processes: int,
          rts: tuple[str, ...] = (), repeat: int = 2) -> float:
    """pandoc lua, `processes` processes, the files dealt out round-robin; `rts`: runtime
    options (gcmreview's, RTS_OPTIONS, for the floor with the same garbage collector).
    The best of `repeat` runs."""
    templates = builtin_templates_dir()
    lists = []
    for i in range(processes):
        listing = out / f"floor-{i}.txt"
        listing.write_text("\n".join(files[i::processes]) + "\n", encoding="utf-8")
        lists.append(listing)
    target = out / "floor"
    shutil.rmtree(target, ignore_errors=True)
    target.mkdir(parents=True)

    def run() -> None:
        options = ["+RTS", *rts, "-RTS"] if rts else []
        procs = [subprocess.Popen([str(pandoc_path()), *options, "lua", str(HERE / "floor.lua"),
                                   str(templates / "report.html"),
                                   str(templates / "reference.docx"), str(target),
                                   str(listing), reader, formats])
                 for listing in lists]
        for proc in procs:
            if proc.wait() != 0:
                raise SystemExit("floor conversion failed")

    return min(timed(run) for _ in range(repeat))


def markdown_of(ws: Path, out: Path, *args: str) -> list[str]:
    folder = out / "md"
    shutil.rmtree(folder, ignore_errors=True)
    subprocess.run([sys.executable, "-m", "gcmreview", "build", *args, "--format", "md",
                    "--out", str(folder), "--quiet"], cwd=ws, check=True)
    return sorted(str(p) for p in folder.glob("*.md"))


def ours(ws: Path, out: Path, *args: str, repeat: int = 2) -> dict[str, float]:
    command = [sys.executable, "-m", "gcmreview", "build", *args, "--out", str(out), "--quiet"]
    return measure([*command, "--force"], ws, repeat=repeat)


def bench_all(ws: Path, out: Path, naive_sample: int, rounds: int) -> None:
    files = markdown_of(ws, out, "--all")
    markdown_floor = floor(files, out, "html,docx", READERS["markdown"], CORES, repeat=1)
    build_dir = out / "build-all"
    shutil.rmtree(build_dir, ignore_errors=True)
    ours(ws, build_dir, "--all", "--format", "html,docx", repeat=1)  # its narrative cache
    plain: list[float] = []
    tuned: list[float] = []
    builds: list[dict[str, float]] = []
    cold: list[float] = []
    cold_dir = out / "build-all-cold"
    for _round in range(rounds):
        plain.append(floor(files, out, "html,docx", READERS["commonmark"], CORES, repeat=1))
        tuned.append(floor(files, out, "html,docx", READERS["commonmark"], CORES,
                           RTS_OPTIONS, repeat=1))
        builds.append(ours(ws, build_dir, "--all", "--format", "html,docx", repeat=1))
        # A first build, in a new folder: every narrative parsed (the cache is empty).
        shutil.rmtree(cold_dir, ignore_errors=True)
        cold.append(measure([sys.executable, "-m", "gcmreview", "build", "--all", "--format",
                             "html,docx", "--out", str(cold_dir), "--quiet"], ws,
                            repeat=1)["seconds"])
    full = {"seconds": min(b["seconds"] for b in builds),
            "peak_mb": max(b["peak_mb"] for b in builds)}
    command = [sys.executable, "-m", "gcmreview", "build", "--all", "--format", "html,docx",
               "--out", str(build_dir), "--quiet"]
    unchanged = measure(command, ws, repeat=2)
    sample = files[:naive_sample] if naive_sample else files
    naive_dir = out / "naive"
    naive_dir.mkdir(exist_ok=True)
    templates = builtin_templates_dir()

    def naive() -> None:
        for path in sample:
            stem = Path(path).stem
            subprocess.run([str(pandoc_path()), path, "-s", "--toc", "--template",
                            str(templates / "report.html"), "-o",
                            str(naive_dir / f"{stem}.html")], check=True)
            subprocess.run([str(pandoc_path()), path, "--reference-doc",
                            str(templates / "reference.docx"), "-o",
                            str(naive_dir / f"{stem}.docx")], check=True)

    naive_s = timed(naive) * len(files) / len(sample)
    strict, tuned_s = min(plain), min(tuned)

    def spread(values: list[float]) -> str:
        return ", ".join(f"{v:.2f}" for v in values)

    print(f"build --all, HTML + DOCX: {len(files)} documents, {CORES} cores, "
          f"best of {rounds} rounds")
    print(f"  floor, CommonMark reader, a process per core: {strict:6.2f} s ({spread(plain)})")
    print(f"  floor, CommonMark, gcmreview's GC settings:   {tuned_s:6.2f} s ({spread(tuned)}; "
          f"+RTS {' '.join(RTS_OPTIONS)})")
    print(f"  floor, markdown reader (reference):           {markdown_floor:6.2f} s")
    print(f"  naive, a pandoc process per output:           {naive_s:6.2f} s"
          + (f" (scaled from {len(sample)} files)" if naive_sample else ""))
    print(f"  gcmreview build --all --force:                {full['seconds']:6.2f} s "
          f"({spread([b['seconds'] for b in builds])}), "
          f"largest process {full['peak_mb']:.0f} MB")
    print(f"  gcmreview build --all, a first build:         {min(cold):6.2f} s "
          f"({spread(cold)}; a new folder, every narrative parsed)")
    print(f"  ratio: {full['seconds'] / strict:.2f}x the floor (target <= 1.2x), "
          f"{full['seconds'] / markdown_floor:.2f}x the markdown-reader floor, "
          f"{full['seconds'] / naive_s:.2f}x naive; {full['seconds'] / tuned_s:.2f}x the floor "
          f"with gcmreview's GC settings")
    print("  each round: "
          + "; ".join(f"{b['seconds'] / p:.2f}x, {b['seconds'] / t:.2f}x with the GC settings"
                      for b, p, t in zip(builds, plain, tuned, strict=True)))
    # Each round's own ratios (the floor and the build minutes apart, not the best of
    # each, which may be far apart): their median says the most on a machine that drifts.
    warm_ratios = [b["seconds"] / t for b, t in zip(builds, tuned, strict=True)]
    cold_ratios = [c / t for c, t in zip(cold, tuned, strict=True)]
    print(f"  median of the rounds, against the floor with the GC settings: "
          f"{statistics.median(warm_ratios):.2f}x (--force), "
          f"{statistics.median(cold_ratios):.2f}x a first build "
          f"({spread(cold_ratios)}; target <= 1.2x)")
    warm_plain = statistics.median(b["seconds"] / p for b, p in zip(builds, plain, strict=True))
    cold_plain = statistics.median(c / p for c, p in zip(cold, plain, strict=True))
    print(f"  median of the rounds, against the floor with pandoc's own settings: "
          f"{warm_plain:.2f}x (--force), {cold_plain:.2f}x a first build")
    print(f"  nothing changed: {unchanged['seconds']:.2f} s = "
          f"{unchanged['seconds'] / full['seconds']:.1%} of the full build (target <= 5%)")


def bench_region(ws: Path, out: Path, pdf: bool) -> None:
    files = markdown_of(ws, out, "--region")
    one = floor(files, out, "html", READERS["commonmark"], 1)
    per_core = floor(files, out, "html", READERS["commonmark"], CORES)
    one_tuned = floor(files, out, "html", READERS["commonmark"], 1, RTS_OPTIONS)
    cold_dir, warm_dir = out / "build-region-cold", out / "build-region"
    shutil.rmtree(warm_dir, ignore_errors=True)
    warm = ours(ws, warm_dir, "--region", "--format", "html")  # cache filled by the 1st run

    def cold_run() -> None:
        shutil.rmtree(cold_dir, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "gcmreview", "build", "--region", "--format",
                        "html", "--out", str(cold_dir), "--quiet"], cwd=ws, check=True)

    cold = min(timed(cold_run) for _ in range(2))
    print(f"build --region, HTML: {len(files)} documents")
    print(f"  floor, CommonMark reader, one process:        {one:6.2f} s")
    print(f"  floor, CommonMark reader, a process per core: {per_core:6.2f} s")
    print(f"  gcmreview, empty build folder:                {cold:6.2f} s "
          f"= {cold / one:.2f}x one-process floor, {cold / per_core:.2f}x per-core floor")
    print(f"  gcmreview --force, narratives cached:         {warm['seconds']:6.2f} s "
          f"= {warm['seconds'] / one:.2f}x one-process floor (target <= 1.3x), "
          f"{warm['seconds'] / one_tuned:.2f}x with gcmreview's GC settings "
          f"({one_tuned:.2f} s), largest process {warm['peak_mb']:.0f} MB")
    if pdf:
        result = ours(ws, out / "build-region-pdf", "--region", "--format", "pdf")
        print(f"  --format pdf: {result['seconds']:.2f} s, largest process "
              f"{result['peak_mb']:.0f} MB (target < 500 MB), exit {result['code']:.0f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--naive-sample", type=int, default=0,
                        help="time the naive way on N files only and scale (0: all files)")
    parser.add_argument("--rounds", type=int, default=3,
                        help="rounds of floor and build for build --all (the best of each)")
    parser.add_argument("--skip-all", action="store_true")
    parser.add_argument("--skip-region", action="store_true")
    parser.add_argument("--pdf", action="store_true", help="also build the regional PDF")
    args = parser.parse_args()
    ws = ensure_workspace()
    out = HERE / "out"
    if not args.skip_all:
        bench_all(ws, out, args.naive_sample, max(1, args.rounds))
    if not args.skip_region:
        bench_region(ws, out, args.pdf)


if __name__ == "__main__":
    main()
