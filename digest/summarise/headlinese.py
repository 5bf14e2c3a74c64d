"""Headline style, word by word: "The Tories have backed …" → "Tories back …".

This module owns finding a clause's main verb, putting it in headline tense (present,
without auxiliaries), whether the subject is singular, and dropping what a headline
has no room for: articles, possessive pronouns, filler adverbs, given names, a long
subject's relative clause (``headlinese``).
"""

from __future__ import annotations

from itertools import pairwise

from digest.summarise.phrases import PHRASE_STARTERS, short_quotations
from digest.summarise.verbs import (
    AUXILIARIES,
    BE,
    HAVE,
    MODALS,
    REPORTING_VERBS,
    base_form,
    is_irregular_past,
    is_participle,
    is_past_only,
    present_tense,
)
from digest.summarise.words import (
    NAME_PARTICLES,
    OWN_SUBJECT_RELATIVES,
    RELATIVES,
    WORD_EDGE,
    word_set,
)

# Adjectives and participles after which "is/are … to" keeps only the rest ("set to").
_BEFORE_TO = word_set(
    """set expected likely unlikely due about poised ready understood believed thought
    said reported able unable going"""
)
# Words after which an "-ed" word is an adjective or a participle, not the main verb.
_NOT_BEFORE_VERB = word_set(
    """the a an his her its their our my your this that these those of in on at for with
    by from to into and or but very most more less so too as than being been be not
    newly recently"""
)
# "-ing" words that are adjectives after "is": "is willing to" is not "wills to".
_ING_ADJECTIVES = word_set(
    """willing unwilling missing outstanding interesting amazing worrying exciting
    encouraging disappointing surprising damning alarming appalling shocking"""
)
# Participles spelt as their verb's base, which only "has" or "have" shows to be
# participles: "have come top" → "come top", "has become" → "becomes".
_BASE_PARTICIPLES = word_set("come become overcome run outrun")
# Adverbs of frequency and degree without "-ly", which may stand between "is" and
# its participle ("are sometimes expected to"); not "once", whose past needs "was"
# ("was once seen as").
_ADVERBS = word_set("sometimes often always never still seldom rarely usually")
# Dropped wherever they stand: a headline has no room for them.
_FILLER_ADVERBS = word_set("also already now just finally reportedly")
_DROPPED_DETERMINERS = word_set("the a an")
_POSSESSIVE_PRONOUNS = word_set("his its their")
# Subject pronouns, each to whether it is singular.
_PRONOUN_NUMBER = {"he": True, "she": True, "it": True, "they": False, "we": False}
# Pronouns that are only ever subjects ("it" and "you" may be objects: "who bought it
# | has …"): a verb right after one is its own clause's.
_SUBJECT_PRONOUNS = word_set("he she they we i")
_PLURAL_NOUNS = word_set("people police children men women staff cattle")
# Prepositions that end a subject's head noun: "Shares | in BT", "The number | of people".
SUBJECT_PREPOSITIONS = word_set("of in at for on from with by to behind over under")
# Participles that take "of" in the passive ("a teacher accused of …"), unlike past
# tenses such as "complained of", "warned of".
_PASSIVE_OF = word_set(
    """accused convicted suspected cleared stripped robbed deprived acquitted absolved
    informed reminded relieved cured"""
)
# Nouns whose "that" opens what they say, not a relative clause: "Claims that Blair is
# planning …", "the statement that it was …".
_CONTENT_NOUNS = word_set(
    """claim claims report reports fear fears hope hopes suggestion suggestions news
    speculation rumour rumours rumor rumors warning warnings evidence sign signs belief
    view idea statement statements allegation allegations fact notion"""
)
# Present tenses that take an infinitive: "Ballard plans to climb …" has its main verb
# there, not in a later clause ("after his mother died").
_TO_VERBS = word_set(
    """plans wants hopes vows aims seeks threatens promises refuses agrees decides offers
    pledges expects intends tries fails needs prepares"""
)
# Conjunctions that open a subordinate clause: "20 years after his mother died" — its
# verb is not the main clause's ("plans to climb … after his mother | died").
_SUBORDINATORS = word_set(
    "after before when while since because although though until unless how why whether"
)
_COORDINATORS = word_set("and or &")
# Roles written in capitals, nouns all the same: "Veteran Labour MP and former Cabinet
# minister Jack Cunningham" is one person.
_ROLE_ACRONYMS = word_set("MP MEP MSP AM QC")
# Prepositions that open no subject of their own: no description ends on one ("feud
# between | Tony Blair").
_OTHER_PREPOSITIONS = word_set(
    "between among against about after before during without within across into onto"
    " through towards toward near beside despite"
)
_PREPOSITIONS = SUBJECT_PREPOSITIONS | _OTHER_PREPOSITIONS
# Participles after "had" that keep it: "had been" (a passive or a state), and those
# that say it did not happen ("had hoped to sign him").
_UNFULFILLED = word_set("been hoped wanted expected planned intended meant thought")
# Verbs that take a clause: in "who feared the body | was a victim", the "was" is theirs.
_CLAUSE_VERBS = REPORTING_VERBS | word_set(
    """feared fears knew knows hoped hopes realised realized suspected suspects
    discovered discovers found finds learned learnt"""
)

# How far into a clause its main verb is looked for; past it, only an auxiliary or a
# simple past, up to ``_FAR_VERB_REACH`` (see ``_far_verb``).
_VERB_REACH = 14
_FAR_VERB_REACH = 24
# Subordinators that are never prepositions ("after a night out" is no clause).
_CONJUNCTIONS = word_set("because although though when while unless whether if")
# Words that open a subordinate clause's subject: "because | no ambulance was …" (not
# "after | being struck", "while | on holiday", which have no verb of their own).
_CLAUSE_OPENING = word_set(
    "the a an no his her their its my our he she they it we i you there this these some"
)
# Words that open a clause of their own before its verb: "… and announce there | will be".
_CLAUSE_SUBJECTS = word_set("there it he she they we i you this")
# How far after the verb a coordinated verb is looked for: as far as a title reaches.
TITLE_REACH = 12
# Past this many words before its verb, a subject's relative clause goes from a title.
_LONG_SUBJECT_WORDS = 8
_RELATIVE_CLAUSE_WORDS = 24

# Common given names: in a headline a person goes by the surname ("Tony Blair" →
# "Blair"), and a descriptor before the name goes with the given name.
_GIVEN_NAMES = word_set(
    """adam alan alex alexander alice alistair andrew andy angela ann anna anne anthony
    ben bernie bill billy bob brian bruce carl caroline catherine charles charlie chris
    christopher claire colin craig dan daniel dave david diane donald douglas ed edward
    elizabeth emma eric frank fred gary geoff george gerry gordon graham greg harry
    helen henry ian jack jackie james jamie jane janet jason jean jeff jennifer jeremy
    jim jimmy joe john jon jonathan jose julia julie karen kate kathy keith ken kenneth
    kevin kim laura lee lisa liz lord louise lucy mark martin mary matt matthew mel
    michael mick mike nancy neil nick nicola nigel oliver patricia patrick paul peter
    philip rachel ralph ray richard rob robert robbie robin roger ron ronnie rose ruth
    ryan sally sam sarah scott sean simon stephen steve steven stuart sue susan tessa
    thomas tim tom tony vince walter wayne william"""
) - {"lord"}


def headlinese(words: list[str], far: bool = True) -> tuple[list[str], int]:
    """Headline style: the main verb in the present tense without auxiliaries ("has
    risen" → "rises", "are not expected to" → "not expected to", "will play" → "to
    play", "was arrested" → "arrested"), no articles, possessive pronouns or filler
    adverbs, people by their surname, and no relative clause in a long subject.
    Lower-case words only: names are left alone.

    With ``far``, a verb past the usual reach is looked for too (see ``_far_verb``).

    Returns the words and the index of the main verb (-1 when none was found)."""
    verb = _main_verb(words, 1)
    if verb < 0 and far and len(words) > _VERB_REACH:
        verb = _far_verb(words)
    if verb > _LONG_SUBJECT_WORDS:
        # "A drunk driver who killed a woman in a crash while … | has been jailed": a
        # subject too long for a headline loses its relative clause, not the verb.
        relative = next(
            (i for i in range(1, verb - 1) if words[i] in RELATIVES or words[i] == "whose"), -1
        )
        if (
            relative > 0
            and not words[relative - 1].endswith(",")
            and (
                words[relative] != "that"  # "who", "which": a relative pronoun always
                or words[relative + 1] in AUXILIARIES
                or words[relative + 1] in REPORTING_VERBS
                or is_participle(words[relative + 1])
            )
        ):
            words = words[:relative] + words[verb:]
            verb = relative
    # The subject's number, which the auxiliary shows and headline tense drops ("have
    # been suspended" → "suspended"): whether an "and" joins two people or two
    # descriptions of one.
    plural = _plural_subject(words[verb]) if verb >= 0 else None
    words = _headline_tense(words, verb)
    marked = [(word, i == verb) for i, word in enumerate(words)]
    marked = _by_surname(_drop_descriptors(marked, plural), plural)
    out: list[tuple[str, bool]] = []
    # A quotation short enough to keep whole keeps its words ("change the face of
    # British politics"); a longer one is cut like any clause.
    verbatim = short_quotations([word for word, _ in marked])
    for i, (word, is_verb) in enumerate(marked):
        nxt = marked[i + 1][0] if i + 1 < len(marked) else ""
        if not is_verb and not (verbatim and verbatim[i]):
            if word in _DROPPED_DETERMINERS and nxt and i > 0 and not _in_name(marked, i):
                continue
            if word in _POSSESSIVE_PRONOUNS and nxt[:1].islower():
                continue
            if word in _FILLER_ADVERBS and out:
                continue
        out.append((word, is_verb))
    at = next((i for i, (_, is_verb) in enumerate(out) if is_verb), -1)
    return [word for word, _ in out], at


def _in_name(marked: list[tuple[str, bool]], i: int) -> bool:
    """Whether the article at ``i`` is part of a name: "Top of the Pops", "Lord of the
    Rings" (capitals on both sides of "of the"; not "head of the BBC")."""
    return (
        i >= 2
        and marked[i - 1][0] == "of"
        and marked[i - 2][0][:1].isupper()
        and marked[i + 1][0][:1].isupper()
    )


def _far_verb(words: list[str]) -> int:
    """The verb of a subject longer than the usual reach: "The price of a return ticket
    on the night bus between the station and the airport | rose", "A US government
    claim accusing … of covering up the effects of smoking | has been thrown out". Only
    an auxiliary or a simple past, after a noun, counts this far (-1 when none)."""
    found = _main_verb(words, 1, _FAR_VERB_REACH)
    if found < _VERB_REACH:
        return -1
    word = words[found]
    if not (word in BE or word in HAVE or word in MODALS or is_past_only(word)):
        return -1
    if (
        words[found - 1] in RELATIVES
        or words[found - 1].lower() in _CLAUSE_SUBJECTS
        or _in_relative_clause(words, found)
        or any(_opens_clause(words, k) for k in range(1, found))
    ):
        return -1  # "… who are active", "as no evictions were made", "there will be"
    return found


def _opens_clause(words: list[str], k: int) -> bool:
    """Whether a subordinator at ``k`` opens a clause with a verb of its own ("as | no
    evictions were made"), not a phrase of a gerund ("after | being bullied")."""
    if words[k] not in _SUBORDINATORS and words[k] != "as":
        return False
    following = words[k + 1] if k + 1 < len(words) else ""
    return not (following.islower() and following.endswith("ing") and len(following) > 4)


def main_verb(words: list[str]) -> int:
    """Index of a clause's finite verb or auxiliary (as ``headlinese`` finds it), -1 if
    none: "Red and white stripes, black shorts" has none."""
    return _main_verb(words, 1)


def _main_verb(words: list[str], start: int, reach: int = _VERB_REACH) -> int:
    """Index of the clause's finite verb or auxiliary at or after ``start``, within
    ``reach`` words; -1 if none."""
    limit = min(len(words), start + reach)
    subordinate = False
    for i in range(start, limit):
        word = words[i]
        if words[i - 1].endswith(","):
            subordinate = False  # the subordinate clause ends at its comma
        if word in _SUBORDINATORS:
            # "after being bullied" is a phrase: no verb of its own to pass over.
            subordinate = _opens_clause(words, i)
            continue
        if subordinate:
            continue
        if word in BE or word in HAVE or word in MODALS:
            return _beyond_relative_clause(words, i, limit)
        if (
            word in _TO_VERBS
            and words[i - 1][:1].isupper()
            and not words[i - 1].endswith(("'s", "’s"))
            and words[i + 1 : i + 2] == ["to"]
            and words[i + 2 : i + 3] != []
            and words[i + 2].isalpha()
            and words[i + 2].islower()
        ):
            return i  # "Ballard plans to climb …": a name, a present tense, an infinitive
        if (
            not word.isalpha()
            or not word.islower()
            or words[i - 1].lower() in _NOT_BEFORE_VERB
            or _in_adjective_list(words, i)
        ):
            continue
        if (
            word in REPORTING_VERBS
            and words[i - 1] not in RELATIVES
            and words[i + 1 : i + 2] not in (["to"], ["by"], [])
        ):
            # "Luxemburgo said the victory … was vital": the reporting verb is the main
            # verb, not the "was" of the clause it reports ("Man believed to be …" aside).
            return i
        if is_irregular_past(word) or (word.endswith("ed") and is_participle(word)):
            if i + 1 < len(words) and words[i + 1] == "by" and not is_past_only(word):
                # "a drug made by …": a participle after a noun (not "sales fell by
                # 3%": a simple past is never one).
                continue
            if i >= 3 and words[i - 1].endswith("ly") and words[i - 2].endswith(","):
                continue  # "this timeless song, brilliantly | gilded with …": an aside
            if _in_relative_clause(words, i):
                # "The plate that got X and his crew | chased out of Y | was …"
                return _beyond_relative_clause(words, i, limit)
            # "Scientists based in Leeds have …": the auxiliary is the main verb. After
            # "the man accused of …", "a firm charged with …", "a museum dedicated to …",
            # look as far as a title can.
            reach = limit if words[i + 1 : i + 2] in (["of"], ["with"], ["to"]) else i + 9
            # "The value of goods exported from Germany | rose by 3%": a participle
            # taking a phrase, then a simple past, which is the main verb.
            modifier = words[i + 1 : i + 2] != [] and (
                words[i + 1] in SUBJECT_PREPOSITIONS and not is_past_only(word)
            )
            for j in range(i + 1, min(limit, reach)):
                if words[j] in _PRONOUN_NUMBER or words[j] in ("that", "which", "who"):
                    break
                takes_phrase = words[i + 1] in SUBJECT_PREPOSITIONS
                if words[j] in BE or words[j] in HAVE:
                    if words[j - 1] in MODALS and j - 1 > i + 1 and not takes_phrase:
                        break  # "complained Coleman should | have been …": its clause
                    return j
                if words[j] in MODALS and takes_phrase:
                    # "A drug used to treat gout | can slow …": a modal too, after a
                    # participle with a phrase (not "Martinez complained Coleman |
                    # should have …", a past with its clause).
                    return j
                if (
                    modifier
                    and is_past_only(words[j])
                    and words[j - 1] not in _NOT_BEFORE_VERB
                    and words[j - 1] not in _COORDINATORS
                ):
                    return j
                if words[j - 1].endswith(",") and not words[j][:1].isupper():
                    break  # an aside, not a list of names ("in Sierra Leone, Guinea and …")
            if words[i + 1 : i + 2] == ["of"] and word in _PASSIVE_OF:
                # "A teacher accused of …" with no verb of its own in reach: a passive
                # participle, not a past tense to put in the present ("accuses of").
                continue
            return _beyond_relative_clause(words, i, limit)
    return -1


def _in_relative_clause(words: list[str], i: int) -> bool:
    """Whether ``words[i]`` stands in a relative clause of the subject: "The plate that
    got Clarkson and his crew | chased out of …" (no comma since the pronoun)."""
    for k in range(i - 1, 0, -1):
        if words[k].endswith(","):
            return False
        if words[k] in RELATIVES:
            return not (words[k] == "that" and words[k - 1].lower() in _CONTENT_NOUNS)
        if words[k] in OWN_SUBJECT_RELATIVES and k + 1 < i:
            # "A woman whose husband | was killed …", "a restaurant where 40 diners |
            # fell ill": the clause has a subject of its own before its verb.
            return True
    return False


def _in_adjective_list(words: list[str], i: int) -> bool:
    """Whether the "-ed" word at ``i`` ends a list of adjectives before a noun: "the
    champion's gaudy, | abandoned mansion" (not "The minister, embarrassed, resigned")."""
    following = words[i + 1] if i + 1 < len(words) else ""
    if (
        not words[i].endswith("ed")
        or not following.isalpha()
        or not following.islower()
        or following in _NOT_BEFORE_VERB
        or following in PHRASE_STARTERS
    ):
        return False  # an adjective here comes before its noun
    k = i - 1
    while k >= 1 and words[k].endswith(",") and words[k][:-1].isalpha() and words[k].islower():
        k -= 1
    if k == i - 1 or k < 0:
        return False
    before = words[k]
    return before.endswith(("'s", "’s")) or before.lower() in _NOT_BEFORE_VERB


def _beyond_relative_clause(words: list[str], i: int, limit: int) -> int:
    """The main clause's auxiliary when the verb at ``i`` belongs to a relative clause
    in the subject: "A bakery that has fed the street for years | will close"."""
    if words[i - 1] not in RELATIVES and not _in_relative_clause(words, i):
        return i
    # The clause may run past the usual search window: look as far as a title could.
    subordinate = False  # "who was left … because no ambulance | was available | has died"
    for j in range(i + 2, max(limit, min(len(words), i + _RELATIVE_CLAUSE_WORDS))):
        if words[j - 1].endswith(",") and not _continues_list(words, j):
            break  # an aside, not the subject's end
        if words[j - 1] in _COORDINATORS:
            continue  # "who sleepwalked and | was not drunk": still the relative clause
        if words[j - 1] in _CONJUNCTIONS and (
            words[j] in _CLAUSE_OPENING or words[j][:1].isupper()
        ):
            subordinate = True  # with a subject of its own, so a verb of its own
        if words[j - 1].lower() in _SUBJECT_PRONOUNS:
            continue  # "for a murder he | did not commit": the pronoun's own clause
        if words[j] in BE or words[j] in HAVE or words[j] in MODALS:
            if subordinate and words[j - 1] not in _SUBORDINATORS:
                subordinate = False  # the subordinate clause's own verb
                continue
            return _beyond_complement(words, i, j)
        if words[j] in REPORTING_VERBS and words[j - 1] not in RELATIVES:
            # "A father convicted of …, who might lose …, | claims his baby was …": the
            # report is the main clause, not the "was" of what it reports.
            return j
        if _tells_someone(words, j):
            # "The husband of a woman whose body was found in Leeds | told police he
            # had …": the telling is the main clause, not the "had" of what was told.
            return j
    return i


# A list's items are short: "Madonna, | Prince, | Elton John and | David Bowie".
_LIST_ITEM_WORDS = 4


def _continues_list(words: list[str], j: int) -> bool:
    """Whether the comma before ``words[j]`` separates the items of a list that "and"
    or "or" closes, so that the clause goes on after it: "who has worked with Madonna,
    | Prince, Elton John and David Bowie | has been named" (not an aside's comma: "…,
    | has been named")."""
    item = 0
    for word in words[j : j + 3 * _LIST_ITEM_WORDS]:
        if word in _COORDINATORS:
            return item > 0
        item += 1
        if word.endswith(","):
            item = 0
        elif item >= _LIST_ITEM_WORDS or word in AUXILIARIES:
            return False
    return False


_TELLING = word_set("told tells")
# Words after "told" that make it a passive or a participle, not a telling with its
# hearer ("was told to leave", "told by a doctor", "told of the danger").
_NOT_A_HEARER = word_set("to by of about that")


def _tells_someone(words: list[str], j: int) -> bool:
    """Whether ``words[j]`` tells someone something after a noun: "… in Leeds | told
    police", "… bank staff | told a court" (not "was told to", "told by")."""
    if words[j] not in _TELLING or j + 1 >= len(words):
        return False
    before = words[j - 1]
    return (
        before not in RELATIVES
        and before not in AUXILIARIES
        and before.lower() not in _CLAUSE_SUBJECTS  # "… he told": the complement's verb
        and words[j + 1] not in _NOT_A_HEARER
    )


def _beyond_complement(words: list[str], i: int, j: int) -> int:
    """The main clause's auxiliary when the relative clause's verb at ``i`` takes a
    clause whose verb is the one at ``j``: "A cleaner who feared a body he found | was
    a murder victim | had found a mummy" → "had". Else ``j``."""
    if words[i] not in _CLAUSE_VERBS:
        return j
    for k in range(j + 2, min(len(words), j + _RELATIVE_CLAUSE_WORDS)):
        if words[k - 1].endswith(","):
            break
        if words[k - 1] in _COORDINATORS or words[k - 1] in RELATIVES:
            continue  # "… was a victim and | had …", "… a man who | had …"
        if words[k - 1] in _PRONOUN_NUMBER:
            break  # "… he | had": another clause of the complement
        if words[k] in BE or words[k] in HAVE or words[k] in MODALS:
            return k
    return j


def _headline_tense(words: list[str], v: int) -> list[str]:
    """Headline tense for the verb group at ``v`` (see ``headlinese``)."""
    if v < 1:
        return words
    head, verb, rest = words[:v], words[v], words[v + 1 :]
    while rest and rest[0] in _FILLER_ADVERBS:
        rest = rest[1:]
    nxt = rest[0] if rest else ""
    after = rest[1] if len(rest) > 1 else ""
    if verb == "been" and head and head[-1].endswith(("'s", "’s", "'ve", "’ve")):
        return head + rest  # "She's been living" → "She's living" (not "She's is")
    if verb in HAVE:
        singular = HAVE[verb]
        if nxt == "been":
            if is_participle(after) or after in _BEFORE_TO:
                return head + rest[1:]  # "has been sold" → "sold"
            return [*head, "is" if singular else "are", *rest[1:]]
        if is_participle(nxt) or nxt in _BASE_PARTICIPLES:
            # "has emulated X and scored" → "emulates X and scores"
            present = present_tense(base_form(nxt), singular)
            after = _in_tense_of(rest[1:], _coordinated_past(rest[1:]), singular)
            return _without_reporting_verb(head, present, after)
        return words
    if verb in BE:
        singular = BE[verb]
        negated = nxt == "not"
        if negated:
            rest = rest[1:]
            nxt, after = after, rest[1] if len(rest) > 1 else ""
        keep = ["not"] if negated else []
        if nxt == "to" and verb in ("is", "are"):
            return head + keep + rest  # "is to close" → "to close"
        if nxt in _BEFORE_TO and after == "to":
            return head + keep + (rest[2:] if nxt == "going" else rest)  # "is set to"
        if nxt in ("being", "up", "down") or is_participle(nxt):
            return head + keep + rest  # "was arrested" → "arrested"
        if _is_adverb(nxt) and after.isalpha() and (is_participle(after) or after in _BEFORE_TO):
            # "are sometimes expected to" → "sometimes expected to", "was badly hurt"
            # → "badly hurt": the adverb stays with its participle.
            return head + keep + rest
        if (
            nxt.endswith("ing")
            and len(nxt) > 5
            and nxt.isalpha()
            and not negated
            and nxt not in _ING_ADJECTIVES
        ):
            return [*head, present_tense(base_form(nxt), singular), *rest[1:]]
        return words
    if verb == "will":
        return words if nxt in ("not", "have", "") else [*head, "to", *rest]
    if (
        verb == "had"
        and nxt.isalpha()
        and nxt.islower()
        and nxt not in _UNFULFILLED
        and is_participle(nxt)
    ):
        # "had found a mummy" → "finds a mummy": a headline tells the past in the present
        # (not "had hoped to", which says it did not happen).
        singular = _is_singular(head)
        return [*head, present_tense(base_form(nxt), singular), *rest[1:]]
    if verb in MODALS:
        return words
    if verb in REPORTING_VERBS and nxt == "that" and len(rest) > 1:
        # "insists that his side …" → "insists side …": a headline reports without it.
        rest = rest[1:]
        words, nxt = [*head, verb, *rest], rest[0]
    coordinate = _coordinated_past(rest)
    if (
        nxt in PHRASE_STARTERS
        and not is_past_only(verb)
        and coordinate < 0
        and not _has_participle_modifier(head)
    ):
        # "suspect held in …", "authors shortlisted for …": a participle — unless a
        # past tense follows it ("escaped from the camp and revealed …").
        return words
    base = base_form(verb)
    singular = _is_singular(head)
    if base == verb and (not is_irregular_past(verb) or not singular):
        # Already present ("hopes"), or "they cut": past or present.
        return _without_reporting_verb(head, verb, rest)
    if len(rest) > 1 and rest[0] == "and" and rest[1].islower() and is_participle(rest[1]):
        # "identified and charged a man" → "identify and charge a man"
        rest = ["and", present_tense(base_form(rest[1]), singular), *rest[2:]]
    else:
        rest = _in_tense_of(rest, coordinate, singular)
    return _without_reporting_verb(head, present_tense(base, singular), rest)


def _is_adverb(word: str) -> bool:
    """An adverb that can stand inside a verb group: "widely", "sometimes"."""
    return word in _ADVERBS or (word.endswith("ly") and len(word) > 4 and word.isalpha())


def _in_tense_of(rest: list[str], coordinate: int, singular: bool) -> list[str]:
    """``rest`` with its coordinated past at ``coordinate`` (-1: none) in the present:
    "escaped … and revealed", "sleepwalked and was not drunk" — the second verb of the
    clause takes the first one's tense."""
    if coordinate < 0:
        return rest
    second = rest[coordinate]
    if second in BE:
        second = "is" if singular else "are"
    else:
        second = present_tense(base_form(second), singular)
    return [*rest[:coordinate], second, *rest[coordinate + 1 :]]


_OBJECT_OPENERS = word_set(
    """the a an his her its their our my it him them us me how what why where whether
    that this these those to into in on at from with about"""
)


def _opens_object(word: str) -> bool:
    """Whether ``word`` can open what a verb takes (an article, a pronoun, a name, a
    preposition, a wh-word): after it, "and increased" is a verb, not an adjective."""
    return word in _OBJECT_OPENERS or word[:1].isupper() or word[:1].isdigit()


def _has_participle_modifier(head: list[str]) -> bool:
    """Whether the subject has a participle of its own ("A teacher accused of …"): then
    the verb after it is the past tense, not another participle."""
    return any(
        word.islower() and is_participle(word) and following in ("of", "by", "with")
        for word, following in pairwise(head[1:])
    )


def _coordinated_past(rest: list[str]) -> int:
    """Index in ``rest`` of a past tense coordinated with the verb before it by "and",
    in the same clause ("… from the camp and | revealed how …"), or -1."""
    for k in range(min(len(rest) - 1, TITLE_REACH)):
        if rest[k].endswith((",", ";")):
            return -1
        if rest[k] != "and":
            continue
        second = rest[k + 1]
        following = rest[k + 2] if k + 2 < len(rest) else ""
        if second in ("was", "were") or (
            second.isalpha()
            and second.islower()
            and (
                is_past_only(second)
                # "and scored an audacious goal", not "and increased social spending"
                or (second.endswith("ed") and is_participle(second) and _opens_object(following))
            )
        ):
            return k + 1
        return -1
    return -1


def _without_reporting_verb(head: list[str], verb: str, rest: list[str]) -> list[str]:
    """ "Brown says he hopes to …" → "Brown hopes to …": a reporting verb whose clause
    has a pronoun subject gives way to that clause (its verb in headline tense)."""
    if verb not in REPORTING_VERBS or not rest:
        return [*head, verb, *rest]
    if rest[0] == "that":
        rest = rest[1:]
    if rest and rest[0] in _PRONOUN_NUMBER and len(rest) > 2 and rest[1].islower():
        if _is_progressive(rest[1], rest[2]):
            # "Adele says she is recovering" → "Adele recovering": what is going on as
            # she speaks, which "Adele recovers" would tell as done.
            return head + rest[2:]
        return head + _headline_tense(["_", *rest[1:]], 1)[1:]
    return [*head, verb, *rest]


def _is_progressive(auxiliary: str, word: str) -> bool:
    """Whether ``auxiliary word`` is a present progressive ("is recovering", "are
    talking"), not "is willing", "is interesting" nor "is going to"."""
    return (
        auxiliary in ("is", "are")
        and word.endswith("ing")
        and len(word) > 5
        and word.isalpha()
        and word not in _ING_ADJECTIVES
        and word != "going"
    )


def _is_singular(subject: list[str]) -> bool:
    """Whether a subject is singular, from its head noun (the word before its first
    preposition, participle or relative pronoun): "Shares in BT" plural, "The number
    of people" and "A ferry carrying 240 passengers" singular."""
    # A pronoun right before the verb is the subject, whatever came before it:
    # "Returning home from the Games, I discovered" → "I discover".
    last = subject[-1] if subject else ""
    if last in ("I", "we", "you", "they"):
        return False
    if last in ("he", "she", "it"):
        return True
    # "Kayahan, one of Turkey's best singers and songwriters, died": an aside's "and"
    # does not make the subject plural.
    aside = next(
        (
            i
            for i, word in enumerate(subject[:-1])
            if word.endswith(",") and subject[i + 1][:1].islower()
        ),
        len(subject),
    )
    at = len(subject) - 1
    for i, word in enumerate(subject[1:], 1):
        if subject[i - 1].endswith(","):
            at = i - 1  # "Germany's economy, the biggest of the countries using the euro,"
            break
        if (
            word in SUBJECT_PREPOSITIONS
            or word in RELATIVES
            or (word.endswith("ing") and len(word) > 5 and word.isalpha() and word.islower())
        ):
            at = i - 1
            break
    # An "and" inside the head's phrase does not make it plural either: "The price of a
    # ticket between the station and the airport rose" (but "Britain, France and …").
    phrase = next(
        (i for i, word in enumerate(subject[1:], 1) if word in SUBJECT_PREPOSITIONS),
        len(subject),
    )
    if any(word == "and" or word == "&" for word in subject[: min(aside, phrase) + 1]):
        return False
    head = subject[at].strip(WORD_EDGE) if subject else ""
    if head.lower() in _PLURAL_NOUNS or head.lower().endswith(("men", "women")):
        return False  # "Fishermen", "Firemen": plural without an "s"
    if at > 0 and head[:1].isupper():
        return not (len(head) > 2 and head.endswith("s") and head[-2].isupper())  # "MPs"
    return not (head.endswith("s") and not head.endswith(("ss", "us", "is", "'s", "’s")))


def _drop_descriptors(
    marked: list[tuple[str, bool]], plural: bool | None = None
) -> list[tuple[str, bool]]:
    """ "Shares in UK drinks firm Allied Domecq rise" → "Shares in Allied Domecq rise":
    in the subject, a description right before a name goes (the name says who).
    ``plural``: the subject's number, when the verb showed it."""
    verb = next((i for i, (_, is_verb) in enumerate(marked) if is_verb), -1)
    if verb < 2:
        return marked
    words = [word for word, _ in marked[:verb]]
    drop: set[int] = set()
    start = 0
    for i in range(len(words) + 1):
        # A noun phrase ends at a preposition or where a name's coordinate starts:
        # "phone maker Nokia | and software firm Microsoft" (not "oil and gas firm").
        if (
            i < len(words)
            and words[i] not in SUBJECT_PREPOSITIONS
            and not (
                words[i] in _COORDINATORS
                and words[i - 1][:1].isupper()
                # The title's first word is capitalised anyway: with a singular verb,
                # "Oil and gas firm Shell has" is one description and a name.
                and not (i == 1 and plural is False)
            )
            and i - start < 12
        ):
            continue
        # words[start:i] is a noun phrase: description + name?
        c = i
        while c > start and (
            (words[c - 1][:1].isupper() and words[c - 1][:1].isalpha())
            or _is_name_particle(words, c - 1, start)
        ):
            if c < i and words[c - 1].endswith(","):
                break  # "Spike Lee, | Burt Reynolds": a list of names, not one name
            c -= 1
        before = words[c - 1] if c > start else ""
        if (
            c < i
            and before.isalpha()
            and before.islower()
            and before not in ("and", "or")
            and before not in _OTHER_PREPOSITIONS
            and all(w.isalpha() or "-" in w for w in words[start:c])
            # An article alone is no description ("Top of | the | Pops"): the articles
            # are left to the loop in ``headlinese``, which keeps those inside names.
            and not all(w in _DROPPED_DETERMINERS for w in words[start:c])
            # Nor is the rest of a name ("Lord of | the Rings director Peter Jackson").
            and not (words[start] in _DROPPED_DETERMINERS and _in_name(marked, start))
        ):
            # An -ing word after a participle's preposition is a verb taking the name:
            # "accused of stabbing Lippert", "accused of blackmailing (premier league
            # star) Rojo" — it stays, the description after it goes.
            # So does an infinitive's verb: "Plans to allow Home Secretary Clarke …".
            after_to = start > 0 and words[start - 1] == "to"
            gerund = after_to or (
                words[start].endswith("ing")
                and (c - start == 1 or (start >= 2 and _is_participle_before(words[start - 2])))
            )
            first = start + 1 if gerund else start
            # A coordinator after more than a description joins another subject:
            # "Families living beside the estuary and | council engineer John Reid"
            # (not "oil and gas firm Shell", one description).
            joins = [k for k in range(first, c) if words[k] in _COORDINATORS]
            if joins and not all(_describes(w, forms=True) for w in words[first : joins[-1]]):
                first = joins[-1] + 1
            # "Doctors treating | former Israeli prime minister Ariel Sharon": a plural
            # and its participle are who, the description after them what.
            for k in range(first + 1, c):
                if words[k].endswith("ing") and _is_plural_noun(words[k - 1].lower()):
                    first = k + 1
            # Nor does one hold a preposition: "feud between | harbour master Alan".
            first = max(
                [first] + [k + 1 for k in range(first, c) if words[k] in _OTHER_PREPOSITIONS]
            )
            drop.update(range(first, c))
        start = i + 1
    if not drop:
        return marked
    return [pair for i, pair in enumerate(marked) if i not in drop]


def _is_name_particle(words: list[str], k: int, start: int) -> bool:
    """Whether ``words[k]`` is a particle between the parts of a name ("Louis | van |
    Gaal"), not a description before it."""
    return k > start and words[k] in NAME_PARTICLES and words[k - 1][:1].isupper()


def _is_participle_before(word: str) -> bool:
    """A participle whose preposition takes a gerund: "accused (of)", "jailed (for)"."""
    return word.isalpha() and word.islower() and word.endswith("ed") and is_participle(word)


def _by_surname(
    marked: list[tuple[str, bool]], plural: bool | None = None
) -> list[tuple[str, bool]]:
    """ "Conservative leader Michael Howard says" → "Howard says": a person goes by the
    surname, and the description right before the given name goes with it ("Ex-BBC
    host and MEP Robert Kilroy-Silk wants" → "Kilroy-Silk wants"). Only the
    description: not the person it follows ("The mother of James Bulger" → "mother of
    Bulger", "Wenger and captain Patrick Vieira" → "Wenger and Vieira"). ``plural``:
    the subject's number, when the verb showed it (see ``_description_start``)."""
    # Each given name's description is found in the words as they stand, before any
    # goes: "Alan Price and Daniel Okafor" loses "Alan" and "Daniel", not "Price and".
    dropped: set[int] = set()
    for i in range(len(marked) - 1):
        word, nxt = marked[i][0], marked[i + 1][0]
        if (
            word[:1].isupper()
            and not word.isupper()  # "HARRY POTTER AND THE GOBLET OF FIRE": a title
            and word.lower() in _GIVEN_NAMES
            and nxt[:1].isupper()
            and nxt[:1].isalpha()
            and not any(is_verb for _, is_verb in marked[: i + 1])
        ):
            dropped.update(range(_description_start(marked, i, plural), i + 1))
            if (
                len(nxt.rstrip(".")) == 1
                and i + 2 < len(marked)
                and marked[i + 2][0][:1].isupper()
            ):
                dropped.add(i + 1)  # a middle initial: "George W Bush" → "Bush"
    if not dropped:
        return marked
    return [pair for i, pair in enumerate(marked) if i not in dropped]


def _description_start(
    marked: list[tuple[str, bool]], given: int, plural: bool | None = None
) -> int:
    """Where the description before the given name at ``given`` starts, ``given``
    itself when there is none to drop.

    A description is nouns, adjectives and names ("Ex-BBC chat show host"). It opens
    the subject or follows a preposition or a coordinator: "mother of | James",
    "Wenger and | captain Patrick". Two descriptions joined by "and" describe one
    person when the subject is singular (``plural`` False: "Veteran Labour MP and
    former Cabinet minister Jack Cunningham has said"), never when it is plural ("A
    Conservative MP and Labour peer John Smith have been suspended"); when the verb
    does not say (``plural`` None), when the word before the "and" is a singular noun
    in lower case or a role in capitals ("chat show host and East Midlands MEP
    Robert"). After anything else ("film starring Hollywood actor Kevin", "children's
    film Mary", "Lord of the Rings director Peter") it may be more than a
    description, and stays. Only a subject is sure to hold no verb, so only a given
    name before the main verb brings one along."""
    if not any(is_verb for _, is_verb in marked[given:]):
        return given
    if any(w in _PREPOSITIONS for w, _ in marked[:given]):
        plural = None  # the verb agrees with the head: "feud between Brown and … Tony"
    start = given
    while start > 0:
        word = marked[start - 1][0]
        if word in _COORDINATORS:
            k = start - 2
            before = marked[k][0] if k >= 0 else ""
            if plural or not before.isalpha():
                break
            common = before.islower() or before in _ROLE_ACRONYMS
            if not (plural is False or (common and not _is_plural_noun(before))):
                break
        elif not _describes(word) or (start >= 2 and marked[start - 2][0] == "to"):
            break  # not a description word, or an infinitive ("to allow | Home …")
        start -= 1
    if start == given or start == 0:
        return start
    opener = marked[start - 1][0]
    if opener in _PREPOSITIONS or opener in _COORDINATORS:
        return start
    # An article opening the subject ("The Conservative leader Michael"); not one inside
    # a name ("Lord of the Rings director Peter").
    return 0 if start == 1 and opener.lower() in _DROPPED_DETERMINERS else given


def _plural_subject(verb: str) -> bool | None:
    """What a finite verb says of its subject's number: "have", "are", "were" and a
    plain present are plural, "has", "is", "was" and a present in "-s" singular; a
    modal or a past says nothing (None)."""
    if verb in ("have", "are", "were"):
        return True
    if verb in ("has", "is", "was"):
        return False
    if verb in MODALS or not (verb.isalpha() and verb.islower()) or verb.endswith("ed"):
        return None
    if is_irregular_past(verb) or verb in REPORTING_VERBS:
        return None  # "said", "told", "rose": no number
    return not verb.endswith("s") or verb.endswith("ss")


# Lower-case words that are no part of a description before a name.
_NOT_DESCRIPTIVE = (
    _PREPOSITIONS
    | PHRASE_STARTERS
    | RELATIVES
    | OWN_SUBJECT_RELATIVES
    | AUXILIARIES
    | _DROPPED_DETERMINERS
    | word_set("as than but")
)


def _describes(word: str, forms: bool = False) -> bool:
    """A word that can stand in a description before a name: a name, a figure, or a
    lower-case noun or adjective (not a preposition or a relative, nor, unless
    ``forms``, a word in "-ing" or "-ed": "mining and engineering group" has them as
    adjectives, "film starring Hollywood actor Kevin" as a verb)."""
    if word.endswith(","):
        return False
    if word[:1].isupper() or word[:1].isdigit():
        return True
    return (
        word.replace("-", "").isalpha()
        and (forms or not word.endswith(("ing", "ed")))
        and word not in _NOT_DESCRIPTIVE
    )


def _is_plural_noun(word: str) -> bool:
    """A lower-case word that reads as a plural noun: "fans", not "boss" or "virus"."""
    return word.endswith("s") and not word.endswith(("ss", "us", "is"))
