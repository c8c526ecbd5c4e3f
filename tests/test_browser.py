"""The archive in headless Chromium: front page, a search, an entity facet, an entity page and an article page,
as a reader sees them. Screenshots are kept under $ARSHIF_ARTIFACTS (or the test's tmp_path)."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from arshif.serving import background_server
from web_archive import archive  # noqa: F401  (fixture)

CHROMIUM = shutil.which("chromium") or shutil.which("chromium-browser")
CHROMEDRIVER = shutil.which("chromedriver")
webdriver = pytest.importorskip("selenium.webdriver", reason="selenium is not installed (pip install selenium)")
pytestmark = pytest.mark.skipif(not (CHROMIUM and CHROMEDRIVER),
                                reason="chromium and chromedriver are not installed"
                                       " (apt-get install chromium chromium-driver)")
from selenium.webdriver.common.by import By  # noqa: E402


@pytest.fixture(scope="module")
def server(archive):
    with background_server(archive["path"]) as url:
        yield url


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    options = webdriver.ChromeOptions()
    options.binary_location = CHROMIUM
    for flag in ("--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                 "--disable-background-networking", "--disable-component-update", "--disable-sync",
                 "--window-size=1200,1000", "--lang=ar",
                 f"--user-data-dir={tmp_path_factory.mktemp('chromium-profile')}"):
        options.add_argument(flag)
    driver = webdriver.Chrome(service=webdriver.ChromeService(executable_path=CHROMEDRIVER), options=options)
    driver.set_page_load_timeout(30)
    yield driver
    driver.quit()


@pytest.fixture(scope="module")
def artifacts(tmp_path_factory) -> Path:
    folder = os.environ.get("ARSHIF_ARTIFACTS")
    path = Path(folder) if folder else tmp_path_factory.mktemp("screenshots")
    path.mkdir(parents=True, exist_ok=True)
    return path


def follow(browser, element) -> None:
    """Click a link or button and wait until the next page has replaced this one (so nothing reads the old page)."""
    from selenium.webdriver.support import expected_conditions
    from selenium.webdriver.support.ui import WebDriverWait

    old = browser.find_element(By.TAG_NAME, "html")
    element.click()
    WebDriverWait(browser, 20).until(expected_conditions.staleness_of(old))
    WebDriverWait(browser, 20).until(lambda driver: driver.execute_script("return document.readyState") == "complete")


def test_reader_journey(server, browser, artifacts, archive):
    # the front page: Arabic, right to left, a search box
    browser.get(server + "/")
    page = browser.find_element(By.CSS_SELECTOR, ".arshif-front")
    assert page.value_of_css_property("direction") == "rtl"
    assert browser.find_element(By.TAG_NAME, "html").get_attribute("lang") == "ar"
    box = browser.find_element(By.CSS_SELECTOR, "input[name=q]")
    assert box.get_attribute("placeholder").startswith("ابحث")
    assert "مقال" in browser.find_element(By.CSS_SELECTOR, ".arshif-counts").text
    browser.save_screenshot(str(artifacts / "1-front.png"))

    # a search lands on the archive's search page
    box.send_keys("سوسة")
    follow(browser, browser.find_element(By.CSS_SELECTOR, ".arshif-search button"))
    assert "/archive/-/search" in browser.current_url
    assert browser.find_element(By.CSS_SELECTOR, ".arshif-total strong").text == "2"
    browser.save_screenshot(str(artifacts / "2-search.png"))

    # an entity facet narrows the results
    places = browser.find_element(By.CSS_SELECTOR, "#facet-LOC")
    assert "أماكن" in places.text
    follow(browser, places.find_element(By.LINK_TEXT, "تونس"))
    assert "entity=" in browser.current_url
    assert browser.find_element(By.CSS_SELECTOR, ".arshif-total strong").text == "2"
    assert "تونس" in browser.find_element(By.CSS_SELECTOR, ".arshif-active").text
    browser.save_screenshot(str(artifacts / "3-facet.png"))

    # the entity page, from the facet's link
    follow(browser, browser.find_element(By.CSS_SELECTOR, "#facet-LOC .arshif-entity-link"))
    assert "/archive/-/entity/" in browser.current_url
    assert browser.find_element(By.TAG_NAME, "h1").text == "تونس"
    assert browser.find_element(By.CSS_SELECTOR, ".arshif-entity").value_of_css_property("direction") == "rtl"
    bars = browser.find_elements(By.CSS_SELECTOR, "svg.arshif-timeline rect")
    assert len(bars) == 12 and bars[0].size["height"] > 0
    assert "سوسة" in browser.find_element(By.CSS_SELECTOR, ".arshif-together").text
    browser.save_screenshot(str(artifacts / "4-entity.png"))

    # an article page, from the entity's latest articles
    follow(browser, browser.find_element(By.PARTIAL_LINK_TEXT, "زيارة رسمية"))
    assert "/archive/-/article/" in browser.current_url
    paragraphs = browser.find_elements(By.CSS_SELECTOR, ".arshif-body p")
    assert len(paragraphs) == 2 and paragraphs[0].value_of_css_property("direction") == "rtl"
    mentions = browser.find_elements(By.CSS_SELECTOR, "a.arshif-mention")
    assert [m.text for m in mentions] == ["تونس", "سوسة"]
    first = paragraphs[0]
    assert first.value_of_css_property("text-align") in ("right", "start")
    browser.save_screenshot(str(artifacts / "5-article.png"))
    follow(browser, mentions[1])
    assert browser.find_element(By.TAG_NAME, "h1").text == "سوسة"
    for name in ("1-front", "2-search", "3-facet", "4-entity", "5-article"):
        assert (artifacts / f"{name}.png").stat().st_size > 1000


@pytest.fixture(scope="module")
def bulk_server(tmp_path_factory):
    import json

    from arshif.build import build
    from test_search_page import bulk_articles

    folder = tmp_path_factory.mktemp("bulk-browser")
    (folder / "articles.json").write_text(json.dumps(bulk_articles(), ensure_ascii=False), "utf-8")
    build([folder / "articles.json"], folder / "news.db", ner="gazetteer")
    with background_server(folder / "news.db") as url:
        yield url


def total(browser) -> int:
    return int(browser.find_element(By.CSS_SELECTOR, ".arshif-total strong").text.replace(",", ""))


@pytest.mark.parametrize("width", [1280, 390])
def test_search_narrow_by_place_and_year_then_page_two_then_article(bulk_server, browser, artifacts, width):
    browser.set_window_size(width, 1000)
    browser.get(bulk_server + "/")
    browser.find_element(By.CSS_SELECTOR, "input[name=q]").send_keys("تونس")
    follow(browser, browser.find_element(By.CSS_SELECTOR, ".arshif-search button"))
    everything = total(browser)
    assert everything > 100
    follow(browser, browser.find_element(By.CSS_SELECTOR, "#facet-LOC").find_element(By.LINK_TEXT, "صفاقس"))
    by_place = total(browser)
    assert by_place < everything
    follow(browser, browser.find_element(By.CSS_SELECTOR, "#facet-year").find_element(By.LINK_TEXT, "2016"))
    by_year = total(browser)
    assert 20 < by_year < by_place
    browser.save_screenshot(str(artifacts / f"6-narrowed-{width}.png"))
    first_page = [hit.get_attribute("data-article-id") for hit in browser.find_elements(By.CSS_SELECTOR, ".arshif-hit")]
    follow(browser, browser.find_element(By.CSS_SELECTOR, "a.arshif-next"))
    assert "page=2" in browser.current_url and "year=2016" in browser.current_url
    second_page = [hit.get_attribute("data-article-id") for hit in browser.find_elements(By.CSS_SELECTOR, ".arshif-hit")]
    assert second_page and not set(first_page) & set(second_page)
    assert len(first_page) + len(second_page) == by_year or len(second_page) == 20
    browser.save_screenshot(str(artifacts / f"7-page-two-{width}.png"))
    link = browser.find_element(By.CSS_SELECTOR, ".arshif-hit h3 a")
    title = link.text
    follow(browser, link)
    assert "/news/-/article/" in browser.current_url
    assert browser.find_element(By.TAG_NAME, "h1").text == title
    browser.save_screenshot(str(artifacts / f"8-article-{width}.png"))


def test_a_latin_query_lands_on_the_arabic_entity(server, browser, artifacts, archive):
    browser.set_window_size(1200, 1000)
    browser.get(server + "/")
    browser.find_element(By.CSS_SELECTOR, "input[name=q]").send_keys("Tunis")
    follow(browser, browser.find_element(By.CSS_SELECTOR, ".arshif-search button"))
    suggestion = browser.find_element(By.CSS_SELECTOR, "a.arshif-suggestion")
    assert suggestion.text == "تونس"
    assert int(browser.find_element(By.CSS_SELECTOR, ".arshif-total strong").text) == 4  # its articles
    browser.save_screenshot(str(artifacts / "9-latin.png"))
    follow(browser, suggestion)
    assert browser.find_element(By.TAG_NAME, "h1").text == "تونس"
    assert f"/archive/-/entity/{archive['entities']['تونس']}" in browser.current_url
