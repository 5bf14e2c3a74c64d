"""The render stage: HTML, plain text and .eml of an issue, checked against the spec.

Issues and settings are built here directly, so these tests depend on nothing but
``digest.models``, ``digest.config`` and ``digest.render``.
"""

from __future__ import annotations

import email
import os
import re
import shutil
import subprocess
import sys
from datetime import UTC, date, datetime, timedelta, timezone
from email import policy
from html.parser import HTMLParser
from pathlib import Path

import pytest

from digest.colours import contrast_ratio
from digest.config import Settings, bundled_templates
from digest.models import DigestItem, Issue
from digest.render import (
    DARK,
    Palette,
    TemplateProblem,
    build_eml,
    curl_quotes,
    environment,
    long_date,
    one_line,
    preheader,
    render_issue,
    safe_url,
)

LEAD = (
    "Researchers at the harbour lab spent two winters measuring how quickly sea ice forms "
    "along the northern coast, and their data suggest the season now starts nearly three "
    "weeks later than it did in the 1990s, with knock-on effects for shipping routes, seal "
    "colonies and the small fishing towns that depend on them, the authors said in a report today."
)
TITLES = [
    "Sea ice is arriving three weeks later",
    "Why your CI pipeline is slow and how to fix it",
    "The quiet comeback of the tram",
    "Ten years of Rust in production",
    "What bees can teach us about voting",
    "Inside the world's smallest bookshop",
    "The maths behind a perfect espresso",
    "How cities are rethinking night-time noise",
    "Reading old maps with machine learning",
    "The surprising history of the paperclip",
    "A week without notifications",
    "Notes from a lighthouse keeper",
]


@pytest.fixture(autouse=True)
def _no_digest_env(monkeypatch: pytest.MonkeyPatch) -> None:
    # Settings() reads DIGEST_* variables; the tests must not see the caller's.
    for key in list(os.environ):
        if key.startswith("DIGEST_"):
            monkeypatch.delenv(key)


def make_item(n: int, **changes: object) -> DigestItem:
    values: dict[str, object] = {
        "id": f"item-{n}",
        "title": TITLES[n % len(TITLES)],
        "lead": LEAD,
        "headings": ["Background", "What the data show", "What comes next"],
        "word_count": 900 + n,
        "reading_minutes": 4 + n % 3,
        "source": "https://feeds.example.org/rss.xml",
        "url": f"https://www.example.com/2026/11/story-{n}?ref=digest&utm=mail",
        "published": datetime(2026, 11, 24, 9, 30, tzinfo=UTC),
    }
    values.update(changes)
    return DigestItem(**values)


def make_issue(items: list[DigestItem] | None = None, **changes: object) -> Issue:
    items = items if items is not None else [make_item(n) for n in range(12)]
    values: dict[str, object] = {
        "newsletter": "The Digest",
        "number": 12,
        "date": date(2026, 11, 25),
        "subject": f"The Digest #12: {items[0].title if items else 'nothing new'}",
        "items": items,
        "created_at": datetime(2026, 11, 25, 7, 0, tzinfo=timezone(timedelta(hours=1))),
    }
    values.update(changes)
    return Issue(**values)


@pytest.fixture
def settings() -> Settings:
    return Settings()


@pytest.fixture
def rendered(settings: Settings):
    return render_issue(make_issue(), settings)


# --------------------------------------------------------------------------- HTML parsing

VOID = {"area", "base", "br", "col", "embed", "hr", "img", "input", "link", "meta", "source",
        "track", "wbr"}  # fmt: skip


class Page(HTMLParser):
    """Collects what the tests check: elements, links, visible text with its colours."""

    def __init__(self, html: str) -> None:
        super().__init__(convert_charrefs=True)
        self.elements: list[tuple[str, dict[str, str]]] = []
        self.links: list[dict[str, str]] = []
        """Links out of the email (``<a href>`` not starting with "#")."""
        self.jumps: list[dict[str, str]] = []
        """In-page links ("#item-3"): the contents' links to the items."""
        self.title = ""
        self.texts: list[tuple[str, str, str]] = []  # (text, colour, background)
        self.hidden_texts: list[str] = []
        self.doctype = ""
        self._stack: list[tuple[str, str | None, str | None, bool]] = []
        self._link: dict[str, str] | None = None
        self.feed(html)
        self.close()

    def handle_decl(self, decl: str) -> None:
        self.doctype = decl

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        attributes = {k: v or "" for k, v in attrs}
        self.elements.append((tag, attributes))
        if tag == "a" and "href" in attributes:  # an <a name> target is no link
            href = attributes["href"]
            self._link = {"href": href, "text": "", "label": attributes.get("aria-label", "")}
            (self.jumps if href.startswith("#") else self.links).append(self._link)
        if tag in VOID:
            return
        style = attributes.get("style", "").lower()
        colour = _css(style, r"(?<![-\w])color")
        background = _css(style, r"background(?:-color)?") or _hex(attributes.get("bgcolor"))
        hidden = "display:none" in style.replace(" ", "")
        self._stack.append((tag, colour, background, hidden))

    def handle_endtag(self, tag: str) -> None:
        if tag == "a":
            self._link = None
        for i in range(len(self._stack) - 1, -1, -1):
            if self._stack[i][0] == tag:
                del self._stack[i:]
                break

    def handle_data(self, data: str) -> None:
        tags = [entry[0] for entry in self._stack]
        if "title" in tags:
            self.title += data
        if "head" in tags or not data.strip():
            return
        if self._link is not None:
            self._link["text"] += data
        if any(entry[3] for entry in self._stack):
            self.hidden_texts.append(data)
            return
        colour = next((c for _, c, _, _ in reversed(self._stack) if c), "#000000")
        background = next((b for _, _, b, _ in reversed(self._stack) if b), "#ffffff")
        self.texts.append((data, colour, background))

    def all(self, tag: str) -> list[dict[str, str]]:
        return [attrs for name, attrs in self.elements if name == tag]

    def every_link(self) -> list[dict[str, str]]:
        return self.links + self.jumps

    def visible_text(self) -> str:
        return " ".join(" ".join(text.split()) for text, _, _ in self.texts)


def _hex(value: str | None) -> str | None:
    if not value or not re.fullmatch(r"#[0-9a-fA-F]{3}|#[0-9a-fA-F]{6}", value):
        return None
    value = value.lower()
    return value if len(value) == 7 else "#" + "".join(c * 2 for c in value[1:])


def _css(style: str, prop: str) -> str | None:
    found = re.findall(rf"{prop}\s*:\s*(#[0-9a-f]{{3,6}})\b", style)
    return _hex(found[-1]) if found else None


def parse_eml(eml: bytes) -> email.message.EmailMessage:
    return email.message_from_bytes(eml, policy=policy.default)


def plain(part_text: str) -> str:
    """A decoded part with the wire's CRLF read as the strings' canonical "\\n"."""
    return part_text.replace("\r\n", "\n")


# --------------------------------------------------------------------------- HTML


def test_html_document_head(rendered, settings: Settings) -> None:
    page = Page(rendered.html)
    issue = make_issue()
    assert page.doctype.lower() == "doctype html"
    assert page.all("html")[0]["lang"] == "en"
    metas = page.all("meta")
    assert any("charset=utf-8" in m.get("content", "").lower() or m.get("charset") for m in metas)
    assert any(m.get("name") == "viewport" for m in metas)
    assert page.title == issue.subject
    assert "max-width:600px" in rendered.html
    assert "<!--[if mso" in rendered.html  # Outlook conditionals survive comment stripping


def test_preheader_is_hidden_distinct_and_sized(rendered) -> None:
    page = Page(rendered.html)
    assert len(page.hidden_texts) == 1
    text = page.hidden_texts[0].strip()
    assert 40 <= len(text) <= 140
    assert text != make_issue().subject
    assert TITLES[0] in text


@pytest.mark.parametrize(
    "titles",
    [["Short"], ["A" * 300], ["Tiny", "Also tiny"], TITLES, []],
)
def test_preheader_bounds(titles: list[str]) -> None:
    text = preheader(titles, "Subject line", "The Digest")
    assert 40 <= len(text) <= 140
    assert text != "Subject line"


def test_every_table_is_presentation_and_images_have_alt(rendered) -> None:
    page = Page(rendered.html)
    tables = page.all("table")
    assert tables
    assert all(t.get("role") == "presentation" for t in tables)
    # Outlook-only tables live inside conditional comments: check those too.
    for table in re.findall(r"<table\b[^>]*>", rendered.html, re.IGNORECASE):
        assert 'role="presentation"' in table
    assert all("alt" in img for img in page.all("img"))


def test_no_active_content_or_template_leftovers(rendered) -> None:
    page = Page(rendered.html)
    assert not {"script", "form", "iframe", "object", "embed"} & {t for t, _ in page.elements}
    for leftover in ("{{", "{%", "None", "undefined"):
        assert leftover not in rendered.html
        assert leftover not in rendered.text


def accessible_name(link: dict[str, str]) -> str:
    """What a screen reader announces: the aria-label if any, else the link's text."""
    return " ".join((link["label"] or link["text"]).split())


def test_links_are_https_named_and_distinct(rendered) -> None:
    page = Page(rendered.html)
    links = page.links
    assert len(links) == 12 + 1  # twelve titles and the unsubscribe link
    assert all(link["href"].startswith("https://") for link in links)
    # The contents link each item by an in-page anchor, twelve more links.
    assert [j["href"] for j in page.jumps] == [f"#item-{n}" for n in range(1, 13)]
    names = [accessible_name(link) for link in page.every_link()]
    assert all(names)
    assert len(set(names)) == len(names)
    assert "Read more" not in names
    # Where a client drops aria-label (Yahoo, AOL), the texts are still distinct.
    texts = [" ".join(link["text"].split()) for link in page.every_link()]
    assert len(set(texts)) == len(texts)


def test_repeated_titles_get_distinct_link_names(settings: Settings) -> None:
    items = [make_item(0), make_item(1, title=TITLES[0]), make_item(2, title=TITLES[0], url=None)]
    page = Page(render_issue(make_issue(items), settings).html)
    names = [accessible_name(link) for link in page.every_link()]
    assert len(set(names)) == len(names)
    texts = [link["text"] for link in page.every_link()]
    assert len(set(texts)) == len(texts)


def test_contents_link_to_their_items_by_id_and_name(settings: Settings) -> None:
    items = [make_item(0), make_item(1, url=None)]
    page = Page(render_issue(make_issue(items), settings).html)
    first, second = page.jumps
    assert first["href"] == "#item-1" and second["href"] == "#item-2"
    assert accessible_name(first) == f"Go to: {TITLES[0]}"
    assert accessible_name(second) == f"Go to: {TITLES[1]}"
    for n in (1, 2):
        # Each heading carries the id (browsers, Apple Mail) and an empty <a name>
        # inside it (Gmail and Outlook jump only to that).
        (heading,) = [attrs for tag, attrs in page.elements if attrs.get("id") == f"item-{n}"]
        assert [tag for tag, attrs in page.elements if attrs is heading] == ["h2"]
        assert {"name": f"item-{n}"} in [attrs for tag, attrs in page.elements if tag == "a"]
    # The text version's contents give each linked item's [n] reference.
    contents = page_contents(render_issue(make_issue(items), settings).text)
    assert f" 1. {TITLES[0]} [1]" in contents
    assert f" 2. {TITLES[1]}\n" in contents


def page_contents(text: str) -> str:
    """The plain text's "In this issue" list."""
    return text[text.index("IN THIS ISSUE") : text.index("-" * 78)]


def test_each_item_in_html_and_text(rendered) -> None:
    page = Page(rendered.html)
    visible = page.visible_text()
    hrefs = {link["href"] for link in page.links}
    for n in range(12):
        item = make_item(n)
        title = curl_quotes(item.title)  # one quote style: "world's" is shown "world’s"
        assert visible.count(title) >= 2  # contents list and card
        assert rendered.text.count(title) >= 2
        assert item.url in hrefs
        assert item.url in rendered.text
        assert f"{item.reading_minutes} min read" in visible
        assert f"{item.reading_minutes} min read" in rendered.text
    assert visible.count(LEAD) == 12
    assert " ".join(rendered.text.split()).count(LEAD) == 12
    headings = "In this article: Background · What the data show · What comes next"
    assert visible.count(headings) == 12
    assert " ".join(rendered.text.split()).count(headings) == 12
    assert "example.com" in visible
    assert "Wednesday 25 November 2026" in visible
    assert "Wednesday 25 November 2026" in rendered.text


def test_bylines_name_the_site_and_date_never_a_file_name(settings: Settings) -> None:
    item = make_item(0, url=None, source="/srv/articles/sea-ice.md", published=None)
    other = make_item(1, published=datetime(2026, 3, 2, 23, 30, tzinfo=UTC))
    # A page fetched from a mirror: its byline is the site it names for itself.
    page = make_item(
        2, url="https://mirror.example.net/x", site="The Coastal Courier", published=None
    )
    rendered = render_issue(make_issue([item, other, page]), settings)
    visible = Page(rendered.html).visible_text()
    assert "sea-ice" not in visible and "sea-ice" not in rendered.text
    assert "5 min read · example.com · 2 Mar 2026" in visible
    assert "5 min read · example.com · 2 Mar 2026" in rendered.text
    assert "min read · The Coastal Courier" in visible
    assert "min read · The Coastal Courier" in rendered.text
    assert "mirror.example.net" not in visible


def test_one_quote_style_in_html_and_text(settings: Settings) -> None:
    """Straight quotes become curly, the same way in both parts, beside curly ones."""
    item = make_item(
        0,
        title='Ferry change "a step backwards", say the island\'s commuters',
        lead="Commuters said the 'new' timetable was \"unworkable\". It’s due in May.",
        headings=["What's next"],
    )
    rendered = render_issue(make_issue([item]), settings)
    visible = Page(rendered.html).visible_text()
    plain = " ".join(rendered.text.split())
    for text in (visible, plain):
        assert "Ferry change “a step backwards”, say the island’s commuters" in text
        assert "Commuters said the ‘new’ timetable was “unworkable”. It’s due in May." in text
        assert "What’s next" in text


def test_user_text_is_escaped_in_html_and_plain_in_text(settings: Settings) -> None:
    evil = "<script>alert(1)</script> & friends"
    item = make_item(0, title=evil, lead="Fish & chips <b>bold</b>", headings=["Q&A"])
    rendered = render_issue(make_issue([item], subject="Tom & Jerry <i>"), settings)
    page = Page(rendered.html)
    assert not page.all("script") and not page.all("b") and not page.all("i")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; &amp; friends" in rendered.html
    assert evil in page.visible_text()
    assert "Fish & chips <b>bold</b>" in page.visible_text()
    assert page.title == "Tom & Jerry <i>"
    assert evil in rendered.text
    assert "Fish & chips <b>bold</b>" in rendered.text
    assert "&amp;" not in rendered.text and "&lt;" not in rendered.text


def test_url_with_query_survives_attribute_escaping(rendered) -> None:
    url = make_item(3).url
    assert "&amp;utm=mail" in rendered.html
    assert url in {link["href"] for link in Page(rendered.html).links}


@pytest.mark.parametrize(
    "url",
    ["http://insecure.example.net/story", "javascript:alert(1)", "ftp://example.com/x",
     "https://", "https://exa mple.com/x", "//example.com/x"],
)  # fmt: skip
def test_non_https_url_is_never_a_link(url: str, settings: Settings) -> None:
    items = [make_item(0, url=url), make_item(1)]
    rendered = render_issue(make_issue(items), settings)
    hrefs = [link["href"] for link in Page(rendered.html).links]
    assert url not in hrefs
    assert all(href.startswith("https://") and href != "https://" for href in hrefs)
    assert url not in rendered.text.split()
    assert "insecure.example.net/story" not in rendered.html + rendered.text
    assert TITLES[0] in Page(rendered.html).visible_text()  # still shown, as plain text
    assert safe_url(url) is None


def test_size_of_twelve_items_stays_below_gmail_clipping(rendered) -> None:
    words = [len(make_item(n).lead.split()) for n in range(12)]
    assert min(words) >= 60
    assert len(rendered.html.encode("utf-8")) < 90 * 1024


@pytest.mark.parametrize("brand", ["#1d4ed8", "#767676", "#000000", "#b91c1c"])
def test_palette_text_contrast_is_wcag_aa(brand: str) -> None:
    palette = Palette(brand=Settings(brand_colour=brand).brand_colour)
    for text, background in palette.text_pairs():
        assert contrast_ratio(text, background) >= 4.5, (text, background)


@pytest.mark.parametrize("brand", ["#1d4ed8", "#767676"])
def test_every_visible_text_in_html_has_aa_contrast(brand: str) -> None:
    settings = Settings(brand_colour=brand)
    page = Page(render_issue(make_issue(), settings).html)
    assert page.texts
    pairs = {(colour, background) for _, colour, background in page.texts}
    for colour, background in pairs:
        assert contrast_ratio(colour, background) >= 4.5, (colour, background)
    assert pairs <= set(Palette(brand=brand).text_pairs())


def test_footer_has_unsubscribe_and_postal_address(rendered, settings: Settings) -> None:
    page = Page(rendered.html)
    assert settings.unsubscribe_url in {link["href"] for link in page.links}
    assert settings.postal_address in page.visible_text()
    assert settings.unsubscribe_url in rendered.text
    assert settings.postal_address in rendered.text


def test_without_unsubscribe_url_footer_stays_without_link() -> None:
    settings = Settings(unsubscribe_url=None)
    rendered = render_issue(make_issue(), settings)
    page = Page(rendered.html)
    assert len(page.links) == 12 and len(page.jumps) == 12
    assert "Unsubscribe" not in page.visible_text()
    assert "Unsubscribe" not in rendered.text
    assert settings.postal_address in page.visible_text()
    assert settings.postal_address in rendered.text
    msg = parse_eml(rendered.eml)
    assert "List-Unsubscribe" not in msg
    assert "List-Unsubscribe-Post" not in msg


def test_long_date() -> None:
    assert long_date(date(2026, 11, 25)) == "Wednesday 25 November 2026"
    assert long_date(date(2027, 1, 3)) == "Sunday 3 January 2027"


# --------------------------------------------------------------------------- plain text


def test_text_lines_and_ending(rendered) -> None:
    lines = rendered.text.split("\n")
    assert rendered.text.endswith("\n") and not rendered.text.endswith("\n\n")
    for line in lines:
        assert line == line.rstrip()
        assert len(line) <= 78 or re.fullmatch(r"https://\S+", line.strip()), line
    assert "\r" not in rendered.text


def test_text_has_no_markup(rendered) -> None:
    assert not re.search(r"</?[a-zA-Z][^>]*>", rendered.text)
    assert not re.search(r"&(#\d+|#x[0-9a-fA-F]+|[a-zA-Z]+);", rendered.text)


def test_every_html_link_is_in_the_text(rendered) -> None:
    links = Page(rendered.html).links
    assert links
    for link in links:
        assert link["href"] in rendered.text.split(), link["href"]


def test_text_numbers_links(rendered) -> None:
    assert "Links:\n[1] https://www.example.com/2026/11/story-0?ref=digest&utm=mail\n" in (
        rendered.text
    )
    assert f"{TITLES[0]} [1]" in rendered.text


def test_a_comments_link_follows_its_item_in_html_and_text(settings: Settings) -> None:
    link = make_item(
        0, lead="", kind="link", comments_url="https://news.example/item?id=7", headings=[]
    )
    rendered = render_issue(make_issue([link, make_item(1)]), settings)

    hrefs = [a["href"] for a in Page(rendered.html).links]
    assert hrefs.index("https://news.example/item?id=7") == hrefs.index(link.url) + 1
    assert "    Comments [2]\n" in rendered.text
    assert "[2] https://news.example/item?id=7\n[3] https://www.example.com/" in rendered.text
    assert f"{TITLES[1]} [3]" in rendered.text


def test_long_url_and_long_words_are_never_broken(settings: Settings) -> None:
    long_url = "https://example.com/" + "a-very-long-path-segment/" * 6 + "end"
    assert len(long_url) > 78
    item = make_item(0, url=long_url, title="T " * 60, lead=("word " * 40) + long_url)
    text = render_issue(make_issue([item]), settings).text
    assert long_url in text.split("\n") or f"    {long_url}" in text.split("\n")
    for line in text.split("\n"):
        assert len(line) <= 78 or line.strip() == long_url


# --------------------------------------------------------------------------- headers and .eml


def test_eml_headers_and_parts(rendered, settings: Settings) -> None:
    msg = parse_eml(rendered.eml)
    issue = make_issue()
    assert msg["From"].addresses[0].addr_spec == "digest@example.com"
    assert msg["From"].addresses[0].display_name == "The Digest"
    assert msg["To"].addresses[0].addr_spec == "readers@example.com"
    assert msg["Subject"] == issue.subject
    sent = msg["Date"].datetime
    assert sent.tzinfo is not None and sent == issue.created_at
    assert re.fullmatch(r"<[A-Za-z0-9.\-]+@example\.com>", msg["Message-ID"])
    assert msg["MIME-Version"] == "1.0"
    assert msg["List-Id"] == "The Digest <the-digest.example.com>"
    assert msg["List-Unsubscribe"] == "<https://example.com/unsubscribe>"
    assert msg["List-Unsubscribe-Post"] == "List-Unsubscribe=One-Click"

    assert msg.get_content_type() == "multipart/alternative"
    parts = list(msg.iter_parts())
    assert [p.get_content_type() for p in parts] == ["text/plain", "text/html"]
    for part, body in zip(parts, (rendered.text, rendered.html), strict=True):
        assert part.get_content_charset() == "utf-8"
        assert part["Content-Transfer-Encoding"] == "quoted-printable"
        assert plain(part.get_content()) == body


def test_eml_wire_format(rendered) -> None:
    raw = rendered.eml
    assert b"\n" not in raw.replace(b"\r\n", b"")  # CRLF only, no bare LF
    assert max(len(line) for line in raw.split(b"\r\n")) <= 998
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert all(len(line) <= 78 for line in head.split(b"\r\n"))
    head.decode("ascii")


def test_non_ascii_subject_and_name_are_encoded() -> None:
    settings = Settings(name="Café Digest", sender="Café Digest <news@example.com>")
    issue = make_issue(newsletter="Café Digest", subject="Café Digest #12: Crème brûlée")
    rendered = render_issue(issue, settings)
    head = rendered.eml.split(b"\r\n\r\n", 1)[0].decode("ascii")
    assert "=?utf-8?" in head.lower()
    msg = parse_eml(rendered.eml)
    assert msg["Subject"] == "Café Digest #12: Crème brûlée"
    assert msg["From"].addresses[0].display_name == "Café Digest"
    assert msg["List-Id"] == "Café Digest <caf-digest.example.com>"
    assert plain(msg.get_body(("html",)).get_content()) == rendered.html
    assert "Crème brûlée" in rendered.html


def test_control_characters_cannot_inject_headers(settings: Settings) -> None:
    title = "Breaking\r\nBcc: victim@example.net\nX-Evil: 1\t\x00\x07 news"
    issue = make_issue([make_item(0, title=title)], subject=f"The Digest: {title}")
    rendered = render_issue(issue, settings)
    msg = parse_eml(rendered.eml)
    clean = "Breaking Bcc: victim@example.net X-Evil: 1 news"
    assert msg["Subject"] == f"The Digest: {clean}"
    assert "Bcc" not in msg and "X-Evil" not in msg
    assert Page(rendered.html).title == f"The Digest: {clean}"
    assert clean in rendered.text
    assert "\x00" not in rendered.text and "\x07" not in rendered.html
    assert one_line(" a\r\n\u2028b\u200bc ") == "a bc"


def test_message_id_is_stable_and_unique(settings: Settings) -> None:
    first = parse_eml(render_issue(make_issue(), settings).eml)["Message-ID"]
    again = parse_eml(render_issue(make_issue(), settings).eml)["Message-ID"]
    other = parse_eml(render_issue(make_issue(number=13), settings).eml)["Message-ID"]
    assert first == again != other
    assert first == "<the-digest.0012.20261125@example.com>"


def test_eml_is_deterministic_and_build_eml_is_a_building_block(settings: Settings) -> None:
    issue = make_issue()
    rendered = render_issue(issue, settings)
    again = render_issue(issue, settings)
    assert (again.html, again.text, again.eml) == (rendered.html, rendered.text, rendered.eml)
    assert build_eml(issue, settings, rendered.html, rendered.text) == rendered.eml


def test_naive_created_at_is_dated_in_the_newsletter_zone(settings: Settings) -> None:
    issue = make_issue(created_at=datetime(2026, 7, 1, 8, 0))
    sent = parse_eml(render_issue(issue, settings).eml)["Date"].datetime
    assert sent.utcoffset() == timedelta(hours=1)  # Europe/London in summer


# --------------------------------------------------------------------------- templates


@pytest.fixture
def template_copy(tmp_path: Path) -> Path:
    folder = tmp_path / "templates"
    shutil.copytree(bundled_templates(), folder)
    return folder


def _break(folder: Path, name: str, old: str, new: str) -> int:
    path = folder / name
    source = path.read_text(encoding="utf-8")
    assert old in source
    path.write_text(source.replace(old, new, 1), encoding="utf-8")
    return source[: source.index(old)].count("\n") + 1


@pytest.mark.parametrize("name", ["issue.mjml.j2", "issue.txt.j2"])
def test_undefined_name_raises_template_problem(template_copy: Path, name: str) -> None:
    line = _break(template_copy, name, "{{ item.lead", "{{ item.leed")
    with pytest.raises(TemplateProblem) as caught:
        render_issue(make_issue(), Settings(templates=template_copy))
    message = str(caught.value)
    assert "\n" not in message
    assert str(template_copy / name) in message
    assert f"line {line}" in message
    assert "leed" in message


def test_syntax_error_raises_template_problem(template_copy: Path) -> None:
    line = _break(template_copy, "issue.mjml.j2", "{% endfor %}", "{% endfore %}")
    with pytest.raises(TemplateProblem) as caught:
        render_issue(make_issue(), Settings(templates=template_copy))
    message = str(caught.value)
    assert "issue.mjml.j2" in message and f"line {line}" in message and "\n" not in message


def test_a_template_deleted_after_start_falls_back_to_the_themes(template_copy: Path) -> None:
    _break(template_copy, "issue.mjml.j2", '>{{ _("In this issue") }}</h2>', ">Inside today</h2>")
    settings = Settings(templates=template_copy)
    assert "Inside today" in render_issue(make_issue(), settings).html
    (template_copy / "issue.mjml.j2").unlink()  # a user's folder overrides by name only
    assert render_issue(make_issue(), settings).html == render_issue(make_issue(), Settings()).html


def test_a_missing_include_raises_template_problem(template_copy: Path) -> None:
    _break(template_copy, "issue.txt.j2", "{{ issue.postal_address }}", '{% include "nope.j2" %}')
    with pytest.raises(TemplateProblem, match=r"nope\.j2"):
        render_issue(make_issue(), Settings(templates=template_copy))


def test_environment_is_cached_and_reloads_edited_templates(template_copy: Path) -> None:
    settings = Settings(templates=template_copy)
    assert environment(template_copy.resolve()) is environment(template_copy.resolve())
    assert "Newly edited footer" not in render_issue(make_issue(), settings).text
    path = template_copy / "issue.txt.j2"
    path.write_text(path.read_text() + "Newly edited footer\n", encoding="utf-8")
    later = path.stat().st_mtime + 5  # mtime granularity: make the change visible
    os.utime(path, (later, later))
    assert "Newly edited footer" in render_issue(make_issue(), settings).text


def test_autoescape_is_on_for_mjml_and_off_for_text(template_copy: Path) -> None:
    env = environment(template_copy.resolve())
    assert env.get_template("issue.mjml.j2").render is not None
    assert env.autoescape("issue.mjml.j2") is True
    assert env.autoescape("issue.txt.j2") is False


def test_templates_document_their_data() -> None:
    for name in ("issue.mjml.j2", "issue.txt.j2"):
        source = (bundled_templates() / name).read_text(encoding="utf-8")
        assert source.startswith("{#")
        assert "items" in source[: source.index("#}")]


def test_importing_render_does_not_load_jinja_or_mjml() -> None:
    code = "import sys, digest.render; print('jinja2' in sys.modules, 'mjml' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.split() == ["False", "False"]


def test_empty_issue_still_renders(settings: Settings) -> None:
    rendered = render_issue(make_issue([], subject="The Digest #12"), settings)
    page = Page(rendered.html)
    assert page.title == "The Digest #12"
    assert settings.postal_address in rendered.text


def test_error_in_a_partial_names_the_partial(template_copy: Path) -> None:
    (template_copy / "_footer.txt.j2").write_text("ok\n{{ issue.no_such_thing }}\n")
    _break(
        template_copy,
        "issue.txt.j2",
        "{{ issue.postal_address }}",
        '{% include "_footer.txt.j2" %}',
    )
    with pytest.raises(TemplateProblem) as caught:
        render_issue(make_issue(), Settings(templates=template_copy))
    assert f"{template_copy / '_footer.txt.j2'}, line 2:" in str(caught.value)


def test_malformed_urls_are_dropped_not_fatal(settings: Settings) -> None:
    item = make_item(0, url="https://[broken/x", source="https://[broken/feed")
    rendered = render_issue(make_issue([item]), settings)
    assert "[broken" not in rendered.html


def test_preheader_never_repeats_the_subject() -> None:
    titles = ["The first story of the week is a long one", "And a second"]
    subject = " · ".join(titles)
    assert preheader(titles, subject, "The Digest") != subject


@pytest.mark.parametrize("length", range(60, 100, 3))
def test_subject_of_any_length_parses_back_unchanged(length: int, settings: Settings) -> None:
    # CPython's folder once left "Subject:" empty for values that fit a continuation
    # line, and parsers read them back with a leading space.
    subject = ("The Digest #1: " + "word " * 30)[:length].strip()
    issue = make_issue(subject=subject)
    raw = build_eml(issue, settings, "<p>x</p>\n", "x\n")
    assert all(len(line) <= 78 for line in raw.split(b"\r\n\r\n")[0].split(b"\r\n"))
    assert parse_eml(raw)["Subject"] == subject


def test_dark_mode_colours_are_wcag_aa_and_declared(rendered) -> None:
    # The header band keeps the light palette's brand colours, so it is not a dark pair.
    shown = [pair for pair in DARK.text_pairs() if pair != (DARK.on_brand, DARK.brand)]
    for text, background in shown:
        assert contrast_ratio(text, background) >= 4.5, (text, background)
    assert '<meta name="color-scheme" content="light dark">' in rendered.html
    assert "prefers-color-scheme: dark" in rendered.html
    assert DARK.card in rendered.html and DARK.ink in rendered.html


def test_a_long_unsubscribe_url_stays_one_readable_line(settings: Settings) -> None:
    url = "https://example.com/unsubscribe?list=the-digest&utm_source=newsletter&id=" + "a" * 60
    raw = render_issue(make_issue(), settings.model_copy(update={"unsubscribe_url": url})).eml
    head = raw.split(b"\r\n\r\n", 1)[0]
    assert f"\r\nList-Unsubscribe: <{url}>\r\n".encode() in head
    assert b"=?utf-8?" not in head


# --------------------------------------------------------------------------- sections


def sectioned_issue() -> Issue:
    """Items as ``issue.assemble`` groups them: no section first, then each section."""
    sections = [None, None, "World", "World", "Science", "Culture", "Culture"]
    return make_issue([make_item(n, section=s) for n, s in enumerate(sections)])


def test_sections_head_their_items_in_html_and_text(settings: Settings) -> None:
    from digest.check import run_checks
    from digest.outbox import files_from_rendered

    issue = sectioned_issue()
    rendered = render_issue(issue, settings)
    page = Page(rendered.html)
    headings = [text.strip() for text, _, _ in page.texts]
    # Each section once in the contents and once above its first item, in order.
    for name in ("World", "Science", "Culture"):
        assert headings.count(name) == 2
    body = rendered.html
    assert body.index(">World</h2>") < body.index(">Science</h2>") < body.index(">Culture</h2>")
    # Item titles sit a level below the section headings, numbered straight through.
    assert len(page.all("h3")) == 7
    numbers = re.findall(r">(\d\d) </span>", body)
    assert numbers == [f"{n:02d}" for n in range(1, 8)]
    text = rendered.text
    body_text = text[text.index("-" * 78) :]  # past the contents
    assert body_text.index("\nWORLD\n") < body_text.index("\nSCIENCE\n")
    assert body_text.index("\nSCIENCE\n") < body_text.index("\nCULTURE\n")
    assert body_text.index(f" 2. {TITLES[1]}") < body_text.index("\nWORLD\n")
    assert body_text.index("\nWORLD\n") < body_text.index(f" 3. {TITLES[2]}")
    contents = text[text.index("IN THIS ISSUE") : text.index("-" * 78)]
    assert contents.splitlines()[2:6] == [
        f" 1. {TITLES[0]} [1]",
        f" 2. {TITLES[1]} [2]",
        "",
        "World",
    ]
    # The checks find every item in both parts and no empty section.
    findings = run_checks(files_from_rendered(issue, rendered), settings)
    assert [f for f in findings if f.rule in ("parity", "empty-section")] == []


def test_without_sections_there_are_no_section_headings(rendered) -> None:
    page = Page(rendered.html)
    assert page.all("h3") == [] and len(page.all("h2")) == 13
    assert "=" * 78 not in rendered.text.split("IN THIS ISSUE")[1]


def test_the_view_groups_consecutive_items_by_section(settings: Settings) -> None:
    from digest.render import build_view

    view = build_view(sectioned_issue(), settings)
    assert [(s.title, [i.number for i in s.items]) for s in view.sections] == [
        (None, [1, 2]),
        ("World", [3, 4]),
        ("Science", [5]),
        ("Culture", [6, 7]),
    ]
    assert view.sectioned
    plain_view = build_view(make_issue(), settings)
    assert [(s.title, len(s.items)) for s in plain_view.sections] == [(None, 12)]
    assert not plain_view.sectioned


def test_sources_that_keep_failing_are_named_in_both_footers(settings: Settings) -> None:
    from digest.models import StaleSource

    stale = [
        StaleSource(name="World Wire", since=datetime(2026, 11, 20, 23, 30, tzinfo=UTC)),
        StaleSource(name="example.org", since=datetime(2026, 11, 22, 6, 0, tzinfo=UTC)),
    ]
    rendered = render_issue(make_issue(stale_sources=stale), settings)
    # Dated in the newsletter's zone (London: still 20 November).
    line = (
        "Not updated: World Wire (failing since 20 Nov 2026); "
        "example.org (failing since 22 Nov 2026)"
    )
    assert line in Page(rendered.html).visible_text()
    footer = rendered.text[rendered.text.rindex("-" * 78) :]
    assert " ".join(footer.split()).startswith(f"{'-' * 78} {line} You are receiving")
    plain_issue = render_issue(make_issue(), settings)
    assert "Not updated" not in plain_issue.html and "Not updated" not in plain_issue.text
