"""Decoding web pages: HTTP header first, then the page's meta charset, then detection."""

from __future__ import annotations

import pytest

from index.charsets import decode_page, meta_charset
from index.dates import iso_date
from index.errors import ArticleError

KOREAN = "<html><head>{meta}</head><body><p>알파고가 이세돌 9단을 186수 만에 이겼다. 똠방각하.</p></body></html>"


def test_the_header_charset_wins_over_a_wrong_meta_charset() -> None:
    data = KOREAN.format(meta='<meta charset="utf-8">').encode("cp949")
    assert "똠방각하" in decode_page(data, header_charset="EUC-KR")


def test_the_meta_charset_is_read_without_a_header() -> None:
    data = KOREAN.format(meta='<meta http-equiv="Content-Type" content="text/html; charset=euc-kr">').encode("cp949")
    assert meta_charset(data) == "euc-kr"
    assert "이세돌" in decode_page(data)


def test_an_undeclared_page_is_detected_and_utf8_stays_utf8() -> None:
    assert "이세돌" in decode_page(KOREAN.format(meta="").encode("cp949"))
    assert "이세돌" in decode_page(KOREAN.format(meta="").encode("utf-8"), header_charset="bogus-charset")


def test_binary_is_refused_with_a_reason() -> None:
    with pytest.raises(ArticleError, match="binary"):
        decode_page(b"\x89PNG\r\n\x1a\n\x00\x00\x00", name="photo")


def test_meta_scan_is_linear_on_hostile_input() -> None:
    assert meta_charset(b"<meta " + b"charset " * 100_000) is None


@pytest.mark.parametrize(
    ("text", "iso"),
    [
        ("2024-02-24T10:00:00Z", "2024-02-24"),
        ("입력 2022.10.16 14:03", "2022-10-16"),
        ("2022년 10월 16일", "2022-10-16"),
        ("February 24, 2024", "2024-02-24"),
        ("Sat, 24 Feb 2024 10:00:00 GMT", "2024-02-24"),
        ("2024-13-40", ""),
        ("yesterday", ""),
    ],
)
def test_dates_become_iso(text: str, iso: str) -> None:
    assert iso_date(text) == iso
