"""Verb forms and verb words, for headline style ("has risen" → "rises").

This module owns the verb tables: irregular past tenses and participles, a rule-based
base form for -ed/-ing words (``base_form``), the present tense (``present_tense``),
and the auxiliaries, modals and common news verbs that the title rules look for.
"""

from __future__ import annotations

from digest.summarise.words import word_set

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
    ("cling", "clung"),
    ("come", "came"),
    ("creep", "crept"),
    ("deal", "dealt"),
    ("dig", "dug"),
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
    ("foresee", "foresaw foreseen"),
    ("forget", "forgot forgotten"),
    ("forgive", "forgave forgiven"),
    ("forsake", "forsook forsaken"),
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
    ("leap", "leapt"),
    ("leave", "left"),
    ("lend", "lent"),
    ("light", "lit"),
    ("lose", "lost"),
    ("make", "made"),
    ("mean", "meant"),
    ("meet", "met"),
    ("mislead", "misled"),
    ("mistake", "mistook mistaken"),
    ("outgrow", "outgrew outgrown"),
    ("overcome", "overcame"),
    ("override", "overrode overridden"),
    ("overrun", "overran"),
    ("oversee", "oversaw overseen"),
    ("overtake", "overtook overtaken"),
    ("overthrow", "overthrew overthrown"),
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
    ("shrink", "shrank shrunk"),
    ("sing", "sang sung"),
    ("sink", "sank sunk"),
    ("sit", "sat"),
    ("slay", "slew slain"),
    ("sleep", "slept"),
    ("slide", "slid"),
    ("speak", "spoke spoken"),
    ("spend", "spent"),
    ("spin", "spun"),
    ("spring", "sprang sprung"),
    ("stand", "stood"),
    ("steal", "stole stolen"),
    ("stick", "stuck"),
    ("sting", "stung"),
    ("strike", "struck stricken"),
    ("strive", "strove striven"),
    ("swear", "swore sworn"),
    ("sweep", "swept"),
    ("swim", "swam swum"),
    ("swing", "swung"),
    ("take", "took taken"),
    ("teach", "taught"),
    ("tear", "tore torn"),
    ("tell", "told"),
    ("think", "thought"),
    ("throw", "threw thrown"),
    ("undergo", "underwent undergone"),
    ("understand", "understood"),
    ("undertake", "undertook undertaken"),
    ("uphold", "upheld"),
    ("wake", "woke woken"),
    ("wear", "wore worn"),
    ("weep", "wept"),
    ("win", "won"),
    ("withdraw", "withdrew withdrawn"),
    ("withhold", "withheld"),
    ("withstand", "withstood"),
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
    "bet broadcast burst cast cost cut forecast hit hurt let put quit set shed shut split "
    "spread thrust upset"
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
        # charged, changed, pledged, judged, bulged; damaged, obliged, alleged (a short
        # vowel before a single "g" doubles it: "begged", "dragged")
        return before in "rdl" or before in _VOWELS or (before == "n" and third in "ae")
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


BE = {"is": True, "was": True, "are": False, "were": False}
"""The finite forms of "be", each to whether its subject is singular."""
HAVE = {"has": True, "have": False}
"""The finite forms of "have", each to whether its subject is singular."""
MODALS = word_set("will would can could may might must should shall do does did had")
AUXILIARIES = frozenset(BE) | frozenset(HAVE) | MODALS
# Reporting verbs whose clause can stand alone: "Brown said he hopes …" → "Brown hopes …".
REPORTING_VERBS = word_set(
    """say says said warns warned claims claimed insists insisted believes believed thinks
    thought argues argued admits admitted announces announced confirms confirmed"""
)
# Auxiliaries and common irregular news verbs, for telling a clause from a noun phrase.
COMMON_VERBS = word_set(
    """is are was were be been has have had will would can could may might must should
    said say made make won win took take set hit cut put lost lose fell fall rose
    rise grew grow became become came come went go saw see told tell gave give found
    find left leave met meet paid pay sold sell bought buy got get held hold led lead
    ran run seen shown begun known gone done taken given written chosen beaten broken
    risen fallen thrown drawn struck sent spent built kept brought thought sought
    faces face plans plan backs back eyes wants want needs need"""
)
_NOT_PARTICIPLES = word_set(
    "need feed seed deed reed weed speed breed bleed greed steed succeed proceed exceed "
    "bed red shed hundred embed sacred naked wicked"
)


def is_participle(word: str) -> bool:
    """A past participle or an irregular past: "arrested", "risen" (not "need", "bed")."""
    return word.isalpha() and (
        (word.endswith("ed") and len(word) > 3 and word not in _NOT_PARTICIPLES)
        or (is_irregular_past(word) and word != "been")
    )
