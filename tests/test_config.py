"""Settings: file < DIGEST_* variables < flags, and one clear line for each bad value."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from digest.config import (
    ConfigError,
    Settings,
    bundled_templates,
    load_settings,
    newsletters_named,
)
from tests.helpers import run_digest

ROOT = Path(__file__).resolve().parent.parent


def test_defaults_make_a_complete_newsletter() -> None:
    settings = load_settings()
    assert settings.name == "The Digest"
    assert settings.unsubscribe_url == "https://example.com/unsubscribe"
    assert settings.list_id == "<the-digest.example.com>"
    assert settings.sender_domain == "example.com"
    assert (settings.templates_dir / "issue.mjml.j2").is_file()


def test_the_repositorys_digest_toml_is_valid_and_points_at_the_seeds() -> None:
    settings = load_settings(ROOT / "digest.toml")
    assert settings.sources == [str(ROOT / "seeds")]
    assert settings.outbox == ROOT / "outbox"


def test_file_then_environment_then_flags(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    config = tmp_path / "digest.toml"
    config.write_text('name = "From File"\nlead_words = 40\nmax_items = 5\n')
    assert load_settings(config).lead_words == 40
    monkeypatch.setenv("DIGEST_LEAD_WORDS", "45")
    monkeypatch.setenv("DIGEST_NAME", "From Env")
    settings = load_settings(config, lead_words=50, max_items=None)
    assert (settings.name, settings.lead_words, settings.max_items) == ("From Env", 50, 5)


def test_digest_toml_in_the_working_directory_is_read(tmp_path: Path) -> None:
    (tmp_path / "digest.toml").write_text('name = "Local"\n')
    assert load_settings().name == "Local"


def test_relative_paths_in_a_config_file_are_relative_to_its_folder(tmp_path: Path) -> None:
    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "digest.toml").write_text(
        'sources = ["news", "https://example.com/feed.xml"]\noutbox = "out"\ntemplates = "tpl"\n'
    )
    shutil.copytree(bundled_templates(), folder / "tpl")
    settings = load_settings(folder / "digest.toml")
    assert settings.sources == [str(folder / "news"), "https://example.com/feed.xml"]
    assert settings.outbox == folder / "out"
    assert settings.templates_dir == folder / "tpl"


def test_list_values_from_the_environment_are_json(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("DIGEST_SOURCES", '["a", "b"]')
    assert load_settings().sources == ["a", "b"]


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        (
            'lead_words = "many"',
            "bad.toml: bad setting lead_words = 'many': expected a whole number",
        ),
        (
            "lead_words = 3",
            "bad setting lead_words = 3: expected at least 10",
        ),
        (
            "lead_overrun = 1.5",
            "bad setting lead_overrun = 1.5: expected at most 1",
        ),
        (
            'timezone = "Mars/Olympus"',
            "bad setting timezone = 'Mars/Olympus': expected an IANA time zone",
        ),
        (
            'brand_colour = "yellow"',
            "bad setting brand_colour = 'yellow': expected a colour as #rrggbb",
        ),
        (
            'brand_colour = "#ffff00"',
            "expected a colour dark enough for white text (contrast 1.1:1",
        ),
        (
            'unsubscribe_url = "http://x.example/u"',
            "bad setting unsubscribe_url = 'http://x.example/u': expected an https:// URL",
        ),
        ('sender = "nobody"', "bad setting sender = 'nobody': expected an email address"),
        (
            'lead_strategy = "best"',
            "bad setting lead_strategy = 'best': expected one of 'lead', 'opening', 'first'",
        ),
        ('sender = "a@b.com, c@d.com"', "expected one email address"),
        (
            'language = "german"',
            "bad setting language = 'german': expected a BCP 47 language tag such as 'en'",
        ),
        ('language = "fr_CA"', "bad setting language = 'fr_CA': expected a BCP 47 language"),
        ('templates = "nowhere"', "nowhere': expected a folder of templates"),
        ('outbox = ""', "bad setting outbox = '': expected a folder path"),
        ('subject = "{title.x}"', "bad setting subject = '{title.x}': expected a format"),
        ('subject = "{name.__class__}"', "(not {name.__class__})"),
        ("catch_up_hours = nan", "bad setting catch_up_hours = nan: expected a finite number"),
        ('name = "   "', "bad setting name = '   ': expected some text"),
        ("catch_up_hours = inf", "bad setting catch_up_hours = inf"),
        ("newsletters = 5", "bad setting newsletters = 5: expected a list"),
        ("sources = []", "bad setting sources = []: expected at least one source"),
        ("lead_word = 30", "unknown setting 'lead_word' (did you mean 'lead_words'?)"),
        ("name = ", "invalid TOML"),
    ],
)
def test_bad_values_are_named_with_what_was_expected(
    tmp_path: Path, toml: str, expected: str
) -> None:
    config = tmp_path / "bad.toml"
    config.write_text(toml + "\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(config)
    assert expected in str(caught.value)


def test_several_bad_values_are_all_reported(tmp_path: Path) -> None:
    config = tmp_path / "bad.toml"
    config.write_text('lead_words = 0\ntimezone = "Nowhere"\n')
    with pytest.raises(ConfigError) as caught:
        load_settings(config)
    lines = str(caught.value).splitlines()
    assert len(lines) == 2
    assert {line.split(" = ")[0] for line in lines} == {
        f"{config}: bad setting lead_words",
        f"{config}: bad setting timezone",
    }


def test_bad_configuration_exits_2_with_one_line_and_no_traceback(tmp_path: Path) -> None:
    (tmp_path / "digest.toml").write_text('timezone = "Europe/Londn"\n')
    result = run_digest("render", cwd=tmp_path)
    assert result.returncode == 2
    assert result.stderr.strip().splitlines() == [
        "digest: error: digest.toml: bad setting timezone = 'Europe/Londn': expected an IANA "
        "time zone "
        "such as 'Europe/London' or 'America/New_York'"
    ]
    assert "Traceback" not in result.stderr
    assert not (tmp_path / "outbox").exists()


def test_a_bad_environment_variable_exits_2(tmp_path: Path) -> None:
    result = run_digest("render", cwd=tmp_path, env={"DIGEST_MAX_ITEMS": "lots"})
    assert result.returncode == 2
    assert "bad setting max_items = 'lots'" in result.stderr
    assert "Traceback" not in result.stderr


def test_a_missing_config_file_is_a_usage_error(tmp_path: Path) -> None:
    result = run_digest("render", "--config", "nope.toml", cwd=tmp_path)
    assert result.returncode == 2
    assert "nope.toml" in result.stderr and "does not exist" in result.stderr


def test_a_bad_flag_value_exits_2(tmp_path: Path) -> None:
    result = run_digest("render", "--lead-words", "2", cwd=tmp_path)
    assert result.returncode == 2
    assert "bad setting lead_words = 2" in result.stderr


def test_newsletters_named_chooses_by_newsletter_or_names_the_configured_ones() -> None:
    settings = Settings(newsletters=[{"name": "Morning"}, {"name": "Weekly"}])
    assert [e.name for e in newsletters_named(settings, None)] == ["Morning", "Weekly"]
    [weekly] = newsletters_named(settings, "Weekly")
    assert weekly.name == "Weekly" and weekly.outbox == Path("outbox/weekly")
    with pytest.raises(ConfigError) as raised:
        newsletters_named(settings, "Evening")
    assert str(raised.value) == "no newsletter named 'Evening' (configured: 'Morning', 'Weekly')"
    # Without [[newsletters]] the one newsletter is the settings themselves.
    single = Settings(name="Notes")
    assert newsletters_named(single, None) == [single]
    assert newsletters_named(single, "Notes") == [single]
    with pytest.raises(ConfigError, match="no newsletter named 'Other' \\(configured: 'Notes'\\)"):
        newsletters_named(single, "Other")


def test_settings_can_be_built_directly() -> None:
    settings = Settings(name="Weekly Notes", sender="notes@news.example.org")
    assert settings.list_id == "<weekly-notes.news.example.org>"


def test_one_source_where_a_list_is_expected_is_a_list_of_one(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """``sources = "seeds"`` and ``DIGEST_SOURCES=seeds`` mean ``["seeds"]``."""
    (tmp_path / "digest.toml").write_text('sources = "seeds"\n')
    assert load_settings(tmp_path / "digest.toml").sources == [str(tmp_path / "seeds")]
    (tmp_path / "digest.toml").write_text('[sources]\npath = "news"\nsection = "World"\n')
    [spec] = load_settings(tmp_path / "digest.toml").source_specs()
    assert (spec.spec, spec.section) == (str(tmp_path / "news"), "World")
    monkeypatch.setenv("DIGEST_SOURCES", "https://example.com/feed.xml")
    assert load_settings(tmp_path / "digest.toml").sources == ["https://example.com/feed.xml"]


def test_a_plain_sources_variable_renders_the_seeds(tmp_path: Path) -> None:
    shutil.copytree(ROOT / "seeds", tmp_path / "seeds")
    result = run_digest("render", cwd=tmp_path, env={"DIGEST_SOURCES": "seeds"})
    assert result.returncode == 0, result.stderr
    assert "issue #1" in result.stderr


def test_a_list_variable_that_is_broken_json_says_how_to_write_it(tmp_path: Path) -> None:
    result = run_digest("render", cwd=tmp_path, env={"DIGEST_SOURCES": '["news", '})
    assert result.returncode == 2
    assert result.stderr.strip() == (
        "digest: error: DIGEST_SOURCES: bad setting sources = '[\"news\", ': expected one "
        'path or URL, or JSON such as DIGEST_SOURCES=\'["news", "https://example.com/feed.xml"]\''
    )


def test_a_bad_value_names_where_it_came_from_in_digests_words(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The file, the DIGEST_* variable or the flag: whichever gave the value in force."""
    config = tmp_path / "digest.toml"
    config.write_text(
        'lead_words = "many"\nsmtp_security = "ssl"\n[[newsletters]]\nmax_items = 0\n'
    )
    with pytest.raises(ConfigError) as caught:
        load_settings(config)
    assert str(caught.value).splitlines() == [
        f"{config}: bad setting lead_words = 'many': expected a whole number",
        f"{config}: bad setting smtp_security = 'ssl': expected one of 'starttls', 'tls' "
        "or 'none'",
    ]
    config.write_text("[[newsletters]]\nmax_items = 0\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(config)
    assert str(caught.value) == (
        f"{config}: bad setting newsletters[0].max_items = 0: expected at least 1"
    )
    config.write_text("lead_words = 40\n")
    monkeypatch.setenv("DIGEST_LEAD_WORDS", "5")
    with pytest.raises(ConfigError) as caught:
        load_settings(config)
    assert (
        str(caught.value)
        == "DIGEST_LEAD_WORDS: bad setting lead_words = '5': expected at least 10"
    )
    with pytest.raises(ConfigError) as caught:
        load_settings(config, lead_words=4)
    assert str(caught.value) == "--lead-words: bad setting lead_words = 4: expected at least 10"
    for message in (str(caught.value),):
        assert "Input should" not in message and "pydantic" not in message


def test_home_in_paths_is_expanded(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    (tmp_path / "digest.toml").write_text('outbox = "~/issues"\nsources = ["~/news"]\n')
    settings = load_settings(tmp_path / "digest.toml")
    assert settings.outbox == tmp_path / "home" / "issues"
    assert settings.sources == [str(tmp_path / "home" / "news")]
    monkeypatch.setenv("DIGEST_OUTBOX", "~/elsewhere")
    assert load_settings().outbox == tmp_path / "home" / "elsewhere"


def test_defaults_are_relative_to_the_config_file_too(tmp_path: Path) -> None:
    folder = tmp_path / "srv"
    folder.mkdir()
    (folder / "digest.toml").write_text('name = "Elsewhere"\n')
    settings = load_settings(folder / "digest.toml")  # run from tmp_path, not srv/
    assert settings.outbox == folder / "outbox"
    assert settings.sources == [str(folder / "seeds")]


def test_lead_strategies_are_the_summarisers_own() -> None:
    """The setting and the --strategy flag take the summariser's list, whatever it holds."""
    from digest.summarise import STRATEGIES

    for strategy in STRATEGIES:
        assert Settings(lead_strategy=strategy).lead_strategy == strategy
    usage = run_digest("summarise", "--help", cwd=ROOT)
    assert f"[{'|'.join(STRATEGIES)}]" in usage.stdout
    wrong = run_digest("summarise", "--strategy", "best", "seeds", cwd=ROOT)
    assert wrong.returncode == 2
    assert "'best' is not one of 'lead', 'opening', 'first'" in wrong.stderr


def test_one_slug_names_a_newsletter_in_folders_list_id_and_message_id() -> None:
    from digest.config import slug

    assert slug("The Daily Brief!") == "the-daily-brief"
    assert slug("日報") == "newsletter"
    settings = Settings(name="Café Weekly", sender="News <news@example.org>")
    assert settings.list_id == "<caf-weekly.example.org>"
    tables = [{"name": "Morning Brief"}, {"name": "日報"}]
    morning, daily = Settings(newsletters=tables).each_newsletter()
    assert morning.outbox == Path("outbox") / "morning-brief"
    assert daily.outbox == Path("outbox") / "newsletter"


def test_sources_may_be_tables_beside_plain_strings(tmp_path: Path) -> None:
    from digest.config import SourceSpec

    (tmp_path / "digest.toml").write_text(
        'sources = ["news", { url = "https://example.com/feed.xml", section = "World" }]\n'
    )
    settings = load_settings()
    assert settings.source_specs() == [
        SourceSpec("news"),  # ./digest.toml: relative to the working folder
        SourceSpec("https://example.com/feed.xml", section="World"),
    ]


def test_source_tables_take_every_option_and_relative_paths_follow_the_file(
    tmp_path: Path,
) -> None:
    from digest.config import SourceSpec

    folder = tmp_path / "site"
    folder.mkdir()
    (folder / "digest.toml").write_text(
        '[[sources]]\npath = "longreads"\nname = "Long reads"\nsection = "Features"\n'
        "max_items = 5\nmax_age_days = 7.5\nfetch_linked = true\n"
        '[[sources]]\nurl = "https://example.com/feed.xml"\n'
    )
    settings = load_settings(folder / "digest.toml")
    first, second = settings.source_specs()
    assert first == SourceSpec(
        str(folder / "longreads"),
        name="Long reads",
        section="Features",
        max_items=5,
        max_age_days=7.5,
        fetch_linked=True,
    )
    assert first.label == "Long reads" and second.label == "example.com"
    assert SourceSpec("/srv/news/longreads/").label == "longreads"
    assert second == SourceSpec("https://example.com/feed.xml")
    # Each [[newsletters]] table starts from these sources, tables and all.
    assert settings.each_newsletter()[0].source_specs() == settings.source_specs()


@pytest.mark.parametrize(
    ("toml", "expected"),
    [
        (
            'sources = ["news", { url = "ftp://x.example/feed" }]',
            "bad setting sources[1].url = 'ftp://x.example/feed': expected an http:// or "
            "https:// URL",
        ),
        (
            'sources = [{ name = "No place" }]',
            "bad setting sources[0] = {'name': 'No place'}: expected exactly one of path or url",
        ),
        (
            'sources = [{ path = "a", url = "https://x.example/" }]',
            "expected exactly one of path or url",
        ),
        ("sources = [5]", "bad setting sources[0] = 5: expected a path or URL, or a table"),
        (
            'sources = [{ path = "a", secton = "World" }]',
            "unknown setting 'sources[0].secton' (did you mean 'section'?)",
        ),
        (
            'sources = [{ path = "a", max_items = 0 }]',
            "bad setting sources[0].max_items = 0: expected at least 1",
        ),
        (
            'sources = [{ path = "a", max_age_days = 0 }]',
            "bad setting sources[0].max_age_days = 0: expected more than 0",
        ),
        (
            'sources = [{ path = "a", fetch_linked = "yes please" }]',
            "bad setting sources[0].fetch_linked = 'yes please': expected true or false",
        ),
        ("source_failure_runs = 0", "bad setting source_failure_runs = 0"),
    ],
)
def test_bad_source_tables_are_named_by_their_place(
    tmp_path: Path, toml: str, expected: str
) -> None:
    config = tmp_path / "bad.toml"
    config.write_text(toml + "\n")
    with pytest.raises(ConfigError) as caught:
        load_settings(config)
    assert expected in str(caught.value)
    assert len(str(caught.value).splitlines()) == 1


def test_tables_come_from_the_environment_as_json_and_flags_stay_plain(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv(
        "DIGEST_SOURCES", '["a", {"url": "https://example.com/feed", "max_items": 3}]'
    )
    settings = load_settings()
    assert [(s.spec, s.max_items) for s in settings.source_specs()] == [
        ("a", None),
        ("https://example.com/feed", 3),
    ]
    flagged = load_settings(sources=["b", "https://example.com/other"])
    assert [s.spec for s in flagged.source_specs()] == ["b", "https://example.com/other"]


def test_the_language_is_a_bcp_47_tag_kept_in_its_usual_case(tmp_path: Path) -> None:
    config = tmp_path / "digest.toml"
    config.write_text('language = "fr-ca"\n')
    settings = load_settings(config)
    assert settings.language == "fr-CA"
    assert settings.words_per_minute is None  # unset: the language's reading speed
