"""Template filters for Thai display (loaded as a builtin): ``be_date``, ``be_date_short``,
``be_datetime``, ``thai_digits``, ``baht``, ``percent``."""
from django import template

from emes import thai

register = template.Library()

register.filter("be_date", lambda v: thai.be_date(v))
register.filter("be_date_th", lambda v: thai.be_date(v, thai_numerals=True))
register.filter("be_date_short", thai.be_date_short)
register.filter("be_datetime", thai.be_datetime)
register.filter("thai_digits", thai.thai_digits)
# A missing value in a template (an invalid lookup gives "") is shown as missing, never a 500: a re-shown form
# whose posted rows were tampered with (issue 13's fuzz) has rows without their money.
register.filter("baht", lambda v: thai.baht(None if v == "" else v))
register.filter("baht0", lambda v: thai.baht(None if v == "" else v, decimals=0))
register.filter("percent", lambda v: thai.percent(v))
