"""Find council extracts in the landing folder: <landing>/<la_code>/<YYYY-MM-DD>/<table>.csv."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from dataclasses import dataclass, field
from functools import cache
from pathlib import Path

from ...settings import SEEDS_DIR
from ..contract import Contract
from ..returns.files import classify_folder
from ..returns.xml_records import CIN_CENSUS, SSDA903
from .problems import REPORT_STEM

RETURN_NAMES = {SSDA903: "an SSDA903 return", CIN_CENSUS: "a CIN census return"}


@dataclass(frozen=True)
class Extract:
    la_code: str
    extract_date: dt.date
    path: Path
    files: dict[str, Path]  # contract table name -> file
    ignored: tuple[str, ...] = ()
    dataset: str = "ssd"  # the kind of extract (extract-contract.md, "Datasets"): SSD tables so far
    returns: dict[str, list[str]] = field(default_factory=dict, compare=False)  # statutory returns beside it

    @property
    def as_at(self) -> dt.datetime:
        """The end of the extract day (UK local): every 'still within its window' rule is judged here."""
        return dt.datetime.combine(self.extract_date, dt.time(23, 59, 59))

    @property
    def label(self) -> str:
        return f"{self.la_code}/{self.extract_date.isoformat()}"

    def content_hash(self) -> str:
        """Hash of the table files' names and bytes: unchanged files are not loaded again."""
        digest = hashlib.sha256()
        for table in sorted(self.files):
            digest.update(table.encode())
            with self.files[table].open("rb") as fh:
                while chunk := fh.read(1 << 20):
                    digest.update(chunk)
        return digest.hexdigest()


@dataclass
class LandingScan:
    extracts: list[Extract] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)

    def for_la(self, la_code: str) -> list[Extract]:
        return sorted((e for e in self.extracts if e.la_code == la_code), key=lambda e: e.extract_date)

    @property
    def la_codes(self) -> list[str]:
        return sorted({e.la_code for e in self.extracts})


@cache
def known_la_codes() -> frozenset[str]:
    with (SEEDS_DIR / "la_reference.csv").open(encoding="utf-8") as fh:
        return frozenset(row["la_code"] for row in csv.DictReader(fh))


def extract_date_of(folder_name: str) -> dt.date | None:
    """The extract date a folder is named with (exactly YYYY-MM-DD), or None."""
    try:
        return dt.date.fromisoformat(folder_name) if len(folder_name) == 10 else None
    except ValueError:
        return None


def layout_problem(folder: Path) -> str | None:
    """Why an extract folder breaks the layout <landing>/<la_code>/<YYYY-MM-DD> (None: it does not)."""
    if not folder.is_dir():
        return f"{folder} is not a folder"
    if folder.parent.name not in known_la_codes():
        return f"'{folder.parent.name}' (the parent folder) is not a DfE LA code in seeds/la_reference.csv"
    if extract_date_of(folder.name) is None:
        return f"'{folder.name}' is not an extract date (YYYY-MM-DD)"
    return None


def scan_landing(landing: Path, contract: Contract) -> LandingScan:
    """List every extract folder; folders that break the layout are reported, never loaded."""
    scan = LandingScan()
    if not landing.is_dir():
        scan.errors.append(f"{landing}: the landing folder does not exist")
        return scan
    for la_dir in sorted(p for p in landing.iterdir() if p.is_dir() and not p.name.startswith(".")):
        if la_dir.name not in known_la_codes():
            scan.errors.append(
                f"{la_dir}: '{la_dir.name}' is not a DfE LA code in seeds/la_reference.csv; folder not loaded"
            )
            continue
        for extract_dir in sorted(p for p in la_dir.iterdir() if p.is_dir() and not p.name.startswith(".")):
            extract_date = extract_date_of(extract_dir.name)
            if extract_date is None:
                scan.errors.append(
                    f"{extract_dir}: '{extract_dir.name}' is not an extract date (YYYY-MM-DD); not loaded"
                )
                continue
            extract = read_extract_folder(la_dir.name, extract_date, extract_dir, contract)
            if extract.files:
                scan.extracts.append(extract)
            elif not extract.returns:
                # No file of any dataset: no extract (a folder being filled, or a stray one), not a
                # blocked one that would hide the LA's current data behind an empty folder's date.
                scan.warnings.append(f"{extract_dir}: no extract file in the folder; not an extract, passed over")
            for dataset, names in extract.returns.items():
                scan.warnings.append(f"{extract_dir}: {', '.join(names)}: {RETURN_NAMES[dataset]} recognised; "
                                     "statutory returns are not loaded by this version yet")
    return scan


def read_extract_folder(la_code: str, extract_date: dt.date, folder: Path, contract: Contract) -> Extract:
    """The contract tables in one extract folder (its ssd extract), and the statutory returns beside
    them. Files the product writes there itself (the validation report) and hidden files are passed
    over; a file of no dataset is ignored with a warning."""
    found = classify_folder([p for p in folder.iterdir() if p.is_file()], set(contract.tables), (REPORT_STEM,))
    returns = {SSDA903: sorted(p.name for p in [*found.ssda903_csv.values(), found.ssda903_xml] if p),
               CIN_CENSUS: [found.cin_census.name] if found.cin_census else []}
    return Extract(la_code, extract_date, folder, found.ssd, tuple(found.ignored),
                   returns={dataset: names for dataset, names in returns.items() if names})
