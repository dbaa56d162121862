"""`gcmreview schema`: the JSON Schema of review files, with the catalogue filled in."""

from __future__ import annotations

from pathlib import Path

from gcmreview.commands.context import Context
from gcmreview.core.files import write_atomic
from gcmreview.validate.schema import review_schema, to_json


def schema_text(ctx: Context) -> str:
    return to_json(review_schema(ctx.catalogue))


def write_schema(ctx: Context, output: Path) -> None:
    write_atomic(output, schema_text(ctx).encode())
