"""The render stage: one ``Issue`` in, its HTML, plain-text and ``.eml`` forms out.

This package owns everything about how an issue *looks* and how it is packaged as a
message. Templates (``issue.mjml.j2`` and ``issue.txt.j2`` in
``settings.templates_dir``) decide layout; the rules that must hold whatever a
template does (only https links, clean one-line headers, ``role="presentation"`` on
layout tables, wrapped text) are enforced here. Here: ``render_issue`` (the three
forms), ``render_web_page`` (the archive's copy) and the steps they run, one module
each:

- ``view``: the data the templates receive (``build_view``, ``IssueView``,
  ``SectionView``, ``ItemView``, ``Palette``, ``DARK``) and its pure helpers
  (``safe_url``, ``source_label``, ``long_date``, ``preheader``, ``web_url``);
- ``templates``: the Jinja environment every digest template shares
  (``template_environment``, ``environment``, ``render_template``, ``TemplateProblem``);
- ``html``: MJML → HTML and the guarantees the HTML keeps (``finish_html``);
- ``text``: the plain text's finishing (``wrap``, ``tidy_text``, ``TEXT_WIDTH``);
- ``eml``: the message and its headers (``build_eml``, ``message_id``).

Line ends: the ``html`` and ``text`` strings use ``"\\n"``. In the ``.eml`` the
same bodies travel with CRLF line ends, as RFC 5322 requires, so a part decoded
from the message equals the string once ``"\\r\\n"`` is read as ``"\\n"``.

jinja2 and mjml are imported on first use: importing this package stays cheap for
``digest --help``.
"""

from __future__ import annotations

from dataclasses import replace

from digest.config import Settings
from digest.config.theme import ThemeStyle
from digest.issue import one_line
from digest.models import Issue, RenderedIssue
from digest.render.eml import build_eml, message_id
from digest.render.html import finish_html, mjml_to_html
from digest.render.quotes import curl_quotes, straight_quotes
from digest.render.templates import (
    TemplateProblem,
    environment,
    render_template,
    template_environment,
    template_path,
    untranslated_words,
)
from digest.render.text import TEXT_WIDTH, tidy_text, wrap
from digest.render.view import (
    DARK,
    PREHEADER_MAX,
    PREHEADER_MIN,
    SHORT_LEAD_WORDS,
    IssueView,
    ItemView,
    Palette,
    SectionView,
    build_view,
    item_notes,
    long_date,
    preheader,
    safe_url,
    source_label,
    web_url,
)

__all__ = [
    "DARK",
    "HTML_TEMPLATE",
    "PREHEADER_MAX",
    "PREHEADER_MIN",
    "SHORT_LEAD_WORDS",
    "TEXT_TEMPLATE",
    "TEXT_WIDTH",
    "IssueView",
    "ItemView",
    "Palette",
    "SectionView",
    "TemplateProblem",
    "build_eml",
    "build_view",
    "curl_quotes",
    "environment",
    "finish_html",
    "item_notes",
    "long_date",
    "message_id",
    "one_line",
    "preheader",
    "render_issue",
    "render_template",
    "render_web_page",
    "safe_url",
    "source_label",
    "straight_quotes",
    "template_environment",
    "tidy_text",
    "untranslated_words",
    "web_url",
    "wrap",
]

HTML_TEMPLATE = "issue.mjml.j2"
TEXT_TEMPLATE = "issue.txt.j2"


def render_issue(issue: Issue, settings: Settings) -> RenderedIssue:
    """The issue as HTML, plain text and a ready-to-send ``.eml``."""
    view = build_view(issue, settings)
    html = _render_html_view(view, settings)
    text = _render_text_view(view, settings)
    return RenderedIssue(html=html, text=text, eml=build_eml(issue, settings, html, text))


def render_web_page(issue: Issue, settings: Settings, *, index_link: str) -> str:
    """The issue's HTML as the public archive shows it: the same templates, but with no
    unsubscribe link (whatever the template does with it, it gets ``None``), no "View in
    browser" link, and ``index_link`` back to the archive's index in the footer."""
    view = replace(
        build_view(issue, settings), unsubscribe_url=None, web_url=None, archive_link=index_link
    )
    return _render_html_view(view, settings)


def _render_template(name: str, view: IssueView, settings: Settings) -> str:
    theme = settings.resolved_theme
    return render_template(
        theme.folders,
        name,
        settings.language,
        issue=view,
        items=view.items,
        colours=view.colours,
        dark=DARK,
        theme=_markup_fonts(theme.style),
    )


def _markup_fonts(style: ThemeStyle) -> ThemeStyle:
    """The font stacks as markup: their quotes (``'Segoe UI'``) would otherwise be
    escaped into ``&#39;``; ``font_stack`` has checked they hold nothing else to escape."""
    from markupsafe import Markup

    return replace(style, font=Markup(style.font), heading_font=Markup(style.heading_font))


def _render_html_view(view: IssueView, settings: Settings) -> str:
    source = _render_template(HTML_TEMPLATE, view, settings)
    return mjml_to_html(source, template_path(settings.template_folders, HTML_TEMPLATE))


def _render_text_view(view: IssueView, settings: Settings) -> str:
    return tidy_text(_render_template(TEXT_TEMPLATE, view, settings))
