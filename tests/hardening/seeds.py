"""Small valid inputs for every parser, written by hand after each format; fuzzers mutate them."""

from __future__ import annotations

from typing import Any


def openalex_works() -> list[dict[str, Any]]:
    def work(n: int, year: int, authors: list[tuple[str, str, str | None]]) -> dict[str, Any]:
        return {
            "id": f"https://openalex.org/W10{n}",
            "doi": f"https://doi.org/10.1234/x{n}",
            "title": f"Swarm control of drones, part {n}",
            "publication_year": year,
            "topics": [{"display_name": "Robotics"}],
            "authorships": [
                {
                    "author_position": "first" if i == 0 else "last",
                    "author": {
                        "id": f"https://openalex.org/{aid}",
                        "display_name": name,
                        "orcid": None,
                    },
                    "raw_author_name": name,
                    "raw_affiliation_strings": ["Ghent University, Belgium"],
                    "institutions": [
                        {
                            "id": "https://openalex.org/I32597200",
                            "ror": ror,
                            "display_name": "Ghent University",
                            "country_code": "BE",
                            "type": "education",
                        }
                    ]
                    if ror
                    else [],
                }
                for i, (aid, name, ror) in enumerate(authors)
            ],
        }

    return [
        work(
            1,
            2021,
            [("A501", "Ann Peeters", "https://ror.org/00cv9y106"), ("A502", "Li Wei", None)],
        ),
        work(2, 2019, [("A502", "Li Wei", None)]),
        work(3, 2023, [("A503", "Marie Dubois", "https://ror.org/00cv9y106")]),
    ]


TABLE_MAPPING: dict[str, Any] = {
    "dataset": "fuzz-table",
    "version": "2025-09-21",
    "columns": {
        "paper_id": "paper_id",
        "doi": "doi",
        "title": "title",
        "year": "publication_year",
        "institutions": "institutions",
        "authors": "authors_by_country",
    },
}


def table_rows() -> list[dict[str, Any]]:
    return [
        {
            "paper_id": f"https://openalex.org/W20{n}",
            "doi": None,
            "title": f"Joint work {n}",
            "publication_year": 2015 + n,
            "institutions": {"BE": ["Ghent University"], "CN": ["Harbin Institute of Technology"]},
            "authors_by_country": {
                "BE": [f"Peeters A{n} (Ghent University)"],
                "CN": [f"Wang X{n} (Harbin Institute of Technology)"],
            },
        }
        for n in range(3)
    ]


def ror_records() -> list[dict[str, Any]]:
    def rec(ror: str, name: str, parent: str | None) -> dict[str, Any]:
        return {
            "id": f"https://ror.org/{ror}",
            "name": name,
            "aliases": [],
            "acronyms": ["HIT"] if parent is None else [],
            "labels": [{"label": "哈尔滨工业大学", "iso639": "zh"}],
            "types": ["Education"],
            "status": "active",
            "established": 1920,
            "country": {"country_name": "China", "country_code": "CN"},
            "relationships": [{"label": "p", "type": "Parent", "id": f"https://ror.org/{parent}"}]
            if parent
            else [],
            "external_ids": {},
            "links": [],
        }

    return [
        rec("01yqg2h08", "Harbin Institute of Technology", None),
        rec("02abcd123", "State Key Lab of Robotics", "01yqg2h08"),
    ]


def aspi_galaxy() -> dict[str, Any]:
    return {
        "name": "China Defence Universities Tracker",
        "type": "china-defence-universities",
        "uuid": "d985d2eb-d6ad-4b44-9c69-44eb90095e23",
        "values": [
            {
                "value": "Harbin Institute of Technology (哈尔滨工业大学)",
                "uuid": "0a1e",
                "meta": {
                    "aliases": ["HIT", "哈工大"],
                    "categories": ["Seven sons of national defence"],
                    "supervising agencies": ["Ministry of Industry and Information Technology"],
                    "major defence laboratories": [
                        "State Key Lab of Robotics (机器人国家重点实验室)"
                    ],
                    "refs": ["https://unitracker.aspi.org.au/universities/harbin"],
                    "risk": "Very high",
                },
            },
            {
                "value": "Beihang University (北京航空航天大学)",
                "uuid": "0b2f",
                "meta": {"aliases": ["BUAA"], "categories": ["Seven sons of national defence"]},
            },
        ],
    }


DOD_HEADER = [
    "schema", "name", "aliases", "topics", "program", "authority", "reason", "report-date",
    "start-date", "end-date", "country", "notes", "source_url",
]  # fmt: skip


def dod_rows() -> list[dict[str, str]]:
    base = {h: "" for h in DOD_HEADER}
    return [
        {**base, "schema": "Company", "name": "Harbin Institute of Technology", "aliases": "HIT",
         "report-date": "2022", "country": "China", "source_url": "https://example.org/1286.pdf"},
        {**base, "schema": "Company", "name": "Beihang University", "report-date": "2023"},
    ]  # fmt: skip


CSV_LIST_HEADER = ["name", "aliases", "country", "tier", "category", "as_of", "source_url"]


def csv_list_rows() -> list[dict[str, str]]:
    return [
        {"name": "Harbin Institute of Technology", "aliases": "HIT;哈工大", "country": "CN",
         "tier": "very high", "category": "defence", "as_of": "2024-01-01", "source_url": ""},
        {"name": "Beihang University", "aliases": "", "country": "cn", "tier": "",
         "category": "", "as_of": "", "source_url": "https://example.org"},
    ]  # fmt: skip


def technology_areas() -> dict[str, Any]:
    return {
        "title": "Annex I",
        "areas": [
            {
                "id": 1,
                "name": "Advanced semiconductor technologies",
                "highest_risk": True,
                "sub_technologies": [{"name": "Microelectronics", "verification": "verified"}],
            },
            {"id": 3, "name": "Quantum technologies", "highest_risk": True, "sub_technologies": []},
        ],
    }


VOCABULARY_TOML = """\
version = "fuzz-1"
[scoring]
threshold = 0.5
weights = { title = 0.8, keywords = 0.7, topics = 0.6, abstract = 0.3 }
[tech."1.1"]
terms = ["microelectronic*", "semiconductor device*"]
[tech."3"]
terms = ["quantum comput*", "qubit*"]
"""
