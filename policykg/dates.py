"""Dates typed by a person, parsed strictly: an ISO date ``YYYY-MM-DD`` that exists, or the keyword
``today``. Anything else is refused with one line naming where it was typed and the value, instead of
being compared as text (``"notadate" < "2026-01-01"`` is a wrong answer, not an error).

The command line uses :class:`DateType` for every date option (a bad value is a usage error, exit
code 2); the query API and the named queries call :func:`parse_date`, which raises :class:`DateError`.

>>> parse_date("2024-02-29")
'2024-02-29'
>>> parse_date(" today ") == dt.date.today().isoformat()
True
>>> parse_date(dt.date(2025, 1, 2))
'2025-01-02'
>>> parse_date("2024-02-30", "--as-of")
Traceback (most recent call last):
...
policykg.dates.DateError: --as-of: '2024-02-30' is not a date (YYYY-MM-DD that exists, or today)
>>> parse_date("20240101")
Traceback (most recent call last):
...
policykg.dates.DateError: '20240101' is not a date (YYYY-MM-DD that exists, or today)
"""

from __future__ import annotations

import datetime as dt
import re

import click

__all__ = ["DATE", "DateError", "DateType", "parse_date"]

_ISO = re.compile(r"\d{4}-\d{2}-\d{2}")
_EXPECTED = "YYYY-MM-DD that exists, or today"


class DateError(ValueError):
    """A value that is not a date: not ``YYYY-MM-DD``, a day that does not exist, or not ``today``."""


def parse_date(value: str | dt.date, name: str | None = None) -> str:
    """``value`` as an ISO date string; ``today`` is today's date. ``name`` (an option or parameter)
    opens the message of the :class:`DateError` raised for anything else.

    >>> parse_date("TODAY") == dt.date.today().isoformat()
    True
    >>> parse_date("zzz", "--due-before")
    Traceback (most recent call last):
    ...
    policykg.dates.DateError: --due-before: 'zzz' is not a date (YYYY-MM-DD that exists, or today)
    """
    if isinstance(value, dt.datetime):
        return value.date().isoformat()
    if isinstance(value, dt.date):
        return value.isoformat()
    text = str(value).strip()
    if text.lower() == "today":
        return dt.date.today().isoformat()
    if _ISO.fullmatch(text):
        try:
            return dt.date.fromisoformat(text).isoformat()
        except ValueError:
            pass
    prefix = f"{name}: " if name else ""
    raise DateError(f"{prefix}{str(value)!r} is not a date ({_EXPECTED})")


class _BadDate(click.BadParameter):
    """click's error for a bad value, shown as one line (no usage block); exit code 2 as any usage error."""

    def show(self, file=None) -> None:
        click.echo(f"Error: {self.format_message()}", file=file or click.get_text_stream("stderr"), err=True)


class DateType(click.ParamType):
    """A click parameter type for dates: converts to the ISO string, or fails with one line:
    ``Error: Invalid value for '--as-of': 'zzz' is not a date (...)`` (no usage block), exit code 2 as
    for every usage error.

    >>> DATE.convert("2025-12-31", None, None)
    '2025-12-31'
    """

    name = "date"

    def convert(self, value, param, ctx):
        try:
            return parse_date(value)
        except DateError as err:
            raise _BadDate(str(err), ctx=ctx, param=param) from None

    def get_metavar(self, param, ctx=None) -> str:
        return "YYYY-MM-DD|today"


DATE = DateType()
