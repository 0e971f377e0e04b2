import pytest

from index.korean import KoreanText
from rag.entities import (
    added_names,
    attributed,
    bracketed_by,
    clause_owner,
    mentions,
    owner_at,
    owners,
    same_entity,
    skeleton,
    subjects_before,
    transliterates,
)

ALIBABA_TENCENT = (
    "기업별로는 알리바바는 230억 위안으로 전년 동기 대비 123%, 텐센트도 230억 위안으로 전년 동기 대비 176% 증가했다."
)
COMBINED = (
    "알리바바·텐센트·바이두의 지난 상반기 설비투자 합계는 500억 위안(약 9조3000억원)으로 전년 동기보다 2배 이상이다."
)
DEREK = (
    "실제로 사업가 데릭 오씨는 미국과 아랍에미리트(UAE) 등에서 투자자들을 모집, 엔비디아 H100 칩이 들어간 AI 서버들을 "
    "매입했고, 지난 6월 호주의 한 데이터센터에 300여대의 서버를 갖췄고"
)


@pytest.mark.parametrize(
    ("english", "korean"),
    [
        ("Tencent", "텐센트"),
        ("Alibaba", "알리바바"),
        ("Baidu", "바이두"),
        ("Derek Oh", "데릭 오"),
        ("Nvidia", "엔비디아"),
        ("Sullivan", "설리번"),
        ("Naver", "네이버"),
        ("Granholm", "그랜홈"),
        ("Tokyo Electron", "도쿄 일렉트론"),
        ("Lee Sedol", "이세돌"),
    ],
)
def test_names_match_across_scripts(english: str, korean: str) -> None:
    assert same_entity(english, korean) and same_entity(korean, english)


@pytest.mark.parametrize(
    ("a", "b"), [("Baidu", "알리바바"), ("Tencent", "알리바바"), ("Alibaba", "텐센트"), ("Oh", "오")]
)
def test_different_names_do_not_match(a: str, b: str) -> None:
    assert not same_entity(a, b)


def test_skeletons_fold_transliteration_variants() -> None:
    assert skeleton("Tencent") == skeleton("텐센트") == "TNSNT"
    assert skeleton("Derek Oh") == skeleton("데릭 오") and same_entity("Derek Oh's", "데릭 오")


def test_each_figure_belongs_to_the_topic_before_it(korean: KoreanText) -> None:
    topics = owners(ALIBABA_TENCENT, korean)
    assert owner_at(ALIBABA_TENCENT.index("123%"), topics) == ("알리바바",)
    assert owner_at(ALIBABA_TENCENT.index("176%"), topics) == ("텐센트",)
    # a possessive group owns the head noun's figure; an object ("칩이 들어간") does not take it over
    assert owner_at(COMBINED.index("500억"), owners(COMBINED, korean)) == ("알리바바", "텐센트", "바이두")
    assert owner_at(DEREK.index("300"), owners(DEREK, korean)) == ("데릭 오",)


def test_a_rank_or_title_after_a_name_leaves_it_the_subject(korean: KoreanText) -> None:
    resigned = "흑을 잡은 이세돌 9단이 돌을 던지면서 186수만에 불계패했다."
    assert owner_at(resigned.index("186"), owners(resigned, korean)) == ("이세돌",)
    died = "삼성전자의 이건희 회장이 2020년 10월 25일부로 별세했다."
    assert owner_at(died.index("2020"), owners(died, korean)) == ("이건희",)
    # a number after a name that no rank follows is no rank: "H100 칩 300개가" is about the chips
    servers = "엔비디아 300개가 들어간 서버는 400대다."
    assert owner_at(servers.index("400"), owners(servers, korean)) == ()


def test_attribution_needs_the_owner_and_a_group_needs_every_member() -> None:
    assert attributed(("Tencent",), ("텐센트",))
    assert not attributed(("Baidu",), ("알리바바",))
    assert not attributed(("Alibaba",), ("알리바바", "텐센트", "바이두"))
    assert attributed(("Alibaba", "Tencent", "Baidu"), ("알리바바", "텐센트", "바이두"))
    assert attributed((), ("알리바바",)) and attributed(("Alibaba",), ())
    assert not attributed(("Alibaba", "Tencent"), ("알리바바",), group=True)  # a member's figure, no group total


def test_english_mentions_skip_function_words_and_keep_of_names(korean: KoreanText) -> None:
    found = [m.text for m in mentions("In June, the Department of Energy and Derek Oh's firm met. How many?", korean)]
    assert found == ["Department of Energy", "Derek Oh"]
    answer = "Alibaba's capex rose 176% [1]."
    assert subjects_before(answer, answer.index("176"), korean) == ("Alibaba",)
    korean_answer = "알리바바의 상반기 설비투자는 500억 위안입니다."
    assert subjects_before(korean_answer, korean_answer.index("500"), korean) == ("알리바바",)


@pytest.mark.parametrize(
    ("english", "korean"),
    [("US", "미국"), ("U.S.", "미국"), ("US Commerce Department", "미"), ("Dutch", "네덜란드"), ("Japan", "일본")],
)
def test_exonyms_match_what_transliteration_cannot(english: str, korean: str) -> None:
    assert same_entity(english, korean) and same_entity(korean, english)


@pytest.mark.parametrize(
    ("a", "b"), [("China", "미국"), ("US", "중국"), ("싱가포르", "중국 베이징"), ("싱가포르", "중국")]
)
def test_exonyms_and_a_silent_r_do_not_overreach(a: str, b: str) -> None:
    assert not same_entity(a, b)


def test_a_model_code_split_by_kiwi_is_one_name(korean: KoreanText) -> None:
    price = "H20은 개당 1만2000∼1만3000달러(약 1590만∼1723만원) 수준이다."
    assert owner_at(price.index("1만2000"), owners(price, korean)) == ("H20",)
    assert [m.text for m in mentions(price, korean)] == ["H20"]
    assert "엔비디아 H100" in [m.text for m in mentions(DEREK, korean)]


def test_short_names_are_not_found_inside_long_ones_of_the_same_script() -> None:
    assert not same_entity("싱가포르", "중국") and not same_entity("중국", "싱가포르")
    assert same_entity("사울레스", "사울리스") and same_entity("이세돌 9단", "이세돌")


@pytest.mark.parametrize(
    ("latin", "hangul", "expected"),
    [
        ("Beijing", "베이징", True),
        ("Princeton", "프린스턴대", True),  # a suffix: 대 (university)
        ("Singapore", "싱가포르", True),  # one consonant apart
        ("ByteDance", "바이트댄스", True),
        ("Sullivan", "설리번", True),
        ("University", "노벨", False),  # NPR inside NPRST is no transliteration
        ("Shanghai", "베이징", False),
        ("Fan", "판", False),  # too short to prove anything
    ],
)
def test_a_transliteration_is_strict(latin: str, hangul: str, expected: bool) -> None:
    assert transliterates(latin, hangul) is expected


def test_a_figure_in_brackets_after_a_name_is_that_names(korean: KoreanText) -> None:
    text = "왕립과학원은 데이비드 사울레스(워싱턴대 명예교수, 82)와 덩컨 홀데인(프린스턴대 교수, 65)을 선정했다."
    assert bracketed_by(text, text.index("82"), korean) == "데이비드 사울레스"
    assert bracketed_by(text, text.index("65"), korean) == "덩컨 홀데인"
    assert bracketed_by(text, text.index("선정"), korean) == ""  # after the brackets closed
    assert bracketed_by("매출(2023년 기준)", 3, korean) == ""  # brackets after no name


def test_an_english_clause_names_the_owner_of_its_figure() -> None:
    text = (
        "Alibaba's capex rose 123% to 23 billion yuan, while Tencent's grew 176% and Baidu's fell; Apple spent $12,000."
    )
    assert clause_owner(text, text.index("123")) == ("Alibaba",)
    assert clause_owner(text, text.index("176")) == ("Tencent",)  # not Baidu, named after it
    assert clause_owner(text, text.index("12,000")) == ("Apple",)  # the comma in $12,000 ends no clause
    doe = "The legislation invests $67 billion in the Department of Energy, including $50 billion for DOE's Office."
    assert clause_owner(doe, doe.index("67")) == ("Department of Energy",)  # no name before it: the one after
    assert clause_owner(doe, doe.index("$50")) == ("Office",)  # DOE's Office: the Office
    assert clause_owner("Spending rose 5% at Samsung.", 14) == ("Samsung",)  # a sentence's opening word is none
    listed = "Alibaba grew 123% and Tencent 176%."
    assert clause_owner(listed, 13) == ()  # "and Tencent": the next item, not where the 123% goes
    assert clause_owner(listed, 13, known=("Alibaba",)) == ("Alibaba",)  # an opening word the question names


def test_a_respectively_sentence_gives_each_figure_to_the_name_in_its_place() -> None:
    text = "Alibaba, Tencent and Baidu grew 10%, 20% and 30%, respectively, in 2023. Baidu's profit fell 5%."
    owners_ = [clause_owner(text, text.index(f)) for f in ("10%", "20%", "30%", "5%")]
    assert owners_ == [("Alibaba",), ("Tencent",), ("Baidu",), ("Baidu",)]
    two = "Alibaba and Tencent grew their capex 123% and 176%, respectively."
    assert clause_owner(two, two.index("176")) == ("Tencent",)
    unnamed = "The two firms grew 10% and 20%, respectively."
    assert clause_owner(unnamed, unnamed.index("20")) == ()  # names and figures do not pair up: no one's


def test_an_opening_word_heads_a_list_of_names_only_before_another_name() -> None:
    combined = "Alibaba and Tencent spent a combined 50 billion yuan."
    assert clause_owner(combined, combined.index("50")) == ("Alibaba", "Tencent")
    revenue = "Revenue and profit rose 5% at Samsung."
    assert clause_owner(revenue, revenue.index("5")) == ("Samsung",)


def test_a_new_name_joined_to_an_asked_one_is_still_new(korean: KoreanText) -> None:
    # Kiwi reads "박영준 서울대" and "일본 니콘사" as one name each; the asked 서울대 and 일본 hid the answer
    assert added_names(
        "서울대 교수는 박영준 서울대 교수입니다.", "급선무라고 밝힌 서울대 교수는 누구인가요?", korean
    ) == ["박영준"]
    assert added_names(
        "논평을 거부한 일본 기업은 일본 니콘사입니다.", "논평을 거부한 일본 기업은 어디인가요?", korean
    ) == ["니콘사"]
    assert added_names("데릭 오씨는 300여대를 갖췄다.", "데릭 오씨는 몇 대를 갖췄나요?", korean) == []
