"""Flat CSV tables for people (Excel, LibreOffice): ``nodes.csv`` and ``relationships.csv``.

One row per node (``id, label`` then every node property) and per relationship
(``type, start, end`` then every relationship property); lists are joined with ``"; "``.
Files are UTF-8 with a byte-order mark so Excel detects the encoding.

Formula injection: a cell whose text starts with ``=``, ``+``, ``-``, ``@``, a tab or a carriage
return could be run as a formula by a spreadsheet, so such a cell is written with a leading
apostrophe (``'=cmd|...``), which spreadsheets show as text. The tables are for reading; they
are not an import format (use the neo4j-admin CSV for that).
"""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

from .source import Source, Tracker
from .values import encode_scalar, merged_specs

FORMULA_STARTS = ("=", "+", "-", "@", "\t", "\r")


def neutralise(text: str) -> str:
    """``text``, prefixed with ``'`` when a spreadsheet could read it as a formula."""
    return "'" + text if text.startswith(FORMULA_STARTS) else text


def _cell(value: Any, scalar: str, is_list: bool) -> str:
    if value is None:
        return ""
    if is_list:
        return neutralise("; ".join(encode_scalar(v, scalar) for v in value))
    return neutralise(encode_scalar(value, scalar))


def write(directory: Path, source: Source, tracker: Tracker) -> list[Path]:
    """Write ``nodes.csv`` and ``relationships.csv`` into ``directory``."""
    node_specs, edge_specs = merged_specs("node"), merged_specs("edge")
    nodes_path, rels_path = directory / "nodes.csv", directory / "relationships.csv"
    with nodes_path.open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["id", "label", *node_specs])
        for node in tracker.track_nodes(source.nodes()):
            row = [neutralise(node.id), node.label]
            row += [_cell(node.props.get(n), s.scalar, s.is_list) for n, s in node_specs.items()]
            out.writerow(row)
    with rels_path.open("w", encoding="utf-8-sig", newline="") as fh:
        out = csv.writer(fh)
        out.writerow(["type", "start", "end", *edge_specs])
        for rel in tracker.track_relationships(source.relationships()):
            row = [rel.type, neutralise(rel.start), neutralise(rel.end)]
            row += [_cell(rel.props.get(n), s.scalar, s.is_list) for n, s in edge_specs.items()]
            out.writerow(row)
    return [nodes_path, rels_path]
