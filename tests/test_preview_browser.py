"""`digest preview` end to end in a real headless Chromium, driven by Playwright.

Uses Debian's ``chromium`` (or ``$CHROMIUM_PATH``; Playwright's own browser download is
not needed). Without
it the tests are skipped with the reason; under ``CI=true`` a missing Chromium is a
failure, so CI can never pass by skipping them. Screenshots land in
``tests/artifacts/`` (git-ignored) for people to look at.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from tests.test_preview import FIRST, LINKED, SECOND, Live, linked, make_site, running

__all__ = ["linked"]  # a fixture, used by name

ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "tests" / "artifacts"
CHROMIUM_ARGS = [
    "--headless=new",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]
WAIT_MS = 15_000


def chromium_path() -> str | None:
    found = os.environ.get("CHROMIUM_PATH") or shutil.which("chromium")
    found = found or shutil.which("chromium-browser")
    return found if found and Path(found).exists() else None


def unavailable(reason: str) -> None:
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{reason} (CI=true: the browser tests must run in CI)", pytrace=False)
    pytest.skip(reason)


@pytest.fixture(scope="module")
def browser() -> Iterator[Any]:
    executable = chromium_path()
    if executable is None:
        unavailable("Chromium not found: install Debian's 'chromium' package to run these tests")
    try:
        from playwright.sync_api import sync_playwright
    except ImportError:
        unavailable("the 'playwright' package is missing: pip install -e '.[test]'")
    with sync_playwright() as playwright:
        instance = playwright.chromium.launch(executable_path=executable, args=CHROMIUM_ARGS)
        yield instance
        instance.close()


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Live]:
    config = make_site(tmp_path / "site")
    with running(config) as live:
        yield live


@pytest.fixture
def page(browser: Any) -> Iterator[Any]:
    context = browser.new_context(viewport={"width": 1280, "height": 900})
    tab = context.new_page()
    tab.set_default_timeout(WAIT_MS)
    yield tab
    context.close()


def shot(page: Any, name: str) -> None:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    page.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)


def no_horizontal_overflow(target: Any) -> bool:
    return bool(
        target.evaluate(
            "() => document.documentElement.scrollWidth <= window.innerWidth"
            " && document.body.scrollWidth <= window.innerWidth"
        )
    )


def email_frame(page: Any, dark: bool = False) -> Any:
    """The visible email frame's content (the live one: frames are replaced on update)."""
    selector = "iframe.frame-dark" if dark else "iframe.frame-light"
    handle = page.locator(selector).element_handle()
    frame = handle.content_frame()
    frame.wait_for_load_state()
    return frame


def test_browse_an_issue_at_phone_width_in_dark_mode_and_every_tab(site: Live, page: Any) -> None:
    page.goto(site.base + "/")
    rows = page.locator("table.issues tbody tr")
    assert rows.count() == 2
    assert "#2" in rows.nth(0).inner_text()  # newest first
    assert page.locator("#draft-link").inner_text().startswith("Harbour Weekly #3:")
    assert page.locator("#live").get_attribute("data-state") in ("on", "connecting")
    shot(page, "preview-start")

    page.get_by_role(
        "link", name="Harbour Weekly #1: Item number 10 has a title (+1 more)"
    ).click()
    page.wait_for_url(f"**/issues/{FIRST}")
    assert page.locator("#inbox-subject").inner_text().startswith("Harbour Weekly #1")

    page.get_by_role("button", name="Phone").click()
    page.wait_for_function(
        "() => document.querySelector('iframe.frame-light').getBoundingClientRect().width === 375"
    )
    frame = email_frame(page)
    assert "Item number 10 has a title" in frame.inner_text("body")
    assert no_horizontal_overflow(frame), "the email overflows at phone width"
    assert no_horizontal_overflow(page), "the preview page overflows"
    shot(page, "preview-issue-phone")

    page.get_by_role("button", name="Dark").click()
    assert page.locator("iframe.frame-dark").is_visible()
    assert not page.locator("iframe.frame-light").is_visible()
    dark = email_frame(page, dark=True)
    # The bundled template has its own dark styles: the cards turn dark, text light.
    card = dark.evaluate("() => getComputedStyle(document.querySelector('.card')).backgroundColor")
    ink = dark.evaluate("() => getComputedStyle(document.querySelector('.ink')).color")
    assert (card, ink) == ("rgb(30, 41, 59)", "rgb(241, 245, 249)")
    assert no_horizontal_overflow(dark)
    shot(page, "preview-issue-phone-dark")
    page.get_by_role("button", name="Light").click()

    for tab, panel, expected in (
        ("Plain text", "#plain-text", "IN THIS ISSUE"),
        ("HTML source", "#html-source", "<!doctype html>"),
        ("Headers", "table.headers", "List-Unsubscribe"),
        ("Raw .eml", "#raw-eml", "Content-Type: multipart/alternative"),
    ):
        page.get_by_role("tab", name=tab).click()
        assert page.locator(panel).is_visible()
        assert expected in page.locator(panel).inner_text()
        assert not page.locator("iframe.frame-light").is_visible()
        assert no_horizontal_overflow(page), f"the {tab} tab overflows"
        shot(page, "preview-tab-" + tab.lower().replace(" ", "-").replace(".", ""))

    # A phone-sized window: the preview itself must not scroll sideways either.
    page.get_by_role("tab", name="Email").click()
    page.set_viewport_size({"width": 390, "height": 844})
    assert no_horizontal_overflow(page), "the preview page overflows on a phone"
    shot(page, "preview-issue-on-a-phone")


def test_the_open_draft_follows_template_edits_without_a_reload(site: Live, page: Any) -> None:
    template = site.site / "templates" / "issue.mjml.j2"
    original = template.read_text(encoding="utf-8")
    page.goto(site.base + "/issues/draft")
    page.get_by_role("button", name="Phone").click()
    assert "In this issue" in email_frame(page).text_content("body")
    page.wait_for_function("() => document.getElementById('live').dataset.state === 'on'")
    page.evaluate("() => { window.__sameDocument = true; }")

    template.write_text(original.replace("In this issue", "Inside this week"), encoding="utf-8")
    page.frame_locator("iframe.frame-light").get_by_text("Inside this week").wait_for()
    assert page.evaluate("() => window.__sameDocument === true"), "the page was reloaded"
    assert page.evaluate("() => document.documentElement.dataset.width") == "phone"
    shot(page, "preview-draft-after-template-edit")

    # A syntax error: the open page turns into a readable error, then recovers.
    template.write_text(original.replace("{% endfor %}", "{% endfor", 1), encoding="utf-8")
    message = page.locator("#error-message")
    message.wait_for()
    assert "issue.mjml.j2" in page.locator("#error-file").inner_text()
    assert page.locator("#error-lineno").inner_text().isdigit()
    assert page.locator("pre.excerpt .hit").count() == 1
    shot(page, "preview-template-error")

    template.write_text(original, encoding="utf-8")
    page.frame_locator("iframe.frame-light").get_by_text("In this issue").wait_for()
    assert page.evaluate("() => window.__sameDocument === true")


def test_several_newsletters_each_with_its_issues_and_draft(tmp_path: Path, page: Any) -> None:
    from tests.test_preview import REVIEW, make_newsletters_site

    with running(make_newsletters_site(tmp_path / "site")) as live:
        page.goto(live.base + "/")
        assert page.locator("section.newsletter").count() == 2
        review = page.locator("#newsletter-harbour-review")
        assert review.locator("table.issues tbody tr").count() == 1
        assert no_horizontal_overflow(page)
        shot(page, "preview-several-newsletters")
        review.get_by_role("link", name="Harbour Review #1: Item number 60 has a title").click()
        page.wait_for_url(f"**{REVIEW}/issues/{FIRST}")
        assert "Item number 60 has a title" in email_frame(page).inner_text("body")
        page.get_by_role("link", name="Harbour Review", exact=True).click()
        page.locator("#draft-link-harbour-review").click()
        page.wait_for_url(f"**{REVIEW}/issues/draft")
        assert "Harbour Bridge Reopens" in email_frame(page).inner_text("body")


def test_the_web_archive_through_the_preview_at_phone_width(site: Live, page: Any) -> None:
    page.set_viewport_size({"width": 375, "height": 800})
    page.goto(site.base + "/")
    page.locator("#archive-link").click()
    page.wait_for_url("**/archive/")
    assert page.title() == "Harbour Weekly: every issue"
    assert page.locator("article.issue").count() == 2
    assert no_horizontal_overflow(page), "the archive index overflows at 375 px"
    shot(page, "preview-archive-phone")

    subject = "Harbour Weekly #1: Item number 10 has a title (+1 more)"
    page.get_by_role("link", name=subject, exact=True).click()
    page.wait_for_url(f"**/archive/{FIRST}.html")
    assert page.title() == subject
    assert "Item number 10 has a title" in page.inner_text("body")
    assert no_horizontal_overflow(page), "an archive page overflows at 375 px"
    shot(page, "preview-archive-issue-phone")


def test_in_a_dark_mode_browser_light_is_light_source_is_readable_and_links_are_checked(
    browser: Any, linked: tuple[Path, str, Any]
) -> None:
    from digest.preview import LinkPolicy

    config, base, trust = linked
    policy = LinkPolicy(allow_private=True, verify=trust, timeout=5)
    context = browser.new_context(viewport={"width": 1280, "height": 900}, color_scheme="dark")
    page = context.new_page()
    page.set_default_timeout(WAIT_MS)
    try:
        with running(config, link_policy=policy) as live:
            page.goto(f"{live.base}/issues/{LINKED}")
            assert page.evaluate("() => matchMedia('(prefers-color-scheme: dark)').matches")

            # The "Light" frame shows the light email although the browser is dark...
            colours = (
                "() => [getComputedStyle(document.querySelector('.card')).backgroundColor,"
                " getComputedStyle(document.querySelector('.ink')).color]"
            )
            assert email_frame(page).evaluate(colours) == ["rgb(255, 255, 255)", "rgb(17, 24, 39)"]
            shot(page, "preview-light-frame-in-a-dark-browser")
            # ...and the "Dark" frame the dark one.
            page.get_by_role("button", name="Dark").click()
            dark = email_frame(page, dark=True)
            assert dark.evaluate(colours) == ["rgb(30, 41, 59)", "rgb(241, 245, 249)"]
            page.get_by_role("button", name="Light").click()

            # The source tab: one element a line, indented, tags coloured.
            page.get_by_role("tab", name="HTML source").click()
            source = page.locator("#html-source")
            text = source.inner_text()
            assert text.startswith("<!doctype html>\n<html ")
            assert "\n  <head>\n" in text and len(text.splitlines()) > 100
            tag = source.locator("span.nt").first
            assert tag.evaluate("e => getComputedStyle(e).color") == "rgb(29, 78, 216)"
            assert source.evaluate("e => getComputedStyle(e).color") == "rgb(17, 24, 39)"
            assert no_horizontal_overflow(page)
            shot(page, "preview-tab-html-source-highlighted")

            # The link check, on demand: each link with its status.
            page.get_by_role("tab", name="Links").click()
            assert page.locator("#links-table tbody tr").count() == 0
            page.get_by_role("button", name="Check links").click()
            page.wait_for_function("() => document.documentElement.dataset.linksChecked === '1'")
            rows = {
                row.get_attribute("data-url"): row.locator("td").first.inner_text()
                for row in page.locator("#links-table tbody tr").all()
            }
            assert rows[f"{base}/ok"] == "200"
            assert rows[f"{base}/missing"] == "404"
            assert [label for url, label in rows.items() if url.endswith("/nobody")] == ["failed"]
            missing = page.locator(f'#links-table tr[data-url="{base}/missing"]')
            assert missing.get_attribute("class") == "link-bad"
            assert page.locator("#links-summary").inner_text() == "5 links, 2 not working"
            assert no_horizontal_overflow(page)
            shot(page, "preview-tab-links")
    finally:
        context.close()


def test_a_contents_link_scrolls_the_email_to_its_item(site: Live, page: Any) -> None:
    page.set_viewport_size({"width": 1280, "height": 500})
    page.goto(f"{site.base}/issues/{SECOND}")
    frame = email_frame(page)
    heading = frame.locator("#item-3")
    title = " ".join(heading.inner_text().split())
    # Chromium names the link from its aria-label: not the title link's own name.
    link = frame.get_by_role("link", name=f"Go to: {title}", exact=True)
    assert frame.get_by_role("link", name=title, exact=True).get_attribute("href") != "#item-3"
    assert heading.bounding_box()["y"] > 500  # below the fold before the click
    link.click()
    frame.wait_for_function("() => location.hash === '#item-3'")
    # Now in view (the page's viewport, whichever of page or frame scrolled).
    box = heading.bounding_box()
    assert box["y"] >= 0 and box["y"] + box["height"] <= 500, box
    assert email_frame(page).url.endswith("#item-3")  # the jump stayed in the frame...
    assert len(page.context.pages) == 1  # ...and opened no tab
    shot(page, "preview-contents-link-scrolled")
