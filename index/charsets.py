"""Decode bytes into text: article files by BOM, UTF-8 or CP949; web pages by header, meta charset, then detection."""

from __future__ import annotations

import codecs
import logging
import re

from index.errors import ArticleError

log = logging.getLogger(__name__)

META_SCAN_BYTES = 4096  # a page's <meta charset> must come this early (the HTML standard says 1024; sites are sloppy)
# Labels browsers read as Windows-949 (the WHATWG Encoding Standard): Python's strict "euc_kr" rejects
# characters that Korean sites serving "EUC-KR" actually send.
_WINDOWS_949 = frozenset(
    {"euc-kr", "euc_kr", "euckr", "ks_c_5601-1987", "ksc5601", "ks_c_5601", "windows-949", "cp949"}
)
# Bounded spans only, so the scan runs in linear time on any page.
_META_CHARSET = re.compile(rb"<meta\b[^>]{0,300}?charset\s{0,5}=\s{0,5}[\"']?\s{0,5}([A-Za-z0-9_.:\-]{1,40})", re.I)


def decode_bytes(data: bytes, name: str = "<bytes>") -> str:
    """Decode UTF-8 (with or without BOM), UTF-16 with BOM, or CP949/EUC-KR; refuse binary."""
    bom = _by_bom(data, name)
    if bom is not None:
        return bom
    _refuse_binary(data, name)
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        pass
    try:
        return data.decode("cp949")  # a superset of EUC-KR
    except UnicodeDecodeError:
        raise ArticleError(
            f"{name}: not valid UTF-8, CP949 or EUC-KR text; re-save it as UTF-8 and ingest again"
        ) from None


def decode_page(data: bytes, header_charset: str | None = None, name: str = "<page>") -> str:
    """Decode an HTML page: byte-order mark, then the HTTP header's charset, the page's meta charset, UTF-8,
    and last what charset-normalizer detects."""
    bom = _by_bom(data, name)
    if bom is not None:
        return bom
    _refuse_binary(data, name)
    for where, label in (("HTTP header", header_charset), ("meta charset", meta_charset(data))):
        codec = _codec(label)
        if codec is None:
            continue
        try:
            return data.decode(codec)
        except UnicodeDecodeError:
            log.info("%s: not valid %s as its %s says; trying the next clue", name, label, where)
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError:
        pass
    from charset_normalizer import from_bytes  # lazy: only pages without a usable declaration need it

    best = from_bytes(data).best()
    if best is not None:
        return str(best)
    return decode_bytes(data, name)


def meta_charset(data: bytes) -> str | None:
    """The charset a page declares in its first `META_SCAN_BYTES` (<meta charset> or http-equiv), if any."""
    match = _META_CHARSET.search(data[:META_SCAN_BYTES])
    return match.group(1).decode("ascii") if match else None


def _codec(label: str | None) -> str | None:
    """The Python codec for a charset label, or None for a label Python does not know."""
    if not label:
        return None
    label = label.strip().strip("\"'").lower()
    if label in _WINDOWS_949:
        return "cp949"
    try:
        return codecs.lookup(label).name
    except LookupError:
        log.info("unknown charset %r ignored", label)
        return None


def _by_bom(data: bytes, name: str) -> str | None:
    if data.startswith(b"\xef\xbb\xbf"):
        try:
            return data.decode("utf-8-sig")
        except UnicodeDecodeError:
            raise ArticleError(f"{name}: starts like UTF-8 but is damaged; re-save it as UTF-8") from None
    if data.startswith((b"\xff\xfe", b"\xfe\xff")):
        try:
            return data.decode("utf-16")
        except UnicodeDecodeError:
            raise ArticleError(
                f"{name}: starts like UTF-16 but is damaged (odd length or a lone surrogate); "
                "re-save it as UTF-8 and ingest again"
            ) from None
    return None


def _refuse_binary(data: bytes, name: str) -> None:
    if b"\x00" in data[:8192]:
        raise ArticleError(f"{name}: looks like a binary file, not text; save the article as .txt, .md or .html")
