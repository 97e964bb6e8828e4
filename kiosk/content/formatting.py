"""Numbers, dates and country names per language, through Babel (CLDR). No Qt."""

from __future__ import annotations

import decimal
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


def format_number(value: float, language: str, decimals: int | None = None) -> str:
    """A plain number with the locale's separators: 9,066,906 / 9.066.906 / 9 066 906."""
    from babel.numbers import format_decimal

    if decimals is None:
        return format_decimal(value, locale=locale_for(language))
    pattern = "#,##0" + ("." + "0" * decimals if decimals else "")
    return format_decimal(value, format=pattern, locale=locale_for(language))


def format_percent(value: float, language: str, decimals: int = 1) -> str:
    """A value already in percent (4.8 -> 4.8% / 4,8 % / 4,8 %)."""
    from babel.numbers import format_percent as babel_percent

    pattern_decimals = "." + "0" * decimals if decimals else ""
    base = locale_for(language).percent_formats[None].pattern
    pattern = base.replace("#,##0", "#,##0" + pattern_decimals, 1)
    return babel_percent(value / 100.0, format=pattern, locale=locale_for(language))


def format_compact(value: float, language: str, decimals: int = 1) -> str:
    """A large number in the language's own large units: 763.2 billion / 7632.2亿 / 763,2 Mrd.

    Shows ``decimals`` digits after the point, and more when needed for three significant
    digits: 9,066,906 is "9.07 million" (not "9 million") and "907万".
    """
    from babel.numbers import format_compact_decimal

    loc = locale_for(language)
    format_type = "long" if "long" in loc.compact_decimal_formats else "short"
    # (CLDR has no long compact forms for zh, ja, ko)
    number = decimal.Decimal(repr(float(value)))
    divisor = _compact_divisor(number, loc, format_type)
    mantissa = number / divisor
    integer_digits = len(str(abs(int(mantissa)))) if abs(mantissa) >= 1 else 1
    digits = max(decimals, 3 - integer_digits, 0)
    rounded = round(mantissa, digits)
    if rounded == rounded.to_integral_value():
        # Babel chooses the plural by the digits it is given: "7 миллиардов", not "7 миллиарда"
        rounded = rounded.quantize(decimal.Decimal(1))
    else:
        rounded = rounded.normalize()
    return format_compact_decimal(
        rounded * divisor, format_type=format_type, locale=loc, fraction_digits=digits
    )


def _compact_divisor(number: decimal.Decimal, loc: Locale, format_type: str) -> decimal.Decimal:
    """What Babel will divide this number by for its compact form (10^6 for "million")."""
    patterns = loc.compact_decimal_formats[format_type]["other"]
    for magnitude in sorted((int(m) for m in patterns), reverse=True):
        if abs(number) >= magnitude:
            zeros = str(patterns[str(magnitude)]).count("0")
            if zeros == 0:
                break
            return decimal.Decimal(magnitude // 10 ** (zeros - 1))
    return decimal.Decimal(1)


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
    """
    if kind == "percent":
        return format_percent(value, language, 1 if decimals is None else decimals)
    if abs(value) >= 1_000_000:
        return with_unit(format_compact(value, language, 1 if decimals is None else decimals), unit)
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
