"""Themes: a folder of templates plus ``theme.toml``, its style, and how both are chosen.

A theme is named by ``theme`` in the settings: one shipped with digest (``THEMES``:
``default``, the bundled ``templates/``; ``brief`` and ``magazine`` in
``templates/themes/``) or
a folder holding a ``theme.toml``. Its ``theme.toml`` is a ``Style``: colours, fonts,
a logo, header and footer text, the button style; the settings' ``[style]`` table
overrides it key by key (and ``brand_colour``, when set, the brand colour).
``resolve_theme`` reads the file and merges the three into a ``Theme``, refusing
colours that miss WCAG AA contrast on the background they sit on (with the measured
ratio). Templates are looked up in the user's ``templates`` folder first, then the
theme's, then the default theme's (``Theme.folders``), so a user's folder overrides
any single template by name, and a theme need only hold what it changes.
"""

from __future__ import annotations

import functools
import json
import re
import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, Any, Literal

from pydantic import AfterValidator, BaseModel, ConfigDict, Field, ValidationError

from digest.colours import AA_NORMAL, contrast_ratio, parse_colour
from digest.config.errors import ConfigError

if TYPE_CHECKING:
    from digest.config.settings import Settings

THEME_FILE = "theme.toml"
THEMES = ("default", "brief", "magazine")
"""The themes shipped with digest."""

TEXT_PAIRS = (
    ("on_brand", "brand"),
    ("ink", "card"),
    ("muted", "card"),
    ("brand", "card"),
    ("ink", "page"),
    ("muted", "page"),
)
"""(text, background) colour names as every shipped template pairs them; each must
reach WCAG AA (``Palette.text_pairs`` is the same list, as colours)."""

_CSS_COLOUR = re.compile(
    r"#[0-9a-f]{3}|#[0-9a-f]{6}|rgb\(\s*\d{1,3}\s*,\s*\d{1,3}\s*,\s*\d{1,3}\s*\)|white|black",
    re.IGNORECASE,
)
_FONT_STACK = re.compile(r"[\w\s,'.-]+")


def css_colour(value: str) -> str:
    """A CSS colour digest can measure, as ``#rrggbb`` (what the templates receive)."""
    parsed = parse_colour(value) if _CSS_COLOUR.fullmatch(value.strip()) else None
    if parsed is None:
        raise ValueError(
            "expected a CSS colour such as '#1d4ed8', '#fff', 'rgb(29, 78, 216)' or 'white'"
        )
    return parsed


def font_stack(value: str) -> str:
    # The stack lands in a style attribute: nothing that could end the declaration.
    if not _FONT_STACK.fullmatch(value):
        raise ValueError("expected a font stack such as \"Georgia, 'Times New Roman', serif\"")
    return " ".join(value.split())


def https_only(value: str) -> str:
    from digest.config.values import https_url

    if not https_url(value):
        raise ValueError("expected an https:// URL")
    return value


CssColour = Annotated[str, AfterValidator(css_colour)]
FontStack = Annotated[str, AfterValidator(font_stack)]


class Logo(BaseModel):
    """The header's logo image: an https URL, its alt text, and its size in pixels."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    url: Annotated[str, AfterValidator(https_only)]
    alt: str = Field(min_length=1, max_length=120)
    """What the logo says, for readers who do not load images."""
    width: int = Field(ge=1, le=600)
    height: int = Field(ge=1, le=600)


class Colours(BaseModel):
    """The palette: each text colour must reach AA on the backgrounds it sits on."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    brand: CssColour | None = None
    """Header band, links and accents."""
    on_brand: CssColour | None = None
    """Text on the header band."""
    page: CssColour | None = None
    """Behind the sheet."""
    card: CssColour | None = None
    """The sheet the items sit on."""
    ink: CssColour | None = None
    """Body text."""
    muted: CssColour | None = None
    """Secondary text: reading times, sources, the footer."""
    rule: CssColour | None = None
    """Hairlines only, never text."""


class Style(BaseModel):
    """A theme's ``theme.toml``, or the settings' ``[style]`` table over it: every key
    optional (unset: the theme's, else the default theme's)."""

    model_config = ConfigDict(extra="forbid", frozen=True, str_strip_whitespace=True)

    colours: Colours = Colours()
    font: FontStack | None = None
    """Body font stack."""
    heading_font: FontStack | None = None
    """Font stack of the name and the item titles."""
    logo: Logo | None = None
    header_text: str | None = Field(None, max_length=200)
    """A line under the newsletter's name (a tagline)."""
    footer_text: str | None = Field(None, max_length=500)
    """A line above the footer's small print."""
    button: Literal["filled", "outline", "link"] | None = None
    """How "Read more" links look in themes that show them."""
    button_radius: int | None = Field(None, ge=0, le=30)
    """Corner radius of buttons, in pixels."""


BASE_STYLE = {
    "colours": {
        "brand": "#1d4ed8",
        "on_brand": "#ffffff",
        "page": "#eef0f3",
        "card": "#ffffff",
        "ink": "#111827",
        "muted": "#4b5563",
        "rule": "#e5e7eb",
    },
    "font": "-apple-system, BlinkMacSystemFont, 'Segoe UI', Helvetica, Arial, sans-serif",
    "heading_font": "-apple-system, BlinkMacSystemFont, 'Segoe UI', Helvetica, Arial, sans-serif",
    "logo": None,
    "header_text": "",
    "footer_text": "",
    "button": "filled",
    "button_radius": 6,
}
"""What a theme that sets nothing looks like: the default theme's style."""


@dataclass(frozen=True)
class ThemeStyle:
    """A theme's style with every value decided, as the templates see it (``theme``)."""

    colours: dict[str, str]
    font: str
    heading_font: str
    logo: Logo | None
    header_text: str
    footer_text: str
    button: str
    button_radius: int


@dataclass(frozen=True)
class Theme:
    """The chosen theme: its name, folder and style, and the template folders in the
    order they are searched."""

    name: str
    folder: Path
    style: ThemeStyle
    folders: tuple[Path, ...]
    """The user's ``templates`` (if set), the theme's folder, the default theme's."""


def theme_choice(value: str) -> str:
    """A shipped theme's name, or a folder holding ``theme.toml``."""
    if value in THEMES or (Path(value).expanduser() / THEME_FILE).is_file():
        return value
    names = ", ".join(map(repr, THEMES))
    raise ValueError(f"expected one of {names}, or a theme folder holding {THEME_FILE}")


def bundled_themes() -> Path:
    """The folder of the shipped themes besides ``default``: ``themes/`` in the
    bundled templates (the repository's top level stays as the brief fixes it)."""
    from digest.config.settings import bundled_templates

    return bundled_templates() / "themes"


def theme_folder(theme: str) -> Path:
    from digest.config.settings import bundled_templates

    if theme == "default":
        return bundled_templates()
    if theme in THEMES:
        return bundled_themes() / theme
    return Path(theme).expanduser()


def resolve_theme(settings: Settings) -> Theme:
    """The settings' theme, its style merged (``theme.toml`` < ``brand_colour`` <
    ``[style]``) and checked; a ``ConfigError`` naming the file or setting if not."""
    # As JSON, so that the cache below has a hashable key.
    style = json.dumps(settings.style.model_dump(exclude_none=True), sort_keys=True)
    return _resolve(settings.theme, settings.templates, settings.brand_colour, style)


@functools.lru_cache(maxsize=32)
def _resolve(theme: str, templates: Path | None, brand: str | None, style_json: str) -> Theme:
    from digest.config.settings import bundled_templates

    folder = theme_folder(theme)
    own = _read_style(folder / THEME_FILE)
    user: dict[str, Any] = json.loads(style_json)
    chosen = user.pop("colours", {})
    from_theme = own.pop("colours", {})
    colours = {**BASE_STYLE["colours"], **from_theme}
    # Where each colour was set, so a refusal says which line to change.
    origin = dict.fromkeys(colours, "the default")
    origin.update(dict.fromkeys(from_theme, str(folder / THEME_FILE)))
    if brand is not None:
        colours["brand"] = brand
        origin["brand"] = "brand_colour"
    colours.update(chosen)
    origin.update(dict.fromkeys(chosen, "[style.colours]"))
    merged = {**BASE_STYLE, **own, **user, "colours": colours}
    for text, background in TEXT_PAIRS:
        ratio = contrast_ratio(colours[text], colours[background])
        if ratio < AA_NORMAL:
            raise ConfigError(
                f"bad colours for theme {theme!r}: {text} {colours[text]} (from "
                f"{origin[text]}) on {background} {colours[background]} (from "
                f"{origin[background]}) has contrast {ratio:.2f}:1, expected at least "
                f"{AA_NORMAL}:1 (WCAG AA); choose another {text} or {background} in "
                "[style.colours]"
            )
    logo = merged["logo"]
    folders = [folder.resolve(), bundled_templates().resolve()]
    if templates is not None:
        folders.insert(0, Path(templates).resolve())
    return Theme(
        name=theme,
        folder=folder.resolve(),
        style=ThemeStyle(
            colours=colours,
            font=merged["font"],
            heading_font=merged["heading_font"],
            logo=Logo(**logo) if isinstance(logo, dict) else logo,
            header_text=merged["header_text"],
            footer_text=merged["footer_text"],
            button=merged["button"],
            button_radius=merged["button_radius"],
        ),
        folders=tuple(dict.fromkeys(folders)),
    )


def _read_style(path: Path) -> dict[str, Any]:
    """A ``theme.toml`` as a checked ``Style``, only the keys it sets."""
    if not path.is_file():
        return {}
    try:
        data = tomllib.loads(path.read_text(encoding="utf-8"))
        return Style(**data).model_dump(exclude_none=True)
    except (OSError, UnicodeDecodeError) as exc:
        raise ConfigError(f"{path}: cannot read theme file ({exc})") from None
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"{path}: invalid TOML: {exc}") from None
    except ValidationError as exc:
        from digest.config.load import describe_errors

        lines = describe_errors(exc, {}, str(path)).splitlines()
        raise ConfigError("\n".join(f"{path}: {line}" for line in lines)) from None
