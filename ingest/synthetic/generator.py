"""Synthetic works in the OpenAlex work schema: deterministic for a seed, streaming.

Nothing is remembered between works. Every author is a pure function of (institution, rank),
so memory stays bounded at any corpus size, and the same seed gives the same works in the same
order. The structure follows what real co-publication data shows:

- team sizes: most papers have 2-8 authors; a Pareto tail (consortium papers) reaches hundreds;
- author productivity: within an institution, authors are drawn by a power law of their rank,
  so a few write many papers and most write one or two;
- institutions: real ROR records for Belgium and China (``institutions.json``), sized by a
  Zipf law, with a fixed share of Chinese partner draws going to institutions on the ASPI
  tracker or the DoD Section 1286 list;
- technology: a fixed share of papers is about an EC critical-technology area;
- years 2000-2025, output growing about 8 % a year.

Every record carries ``"synthetic": true`` and ids outside the ranges the real registries
issue (``W9…``, ``A9…``, ``I9…``, DOIs under the 10.5555 test prefix, ORCIDs 0000-0000-…).
"""

from __future__ import annotations

import math
import random
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

from . import vocabulary as vocab
from .institutions import COUNTRY_NAMES, Institution, WeightedPool, load

_MASK = (1 << 64) - 1


@dataclass(frozen=True)
class Settings:
    """The knobs of the corpus; the defaults are the realistic setting the tests check."""

    first_year: int = 2000
    last_year: int = 2025
    growth: float = 0.08  # yearly growth of output
    tech_share: float = 0.30  # papers about a critical-technology area
    listed_share: float = 0.35  # Chinese institution draws that land on a listed institution
    be_first_share: float = 0.55  # papers whose first author is in Belgium
    same_institution: float = 0.45  # co-author from the first author's institution
    same_country: float = 0.25  # co-author from another institution in the same country
    tail_share: float = 0.05  # papers from the large-team (Pareto) tail
    tail_alpha: float = 1.5
    max_team: int = 500
    authors_per_work: float = 4.0  # size of the author pool relative to the corpus
    productivity_exponent: float = 0.75  # rank power law of author productivity
    orcid_share: float = 0.55
    unresolved_share: float = 0.04  # authorships whose affiliation OpenAlex did not resolve
    second_affiliation_share: float = 0.08


def _mix(*parts: int) -> int:
    """splitmix64 over the parts: a fast, stable hash for per-author attributes."""
    x = 0x9E3779B97F4A7C15
    for part in parts:
        x = (x ^ (part & _MASK)) * 0xBF58476D1CE4E5B9 & _MASK
        x = (x ^ (x >> 27)) * 0x94D049BB133111EB & _MASK
        x ^= x >> 31
    return x


def _orcid(number: int) -> str:
    """A checksummed ORCID in the never-issued 0000-0000-… block (ISO 7064 MOD 11-2)."""
    digits = f"00000000{number % 10**7:07d}"
    total = 0
    for d in digits:
        total = (total + int(d)) * 2
    check = (12 - total % 11) % 11
    body = digits + ("X" if check == 10 else str(check))
    return "https://orcid.org/" + "-".join(body[i : i + 4] for i in range(0, 16, 4))


class CorpusGenerator:
    """Yields OpenAlex-shaped work dicts; see the module docstring for the model."""

    def __init__(self, works: int, seed: int, settings: Settings | None = None) -> None:
        if works < 0:
            raise ValueError("the number of works cannot be negative")
        self.works = works
        self.seed = seed
        self.s = settings or Settings()
        institutions = load()
        self.pools = {
            country: WeightedPool(
                [i for i in institutions if i.country == country],
                self.s.listed_share if country == "CN" else 0.0,
            )
            for country in COUNTRY_NAMES
        }
        # Author pool per institution, proportional to its share of draws.
        total_authors = max(50.0, self.s.authors_per_work * works)
        self.pool_size: dict[int, int] = {}
        for country, pool in self.pools.items():
            country_share = self.s.be_first_share if country == "BE" else 1 - self.s.be_first_share
            for inst, weight in zip(pool.members, pool.weights, strict=True):
                self.pool_size[inst.index] = max(3, round(total_authors * country_share * weight))
        years = range(self.s.first_year, self.s.last_year + 1)
        self.years = list(years)
        self.year_weights = [math.exp(self.s.growth * (y - self.s.first_year)) for y in years]
        self.areas = list(vocab.AREA_WEIGHTS)
        self.area_weights = [vocab.AREA_WEIGHTS[a] for a in self.areas]

    def __iter__(self) -> Iterator[dict[str, Any]]:
        rng = random.Random(self.seed)
        for index in range(self.works):
            yield self.work(index, rng)

    # -- teams -------------------------------------------------------------------------------

    def team_size(self, rng: random.Random) -> int:
        if rng.random() < self.s.tail_share:
            size = int(8 / (1.0 - rng.random()) ** (1 / self.s.tail_alpha))
            return min(max(size, 9), self.s.max_team)
        # The body: a discretised log-normal with median about 4.
        return min(max(1, round(math.exp(rng.gauss(1.35, 0.45)))), 10)

    def author_rank(self, rng: random.Random, pool: int) -> int:
        """Rank in [0, pool): density proportional to rank**-exponent (Lotka-like)."""
        e = 1.0 - self.s.productivity_exponent
        top = (pool + 1) ** e
        return min(int((1 + rng.random() * (top - 1)) ** (1 / e)) - 1, pool - 1)

    def pick_institution(self, rng: random.Random, country: str) -> Institution:
        return self.pools[country].pick(rng.random())

    def team(self, rng: random.Random) -> list[tuple[Institution, int]]:
        size = self.team_size(rng)
        first_country = "BE" if rng.random() < self.s.be_first_share else "CN"
        first = self.pick_institution(rng, first_country)
        members: list[tuple[Institution, int]] = []
        seen: set[tuple[int, int]] = set()
        for slot in range(size):
            if slot == 0:
                inst = first
            else:
                u = rng.random()
                if u < self.s.same_institution:
                    inst = first
                elif u < self.s.same_institution + self.s.same_country:
                    inst = self.pick_institution(rng, first_country)
                else:
                    inst = self.pick_institution(rng, "CN" if first_country == "BE" else "BE")
            pool = self.pool_size[inst.index]
            for _ in range(4):  # a repeated author on one paper is redrawn, a few times at most
                rank = self.author_rank(rng, pool)
                if (inst.index, rank) not in seen:
                    seen.add((inst.index, rank))
                    members.append((inst, rank))
                    break
        return members

    # -- people and places -----------------------------------------------------------------

    def author(self, inst: Institution, rank: int) -> dict[str, Any]:
        h = _mix(self.seed, inst.index, rank)
        chinese = inst.country == "CN" or h % 100 < 15
        given = vocab.GIVEN_CN if chinese else vocab.GIVEN_BE
        family = vocab.FAMILY_CN if chinese else vocab.FAMILY_BE
        name = f"{given[(h >> 8) % len(given)]} {family[(h >> 16) % len(family)]}"
        orcid = _orcid(_mix(h, 1)) if (h >> 24) % 1000 < self.s.orcid_share * 1000 else None
        return {
            "id": f"https://openalex.org/A9{inst.index:03d}{rank:07d}",
            "display_name": name,
            "orcid": orcid,
        }

    @staticmethod
    def institution_record(inst: Institution) -> dict[str, Any]:
        return {
            "id": inst.openalex_id,
            "display_name": inst.name,
            "ror": f"https://ror.org/{inst.ror}",
            "country_code": inst.country,
            "type": inst.type,
            "lineage": [inst.openalex_id],
        }

    @staticmethod
    def raw_affiliation(inst: Institution, rng: random.Random) -> str:
        """How authors actually write it: department, name or acronym, city, country."""
        country = COUNTRY_NAMES[inst.country]
        style = rng.random()
        name = inst.name
        if style < 0.15 and inst.aliases:
            name = rng.choice(inst.aliases)
        elif style < 0.25 and inst.acronyms:
            name = inst.acronyms[0]
        if style > 0.97 and inst.name_zh:
            return inst.name_zh
        dept = rng.choice(vocab.DEPARTMENTS)
        if style > 0.6:
            return f"{dept}, {name}, {inst.city}, {country}"
        return f"{name}, {inst.city} {country}" if style > 0.3 else f"{dept}, {name}"

    # -- the work --------------------------------------------------------------------------

    def work(self, index: int, rng: random.Random) -> dict[str, Any]:
        """Work number ``index``; ``rng`` must be the corpus stream, used in order."""
        year = rng.choices(self.years, self.year_weights)[0]
        area = (
            rng.choices(self.areas, self.area_weights)[0] if rng.random() < self.s.tech_share else 0
        )
        title, abstract, topic, phrases = self.text(rng, area)
        members = self.team(rng)
        authorships = []
        for position, (inst, rank) in enumerate(members):
            insts = [inst]
            if rng.random() < self.s.second_affiliation_share:
                other = self.pick_institution(rng, inst.country)
                if other.index != inst.index:
                    insts.append(other)
            raws = [self.raw_affiliation(i, rng) for i in insts]
            resolved = [] if rng.random() < self.s.unresolved_share else insts
            author = self.author(inst, rank)
            authorships.append(
                {
                    "author_position": "first"
                    if position == 0
                    else ("last" if position == len(members) - 1 else "middle"),
                    "author": author,
                    "institutions": [self.institution_record(i) for i in resolved],
                    "countries": sorted({i.country for i in resolved}),
                    "is_corresponding": position == 0,
                    "raw_author_name": author["display_name"],
                    "raw_affiliation_strings": raws,
                    "affiliations": [
                        {
                            "raw_affiliation_string": raw,
                            "institution_ids": [i.openalex_id] if i in resolved else [],
                        }
                        for raw, i in zip(raws, insts, strict=True)
                    ],
                }
            )
        distinct = {i["id"] for a in authorships for i in a["institutions"]}
        countries = {c for a in authorships for c in a["countries"]}
        work_id = f"https://openalex.org/W9{index:09d}"
        doi = f"https://doi.org/10.5555/synthetic.{self.seed}.{index}"
        month, day = 1 + rng.randrange(12), 1 + rng.randrange(28)
        return {
            "id": work_id,
            "doi": doi,
            "title": title,
            "display_name": title,
            "publication_year": year,
            "publication_date": f"{year}-{month:02d}-{day:02d}",
            "ids": {"openalex": work_id, "doi": doi},
            "language": "en",
            "type": "article",
            "authorships": authorships,
            "institutions_distinct_count": len(distinct),
            "countries_distinct_count": len(countries),
            "primary_topic": topic,
            "topics": [topic],
            "keywords": [
                {
                    "id": "https://openalex.org/keywords/" + p.lower().replace(" ", "-"),
                    "display_name": p,
                    "score": round(0.9 - 0.2 * k, 2),
                }
                for k, p in enumerate(phrases)
            ],
            "concepts": [
                {
                    "id": topic["id"].replace("/T9", "/C9"),
                    "wikidata": None,
                    "display_name": topic["display_name"],
                    "level": 1,
                    "score": 0.8,
                }
            ],
            "cited_by_count": int(rng.paretovariate(1.3)) - 1,
            "abstract_inverted_index": _inverted_index(abstract),
            "synthetic": True,
        }

    def text(self, rng: random.Random, area: int) -> tuple[str, str, dict[str, Any], list[str]]:
        """Title, abstract, primary topic and keyword phrases for a paper in ``area`` (0: none)."""
        if area:
            field, phrases = vocab.TECH_AREAS[area]
            topic_number = area
        else:
            number = rng.randrange(len(vocab.GENERAL_FIELDS))
            field, phrases = vocab.GENERAL_FIELDS[number]
            topic_number = 100 + number
        a, b = rng.sample(phrases, 2)
        pattern = rng.choice(vocab.TITLE_PATTERNS)
        title = pattern.format(
            a=a, b=rng.choice((b, rng.choice(vocab.CONTEXTS))), c=rng.choice(vocab.METHODS)
        )
        title = title[0].upper() + title[1:]
        words = [rng.choice(vocab.ABSTRACT_FILLER) for _ in range(40 + rng.randrange(60))]
        for phrase in (a, b):
            words.insert(rng.randrange(len(words) + 1), phrase)
        abstract = " ".join(words) + "."
        topic = {
            "id": f"https://openalex.org/T9{topic_number:04d}",
            "display_name": field,
            "score": 0.95,
            "subfield": {
                "id": f"https://openalex.org/subfields/9{topic_number:03d}",
                "display_name": field,
            },
            "field": {
                "id": f"https://openalex.org/fields/9{topic_number:02d}",
                "display_name": field,
            },
            "domain": {"id": "https://openalex.org/domains/9", "display_name": "Synthetic"},
        }
        return title, abstract, topic, [a, b]


def _inverted_index(text: str) -> dict[str, list[int]]:
    """OpenAlex's abstract form: each whitespace token with the positions it occurs at."""
    index: dict[str, list[int]] = {}
    for position, token in enumerate(text.split()):
        index.setdefault(token, []).append(position)
    return index
