"""`digest init`: a new newsletter folder that renders at once, and never loses a file.

The command runs for real in a subprocess; the ``digest.toml`` it writes is read back
through ``load_settings``, as ``digest render`` reads it.
"""

from __future__ import annotations

import re
from pathlib import Path

from digest.config import Settings, load_settings
from digest.scaffold import UNSET, config_toml
from tests.helpers import run_digest as digest

SETTING_LINE = re.compile(r"^(?:# )?(\w+) = (.*)$")


def test_init_makes_a_folder_that_renders_and_passes_its_checks(tmp_path: Path) -> None:
    site = tmp_path / "weekly"
    result = digest("init", str(site), "--name", "Weekly Brief", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for made in ("digest.toml", "seeds/welcome.md", "templates/README.md", "outbox/"):
        assert f"created {made}" in result.stdout
    assert (site / "outbox").is_dir()
    assert "kept" not in result.stdout

    rendered = digest("render", cwd=site)
    assert rendered.returncode == 0, rendered.stderr
    folder = site / rendered.stdout.strip()
    text = (folder / "issue.txt").read_text(encoding="utf-8")
    assert text.startswith("Weekly Brief\n")
    assert "Welcome to Weekly Brief" in text
    checked = digest("check", cwd=site)
    assert checked.returncode == 0, checked.stdout + checked.stderr
    assert checked.stdout.strip().endswith(": ok")


def test_init_in_a_used_folder_keeps_every_file_byte_for_byte(tmp_path: Path) -> None:
    mine = {
        "digest.toml": b'name = "Mine"\r\nsources = ["articles"]\n',
        "seeds/my-article.txt": b"My own article\n\nIts text, \xc3\xa9crit.\n",
        "templates/README.md": b"my notes\n",
        "outbox": b"not a folder\n",
    }
    for relative, content in mine.items():
        (tmp_path / relative).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / relative).write_bytes(content)

    result = digest("init", cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    for relative, content in mine.items():
        assert (tmp_path / relative).read_bytes() == content, relative
    for kept in ("digest.toml", "seeds/", "templates/README.md", "outbox"):
        assert re.search(rf"^kept +{re.escape(kept)} ", result.stdout, re.M), result.stdout
    # seeds/ already holds the user's articles: no sample is slipped in among them.
    assert sorted(p.name for p in (tmp_path / "seeds").iterdir()) == ["my-article.txt"]
    assert "created" not in result.stdout


def test_the_generated_toml_lists_every_setting_and_loads_back_to_the_defaults(
    tmp_path: Path,
) -> None:
    toml = config_toml()
    shown = {m.group(1): m.group(2) for m in map(SETTING_LINE.match, toml.splitlines()) if m}
    assert list(shown) == list(Settings.model_fields)
    for name, info in Settings.model_fields.items():
        assert info.description, f"{name} has no docstring to write into digest.toml"
    assert toml.count("\n# ") > 2 * len(shown)  # a description above each one

    # Every commented default, uncommented, is valid TOML and means the default.
    uncommented = "\n".join(
        line[2:]
        if line.startswith("# ") and (m := SETTING_LINE.match(line)) and m.group(2) != UNSET
        else line
        for line in toml.splitlines()
    )
    config = tmp_path / "digest.toml"
    config.write_text(uncommented, encoding="utf-8")
    (tmp_path / "templates").mkdir()
    loaded = load_settings(config)
    assert loaded.model_fields_set >= {k for k, v in shown.items() if v != UNSET}
    defaults = Settings()
    # Relative to the file's folder, as documented; templates is written out.
    paths = {"outbox", "sources", "templates"}
    assert loaded.model_dump(exclude=paths) == defaults.model_dump(exclude=paths)
    assert loaded.outbox == tmp_path / "outbox"
    assert loaded.sources == [str(tmp_path / "seeds")]
    assert loaded.templates == tmp_path / "templates"


def test_the_name_given_and_the_templates_folder_are_written_out(tmp_path: Path) -> None:
    config = tmp_path / "digest.toml"
    config.write_text(config_toml('Weekly "Brief"'), encoding="utf-8")
    (tmp_path / "templates").mkdir()
    assert load_settings(config).name == 'Weekly "Brief"'
    active = [line for line in config.read_text().splitlines() if SETTING_LINE.match(line)]
    assert [line for line in active if not line.startswith("#")] == [
        'name = "Weekly \\"Brief\\""',
        'templates = "templates"',
    ]
