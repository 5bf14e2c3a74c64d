"""Plain-text helpers the summariser is built on: sentence splitting and word counts.

This module owns *where sentences end*. It is a small rule-based splitter written for
news prose: it costs microseconds per article (pysbd costs milliseconds) and knows the
cases that trip naive splitters — abbreviations ("U.S.", "Mr.", "e.g.", "No. 10"),
initials ("J. K. Rowling"), decimals, ellipses and full stops inside quotations.
It also holds the few verb forms headline style needs ("has risen" → "rises"): a rule
based base form for -ed/-ing words with a table of irregular verbs, and the present tense.
Nothing here knows about articles or digest items.
"""

from __future__ import annotations

import re


def word_set(words: str) -> frozenset[str]:
    """A set of words written as one space-separated string (easier to read and edit)."""
    return frozenset(words.split())


# Words that say nothing about what a text is about, for ``content_words``.
STOP_WORDS = word_set(
    """a about above after again against all also am an and any are as at be because been
    before being below between both but by can could did do does doing down during each
    few for from further had has have having he her here hers herself him himself his how
    if in into is it its itself just me more most my myself no nor not now of off on once
    only or other our ours out over own said same says she should so some such than that
    the their theirs them then there these they this those through to too under until up
    very was we were what when where which while who whom why will with would you your
    one two new year years told last first"""
)
_CONTENT_WORD = re.compile(r"[a-z0-9]{3,}")  # a word of three letters or more


def content_words(text: str) -> set[str]:
    """The words of ``text`` that carry its subject: lower-case runs of letters and
    digits ("Ukraine's" gives "ukraine"), without stop words and words of one or two
    letters."""
    return set(_CONTENT_WORD.findall(text.lower())) - STOP_WORDS


# A candidate boundary: terminal punctuation, any closing quotes/brackets glued to it,
# then whitespace. Whether it really ends a sentence is decided in ``_is_boundary``.
_CANDIDATE = re.compile(r"[.!?…]+[\"”’')\]]*\s+")
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


def count_words(text: str) -> int:
    """Words as a reader counts them: runs of non-space characters."""
    return len(text.split())


def split_sentences(text: str, limit: int | None = None) -> list[str]:
    """Split one paragraph into sentences, keeping each sentence's own punctuation.

    A closing quote or bracket after the full stop belongs to the sentence it closes.
    Full stops inside a quotation that closes later in the paragraph do not split it.
    With ``limit``, only the first ``limit`` sentences: the rest is never looked at.
    """
    text = text.strip()
    if not text:
        return []
    quoted = _quoted_spans(text) if ('"' in text or "“" in text) else ()
    sentences: list[str] = []
    start = 0
    for match in _CANDIDATE.finditer(text):
        end = match.end()
        if end >= len(text):
            break
        if quoted and _inside(match.start(), quoted):
            continue
        if _is_boundary(text, match, end):
            sentence = text[start : match.end()].strip()
            if sentence:
                sentences.append(sentence)
                if len(sentences) == limit:
                    return sentences
            start = end
    rest = text[start:].strip()
    if rest:
        sentences.append(rest)
    return sentences


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
    next_word = _word_after(text, end)
    if lower in _TITLES:
        return False
    if lower in _BEFORE_NUMBER and nxt.isdigit():
        return False
    if lower in _AMBIGUOUS or "." in token:
        return next_word.lower() in _STARTERS
    if len(token) == 1 and token.isalpha() and token.isupper():
        # An initial ("J. K. Rowling"), unless a plain sentence starter follows it.
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


# --- verb forms (for headlinese) -----------------------------------------------------

# Irregular past tenses and participles → the base form. Regular verbs go by rule.
_IRREGULAR_FORMS: tuple[tuple[str, str], ...] = (
    ("arise", "arose arisen"),
    ("be", "was were been"),
    ("bear", "bore borne born"),
    ("beat", "beaten"),
    ("become", "became"),
    ("begin", "began begun"),
    ("bend", "bent"),
    ("bid", "bid"),
    ("bind", "bound"),
    ("bite", "bit bitten"),
    ("blow", "blew blown"),
    ("break", "broke broken"),
    ("bring", "brought"),
    ("build", "built"),
    ("buy", "bought"),
    ("catch", "caught"),
    ("choose", "chose chosen"),
    ("come", "came"),
    ("deal", "dealt"),
    ("do", "did done"),
    ("draw", "drew drawn"),
    ("drive", "drove driven"),
    ("eat", "ate eaten"),
    ("fall", "fell fallen"),
    ("feed", "fed"),
    ("feel", "felt"),
    ("fight", "fought"),
    ("find", "found"),
    ("flee", "fled"),
    ("fly", "flew flown"),
    ("forbid", "forbade forbidden"),
    ("forget", "forgot forgotten"),
    ("forgive", "forgave forgiven"),
    ("freeze", "froze frozen"),
    ("get", "got gotten"),
    ("give", "gave given"),
    ("go", "went gone"),
    ("grow", "grew grown"),
    ("hang", "hung"),
    ("have", "had"),
    ("hear", "heard"),
    ("hide", "hid hidden"),
    ("hold", "held"),
    ("keep", "kept"),
    ("know", "knew known"),
    ("lay", "laid"),
    ("lead", "led"),
    ("leave", "left"),
    ("lend", "lent"),
    ("lose", "lost"),
    ("make", "made"),
    ("mean", "meant"),
    ("meet", "met"),
    ("overcome", "overcame"),
    ("oversee", "oversaw overseen"),
    ("overtake", "overtook overtaken"),
    ("pay", "paid"),
    ("rebuild", "rebuilt"),
    ("ride", "rode ridden"),
    ("ring", "rang rung"),
    ("rise", "rose risen"),
    ("run", "ran"),
    ("say", "said"),
    ("see", "saw seen"),
    ("seek", "sought"),
    ("sell", "sold"),
    ("send", "sent"),
    ("shake", "shook shaken"),
    ("shine", "shone"),
    ("shoot", "shot"),
    ("show", "shown"),
    ("sing", "sang sung"),
    ("sink", "sank sunk"),
    ("sit", "sat"),
    ("sleep", "slept"),
    ("slide", "slid"),
    ("speak", "spoke spoken"),
    ("spend", "spent"),
    ("stand", "stood"),
    ("steal", "stole stolen"),
    ("stick", "stuck"),
    ("strike", "struck stricken"),
    ("swear", "swore sworn"),
    ("sweep", "swept"),
    ("swing", "swung"),
    ("take", "took taken"),
    ("teach", "taught"),
    ("tear", "tore torn"),
    ("tell", "told"),
    ("think", "thought"),
    ("throw", "threw thrown"),
    ("undergo", "underwent undergone"),
    ("understand", "understood"),
    ("uphold", "upheld"),
    ("wake", "woke woken"),
    ("wear", "wore worn"),
    ("win", "won"),
    ("withdraw", "withdrew withdrawn"),
    ("withhold", "withheld"),
    ("write", "wrote written"),
)
_IRREGULAR = {word: base for base, forms in _IRREGULAR_FORMS for word in forms.split()}
# Simple past tenses that are never participles ("rose", not "risen"): the first of
# two forms above, and a few whose participle is the base form ("came", "ran").
_PAST_ONLY = frozenset(
    forms.split()[0] for _, forms in _IRREGULAR_FORMS if len(forms.split()) > 1
) - {"was", "got"} | {"came", "became", "overcame", "ran"}
# Verbs whose past and base forms are the same ("cut", "hit", "set").
_SAME_FORMS = word_set(
    "bet broadcast burst cast cost cut hit hurt let put quit set shed shut split spread "
    "thrust upset"
)
# Stems that keep their last letter doubled ("added", "called") or never take an "e".
_KEEP_DOUBLE = word_set("add odd egg err purr buzz fizz install enthrall fulfill")
_NO_E = word_set(
    """focus bias develop envelop gallop gossip wallop worship visit limit edit credit profit
    benefit exhibit deposit inherit target budget market ransom blossom abandon reckon
    question mention sanction pardon imprison poison summon beckon auction position caution
    station envision commission condition petition ration fashion cushion reason season
    monitor sponsor honor censor anchor tailor mirror favor labor color harbor"""
)
_VOWELS = "aeiou"


def base_form(word: str) -> str:
    """The base form of a lower-case verb form ending in -ed or -ing, or of an
    irregular past ("rose" → "rise"). Rule-based: "agreed" → "agree", "planned" →
    "plan", "raised" → "raise", "carried" → "carry", "making" → "make". Words it does
    not recognise are returned unchanged."""
    if word in _IRREGULAR:
        return _IRREGULAR[word]
    if word.endswith("ied") and len(word) > 4:
        return word[:-3] + "y"
    if word.endswith("eed") or (word.endswith("ied") and len(word) <= 4):
        return word[:-1]  # agreed, freed, died, tied
    if word.endswith("ed") and len(word) > 3:
        stem = word[:-2]
    elif word.endswith("ing") and len(word) > 5:
        stem = word[:-3]
        if stem.endswith(("y", "ee", "ie")) or stem in ("be", "see"):
            return stem  # playing, agreeing, dying stays "dy"…: rare enough
    else:
        return word
    if stem in _NO_E or stem in _KEEP_DOUBLE:
        return stem
    last, before = stem[-1], stem[-2] if len(stem) > 1 else ""
    if last == before and last not in "ls" and stem not in _KEEP_DOUBLE:
        return stem[:-1]  # planned, stopped
    if stem.endswith("ll") and len(stem) >= 6:
        return stem[:-1]  # cancelled, travelled, controlled
    return stem + "e" if _takes_e(stem) else stem


def _takes_e(stem: str) -> bool:
    """Whether a stem lost a silent "e" before -ed/-ing ("rais" → "raise")."""
    last = stem[-1]
    before = stem[-2] if len(stem) > 1 else ""
    third = stem[-3] if len(stem) > 2 else ""
    if stem[-4:-2] == "qu":
        third = "q"  # after q, u is part of the consonant: required, quoted
    if last in "cvuz":
        return not stem.endswith("zz")  # forced, moved, argued, seized
    if last == "s":
        return before != "s"  # raised, caused, pulsed — but passed
    if last == "g":
        return before == "r" or (before == "n" and third in "ae")  # charged, changed
    if last == "l":
        if before not in _VOWELS:
            return before not in "lrw"  # settled, handled — but curled
        return before in "aiou" and third not in _VOWELS  # ruled, scaled — but failed
    if last == "r":
        return stem.endswith(("scor", "stor", "ignor", "plor", "ador")) or (
            before in "aiu" and third not in _VOWELS
        )  # scored, declared, hired — but offered, feared
    if last == "n":
        if stem.endswith(("phon", "postpon", "condon", "clon", "zon", "hon", "ton", "dron")):
            return True
        return before in "aiu" and third not in _VOWELS  # fined, declined — but gained
    if last == "m":
        return stem.endswith("com") or (before in "aiu" and third not in _VOWELS)
    if last == "t":
        if stem.endswith(("unit", "invit", "cit", "ignit", "complet", "delet", "compet", "creat")):
            return True
        return before in "aou" and third not in _VOWELS  # created, voted, disputed
    if last in "dkpb":
        if stem.endswith(("suad", "lop", "sip", "ship")):
            return stem.endswith("suad")
        return before in _VOWELS and third not in _VOWELS  # decided, liked, hoped
    return False


def present_tense(base: str, singular: bool) -> str:
    """The present tense of a base form: "rise" → "rises" (singular) or "rise"."""
    if not singular:
        return "are" if base == "be" else base
    if base in ("be", "have"):
        return "is" if base == "be" else "has"
    if base.endswith(("s", "x", "z", "ch", "sh", "o")):
        return base + "es"
    if base.endswith("y") and len(base) > 1 and base[-2] not in _VOWELS:
        return base[:-1] + "ies"
    return base + "s"


def is_irregular_past(word: str) -> bool:
    """An irregular past tense or participle ("rose", "won", "taken")."""
    return word in _IRREGULAR or word in _SAME_FORMS


def is_past_only(word: str) -> bool:
    """A simple past tense that cannot be a participle ("rose", "fell", "grew")."""
    return word in _PAST_ONLY
