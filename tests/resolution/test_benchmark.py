"""The benchmark's scoring follows ROR's rule and selects the same BE/CN rows as SOURCE.md."""

from __future__ import annotations

from benchmarks.resolution import (
    SETS,
    GoldRow,
    countries,
    gold_rows,
    outcome_of,
    score,
    split_of,
)

from ..conftest import shared_file

URL = "https://ror.org/"


def test_ror_scoring_rule() -> None:
    rows = [
        GoldRow(0, "a", URL + "01yqg2h08", "train"),  # right: TP
        GoldRow(1, "b", URL + "01yqg2h08", "train"),  # wrong id: FP only
        GoldRow(2, "c", URL + "01yqg2h08", "dev"),  # abstained: FN
        GoldRow(3, "d", "NP", "dev"),  # abstained on NP: TN
        GoldRow(4, "e", "NP", "dev"),  # predicted on NP: FP
        GoldRow(5, "f", f"{URL}01rxvg760; {URL}01scyh794", "dev"),  # either id: TP
    ]
    predictions = {
        0: URL + "01yqg2h08",
        1: URL + "01rxvg760",
        4: URL + "01rxvg760",
        5: URL + "01scyh794",
    }
    results = {r.split: r for r in score("X", "s", rows, predictions)}
    full = results["all"]
    assert (full.tp, full.fp, full.fn, full.tn) == (2, 2, 1, 1), full
    assert full.precision == 0.5 and full.recall == 2 / 3
    assert (results["train"].tp, results["train"].fp) == (1, 1)
    assert results["dev"].rows == 4
    labels = [outcome_of(predictions.get(r.position, ""), r.gold) for r in rows]
    assert labels == ["TP", "FP", "FN", "TN", "FP", "TP"], labels


def test_be_cn_rows_match_the_source_notes() -> None:
    data = shared_file("ror").parent
    country_of = countries(data)
    crossref = gold_rows(data, SETS["Crossref"][0], country_of)
    logs = gold_rows(data, SETS["Logs"][0], country_of)
    assert (len(crossref), len(logs)) == (405, 71)  # peer-results/SOURCE.md, Table 2
    assert {r.split for r in crossref} == {"train", "dev"}
    assert all(split_of(r.affiliation) == r.split for r in crossref)
