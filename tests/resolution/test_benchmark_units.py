"""Unit recall in the resolution benchmark: which rows name a unit, and how they are counted."""

from __future__ import annotations

from benchmarks.resolution import GoldRow, expected_units, score
from benchmarks.resolution_units import NamedUnits
from benchmarks.resolution_unseen import FalsePositiveKinds
from collabgraph.ingest.ror import RorRecord

URL = "https://ror.org/"
CAS, KIB, IOB, IBP, SKL = "034t30j35", "02e5hx313", "01g4p5v51", "04h1y1z30", "00skl0001"


def record(ror_id: str, name: str, *parents: str, acronyms: tuple[str, ...] = ()) -> RorRecord:
    return RorRecord(
        ror_id, name, (), (), acronyms, "CN", None, ("facility",), "active", parents, (), None,
        None,
    )  # fmt: skip


UNITS = NamedUnits(
    FalsePositiveKinds(
        [
            record(CAS, "Chinese Academy of Sciences", acronyms=("CAS",)),
            record(KIB, "Kunming Institute of Botany", CAS, acronyms=("KIB",)),
            record(IOB, "Institute of Botany", CAS),
            record(IBP, "Institute of Biophysics", CAS),
            record(SKL, "State Key Laboratory of Brain and Cognitive Science", IBP),
        ]
    )
)


def test_a_row_names_the_deepest_unit_at_or_below_its_gold_record() -> None:
    text = "Kunming Institute of Botany, Chinese Academy of Sciences"
    assert UNITS.deepest_named(text, [CAS]) == {KIB}  # not the Beijing "Institute of Botany"
    assert UNITS.deepest_named(text, [KIB]) == {KIB}  # the publisher asserted the unit
    text = "State Key Laboratory for Brain & Cognitive Sciences, Institute of Biophysics, CAS"
    assert UNITS.deepest_named(text, [CAS]) == {SKL}  # little words and plurals aside
    assert UNITS.deepest_named("Chinese Academy of Sciences", [CAS]) == set()  # no parent
    assert UNITS.deepest_named("KIB, CAS", [CAS]) == set()  # acronyms do not name a unit
    assert UNITS.deepest_named(text, []) == set()  # NP rows name no unit


def test_units_in_different_branches_are_counted_apart() -> None:
    text = "Institute of Botany and Institute of Biophysics, Chinese Academy of Sciences"
    rows = [
        GoldRow(0, text, URL + CAS, "x"),
        GoldRow(1, "Kunming Institute of Botany, Chinese Academy of Sciences", URL + CAS, "x"),
        GoldRow(2, "Institute of Biophysics, Chinese Academy of Sciences", URL + CAS, "x"),
    ]
    expected = expected_units(rows, UNITS)
    assert expected[0] == {IOB, IBP}
    predictions = {0: URL + CAS, 1: URL + KIB, 2: URL + CAS}
    _split, total = score("X", "s", rows, predictions, ("x",), "all", UNITS.kinds, expected)
    assert (total.unit_rows, total.unit_hits, total.branching) == (2, 1, 1)
    assert total.unit_recall == 0.5
    assert (total.tp, total.fp, total.levels) == (2, 1, 1)  # KIB against CAS: another level
    assert total.level_precision == 1.0
