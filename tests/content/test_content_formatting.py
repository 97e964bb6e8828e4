"""Dates, amounts, percentages and country names as a visitor reads them in each language.

Babel's output is compared character for character: German and Russian put a no-break space
(U+00A0) between number and word, and Russian dates a narrow no-break space (U+202F) before "г.".
"""

from __future__ import annotations

import pytest

from kiosk.content.formatting import (
    compact_unit,
    country_name,
    format_amount,
    format_date,
    format_number,
    format_percent,
    format_year,
    is_rtl,
    locale_for,
    script_of,
)
from kiosk.content.model import PartialDate

NB = "\u00a0"  # no-break space
NNB = "\u202f"  # narrow no-break space

LANGUAGES = ["en", "zh", "de", "ja", "ko", "ru"]

DATES = {
    # language: (1983-07-07, 1983-07, 1983)
    "en": ("July 7, 1983", "July 1983", "1983"),
    "zh": ("1983年7月7日", "1983年7月", "1983年"),
    "de": ("7. Juli 1983", "Juli 1983", "1983"),
    "ja": ("1983年7月7日", "1983年7月", "1983年"),
    "ko": ("1983년 7월 7일", "1983년 7월", "1983년"),
    "ru": (f"7 июля 1983{NNB}г.", f"июль 1983{NNB}г.", "1983"),
}

# the unit as each language's content writes it: (yuan, people)
UNITS = {
    "en": ("yuan", "people"),
    "zh": ("元", "人"),
    "de": ("Yuan", "Einwohner"),
    "ja": ("元", "人"),
    "ko": ("위안", "명"),
    "ru": ("юаней", "человек"),
}

AMOUNTS = {
    # language: (GDP 763,219,000,000 yuan, population 9,066,906, 123,456 visitors)
    "en": (f"763.2{NB}billion{NB}yuan", f"9.067{NB}million{NB}people", f"123,456{NB}people"),
    "zh": ("7,632亿元", "906.7万人", "123,456人"),
    "de": (f"763,2{NB}Mrd.{NB}Yuan", f"9,067{NB}Mio.{NB}Einwohner", f"123.456{NB}Einwohner"),
    "ja": ("7,632億元", "906.7万人", "123,456人"),
    "ko": (f"7,632억{NB}위안", f"906.7만{NB}명", f"123,456{NB}명"),
    "ru": (
        f"763,2{NB}млрд{NB}юаней",
        f"9,067{NB}млн{NB}человек",
        f"123{NB}456{NB}человек",
    ),
}

PERCENTS = {
    # language: (4.8, -2.5, 5 with no decimals)
    "en": ("4.8%", "-2.5%", "5%"),
    "zh": ("4.8%", "-2.5%", "5%"),
    "de": (f"4,8{NB}%", f"-2,5{NB}%", f"5{NB}%"),
    "ja": ("4.8%", "-2.5%", "5%"),
    "ko": ("4.8%", "-2.5%", "5%"),
    "ru": (f"4,8{NB}%", f"-2,5{NB}%", f"5{NB}%"),
}

COUNTRIES = {
    # language: (DE, JP, KR, GB)
    "en": ("Germany", "Japan", "South Korea", "United Kingdom"),
    "zh": ("德国", "日本", "韩国", "英国"),
    "de": ("Deutschland", "Japan", "Südkorea", "Vereinigtes Königreich"),
    "ja": ("ドイツ", "日本", "韓国", "イギリス"),
    "ko": ("독일", "일본", "대한민국", "영국"),
    "ru": ("Германия", "Япония", "Республика Корея", "Великобритания"),
}


@pytest.mark.parametrize("language", LANGUAGES)
def test_dates_keep_their_precision(language: str) -> None:
    day, month, year = DATES[language]
    assert format_date(PartialDate(1983, 7, 7), language) == day
    assert format_date(PartialDate(1983, 7), language) == month
    assert format_date(PartialDate(1983), language) == year
    assert format_date(PartialDate.parse("1983-07"), language) == month
    assert format_year(1983, language) == year


@pytest.mark.parametrize("language", LANGUAGES)
def test_amounts_in_large_number_words(language: str) -> None:
    yuan, people = UNITS[language]
    gdp, population, visitors = AMOUNTS[language]
    assert format_amount(763_219_000_000.0, yuan, language, "amount", decimals=1) == gdp
    assert format_amount(9_066_906, people, language, "count", decimals=0) == population
    assert format_amount(123_456, people, language, "count", decimals=0) == visitors


@pytest.mark.parametrize("language", LANGUAGES)
def test_percentages(language: str) -> None:
    growth, fall, whole = PERCENTS[language]
    assert format_amount(4.8, "%", language, "percent") == growth
    assert format_amount(-2.5, "%", language, "percent", decimals=1) == fall
    assert format_percent(5, language, decimals=0) == whole


@pytest.mark.parametrize("language", LANGUAGES)
def test_country_names(language: str) -> None:
    assert tuple(country_name(c, language) for c in ("DE", "JP", "KR", "GB")) == COUNTRIES[language]


def test_the_same_precision_in_every_language() -> None:
    # 763.2 billion and 7,632亿 both show four significant digits
    assert format_amount(90_760_000_000, "yuan", "en") == f"90.76{NB}billion{NB}yuan"
    assert format_amount(90_760_000_000, "元", "zh") == "907.6亿元"
    assert format_amount(7_000_000_000.0, "юаней", "ru") == f"7{NB}млрд{NB}юаней"
    assert format_amount(-5_500_000, "yuan", "en") == f"-5.5{NB}million{NB}yuan"


def test_plain_numbers() -> None:
    assert format_number(9_066_906, "en") == "9,066,906"
    assert format_number(9_066_906, "de") == "9.066.906"
    assert format_number(9_066_906, "ru") == f"9{NB}066{NB}906"
    assert format_number(6744.56, "en", 1) == "6,744.6"
    assert format_number(6744.56, "de", 0) == "6.745"
    assert format_number(-0.04, "en", 1) == "0.0"  # no "-0.0"
    assert format_amount(6744.56, "元", "zh", decimals=1) == "6,744.6元"
    assert format_amount(0, "yuan", "en") == f"0{NB}yuan"


def test_units_for_chart_axes() -> None:
    assert compact_unit(7.6e11, "en") == (1_000_000_000, "billion")
    assert compact_unit(7.6e11, "zh") == (100_000_000, "亿")
    assert compact_unit(7.6e11, "de") == (1_000_000_000, "Mrd.")
    assert compact_unit(9e6, "ja") == (10_000, "万")
    assert compact_unit(500_000, "en") == (1, "")


def test_scripts_and_direction() -> None:
    assert [script_of(code) for code in ("en", "zh", "zh-Hant", "ja", "ko", "ru")] == [
        "Latn",
        "Hans",
        "Hant",
        "Jpan",
        "Kore",
        "Cyrl",
    ]
    assert is_rtl("ar")
    assert not is_rtl("zh")


def test_unknown_codes_fall_back_to_english() -> None:
    assert str(locale_for("qq")) == "en"
    assert format_date(PartialDate(1983, 7, 7), "qq") == "July 7, 1983"
    assert country_name("XX", "en") == "XX"
    assert country_name("de", "en") == "Germany"
