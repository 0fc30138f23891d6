"""Cypher literals: writing values as safely escaped Cypher text, and reading them back.

Strings are single-quoted; backslash, quote and every control character are escaped
(``\\n``, ``\\u0007`` ...), so a literal never spans lines and no value can end the string early.
Map keys are property names from the schema (plain identifiers). Reading accepts exactly
this subset: strings, integers, floats, booleans, null, lists and maps.
"""

from __future__ import annotations

import math
import re
from typing import Any

from collabgraph.graph.errors import SchemaError

_IDENT = re.compile(r"[A-Za-z_][A-Za-z0-9_]*")
_NUMBER = re.compile(r"-?\d+(\.\d+)?([eE][-+]?\d+)?")
_ESCAPES = {"\\": "\\\\", "'": "\\'", "\n": "\\n", "\r": "\\r", "\t": "\\t"}
_UNESCAPES = {"\\": "\\", "'": "'", '"': '"', "n": "\n", "r": "\r", "t": "\t", "b": "\b"}
_UNESCAPES["f"] = "\f"


_SPECIAL = re.compile(r"[\\'\x00-\x1f\x7f\u0085\u2028\u2029]")


def _escape(match: re.Match[str]) -> str:
    ch = match.group()
    return _ESCAPES.get(ch) or f"\\u{ord(ch):04x}"


def _string(text: str) -> str:
    return "'" + _SPECIAL.sub(_escape, text) + "'"


def literal(value: Any) -> str:
    """``value`` as Cypher literal text."""
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        if not math.isfinite(value):
            raise SchemaError(f"cannot write the non-finite number {value!r} as Cypher")
        # Cypher's exponent takes no '+'; repr is the shortest text that reads back exactly.
        return repr(value).replace("e+", "e")
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(literal(v) for v in value) + "]"
    if isinstance(value, dict):
        parts = []
        for key, item in value.items():
            if not _IDENT.fullmatch(str(key)):
                raise SchemaError(f"map key {key!r} is not a plain identifier")
            parts.append(f"{key}: {literal(item)}")
        return "{" + ", ".join(parts) + "}"
    raise SchemaError(f"cannot write a {type(value).__name__} as Cypher")


# A snapshot row nests three deep ([{p: {years: [..]}}]); the limit keeps a hostile script
# ("[[[[..." thousands deep) a clear error instead of a RecursionError.
MAX_DEPTH = 32


class _Parser:
    def __init__(self, text: str, where: str) -> None:
        self.text, self.pos, self.where = text, 0, where
        self.depth = 0

    def fail(self, what: str) -> SchemaError:
        return SchemaError(f"{self.where}: {what} at character {self.pos}")

    def skip(self) -> None:
        while self.pos < len(self.text) and self.text[self.pos] in " \t":
            self.pos += 1

    def expect(self, ch: str) -> None:
        self.skip()
        if not self.text.startswith(ch, self.pos):
            raise self.fail(f"expected {ch!r}")
        self.pos += len(ch)

    def value(self) -> Any:
        self.skip()
        if self.pos >= len(self.text):
            raise self.fail("unexpected end")
        ch = self.text[self.pos]
        if ch == "'":
            return self.string()
        if ch == "[":
            return self.sequence("[", "]", self.value)
        if ch == "{":
            return dict(self.sequence("{", "}", self.entry))
        number = _NUMBER.match(self.text, self.pos)
        if number:
            is_float = number.group(1) or number.group(2)
            try:
                parsed: Any = float(number.group()) if is_float else int(number.group())
            except ValueError:  # more digits than Python converts (sys.get_int_max_str_digits)
                raise self.fail(f"number {number.group()[:20]}... is too long") from None
            self.pos = number.end()
            return parsed
        word = _IDENT.match(self.text, self.pos)
        if word and word.group().lower() in ("true", "false", "null"):
            self.pos = word.end()
            return {"true": True, "false": False, "null": None}[word.group().lower()]
        raise self.fail("expected a literal")

    def entry(self) -> tuple[str, Any]:
        self.skip()
        key = _IDENT.match(self.text, self.pos)
        if not key:
            raise self.fail("expected a map key")
        self.pos = key.end()
        self.expect(":")
        return key.group(), self.value()

    def sequence(self, open_: str, close: str, item: Any) -> list[Any]:
        self.expect(open_)
        self.depth += 1
        if self.depth > MAX_DEPTH:
            raise self.fail(f"lists and maps nested more than {MAX_DEPTH} deep")
        try:
            return self._items(close, item)
        finally:
            self.depth -= 1

    def _items(self, close: str, item: Any) -> list[Any]:
        items: list[Any] = []
        self.skip()
        if self.text.startswith(close, self.pos):
            self.pos += 1
            return items
        while True:
            items.append(item())
            self.skip()
            if self.text.startswith(close, self.pos):
                self.pos += 1
                return items
            self.expect(",")

    def string(self) -> str:
        self.pos += 1
        out: list[str] = []
        while True:
            if self.pos >= len(self.text):
                raise self.fail("unterminated string")
            ch = self.text[self.pos]
            if ch == "'":
                self.pos += 1
                return "".join(out)
            if ch == "\\":
                code = self.text[self.pos + 1 : self.pos + 2]
                if code in _UNESCAPES:
                    out.append(_UNESCAPES[code])
                    self.pos += 2
                elif code in ("u", "U"):
                    width = 4 if code == "u" else 8
                    digits = self.text[self.pos + 2 : self.pos + 2 + width]
                    try:
                        out.append(chr(int(digits, 16)))
                    except (ValueError, OverflowError):
                        raise self.fail("bad unicode escape") from None
                    self.pos += 2 + width
                else:
                    raise self.fail(f"unknown escape \\{code}")
            else:
                out.append(ch)
                self.pos += 1


def parse_literal(text: str, where: str = "literal") -> tuple[Any, int]:
    """Parse one literal at the start of ``text``; returns the value and where it ended."""
    parser = _Parser(text, where)
    value = parser.value()
    return value, parser.pos
