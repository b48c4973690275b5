"""Stream the records of a statutory-return XML file (SSDA903 or CIN census), safely and in bounded memory.

The returns come from outside: the parser never expands entities, never fetches a DTD or anything over
the network, and refuses a document that declares a DTD at all (no return has one, and a DTD is how
entity bombs and external entities get in). The file is read with lxml's ``iterparse``; each finished
record is handed on and its element tree freed, so memory stays flat however large the county.

A **record** is one row of a return (statutory-returns.md, "Reading"): a 903 ``HEADER`` or ``EPISODE``
(siblings under a ``CHILD``, which is a container, not a row); a CIN ``Child``, ``CINdetails``,
``Assessments``, ``Section47``, ``ChildProtectionPlans`` or review date (``CPPreviewDate``). Its
``line`` is the line of its start tag; its ``cells`` are its leaf elements outside nested records,
trimmed, in document order (what exact duplicates are judged on); ``parent`` is the index of the
record it sits in. A 903 record carries its ``CHILD``'s first ``HEADER/CHILDID`` as ``context``.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

from lxml import etree

SSDA903 = "ssda903"
CIN_CENSUS = "cin_census"
# record element -> the record element it sits in (None: a top-level record)
RECORDS = {
    SSDA903: {"HEADER": None, "EPISODE": None},
    CIN_CENSUS: {"Child": None, "CINdetails": "Child", "Assessments": "CINdetails", "Section47": "CINdetails",
                 "ChildProtectionPlans": "CINdetails", "CPPreviewDate": "ChildProtectionPlans"},
}
CONTAINER_903 = "CHILD"


class XmlRejected(Exception):
    """The file cannot be read as a return: ``records_read`` records were seen before the fault."""

    def __init__(self, message: str, records_read: int = 0):
        super().__init__(message)
        self.records_read = records_read


@dataclass
class XmlRecord:
    index: int
    kind: str
    line: int
    parent: int | None = None
    cells: list[tuple[str, str | None]] = field(default_factory=list)
    context: dict[str, str | None] = field(default_factory=dict)

    def get(self, name: str) -> str | None:
        """A field: the first element of that name in the record, outside nested records."""
        return next((value for cell, value in self.cells if cell == name), None)


_LOCAL_NAMES: dict[str, str] = {}  # a return uses a few dozen tags: parse each '{ns}Name' once


def _local(tag) -> str:
    if not isinstance(tag, str):  # a comment or processing instruction
        return ""
    name = _LOCAL_NAMES.get(tag)
    if name is None:
        name = _LOCAL_NAMES[tag] = etree.QName(tag).localname
    return name


_ROOT_START = re.compile(rb"<[A-Za-z_:]")  # the first start tag: a DOCTYPE can only come before it
_PROLOG_BYTES = 65_536


def _parse(path: Path):
    _refuse_a_dtd(path)
    return etree.iterparse(
        str(path), events=("start", "end"), resolve_entities=False, no_network=True, load_dtd=False,
        dtd_validation=False, huge_tree=False, remove_comments=True, remove_pis=True,
    )


def _refuse_a_dtd(path: Path) -> None:
    """Refuse a DTD from the file's prolog, before the parser sees it: what libxml2 does with a DTD it is
    told not to load changes between versions (2.14 via lxml 6.2 fails an entity bomb on amplification
    before the tree is built), so the refusal cannot rest on the parser. A prolog longer than the bytes
    read is caught by the parser's own docinfo (see ``_refuse_a_parsed_dtd``)."""
    with open(path, "rb") as file:
        head = file.read(_PROLOG_BYTES)
    if head.startswith((b"\xff\xfe", b"\xfe\xff")):  # UTF-16 (never sent, but well-formed XML)
        head = head.decode("utf-16", errors="ignore").encode("utf-8")
    root = _ROOT_START.search(head)
    if b"<!DOCTYPE" in (head[: root.start()] if root else head):
        raise XmlRejected(_DTD_REFUSED)


def _refuse_a_parsed_dtd(element) -> None:
    docinfo = element.getroottree().docinfo
    if docinfo.doctype or docinfo.internalDTD is not None:
        raise XmlRejected(_DTD_REFUSED)


_DTD_REFUSED = ("the file declares a DTD (<!DOCTYPE ...>): a statutory return never does, and it is refused "
                "unread (entity expansion and external entities are not allowed)")


def sniff_dataset(path: Path) -> str | None:
    """The dataset of an XML file from its root (namespace ignored): ``EXPSSDA903`` is an SSDA903 return;
    ``Message`` with a ``Children/Child`` is a CIN census. None for anything else, unreadable included."""
    try:
        for event, element in _parse(path):
            name = _local(element.tag)
            if event == "start" and element.getparent() is None:
                _refuse_a_parsed_dtd(element)
                if name == "EXPSSDA903":
                    return SSDA903
                if name != "Message":
                    return None
            elif event == "start" and name == "Child" and _local(element.getparent().tag) == "Children":
                return CIN_CENSUS
    except (etree.XMLSyntaxError, XmlRejected, OSError):
        return None
    return None


def census_reference_date(path: Path) -> str | None:
    """A CIN census's ``Header/CollectionDetails/ReferenceDate`` (read up to the first child only)."""
    try:
        for event, element in _parse(path):
            name = _local(element.tag)
            if event == "end" and name == "ReferenceDate":
                return _text(element)
            if event == "start" and name == "Children":
                return None
    except (etree.XMLSyntaxError, XmlRejected, OSError):
        return None
    return None


def iter_records(path: Path, dataset: str) -> Iterator[XmlRecord]:
    """Every record of the file, each once, with its parent; raises XmlRejected on a fault (after the
    records seen before it)."""
    kinds = RECORDS[dataset]
    open_records: list[XmlRecord] = []  # the records whose start tag has been seen and end tag not yet
    open_elements: list = []  # their elements
    held: list[XmlRecord] = []  # 903: the records of the current CHILD, handed on when it ends
    child_id: str | None = None
    count = 0
    try:
        for event, element in _parse(path):
            name = _local(element.tag)
            if event == "start":
                if element.getparent() is None:
                    _refuse_a_parsed_dtd(element)
                if name in kinds and (kinds[name] is None or (open_records and open_records[-1].kind == kinds[name])):
                    parent = open_records[-1].index if open_records and kinds[name] else None
                    open_records.append(XmlRecord(count, name, element.sourceline, parent))
                    open_elements.append(element)
                    count += 1
                continue
            # end of an element
            if open_elements and open_elements[-1] is element:
                record = open_records.pop()
                open_elements.pop()
                if len(element) == 0:  # a record that is itself a leaf (a CIN review date)
                    record.cells.append((name, _text(element)))
                if dataset == SSDA903:
                    if name == "HEADER" and child_id is None:
                        child_id = record.get("CHILDID")
                    held.append(record)
                else:
                    yield record
                _free(element)
            elif len(element) == 0 and open_records:
                open_records[-1].cells.append((name, _text(element)))
            elif name == CONTAINER_903 and dataset == SSDA903:
                for record in held:
                    record.context["CHILDID"] = child_id
                    yield record
                held, child_id = [], None
                _free(element)
    except (etree.XMLSyntaxError, XmlRejected) as exc:
        fault = (f"{path.name}: line {exc.lineno}: not well-formed XML ({exc.msg})"
                 if isinstance(exc, etree.XMLSyntaxError) else f"{path.name}: {exc}")
    else:
        fault = None
    # 903 records of an unfinished CHILD (outside any CHILD, or cut off by a fault): handed on, so that
    # every record seen is accounted for, then the fault is raised
    for record in held:
        record.context["CHILDID"] = child_id
        yield record
    if fault:
        raise XmlRejected(fault, count)


def _text(element) -> str | None:
    text = (element.text or "").strip()
    return text or None


def _free(element) -> None:
    """Drop a finished element and the siblings before it, so the tree never grows with the file."""
    element.clear(keep_tail=True)
    parent = element.getparent()
    while parent is not None and element.getprevious() is not None:
        del parent[0]
