"""The static country codes the validator uses are pycountry's, so they cannot go stale silently."""

from __future__ import annotations

import pycountry

from kiosk.content.convert import _is_country
from kiosk.content.countries import COUNTRY_CODES


def test_country_codes_equal_pycountrys() -> None:
    assert {c.alpha_2 for c in pycountry.countries} == COUNTRY_CODES


def test_is_country_needs_exactly_the_uppercase_code() -> None:
    assert _is_country("NO")
    assert _is_country("DE")
    assert not _is_country("no")
    assert not _is_country("XX")
    assert not _is_country("DEU")
    assert not _is_country("")
