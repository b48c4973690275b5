"""Decide a CSV file's text encoding and give DuckDB a UTF-8 file to read.

The contract accepts UTF-8 (with or without BOM) and Windows-1252 (what Excel writes); anything
else is an error the council can act on. UTF-8 files are read in place (a BOM is stripped when
the header is parsed); Windows-1252 files are transcoded once, streaming, to a temporary file.
"""

from __future__ import annotations

import codecs
from pathlib import Path

CHUNK = 8 * 1024 * 1024


class FileRejected(Exception):
    """A whole file cannot be loaded; the message says why and what to do."""


def _check_not_binary_or_utf16(head: bytes, path: Path) -> None:
    if head.startswith((codecs.BOM_UTF16_LE, codecs.BOM_UTF16_BE)):
        raise FileRejected(
            f"{path.name}: the file is UTF-16 encoded; save it as 'CSV UTF-8' or 'CSV (Comma delimited)'"
        )


def _decodes_as(path: Path, encoding: str) -> tuple[bool, str]:
    decoder = codecs.getincrementaldecoder(encoding)("strict")
    offset = 0
    with path.open("rb") as fh:
        while chunk := fh.read(CHUNK):
            if b"\x00" in chunk:
                at = offset + chunk.index(b"\x00")
                raise FileRejected(
                    f"{path.name}: byte {at} is a NUL byte: this is not a text CSV file "
                    "(a binary file, or UTF-16 without a byte-order mark)"
                )
            try:
                decoder.decode(chunk)
            except UnicodeDecodeError as exc:
                return False, f"byte 0x{chunk[exc.start]:02x} at offset {offset + exc.start}"
            offset += len(chunk)
        try:
            decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            return False, "the file ends in the middle of a character"
    return True, ""


def utf8_source(path: Path, workdir: Path) -> tuple[Path, str]:
    """Return (a UTF-8 file with the same text, the encoding found)."""
    with path.open("rb") as fh:
        head = fh.read(4)
    _check_not_binary_or_utf16(head, path)
    ok, where = _decodes_as(path, "utf-8")
    if ok:
        return path, "utf-8-sig" if head.startswith(codecs.BOM_UTF8) else "utf-8"
    ok_1252, _ = _decodes_as(path, "cp1252")
    if not ok_1252:
        raise FileRejected(
            f"{path.name}: the text is neither UTF-8 nor Windows-1252 ({where}); "
            "save it as 'CSV UTF-8' from Excel or your case-management system"
        )
    target = workdir / f"{path.stem}.utf8.csv"
    with path.open("r", encoding="cp1252", newline="") as src, target.open("w", encoding="utf-8", newline="") as dst:
        while text := src.read(CHUNK):
            dst.write(text)
    return target, "cp1252"
