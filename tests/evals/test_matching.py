import pytest

from evals.matching import all_facts_present, fact_present


@pytest.mark.parametrize(
    ("expected", "answer"),
    [
        ("500억 위안", "The three companies spent 50 billion yuan [1]."),
        ("1만2000|12,000", "It costs $12,000 to $13,000."),
        ("9조3000억원", "about 9.3 trillion won"),
        ("123%", "알리바바는 123% 늘었다"),
        ("june|6월", "in June"),
        ("beijing|베이징", "베이징 소재 기업들"),
        ("crypto|가상화폐|virtual currenc", "using virtual currencies"),
    ],
)
def test_expected_fact_found_across_languages_and_numerals(expected: str, answer: str) -> None:
    assert fact_present(expected, answer)


@pytest.mark.parametrize(
    ("expected", "answer"),
    [
        ("500억 위안", "They spent 500 billion yuan."),
        ("123%", "It grew 176%."),
        ("300", "3000 GPUs"),
        ("tencent|텐센트", "Alibaba grew faster"),
    ],
)
def test_wrong_values_do_not_match(expected: str, answer: str) -> None:
    assert not fact_present(expected, answer)


def test_all_facts_must_be_present() -> None:
    assert all_facts_present(["미국", "uae|아랍에미리트"], "미국과 아랍에미리트에서")
    assert not all_facts_present(["미국", "uae|아랍에미리트"], "미국에서")
    assert not all_facts_present([], "anything")
