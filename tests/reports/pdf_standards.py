"""What PDF/UA-1 and PDF/A-3 ask of a file that can be checked by reading it (pypdf), without a validator.

Each `*_problems` function returns readable problems (an empty list means the check passed), so a failing
test names every defect at once.
"""

from __future__ import annotations

import io
import re
from collections.abc import Iterator
from dataclasses import dataclass
from itertools import pairwise

from pypdf import PdfReader
from pypdf.generic import ContentStream, DictionaryObject, IndirectObject

# Operators that put something on the page; each must sit in tagged content or in an /Artifact.
PAINTING = {b"Tj", b"TJ", b"'", b'"', b"f", b"F", b"f*", b"S", b"s", b"B", b"B*", b"b", b"b*", b"Do", b"sh"}
HEADING = re.compile(r"^/H([1-6])$")


@dataclass(frozen=True)
class Element:
    """One structure element: its type (`/H1`, `/Table`, ...), its dictionary and the types above it."""

    type: str
    node: DictionaryObject
    ancestors: tuple[str, ...]


def reader(content: bytes) -> PdfReader:
    return PdfReader(io.BytesIO(content))


def xmp(pdf: PdfReader) -> str:
    metadata = pdf.trailer["/Root"].get("/Metadata")
    return metadata.get_object().get_data().decode() if metadata is not None else ""


def structure(pdf: PdfReader) -> list[Element]:
    """Every structure element in document order (depth first, as a reader would meet them)."""
    root = pdf.trailer["/Root"].get("/StructTreeRoot")
    found: list[Element] = []

    def walk(node: DictionaryObject, ancestors: tuple[str, ...]) -> None:
        kids = node.get("/K")
        kids = kids if isinstance(kids, list) else [kids] if kids is not None else []
        for kid in kids:
            kid = kid.get_object() if isinstance(kid, IndirectObject) else kid
            if isinstance(kid, DictionaryObject) and "/S" in kid:
                found.append(Element(str(kid["/S"]), kid, ancestors))
                walk(kid, (*ancestors, str(kid["/S"])))

    if root is not None:
        walk(root.get_object(), ())
    return found


def catalogue_problems(pdf: PdfReader) -> list[str]:
    """Tagged, with a language and a title shown in the window bar; not encrypted."""
    root = pdf.trailer["/Root"]
    problems = []
    if pdf.is_encrypted:
        problems.append("encrypted")
    if "/StructTreeRoot" not in root:
        problems.append("no StructTreeRoot")
    if not (root.get("/MarkInfo") or {}).get("/Marked"):
        problems.append("MarkInfo/Marked is not true")
    if not str(root.get("/Lang") or ""):
        problems.append("no document /Lang")
    if not (root.get("/ViewerPreferences") or {}).get("/DisplayDocTitle"):
        problems.append("ViewerPreferences/DisplayDocTitle is not true")
    title = re.search(r"<dc:title>.*?<rdf:li[^>]*>([^<]+)</rdf:li>", xmp(pdf), re.S)
    if not title:
        problems.append("no dc:title in the XMP metadata")
    elif (pdf.metadata or {}).get("/Title") not in (None, title.group(1)):
        problems.append("document info /Title differs from dc:title")
    return problems


def heading_problems(elements: list[Element]) -> list[str]:
    """One H1 first, and no level skipped on the way down (H2 -> H4)."""
    levels = [int(m.group(1)) for e in elements if (m := HEADING.match(e.type))]
    problems = []
    if not levels or levels[0] != 1:
        problems.append(f"the first heading is not H1: {levels[:3]}")
    problems += [f"heading level jumps from H{a} to H{b}" for a, b in pairwise(levels) if b > a + 1]
    return problems


def table_problems(elements: list[Element]) -> list[str]:
    """Tables hold rows of TH/TD; every header cell has an ID and every data cell names its headers."""
    ids = {str(e.node["/ID"]) for e in elements if e.type == "/TH" and "/ID" in e.node}
    problems = []
    for e in elements:
        if e.type in ("/TH", "/TD") and "/TR" not in e.ancestors[-1:]:
            problems.append(f"{e.type} outside a table row (in {e.ancestors[-1:]})")
        if e.type == "/TR" and not {"/Table", "/THead", "/TBody", "/TFoot"} & set(e.ancestors[-1:]):
            problems.append(f"TR outside a table (in {e.ancestors[-1:]})")
        if e.type == "/TH" and "/ID" not in e.node:
            problems.append("TH without an ID")
        if e.type == "/TD":
            headers = [str(h) for h in (e.node.get("/A") or {}).get("/Headers", [])]
            if not headers:
                problems.append("TD without Headers")
            problems += [f"TD names a missing header {h}" for h in headers if h not in ids]
    return problems


def figures(elements: list[Element]) -> list[str]:
    """The alternative text of every figure, in order (an empty string where it is missing)."""
    return [str(e.node.get("/Alt") or "") for e in elements if e.type == "/Figure"]


def untagged_content(pdf: PdfReader) -> dict[int, int]:
    """Page number -> how many painting operators are neither in tagged content nor in an artifact."""
    result = {}
    for number, page in enumerate(pdf.pages, start=1):
        depth, loose = 0, 0
        for _operands, operator in ContentStream(page.get_contents(), pdf).operations:
            if operator in (b"BDC", b"BMC"):
                depth += 1
            elif operator == b"EMC":
                depth -= 1
            elif operator in PAINTING and depth == 0:
                loose += 1
        if loose:
            result[number] = loose
    return result


def _fonts(resources: DictionaryObject | None, seen: set[int]) -> Iterator[DictionaryObject]:
    """Fonts of a resource dictionary and, recursively, of its form XObjects (SVG charts are forms)."""
    if resources is None:
        return
    resources = resources.get_object()
    for font in (resources.get("/Font") or {}).values():
        yield font.get_object()
    for xobject in (resources.get("/XObject") or {}).values():
        reference = xobject.idnum if isinstance(xobject, IndirectObject) else id(xobject)
        if reference in seen:
            continue
        seen.add(reference)
        yield from _fonts(xobject.get_object().get("/Resources"), seen)


def font_problems(pdf: PdfReader) -> list[str]:
    """Every font embedded (a font file in its descriptor) and mapped to Unicode (ToUnicode)."""
    problems, seen, checked = [], set(), set()
    for page in pdf.pages:
        for font in _fonts(page.get("/Resources"), seen):
            name = str(font.get("/BaseFont"))
            if name in checked:
                continue
            checked.add(name)
            descendant = font["/DescendantFonts"][0].get_object() if "/DescendantFonts" in font else font
            descriptor = (descendant.get("/FontDescriptor") or DictionaryObject()).get_object()
            if not {"/FontFile", "/FontFile2", "/FontFile3"} & set(descriptor):
                problems.append(f"font {name} is not embedded")
            if "/ToUnicode" not in font:
                problems.append(f"font {name} has no ToUnicode map")
    if not checked:
        problems.append("no fonts found")
    return problems


def pdfa_problems(pdf: PdfReader, *, part: int, conformance: str) -> list[str]:
    """An sRGB output intent with its ICC profile, a file identifier, and the XMP PDF/A identification."""
    root = pdf.trailer["/Root"]
    problems = []
    intents = [i.get_object() for i in root.get("/OutputIntents") or []]
    if not any(i.get("/S") == "/GTS_PDFA1" and "/DestOutputProfile" in i for i in intents):
        problems.append("no GTS_PDFA1 output intent with a destination profile")
    if "/ID" not in pdf.trailer:
        problems.append("no file identifier (/ID)")
    if pdf.is_encrypted:
        problems.append("encrypted")
    text = xmp(pdf)
    if not re.search(rf'pdfaid:part="{part}"', text) or not re.search(rf'pdfaid:conformance="{conformance}"', text):
        problems.append(f"XMP does not say PDF/A-{part}{conformance.lower()}")
    if "/JavaScript" in (root.get("/Names") or {}) or "/OpenAction" in root:
        problems.append("actions or JavaScript")
    return problems
