"""Themes (``digest.config.theme``): choosing one, its style checked, the shipped ones
rendering a real issue, and a user's ``templates/`` overriding one block.

Each shipped theme renders the seed issue and a 12-item issue through the real
renderer and passes the checks the default theme's tests hold it to (``digest
check``, every item and link in both parts, AA contrast, size); the browser tests
open the HTML in headless Chromium at 600 and 375 px (screenshots in
``tests/artifacts/``).
"""

from __future__ import annotations

import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from digest.check import run_checks
from digest.colours import contrast_ratio
from digest.config import ConfigError, Settings, load_settings
from digest.config.theme import THEMES, bundled_themes
from digest.outbox import files_from_rendered
from digest.render import Palette, TemplateProblem, curl_quotes, render_issue
from tests.helpers import run_digest
from tests.test_golden import seeds_issue
from tests.test_preview_browser import ARTIFACTS, browser
from tests.test_render import Page, make_issue, make_item

__all__ = ["browser"]  # a fixture, used by name

ROOT = Path(__file__).resolve().parent.parent
GOLDEN = ROOT / "tests" / "fixtures" / "golden"
SHIPPED = [name for name in THEMES if name != "default"]


def write_config(folder: Path, toml: str) -> Path:
    folder.mkdir(parents=True, exist_ok=True)
    config = folder / "digest.toml"
    config.write_text(toml, encoding="utf-8")
    return config


# --------------------------------------------------------------------------- choosing


def test_every_shipped_theme_is_a_folder_with_its_own_look() -> None:
    for name in SHIPPED:
        folder = bundled_themes() / name
        assert (folder / "theme.toml").is_file(), folder
        assert (folder / "issue.mjml.j2").is_file(), folder
    html = {name: render_issue(make_issue(), Settings(theme=name)).html for name in THEMES}
    assert len(set(html.values())) == len(THEMES)


def test_theme_is_switched_in_one_line_and_can_be_a_folder(tmp_path: Path) -> None:
    assert load_settings(write_config(tmp_path / "a", 'theme = "brief"\n')).theme == "brief"
    # A folder path, relative to the config file; it need only hold what it changes.
    site = tmp_path / "site"
    (site / "mine").mkdir(parents=True)
    (site / "mine" / "theme.toml").write_text('[colours]\nbrand = "#7c2d12"\n')
    settings = load_settings(write_config(site, 'theme = "mine"\n'))
    assert settings.resolved_theme.folder == (site / "mine").resolve()
    assert settings.resolved_theme.style.colours["brand"] == "#7c2d12"
    html = render_issue(make_issue(), settings).html
    assert "#7c2d12" in html and "In this issue" in html  # the default's templates


BAD_LOGO = '[style.logo]\nurl = "{url}"\n{alt}{width}height = 40\n'


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        (
            'theme = "fancy"\n',
            "bad setting theme = 'fancy': expected one of 'default', 'brief', 'magazine', "
            "or a theme folder holding theme.toml",
        ),
        ('theme = "no/such/folder"\n', "theme = '{site}/no/such/folder': expected one of"),
        (
            '[style.colours]\nbrand = "blue-ish"\n',
            "bad setting style.colours.brand = 'blue-ish': expected a CSS colour such as",
        ),
        ('[style.colours]\ncard = "#12345"\n', "style.colours.card = '#12345': expected a CSS"),
        (
            BAD_LOGO.format(
                url="http://example.com/logo.png", alt='alt = "L"\n', width="width=9\n"
            ),
            "bad setting style.logo.url = 'http://example.com/logo.png': expected an https:// URL",
        ),
        (
            BAD_LOGO.format(url="https://example.com/logo.png", alt="", width="width = 9\n"),
            "missing setting style.logo.alt: expected a value",
        ),
        (
            BAD_LOGO.format(url="https://example.com/logo.png", alt='alt = "L"\n', width=""),
            "missing setting style.logo.width: expected a value",
        ),
        ('[style]\nbutton = "round"\n', "style.button = 'round': expected one of 'filled'"),
        ('[style]\nfont = "Arial; color: red"\n', "style.font = 'Arial; color: red': expected"),
    ],
)
def test_bad_theme_settings_name_the_field_the_value_and_what_was_expected(
    tmp_path: Path, toml: str, expected: str
) -> None:
    config = write_config(tmp_path / "site", toml)
    with pytest.raises(ConfigError) as caught:
        load_settings(config)
    message = str(caught.value)
    assert expected.format(site=config.parent) in message
    assert f"{config}: " in message and len(message.splitlines()) == 1


@pytest.mark.parametrize(
    ("toml", "text", "background"),
    [
        ('[style.colours]\nmuted = "#aaaaaa"\n', "muted #aaaaaa (from [style.colours])", "card"),
        ('brand_colour = "#1d4ed8"\n[style.colours]\non_brand = "#3b82f6"\n', "on_brand", "brand"),
        ('theme = "magazine"\n[style.colours]\npage = "#777777"\n', "ink", "page"),
    ],
)
def test_a_colour_missing_wcag_aa_is_refused_with_the_measured_ratio(
    tmp_path: Path, toml: str, text: str, background: str
) -> None:
    config = write_config(tmp_path / "site", toml)
    with pytest.raises(ConfigError) as caught:
        load_settings(config)
    message = str(caught.value)
    colours = re.findall(r"(#[0-9a-f]{6})", message)
    ratio = f"{contrast_ratio(colours[0], colours[1]):.2f}:1"
    assert text in message and f" on {background} " in message
    assert f"has contrast {ratio}, expected at least 4.5:1 (WCAG AA)" in message


def test_a_theme_folders_own_bad_file_is_named(tmp_path: Path) -> None:
    site = tmp_path / "site"
    (site / "mine").mkdir(parents=True)
    (site / "mine" / "theme.toml").write_text('[colours]\nink = "inky"\nshade = "#000"\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(write_config(site, 'theme = "mine"\n'))
    lines = str(caught.value).splitlines()
    theme_file = site / "mine" / "theme.toml"
    assert any(f"{theme_file}: bad setting colours.ink = 'inky'" in line for line in lines)
    assert any(f"{theme_file}: unknown setting 'colours.shade'" in line for line in lines)


def test_the_cli_refuses_a_bad_theme_with_exit_2_and_one_line(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    write_config(tmp_path, 'sources = ["seeds"]\n[style.colours]\nbrand = "#93c5fd"\n')
    result = run_digest("render", cwd=tmp_path)
    assert result.returncode == 2
    (line,) = result.stderr.strip().splitlines()
    default_file = ROOT / "templates" / "theme.toml"
    assert (
        f"on_brand #ffffff (from {default_file}) on brand #93c5fd (from [style.colours])" in line
    )
    assert f"{contrast_ratio('#ffffff', '#93c5fd'):.2f}:1" in line
    assert not (tmp_path / "outbox").exists()


# --------------------------------------------------------------------------- the shipped themes


@pytest.fixture(scope="module", params=THEMES)
def themed(request: pytest.FixtureRequest) -> tuple[str, Settings, Any]:
    """Each theme (the default too, as the yardstick) and its 12-item issue."""
    settings = Settings(theme=request.param)
    return request.param, settings, render_issue(make_issue(), settings)


def test_each_theme_passes_every_check_on_the_seed_issue(themed) -> None:
    _, settings, _ = themed
    issue = seeds_issue()
    assert run_checks(files_from_rendered(issue, render_issue(issue, settings)), settings) == []


def test_each_theme_at_twelve_items_stays_under_90_kb_and_passes_every_check(themed) -> None:
    _, settings, rendered = themed
    assert len(rendered.html.encode("utf-8")) < 90 * 1024
    assert run_checks(files_from_rendered(make_issue(), rendered), settings) == []


def test_each_theme_shows_every_item_and_link_in_html_and_text(themed) -> None:
    _, _, rendered = themed
    page = Page(rendered.html)
    visible, plain = page.visible_text(), " ".join(rendered.text.split())
    hrefs = [link["href"] for link in page.links]
    for n in range(12):
        item = make_item(n)
        assert curl_quotes(item.title) in visible and curl_quotes(item.title) in plain
        assert item.url in hrefs and item.url in rendered.text.split()
        assert f"{item.reading_minutes} min read" in visible
    assert visible.count(make_item(0).lead) == 12
    assert all(href in rendered.text.split() for href in hrefs)
    assert "Wednesday 25 November 2026" in visible
    assert "https://example.com/unsubscribe" in hrefs


def test_each_theme_keeps_aa_contrast_on_every_visible_text(themed) -> None:
    _, settings, rendered = themed
    page = Page(rendered.html)
    palette = Palette(**settings.resolved_theme.style.colours)
    pairs = {(colour, background) for _, colour, background in page.texts}
    for colour, background in pairs:
        assert contrast_ratio(colour, background) >= 4.5, (colour, background)
    assert pairs <= set(palette.text_pairs())


@pytest.mark.parametrize("theme", THEMES)
def test_each_theme_renders_sections_each_heading_once(tmp_path: Path, theme: str) -> None:
    from datetime import UTC, datetime

    from digest.pipeline import draft

    config = ROOT / "tests" / "fixtures" / "sections" / "digest.toml"
    settings = load_settings(config, outbox=tmp_path / "outbox", theme=theme)
    outcome = draft(settings, now=datetime(2026, 11, 24, 7, 0, tzinfo=UTC))
    assert outcome.rendered is not None and outcome.issue is not None
    files = files_from_rendered(outcome.issue, outcome.rendered)
    assert run_checks(files, settings) == []
    headings = [
        h for tag in ("h2", "h3") for h in re.findall(rf"<{tag}[^>]*>(.*?)</{tag}>", files.html)
    ]
    for section in ("World", "Science", "Culture"):
        assert headings.count(section) == 1, (section, headings)


def _css_properties(html: str) -> set[str]:
    inline = " ".join(re.findall(r'style="([^"]*)"', html))
    sheets = " ".join(re.findall(r"<style[^>]*>(.*?)</style>", html, re.DOTALL))
    return set(re.findall(r"(?<![\w-])([a-z-]+)\s*:(?!//)", inline + " " + sheets))


def test_shipped_themes_use_no_css_beyond_what_plain_mjml_output_needs(themed) -> None:
    """Gmail and Outlook lack text-decoration-thickness, text-underline-offset, flex,
    grid…: a theme may only use the properties the default theme's output already has."""
    name, _, rendered = themed
    # The default's output, with and without sections (its headings), is the yardstick.
    default = render_issue(make_issue(), Settings()).html
    default += (GOLDEN / "sections" / "issue.html").read_text(encoding="utf-8")
    used = _css_properties(rendered.html)
    for lacking in ("text-decoration-thickness", "text-underline-offset", "gap", "position"):
        assert lacking not in used
    assert used - _css_properties(default) <= {"border"}, name  # the outline button


def test_brief_is_a_dense_text_list_without_images_or_cards() -> None:
    logo = {"url": "https://example.com/logo.png", "alt": "Logo", "width": 90, "height": 30}
    brief = Settings(theme="brief", style={"logo": logo})
    rendered = render_issue(make_issue(), brief)
    page = Page(rendered.html)
    assert page.all("img") == []  # not even a configured logo
    assert "In this issue" not in page.visible_text()
    assert "border-radius" not in rendered.html  # no cards, no band
    assert "Issue 12 · Wednesday 25 November 2026" in page.visible_text()
    default = render_issue(make_issue(), Settings(style={"logo": logo})).html
    assert len(rendered.html) < 0.6 * len(default)
    assert len(Page(default).all("img")) == 1


@pytest.mark.parametrize("button", ["filled", "outline", "link"])
def test_magazine_read_more_links_follow_the_button_style(button: str) -> None:
    settings = Settings(theme="magazine", style={"button": button, "button_radius": 12})
    page = Page(render_issue(make_issue(), settings).html)
    read_more = [a for a in page.all("a") if a.get("aria-label", "").startswith("Read more: ")]
    assert len(read_more) == 12
    # Twelve "Read more" links, each named for its story.
    assert len({a["aria-label"] for a in read_more}) == 12
    assert read_more[0]["href"] == make_item(0).url
    style = read_more[0]["style"]
    brand = settings.resolved_theme.style.colours["brand"]
    assert (f"background-color:{brand}" in style) == (button == "filled")
    assert (f"border:2px solid {brand}" in style) == (button == "outline")
    assert ("border-radius:12px" in style) == (button != "link")


def test_magazine_puts_the_first_item_first_and_larger() -> None:
    html = render_issue(make_issue(), Settings(theme="magazine")).html
    sizes = re.findall(r'<h2 class="ink" style="[^"]*font-size:(\d+)px', html)
    assert sizes[0] == "30" and set(sizes[1:]) == {"20"} and len(sizes) == 12
    assert html.count("mj-column-per-50") > 10  # the grid: two columns a row


# --------------------------------------------------------------------------- overrides


FOOTER_OVERRIDE = (
    '{% extends "!theme/issue.mjml.j2" %}\n'
    "{% block footer %}\n"
    '<mj-section padding="20px"><mj-column><mj-text>\n'
    "<p>Custom footer for {{ issue.newsletter }}</p>\n"
    "</mj-text></mj-column></mj-section>\n"
    "{% endblock footer %}\n"
)


@pytest.mark.parametrize("theme", THEMES)
def test_overriding_one_block_changes_only_that_block(tmp_path: Path, theme: str) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    themed = render_issue(make_issue(), Settings(theme=theme))
    (templates / "issue.mjml.j2").write_text(FOOTER_OVERRIDE, encoding="utf-8")
    overridden = render_issue(make_issue(), Settings(theme=theme, templates=templates))

    a, b = themed.html, overridden.html
    start = next(i for i, (x, y) in enumerate(zip(a, b, strict=False)) if x != y)
    end = next(i for i in range(1, len(a)) if a[-i] != b[-i]) - 1
    before, theirs, ours = a[:start], a[start : len(a) - end], b[start : len(b) - end]
    # Everything up to the last item is the same; what differs is the footer.
    assert make_item(11).lead in before and before.count(make_item(0).lead) == 12
    assert "You are receiving The Digest" in theirs and "Custom footer" not in theirs
    assert "Custom footer for The Digest" in ours
    assert not any(make_item(n).title in theirs for n in range(12))
    assert overridden.text == themed.text  # only the HTML template was overridden


def test_an_override_added_while_running_is_picked_up(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    settings = Settings(theme="magazine", templates=templates)
    assert "Custom footer" not in render_issue(make_issue(), settings).html
    (templates / "issue.mjml.j2").write_text(FOOTER_OVERRIDE, encoding="utf-8")
    assert "Custom footer" in render_issue(make_issue(), settings).html
    (templates / "issue.mjml.j2").unlink()
    assert "Custom footer" not in render_issue(make_issue(), settings).html


def test_an_error_in_an_override_names_its_file_and_line(tmp_path: Path) -> None:
    templates = tmp_path / "templates"
    templates.mkdir()
    broken = FOOTER_OVERRIDE.replace("{{ issue.newsletter }}", "{{ issue.newsleter }}")
    (templates / "issue.mjml.j2").write_text(broken, encoding="utf-8")
    with pytest.raises(TemplateProblem) as caught:
        render_issue(make_issue(), Settings(theme="brief", templates=templates))
    assert str(caught.value).startswith(f"{templates / 'issue.mjml.j2'}, line 4: ")
    assert "newsleter" in str(caught.value)


@pytest.mark.parametrize(
    ("source", "line"),
    [
        (FOOTER_OVERRIDE.replace("{{ issue.newsletter }}", "{{ issue.newsleter }}"), 4),
        (FOOTER_OVERRIDE.replace("{% endblock footer %}", "{% endblock footer"), 6),
    ],
)
def test_the_cli_names_the_override_file_and_line_in_one_line(
    tmp_path: Path, source: str, line: int
) -> None:
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    (tmp_path / "templates").mkdir()
    (tmp_path / "templates" / "issue.mjml.j2").write_text(source, encoding="utf-8")
    write_config(tmp_path, 'sources = ["seeds"]\ntheme = "magazine"\ntemplates = "templates"\n')
    result = run_digest("render", cwd=tmp_path)
    assert result.returncode == 1
    errors = [x for x in result.stderr.splitlines() if "error" in x]
    assert len(errors) == 1 and "Traceback" not in result.stderr
    assert f"{tmp_path / 'templates' / 'issue.mjml.j2'}, line {line}" in errors[0]


@pytest.mark.parametrize("theme", SHIPPED)
def test_the_cli_renders_and_checks_each_theme_without_a_finding(
    tmp_path: Path, theme: str
) -> None:
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    write_config(tmp_path, f'sources = ["seeds"]\ntheme = "{theme}"\n')
    rendered = run_digest("render", cwd=tmp_path)
    assert rendered.returncode == 0, rendered.stderr
    checked = run_digest("check", cwd=tmp_path)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.strip() == f"{rendered.stdout.strip()}: ok"


def test_the_preview_follows_a_new_override_and_names_its_errors_file_and_line(
    tmp_path: Path,
) -> None:
    """An empty templates/ folder beside a shipped theme: saving an override there
    re-renders the open draft, and a mistake in it shows its file and line."""
    from tests.test_preview import eventually, running

    site = tmp_path / "site"
    shutil.copytree(ROOT / "seeds", site / "seeds")
    (site / "templates").mkdir()
    config = write_config(
        site, 'sources = ["seeds"]\ntheme = "magazine"\ntemplates = "templates"\n'
    )
    override = site / "templates" / "issue.mjml.j2"
    with running(config) as live:
        first = live.get("/issues/draft")
        assert first.status_code == 200 and "Top story" in first.text

        broken = FOOTER_OVERRIDE.replace("{{ issue.newsletter }}", "{{ issue.newsleter }}")
        override.write_text(broken, encoding="utf-8")
        page = eventually(
            lambda: (r := live.get("/issues/draft")).status_code == 500 and r,
            "the draft reports the broken override",
        )
        assert f'id="error-file">{override}<' in page.text
        assert 'id="error-lineno">4<' in page.text

        override.write_text(FOOTER_OVERRIDE, encoding="utf-8")
        fixed = eventually(
            lambda: (r := live.get("/issues/draft")).status_code == 200 and r,
            "the fixed override renders",
        )
        assert "Custom footer for The Digest" in fixed.text and "Top story" in fixed.text


# --------------------------------------------------------------------------- in a browser


def _open(browser: Any, html: Path, width: int) -> Any:
    context = browser.new_context(viewport={"width": width, "height": 900})
    page = context.new_page()
    page.goto(html.as_uri())
    return context, page


def _cells(page: Any) -> list[dict[str, float]]:
    """The boxes of the first grid row's two cells."""
    return page.evaluate(
        "() => [...document.querySelector('.grid').querySelectorAll('div[class*=mj-column-]')]"
        ".map(e => { const r = e.getBoundingClientRect();"
        " return {left: r.left, top: r.top, right: r.right, bottom: r.bottom}; })"
    )


@pytest.mark.parametrize("theme", THEMES)
def test_each_theme_fits_a_desktop_and_a_phone_in_chromium(
    browser: Any, tmp_path: Path, theme: str
) -> None:
    html = tmp_path / f"{theme}.html"
    html.write_text(render_issue(seeds_issue(), Settings(theme=theme)).html, encoding="utf-8")
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    boxes = {}
    for width in (600, 375):
        context, page = _open(browser, html, width)
        try:
            overflow = page.evaluate(
                "() => [document.documentElement.scrollWidth,"
                " document.documentElement.clientWidth]"
            )
            assert overflow[0] <= overflow[1], f"{theme} overflows at {width}px: {overflow}"
            assert "Harbour Bridge Reopens" in page.inner_text("body")
            page.screenshot(path=str(ARTIFACTS / f"theme-{theme}-{width}.png"), full_page=True)
            if theme == "magazine":
                boxes[width] = _cells(page)
        finally:
            context.close()
    if theme == "magazine":
        (left, right), (top, bottom) = boxes[600], boxes[375]
        # At 600px, side by side: one row, the second cell right of the first.
        assert abs(left["top"] - right["top"]) < 1 and right["left"] >= left["right"] - 1
        assert left["right"] - left["left"] < 320
        # At 375px, stacked: one column, the second cell below the first.
        assert abs(top["left"] - bottom["left"]) < 1 and bottom["top"] >= top["bottom"] - 1
        assert top["right"] - top["left"] > 300


@pytest.mark.parametrize("theme", SHIPPED)
def test_each_theme_reads_right_to_left_in_arabic(
    browser: Any, tmp_path: Path, theme: str
) -> None:
    """``language = "ar"``: every shipped theme is mirrored, not only the default. The
    lead reads right to left and flush right, nothing overflows a phone, and the
    magazine's grid puts its first cell on the right."""
    html = tmp_path / f"{theme}-ar.html"
    rendered = render_issue(seeds_issue(), Settings(theme=theme, language="ar"))
    html.write_text(rendered.html, encoding="utf-8")
    assert 'dir="rtl"' in rendered.html and "العدد" in rendered.html
    for width in (600, 375):
        context, page = _open(browser, html, width)
        try:
            layout = page.evaluate(
                "() => { const p = [...document.querySelectorAll('p.ink')].at(-1);"
                " const s = getComputedStyle(p);"
                " return {direction: s.direction, align: s.textAlign,"
                " scroll: document.documentElement.scrollWidth,"
                " client: document.documentElement.clientWidth}; }"
            )
            cells = _cells(page) if theme == "magazine" else []
            page.screenshot(path=str(ARTIFACTS / f"theme-{theme}-ar-{width}.png"), full_page=True)
        finally:
            context.close()
        assert layout["direction"] == "rtl" and layout["align"] == "right", layout
        assert layout["scroll"] <= layout["client"], f"{theme} overflows at {width}px"
        if theme == "magazine" and width == 600:
            first, second = cells
            assert first["left"] >= second["right"] - 1, "the grid is not mirrored"
