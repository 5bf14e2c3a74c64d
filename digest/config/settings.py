"""``Settings``: every setting a newsletter has, its default and what it accepts.

Each field's docstring says what it does; the checks of its value live in
``digest.config.values`` and are attached through its type (``Address``,
``TimeZone``…). Reading the settings from a file, the environment and flags is
``digest.config.load``'s job.
"""

from __future__ import annotations

from email.utils import parseaddr
from pathlib import Path
from typing import Annotated, Any, Literal
from zoneinfo import ZoneInfo

from pydantic import AfterValidator, Field, SecretStr, ValidationError, model_validator
from pydantic_settings import BaseSettings, PydanticBaseSettingsSource, SettingsConfigDict

from digest.config.errors import ConfigError
from digest.config.theme import Style, Theme, resolve_theme, theme_choice
from digest.config.values import (
    Address,
    Colour,
    Folder,
    FolderUrl,
    HttpsUrl,
    Language,
    OptionalFile,
    Schedule,
    Sources,
    SourceSpec,
    Strategy,
    Subject,
    Templates,
    TimeZone,
    slug,
    source_spec,
)

ThemeName = Annotated[str, AfterValidator(theme_choice)]


class Settings(BaseSettings):
    """Everything a newsletter needs to be assembled, rendered and written."""

    model_config = SettingsConfigDict(
        env_prefix="DIGEST_",
        extra="forbid",
        validate_default=True,
        allow_inf_nan=False,
        str_strip_whitespace=True,
        # Each field's docstring becomes its description: `digest init` writes them
        # into the digest.toml it makes, so that file documents every setting.
        use_attribute_docstrings=True,
    )

    name: str = Field("The Digest", min_length=1, max_length=80)
    """The newsletter's name: in the subject, the header and List-Id."""
    sender: Address = "The Digest <digest@example.com>"
    """The From address, optionally with a display name."""
    to: Address = "readers@example.com"
    """The list address the issue is sent to (the To header)."""
    sources: Sources = Field(default_factory=lambda: ["seeds"])
    """Files, folders, feed files and feed/page URLs to read articles from: each a
    string, or a ``[[sources]]`` table with ``path`` or ``url``, and optionally
    ``name``, ``section``, ``max_items``, ``max_age_days`` and ``fetch_linked``."""
    # (``SourceTable`` checks a table; ``source_specs()`` gives every source in one form.)
    outbox: Folder = Path("outbox")
    """Folder the issues are written into, one dated folder per issue."""
    timezone: TimeZone = "Europe/London"
    """IANA time zone in which issues are dated (and, for the daemon, scheduled)."""
    lead_words: int = Field(60, ge=10, le=500)
    """Word budget for each item's lead."""
    lead_overrun: float = Field(0.25, ge=0, le=1)
    """How far past ``lead_words``, as a share of it, a lead may run to end on a whole
    sentence worth its words (leads still average under the budget); 0 makes the budget
    a hard limit. Only the ``lead`` strategy uses it."""
    lead_strategy: Strategy = "lead"
    """How each lead is chosen: one of ``digest.summarise.STRATEGIES``, which says what
    each does."""
    max_items: int = Field(12, ge=1, le=200)
    """At most this many items in one issue; the rest wait for the next."""
    unsubscribe_url: HttpsUrl = "https://example.com/unsubscribe"
    """The https page where a reader unsubscribes (the footer link and the
    List-Unsubscribe header); ``{token}`` in it becomes each reader's signed token."""
    postal_address: str = "The Digest, 1 Example Street, London EC1A 1AA, United Kingdom"
    """The sender's postal address, in every footer (anti-spam laws ask for one)."""
    archive_url: FolderUrl = None
    """The https URL where the outbox's ``archive/`` folder is published (such as
    ``https://example.com/digest``): each issue then links to its page there ("View in
    browser"), and the feed's links point there. Unset: no such link, relative feed links."""
    brand_colour: Colour = None
    """Accent colour (#rrggbb) for the header band and links; must reach WCAG AA
    contrast (4.5:1) against white. Unset: the theme's."""
    theme: ThemeName = "default"
    """The look: ``default``, ``brief`` (dense text, a morning briefing), ``magazine``
    (a hero item, then two columns), or a theme folder holding ``theme.toml``."""
    style: Style = Field(default_factory=Style)
    """A ``[style]`` table overriding the theme's ``theme.toml`` key by key:
    ``[style.colours]`` (brand, on_brand, page, card, ink, muted, rule: CSS colours,
    each text colour at WCAG AA contrast on its background), ``font``,
    ``heading_font``, ``header_text``, ``footer_text``, ``button`` (filled, outline or
    link), ``button_radius``, and ``[style.logo]`` (an https ``url``, ``alt``,
    ``width``, ``height``)."""
    templates: Templates = None
    """A folder of your own templates: each one there (``issue.mjml.j2``,
    ``issue.txt.j2``, ``archive.html.j2`` or a partial) replaces the theme's of that
    name, and can extend it with ``{% extends "!theme/issue.mjml.j2" %}``."""
    max_source_bytes: int = Field(5_000_000, ge=1)
    """Sources larger than this are skipped with a warning."""
    language: Language = "en"
    """The newsletter's language, a BCP 47 tag ("de", "fr-CA", "es", "ar"): the HTML's
    ``lang`` and ``dir`` (right to left for Arabic, Hebrew…), the dates and the
    templates' fixed words (catalogues for English, German, French, Spanish and
    Arabic; a missing word is English, and a ``digest check`` warning); and the
    summariser splits sentences, drops boilerplate and derives titles by its rules
    (English, German, French, Spanish and Arabic are known; any other falls back to the
    generic English rules, with a warning)."""
    words_per_minute: int | None = Field(None, ge=50, le=1000)
    """Reading speed used for each item's reading time; unset: the ``language``'s (230
    words a minute for English, 179 German, 195 French, 218 Spanish, 138 Arabic)."""
    source_failure_runs: int = Field(3, ge=1, le=1000)
    """A source that has failed this many runs in a row is named in the issue's footer
    ("Not updated: …"); each failure is logged whatever this says."""

    # --- the daemon (`digest run`) and several newsletters ------------------------
    schedule: Schedule = "daily at 07:00"
    """When `digest run` makes an issue, in ``timezone``: see ``digest.slots``."""
    send_empty: bool = False
    """Make an issue for a slot even when no item is new (otherwise the slot is skipped)."""
    catch_up_hours: float = Field(12, ge=0, le=24 * 366)
    """On start, a slot missed by at most this many hours is made once (the latest only)."""
    subject: Subject = None
    """Subject format, e.g. ``"{name} #{number}: {title}{more}"`` (also ``{date}``);
    unset: the built-in one."""
    newsletters: list[dict[str, Any]] = Field(default_factory=list)
    """``[[newsletters]]`` tables: more newsletters, each overriding top-level keys."""

    # --- delivery (`digest send`) ---------------------------------------------------
    send: bool = False
    """`digest run` sends each new issue after writing it (through the same ledger)."""
    recipients: OptionalFile = None
    """A recipients file (CSV with ``email`` and optional ``name``, or one address a
    line), each reader getting a copy of their own; unset: one message to ``to``."""
    smtp_host: str = "localhost"
    """The SMTP server `digest send` hands messages to."""
    smtp_port: int | None = Field(None, ge=1, le=65535)
    """Unset: 587 with STARTTLS, 465 with implicit TLS, 25 without either."""
    smtp_security: Literal["starttls", "tls", "none"] = "starttls"
    """``starttls`` (upgrade a plain connection), ``tls`` (implicit TLS) or ``none``."""
    smtp_user: str | None = None
    """The SMTP login name; unset: no login."""
    smtp_password: SecretStr | None = None
    """From ``DIGEST_SMTP_PASSWORD``, or a config file outside the project (never one
    inside it, where it would be committed)."""
    smtp_ca_file: OptionalFile = None
    """Certificates to trust besides the system's (a private server's own CA)."""
    smtp_timeout: float = Field(30, gt=0, le=600)
    """Seconds to wait for the SMTP server before giving up on a connection."""
    send_rate: float = Field(0, ge=0)
    """Messages per second at most, over all connections; 0: as fast as the server takes."""
    send_connections: int = Field(1, ge=1, le=32)
    """SMTP connections in parallel, each reused for many messages."""
    send_attempts: int = Field(5, ge=1, le=100)
    """Tries per reader when the server says "try later" (4xx) before giving up."""
    send_retry_seconds: float = Field(30, ge=0, le=3600)
    """The first wait after a temporary failure; it doubles with each retry (cap 15 min)."""
    unsubscribe_secret: SecretStr | None = None
    """Key that signs each reader's ``{token}`` in ``unsubscribe_url`` (HMAC-SHA256);
    kept like ``smtp_password``."""
    dkim_key_file: OptionalFile = None
    """A PEM private key: each message is DKIM-signed with it (with ``dkim_selector``)."""
    dkim_selector: str | None = None
    """The DKIM selector: the public key is published at ``<selector>._domainkey.<domain>``."""
    dkim_domain: str | None = None
    """Unset: the sender's domain."""

    @model_validator(mode="after")
    def _dkim(self) -> Settings:
        if (self.dkim_key_file is None) != (self.dkim_selector is None):
            given = "dkim_key_file" if self.dkim_selector is None else "dkim_selector"
            missing = "dkim_selector" if self.dkim_selector is None else "dkim_key_file"
            raise ValueError(f"{given} is set: expected {missing} too (DKIM needs both)")
        return self

    def source_specs(self) -> list[SourceSpec]:
        """Every configured source in one form, in the configured order: the path or
        URL to read and its table's options (none for a plain string)."""
        return [source_spec(entry) for entry in self.sources]

    @property
    def zone(self) -> ZoneInfo:
        return ZoneInfo(self.timezone)

    def each_newsletter(self) -> list[Settings]:
        """One ``Settings`` per newsletter: ``[self]`` without ``[[newsletters]]`` tables.

        Each table overrides the top-level keys; a newsletter without its own ``outbox``
        gets a sub-folder of the top-level one named after it, because two newsletters
        numbering into one folder would share (and break) each other's sequence.
        """
        if not self.newsletters:
            return [self]
        base = self.model_dump(exclude={"newsletters"})
        newsletters, outboxes = [], {}
        for index, table in enumerate(self.newsletters):
            label = f"newsletters[{index}]"
            if "newsletters" in table:
                raise ConfigError(f"{label}: a newsletter cannot contain newsletters")
            # A nameless table's folder keeps the name it always had, so that upgrading
            # never moves an outbox (and restarts its numbering).
            default_outbox = self.outbox / slug(str(table.get("name", f"edition-{index + 1}")))
            values = {**base, "outbox": default_outbox, **table, "newsletters": []}
            try:
                newsletter = Settings(**values)
            except ValidationError as exc:
                from digest.config.load import describe_errors

                raise ConfigError(describe_errors(exc, {}, label, prefix=f"{label}.")) from None
            folder = newsletter.outbox.resolve()
            if folder in outboxes:
                raise ConfigError(
                    f"bad setting {label}.outbox = '{newsletter.outbox}': expected a folder of "
                    f"its own (newsletters[{outboxes[folder]}] writes there too)"
                )
            outboxes[folder] = index
            newsletters.append(newsletter)
        return newsletters

    @property
    def sender_domain(self) -> str:
        return parseaddr(self.sender)[1].rpartition("@")[2].lower()

    @property
    def list_id(self) -> str:
        """``<label.domain>`` for the List-Id header (RFC 2919)."""
        return f"<{self.slug}.{self.sender_domain}>"

    @property
    def slug(self) -> str:
        """The name as a label (see ``slug``)."""
        return slug(self.name)

    @property
    def templates_dir(self) -> Path:
        """The first folder templates are looked up in: the user's, else the theme's."""
        return self.templates if self.templates is not None else self.resolved_theme.folder

    @property
    def resolved_theme(self) -> Theme:
        """The theme with its style decided (``digest.config.theme.resolve_theme``)."""
        return resolve_theme(self)

    @property
    def template_folders(self) -> tuple[Path, ...]:
        """Where templates are looked up, in order: the user's ``templates``, the
        theme's folder, the default theme's."""
        return self.resolved_theme.folders

    @classmethod
    def settings_customise_sources(
        cls,
        settings_cls: type[BaseSettings],
        init_settings: PydanticBaseSettingsSource,
        env_settings: PydanticBaseSettingsSource,
        dotenv_settings: PydanticBaseSettingsSource,
        file_secret_settings: PydanticBaseSettingsSource,
    ) -> tuple[PydanticBaseSettingsSource, ...]:
        from digest.config.load import EnvLayer, FileLayer

        return (init_settings, EnvLayer(settings_cls), FileLayer(settings_cls))


def bundled_templates() -> Path:
    """The templates shipped with digest (in a wheel, or the repository's folder)."""
    package = Path(__file__).resolve().parent.parent  # digest/
    packaged = package / "templates"
    if packaged.is_dir():
        return packaged
    return package.parent / "templates"
