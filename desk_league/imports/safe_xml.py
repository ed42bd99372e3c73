"""lxml for the XML inside files someone sent us (.xlsx, .docx): nothing is fetched from the
network, no DTD is loaded, no entity is expanded (a "billion laughs" stays a few bytes) and
lxml's limits on a single text node stay on."""

from __future__ import annotations

from typing import IO

from lxml import etree

_SAFE = {"resolve_entities": False, "no_network": True, "load_dtd": False, "huge_tree": False}


def parse(data: bytes):
    """A whole small part (a .docx's numbering or styles), as its root element."""
    return etree.fromstring(data, etree.XMLParser(**_SAFE))


def iterparse(source: IO[bytes], tag: str | tuple[str, ...] | None = None):
    """A large part, streamed: ("end", element) for each element named ``tag`` (all without)."""
    return etree.iterparse(source, events=("end",), tag=tag, **_SAFE)
