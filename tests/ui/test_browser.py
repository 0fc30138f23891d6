"""End to end in headless Chromium: search, open the neighbourhood, check what was drawn.

Starts the workbench with ``streamlit run`` on a free localhost port over a small embedded
store, drives Debian's chromium through chromedriver (selenium), and keeps screenshots in
test-artifacts/. Without chromium these tests skip locally and fail when CI=true.
"""

from __future__ import annotations

import io
import os
import shutil
import socket
import subprocess
import time
import urllib.request
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from collabgraph.ui.commands.ui_cmd import streamlit_command

from ..conftest import IN_CI
from .graphs import XSS_ID, XSS_NAME, write_store

pytestmark = [pytest.mark.browser, pytest.mark.slow]

ROOT = Path(__file__).resolve().parents[2]
ARTIFACTS = ROOT / "test-artifacts"
WAIT = 60.0


def _missing(message: str) -> None:
    if IN_CI:
        pytest.fail(f"CI=true, so browser tests must run: {message}")
    pytest.skip(message)


def _tools() -> tuple[str, str]:
    browser = shutil.which("chromium") or shutil.which("chromium-browser")
    driver = shutil.which("chromedriver")
    if not browser or not driver:
        _missing(
            "chromium and chromedriver are not installed "
            "(apt-get install chromium chromium-driver; .ci/run installs them)"
        )
    try:
        import selenium  # noqa: F401
    except ImportError:
        _missing("selenium is not installed (pip install -e '.[dev]')")
    assert browser and driver
    return browser, driver


def _free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        return int(sock.getsockname()[1])


def _wait_healthy(url: str, proc: subprocess.Popen[bytes], log: Path) -> None:
    deadline = time.monotonic() + WAIT
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            pytest.fail(f"streamlit exited with {proc.returncode}:\n{log.read_text()[-3000:]}")
        try:
            with urllib.request.urlopen(url + "/_stcore/health", timeout=2) as resp:
                if resp.read().strip() == b"ok":
                    return
        except OSError:
            pass
        time.sleep(0.3)
    pytest.fail(f"streamlit did not become healthy in {WAIT:.0f} s:\n{log.read_text()[-3000:]}")


@pytest.fixture(scope="module")
def app_url(tmp_path_factory: pytest.TempPathFactory) -> Iterator[str]:
    _tools()
    tmp = tmp_path_factory.mktemp("browser")
    store_path = tmp / "graph.db"
    write_store(store_path)
    port = _free_port()
    log = tmp / "streamlit.log"
    env = {**os.environ, "COLLABGRAPH_STORE": str(store_path)}
    command = streamlit_command("127.0.0.1", port)
    with log.open("wb") as out:
        proc = subprocess.Popen(command, env=env, stdout=out, stderr=subprocess.STDOUT, cwd=tmp)
    url = f"http://127.0.0.1:{port}"
    try:
        _wait_healthy(url, proc, log)
        yield url
    finally:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait()


# Runs in every frame before its own scripts: an alert, confirm or prompt is recorded.
RECORD_DIALOGS = """
window.__dialogs = [];
for (const name of ["alert", "confirm", "prompt"]) {
  window[name] = function (message) { window.__dialogs.push(name + ":" + message); };
}
"""


@pytest.fixture(scope="module")
def driver(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Any]:
    browser, chromedriver = _tools()
    from selenium import webdriver
    from selenium.webdriver.chrome.service import Service

    options = webdriver.ChromeOptions()
    options.binary_location = browser
    profile = tmp_path_factory.mktemp("chromium-profile")
    for flag in (
        "--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
        "--disable-component-update", "--no-first-run", "--disable-sync",
        "--disable-dev-shm-usage", "--window-size=1400,1300", f"--user-data-dir={profile}",
    ):  # fmt: skip
        options.add_argument(flag)
    # A real dialog must stay open (not be dismissed silently) so the test can see it.
    options.set_capability("unhandledPromptBehavior", "ignore")
    drv = webdriver.Chrome(options=options, service=Service(executable_path=chromedriver))
    drv.execute_cdp_cmd("Page.addScriptToEvaluateOnNewDocument", {"source": RECORD_DIALOGS})
    try:
        yield drv
    finally:
        drv.quit()


def _wait(drv: Any, what: str, predicate: Any, timeout: float = WAIT) -> Any:
    from selenium.webdriver.support.ui import WebDriverWait

    try:
        return WebDriverWait(drv, timeout, poll_frequency=0.2).until(predicate)
    except Exception as exc:  # a timeout: keep a screenshot of what the page showed
        ARTIFACTS.mkdir(exist_ok=True)
        drv.switch_to.default_content()
        drv.save_screenshot(str(ARTIFACTS / "browser-failure.png"))
        raise AssertionError(f"timed out waiting for {what}; see test-artifacts/") from exc


def _button(drv: Any, text: str) -> Any:
    from selenium.webdriver.common.by import By

    def find(d: Any) -> Any:
        for b in d.find_elements(By.TAG_NAME, "button"):
            if b.text.strip() == text and b.is_displayed() and b.is_enabled():
                return b
        return False

    return _wait(drv, f"a button {text!r}", find)


def _no_dialog(drv: Any) -> None:
    from selenium.common.exceptions import NoAlertPresentException

    try:
        alert = drv.switch_to.alert
    except NoAlertPresentException:
        return
    pytest.fail(f"a dialog opened: {alert.text!r}")


def _image_stats(png: bytes) -> tuple[int, float]:
    """Distinct colours and the share of pixels that are not (near) white."""
    from PIL import Image

    image = Image.open(io.BytesIO(png)).convert("RGB")
    raw = image.tobytes()
    pixels = [raw[i : i + 3] for i in range(0, len(raw), 3)]
    inked = sum(1 for p in pixels if min(p) < 235)
    return len(set(pixels)), inked / len(pixels)


def test_search_open_neighbourhood_and_draw(app_url: str, driver: Any) -> None:
    from selenium.webdriver.common.by import By
    from selenium.webdriver.common.keys import Keys

    drv = driver
    drv.get(app_url + "/")
    box = _wait(
        drv,
        "the search box",
        lambda d: next(
            iter(
                d.find_elements(By.CSS_SELECTOR, "input[aria-label^='Researcher or institution']")
            ),
            False,
        ),
    )
    box.send_keys("Ann Peeters")
    box.send_keys(Keys.ENTER)
    _wait(
        drv,
        "a result grid",
        lambda d: d.find_elements(By.CSS_SELECTOR, "[data-testid='stDataFrame']"),
    )
    _button(drv, "Open neighbourhood").click()
    _wait(drv, "the neighbourhood URL", lambda d: "/neighbourhood" in d.current_url)
    assert "node=openalex%3AA1" in drv.current_url or "node=openalex:A1" in drv.current_url
    frame = _wait(
        drv,
        "the drawing's iframe",
        lambda d: next(iter(d.find_elements(By.TAG_NAME, "iframe")), False),
    )
    drv.execute_script("arguments[0].scrollIntoView(true);", frame)
    drv.switch_to.frame(frame)
    _wait(
        drv, "the network canvas", lambda d: d.find_elements(By.CSS_SELECTOR, "#mynetwork canvas")
    )
    _wait(
        drv,
        "the first drawing",
        lambda d: d.find_element(By.TAG_NAME, "body").get_attribute("data-drawn") == "1",
    )
    painted = drv.execute_script(
        """
        const c = document.querySelector('#mynetwork canvas');
        const data = c.getContext('2d').getImageData(0, 0, c.width, c.height).data;
        let n = 0;
        for (let i = 3; i < data.length; i += 4) { if (data[i] > 0) n++; }
        return [n, c.width * c.height];
        """
    )
    assert painted[0] > 500, f"the canvas has only {painted[0]} drawn pixels of {painted[1]}"
    canvas = drv.find_element(By.CSS_SELECTOR, "#mynetwork canvas")
    ARTIFACTS.mkdir(exist_ok=True)
    canvas_png = canvas.screenshot_as_png
    (ARTIFACTS / "neighbourhood-canvas.png").write_bytes(canvas_png)
    colours, inked = _image_stats(canvas_png)
    assert colours > 20 and inked > 0.002, (colours, inked)

    # The hostile name: hover its node; the tooltip shows the name as text, and nothing runs.
    drv.execute_script("arguments[0].scrollIntoView(true);", canvas)
    point = drv.execute_script(
        "const p = cgNetwork.getPositions([arguments[0]])[arguments[0]];"
        "const d = cgNetwork.canvasToDOM(p); return [d.x, d.y];",
        XSS_ID,
    )
    from selenium.webdriver.common.action_chains import ActionChains

    size = canvas.size
    ActionChains(drv).move_to_element_with_offset(
        canvas, int(point[0] - size["width"] / 2), int(point[1] - size["height"] / 2)
    ).pause(0.5).move_by_offset(1, 1).perform()
    tip = _wait(
        drv,
        "the tooltip of the hostile node",
        lambda d: next(
            (t for t in d.find_elements(By.CSS_SELECTOR, "div.vis-tooltip") if t.is_displayed()),
            False,
        ),
        timeout=15,
    )
    assert XSS_NAME in tip.text, tip.text
    assert tip.find_elements(By.TAG_NAME, "img") == [], tip.get_attribute("innerHTML")
    # Selecting the node offers its profile.
    ActionChains(drv).click().perform()
    link = _wait(
        drv,
        "the link to the selected node's profile",
        lambda d: next(iter(d.find_elements(By.ID, "cg-profile-link")), False),
        timeout=15,
    )
    profile_url = link.get_attribute("href")
    assert profile_url.endswith("/profile?node=openalex%3AA666"), profile_url
    assert XSS_NAME in drv.find_element(By.ID, "cg-info").text
    drv.switch_to.default_content()
    drv.save_screenshot(str(ARTIFACTS / "neighbourhood-page.png"))
    colours, inked = _image_stats(drv.get_screenshot_as_png())
    assert colours > 20 and inked > 0.01, (colours, inked)
    _no_dialog(drv)
    assert drv.execute_script("return window.__dialogs") == []
    drv.switch_to.frame(drv.find_element(By.TAG_NAME, "iframe"))
    assert drv.execute_script("return window.__dialogs") == []
    drv.switch_to.default_content()


def test_hostile_name_is_text_on_the_profile(app_url: str, driver: Any) -> None:
    from selenium.webdriver.common.by import By

    drv = driver
    # The address the drawing's link opens (see the test above).
    drv.get(f"{app_url}/profile?node=openalex%3AA666")
    heading = _wait(
        drv,
        "the profile heading",
        lambda d: next(
            (h for h in d.find_elements(By.CSS_SELECTOR, "h2") if "onerror" in h.text), False
        ),
    )
    assert heading.text.strip().startswith(XSS_NAME), heading.text
    assert drv.find_elements(By.CSS_SELECTOR, "img[src='x']") == []
    time.sleep(1)
    drv.save_screenshot(str(ARTIFACTS / "profile-hostile-name.png"))
    _no_dialog(drv)
    assert drv.execute_script("return window.__dialogs") == []
