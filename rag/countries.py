"""Country names in English and Korean: a question that asks for a country is answered by one.

"덩컨 홀데인 교수의 국적은 어디인가요?" got "국적은 프린스턴대 교수입니다" (fresh set): a name, but no country.
"""

from __future__ import annotations

import re

# English names and adjectives (lower-case), then the Korean forms. Countries and a few regions the news
# names as one ("EU", "Hong Kong"); not only those the fact sets ask about, so that a right answer naming
# another country is not refused.
_TABLE = (
    ("us, u.s, u.s., usa, united states, america, american", "미국"),
    ("china, chinese", "중국"),
    ("japan, japanese", "일본"),
    ("korea, korean, south korea", "한국, 대한민국"),
    ("north korea, north korean", "북한"),
    ("taiwan, taiwanese", "대만"),
    ("hong kong", "홍콩"),
    ("mongolia, mongolian", "몽골"),
    ("india, indian", "인도"),
    ("pakistan, pakistani", "파키스탄"),
    ("bangladesh", "방글라데시"),
    ("singapore, singaporean", "싱가포르"),
    ("malaysia, malaysian", "말레이시아"),
    ("indonesia, indonesian", "인도네시아"),
    ("thailand, thai", "태국"),
    ("vietnam, vietnamese", "베트남"),
    ("philippines, filipino, philippine", "필리핀"),
    ("australia, australian", "호주, 오스트레일리아"),
    ("new zealand", "뉴질랜드"),
    ("uae, united arab emirates, emirati", "아랍에미리트"),
    ("saudi arabia, saudi", "사우디아라비아, 사우디"),
    ("qatar, qatari", "카타르"),
    ("kuwait", "쿠웨이트"),
    ("israel, israeli", "이스라엘"),
    ("iran, iranian", "이란"),
    ("iraq, iraqi", "이라크"),
    ("turkey, turkish, türkiye", "튀르키예, 터키"),
    ("egypt, egyptian", "이집트"),
    ("south africa, south african", "남아프리카공화국, 남아공"),
    ("nigeria, nigerian", "나이지리아"),
    ("kenya, kenyan", "케냐"),
    ("kazakhstan", "카자흐스탄"),
    ("russia, russian", "러시아"),
    ("ukraine, ukrainian", "우크라이나"),
    ("uk, britain, british, united kingdom, england, english", "영국"),
    ("ireland, irish", "아일랜드"),
    ("france, french", "프랑스"),
    ("germany, german", "독일"),
    ("netherlands, dutch, holland", "네덜란드"),
    ("belgium, belgian", "벨기에"),
    ("switzerland, swiss", "스위스"),
    ("austria, austrian", "오스트리아"),
    ("italy, italian", "이탈리아"),
    ("spain, spanish", "스페인"),
    ("portugal, portuguese", "포르투갈"),
    ("greece, greek", "그리스"),
    ("poland, polish", "폴란드"),
    ("czech republic, czechia, czech", "체코"),
    ("hungary, hungarian", "헝가리"),
    ("sweden, swedish", "스웨덴"),
    ("norway, norwegian", "노르웨이"),
    ("denmark, danish", "덴마크"),
    ("finland, finnish", "핀란드"),
    ("europe, european union, eu", "유럽, 유럽연합"),
    ("canada, canadian", "캐나다"),
    ("mexico, mexican", "멕시코"),
    ("brazil, brazilian", "브라질"),
    ("argentina, argentine, argentinian", "아르헨티나"),
    ("chile, chilean", "칠레"),
)
_ENGLISH = re.compile(
    r"\b(?:" + "|".join(re.escape(n.strip()) for names, _ in _TABLE for n in names.split(",")) + r")(?![a-z])",
    re.I,
)
_KOREAN = tuple(k.strip() for _, korean in _TABLE for k in korean.split(","))
# Bounded alternations: linear on any question.
_ASKS_COUNTRY = re.compile(
    r"어느\s?나라|어느\s?국가|국적|무슨\s?나라|\b(?:which|what) countr(?:y|ies)\b|\bnationality\b", re.I
)


def asks_country(question: str) -> bool:
    """Whether the question asks which country (or nationality)."""
    return bool(_ASKS_COUNTRY.search(question))


def names_country(text: str) -> bool:
    """Whether the text names a country, in English or in Korean."""
    return bool(_ENGLISH.search(text)) or any(form in text for form in _KOREAN)
