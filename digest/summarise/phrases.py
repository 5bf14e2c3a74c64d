"""Where a title or a cut sentence may stop.

This module owns phrase boundaries (``phrase_cut``), the words a headline cannot end on
(``is_dangling``, ``drop_dangling``), phrasal verbs whose particle goes with them
("rein in", ``is_particle_of``, ``keep_particle``), and cutting a sentence to a word
budget with "…" (``cut_to_budget``).
"""

from __future__ import annotations

from digest.summarise.verbs import COMMON_VERBS, base_form, is_participle
from digest.summarise.words import WORD_EDGE, plain_word, word_set

ELLIPSIS = "…"

# Where a headline can stop when no phrase boundary comes within the limit.
_WEAK_STARTERS = word_set("to that and or but than so who which whose where")
# Words that open a phrase a headline can leave off: prepositions, conjunctions, relatives.
PHRASE_STARTERS = word_set(
    """before after because while when whereas although though since until unless despite
    amid following for in on at from into onto over under during with without within
    across through against among between by ahead as via if which who whose
    where that"""
)

_DANGLING = word_set(
    """a an the of to in on at for with by from into onto over under about after before
    between through during without within against among across along around behind
    beyond toward towards upon via per amid despite than as like and or but nor yet so
    because if while when where whether although though since until unless that which
    who whom whose what not no very more most less least much many some any each every
    it they he she we i you
    all both either neither this these those its my our your their his her is are was
    were be been being am has have had having do does did will would shall should can
    could may might must according said says mr mrs ms dr it’s it's de la le von van
    der never"""
)

# Phrasal verbs: a headline never ends between the verb and its particle ("rein | in").
_PHRASAL_FORMS = (
    (
        "in",
        "rein bring step give fill weigh kick pitch move cave settle stand phase lock"
        " let trade break sign opt usher",
    ),
    (
        "out",
        "carry rule roll phase pull drop walk wipe sell buy hand lay point spell sort"
        " single stamp iron knock lock leave opt hit lash run bail pay turn put hold kick"
        " work vote stand branch bow break crowd miss price sit throw wait wash",
    ),
    (
        "up",
        "set pick give sign step take shake open speed sum line start snap shore top"
        " tie wind wrap pile hold bring pay buy break back clean end follow make mount"
        " ramp stir team own split tear draw line round rack",
    ),
    (
        "down",
        "step stand back shut close turn cut crack clamp water tone wind scale play"
        " break hand bring vote knock lock let mark track tear write settle slow calm"
        " narrow hunt gun climb",
    ),
    (
        "off",
        "call take set pay sell lay kick wipe write stave fend fight ward head fight"
        " see seal beat level sign spin hold put ward cut tip round walk pull rip",
    ),
    ("over", "take hand turn win pass hold run fall blow"),
    (
        "back",
        "cut pay scale fight hit win bring pull set hold step claw roll push buy bounce come",
    ),
    ("on", "take sign carry crack press pass move log pile plough stay hold go come"),
    ("away", "give throw sweep walk turn put fade"),
    ("through", "push fall follow pull come"),
    ("aside", "set step brush put"),
    ("ahead", "press push forge go"),
    ("forward", "bring put step come"),
)
_PHRASAL = {(verb, particle) for particle, verbs in _PHRASAL_FORMS for verb in verbs.split()}
_PARTICLES = frozenset(particle for particle, _ in _PHRASAL_FORMS)
_PARTICLE_COMPLEMENTS = word_set("with of")  # "walk off with", "run out of"
# Prepositions that usually complete the verb before them ("called for", "moved to").
_COMPLEMENTS = word_set("for to with into from about of that")

# Participles that take an "as" phrase: "seen as", "regarded as", "known as".
_AS_PARTICIPLES = word_set(
    """seen regarded described known viewed branded hailed considered billed touted
    labelled labeled dubbed named crowned recognised recognized treated portrayed"""
)
# Adjectives and participles that need their infinitive: "willing to", "set to".
_TO_ADJECTIVES = word_set(
    """willing unwilling able unable likely unlikely due set expected poised ready keen
    eager determined going prepared reluctant"""
)
# Prepositions an infinitive's verb usually takes: "to work on", "to cope with".
_INFINITIVE_COMPLEMENTS = word_set("on with into from about of against towards")

# Adjectives a gerund follows as its noun's modifier: "competitive racing".
_ADJECTIVE_ENDINGS = ("ive", "al", "ous", "ful", "ic", "able", "ible", "less", "ary")

# Capitalised inside a title these are names or months, not auxiliaries or particles.
_NAME_LIKE = word_set("may will can mark bill sue pat van von de la le der")


def is_dangling(word: str, position: int = 1) -> bool:
    """A word a headline cannot end on ("of", "the", "according", "has").

    ``position`` is the word's index in the title: capitalised after the first word,
    "May" is a month and "Will" a name, not auxiliaries.
    """
    return _dangles(word, plain_word(word), position)


def _dangles(word: str, bare: str, position: int) -> bool:
    """``is_dangling`` for a ``word`` whose ``plain_word`` (``bare``) is made already."""
    if not bare:
        return True
    if bare not in _DANGLING:
        return False
    core = word.strip(WORD_EDGE)
    return not (position > 0 and core[:1].isupper() and bare in _NAME_LIKE)


def drop_dangling(words: list[str]) -> list[str]:
    """Remove trailing words a headline cannot end on."""
    while words:
        last = words[-1].rstrip(",;:–—-")
        if not last.strip(WORD_EDGE) or is_dangling(last, len(words) - 1):
            words.pop()
            if words and is_particle_of(words[-1], last):
                words.pop()  # "… or rein in": the verb goes with its particle
            continue
        words[-1] = last
        break
    return words


def is_particle_of(verb: str, particle: str) -> bool:
    """Whether ``particle`` is the particle of the phrasal verb ``verb`` ("reins in",
    "carried out", "setting up", "took over")."""
    # A particle is a bare lower-case word (a comma after it at most): the set test
    # rejects nearly every word at once, which matters as phrase_cut asks at each word.
    bare = particle.rstrip(",;:")
    if bare not in _PARTICLES or not verb.islower():
        return False
    word = verb.strip(WORD_EDGE)
    if (word, bare) in _PHRASAL or (base_form(word), bare) in _PHRASAL:
        return True
    if word.endswith("ies"):
        return (word[:-3] + "y", bare) in _PHRASAL
    if word.endswith("es") and (word[:-2], bare) in _PHRASAL:
        return True
    return word.endswith("s") and (word[:-1], bare) in _PHRASAL


def keep_particle(words: list[str], full: list[str], max_words: int) -> list[str]:
    """Never end on a verb whose particle follows ("rein | in"): keep the particle when
    it fits and can end a headline ("step down"), else cut before the verb."""
    k = len(words)
    if not words or k >= len(full) or not is_particle_of(words[-1], full[k]):
        return words
    particle = full[k].rstrip(",;:")
    if k < max_words and not is_dangling(particle, k):
        return [*words, particle]
    return drop_dangling(words[:-1])


def phrase_cut(
    words: list[str],
    max_words: int,
    shortest: int = 6,
    latest: bool = True,
    verb: int = -1,
    weak: bool = False,
    need_verb: bool = True,
) -> int:
    """A phrase boundary within the limit that keeps at least ``shortest`` words and a
    verb: the latest one, or with ``latest=False`` the earliest. 0 when there is none.

    ``verb`` is the main verb's index when known. ``weak`` also accepts the boundaries
    a headline can stop at when no preposition comes: before "to", "that", "and",
    "than" or a participle ("charges | stemming from …"). ``need_verb=False`` accepts
    a boundary before any verb was seen, for a clause whose verb the rules do not know
    ("Germans think of themselves as victims | of Hitler …")."""
    stop = min(max_words, len(words) - 1)
    indices = range(stop, shortest - 1, -1) if latest else range(shortest, stop + 1)
    # Each word is asked about several times as a boundary moves past it: its plain
    # form is made once, and where the first verb is, for ``need_verb`` without one.
    plain = [plain_word(word) for word in words[: stop + 1]]
    first_verb = _first_verb(words, stop) if need_verb and verb < 0 else -1
    # A quotation that fits is not cut: no boundary inside one ending within the limit.
    # (One join and two searches tell most clauses have none, cheaper than a look at
    # every word.)
    whole: list[bool] = []
    if _has_quote(words):
        whole = [False] * len(words)
        for start, end in quotation_spans(words):
            if end < max_words:
                whole[start:end] = [True] * (end - start)
    agentless = 0
    for i in indices:
        if whole and whole[i - 1]:
            continue  # "pledges to "never, | ever, ever" attack …": a quotation is whole
        if _dangles(words[i - 1], plain[i - 1], i - 1):
            continue  # "are | following in …": the part before is not complete
        if is_particle_of(words[i - 1], words[i]):
            continue  # "rein | in spending": the particle belongs to the verb
        bare = plain[i]
        if (
            bare == "in"
            and any(c.isdigit() for c in words[i - 1])
            and i + 1 < len(words)
            and words[i + 1].isalpha()
            and words[i + 1].islower()
            and words[i + 1].endswith("s")
        ):
            continue  # "£50billion | in losses": the amount says of what with "in"
        if not latest and bare == "by" and _is_amount(words[i + 1 : i + 4]):
            continue  # "rises | by more than 50 per cent": the amount is the news
        if bare == "to" and plain[i - 1] in _TO_ADJECTIVES:
            continue  # "is willing | to soften": the adjective needs its infinitive
        if bare == "as" and plain[i - 1] in _AS_PARTICIPLES:
            continue  # "was once seen | as the best": the participle needs its "as" phrase
        if i - 1 != verb and _weak_boundary(words, i - 1):
            continue  # "charges stemming | from …": the participle needs its phrase
        after_verb = (
            i - 1 == verb
            or (verb < 0 and _verb_like(words[i - 1]))
            or (
                bare in _PARTICLE_COMPLEMENTS
                and i > 1
                and is_particle_of(words[i - 2], words[i - 1])
            )  # "walk off | with"
        )
        if bare in _COMPLEMENTS and after_verb:
            continue  # "has called | for …": the verb needs what follows
        if i > 1 and plain[i - 2] == "to" and _takes_complement(words, i):
            continue  # "a deal to work | on delivering music": the verb needs it too
        if need_verb and not (i > verb if verb >= 0 else 0 <= first_verb < i):
            continue  # "Shares in India's largest power producer": no verb yet
        if bare in PHRASE_STARTERS or words[i - 1].endswith(","):
            if not (bare == "by" and i - 1 != verb and is_participle(plain[i - 1])):
                return i
            # "land owned | by a British company": a participle wants its agent, so
            # this boundary is taken only when there is no other.
            agentless = agentless or i
        if weak and not after_verb and _weak_boundary(words, i):
            return i
    # Shortening to the first phrase is a choice, not a need: no fallback then.
    return agentless if latest else 0


SHORT_QUOTATION_WORDS = 9
"""A quotation of at most this many words keeps its words in headline style (articles,
pronouns): a title has room for it whole. A longer one is put in headline style like
any clause."""


def _open_quotes(words: list[str]) -> list[bool]:
    """For each word, whether a double quotation is open after it: opened by a mark at
    a word's start (or a mark alone, straight marks taking turns) and not yet closed by
    one at a word's end."""
    states: list[bool] = []
    open_ = False
    for word in words:
        bare = word.strip(".,;:!?…")
        if bare in ('"', "“", "”"):
            open_ = bare == "“" or (bare == '"' and not open_)
        else:
            if word[:1] in '"“':
                open_ = True
            if open_ and bare[-1:] in ('"', "”") and len(bare) > 1:
                open_ = False
        states.append(open_)
    return states


def _has_quote(words: list[str]) -> bool:
    """Whether ``words`` hold a double quotation mark anywhere."""
    text = " ".join(words)
    return '"' in text or "“" in text


def quotation_spans(words: list[str]) -> list[tuple[int, int]]:
    """The (first, last) word of each double quotation in ``words``, marks included;
    one left open runs to the last word."""
    states = _open_quotes(words)
    spans: list[tuple[int, int]] = []
    start = -1
    for i, open_ in enumerate(states):
        if start < 0 and open_:
            start = i
        if start >= 0 and (not open_ or i == len(words) - 1):
            spans.append((start, i))
            start = -1
    return spans


def short_quotations(words: list[str]) -> list[bool]:
    """For each word, whether it stands in a quotation of at most
    ``SHORT_QUOTATION_WORDS`` words, the words with its marks included; empty when
    there is no quotation."""
    if not _has_quote(words):
        return []
    short = [False] * len(words)
    for start, end in quotation_spans(words):
        if end - start < SHORT_QUOTATION_WORDS:
            short[start : end + 1] = [True] * (end - start + 1)
    return short


# Words an "of" phrase completes, which a headline cannot end on: "one | of", "part |
# of", "guilty | of", "44 per cent | of".
_BEFORE_OF = word_set(
    """one two three four five six seven eight nine ten some many most all none any each
    part lot lots number kind sort type couple series group amount total bunch pair
    dozens hundreds thousands millions billions out full instead because ahead top front
    end middle rest half third quarter cent percent aware capable afraid proud guilty
    free short fond sick tired worthy ashamed wary critical supportive scared
    independent made consists centre center heart edge brink verge side head back bottom
    start beginning average majority minority proportion share range variety list set
    handful host wave spate raft"""
)


def of_cut(words: list[str], max_words: int, verb: int, shortest: int = 6) -> int:
    """The latest place within the limit where an "of" phrase after the verb's object
    can go, as a last resort before "…": "… snapped cutting lines | of suspicious-
    looking white powder", "… leaves out some of most controversial films | of past
    year". Not after the verb itself ("consists | of"), a number or a word the phrase
    completes ("one | of", "guilty | of"). 0 when there is none."""
    if verb < 0:
        return 0
    for i in range(min(max_words, len(words) - 1), max(shortest, verb + 2) - 1, -1):
        before = words[i - 1]
        if words[i] != "of" or not (before.isalpha() and before.islower()):
            continue
        if before in _BEFORE_OF or is_dangling(before, i - 1) or before.endswith("ed"):
            continue
        if any(c.isdigit() for c in words[i - 2]):
            continue  # "10.9m viewers | of": the amount is what it counts
        return i
    return 0


def _takes_complement(words: list[str], i: int) -> bool:
    """Whether ``words[i]`` is a preposition completing the infinitive before it ("to
    work | on", "to cope | with"), not a place or a time after it ("to Paris | in")."""
    verb = words[i - 1]
    if (
        not (verb.isalpha() and verb.islower())
        or plain_word(words[i]) not in _INFINITIVE_COMPLEMENTS
    ):
        return False
    if verb.endswith("s") and not verb.endswith(("ss", "us")):
        return False  # "to screens | with": a plural noun, not a verb
    # "to return to screens | with": the second "to" is a preposition after a verb.
    return not (i > 3 and plain_word(words[i - 4]) == "to")


_MONTHS = word_set(
    "january february march april may june july august september october november december"
)


def _is_amount(words: list[str]) -> bool:
    """Whether the words after a "by" say how much ("more than 50 per cent", "20,000",
    "6%"), not when ("1700 GMT", "2010", "10 December")."""
    if any(plain_word(w) in _MONTHS for w in words):
        return False
    return any(w[:1].isdigit() and not (len(w) == 4 and w.isdigit()) for w in words)


def _weak_boundary(words: list[str], i: int) -> bool:
    """``words[i]`` can start a phrase a headline may drop: "to", "that", or a
    participle after a noun ("charges | stemming from"), but not a gerund after an
    adjective ("return to competitive racing")."""
    word = words[i]
    bare = plain_word(word)
    if bare in ("and", "or") and _joins_adjectives(words, i):
        return False  # "tribute to kind | and generous man": the noun is still to come
    if bare in _WEAK_STARTERS:
        return True
    if not (word.islower() and len(bare) > 5 and bare.endswith("ing") and bare.isalpha()):
        return False
    before = plain_word(words[i - 1]) if i > 0 else ""
    if before in _BEFORE_PROGRESSIVE:
        return False  # "are still | reading": the verb itself, not a participle's phrase
    return not before.endswith(_ADJECTIVE_ENDINGS)


def _joins_adjectives(words: list[str], i: int) -> bool:
    """Whether the "and" at ``i`` joins two adjectives before their noun: "a kind and
    generous | man" (by the second one's ending, and a lower-case word after it)."""
    if i + 2 >= len(words):
        return False
    second, noun = words[i + 1], words[i + 2]
    return (
        second.isalpha()
        and second.islower()
        and second.endswith(_ADJECTIVE_ENDINGS)
        and noun.isalpha()
        and noun.islower()
        and noun not in _DANGLING
    )


# Words a progressive "-ing" follows as the verb of its clause: "are still reading",
# "is now facing".
_BEFORE_PROGRESSIVE = word_set("still now also not already currently always never ever is are")


# Words that open what a subject's head noun is followed by: "Talks | on …", "a
# lawsuit | accusing …", "stars | including …", "a firm | whose …".
_MODIFIER_STARTERS = word_set(
    """of in at for on from with by to behind over under about against into including
    who which that whose where such"""
)


def starts_modifier(words: list[str], k: int) -> bool:
    """Whether ``words[k]`` opens a modifier of the noun phrase before it, so that
    ``words[:k]`` names the same thing in fewer words: a preposition, a relative, a
    participle after a noun ("lawsuit | accusing", "suits | worn"), or what follows a
    comma ("a mixture of poor weather, | rising costs …")."""
    before, word = words[k - 1], words[k]
    if is_dangling(before.rstrip(","), k - 1):
        return False  # "the effects of | the" is not a whole noun phrase
    if before.endswith(","):
        return True
    bare = plain_word(word)
    if bare in _MODIFIER_STARTERS:
        return word == bare
    if not (word.isalpha() and word.islower()) or before.endswith(_ADJECTIVE_ENDINGS):
        return False
    # "children | being treated …": "being" is as long as a participle gets.
    return (
        (len(bare) > 5 and bare.endswith("ing"))
        or bare == "being"
        or (bare.endswith("ed") and len(bare) > 4 and bare not in COMMON_VERBS)
    )


def _first_verb(words: list[str], end: int) -> int:
    """The index of the first main verb in ``words[1:end]``, not just a participle after
    a noun ("drug made by …"); -1 when there is none."""
    for j in range(1, end):
        if _verb_like(words[j]):
            after = plain_word(words[j + 1]) if j + 1 < len(words) else ""
            before = plain_word(words[j - 1])
            if after == "by" and before not in COMMON_VERBS:
                continue
            if plain_word(words[j]).endswith("ing") and before not in COMMON_VERBS:
                continue  # "people cycling to work": a participle, not the verb
            return j
    return -1


def _verb_like(word: str) -> bool:
    """A rough test for a verb, enough to tell a clause from a bare noun phrase."""
    if word[:1].isupper():
        return False
    bare = plain_word(word)
    return (
        bare in COMMON_VERBS
        or (len(bare) > 4 and bare.endswith(("ed", "ing")))
        or (bare.endswith("s") and bare[:-1] in COMMON_VERBS)
    )


def cut_to_budget(sentence: str, budget: int) -> str:
    """A sentence longer than the budget, cut at a word boundary with "…"."""
    words = sentence.split()
    if len(words) <= budget:
        return sentence
    kept = drop_dangling(words[:budget]) or words[:budget]
    return " ".join(kept).rstrip(" ,;:–—-") + ELLIPSIS


def drop_dangling_in(words: list[str], dangling: frozenset[str]) -> list[str]:
    """``drop_dangling`` with another language's list of words a title cannot end on
    ("der", "de", "في"); its English rules (names, phrasal verbs) do not apply."""
    while words:
        last = words[-1].rstrip(",;:–—-،؛")
        bare = plain_word(last).strip("„‚«»‹›¿¡")
        if not bare or bare in dangling or bare.split("'")[0].split("’")[0] in dangling:
            words.pop()
            continue
        words[-1] = last
        break
    return words
