"""Rules: what is wrong with one issue, before anyone receives it.

This module owns the rules (Gmail clipping, HTML/plain-text parity, alt text, https
links, lead length, what was left out (links not shown, leads of a few words, entries
without text), empty sections, first-run floods, contrast, long text lines,
the unsubscribe link, parts that disagree with their files, fixed words the
language's catalogue lacks), each a ``check_*``
function, their limits, and ``run_checks``, which runs them all. Every rule is a
pure function from an issue's four forms (``digest.outbox.IssueFiles``) and the
settings to a list of ``Finding``; what the HTML and text hold comes from
``digest.check.facts``; reading the files or rendering a draft happens at the edges
(``digest.outbox``). The preview's checks panel and ``digest check`` both call
``run_checks``, so they always agree.
"""

from __future__ import annotations

import re
from collections.abc import Callable
from urllib.parse import urlsplit

from digest.check import Finding
from digest.check.facts import URL_IN_TEXT, eml_message, html_facts, text_links
from digest.colours import AA_LARGE, AA_NORMAL, contrast_ratio
from digest.config import Settings
from digest.outbox import HTML_FILE, TEXT_FILE, IssueFiles
from digest.render import (
    HTML_TEMPLATE,
    TEXT_TEMPLATE,
    TEXT_WIDTH,
    item_notes,
    straight_quotes,
    untranslated_words,
)
from digest.render.i18n import catalogue_path, shipped_languages
from digest.summarise import lead_ceiling

GMAIL_CLIP_BYTES = 102 * 1024
"""Gmail hides everything after this much HTML behind "[Message clipped]", including
the footer with the unsubscribe link."""
SIZE_WARNING_BYTES = 90 * 1024
"""Above this an issue is one long item away from being clipped."""
FLOOD_FACTOR = 2
"""New items (in the issue and left for later) of this many times ``max_items`` or
more are a flood: a first run on a big feed, or a long pause."""
_LEFTOVERS = ("{{", "}}", "{%", "%}")


def check_size(files: IssueFiles, settings: Settings) -> list[Finding]:
    size = files.html_bytes
    if size > GMAIL_CLIP_BYTES:
        return [
            Finding(
                "error",
                "size",
                f"HTML is {size / 1024:.1f} KB: Gmail clips messages over "
                f"{GMAIL_CLIP_BYTES // 1024} KB and hides the rest, footer and unsubscribe "
                "link included",
            )
        ]
    if size > SIZE_WARNING_BYTES:
        return [
            Finding(
                "warning",
                "size",
                f"HTML is {size / 1024:.1f} KB, close to Gmail's "
                f"{GMAIL_CLIP_BYTES // 1024} KB clipping limit",
            )
        ]
    return []


def check_parity(files: IssueFiles, settings: Settings) -> list[Finding]:
    """Readers of either part must get the same items and the same links."""
    facts = html_facts(files.html)
    # Compared whatever the quote style: the parts show titles with curly quotes
    # (render.curl_quotes), issue.json keeps them as the source wrote them.
    html_text = straight_quotes(facts.visible_text).casefold()
    plain = straight_quotes(" ".join(files.text.split())).casefold()
    findings = []
    for item in files.items:
        title = straight_quotes(" ".join(str(item.get("title", "")).split()))
        if not title:
            continue
        missing = [
            name
            for name, body in (("HTML", html_text), ("plain text", plain))
            if title.casefold() not in body
        ]
        if missing:
            findings.append(
                Finding("error", "parity", f"item {title!r} is missing from the {missing[0]}")
            )
    html_urls = {href for href, _ in facts.links if href.lower().startswith(("http:", "https:"))}
    text_urls = set(text_links(files.text))
    for url in sorted(html_urls - text_urls):
        findings.append(Finding("error", "parity", f"link {url} is in the HTML only"))
    for url in sorted(text_urls - html_urls):
        findings.append(Finding("error", "parity", f"link {url} is in the plain text only"))
    return findings


def check_alt_text(files: IssueFiles, settings: Settings) -> list[Finding]:
    findings = []
    for image in html_facts(files.html).images:
        if image.get("alt") is None:
            src = image.get("src") or "(no src)"
            findings.append(Finding("error", "alt-text", f"image {src} has no alt attribute"))
    return findings


def check_https(files: IssueFiles, settings: Settings) -> list[Finding]:
    findings = []
    seen: set[str] = set()
    facts = html_facts(files.html)
    candidates = [("HTML", href) for href, _ in facts.links]
    candidates += [("HTML", img.get("src") or "") for img in facts.images]
    candidates += [("plain text", url) for url in text_links(files.text)]
    for where, url in candidates:
        scheme = urlsplit(url.strip()).scheme.lower()
        if scheme in ("https", "mailto") or url.startswith("#") or (where, url) in seen:
            continue
        seen.add((where, url))
        findings.append(Finding("error", "https", f"{where} link {url or '(empty)'} is not https"))
    return findings


def check_leads(files: IssueFiles, settings: Settings) -> list[Finding]:
    findings = []
    # Only the default strategy may run past the budget (see LEAD_OVERRUN).
    overrun = settings.lead_overrun if settings.lead_strategy == "lead" else 0.0
    longest = lead_ceiling(settings.lead_words, overrun)
    allowed = f"the budget of {longest} (lead_words)"
    if longest > settings.lead_words:
        allowed = (
            f"the {longest} words a lead may have (lead_words {settings.lead_words},"
            f" lead_overrun {overrun:g})"
        )
    for number, item in enumerate(files.items, start=1):
        title = item.get("title") or f"item {number}"
        lead = " ".join(str(item.get("lead") or "").split())
        words = len(lead.split())
        if not lead and item.get("kind") != "link":  # a link-only item has none on purpose
            findings.append(Finding("error", "lead", f"item {number} {title!r} has an empty lead"))
        elif words > longest:
            findings.append(
                Finding(
                    "warning",
                    "lead",
                    f"item {number} {title!r} has a {words}-word lead, over {allowed}",
                )
            )
    return findings


def check_dropped(files: IssueFiles, settings: Settings) -> list[Finding]:
    """Nothing left out silently: an item's link the templates did not show (not
    https), a lead of a few words, and what the sources offered that the issue left
    out for what it held (``issue.json``'s ``dropped``: an entry with no text)."""
    findings = []
    for number, item in enumerate(files.items, start=1):
        title = item.get("title") or f"item {number}"
        url = item.get("url") if isinstance(item.get("url"), str) else None
        lead = " ".join(str(item.get("lead") or "").split())
        for note in item_notes(url, lead, str(item.get("kind") or "article")):
            findings.append(Finding("warning", "dropped", f"item {number} {title!r}: {note}"))
    dropped = files.meta.get("dropped")
    for note in dropped if isinstance(dropped, list) else []:
        findings.append(Finding("warning", "dropped", f"left out of the issue: {note}"))
    return findings


def check_sections(files: IssueFiles, settings: Settings) -> list[Finding]:
    """A heading with nothing under it before the next heading of its rank or higher."""
    if not files.items:
        return [Finding("error", "empty-section", "the issue has no items")]
    findings = []
    blocks = html_facts(files.html).blocks
    for index, (level, text) in enumerate(blocks):
        if level == 0:
            continue
        following = blocks[index + 1 : index + 2]
        # Content, or a sub-heading (which brings its own content), fills a section.
        has_content = bool(following) and (following[0][0] == 0 or following[0][0] > level)
        if not has_content:
            findings.append(Finding("warning", "empty-section", f"section {text!r} is empty"))
    return findings


def check_flood(files: IssueFiles, settings: Settings) -> list[Finding]:
    """Far more new items than ``max_items``: either all in this issue (a hand-made
    one), or, as rendering caps the issue, waiting in the backlog to trickle out."""
    count, limit, backlog = len(files.items), settings.max_items, files.backlog
    if count >= FLOOD_FACTOR * limit:
        return [
            Finding(
                "error",
                "flood",
                f"first-run flood: {count} items, far more than max_items = {limit}; "
                "readers get the whole backlog at once",
            )
        ]
    if count + backlog >= FLOOD_FACTOR * limit:
        later = -(-backlog // limit)  # issues needed for the rest, rounded up
        return [
            Finding(
                "error",
                "flood",
                f"{count + backlog} new items are waiting, far more than max_items = "
                f"{limit}: this issue sends {count} and leaves {backlog} to trickle out "
                f"over the next {later} issue{'' if later == 1 else 's'}; raise max_items "
                "for one issue, or remove old entries from the sources",
            )
        ]
    if count > limit:
        return [Finding("warning", "flood", f"{count} items, more than max_items = {limit}")]
    return []


def check_contrast(files: IssueFiles, settings: Settings) -> list[Finding]:
    findings = []
    seen: set[tuple[str, str, bool]] = set()
    for text, colour, background, large in html_facts(files.html).text_runs:
        key = (colour, background, large)
        if key in seen:
            continue
        seen.add(key)
        ratio = contrast_ratio(colour, background)
        needed = AA_LARGE if large else AA_NORMAL
        if ratio < needed:
            sample = text if len(text) <= 40 else text[:39] + "…"
            findings.append(
                Finding(
                    "error",
                    "contrast",
                    f"text {colour} on {background} has contrast {ratio:.2f}:1, WCAG AA "
                    f"needs {needed}:1 (e.g. {sample!r})",
                )
            )
    return findings


def check_text_lines(files: IssueFiles, settings: Settings) -> list[Finding]:
    findings = []
    for number, line in enumerate(files.text.splitlines(), start=1):
        # A URL alone on its line may be longer: breaking it would break the link.
        if len(line) > TEXT_WIDTH and not URL_IN_TEXT.fullmatch(line.strip()):
            findings.append(
                Finding(
                    "warning",
                    "text-width",
                    f"plain-text line {number} is {len(line)} characters (at most "
                    f"{TEXT_WIDTH}): {line[:40]}…",
                )
            )
    return findings


def check_unsubscribe(files: IssueFiles, settings: Settings) -> list[Finding]:
    url = settings.unsubscribe_url
    if not url:
        return [Finding("error", "unsubscribe", "no unsubscribe_url is configured")]
    findings = []
    links = html_facts(files.html).links
    if not any(href == url for href, _ in links):
        findings.append(Finding("error", "unsubscribe", f"the HTML has no link to {url}"))
    if url not in text_links(files.text):
        findings.append(Finding("error", "unsubscribe", f"the plain text does not give {url}"))
    message = eml_message(files.eml)
    if message is not None and f"<{url}>" not in str(message.get("List-Unsubscribe", "")):
        findings.append(
            Finding("warning", "unsubscribe", "the .eml has no List-Unsubscribe header for it")
        )
    return findings


def check_leftovers(files: IssueFiles, settings: Settings) -> list[Finding]:
    """Template syntax or a Python ``None`` that leaked into what readers see.

    Only template-made text is judged: the items' own titles, leads and headings are
    taken out first, so an article about ``{{ braces }}`` or one starting "None of
    the…" is not mistaken for a broken template.
    """
    findings = []
    visible = straight_quotes(html_facts(files.html).visible_text)
    plain = straight_quotes(" ".join(files.text.split()))  # wrapping never breaks words
    for text in map(straight_quotes, files.item_texts()):
        # Whole words only: a title "No" must not hide a leftover "None".
        own = re.compile(rf"(?<!\w){re.escape(text)}(?!\w)")
        visible, plain = own.sub(" ", visible), own.sub(" ", plain)
    for name, body in (("HTML", visible), ("plain text", plain)):
        for marker in _LEFTOVERS:
            if marker in body:
                findings.append(Finding("error", "leftover", f"the {name} contains {marker!r}"))
        for word in ("None", "undefined"):
            if re.search(rf"(?<![\w-]){word}(?![\w-])", body):
                findings.append(Finding("warning", "leftover", f"the {name} contains {word!r}"))
    return findings


def check_eml(files: IssueFiles, settings: Settings) -> list[Finding]:
    """The .eml is what gets sent: its parts must be the files the editor looked at."""
    message = eml_message(files.eml)
    if message is None:
        return [Finding("error", "eml", "there is no .eml message")]
    findings = []
    for header in ("From", "To", "Subject", "Date", "Message-ID"):
        if not message.get(header):
            findings.append(Finding("error", "eml", f"the .eml has no {header} header"))
    for subtype, body, name in (
        ("plain", files.text, TEXT_FILE),
        ("html", files.html, HTML_FILE),
    ):
        part = next((p for p in message.walk() if p.get_content_type() == f"text/{subtype}"), None)
        if part is None:
            findings.append(Finding("error", "eml", f"the .eml has no text/{subtype} part"))
            continue
        content = part.get_content().replace("\r\n", "\n")
        if content != body.replace("\r\n", "\n"):
            findings.append(
                Finding("error", "eml", f"the .eml's text/{subtype} part differs from {name}")
            )
    return findings


SHOWN_WORDS = 5
"""How many untranslated words a finding names before "and N more"."""


def check_language(files: IssueFiles, settings: Settings) -> list[Finding]:
    """Fixed words of the templates (and the view) that the language's catalogue does
    not translate: readers get them in English, so the editor should know which."""
    language = settings.language
    missing = untranslated_words(
        settings.template_folders, language, (HTML_TEMPLATE, TEXT_TEMPLATE, "archive.html.j2")
    )
    if not missing:
        return []
    if catalogue_path(language) is None:
        message = (
            f"language {language!r} has no catalogue, so all {len(missing)} fixed words are"
            f" in English (catalogues: {', '.join(shipped_languages())})"
        )
        return [Finding("warning", "language", message)]
    shown = ", ".join(repr(word) for word in missing[:SHOWN_WORDS])
    if len(missing) > SHOWN_WORDS:
        shown += f" and {len(missing) - SHOWN_WORDS} more"
    count = len(missing)
    why = (
        f"language {language!r}: {count} fixed word{'s' if count != 1 else ''} not "
        "translated, shown in English"
    )
    return [Finding("warning", "language", f"{why}: {shown}")]


CHECKS: tuple[Callable[[IssueFiles, Settings], list[Finding]], ...] = (
    check_size,
    check_parity,
    check_alt_text,
    check_https,
    check_leads,
    check_dropped,
    check_sections,
    check_flood,
    check_contrast,
    check_text_lines,
    check_unsubscribe,
    check_leftovers,
    check_eml,
    check_language,
)


def run_checks(files: IssueFiles, settings: Settings) -> list[Finding]:
    """Every finding for the issue, errors first, in check order."""
    findings = [finding for check in CHECKS for finding in check(files, settings)]
    return sorted(findings, key=lambda f: f.severity != "error")


def has_errors(findings: list[Finding]) -> bool:
    return any(f.severity == "error" for f in findings)
