"""Which dataset each file of an extract folder belongs to (extract-contract.md, "Datasets";
statutory-returns.md, "Recognising the files").

- ``ssd``: the contract's tables, exact names (``ssd_contacts.csv``), case-insensitively;
- ``ssda903``: a CSV named after a 903 table, alone or after ``_``, ``-``, ``.`` or a space
  (``header.csv``, ``2017-header.csv``, ``SSDA903_2020_header.csv``; the longest name wins), or an XML
  whose root is ``EXPSSDA903``;
- ``cin_census``: an XML whose root is ``Message`` with ``Children/Child``.
A folder holds at most one return of each kind: two files of one 903 table, 903 CSV beside 903 XML,
two 903 XML or two CIN files reject that dataset whole, naming the files.
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field
from pathlib import Path

from .xml_records import CIN_CENSUS, SSDA903, sniff_dataset

TABLES_903 = ("header", "episodes", "missing", "uasc", "reviews", "oc2", "oc3", "ad1", "placed_for_adoption",
              "previous_permanence", "prev_perm", "sw_episodes", "dolo", "sbpfa")
LOADED_903 = ("header", "episodes")  # version 2 reads these; the others are recognised and "not used"
SEPARATORS = "_-. "


def ssda903_csv_table(file_name: str) -> str | None:
    """The 903 table a CSV file name stands for, or None."""
    name = file_name.lower()
    if not name.endswith(".csv") or name.startswith(("ssd_", "ext_")):
        return None
    stem = name[:-4]
    for table in sorted(TABLES_903, key=len, reverse=True):
        if stem == table or (stem.endswith(table) and stem[-len(table) - 1] in SEPARATORS):
            return table
    return None


@dataclass
class FolderFiles:
    ssd: dict[str, Path] = field(default_factory=dict)  # contract table -> file
    ssda903_csv: dict[str, Path] = field(default_factory=dict)  # 903 table -> file
    ssda903_xml: Path | None = None
    cin_census: Path | None = None
    ignored: list[str] = field(default_factory=list)  # files of no dataset
    rejected: dict[str, str] = field(default_factory=dict)  # dataset -> why the whole dataset is rejected
    all_903: dict[str, list[Path]] = field(default_factory=dict)  # 903 table or "xml" -> every file of it
    all_cin: list[Path] = field(default_factory=list)  # every CIN census file

    @property
    def datasets(self) -> list[str]:
        present = {"ssd": bool(self.ssd), SSDA903: bool(self.ssda903_csv or self.ssda903_xml),
                   CIN_CENSUS: bool(self.cin_census)}
        return [name for name, here in present.items() if here or name in self.rejected]


def classify_folder(paths: list[Path], ssd_tables: set[str], own_files: tuple[str, ...] = ()) -> FolderFiles:
    """Sort an extract folder's files into datasets; ``own_files`` are prefixes of files the product
    writes there itself (passed over silently)."""
    out = FolderFiles()
    csv_903, xml_903, cin = defaultdict(list), [], []
    for path in sorted(paths):
        name = path.name.lower()
        if name.startswith(".") or (own_files and path.name.startswith(own_files)):
            continue
        if name.endswith(".csv") and name[:-4] in ssd_tables and name[:-4] not in out.ssd:
            out.ssd[name[:-4]] = path
        elif table := ssda903_csv_table(path.name):
            csv_903[table].append(path)
        elif name.endswith(".xml") and (dataset := sniff_dataset(path)):
            (xml_903 if dataset == SSDA903 else cin).append(path)
        else:
            out.ignored.append(path.name)
    doubled = {table: files for table, files in csv_903.items() if len(files) > 1}
    if doubled:
        out.rejected[SSDA903] = "two files for one SSDA903 table: " + "; ".join(
            " and ".join(p.name for p in files) for files in doubled.values())
    elif csv_903 and xml_903:
        out.rejected[SSDA903] = ("an SSDA903 return as CSV and as XML in one folder: "
                                 + ", ".join(p.name for files in csv_903.values() for p in files + xml_903[:1]))
    elif len(xml_903) > 1:
        out.rejected[SSDA903] = "two SSDA903 XML returns in one folder: " + " and ".join(p.name for p in xml_903)
    if len(cin) > 1:
        out.rejected[CIN_CENSUS] = "two CIN census returns in one folder: " + " and ".join(p.name for p in cin)
    out.all_903 = {**csv_903, **({"xml": xml_903} if xml_903 else {})}
    out.ssda903_csv = {table: files[0] for table, files in csv_903.items()}
    out.ssda903_xml = xml_903[0] if xml_903 else None
    out.cin_census = cin[0] if cin else None
    out.all_cin = cin
    return out
