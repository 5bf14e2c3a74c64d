"""The Jinja environment every digest template shares, and rendering one template.

``template_environment`` is the setup (HTML escaped by the whole file name, a missing
variable an error, tidy block tags) that the issue's templates, the archive's and the
preview's own pages all get; ``environment`` caches one per chain of template
folders (the user's ``templates``, the theme's, the default theme's: the first
holding a name wins), with the ``wrap`` filter and the ``!theme/`` and ``!default/``
prefixes that let an override extend what it replaces, and per language the
gettext catalogue behind the templates' ``_()`` (``digest.render.i18n``);
``render_template`` renders
one, turning any failure into a one-line ``TemplateProblem`` that names the file
and line.

jinja2 is imported on first use: importing this module stays cheap for ``digest --help``.
"""

from __future__ import annotations

import functools
from pathlib import Path
from typing import TYPE_CHECKING, Any

from digest.issue import one_line
from digest.render.i18n import (
    SOURCE_LANGUAGE,
    missing_words,
    python_words,
    template_words,
    translations,
)
from digest.render.text import wrap

if TYPE_CHECKING:
    from jinja2 import Environment


class TemplateProblem(Exception):
    """A template that cannot be rendered; ``str()`` is one line naming file and line."""


def _autoescape(name: str | None) -> bool:
    # select_autoescape() only looks at the last suffix, so "issue.mjml.j2" would
    # not be escaped; decide on the whole name instead.
    return bool(name) and name.endswith((".mjml.j2", ".html.j2", ".mjml", ".html"))


Folders = Path | tuple[Path, ...]


def _chain(folders: Folders) -> tuple[Path, ...]:
    return (folders,) if isinstance(folders, Path) else tuple(folders)


def _chain_loader(folders: tuple[Path, ...]) -> Any:
    """A ``FileSystemLoader`` over ``folders`` whose templates also go stale when an
    earlier folder gains a file of their name: an override added to the user's
    ``templates`` while the preview runs replaces the theme's template at once
    (Jinja's own check only looks at the file it loaded)."""
    import os

    from jinja2 import FileSystemLoader

    class ChainLoader(FileSystemLoader):
        def get_source(self, environment: Environment, template: str) -> Any:
            source, filename, uptodate = super().get_source(environment, template)
            pieces = template.split("/")

            def still_first() -> bool:
                if uptodate is not None and not uptodate():
                    return False  # edited or deleted
                first = next(
                    (
                        candidate
                        for root in self.searchpath
                        if os.path.isfile(candidate := os.path.join(root, *pieces))
                    ),
                    None,
                )
                return first is not None and os.path.samefile(first, filename or "")

            return source, filename, still_first

    return ChainLoader(folders)


def template_environment(folders: Folders, **options: Any) -> Environment:
    """The Jinja setup every digest template shares, the issue's and the preview's
    own pages alike: HTML escaped by the whole file name, a missing variable an error
    (never a silent blank), block tags without stray lines. ``folders`` are searched
    in order; ``"!theme/NAME"`` skips the first of several (the user's overrides),
    like Pelican's ``!theme/``, and ``"!default/NAME"`` is the last's. ``options``:
    the rest."""
    from jinja2 import ChoiceLoader, Environment, PrefixLoader, StrictUndefined

    chain = _chain(folders)
    below = chain[1:] or chain
    prefixed = PrefixLoader(
        {"!theme": _chain_loader(below), "!default": _chain_loader(chain[-1:])}
    )
    return Environment(
        loader=ChoiceLoader([_chain_loader(chain), prefixed]),
        autoescape=_autoescape,
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        **options,
    )


@functools.lru_cache(maxsize=16)
def environment(folders: Folders, language: str = SOURCE_LANGUAGE) -> Environment:
    """One Jinja environment per chain of template folders and language, its fixed
    words translated by that language's catalogue; ``auto_reload`` picks up edited
    templates (the preview server relies on it)."""
    env = template_environment(
        folders, auto_reload=True, keep_trailing_newline=True, extensions=["jinja2.ext.i18n"]
    )
    # Templates mark their fixed words with _("…") (newstyle: _("Issue %(num)s", num=3));
    # an environment per language rather than translations swapped in per render, so
    # newsletters in two languages (the daemon, the preview) can never share a catalogue.
    env.install_gettext_translations(  # type: ignore[attr-defined]
        translations(language), newstyle=True
    )
    env.filters["wrap"] = wrap
    return env


def template_path(folders: Folders, name: str) -> Path:
    """The file template ``name`` is read from: the first folder holding it."""
    chain = _chain(folders)
    return next((f / name for f in chain if (f / name).is_file()), chain[0] / name)


def render_template(
    folders: Folders, name: str, language: str = SOURCE_LANGUAGE, **context: object
) -> str:
    """Template ``name`` of ``folders`` (the first holding it) rendered with
    ``context``, its fixed words in ``language``, with the escaping and filters every
    digest template gets; a failure
    is a one-line ``TemplateProblem`` naming the file and line."""
    from jinja2 import TemplateError, TemplateNotFound, TemplateSyntaxError

    path = template_path(folders, name)
    try:
        return environment(folders, language).get_template(name).render(**context)
    except TemplateNotFound as exc:
        if exc.name == name:
            raise TemplateProblem(f"{path}: template not found") from None
        where = _template_frame(exc, _chain(folders)) or str(path)
        raise TemplateProblem(f"{where}: template {exc.name!r} not found") from None
    except TemplateSyntaxError as exc:
        where = exc.filename or str(path)
        raise TemplateProblem(
            f"{where}, line {exc.lineno}: {one_line(exc.message or '')}"
        ) from exc
    except TemplateError as exc:
        where = _template_frame(exc, _chain(folders)) or str(path)
        raise TemplateProblem(f"{where}: {one_line(str(exc))}") from exc


def _template_frame(exc: BaseException, folders: tuple[Path, ...]) -> str | None:
    """The innermost template frame as "FILE, line N" (a partial, if the error is
    in one). Jinja rewrites tracebacks so template frames carry template lines."""
    found = None
    tb = exc.__traceback__
    while tb is not None:
        filename = tb.tb_frame.f_code.co_filename
        if filename.startswith(tuple(map(str, folders))) and filename.endswith(".j2"):
            found = f"{filename}, line {tb.tb_lineno}"
        tb = tb.tb_next
    return found


def untranslated_words(folders: Folders, language: str, names: tuple[str, ...]) -> list[str]:
    """The fixed words of templates ``names`` (as ``folders`` resolve them, with what
    they extend and include) and of the view that ``language``'s catalogue does not
    translate, sorted: readers see those in English. None for English."""
    if language.split("-")[0].lower() == SOURCE_LANGUAGE:
        return []
    words = template_words(environment(folders, language), names) | python_words()
    return missing_words(language, words)
