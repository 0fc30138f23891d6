"""The resolver on real strings (ROR gold sets, the issue's hard cases) and real ROR records.

Most tests use the 2,579 BE/CN records (a one-second index); the few that need records from
other countries (ambiguity across countries) build the 51k union once for the module.
"""

from __future__ import annotations

from itertools import chain

import pytest

from collabgraph.ingest.resolution import Resolver
from collabgraph.ingest.ror import iter_ror

from ..conftest import shared_file

HIT, NJU, NUAA, BEIHANG = "01yqg2h08", "01rxvg760", "01scyh794", "00wk2mp56"
CAS, XJTU, ULB = "034t30j35", "017zhmm22", "01r9htc13"


@pytest.fixture(scope="module")
def be_cn() -> Resolver:
    files = ("ror/ror_be_cn_v1.jsonl", "ror/ror_be_cn_v2.jsonl")
    return Resolver.from_ror(chain.from_iterable(iter_ror(shared_file(f)) for f in files))


@pytest.fixture(scope="module")
def world() -> Resolver:
    return Resolver.from_ror(iter_ror(shared_file("ror/ror_records_union.jsonl.gz")))


def ror_of(resolver: Resolver, text: str, country: str | None = None) -> str | None:
    match = resolver.resolve(text, country=country)
    return match.ror_id if match else None


def test_web_of_science_abbreviations_address_and_roll_up(be_cn: Resolver) -> None:
    text = "Sch. of Astronautics, Harbin Inst. Technol., Harbin 150001, Peoples R China"
    match = be_cn.resolve(text)
    assert match is not None and match.ror_id == HIT, match
    assert match.method == "normalised" and match.score >= be_cn.threshold
    assert "country cue CN" in match.explanation, match.explanation
    assert "rolled up from 'Sch. of Astronautics'" in match.explanation, match.explanation
    wos = "Nanjing Univ Aeronaut & Astronaut, Coll Astronaut, Nanjing 210016, Peoples R China"
    assert ror_of(be_cn, wos) == NUAA


def test_nanjing_university_is_not_nuaa(be_cn: Resolver) -> None:
    assert ror_of(be_cn, "Nanjing University") == NJU
    assert ror_of(be_cn, "Nanjing University of Aeronautics and Astronautics") == NUAA
    # A misspelt NUAA must never fall back to the shorter name inside it.
    assert ror_of(be_cn, "Nanjing University of Aeronautic and Astronautics") in (NUAA, None)
    assert ror_of(be_cn, "College of Astronautics, Nanjing University of Aeronautics") != NJU
    assert ror_of(be_cn, "南京大学") == NJU
    assert ror_of(be_cn, "南京航空航天大学") == NUAA


@pytest.mark.parametrize(
    ("acronym", "ror_id"),
    [
        ("HIT", HIT),
        ("BUAA", BEIHANG),
        ("BIT", "01skt4w74"),
        ("HEU", "03x80pn82"),
        ("NUAA", NUAA),
        ("NJUST", "00xp9wg62"),
        ("NWPU", "01y0j0j86"),
        ("NUDT", "05d2yfz11"),
        ("CAS", CAS),
        ("UCAS", "05qbk4x57"),
    ],
)
def test_acronyms(be_cn: Resolver, acronym: str, ror_id: str) -> None:
    match = be_cn.resolve(acronym, country="CN")
    assert match is not None and match.ror_id == ror_id, match
    assert match.method == "acronym" and acronym in match.explanation


def test_acronym_of_several_records_without_table_entry_is_not_guessed(world: Resolver) -> None:
    assert world.resolve("NU") is None  # Nanjing University's acronym, shared with others


def test_chinese_names(be_cn: Resolver) -> None:
    match = be_cn.resolve("哈尔滨工业大学")
    assert match is not None and match.ror_id == HIT and match.score == 1.0
    inside = be_cn.resolve("哈尔滨工业大学航天学院")
    assert inside is not None and inside.ror_id == HIT and "inside" in inside.explanation


def test_former_names_and_aliases(be_cn: Resolver) -> None:
    match = be_cn.resolve("Beijing University of Aeronautics and Astronautics")
    assert match is not None and match.ror_id == BEIHANG and match.method == "alias"
    assert match.name == "Beihang University"


def test_misspellings_from_real_lists(be_cn: Resolver) -> None:
    match = be_cn.resolve("Xi'an Jiatong University")
    assert match is not None and match.ror_id == XJTU and match.method == "fuzzy", match
    assert "similarity" in match.explanation
    assert ror_of(be_cn, "Xian jiaotong university School") == XJTU  # ROR logs string
    assert ror_of(be_cn, "University of Shanghai for Science andTechnology") == "00ay9v204"


def test_country_cues(be_cn: Resolver) -> None:
    for text in (
        "Université libre de Bruxelles, Belgique",
        "Universite Libre de Bruxelles, Brussels, België",
        "Université libre de Bruxelles ULB",  # ROR logs string
    ):
        assert ror_of(be_cn, text) == ULB, text
    match = be_cn.resolve("Université libre de Bruxelles, Belgium")
    assert match is not None and "country cue BE" in match.explanation


def test_country_cue_separates_namesakes(world: Resolver) -> None:
    assert world.resolve("Jinan University") is None  # one in China, one in Lebanon
    assert ror_of(world, "Jinan University", "CN") == "02xe5ns62"
    assert ror_of(world, "Jinan University, Guangzhou, P.R. China") == "02xe5ns62"


def test_departments_and_labs_roll_up_to_the_institution(be_cn: Resolver) -> None:
    gold = {  # Crossref publisher assertions (a lab with a record of its own: test_units.py)
        "Department of Biology, KU Leuven": "05f950310",
        "Department of Basic Medical Sciences, School of Medicine, Tsinghua University 1 , "
        "Beijing, China": "03cve4549",
    }
    for text, ror_id in gold.items():
        assert ror_of(be_cn, text) == ror_id, text


def test_names_inside_longer_parts(be_cn: Resolver) -> None:
    text = (
        "Zhuhai Institute of Advanced Technology Chinese Academy of Sciences,Zhuhai,"
        "Guangdong Province 519080,China"
    )
    assert ror_of(be_cn, text) == CAS


def test_multi_institution_strings_are_split(be_cn: Resolver) -> None:
    text = "Sichuan Energy Internet Research Institute Tsinghua University;Qinghai University"
    found = {m.ror_id for m in be_cn.resolve_affiliation(text)}
    assert {"03cve4549", "05h33bt13"} <= found, found


def test_no_match_below_threshold(be_cn: Resolver) -> None:
    for text in ("Department of Physics", "Acme Widgets Ltd, Springfield", "", "China"):
        assert be_cn.resolve(text) is None, text
    assert be_cn.resolve_affiliation("School of Medicine, Beijing, China") == []


def test_ror_id_in_text_wins(be_cn: Resolver) -> None:
    match = be_cn.resolve("Harbin, https://ror.org/01scyh794")
    assert match is not None and match.ror_id == NUAA and match.method == "ror_id"


def test_extra_entities(be_cn: Resolver) -> None:
    resolver = Resolver.from_ror([])
    resolver.add_entity(
        "cg:watch:1", ["Shenyang Aircraft Design Institute", "601 Institute"], country="CN"
    )
    match = resolver.resolve("Shenyang Aircraft Design Institute, Shenyang, China")
    assert match is not None and match.node_id == "cg:watch:1" and match.ror_id is None
    assert resolver.resolve("Shenyang Aircraft Corporation") is None


def test_each_institution_gets_its_own_country_cue(be_cn: Resolver) -> None:
    text = (
        "Department of Physics, Tsinghua University, Beijing 100084, China; "
        "Department of Physics, KU Leuven, Leuven, Belgium"
    )
    found = be_cn.resolve_affiliation(text)
    assert [m.ror_id for m in found] == ["03cve4549", "05f950310"], found
    assert "country cue CN" in found[0].explanation, found[0].explanation
    assert "country cue BE" in found[1].explanation, found[1].explanation
    assert all(m.score >= 0.98 for m in found), found


def test_a_cleanly_placed_name_beats_a_longer_glued_one(world: Resolver) -> None:
    # "University of Health Sciences" (Somalia, Turkey, Cambodia) also sits inside this string.
    text = (
        "Department of Microbiology, School of Basic Medical Sciences, "
        "Peking University Health Science Center"
    )
    assert ror_of(world, text) == "02v51f717"


def test_section_1286_list_names_are_not_mistaken_for_shorter_ones(world: Resolver) -> None:
    # Real names from the US DoD Section 1286 list: each contains another record's name.
    assert world.resolve("Chinese Academy of Engineering Physics") is None  # not CAE
    assert world.resolve("Beijing Computational Science Research Center") is None
    assert world.resolve("Kuznetsov Naval Academy") is None
    match = world.resolve(
        "Defense S&T Key Laboratory of Lightweight, High-strength Structural Materials at "
        "Central South University"
    )
    assert match is not None and match.name == "Central South University", match


def test_names_followed_by_their_acronym_or_a_unit(world: Resolver) -> None:
    assert ror_of(world, "Université libre de Bruxelles ULB") == ULB  # ROR logs string
    assert ror_of(world, "Shenzhen Res Inst Nankai Univ") == "01y1kjr75"  # ROR logs string
    assert ror_of(world, "Peking University Health Science Center") == "02v51f717"


def test_a_tie_is_settled_by_a_related_record_named_in_the_text(world: Resolver) -> None:
    # Four records are called "Institute of Physics" (CN, GB, HR, NL); alone it names none of
    # them, and not the Slovak institute that has it as an alias either.
    assert world.resolve("Institute of Physics") is None
    text = "Laboratory of Soft Matter Physics, Institute of Physics, Chinese Academy of Sciences"
    found = {m.ror_id for m in world.resolve_affiliation(text)}  # Crossref, train half
    assert found == {"05cvf7v30", CAS}, found  # the CAS institute, not a namesake abroad
    # Both parts tied (NCI: US, LT, AR; NIH: US, MY); each settles the other. The US NCI is
    # a unit of NIH with a record of its own, so it is credited (Crossref gold: NIH, the
    # parent, which stays in the chain above it).
    match = world.resolve("National Cancer Institute, National Institutes of Health")
    assert match is not None and match.ror_id == "040gcmg81", match
    assert match.ror_ancestors[0] == "01cwqze88", match.ror_ancestors
    assert "settled by a related record" in match.explanation, match.explanation
    assert "'National Institutes of Health'" in match.explanation, match.explanation


def test_units_in_different_branches_credit_the_institution_and_are_explained(
    be_cn: Resolver,
) -> None:
    # Two CAS institutes in one string (Crossref gold: CAS): neither is part of the other, so
    # the academy is credited and the explanation names both for an investigator.
    text = (
        "Key Laboratory of Animal Ecology and Conservation Biology, Institute of Zoology, and "
        "State Key Laboratory of Brain and Cognitive Sciences, Institute of Biophysics, "
        "Chinese Academy of Sciences"
    )
    match = be_cn.resolve(text)
    assert match is not None and match.ror_id == CAS, match
    assert "'Institute of Biophysics', 'Institute of Zoology'" in match.explanation, match


def test_a_number_ends_a_name(be_cn: Resolver) -> None:
    # ROR logs string: the street address runs on after the name without a comma.
    text = "Southern University of Science and Technology 1088 Xueyuan Avenue"
    assert ror_of(be_cn, text) == "049tv2d57"


def test_a_record_outside_the_main_country_is_passed_over(world: Resolver) -> None:
    text = (  # Crossref gold: Peking University
        "State Key Laboratory of Membrane Biology, Peking University School of Life Sciences; "
        "PKU-IDG/McGovern Institute for Brain Research; Peking-Tsinghua Center for Life Sciences"
    )
    match = world.resolve(text)
    assert match is not None and match.ror_id == "02v51f717", match  # not MIT's institute
    assert "a record in US) passed over" in match.explanation, match.explanation
    # Two of its units are named, neither part of the other: the university stays credited.
    assert "'Center for Life Sciences', 'State Key Laboratory of Membrane" in match.explanation


# Wrong institutions the resolver used to name, found on Crossref gold rows outside the BE/CN
# evaluation (publisher strings; the gold record is in the comment).
def test_a_qualifier_before_a_name_makes_another_institution(world: Resolver) -> None:
    assert ror_of(world, "National Tsing Hua University") != "03cve4549"  # not Tsinghua
    text = "Department of Biological Sciences, National Sun Yat-sen University"
    assert ror_of(world, text) != "0064kty71"  # NSYSU (Kaohsiung), not SYSU (Guangzhou)


def test_a_glued_name_needs_a_rare_word(world: Resolver) -> None:
    # "Cancer Research Center" is an alias of a Spanish centre; the text is Fred Hutch (US).
    text = "Division of Public Health Sciences, Fred Hutchinson Cancer Research Center"
    match = world.resolve(text)
    assert match is None or match.country == "US", match
    assert world.resolve("Frankfurt Institute for Advanced Studies") is None  # not São Paulo's
    assert ror_of(world, "Ministry of Education Hebei Medical University") == "04eymdx19"


def test_small_words_inside_a_found_name_must_agree(world: Resolver) -> None:
    # "University North" (Croatia) is not inside "University of North Carolina".
    assert ror_of(world, "Department of Genetics, University of North Carolina") != "01afbkc02"
    assert ror_of(world, "Department of Neurosciences, University of California at San Diego "
                  "School of Medicine") == "0168r3w48"  # fmt: skip


def test_a_misspelling_is_not_another_word(world: Resolver) -> None:
    assert ror_of(world, "Shangrao Normal University") != "01cxqmw89"  # not Shanghai Normal
    assert world.resolve("Southeast Missouri State University") is None  # not Southwest
    assert ror_of(world, "Xi'an Jiatong University") == XJTU  # a real misspelling still is
    assert ror_of(world, "Max Plank Institute for Evolutionary Biology") == "0534re684"
    assert ror_of(world, "University Mohammed VI Polytechnic") == "03xc55g68"  # Polytechnique


def test_an_acronym_spelled_out_just_before_it_is_that_name_s(world: Resolver) -> None:
    # "(ILH)" abbreviates the institute named before it, not an Argentinian institute.
    assert world.resolve("Institute for Lung Health (ILH), Justus Liebig University") is None
    assert ror_of(world, "Harbin Institute of Technology (HIT)") == HIT
    # Spelled out as one of the record's own names (here its Dutch label), it stays evidence.
    nioz = "Koninklijk Nederlands Instituut voor Onderzoek der Zee (NIOZ) Texel"
    assert ror_of(world, nioz) == "01gntjh03"


def test_a_units_alias_does_not_take_its_parents_acronym(world: Resolver) -> None:
    assert ror_of(world, "INRAE") == "003vg9w96"  # not the lab that lists INRAE as an alias
    assert ror_of(world, "Université de Strasbourg, INRAE") == "00pg6eq24"


def test_a_number_in_a_name_must_be_in_the_text(world: Resolver) -> None:
    # Keys leave numbers out; "37 Military Hospital" (Accra) is not the PLA's "301 Military
    # Hospital" alias.
    assert world.resolve("37 Military Hospital") is None
    assert world.resolve("Department of Surgery, 37 Military Hospital, Accra, Ghana") is None
    assert ror_of(world, "Université Lyon 1") == "029brtt94"  # Claude Bernard Lyon 1
    assert ror_of(world, "Université Paris 8") == "04wez5e68"
    assert ror_of(world, "Chinese Academy of Sciences 6") == CAS  # a footnote number is fine


def test_a_country_given_by_the_caller_rules_out_other_countries(world: Resolver) -> None:
    # Names from the BE-CN table: the CAS institute is not the Slovak Academy's namesake.
    match = world.resolve("Institute of Electrical Engineering", country="CN")
    assert match is None or match.country == "CN", match
    assert world.resolve("Syngenta (China)") is not None  # a record elsewhere is named …
    assert world.resolve("Syngenta (China)", country="CN") is None  # … but not in China
    # In the text, a country is a cue only: a strong name elsewhere still stands.
    assert ror_of(world, "Université libre de Bruxelles, China") == ULB
