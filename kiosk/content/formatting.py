"""Numbers, dates and country names per language, through Babel (CLDR). No Qt."""

from __future__ import annotations

import re
from functools import cache
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from babel import Locale

    from kiosk.content.model import PartialDate


@cache
def locale_for(language: str) -> Locale:
    """The CLDR locale for a BCP 47 language code; English when CLDR does not know it."""
    from babel import Locale, UnknownLocaleError

    try:
        return Locale.parse(language, sep="-")
    except (UnknownLocaleError, ValueError):
        return Locale.parse("en")


def is_rtl(language: str) -> bool:
    return locale_for(language).text_direction == "rtl"


def format_date(date: PartialDate, language: str) -> str:
    """A date shown with exactly its precision: 1983 / Juli 1983 / 1983年7月7日."""
    import datetime

    from babel.dates import format_date as babel_date
    from babel.dates import format_skeleton

    loc = locale_for(language)
    if date.precision == "year":
        return format_skeleton("y", datetime.date(date.year, 1, 1), locale=loc)
    if date.precision == "month":
        return format_skeleton("yMMMM", datetime.date(date.year, date.month or 1, 1), locale=loc)
    return babel_date(datetime.date(date.year, date.month or 1, date.day or 1), "long", locale=loc)


def format_year(year: int, language: str) -> str:
    import datetime

    from babel.dates import format_skeleton

    return format_skeleton("y", datetime.date(year, 1, 1), locale=locale_for(language))


def format_number(
    value: float, language: str, decimals: int | None = None, *, max_decimals: int | None = None
) -> str:
    """A plain number with the locale's separators: 9,066,906 / 9.066.906 / 9 066 906.

    Args:
        decimals: exactly this many digits after the decimal point.
        max_decimals: at most this many, without trailing zeros (when ``decimals`` is None).
    """
    from babel.numbers import format_decimal

    loc = locale_for(language)
    if decimals is None and max_decimals is None:
        return format_decimal(value, locale=loc)
    if decimals is None:
        pattern = "#,##0" + ("." + "#" * max_decimals if max_decimals else "")
    else:
        pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    text = format_decimal(value, format=pattern, locale=loc)
    return _no_negative_zero(text, loc)


def _no_negative_zero(text: str, loc: Locale) -> str:
    """"-0" and "-0.0" (a small negative rounded away) read as 0."""
    sign = loc.number_symbols.get("latn", {}).get("minusSign", "-")
    if text.startswith(sign) and not any(c in "123456789" for c in text):
        return text[len(sign):]
    return text


def format_percent(value: float, language: str, decimals: int = 1) -> str:
    """A value already in percent (4.8 -> 4.8% / 4,8 % / 4,8 %)."""
    from babel.numbers import format_percent as babel_percent

    pattern_decimals = "." + "0" * decimals if decimals else ""
    base = locale_for(language).percent_formats[None].pattern
    pattern = base.replace("#,##0", "#,##0" + pattern_decimals, 1)
    text = babel_percent(value / 100.0, format=pattern, locale=locale_for(language))
    return _no_negative_zero(text, locale_for(language))


# Which CLDR compact style reads like the language's own press: "763.2 billion yuan",
# "763,2 Mrd. Yuan", "763,2 млрд юаней". Languages not listed use "long" when CLDR has it.
_COMPACT_STYLE = {"de": "short", "ru": "short"}
# Figures shown in large-number words keep this many significant digits: 763.2 billion,
# 7,632亿, 90.76 billion, 907.6亿.
COMPACT_SIGNIFICANT = 4
# From this size on amounts and counts are written with large-number words.
COMPACT_FROM = 1_000_000


def _compact_formats(language: str):  # -> babel LocaleDataDict
    loc = locale_for(language)
    style = _COMPACT_STYLE.get(loc.language, "long")
    formats = loc.compact_decimal_formats
    if style not in formats:  # CLDR has no long compact forms for zh, ja, ko
        style = "short"
    return formats[style]


def _compact_pattern(value: float, language: str):  # -> tuple[int, NumberPattern | None]
    """The divisor and CLDR pattern of the large-number word for a value (1, None: none)."""
    formats = _compact_formats(language)
    other = formats["other"]
    for magnitude in sorted((int(m) for m in other), reverse=True):
        if abs(value) >= magnitude:
            pattern = other[str(magnitude)]
            zeros = pattern.pattern.count("0")
            if pattern.pattern == "0" or zeros == 0:
                return 1, None
            divisor = magnitude // 10 ** (zeros - 1)
            mantissa = abs(value) / divisor
            form = locale_for(language).plural_form(mantissa)
            if form in formats and str(magnitude) in formats[form]:
                pattern = formats[form][str(magnitude)]
            return divisor, pattern
    return 1, None


def _round_significant(value: float, digits: int) -> float:
    if value == 0:
        return 0.0
    import math

    return round(value, digits - 1 - math.floor(math.log10(abs(value))))


def _fraction_digits(mantissa: float, significant: int) -> int:
    import math

    if mantissa == 0:
        return 0
    return max(0, significant - 1 - math.floor(math.log10(abs(mantissa))))


def compact_unit(value: float, language: str) -> tuple[int, str]:
    """The large-number word a language uses for numbers of this size, and its divisor.

    For chart axes: ticks show ``tick / divisor`` and the axis says the word with the unit.
    (1_000_000_000, "billion") in English, (100_000_000, "亿") in Chinese, (1_000_000_000,
    "Mrd.") in German; (1, "") below ``COMPACT_FROM``.
    """
    if abs(value) < COMPACT_FROM:
        return 1, ""
    divisor, pattern = _compact_pattern(value, language)
    if pattern is None:
        return 1, ""
    word = _unquote(pattern.prefix[0] + pattern.suffix[0]).strip(" \u00a0")
    return divisor, word.replace(" ", "\u00a0")


def format_compact(value: float, language: str, decimals: int | None = None) -> str:
    """A large number in the language's own large units: 763.2 billion / 7,632亿 / 763,2 Mrd.

    Args:
        decimals: digits after the decimal point of the shortened number; by default the
            number keeps ``COMPACT_SIGNIFICANT`` significant digits, without trailing zeros.

    The spaces inside are no-break spaces, so the figure never wraps between number and word.
    """
    if decimals is None:
        value = _round_significant(value, COMPACT_SIGNIFICANT)
    divisor, pattern = _compact_pattern(value, language)
    if pattern is None:
        return format_number(value, language, decimals)
    mantissa = value / divisor
    if decimals is None:
        digits = _fraction_digits(mantissa, COMPACT_SIGNIFICANT)
        number = format_number(round(mantissa, digits), language, None, max_decimals=digits)
    else:
        number = format_number(mantissa, language, decimals)
    text = _unquote(pattern.prefix[0]) + number + _unquote(pattern.suffix[0])
    return text.replace(" ", "\u00a0")


def _unquote(affix: str) -> str:
    """A CLDR pattern affix as text: "\u00a0Mrd'.'" -> "\u00a0Mrd.", "''" -> "'"."""
    return re.sub(r"'([^']*)'", lambda m: m.group(1) or "'", affix)


def country_name(code: str, language: str) -> str:
    """The everyday country name in a language (CLDR), e.g. DE -> Deutschland / 德国 / ドイツ."""
    loc = locale_for(language)
    name = loc.territories.get(code.upper())
    if name:
        return name
    import pycountry

    country = pycountry.countries.get(alpha_2=code.upper())
    return country.name if country else code


def _is_han_or_kana(char: str) -> bool:
    """Chinese characters and Japanese kana, which follow a number without a space."""
    code = ord(char)
    return 0x2E80 <= code <= 0x9FFF or 0xF900 <= code <= 0xFAFF


def with_unit(number: str, unit: str) -> str:
    """Join a formatted number and its unit: "763.2 billion yuan", but "7632.2亿元" and "4.8%".

    Korean writes a space before the unit ("907만 명", "7632.2억 위안"), as European languages do;
    the space does not break, so that number and unit stay on one line.
    """
    if not unit:
        return number
    if _is_han_or_kana(unit[0]) or unit[0] in "%‰":
        return number + unit
    return f"{number}\u00a0{unit}"


def format_amount(
    value: float, unit: str, language: str, kind: str = "amount", decimals: int | None = None
) -> str:
    """A series value with its unit, as a visitor reads it in that language.

    Args:
        value: the value already multiplied by the series' scale (e.g. 763219000000.0).
        unit: the unit text in that language (yuan, 元, Yuan).
        kind: ``amount`` and ``count`` use large-number words from 10^6 on; ``percent`` a % sign.
        decimals: digits after the decimal point of plain numbers and percentages. Figures in
            large-number words keep ``COMPACT_SIGNIFICANT`` significant digits instead, so that
            every language shows the same precision: 763.2 billion / 7,632亿 / 763,2 Mrd.
    """
    if kind == "percent":
        return format_percent(value, language, 1 if decimals is None else decimals)
    if abs(value) >= COMPACT_FROM:
        return with_unit(format_compact(value, language), unit)
    return with_unit(format_number(value, language, decimals), unit)


@cache
def script_of(language: str) -> str:
    """The ISO 15924 script a language is written in (zh -> Hans, zh-Hant -> Hant, ja -> Jpan)."""
    from babel.core import get_global

    loc = locale_for(language)
    if loc.script:
        return loc.script
    likely = get_global("likely_subtags").get(loc.language, "")
    parts = likely.split("_")
    return parts[1] if len(parts) > 2 else "Latn"
