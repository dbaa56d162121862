"""Incremental builds: what each output was built from, by content hash.

The manifest in the output folder maps every output file to the fingerprint of
its inputs. Fingerprints hash contents and names, never times: a fresh clone, a
touched file or a checkout of the same commit rebuilds nothing. Anything that
shapes every document (the tool itself, templates, catalogue, message catalogs,
workspace configuration, options) is part of every fingerprint, so changing it
rebuilds everything.

It also remembers which review files were valid (by name and content, under
the same tool and configuration) and their language, so an unchanged file is
not even reloaded to tell that a report is up to date.
"""

from __future__ import annotations

import contextlib
import hashlib
import hmac
import json
from collections.abc import Iterable
from dataclasses import dataclass
from importlib import resources
from pathlib import Path

from gcmreview import __version__
from gcmreview.core.errors import InputError
from gcmreview.core.files import seal, write_atomic
from gcmreview.core.languages import LANGUAGES

MANIFEST_NAME = ".gcmreview-manifest.json"
FORMAT_VERSION = 2
SEAL_NAME = ".gcmreview-cache/manifest.seal"
"""The manifest's seal, under the user's key (gcmreview.convert.narratives.seal_key), in
the cache folder: the manifest itself stays the same bytes on every machine. A build
folder from elsewhere (committed by a pull request, restored from CI) has none that
fits, so nothing in it is taken as up to date: every output is made again."""


def digest(parts: Iterable[bytes | str]) -> str:
    h = hashlib.sha256()
    for part in parts:
        # surrogateescape: a file name that is not UTF-8 (Git allows one) as its bytes.
        data = part.encode("utf-8", "surrogateescape") if isinstance(part, str) else part
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
    root = Path(str(resources.files("gcmreview")))
    for path in _package_files():
        parts += [path.relative_to(root).as_posix(), path.read_bytes()]
    for path in extra_files:
        parts += [path.name, path.read_bytes()]
    return digest(parts)


@dataclass(frozen=True)
class KnownReview:
    """A review file known to be valid: which file, and the language it is written in."""

    name: str
    lang: str


class Manifest:
    def __init__(self, out_dir: Path, key: bytes | None = None) -> None:
        self.path = out_dir / MANIFEST_NAME
        self.key = key
        """The user's key: only a manifest it sealed is trusted (None: any, as before)."""
        self.outputs: dict[str, str] = {}
        """Output file name -> fingerprint of what it was built from."""
        self.reviews: dict[str, KnownReview] = {}
        """Review key (tool, configuration, file name and content) -> what is known."""
        try:
            text = self.path.read_bytes()
            if key is not None and not hmac.compare_digest(
                    (out_dir / SEAL_NAME).read_bytes(), seal(key, MANIFEST_NAME, text)):
                return  # not this user's: everything is rebuilt
            data = json.loads(text.decode("utf-8"))
            if data.get("format") == FORMAT_VERSION:
                self.outputs = {str(k): str(v) for k, v in data["outputs"].items()}
                # The folder is not trusted: a language the tool does not write is no entry.
                self.reviews = {str(k): KnownReview(str(v["name"]), str(v["lang"]))
                                for k, v in data["reviews"].items()
                                if v.get("lang") in LANGUAGES}
        except (OSError, ValueError, AttributeError, TypeError, KeyError):
            pass  # no manifest, or a damaged one: everything is rebuilt

    def fresh(self, output: Path, fingerprint: str) -> bool:
        return self.outputs.get(output.name) == fingerprint and output.is_file()

    def all_present(self, fingerprint: str) -> bool:
        """Every output recorded with this fingerprint still exists (regional volumes)."""
        folder = self.path.parent
        return all((folder / name).is_file()
                   for name, key in self.outputs.items() if key == fingerprint)

    def record(self, output: Path, fingerprint: str) -> None:
        self.outputs[output.name] = fingerprint

    def save(self, current: dict[str, str], existing: set[str]) -> None:
        """Write the manifest, pruned: outputs that still exist; per review file still
        in the workspace (`existing` names), only the entry for its `current` key
        (name -> key, for the files this build read)."""
        folder = self.path.parent
        outputs = {n: k for n, k in sorted(self.outputs.items()) if (folder / n).is_file()}
        reviews = {k: r for k, r in self.reviews.items() if r.name in existing
                   and current.get(r.name, k) == k}
        data = {"format": FORMAT_VERSION, "tool": __version__, "outputs": outputs,
                "reviews": {k: {"name": r.name, "lang": r.lang}
                            for k, r in sorted(reviews.items())}}
        text = (json.dumps(data, indent=1, ensure_ascii=False) + "\n").encode()
        write_atomic(self.path, text)
        if self.key is not None:
            sealed = folder / SEAL_NAME
            # A seal that cannot be written (no cache folder) only costs the next build's time.
            with contextlib.suppress(OSError, InputError):
                sealed.parent.mkdir(exist_ok=True)
                write_atomic(sealed, seal(self.key, MANIFEST_NAME, text))
