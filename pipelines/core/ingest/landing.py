"""Find council extracts in the landing folder: <landing>/<la_code>/<YYYY-MM-DD>/<table>.csv."""

from __future__ import annotations

import csv
import datetime as dt
import hashlib
from collections.abc import Callable
from dataclasses import dataclass, field, replace
from functools import cache
from pathlib import Path

from ...settings import SEEDS_DIR
from ..contract import SSD, Contract, SourceTable
from ..returns.files import FolderFiles, classify_folder
from ..returns.xml_records import CIN_CENSUS, SSDA903
from .problems import REPORT_STEM


@dataclass(frozen=True)
class Extract:
    la_code: str
    extract_date: dt.date
    path: Path
    files: dict[str, Path]  # contract table it fills -> file
    ignored: tuple[str, ...] = ()  # files of no dataset in the folder
    dataset: str = SSD  # the kind of extract (extract-contract.md, "Datasets")
    not_used: tuple[str, ...] = ()  # files of the dataset this version does not read (903 reviews, ...)
    # a dataset rejected whole (two returns of one kind in the folder): why, and every file of each table
    rejected: str | None = None
    rejected_files: dict[str, tuple[Path, ...]] = field(default_factory=dict)

    @property
    def as_at(self) -> dt.datetime:
        """The end of the extract day (UK local): every 'still within its window' rule is judged here."""
        return dt.datetime.combine(self.extract_date, dt.time(23, 59, 59))

    @property
    def label(self) -> str:
        folder = f"{self.la_code}/{self.extract_date.isoformat()}"
        return folder if self.dataset == SSD else f"{folder} {self.dataset}"

    def content_hash(self) -> str:
        """Hash of the table files' names and bytes: unchanged files are not loaded again."""
        digest = hashlib.sha256()
        for table in sorted(self.files):
            for path in self.rejected_files.get(table, (self.files[table],)):
                digest.update(f"{table}:{path.name}".encode())
                with path.open("rb") as fh:
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
            extracts = read_extract_folder(la_dir.name, extract_date, extract_dir, contract)
            scan.extracts += extracts
            if not extracts:
                # No file of any dataset: no extract (a folder being filled, or a stray one), not a
                # blocked one that would hide the LA's current data behind an empty folder's date.
                scan.warnings.append(f"{extract_dir}: no extract file in the folder; not an extract, passed over")
    return scan


def read_extract_folder(la_code: str, extract_date: dt.date, folder: Path, contract: Contract) -> list[Extract]:
    """The extracts in one folder, one per dataset present (the ssd tables, an SSDA903 return as CSV or
    XML, a CIN census). Files the product writes there itself (the validation report) and hidden files
    are passed over; a file of no dataset is ignored with a warning (on the folder's first extract)."""
    found = classify_folder([p for p in folder.iterdir() if p.is_file()], set(contract.tables), (REPORT_STEM,))

    def make(dataset: str, files: dict[str, Path], **kwargs) -> Extract:
        return Extract(la_code, extract_date, folder, files, dataset=dataset, **kwargs)

    extracts = [e for e in (make(SSD, found.ssd) if found.ssd else None,
                            _ssda903_extract(found, contract.datasets[SSDA903], make),
                            _cin_census_extract(found, contract.datasets[CIN_CENSUS], make)) if e]
    if extracts and found.ignored:
        extracts[0] = replace(extracts[0], ignored=tuple(found.ignored))
    return extracts


def _ssda903_extract(found: FolderFiles, sources: dict[str, SourceTable], make: Callable[..., Extract]
                     ) -> Extract | None:
    """The folder's SSDA903 return (CSV tables or one XML), or the whole dataset rejected (two returns)."""
    def filled(name: str) -> list[str]:  # the contract tables a 903 file fills ("xml": all of them)
        return [s.table.name for s in sources.values()] if name == "xml" else (
            [sources[name].table.name] if name in sources else [])

    if SSDA903 in found.rejected:  # two returns of one kind: every table present is rejected whole
        by_table: dict[str, list[Path]] = {}
        for name, paths in found.all_903.items():
            for table in filled(name):
                by_table.setdefault(table, []).extend(paths)
        return make(SSDA903, {t: paths[0] for t, paths in by_table.items()}, rejected=found.rejected[SSDA903],
                    rejected_files={t: tuple(paths) for t, paths in by_table.items()})
    if found.ssda903_xml:  # an XML return holds all its tables
        return make(SSDA903, dict.fromkeys(filled("xml"), found.ssda903_xml))
    if found.ssda903_csv:
        files = {sources[name].table.name: path for name, path in found.ssda903_csv.items() if name in sources}
        not_used = tuple(sorted(path.name for name, path in found.ssda903_csv.items() if name not in sources))
        return make(SSDA903, files, not_used=not_used)
    return None


def _cin_census_extract(found: FolderFiles, sources: dict[str, SourceTable], make: Callable[..., Extract]
                        ) -> Extract | None:
    """The folder's CIN census (one XML holds all its tables), or the dataset rejected (two censuses)."""
    if not found.cin_census:
        return None
    files = dict.fromkeys((s.table.name for s in sources.values()), found.cin_census)
    rejected = found.rejected.get(CIN_CENSUS)
    return make(CIN_CENSUS, files, rejected=rejected,
                rejected_files=dict.fromkeys(files, tuple(found.all_cin)) if rejected else {})
