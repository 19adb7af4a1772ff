"""Template filters for Thai display (loaded as a builtin): ``be_date``, ``be_date_short``,
``be_datetime``, ``thai_digits``, ``baht``, ``percent``."""
from django import template
from django.utils import translation

from emes import thai

register = template.Library()



def _english() -> bool:
    """Whether the page is in English: dates then read in English with BE years (issue 17); Thai otherwise."""
    return (translation.get_language() or "").startswith("en")


register.filter("be_date", lambda v: thai.be_date_en(v) if _english() else thai.be_date(v))
register.filter("be_date_th", lambda v: thai.be_date_en(v) if _english() else thai.be_date(v, thai_numerals=True))
register.filter("be_date_short", lambda v: thai.be_date_en(v, short=True) if _english() else thai.be_date_short(v))
register.filter("be_datetime", lambda v: thai.be_datetime_en(v) if _english() else thai.be_datetime(v))
register.filter("thai_digits", thai.thai_digits)
register.filter("keep_phrases", thai.keep_phrases)
# A missing value in a template (an invalid lookup gives "") is shown as missing, never a 500: a re-shown form
# whose posted rows were tampered with (issue 13's fuzz) has rows without their money.
register.filter("baht", lambda v: thai.baht(None if v == "" else v))
register.filter("baht0", lambda v: thai.baht(None if v == "" else v, decimals=0))
register.filter("percent", lambda v: thai.percent(v))
