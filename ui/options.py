"""Options that more than one command declares, declared once."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from collabgraph.graph.countries import UnknownCountry, country_code


def neighbourhood_filters(
    *, max_nodes: int, cap: int, note: str = ""
) -> Callable[[Callable[..., Any]], Callable[..., Any]]:
    """--years --min-tier --technology --types --max-nodes --cap, as ``neighbourhood`` takes them.

    ``note`` starts every help text (``export`` says "With --node: "); the defaults differ by
    command because an export may hold far more than a terminal shows.
    """

    def text(what: str) -> str:
        return f"{note}{what}" if note else what[0].upper() + what[1:]

    options = [
        click.option("--years", metavar="A-B", help=text("only papers from these years.")),
        click.option("--min-tier", help=text("only institutions at or above this tier.")),
        click.option(
            "--technology", metavar="QUERY", help=text("only papers concerning this technology.")
        ),
        click.option(
            "--types", metavar="T1,T2", help=text("relationship types to follow (default: all).")
        ),
        click.option(
            "--max-nodes",
            type=click.IntRange(1),
            default=max_nodes,
            show_default=True,
            help=text("stop adding nodes at this many."),
        ),
        click.option(
            "--cap",
            type=click.IntRange(1),
            default=cap,
            show_default=True,
            help=text("neighbours kept per node, strongest first."),
        ),
    ]

    def decorate(func: Callable[..., Any]) -> Callable[..., Any]:
        for option in reversed(options):
            func = option(func)
        return func

    return decorate


if TYPE_CHECKING:  # newer click types ParamType by its value; older releases are not generic
    _ParamType = click.ParamType[str, Any]
else:
    _ParamType = click.ParamType


class CountryType(_ParamType):
    """A country option's value: an ISO 3166-1 alpha-2 code or an English name, as its code.

    "Belgium", "be" and "BE" all give "BE"; what graph/countries.py cannot map is a usage
    error naming the closest countries.
    """

    name = "country"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> str:
        try:
            return country_code(str(value))
        except UnknownCountry as exc:
            self.fail(str(exc), param, ctx)


COUNTRY = CountryType()
COUNTRY_HELP = "ISO 3166-1 code or English name"


def country_and_partner(func: Callable[..., Any]) -> Callable[..., Any]:
    """--country (alias --home, default BE) and --partner (default CN), as ``indicators`` and
    ``report`` take them."""
    for flags, default, what in (
        (("--partner",), "CN", "Partner"),
        (("--country", "--home", "country"), "BE", "Home"),
    ):
        func = click.option(
            *flags,
            type=COUNTRY,
            default=default,
            show_default=True,
            metavar="COUNTRY",
            help=f"{what} country ({COUNTRY_HELP}).",
        )(func)
    return func
