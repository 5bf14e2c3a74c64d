"""``digest init``: a ready-to-run newsletter folder, and the ``digest.toml`` it holds.

``config_toml`` writes every setting of ``Settings`` into a commented TOML file, from
the model itself (each field's docstring and default), so the file cannot drift from
what digest accepts: a new setting appears in it the day it is added. ``scaffold``
lays out the folder (``digest.toml``, ``seeds/`` with one sample article, a documented
``templates/``, ``outbox/``) and never overwrites a file that is already there.
"""

from __future__ import annotations

import json
import re
import textwrap
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from pydantic import BaseModel, SecretStr

from digest.config import Settings

CONFIG_FILE = "digest.toml"
SAMPLE_ARTICLE = "seeds/welcome.md"
TEMPLATES_README = "templates/README.md"
UNSET = "(unset)"
"""What a commented line shows for a setting with no default value."""

_WIDTH = 78

_HEADER = """\
# {name}: digest settings, written by `digest init`.
#
# Every setting digest knows is listed below with what it does and its default.
# A line starting "# key = " shows the default: remove the "# " to change it.
# Any key can also be set with a DIGEST_<KEY> environment variable, or for the
# common ones a command-line flag; flags win over variables, which win over this
# file. Relative paths are relative to this file's folder. Secrets
# (smtp_password, unsubscribe_secret) belong in the environment, never here.
# Before sending real mail, change at least: sender, to, unsubscribe_url and
# postal_address.
"""

_SAMPLE = """\
---
title: Welcome to {name}
date: 2026-01-05T07:00:00Z
---

# Welcome to {name}

This folder is a complete newsletter. Every file you put in seeds/ becomes an item
in the next issue: plain text, Markdown or HTML articles, or RSS and Atom feeds.
Run digest render and the issue appears in outbox/, as HTML, plain text and a
ready-to-send message.

## Make it yours

Open digest.toml: every setting is listed there with what it does. Change the
sender, the list address and the unsubscribe page before sending real mail, and
point the sources at the feeds you follow.

## Change the look

Pick a theme in digest.toml, or put a template of your own in templates/ to
replace one part of it. digest preview shows the next issue in your browser and
redraws it whenever you save.
"""

_TEMPLATES_README = """\
# templates/

A template placed here replaces the theme's template of the same name (the
theme is `theme` in digest.toml: default, brief, magazine, or a folder). Empty,
this folder changes nothing.

- `issue.mjml.j2`: the HTML email (Jinja2 producing MJML);
- `issue.txt.j2`: the plain-text part;
- `archive.html.j2`: the web archive's index page.

To change one part and keep the rest, extend the theme's template and override
only its block (the shipped templates name theirs with `{% block %}`):

    {% extends "!theme/issue.mjml.j2" %}
    {% block footer %}…your footer…{% endblock %}

Colours, fonts, a logo and header or footer text need no template at all: set
them in digest.toml's [style] table. Each template lists at its top every value
it receives; a mistake in one is reported with its file name and line.
"""


@dataclass
class Scaffold:
    """What ``scaffold`` did: the paths it created, and those it found and kept."""

    created: list[Path] = field(default_factory=list)
    kept: list[Path] = field(default_factory=list)


def config_toml(name: str | None = None) -> str:
    """``digest.toml`` with every setting, described and commented at its default;
    written out are ``name`` (when given) and ``templates``, the folder beside it whose
    templates override the theme's."""
    chosen = name or Settings.model_fields["name"].get_default()
    lines = [_HEADER.format(name=_one_line(chosen))]
    for key, info in Settings.model_fields.items():
        lines.append(_comment(info.description or ""))
        default = info.get_default(call_default_factory=True)
        if key == "name" and name is not None:
            lines.append(f"{key} = {toml_value(name)}")
        elif key == "templates":
            lines.append(f'{key} = "{Path(TEMPLATES_README).parent}"')
        else:
            shown = UNSET if default is None else toml_value(default)
            lines.append(f"# {key} = {shown}")
        lines.append("")
    return "\n".join(lines)


def toml_value(value: Any) -> str:
    """A default as TOML: strings quoted (JSON's escapes are TOML's), paths as strings."""
    if isinstance(value, SecretStr):
        value = value.get_secret_value()
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, int | float):
        return repr(value)
    if isinstance(value, Path):
        return json.dumps(str(value), ensure_ascii=False)
    if isinstance(value, list | tuple):
        return "[" + ", ".join(toml_value(v) for v in value) + "]"
    if isinstance(value, BaseModel):
        value = value.model_dump(exclude_defaults=True)
    if isinstance(value, dict):
        return "{" + ", ".join(f"{k} = {toml_value(v)}" for k, v in value.items()) + "}"
    return json.dumps(str(value), ensure_ascii=False)


def _comment(description: str) -> str:
    """A field's docstring as "# " lines: reST markup dropped, paragraphs re-wrapped."""
    text = re.sub(r"``([^`]*)``", r"\1", description)
    text = " ".join(text.split())
    return "\n".join(
        textwrap.wrap(text, _WIDTH, initial_indent="# ", subsequent_indent="# ") or ["#"]
    )


def _one_line(text: str) -> str:
    return " ".join(text.split())


def scaffold(folder: Path, name: str | None = None) -> Scaffold:
    """Lay out a newsletter folder in ``folder`` (made if missing); an existing file
    is never touched, only listed in ``kept``."""
    shown = _one_line(name or Settings.model_fields["name"].get_default())
    done = Scaffold()
    folder.mkdir(parents=True, exist_ok=True)
    files = {
        CONFIG_FILE: config_toml(name),
        SAMPLE_ARTICLE: _SAMPLE.format(name=shown),
        TEMPLATES_README: _TEMPLATES_README,
    }
    seeds = folder / Path(SAMPLE_ARTICLE).parent
    if seeds.is_dir() and any(seeds.iterdir()):
        # Articles of the user's own are there: a sample would go out with them.
        del files[SAMPLE_ARTICLE]
        done.kept.append(seeds)
    for relative, content in files.items():
        path = folder / relative
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            # "x": created only if absent, so a file that appears meanwhile is kept too.
            with path.open("x", encoding="utf-8", newline="\n") as handle:
                handle.write(content)
        except (FileExistsError, NotADirectoryError):
            done.kept.append(path if path.exists() else path.parent)
        else:
            done.created.append(path)
    outbox = folder / "outbox"
    if outbox.exists():
        done.kept.append(outbox)
    else:
        outbox.mkdir()
        done.created.append(outbox)
    return done
