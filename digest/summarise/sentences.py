"""Sentence splitting: where sentences end.

A small rule-based splitter written for news prose: it costs microseconds per article
(pysbd costs milliseconds) and knows the cases that trip naive splitters —
abbreviations ("U.S.", "Mr.", "e.g.", "No. 10"), initials ("J. K. Rowling"), decimals,
ellipses and full stops inside quotations. It also finds where a line without a full
stop (a photo caption, as a rule) was run into the sentence after it (``unglue``).
Nothing here knows about articles or digest items.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from itertools import islice

from digest.summarise.languages import LanguageProfile
from digest.summarise.words import word_set

# A candidate boundary: terminal punctuation, any closing quotes/brackets glued to it,
# then whitespace. Whether it really ends a sentence is decided in ``_is_boundary``.
# The first mark is written out ("[.!?…][.!?…]*", not "[.!?…]+"): a pattern that opens
# on a set of characters, not a repeat, lets the regex engine skip to the next mark
# instead of trying to match at every position, twice as fast over a paragraph.
_CANDIDATE = re.compile(r"[.!?…][.!?…]*[\"”’')\]]*\s+")
_WORD = re.compile(r"\S+")
_QUOTE_MARK = re.compile(r"[\"“”]")

# Words that precede a name and (almost) never end a sentence.
_TITLES = word_set(
    """mr mrs ms mx dr prof sr jr st mt ft gen col lt sgt capt cmdr adm maj brig cpl pte
    gov sen rep rev hon pres supt insp det fr messrs mmes vs v cf viz approx dept est
    e.g i.e al"""
)
# Abbreviations that end a sentence only when the next word plainly starts one
# ("... at 5 p.m. The police ..." versus "... the U.S. Senate ...").
_AMBIGUOUS = word_set("inc ltd co corp plc llc bros etc a.m p.m jr sr")
# Abbreviations that never end a sentence when a number follows ("No. 10", "p. 5").
_BEFORE_NUMBER = word_set(
    """no nos nr art arts vol vols p pp fig figs ch sec para ref tel op jan feb mar apr
    jun jul aug sep sept oct nov dec"""
)
# Words that commonly open a sentence; used only to settle the ambiguous cases above.
_STARTERS = word_set(
    """the a an he she it they we i you his her its their our my this that these those
    there here but and yet so however meanwhile in on at for after before when while if
    as since although though despite during mr mrs ms dr both some many most one two
    what why how who where none no not all each every also then now today yesterday
    earlier later last next other others such according under over"""
)
_OPENERS = "\"“‘'(["
_CLOSERS = "\"”’')]"
_STRIP_TOKEN = "\"“”‘’'()[]{}<>«»"


def split_sentences(
    text: str, limit: int | None = None, language: LanguageProfile | None = None
) -> list[str]:
    """Split one paragraph into sentences, keeping each sentence's own punctuation.

    A closing quote or bracket after the full stop belongs to the sentence it closes.
    Full stops inside a quotation that closes later in the paragraph do not split it.
    With ``limit``, only the first ``limit`` sentences: the rest is never looked at.
    ``language`` (from ``digest.summarise.languages.profile``) brings that language's
    abbreviations and punctuation; without it, or for English, the English rules.
    """
    if language is not None and not language.generic:
        return split_sentences_in(text, language, limit)
    text = text.strip()
    return _cut(text, _english_ends(text), limit) if text else []


def iter_sentences(text: str, language: LanguageProfile | None = None) -> Iterator[str]:
    """``split_sentences`` one sentence at a time: where a sentence ends is decided only
    when it is asked for, so a reader that stops early (the lead region) never pays
    for the rest of the paragraph."""
    text = text.strip()
    if not text:
        return iter(())
    if language is not None and not language.generic:
        return _pieces(text, _ends_in(text, language))
    return _pieces(text, _english_ends(text))


def _cut(text: str, ends: Iterator[int], limit: int | None) -> list[str]:
    """``text`` cut at each of ``ends`` (where a sentence ends), as far as ``limit``
    sentences; ``ends`` is lazy, so a limit saves deciding the later boundaries."""
    # A limit of 0 (or below) never stopped the cutting: it means no limit.
    return list(islice(_pieces(text, ends), limit if limit and limit > 0 else None))


def _pieces(text: str, ends: Iterator[int]) -> Iterator[str]:
    """The sentences of ``text`` cut at each of ``ends``, one at a time."""
    start = 0
    for end in ends:
        sentence = text[start:end].strip()
        if sentence:
            yield sentence
        start = end
    rest = text[start:].strip()
    if rest:
        yield rest


def _english_ends(text: str) -> Iterator[int]:
    quoted = _quoted_spans(text) if ('"' in text or "“" in text) else ()
    for match in _CANDIDATE.finditer(text):
        end = match.end()
        if end >= len(text):
            return
        if quoted and _inside(match.start(), quoted):
            continue
        if _is_boundary(text, match, end):
            yield end


def _is_boundary(text: str, match: re.Match[str], end: int) -> bool:
    punct = match.group().rstrip()
    nxt = text[end]
    if nxt in _OPENERS and end + 1 < len(text):
        nxt = text[end + 1]
    if not (nxt.isupper() or nxt.isdigit()):
        return False  # a lower-case continuation is never a new sentence
    marks = punct.rstrip(_CLOSERS)
    if "…" in marks or ".." in marks:
        return False  # an ellipsis marks an omission or a pause, not an end
    if marks != ".":
        return True  # "!" and "?" (possibly doubled) end sentences
    token = _token_before(text, match.start())
    if not token:
        return True
    lower = token.lower()
    if lower in _TITLES:
        return False
    if lower in _BEFORE_NUMBER and nxt.isdigit():
        return False
    # Only abbreviations and initials need the next word: most full stops end sentences.
    if lower in _AMBIGUOUS or "." in token:
        return _word_after(text, end).lower() in _STARTERS
    if len(token) == 1 and token.isalpha() and token.isupper():
        # An initial ("J. K. Rowling"), unless a plain sentence starter follows it.
        next_word = _word_after(text, end)
        if len(next_word) <= 2 and text[end + len(next_word) : end + len(next_word) + 1] == ".":
            return False
        return next_word.lower() in _STARTERS
    return True


def _token_before(text: str, pos: int) -> str:
    begin = text.rfind(" ", 0, pos) + 1
    return text[begin:pos].strip(_STRIP_TOKEN)


def _word_after(text: str, pos: int) -> str:
    match = _WORD.match(text, pos)
    if not match:
        return ""
    return match.group().strip(_STRIP_TOKEN).rstrip(".,;:!?")


def _quoted_spans(text: str) -> tuple[tuple[int, int], ...]:
    """Spans of double-quoted passages that open *and* close within the text.

    News copy often leaves a quotation open at the end of a paragraph (it continues in
    the next one); such an open quote must not swallow the rest of the paragraph, so
    only quotations that close are protected from splitting.
    """
    spans: list[tuple[int, int]] = []
    opened = -1
    for mark in _QUOTE_MARK.finditer(text):
        i, ch = mark.start(), mark.group()
        if ch == "“":
            opened = i
        elif ch == "”":
            if opened >= 0:
                spans.append((opened, i))
            opened = -1
        else:  # a straight quote opens after a space or bracket, and closes otherwise
            before = text[i - 1] if i else " "
            if before.isspace() or before in "([{—–-:":
                opened = i
            elif opened >= 0:
                spans.append((opened, i))
                opened = -1
    return tuple(spans)


def _inside(pos: int, spans: tuple[tuple[int, int], ...]) -> bool:
    # A full stop right before the closing quote is the quotation's own end; the
    # candidate match then includes the quote, so ``pos`` is strictly inside only
    # when the quotation continues after it.
    return any(start < pos and pos + 1 < end for start, end in spans)


# --- other languages ----------------------------------------------------------------
# The same decisions as above, with the tables of a ``LanguageProfile``: kept apart so
# that the English rules, tuned on English news, are not disturbed by them.
_EDGE = "\"“”‘’'()[]{}<>«»‹›„‚¿¡–—"
_candidates: dict[str, re.Pattern[str]] = {}


def split_sentences_in(
    text: str, language: LanguageProfile, limit: int | None = None
) -> list[str]:
    """``split_sentences`` by the rules of ``language``: its abbreviations ("z. B.",
    "M.", "Sra."), ordinals ("am 3. Oktober"), quotation marks („…“, « … »), inverted
    marks (¿ ¡), terminal marks (the Arabic ؟) and a script without capitals."""
    text = text.strip()
    return _cut(text, _ends_in(text, language), limit) if text else []


def _ends_in(text: str, language: LanguageProfile) -> Iterator[int]:
    spans = _pair_spans(text, language)
    for match in _candidate(language).finditer(text):
        end = match.end()
        if end >= len(text):
            return
        closed = match.start() + len(match.group().rstrip())
        # Inside a quotation that closes after this mark (not with it): no split.
        if any(s < match.start() and e >= closed for s, e in spans):
            continue
        if _ends_sentence(text, match, end, language):
            yield end


def _candidate(language: LanguageProfile) -> re.Pattern[str]:
    """Terminal marks, the closers glued to them (French sets « » off by a space),
    then a space, or for some scripts a letter straight after the full stop."""
    pattern = _candidates.get(language.tag)
    if pattern is None:
        closers = re.escape(language.closers)
        terminals = re.escape(language.terminals)
        spaced = rf"|\s[{re.escape(language.spaced_closers)}]" if language.spaced_closers else ""
        after = r"\s+"
        if language.unspaced_letters:
            after = rf"(?:\s+|(?<=[.])(?=[{language.unspaced_letters}]))"
        pattern = re.compile(
            # The first mark written out, as in ``_CANDIDATE``.
            rf"(?P<marks>[{terminals}][{terminals}]*)(?:[{closers}]{spaced})*{after}"
        )
        _candidates[language.tag] = pattern
    return pattern


def _ends_sentence(text: str, match: re.Match[str], end: int, language: LanguageProfile) -> bool:
    at = end
    while at < len(text) and (text[at] in language.openers or text[at].isspace()):
        at += 1  # "¿", "„", "«", a dialogue dash: the sentence's first letter is after
    if at >= len(text):
        return True
    nxt = text[at]
    if not (
        nxt.isupper()
        or nxt.isdigit()
        or (language.caseless and nxt.isalpha() and not nxt.isascii())
    ):
        return False  # a lower-case continuation is never a new sentence
    marks = match.group("marks")
    if "…" in marks or ".." in marks:
        return False  # an ellipsis marks an omission or a pause, not an end
    if marks not in (".", "۔"):
        return True  # "!", "?", "؟" end sentences
    token = _token_before(text, match.start()).strip(_EDGE)
    if not token:
        return True
    token = re.split(r"['’]", token)[-1]  # "d'env." is "env."
    lower = token.lower()
    next_word = _first_word(text, at)
    single = len(token) == 1 and token.isalpha()
    if single and language.caseless and _number_before(text, match.start() - 1):
        return True  # after a year, Arabic "م." (AD) ends a date that may end the sentence
    if token in language.titles_cased or lower in language.titles:
        return False
    if language.title_suffixes and lower.endswith(language.title_suffixes):
        return False  # "Goethestr. 12"
    if lower in language.before_number and nxt.isdigit():
        return False
    if single and (token.islower() or language.caseless):
        return False  # "z. B.", "d. h.", "p. ej.", Arabic "د." (Dr.)
    if len(token) == 1 and token.isupper():
        # An initial ("J. K. Rowling"), unless a plain sentence starter follows it.
        return next_word in language.starters
    if language.ordinals and _is_ordinal(token):
        return next_word in language.starters  # "am 3. Oktober", "Ludwig XIV. war"
    if lower in language.ambiguous or "." in token:
        return next_word in language.starters
    return True


def _first_word(text: str, pos: int) -> str:
    """The word at ``pos`` in lower case, before an elision ("L'État" gives "l")."""
    word = _word_after(text, pos).strip(_EDGE).lower()
    return re.split(r"['’]", word, maxsplit=1)[0]


def _number_before(text: str, pos: int) -> bool:
    """Whether the word before the one ending at ``pos`` is a number ("1990 م.")."""
    words = text[: pos + 1].split()
    return len(words) >= 2 and words[-2].strip(_EDGE).isdigit()


_ROMAN = re.compile(r"^[IVXLC]{1,6}$")


def _is_ordinal(token: str) -> bool:
    """ "3" of "3. Oktober" or "XIV" of "Ludwig XIV.": a day or rank, not a year."""
    return (token.isdigit() and len(token) <= 3) or bool(_ROMAN.match(token))


def _pair_spans(text: str, language: LanguageProfile) -> tuple[tuple[int, int], ...]:
    """Spans of quotations that open *and* close within the text, by the language's
    pairs of marks, and by straight quotes as ``_quoted_spans`` reads them."""
    spans: list[tuple[int, int]] = []
    for opening, closing in language.quote_pairs:
        if opening not in text:
            continue
        opened = -1
        for mark in re.finditer(f"[{re.escape(opening + closing)}]", text):
            if mark.group() == opening:
                opened = mark.start()
            elif opened >= 0:
                spans.append((opened, mark.start()))
                opened = -1
    if '"' in text:
        spans.extend(s for s in _quoted_spans(text) if text[s[0]] == '"')
    return tuple(spans)


# Where a line without a full stop was run into the next sentence: a capitalised word
# that opens sentences after a lower-case word ("… after the derby Head coach John
# Carver said …", "… from the charity she ran A charity manager who …"), after a name or
# a figure ("… in Australia The first …") or after a quotation that closes ("… were
# 'very lucky' Police have …"); any capitalised word after where someone stands in the
# picture ("… (right) The …"); a quotation opened after a caption's last word ("… on
# Friday ‘I’d be over the moon,’ said …"); a name the caption named, and its verb ("…
# at a Leicestershire farm Ben isn't …").
_GLUE_STARTERS = (
    "A|An|The|He|She|They|It|We|His|Her|Their|Its|This|These|Those|But|However|Police|Officers"
    "|Officials|Head|Manager|Boss|Coach|Fans|Residents|Witnesses|Experts|Researchers"
    "|Scientists|Doctors|Firefighters|Paramedics"
    # Openers that a caption's last word never runs on into: "… of the year In addition
    # to fines …", "… despite talking about growing the game It’s well-known …".
    "|In|It['’]s|There|One|Like|When|After|During|While|Despite|Meanwhile|Now|Then"
    "|That|That['’]s|And|For|Without|Although|If|Since|Because|According|Following|At|On"
    "|Elsewhere"
)
# Openers that a year or a time may follow: "… to the yearly dance In 2012, Matthew …".
_GLUE_BEFORE_FIGURE = "A|The|In|On|At|By|Since|After|Before|During|Until|From|Between"
# Openers that are pronouns: "This was", "One of" open sentences ("plan A was" not).
_PRONOUNS = word_set("he she they we it this these those there one")
# After these a capitalised word (a name, a place, a day) may end the caption too: "…
# on sale this Saturday in Australia The first 100 customers …", "… for $20 He was …".
# Not "It": a name or a title may end in it ("the year Don't Push It won").
_GLUE_AFTER_NAME = word_set(
    "a an the he she they we his her their this these those in and but that's that’s it's it’s"
)
# Two searches that start on a capital or a closing mark, which the regex engine skips
# to quickly (one search for both is three times slower): this runs on every sentence
# of every lead region.
_GLUE_AFTER_CLOSE = re.compile(r"[)'’\"”] (?=[A-Z])")
# One group: two alternatives at the top would make this search ten times slower. A
# figure after the opener is let through only after some (``_opens``).
_GLUE_AFTER_WORD = re.compile(rf"(?:{_GLUE_STARTERS}|{_GLUE_BEFORE_FIGURE}) (?=[a-z0-9])")
_FIGURE_OPENERS = frozenset(_GLUE_BEFORE_FIGURE.split("|"))
# A quotation opened straight after a caption's last word: "… manager on Friday ‘I’d be
# over the moon …’ said Locke", "… cheering on Woods 'I'm still right there,' …".
_GLUE_QUOTE = re.compile(r" [‘'“\"](?=[A-Z])")
# A name and what it did run on from a caption's last word: "… at a Leicestershire farm
# Ben isn't the biggest …", "… later this month O'Neill told Betfred …".
_GLUE_NAME = re.compile(
    # The capital first, then the lower-case letter and space before it: the regex
    # engine skips to capitals quickly.
    r"[A-Z](?<=[a-z] [A-Z])[a-zA-Z'’-]*[a-z](?: [A-Z][a-zA-Z'’-]*[a-z])?"
    # Or where the picture shows them: "… wing King, pictured with Clinton in 2001, said".
    r"(?:, pictured\b| \(pictured\b| (?=[ihwstacpr])(?:(?:initially|recently|also|now|later) )?"
    # Not "the interests Vaughan has that remain": the name's verb there has no object.
    r"(?:(?:is|was|isn['’]t|wasn['’]t|has|had|hasn['’]t)\b(?! (?:that|which)\b)(?![.,;:])"
    r"|(?:said|says|told|tells|added|posted|came|insisted|admitted|revealed|tried|sees|will"
    r"|[a-z]{3,}ed)\b))"
)
# Where someone stands in the picture, in brackets at the end of a caption.
_PICTURE_POSITION = re.compile(
    r"\((?:l|r|c|pictured|(?:far |second |top |bottom )?(?:left|right)|centre|center|above"
    r"|below|inset|top|bottom|front|back|main|file(?: photo)?)(?:[\s,;][^)]{0,30})?\)$",
    re.IGNORECASE,
)
# Lower-case words after which a capitalised word goes on the same sentence: "in The
# Hague", "said The", "told Police", "watched The".
_GLUE_NOT_AFTER = word_set(
    """a an the of to in on at for with by from into onto about after before between
    through during against among and or but nor than that which who whose whom as like
    said says told tells called named titled dubbed read reads watch watched saw see
    seen star starring hit show series film song album book novel magazine newspaper
    paper programme program channel station via former new old late then per
    is are was were be been has have had do does did will would could should can may
    might must not no so if when while where because although though unlike under over
    near outside inside across behind beside beyond within without upon include includes
    included including"""
)
# Words a quotation follows in a sentence of its own: who says it and how ("she posted
# 'Must be nice …'"), where ("wrote on Twitter 'I am …'"), what it is ("the message
# 'Thank you …'").
_QUOTE_NOT_AFTER = word_set(
    """say says said saying tell tells told add adds added post posts posted write writes
    wrote tweet tweets tweeted shout shouts shouted yell yelled scream screamed ask asks
    asked reply replies replied chant chanted sing sang sings whisper whispered declare
    declared joke joked explain explained admit admitted claim claimed state stated
    announce announced insist insisted continue continued warn warned urge urged read
    reads reading caption captioned headline headlined titled entitled label labelled
    nickname nicknamed dub dubbed brand branded message messages words slogan sign note
    letter statement banner tweet post caption twitter instagram facebook online
    including include includes such comment comments question questions reply phrase
    chant song motto hashtag"""
)
# Words before a name that say who the name is ("striker Harry Kane said", "chairman
# Jim Mann has"), or what it is ("the comedy Friends has"): the name goes on the
# sentence. Most roles end in one of ``_ROLE_ENDINGS``.
_ROLE_WORDS = word_set(
    """star leader chief boss head legend secretary minister chairman chairwoman wife
    husband son daughter brother sister friend girlfriend boyfriend partner mother father
    colleague rival champion international veteran coach striker goalkeeper midfielder
    defender winger captain forward keeper firm group company giant bank club side team
    band film comedy show series drama magazine newspaper video album single song track
    movie biopic thriller game novel book programme channel network party union agency
    mayor judge general governor chancellor spokesman spokeswoman frontman
    actress model icon mogul tycoon supremo peer lord prince princess king queen
    grandson granddaughter nephew niece cousin uncle aunt fiance fiancee mum dad
    victim suspect pupil girl boy man woman child baby lamb
    character role republican democrat conservative liberal deputy senior junior shadow
    former late young old new fellow rookie duo trio pair couple assistant consultant
    president student resident agent attendant accountant lieutenant sergeant tenant
    participant applicant client patient parent opponent correspondent claimant
    defendant servant merchant ship liner vessel boat yacht plane jet aircraft car horse
    colt mare filly hound dog cat"""
)
_ROLE_ENDINGS = ("er", "or", "ist", "ian", "man", "woman", "ess", "ee")
# Words that end a caption although they end like a role ("… could leave this summer
# Adebayor sees …").
_NOT_ROLES = word_set(
    """summer winter later earlier after ever never over under number corner border
    centre center chamber water weather river quarter semester september october november
    december together another either neither rather whether hour tour floor door
    moment event tournament parliament government apartment department tent"""
)
# Words after which the capitalised word is a name's or a title's ("Head of Science"),
# or a label's ("plan A was", "grade A is").
_GLUE_NOT_BEFORE = word_set("of for in at to and on from with is was are were has had")
# A caption before the glue has a few words; the sentence after it has a few more.
_GLUE_MIN_BEFORE = 3
_GLUE_MIN_AFTER = 4
# A caption before a name and its verb has more: "Last month Marsh agreed", "In the
# interview Mr Blair said" are one sentence, their openings fronted without a comma.
_GLUE_MIN_BEFORE_NAME = 6
# Words that open a fronted phrase or a clause, not a caption's subject.
_FRONTED = word_set(
    """in on at for after before during since until when while as if though although
    because last next this that earlier later speaking asked despite with without by
    from over under within throughout following ahead until once but and so yet or
    then now also meanwhile however"""
)
# Verbs that report or think: the name after them starts what was said, not a sentence
# ("analysts said at the time Mr Blair was …").
_REPORTING = word_set(
    """say says said saying tell tells told think thinks thought believe believes
    believed claim claims claimed insist insists insisted add adds added suggest
    suggests suggested know knows knew hope hopes hoped announce announced reveal
    revealed confirm confirmed argue argued warn warned report reported predict
    predicted meant mean means show shows showed found find finds agree agreed ruled
    decided expect expects expected feel feels felt realise realised realize realized
    guess guessed imagine imagined notice noticed see saw seen hear heard learn learned
    learnt ensure ensured whether"""
)
# How far back a reporting verb makes the name its object: "analysts said at the time
# Mr Blair was …"; "Jonjo O'Neill hopes jockey AP McCoy rides Shutthefrontdoor to Grand
# National success later this month O'Neill told …" is a caption and a sentence.
_REPORTING_REACH = 6
_QUOTE_MIN_WORDS = 4
# Characters below which a sentence is not searched for a quotation or a name run on
# into it: a caption and the sentence after it are long together. Over the BBC and
# CNN/DailyMail sentences every quotation split came in a sentence of 114 characters or
# more, every name split in one of 154 or more; most sentences are shorter, and these
# two searches are the dearest.
_GLUE_LONG_QUOTE = 110
_GLUE_LONG_NAME = 150
# Words that do not end a caption before a name ("… costumes, here Rosemary is …").
_NOT_CAPTION_END = word_set(
    """here there now then still just even only also too where this that these those
    every each any some my our your whereas whilst unless once whether until till
    first second third last next final latest original very"""
)
# Capitalised words that are days and feasts, not names: "… this Christmas is …".
_NOT_NAMES = word_set(
    """monday tuesday wednesday thursday friday saturday sunday january february march
    april may june july august september october november december christmas easter"""
)


def unglue(sentence: str) -> list[str]:
    """``sentence`` split where a line without a full stop was run into it: the pieces
    in order, the last the sentence itself, those before it what was glued on (photo
    captions, as a rule). Most sentences come back whole, as a list of one."""
    close = _GLUE_AFTER_CLOSE.search(sentence)
    word = _GLUE_AFTER_WORD.search(sentence, 1)  # not at the sentence's own first word
    size = len(sentence)
    quote = _GLUE_QUOTE.search(sentence, 1) if size >= _GLUE_LONG_QUOTE else None
    name = _GLUE_NAME.search(sentence, 1) if size >= _GLUE_LONG_NAME else None
    if close is None and word is None and quote is None and name is None:
        return [sentence]  # most sentences: a few quick searches and nothing found
    cuts = [m.start() + 2 for m in _GLUE_AFTER_CLOSE.finditer(sentence)] if close else []
    if word:
        cuts += [
            m.start()
            for m in _GLUE_AFTER_WORD.finditer(sentence, word.start())
            if sentence[m.start() - 1] == " "
            and _opens(sentence, m)
            and _word_can_end(sentence, m)
        ]
    if quote:
        cuts += [
            m.start() + 1
            for m in _GLUE_QUOTE.finditer(sentence, quote.start())
            if sentence[m.start() - 1].isalnum() or sentence[m.start() - 1] == ")"
        ]
    if name:
        # Only a name the sentence has named before (see ``_name_glued``).
        for m in _GLUE_NAME.finditer(sentence, name.start()):
            at = m.start()
            space = sentence.find(" ", at)
            if sentence[at:space].lower() in _NOT_NAMES:
                at = space + 1  # "… in February Alshammari had …": the name is the second
            if _named_before(sentence, 0, at):
                cuts.append(at)
    cuts = sorted(set(cuts))
    pieces: list[str] = []
    start = 0
    for cut in cuts:
        if cut <= start or not _glued_at(sentence, start, cut):
            continue
        if len(sentence[start:cut].split()) < _GLUE_MIN_BEFORE:
            continue
        if len(sentence[cut:].split()) < _GLUE_MIN_AFTER:
            break
        pieces.append(sentence[start:cut].strip())
        start = cut
    if not pieces:
        return [sentence]
    pieces.append(sentence[start:].strip())
    return pieces


def _opens(sentence: str, match: re.Match[str] | None) -> bool:
    """Whether ``match`` of ``_GLUE_AFTER_WORD`` opens a sentence: a lower-case word
    follows it, or a figure after "In", "The", "A" … ("In 2012,", "The 31-year-old")."""
    if match is None:
        return False
    return sentence[match.end()].islower() or match.group()[:-1] in _FIGURE_OPENERS


def _word_can_end(sentence: str, match: re.Match[str]) -> bool:
    """Whether the word before the opener ``match`` can end a caption: a lower-case
    word, or before some openers a name or a figure ("… in Australia The first …")."""
    last = sentence[match.start() - 2]
    if last.islower():
        return True
    return match.group().rstrip().lower() in _GLUE_AFTER_NAME and (last.isalnum() or last == ")")


def _glued_at(sentence: str, start: int, cut: int) -> bool:
    """Whether the text from ``start`` to ``cut`` (just before a capitalised word) is a
    line run into the sentence at ``cut``."""
    end = cut - 1
    before = sentence[sentence.rfind(" ", start, end) + 1 : end]
    last = before[-1:]
    if sentence[cut] in "‘'“\"" and last not in "'’\"”":
        return _quote_glued(sentence, start, cut, before)
    if last == ")":
        # "(pictured)", "(left)", "(r)" end a caption; "(Apacs)", "(£43m)" go on.
        return _PICTURE_POSITION.search(sentence, max(start, end - 45), end) is not None
    if last in "'’\"”":
        # A quotation or a nickname goes on ('"false" and "desperate" US tabloids', Sam
        # 'Big Sam' Allardyce): only a sentence opener after it starts a new sentence.
        if not _opens(sentence, _GLUE_AFTER_WORD.match(sentence, cut)):
            return False
        opener = "‘" if last == "’" else "“" if last == "”" else last
        opened = _opened(sentence, start, end - 1, opener)
        if opened < 0:
            return False  # "the fans' Head coach": an apostrophe, no quotation opened
        quoted = sentence[opened + 1 : end - 1].split()
        # A name or a title in quotes goes on: "The Crown" The …
        return not all(word[:1].isupper() for word in quoted)
    after = sentence[cut:].split(None, 3)
    if len(after) < 2:
        return False
    if not _opens(sentence, _GLUE_AFTER_WORD.match(sentence, cut)) and _GLUE_NAME.match(
        sentence, cut
    ):
        return _name_glued(sentence, start, cut, before)
    if after[0] in ("A", "An") and _plural(after[1]):
        return False  # "infra-red A rays", "three A levels": a label, not an article
    # "plan A was", "Head of Science" are labels and titles; "This was", "He has" not.
    label = after[1] in _GLUE_NOT_BEFORE and after[0].lower() not in _PRONOUNS
    if before.islower():
        return before not in _GLUE_NOT_AFTER and not label
    # A name or a figure before "The", "He", "In" …: not a title ("Mr", "Dr") and not
    # where a capitalised word goes on ("The", "Of", "And").
    return (
        after[0].lower() in _GLUE_AFTER_NAME
        and (after[1].islower() or after[1][:1].isdigit())
        and not label
        and before.lower().rstrip(".") not in _TITLES
        and before.lower() not in _STARTERS  # a title in capitals: "How We Do"
        and before.lower() not in _GLUE_NOT_AFTER
        and (before[:1].isupper() or before[:1] in "$£€" or before[:1].isdigit())
    )


def _quote_glued(sentence: str, start: int, cut: int, before: str) -> bool:
    """Whether the quotation opening at ``cut`` starts a sentence of its own after a
    caption: it is quoted speech (four words or more, not a title in capitals, closing
    on a comma or a full stop, or running on), and the word before it is not who says
    it, how or where ("she posted", "on Twitter")."""
    if before.endswith(")"):
        end = cut - 1
        if not _PICTURE_POSITION.search(sentence, max(start, end - 45), end):
            return False
    elif (
        not before[-1:].isalnum()
        or before.lower() in _QUOTE_NOT_AFTER
        or before.lower() in _GLUE_NOT_AFTER
        or before.endswith("ing")  # "tagged other guards asking 'Who is next?'"
    ):
        return False
    opener = sentence[cut]
    closer = {"‘": "’", "“": "”"}.get(opener, opener)
    found = sentence.find(closer, cut + 2)
    # A straight quote or ’ inside a word ("don't", "I’d") is an apostrophe.
    while found >= 0 and found + 1 < len(sentence) and sentence[found + 1].isalnum():
        found = sentence.find(closer, found + 1)
    quoted = sentence[cut + 1 : found if found >= 0 else len(sentence)]
    words = quoted.split()
    # A title in quotes goes on: "St. George and the Dragonet," a 1953 send-up …
    if len(words) < _QUOTE_MIN_WORDS or all(w[:1].isupper() for w in words if len(w) > 3):
        return False
    return found < 0 or quoted.rstrip()[-1:] in ",.?!"


def _name_glued(sentence: str, start: int, cut: int, before: str) -> bool:
    """Whether a name and its verb at ``cut`` start a sentence after a caption: the
    caption names them already ("Jonjo O'Neill hopes … later this month O'Neill told
    …": the story goes on by surname), it is a few words that open on its subject,
    with no verb that reports just before the name (whose object the name would be),
    and the word before the name does not say who the name is ("striker Harry Kane
    said")."""
    if len(before) < 3 or not before.isalpha():
        return False
    if not before.islower() and before.lower() not in _NOT_NAMES:
        return False  # a day or a month may end a caption: "… in February Alshammari had …"
    if before in _NOT_CAPTION_END or before.endswith("ly"):
        return False  # "… but actually Hollywood came to us …"
    first = sentence[cut : sentence.find(" ", cut)].lower()
    if first in _NOT_NAMES or (first in _STARTERS and first not in _TITLES):
        return False  # "… this Christmas is …", "… collection The Massacre was …"
    if not _named_before(sentence, start, cut):
        return False
    before = before.lower()
    if before in _GLUE_NOT_AFTER or before in _ROLE_WORDS or before in _REPORTING:
        return False
    if before.endswith(_ROLE_ENDINGS) and before not in _NOT_ROLES:
        return False
    caption = sentence[start:cut].split()
    if len(caption) < _GLUE_MIN_BEFORE_NAME or caption[0][0] in _OPENERS:
        return False  # a quotation is speech, not a caption
    if caption[0].lower().strip(_STRIP_TOKEN) in _FRONTED:
        return False
    near = caption[-_REPORTING_REACH:]
    return not any(w.lower().strip(_STRIP_TOKEN + ",;:") in _REPORTING for w in near)


def _named_before(sentence: str, start: int, at: int) -> bool:
    """Whether the name at ``at`` (a word or two, then its verb) is named between
    ``start`` and ``at`` already: "… Joshua Burns's innocence Brenda Burns has …"."""
    for word in sentence[at : at + 60].split(None, 2)[:2]:
        if not word[:1].isupper():
            break
        word = word.rstrip(",;:")
        # Searched in place: this runs for every capitalised word before a verb.
        if sentence.startswith(word, start) or sentence.find(f" {word}", start, at - 1) >= 0:
            return True
    return False


def _plural(word: str) -> bool:
    """Whether ``word`` reads as a plural, which "A" cannot go with: "infra-red A rays",
    "A levels"."""
    return word.endswith("s") and not word.endswith(("ss", "us", "is", "ies", "news"))


def _opened(text: str, start: int, end: int, opener: str) -> int:
    """Where the quotation closing at ``end`` opened with ``opener`` (at the start or
    after a space) in ``text[start:end]``, or -1."""
    if text.startswith(opener, start):
        return max(start, text.rfind(f" {opener}", start, end) + 1)
    found = text.rfind(f" {opener}", start, end)
    return found + 1 if found >= 0 else -1
