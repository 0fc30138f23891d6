"""Options that more than one command declares, declared once."""

from __future__ import annotations

from collections.abc import Callable
from typing import TYPE_CHECKING, Any

import click

from collabgraph.graph.countries import UnknownCountry, country_code
from collabgraph.queries.sides import Side, UnknownSide, country_side, parse_side

from .context import AppContext


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
    _SideParamType = click.ParamType[Side, Any]
else:
    _ParamType = _SideParamType = click.ParamType


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


SIDE_HELP = (
    "a country (ISO 3166-1 code or English name) or an institution (id, ROR URL or name), "
    "with every unit PART_OF it at any depth"
)


class SideType(_SideParamType):
    """A side option's value (queries/sides.py): a country, else an institution of the store.

    Read against the command's store, so an unknown value is a usage error naming the option.
    """

    name = "side"

    def convert(self, value: Any, param: click.Parameter | None, ctx: click.Context | None) -> Side:
        if isinstance(value, Side):
            return value
        app = ctx.find_object(AppContext) if ctx is not None else None
        if app is None:  # no store to look institutions up in: countries only
            try:
                return country_side(str(value))
            except UnknownCountry as exc:
                self.fail(str(exc), param, ctx)
        try:
            return parse_side(app.store, str(value))
        except UnknownSide as exc:
            self.fail(str(exc), param, ctx)


SIDE = SideType()


def _home_and_partner(
    func: Callable[..., Any], kind: CountryType | SideType, metavar: str, what: str
) -> Callable[..., Any]:
    """--home (alias --country, default BE) and --partner (default CN) of one kind."""
    for flags, default, side in (
        (("--partner",), "CN", "Partner"),
        (("--home", "--country"), "BE", "Home"),
    ):
        func = click.option(
            *flags,
            flags[0].lstrip("-"),
            type=kind,
            default=default,
            show_default=True,
            metavar=metavar,
            help=f"{side} {what}.",
        )(func)
    return func


def home_and_partner(func: Callable[..., Any]) -> Callable[..., Any]:
    """--home and --partner as sides, as ``indicators``, ``report`` and ``timeline`` take them."""
    return _home_and_partner(func, SIDE, "COUNTRY|INSTITUTION", f"side: {SIDE_HELP}")


def home_and_partner_countries(func: Callable[..., Any]) -> Callable[..., Any]:
    """--home and --partner as countries only (``review changes``)."""
    return _home_and_partner(func, COUNTRY, "COUNTRY", f"country ({COUNTRY_HELP})")
