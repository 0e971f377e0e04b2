import time

from index.korean import KoreanText
from rag import replies
from rag.asked import Asked, asked_kind, asks_money, gives_kind
from rag.numbers import asks_comparison

QUESTION = "카카오 데이터센터 화재 당시 어떤 서비스들이 마비되었나요?"


def test_a_looping_reply_is_cut_where_the_repetition_starts() -> None:
    reply = "카카오 화재로 대한민국, " + "대한민국, " * 5
    cut = replies.loop_start(reply)
    assert cut is not None and reply[:cut] == "카카오 화재로 대한민국, "
    assert replies.loop_start("알리바바는 230억 위안, 텐센트도 230억 위안을 썼습니다 [1].") is None
    assert replies.loop_start("[1] [1] [1] [1] [1]") is not None


def test_a_run_of_markers_is_a_loop_cut_before_its_first_marker() -> None:
    reply = "반도체 투자가 이뤄지는 곳으로 언급된 미국의 주는 [1] [2] [3] [4] [5] [6] ["
    cut = replies.loop_start(reply)
    assert cut is not None and reply[:cut] == "반도체 투자가 이뤄지는 곳으로 언급된 미국의 주는"
    assert replies.loop_start("텐센트도 176% 증가했다 [1][2], 바이두는 [3].") is None
    assert replies.loop_start("See [1], [2], [3] and [4].") is None


def test_loop_check_is_quick_on_long_replies() -> None:
    text = "가나다라마바사아자차카타파하" * 500
    started = time.perf_counter()
    for _ in range(200):
        replies.loop_start(text)
    assert time.perf_counter() - started < 1.0  # called after every token


def test_question_echoes_are_no_answers() -> None:
    assert replies.echoes(f"[1] {QUESTION}: [2] [", QUESTION)
    assert replies.echoes("카카오 데이터센터 화재 당시 어떤 서비스들이 마비되었나요 [1].", QUESTION)
    assert replies.echoes("Which services went down? [1]", "Which services went down in the fire?")
    assert not replies.echoes("카카오톡과 카카오택시, 카카오페이가 마비되었습니다 [1].", QUESTION)
    # restating the question is fine when the reply adds the asked figure
    assert not replies.echoes(
        "데릭 오씨가 호주 데이터센터에 갖춘 서버는 300여대입니다 [1].",
        "데릭 오씨가 호주 데이터센터에 갖춘 서버는 몇 대인가요?",
    )


def test_a_lead_in_naming_the_sources_adds_nothing_to_an_echo(korean: KoreanText) -> None:
    q = "Which advanced Nvidia chip are Chinese AI companies using via overseas clouds despite sanctions?"
    echo = "According to sources [1], [2], [3], and [4], Chinese AI companies are using advanced Nvidia chips via "
    assert replies.echoes(echo + "overseas clouds despite sanctions.", q, korean)
    assert not replies.echoes("According to sources [1] and [2], Chinese AI companies are using the H100.", q, korean)
    ko = "알리바바의 설비투자는 얼마나 늘었나요?"
    assert replies.echoes("기사에 따르면, 알리바바의 설비투자는 얼마나 늘었 [1]", ko, korean)
    assert not replies.echoes("기사에 따르면 알리바바의 설비투자는 123% 늘었습니다 [1].", ko, korean)


def test_a_reply_that_stops_where_its_answer_should_be_is_no_answer(korean: KoreanText) -> None:
    q = "Which European champion had AlphaGo already beaten?"
    assert replies.echoes("The European champion who had already beaten AlphaGo was [3].", q, korean)
    assert replies.echoes("AlphaGo had already beaten the [3]", q, korean)
    assert not replies.echoes("AlphaGo had already beaten Fan Hui, the European champion [3].", q, korean)
    assert not replies.echoes("It was the European champion Fan Hui who lost [3].", q, korean)


def test_markers_alone_and_prompt_fragments() -> None:
    assert replies.is_empty("[1] [2].") and replies.is_empty(" . ") and not replies.is_empty("네 [1].")
    assert replies.cut_prompt("판교입니다 [1].\n질문: 다른 질문\n답변: ...") == "판교입니다 [1]."
    assert replies.cut_prompt("It is in Pangyo [1].<|im_start|>user") == "It is in Pangyo [1]."


def test_chinese_in_an_answer_is_caught_unless_a_source_has_it() -> None:
    assert replies.foreign_script("Staged这三个状态로 관리합니다", "자료 본문") == "这三个状态"
    assert replies.foreign_script("위상(位相) 물리학", "‘위상(位相)’ 물리학자") == ""
    assert replies.foreign_script("한국어만 있습니다", "") == ""


def test_asked_kinds_in_both_languages() -> None:
    assert asked_kind("알리바바의 설비투자는 몇 퍼센트 늘었나요?") == Asked.PERCENT
    assert asked_kind("By what percentage did Alibaba's capex grow?") == Asked.PERCENT
    assert asked_kind("이건희 회장은 언제 별세했나요?") == Asked.DATE
    assert asked_kind("When did Odysseus launch?") == Asked.DATE
    assert asked_kind("Since when has the number of customers grown?") == Asked.DATE
    assert asked_kind("And when did it land?") == Asked.DATE
    # a "when" clause asks no date (fresh set: the right answer, "the House", had been refused as the wrong kind)
    assert asked_kind("Which chamber had passed the Act when Granholm issued her statement?") == Asked.OTHER
    assert asked_kind("How many servers did Derek Oh set up?") == Asked.NUMBER
    assert asked_kind("H20은 개당 얼마인가요?") == Asked.NUMBER
    assert asked_kind("Who led the meeting in Washington?") == Asked.NAME
    assert asked_kind("화재가 난 데이터센터는 어디에 있나요?") == Asked.NAME
    assert asked_kind("What caused the fire?") == Asked.OTHER


def test_an_answer_must_give_the_asked_kind(korean: KoreanText) -> None:
    q = "알리바바의 상반기 설비투자는 전년 동기 대비 몇 퍼센트 증가했나요?"
    assert not gives_kind("알리바바의 설비투자는 2배 이상 증가했습니다 [3].", q, Asked.PERCENT, korean)
    assert gives_kind("알리바바의 설비투자는 123% 증가했습니다 [3].", q, Asked.PERCENT, korean)
    assert not gives_kind("He set up servers [1].", "How many servers?", Asked.NUMBER, korean)
    assert gives_kind("Jake Sullivan led it [1].", "Who led the meeting?", Asked.NAME, korean)
    assert not gives_kind("The meeting was led [1].", "Who led the meeting?", Asked.NAME, korean)
    assert gives_kind("아자황 아마추어 6단이 놓았습니다 [1].", "알파고의 수는 누가 놓았나요?", Asked.NAME, korean)


def test_only_comparison_questions_may_be_answered_with_derived_figures() -> None:
    assert asks_comparison("How many more servers did California have than Australia?")
    assert asks_comparison("두 회사의 증가율 차이는?")
    assert not asks_comparison("What was Alibaba's capex growth?")


def test_a_leading_answer_label_is_not_a_prompt_fragment() -> None:
    assert replies.cut_prompt("답변: 7.5집이 주어집니다 [1].") == "7.5집이 주어집니다 [1]."
    assert replies.cut_prompt("Answer: Princeton [1].\nQuestion: more") == "Princeton [1]."


def test_a_marker_where_the_answer_should_be_is_no_answer(korean: KoreanText) -> None:
    states = "반도체 투자가 이뤄지는 곳으로 언급된 미국의 주를 하나 말해 주세요."
    assert replies.echoes("반도체 투자가 이뤄지는 곳으로 언급된 미국의 주는 [1]에 있습니다.", states, korean)
    assert replies.echoes("미국의 주는 [4]입니다.", states, korean)
    agencies = "연방 부지를 임대하도록 지시받은 두 부처는 어디인가요?"
    assert replies.echoes("연방 부지를 임대하도록 지시받은 두 부처는 [1]과 [3]입니다.", agencies, korean)
    # the marker after the answer, or after a name the reply adds, is a citation
    assert not replies.echoes("언급된 미국의 주는 오하이오입니다 [1].", states, korean)
    assert not replies.echoes("두 부처는 국방부와 에너지부입니다 [1][3].", agencies, korean)
    assert not replies.echoes("[1]에 나온 주는 애리조나입니다.", states, korean)
    # the source talked about instead of quoted (dev set, a slower machine's greedy replies)
    assert replies.echoes("투자가 이뤄지는 곳으로 언급된 미국의 주는 [1]에서 설명한 것 같습니다.", states, korean)


def test_an_amount_of_money_asked_needs_money_or_a_bare_figure(korean: KoreanText) -> None:
    damage = "카카오 데이터센터 화재의 피해액은 얼마인가요?"
    assert asks_money(damage) and asks_money("How much did the Odysseus mission cost?")
    assert not asks_money("이세돌 9단은 몇 분이 걸렸나요?") and not asks_money("How much longer did it take?")
    assert not asks_money("알리바바의 투자액은 얼마나 늘었나요?")  # a change: a rate answers it
    assert not asks_money("How much did Alibaba's capex spending increase?")
    # a real figure of its source, so no echo: the kind of figure refuses it
    assert not gives_kind("피해액은 [2]에 적힌 그대로 4시간 동안 마비되었다. [2]", damage, Asked.NUMBER, korean)
    assert gives_kind("피해액은 170억 원입니다 [2].", damage, Asked.NUMBER, korean)
    assert gives_kind("피해액은 170억입니다 [2].", damage, Asked.NUMBER, korean)
    assert gives_kind("It cost $118 million [1].", "How much did the mission cost?", Asked.NUMBER, korean)
    assert not gives_kind("It took 4 hours [1].", "How much did the mission cost?", Asked.NUMBER, korean)


def test_a_subject_answered_with_itself_is_no_answer() -> None:
    assert replies.restates_subject("반도체과학법 통과 성명을 낸 에너지부 장관은 에너지부 장관입니다 [1].")
    assert replies.restates_subject("2016년 노벨물리학상 공동 수상자 세 사람은 세 사람입니다.")
    assert not replies.restates_subject("에너지부 장관은 제니퍼 그랜홈입니다 [1].")
    assert not replies.restates_subject("장관은 에너지부 장관입니다 [1].")  # says more than its subject
    assert not replies.restates_subject("The Secretary is the Secretary [1].")  # English echoes are found otherwise
    assert replies.echoes("공동 수상자 세 사람은 세 사람입니다 [1].", "공동 수상자 세 사람은 누구인가요?")


def test_a_reply_that_adds_a_name_or_picks_an_option_is_no_echo(korean: KoreanText) -> None:
    bytedance = "Which TikTok parent company is buying Nvidia chips in bulk?"
    assert not replies.echoes(
        "The TikTok parent company ByteDance is buying Nvidia chips in bulk [1].", bytedance, korean
    )
    choice = "알리바바와 텐센트 중 설비투자 증가율이 더 높은 곳은 어디인가요?"
    assert not replies.echoes("알리바바와 텐센트 중 설비투자 증가율이 더 높은 곳은 텐센트입니다 [2].", choice, korean)
    # naming only what the question names is still an echo, however often
    assert replies.echoes(
        "The Justice Party commented for the Justice Party [3].", "Who commented for the Justice Party?", korean
    )
    assert replies.echoes("알리바바와 텐센트 중 설비투자 증가율이 더 높은 곳은 어디입니다 [2].", choice, korean)


def test_picking_an_offered_option_answers_a_which_question(korean: KoreanText) -> None:
    choice = "알리바바와 텐센트 중 설비투자 증가율이 더 높은 곳은 어디인가요?"
    assert gives_kind("알리바바와 텐센트 중 증가율이 더 높은 곳은 텐센트입니다 [2].", choice, Asked.NAME, korean)
    assert not gives_kind("알리바바와 텐센트 중 증가율이 더 높은 곳입니다 [2].", choice, Asked.NAME, korean)


def test_a_calendar_year_does_not_answer_how_many_years(korean: KoreanText) -> None:
    q = "미국 우주선이 달에 착륙한 것은 몇 년 만인가요?"
    assert not gives_kind("미국 우주선이 달에 착륙한 것은 1962년입니다 [1].", q, asked_kind(q), korean)
    assert gives_kind("50여년 만입니다 [1].", q, asked_kind(q), korean)
    q = "How many years passed between the theory and the prize?"
    assert not gives_kind("The theory came in 1972 [1].", q, asked_kind(q), korean)
    assert gives_kind("44 years passed, from 1972 to 2016 [1].", q, asked_kind(q), korean)


def test_a_picked_option_answers_even_where_the_question_names_a_rate(korean: KoreanText) -> None:
    q = "알리바바와 텐센트 중 설비투자 증가율이 더 높은 곳은 어디인가요?"
    assert gives_kind("알리바바와 텐센트 중 증가율이 더 높은 곳은 텐센트입니다 [2].", q, asked_kind(q), korean)
    q = "Which grew its capex faster, Alibaba or Tencent, and by how many percentage points?"
    assert not gives_kind("Tencent grew faster than Alibaba [1].", q, asked_kind(q), korean)  # the figure is asked too


def test_a_bare_figure_is_a_value_without_what_it_is_of() -> None:
    assert replies.bare_figure("3000 [5]") and replies.bare_figure("50년 [2]") and replies.bare_figure("28분 28초")
    assert not replies.bare_figure("Alibaba grew 123% [1].") and not replies.bare_figure("네 [1].")
    assert not replies.bare_figure("")


def test_a_sentence_said_again_is_a_loop_that_ended() -> None:
    looped = (
        "2016년 공동 수상자 세 사람은 세 사람입니다. 세 사람은 세 사람에게 돌아갔다. 세 사람은 세 사람에게 돌아갔다."
    )
    assert replies.repeats_sentence(looped)
    assert not replies.repeats_sentence("Alibaba grew 123% [1]. Tencent grew 176% [1].")
    assert not replies.repeats_sentence("네. 네.")  # too short to tell a loop from an answer
