"""Incremental builds: what each output was built from, by content hash.

The manifest in the output folder maps every output file to the fingerprint of
its inputs. Fingerprints hash contents, never times: a fresh clone, a touched
file or a checkout of the same commit rebuilds nothing. Anything that shapes
every document (the tool's version, templates, catalogue, message catalogs,
workspace configuration, options) is part of every fingerprint, so changing it
rebuilds everything.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from importlib import resources
from pathlib import Path

from gcmreview import __version__
from gcmreview.write.files import write_atomic

MANIFEST_NAME = ".gcmreview-manifest.json"


def digest(parts: Iterable[bytes | str]) -> str:
    h = hashlib.sha256()
    for part in parts:
        data = part.encode() if isinstance(part, str) else part
        h.update(len(data).to_bytes(8, "big"))
        h.update(data)
    return h.hexdigest()


def _package_files() -> list[Path]:
    """The tool itself, code included: a changed module can change every report."""
    root = Path(str(resources.files("gcmreview")))
    return sorted(p for p in root.rglob("*")
                  if p.is_file() and "__pycache__" not in p.parts and p.suffix != ".pyc")


def global_fingerprint(template_dirs: list[Path], extra_files: list[Path],
                       options: Iterable[str]) -> str:
    """Everything every output depends on besides the review files themselves."""
    parts: list[bytes | str] = [__version__, *options]
    for folder in template_dirs:
        for path in sorted(p for p in folder.rglob("*") if p.is_file()):
            parts += [str(path.relative_to(folder)), path.read_bytes()]
    for path in [*_package_files(), *extra_files]:
        parts += [path.name, path.read_bytes()]
    return digest(parts)


class Manifest:
    """Output file name -> fingerprint, and review files known to be valid
    (content hash -> the review's language), so unchanged ones need no reloading."""

    def __init__(self, out_dir: Path) -> None:
        self.path = out_dir / MANIFEST_NAME
        try:
            data = json.loads(self.path.read_text(encoding="utf-8"))
            self.outputs: dict[str, str] = dict(data.get("outputs", {}))
            self.valid: dict[str, str] = dict(data.get("valid", {}))
        except (OSError, ValueError, AttributeError, TypeError):
            self.outputs, self.valid = {}, {}

    def fresh(self, output: Path, fingerprint: str) -> bool:
        return self.outputs.get(output.name) == fingerprint and output.is_file()

    def all_present(self, fingerprint: str) -> bool:
        """Every output recorded with this fingerprint still exists (regional volumes)."""
        folder = self.path.parent
        return all((folder / name).is_file()
                   for name, key in self.outputs.items() if key == fingerprint)

    def record(self, output: Path, fingerprint: str) -> None:
        self.outputs[output.name] = fingerprint

    def save(self) -> None:
        data = {"version": 1, "tool": __version__,
                "outputs": dict(sorted(self.outputs.items())),
                "valid": dict(sorted(self.valid.items()))}
        write_atomic(self.path, (json.dumps(data, indent=1) + "\n").encode())
