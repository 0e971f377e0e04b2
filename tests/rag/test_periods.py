from rag.numbers import extract_quantities
from rag.periods import earlier_figure, said_of_earlier


def _said(sentence: str, figure: str) -> bool:
    claims = extract_quantities(sentence)
    claim = next(c for c in claims if c.text.startswith(figure))
    return said_of_earlier(sentence, claim, claims)


def test_an_answer_gives_a_figure_to_the_year_before() -> None:
    assert _said("Tencent spent 23 billion yuan in the same period last year [1].", "23")
    assert _said("텐센트의 전년 동기 설비투자는 230억 위안입니다 [1].", "230억")
    assert _said("지난해 같은 기간 세 회사는 230억 위안을 썼습니다.", "230억")


def test_a_period_to_compare_with_or_a_rate_claims_nothing() -> None:
    assert not _said("Tencent spent 23 billion yuan, up from a year earlier [1].", "23")
    assert not _said("Alibaba's capex grew 123% from the same period last year [1].", "123")
    assert not _said("알리바바의 설비투자는 전년 동기 대비 123% 늘었습니다 [1].", "123")
    assert not _said("텐센트는 230억 위안으로 전년 동기 대비 176% 증가했습니다.", "230억")


def test_a_period_belongs_to_the_figure_whose_stretch_holds_it() -> None:
    sentence = "A year earlier the three spent 23 billion yuan, and this half 50 billion yuan [2]."
    assert _said(sentence, "23") and not _said(sentence, "50")
    korean = "합계는 500억 위안(약 9조3000억원)으로 전년 동기 230억 위안(약 4조3000억원)보다 2배 이상이다 [1]."
    assert _said(korean, "230억") and not _said(korean, "9조") and not _said(korean, "500억")
    assert not _said("세 회사의 설비투자는 전년 동기의 2배 이상입니다 [1].", "2배")


def test_a_korean_source_marks_a_figure_of_the_year_before() -> None:
    text = "합계는 500억 위안(약 9조3000억원)으로 전년 동기 230억 위안(약 4조3000억원)보다 2배 이상이다."
    figures = {q.text: q for q in extract_quantities(text)}
    assert earlier_figure(text, next(q for t, q in figures.items() if t.startswith("230억")))
    assert not earlier_figure(text, next(q for t, q in figures.items() if t.startswith("500억")))
    this_year = "텐센트도 230억 위안으로 전년 동기 대비 176% 증가했다."
    q = extract_quantities(this_year)
    assert not earlier_figure(this_year, q[0]) and not earlier_figure(this_year, q[1])
