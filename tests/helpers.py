"""Helpers shared by the tests."""

from __future__ import annotations

from pathlib import Path


def write_extract(landing: Path, la_code: str, extract_date: str, tables: dict[str, str],
                  encoding: str = "utf-8") -> Path:
    """Write CSV text per table into <landing>/<la>/<date>/ (text is dedented, stripped of margins)."""
    import textwrap

    folder = landing / la_code / extract_date
    folder.mkdir(parents=True, exist_ok=True)
    for name, text in tables.items():
        (folder / f"{name}.csv").write_bytes(textwrap.dedent(text).lstrip("\n").encode(encoding))
    return folder
