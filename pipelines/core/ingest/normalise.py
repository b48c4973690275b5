"""SQL expressions that turn a raw cell into a typed value, or into a reason it cannot be loaded.

One function per contract type. Every expression takes the trimmed raw cell (NULL when empty or
whitespace) and yields NULL when the value cannot be parsed; ``problem_sql`` says why, in words a
council analyst can act on. Nothing is silently blanked: a bad optional value rejects the row too.
"""

from __future__ import annotations

from ..contract import Contract, Field

DATE_FORMATS = ["%Y-%m-%d", "%d/%m/%Y"]
# A datetime field may carry a plain date (read as 00:00).
DATETIME_FORMATS = [
    "%Y-%m-%d %H:%M:%S",
    "%Y-%m-%d %H:%M",
    "%Y-%m-%dT%H:%M:%S",
    "%Y-%m-%dT%H:%M",
    "%d/%m/%Y %H:%M:%S",
    "%d/%m/%Y %H:%M",
    *DATE_FORMATS,
]
# A date field given a datetime at exactly midnight (as Excel writes dates) loses nothing.
DATE_AT_MIDNIGHT_FORMATS = [f for f in DATETIME_FORMATS if "%H" in f]
# Years outside this range are typing slips (0224, 2204), not real dates in children's records.
MIN_YEAR, MAX_YEAR = 1900, 2100


def _quote(text: str) -> str:
    return "'" + text.replace("'", "''") + "'"


def _formats(formats: list[str]) -> str:
    return "[" + ", ".join(_quote(f) for f in formats) + "]"


def _plausible(expr: str) -> str:
    return f"CASE WHEN year({expr}) BETWEEN {MIN_YEAR} AND {MAX_YEAR} THEN {expr} END"


def _parse_date(v: str) -> str:
    on_midnight = f"try_strptime({v}, {_formats(DATE_AT_MIDNIGHT_FORMATS)})"
    # The datetime parse appears once, and only where the plain date failed (coalesce is lazy): written
    # twice (CASE WHEN x::TIME = ... THEN x), DuckDB computed it once for every cell, and six failing
    # formats cost a plain date 4 microseconds, 20 times its own parse (issue 11).
    midnight_only = f"list_filter([{on_midnight}], t -> t::TIME = TIME '00:00:00')[1]"
    return _plausible(f"coalesce(try_strptime({v}, {_formats(DATE_FORMATS)}), {midnight_only})::DATE")


def _parse_datetime(v: str) -> str:
    return _plausible(f"try_strptime({v}, {_formats(DATETIME_FORMATS)})")


def _parse_id(v: str) -> str:
    # Excel turns the id 123 into 123.0: read it back as 123 (never strip leading zeros).
    return rf"CASE WHEN regexp_full_match({v}, '[0-9]+\.0+') THEN split_part({v}, '.', 1) ELSE {v} END"


def _parse_num(v: str) -> str:
    # Thousands separators (1,234.5) are accepted only in their exact grouping.
    grouped = r"'[0-9]{1,3}(,[0-9]{3})+(\.[0-9]+)?'"
    cleaned = f"CASE WHEN regexp_full_match({v}, {grouped}) THEN replace({v}, ',', '') ELSE {v} END"
    return f"try_cast({cleaned} AS DOUBLE)"


def _parse_code(v: str, mapping: dict[str, str]) -> str:
    whens = " ".join(f"WHEN {_quote(k)} THEN {_quote(c)}" for k, c in sorted(mapping.items()))
    return f"CASE upper({v}) {whens} END"


def value_sql(f: Field, contract: Contract, v: str) -> str:
    """Typed value of trimmed raw cell ``v`` (NULL if empty or unparseable)."""
    if f.type == "date":
        return _parse_date(v)
    if f.type == "datetime":
        return _parse_datetime(v)
    if f.type == "id":
        return _parse_id(v)
    if f.type == "num":
        return _parse_num(v)
    if f.type in ("code", "yn"):
        return _parse_code(v, contract.code_map(f))
    return v


def _range_sql(f: Field, value: str) -> str | None:
    conditions = []
    if f.min is not None:
        conditions.append(f"{value} < {f.min}")
    if f.min_exclusive is not None:
        conditions.append(f"{value} <= {f.min_exclusive}")
    if f.max is not None:
        conditions.append(f"{value} > {f.max}")
    return " OR ".join(conditions) or None


def expected_text(f: Field) -> str:
    if f.type == "date":
        return "a date as YYYY-MM-DD or DD/MM/YYYY"
    if f.type == "datetime":
        return "a date and time as YYYY-MM-DD HH:MM[:SS], YYYY-MM-DDTHH:MM[:SS] or DD/MM/YYYY HH:MM[:SS]"
    if f.type == "num":
        return "a whole number" if f.whole else "a number"
    if f.type in ("code", "yn"):
        return "one of " + ", ".join(f.codes)
    return "a value"


def problem_sql(f: Field, v: str, value: str) -> str:
    """(rule, reason) struct for a bad cell, NULL when the cell is acceptable."""
    checks: list[tuple[str, str, str]] = []
    if f.required:
        checks.append((f"{v} IS NULL", "missing_required", f"{f.name} is required but empty"))
    rule = {"date": "invalid_date", "datetime": "invalid_datetime", "num": "invalid_number"}.get(
        f.type, "invalid_code"
    )
    checks.append((f"{v} IS NOT NULL AND {value} IS NULL", rule, f"expected {expected_text(f)}"))
    if f.whole:
        checks.append((f"{value} <> floor({value})", rule, f"expected {expected_text(f)}"))
    if (out := _range_sql(f, value)) is not None:
        low = (f"greater than {f.min_exclusive}" if f.min_exclusive is not None
               else f"at least {f.min:g}" if f.min is not None else "")
        high = f"at most {f.max}" if f.max is not None else ""
        checks.append((out, "out_of_range", f"expected a number {' and '.join(x for x in (low, high) if x)}"))
    whens = " ".join(
        f"WHEN {cond} THEN {{'rule': {_quote(r)}, 'reason': {_quote(msg)}}}" for cond, r, msg in checks
    )
    return f"CASE {whens} END"
