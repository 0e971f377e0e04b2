import pytest

from rag.numbers import DURATION, Quantity, extract_quantities, parse_korean_number, supported


def values(text: str) -> list[tuple[float, str]]:
    return [(q.value, q.unit) for q in extract_quantities(text)]


@pytest.mark.parametrize(
    ("korean", "english"),
    [
        ("500억 위안", "50 billion yuan"),
        ("1만2000달러", "$12,000"),
        ("9조3000억원", "9.3 trillion won"),
        ("1590만원", "15.9 million won"),
        ("100만개", "1 million"),
        ("2달러", "2 dollars"),
        ("123%", "123 percent"),
        ("6월", "June"),
        ("1월", "Jan."),
        ("300여대", "300"),
    ],
)
def test_korean_and_english_forms_normalise_to_the_same_quantity(korean: str, english: str) -> None:
    assert values(korean) == values(english)
    ko, en = extract_quantities(korean)[0], extract_quantities(english)[0]
    assert ko.matches(en) and en.matches(ko)


def test_wrong_scale_is_not_a_match() -> None:
    # the 1.5B model was seen writing "500 billion yuan" for 500억 위안 (= 50 billion)
    claim = extract_quantities("500 billion yuan")[0]
    assert not supported(claim, extract_quantities("설비투자 합계는 500억 위안(약 9조3000억원)으로"))
    assert supported(extract_quantities("50 billion yuan")[0], extract_quantities("합계는 500억 위안"))


def test_currency_must_agree_when_both_sides_name_one() -> None:
    assert not Quantity(12000, "USD", "").matches(Quantity(12000, "KRW", ""))
    assert Quantity(12000, "", "").matches(Quantity(12000, "USD", ""))


def test_ranges_share_their_unit_and_model_codes_are_not_numbers() -> None:
    assert values("1만2000∼1만3000달러(약 1590만∼1723만원)") == [
        (12000, "USD"),
        (13000, "USD"),
        (15_900_000, "KRW"),
        (17_230_000, "KRW"),
    ]
    assert values("H100 칩과 H20") == []
    assert values("It may rise 5% in May 2025") == [(5, "%"), (5, "month"), (2025, "")]


def test_parse_korean_number() -> None:
    assert parse_korean_number("9조3000억") == 9.3e12
    assert parse_korean_number("1,590만") == 15_900_000
    assert parse_korean_number("억") == 1e8
    assert parse_korean_number("3.5") == 3.5


def test_multi_hop_differences_and_ratios_are_supported() -> None:
    evidence = extract_quantities("알리바바 123%, 텐센트 176% 증가. 500억 위안으로 230억 위안보다 2배 이상")
    assert supported(Quantity(53, "pp", "53 percentage points"), evidence)
    assert supported(extract_quantities("53 percentage points")[0], evidence)
    assert supported(Quantity(2.2, "x", ""), evidence)
    assert not supported(Quantity(71, "pp", ""), evidence)
    assert not supported(Quantity(53, "pp", ""), evidence, allow_derived=False)


@pytest.mark.parametrize("space", ["\t", "\n", "\u3000", "\xa0", "\x1c", "\x1d", "\x1e", "\x1f", " "])
def test_any_whitespace_between_amount_and_unit_parses(space: str) -> None:
    [q] = extract_quantities(f"500억{space}위안")
    assert q.value == 5e10 and q.unit == "CNY"


def test_endless_digits_do_not_crash() -> None:
    found = extract_quantities("1" * 5000 + "달러 and [" + "9" * 5000 + "]")
    assert found and all(q.value > 0 for q in found)


@pytest.mark.parametrize(
    ("text", "seconds"),
    [
        ("이세돌 9단은 28분 28초를 남겼다", [1708.0]),
        ("Lee Sedol had 28 minutes and 28 seconds left", [1708.0]),
        ("24시간 내내, 1시간 20분 동안", [86400.0, 4800.0]),
        ("3분기 영업이익은 3분의 1로 줄었다", []),  # a quarter and a third are no durations
    ],
)
def test_durations_are_one_figure_in_seconds(text: str, seconds: list[float]) -> None:
    found = extract_quantities(text)
    assert [q.value for q in found if q.unit == DURATION] == seconds
    assert not [q for q in found if q.unit != DURATION and q.value in (28.0, 20.0)]  # no part read twice


def test_a_duration_in_minutes_is_not_one_in_minutes_and_seconds() -> None:
    (minutes,) = extract_quantities("평균 28분이 걸렸습니다")
    assert not supported(minutes, extract_quantities("이세돌 9단은 28분 28초를 남겼다"), allow_derived=False)
