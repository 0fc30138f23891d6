"""The profile page's timeline (Streamlit AppTest on the small workbench graph)."""

from __future__ import annotations

import xml.etree.ElementTree as ET
from typing import Any

from streamlit.testing.v1 import AppTest

from .graphs import XSS_ID, XSS_NAME
from .test_app import _open, _rows, app  # noqa: F401 (the app fixture)


def _svg(at: AppTest) -> str:
    """The one markdown element that carries HTML: the timeline (st.html's sanitiser would
    drop an SVG, so the page writes our own escaped SVG as markdown with HTML allowed)."""
    bodies = [str(m.value) for m in at.markdown if m.proto.allow_html]
    assert len(bodies) == 1 and "<svg" in bodies[0], bodies
    return bodies[0]


def test_profile_shows_the_researchers_timeline(app: AppTest) -> None:  # noqa: F811
    at = _open(app.run(), "profile", "openalex:A2")
    svg = _svg(at)
    body = svg[svg.index("<svg") : svg.rindex("</svg>") + len("</svg>")]
    root = ET.fromstring(body)
    groups = root.iter("{http://www.w3.org/2000/svg}g")
    years = {g.get("data-year"): g.get("class") for g in groups if g.get("data-year")}
    # W1 (2021) is joint and high-risk through Harbin, listed on ASPI in 2019 (after it).
    assert years == {"2021": "year", "2019": "listing"}, years
    rows: list[dict[str, Any]] = _rows(at, "high_risk")
    assert rows == [{"year": 2021, "papers": 1, "joint": 1, "high_risk": 1, "before_listing": 0}], (
        rows
    )


def test_profile_shows_the_institutions_timeline_with_its_lab(app: AppTest) -> None:  # noqa: F811
    at = _open(app.run(), "profile", "ror:01yqg2h08")
    svg = _svg(at)
    assert "ASPI China Defence Universities Tracker (very high)" in svg
    assert _rows(at, "high_risk")[0]["high_risk"] == 1  # W1, through the lab PART_OF Harbin


def test_a_hostile_name_reaches_the_timeline_only_escaped(app: AppTest) -> None:  # noqa: F811
    at = _open(app.run(), "profile", XSS_ID)
    svg = _svg(at)
    assert XSS_NAME not in svg and "<img" not in svg
    assert "&lt;img src=x onerror=alert(1)&gt;: papers per year" in svg
