"""What the summariser knows about each language: its data, and ``profile`` to look it up.

This module owns the per-language tables and nothing else: the abbreviations and
punctuation sentence splitting needs, the boilerplate lines and "Read also:" markers of
each language's news pages, the words a title cannot end on, and the reading speed.
The rules that use them live where they always did (``sentences``, ``boilerplate``,
``title``); English keeps its own, older tables there, and is the generic profile every
unknown language falls back to (said once per language, in the log).

Reading speeds are the mean silent reading rates measured for the International Reading
Speed Texts (Trauzettel-Klosinski & Dietz, IOVS 53(9), 2012): English 228, German 179,
French 195, Spanish 218, Arabic 138 words a minute (English keeps 230, digest's setting
since its start).
"""

from __future__ import annotations

import logging
import re
from dataclasses import dataclass, replace

from digest.summarise.words import word_set

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class LanguageProfile:
    """One language's tables. Word sets are lower case unless their name says cased."""

    tag: str
    """The primary language subtag ("de" for "de-AT")."""
    name: str
    words_per_minute: int
    generic: bool = False
    """The English rules of ``sentences`` and ``title`` apply, not these tables."""
    titles: frozenset[str] = frozenset()
    """Abbreviations that never end a sentence ("dr", "bzw", "sra")."""
    titles_cased: frozenset[str] = frozenset()
    """The same, spelt exactly ("M." is Monsieur; "m." is metres)."""
    title_suffixes: tuple[str, ...] = ()
    """Endings of abbreviated compounds ("Goethestr." for Goethestraße)."""
    ambiguous: frozenset[str] = frozenset()
    """Abbreviations that end a sentence only when a sentence starter follows."""
    before_number: frozenset[str] = frozenset()
    """Abbreviations that never end a sentence before a number ("Nr. 5", "pág. 12")."""
    starters: frozenset[str] = frozenset()
    """Words that commonly open a sentence: they settle the ambiguous cases."""
    ordinals: bool = False
    """A number with a full stop is an ordinal ("am 3. Oktober") unless a starter follows."""
    caseless: bool = False
    """The script has no capitals: any letter may start a sentence (Arabic)."""
    terminals: str = ".!?…"
    openers: str = "\"“‘'(["
    """What may stand before a new sentence's first letter."""
    closers: str = "\"”’')]"
    """What may follow a sentence's final mark and belongs to that sentence."""
    spaced_closers: str = ""
    """Closers set off by a space ("fini. »" in French typography)."""
    quote_pairs: tuple[tuple[str, str], ...] = (("“", "”"),)
    """Quotation marks whose closed quotations are not split."""
    unspaced_letters: str = ""
    """A regex class of letters after which a full stop ends a sentence even with no
    space after it (Arabic web copy often leaves it out)."""
    boilerplate: re.Pattern[str] | None = None
    """Lines that are never content."""
    more_markers: re.Pattern[str] | None = None
    """"Read also:" lines; group 1 is a link title on the same line, if any."""
    dangling: frozenset[str] = frozenset()
    """Words a title cannot end on."""
    stop_words: frozenset[str] = frozenset()


def _lines(pattern: str) -> re.Pattern[str]:
    """A whole-line, case-insensitive pattern written verbosely."""
    return re.compile(rf"^(?:{pattern})$", re.IGNORECASE | re.VERBOSE)


def _markers(pattern: str) -> re.Pattern[str]:
    return re.compile(
        rf"^(?:{pattern})\s*[:：\-–—]?\s*(\S.*)?$",
        re.IGNORECASE | re.VERBOSE,
    )


ENGLISH = LanguageProfile(tag="en", name="English", words_per_minute=230, generic=True)

GERMAN = LanguageProfile(
    tag="de",
    name="German",
    words_per_minute=179,
    titles=word_set(
        """dr prof hr hrn fr frl dipl ing mag med jur rer nat phil dr.-ing st bzw ca
        d.h z.b u.a v.a o.ä u.ä i.d.r u.u z.t z.zt s.o s.u vgl evtl ggf inkl zzgl exkl
        sog bspw beispielsw bzgl gem lt mind max min od insb allg urspr geb gest verh
        jh jhd jhdt mio mrd tsd str tel abt bd hrsg verf ref"""
    ),
    title_suffixes=("str",),
    ambiguous=word_set("usw etc co inc ltd corp e.v jh jhd jhdt u.ä o.ä ff"),
    before_number=word_set(
        """nr abs art s bd kap ziff tel fax jan feb febr mär apr jun jul aug sep sept okt
        nov dez"""
    ),
    starters=word_set(
        """der die das den dem des ein eine einen einem einer eines er sie es wir ich ihr
        man dies diese dieser dieses jene dann doch aber und auch so noch nun jetzt heute
        gestern morgen damit dabei danach davor dort hier wie was wer wo warum wann als
        wenn weil ob nach vor seit trotz bei mit für im in am auf aus an um zum zur von
        zu kein keine nicht nur mehr viele einige alle jeder jede jedes laut zudem
        außerdem allerdings jedoch deshalb daher trotzdem bereits schon erst sein seine
        ihre unser unsere mein meine es gibt"""
    ),
    ordinals=True,
    openers="„»‚\"'([–—",
    closers="“«‘\"')]",
    quote_pairs=(("„", "“"), ("»", "«")),
    boilerplate=_lines(
        r"""(?:foto|fotos|bild|bilder|grafik|quelle|video)\s*:.*
        | anzeige | werbung | teilen | drucken | kommentare?
        | (?:jetzt\ )?(?:newsletter\ )?abonnieren\b.*
        | (?:alle\ )?rechte\ vorbehalten\b.*
        | lesezeit\s*:?\s*\d+\s*(?:min|minuten)\.?
        | \d+\s*(?:min|minuten)\ lesezeit
        | (?:weiterlesen|zum\ artikel|artikel\ teilen|mehr\ anzeigen)\b.*
        | (?:veröffentlicht|aktualisiert|stand)\s*(?:am|:)\s.{0,60}
        | folgen\ sie\ uns\b.*"""
    ),
    more_markers=_markers(
        r"""lesen\ sie\ (?:auch|mehr|dazu)|mehr\ zum\ thema|auch\ interessant
        |das\ könnte\ sie\ (?:auch\ )?interessieren|weitere\ artikel|verwandte\ artikel
        |meistgelesen|empfehlungen|mehr\ dazu|siehe\ auch"""
    ),
    dangling=word_set(
        """der die das den dem des ein eine einen einem einer eines und oder aber sondern
        denn doch weil dass daß ob wenn als wie auch noch nicht kein keine keinen zu zum
        zur im in ins am an auf aus bei beim mit nach von vom vor für gegen ohne um über
        unter zwischen durch seit bis trotz wegen während laut sowie sich ist sind war
        waren hat haben hatte hatten wird werden wurde wurden soll sollen kann können
        muss müssen will wollen darf dürfen mehr sehr sein seine seinen ihr ihre ihren
        er sie es wir dieser diese dieses so dr prof"""
    ),
)
GERMAN = replace(GERMAN, stop_words=GERMAN.dangling)

FRENCH = LanguageProfile(
    tag="fr",
    name="French",
    words_per_minute=195,
    titles=word_set(
        """dr pr mme mmes mlle mlles mgr me vve cf av apr env ex p.ex ibid boul bd ch chap
        hab tél éd coll dir vol t art min max sq"""
    ),
    titles_cased=word_set("M MM Mme Mmes Mlle Mlles Me Mgr Dr Pr St Ste"),
    ambiguous=word_set("etc cie inc ltd co s.a s.a.s j.-c sarl"),
    before_number=word_set(
        """n no nos p pp art vol t chap fig janv févr fév avr juil sept oct nov déc"""
    ),
    starters=word_set(
        """le la les l un une des du de d il elle ils elles on nous vous je j ce cet cette
        ces c mais et ou donc or car puis ensuite alors enfin selon en dans pour par sur
        avec sans après avant depuis pendant lors quand si s comme même aussi toutefois
        cependant pourtant néanmoins ainsi aujourd hier demain qui que qu quelle quel
        pourquoi comment où rien personne tout tous chaque plusieurs aucun aucune son sa
        ses leur leurs mon ma mes notre nos y ça cela ceci voilà"""
    ),
    openers="«‹“\"'([–—",
    closers="»›”\"')]",
    spaced_closers="»›",
    quote_pairs=(("«", "»"), ("“", "”")),
    boilerplate=_lines(
        r"""(?:photo|photos|crédit|crédits|illustration|source|vidéo)s?\s*:.*
        | publicité | partager | imprimer | commentaires?
        | (?:abonnez-vous|inscrivez-vous|s['’]abonner|suivez-nous)\b.*
        | (?:tous\ )?droits\ réservés\b.*
        | (?:lire\ la\ suite|la\ suite\ après\ (?:cette\ )?(?:la\ )?publicité)\b.*
        | temps\ de\ lecture\s*:?\s*\d+\s*min(?:utes?)?\.?
        | (?:publié|mis\ à\ jour)\ le\b.{0,60}"""
    ),
    more_markers=_markers(
        r"""lire\ (?:aussi|également|plus)|à\ lire\ (?:aussi|également)|voir\ aussi
        |sur\ le\ même\ sujet|nos\ articles\ sur|les\ plus\ lus|articles\ liés
        |en\ savoir\ plus|à\ voir\ aussi"""
    ),
    dangling=word_set(
        """le la les l un une des du de d et ou mais donc car ni que qu qui dont où si
        à au aux en dans par pour sur sous avec sans chez entre vers contre selon depuis
        pendant après avant est sont était étaient a ont avait avaient sera seront être
        avoir ne n pas plus très son sa ses leur leurs ce cet cette ces il elle ils
        elles on se s y comme m mme"""
    ),
)
FRENCH = replace(FRENCH, stop_words=FRENCH.dangling)

SPANISH = LanguageProfile(
    tag="es",
    name="Spanish",
    words_per_minute=218,
    titles=word_set(
        """sr sra sres sras srta dr dra dres lic ing arq prof profa d dña dª ud uds vd vds
        excmo excma ilmo ilma mons gral cnel tte cap sto sta ee ej av avda pza aprox
        admón dpto depto vs"""
    ),
    ambiguous=word_set("etc uu s.a s.l s.a.u cía cia inc ltd co hnos"),
    before_number=word_set(
        """núm nº no pág págs p pp art cap vol tel ene feb mar abr jun jul ago sep sept
        oct nov dic"""
    ),
    starters=word_set(
        """el la los las lo un una unos unas él ella ellos ellas yo tú nosotros usted
        ustedes este esta estos estas ese esa eso aquel aquella pero y o sin embargo
        además también así entonces luego después antes ahora hoy ayer mañana según en
        con por para de desde durante tras cuando si como mientras aunque ya no sí todo
        todos cada otro otra otros muchos algunos ninguno nadie se le les su sus mi al
        del hay es fue ha qué quién cómo dónde cuándo por"""
    ),
    openers="¿¡«“\"'([–—",
    closers="»”\"')]",
    quote_pairs=(("«", "»"), ("“", "”")),
    boilerplate=_lines(
        r"""(?:foto|fotos|imagen|imágenes|fuente|vídeo|video|crédito)s?\s*:.*
        | publicidad | compartir | imprimir | comentarios?
        | (?:suscríbete|suscribirse|síguenos|hazte\ socio)\b.*
        | (?:todos\ los\ )?derechos\ reservados\b.*
        | (?:sigue\ leyendo|seguir\ leyendo|leer\ más)\b.*
        | tiempo\ de\ lectura\s*:?\s*\d+\s*min(?:utos?)?\.?
        | (?:publicado|actualizado)\ (?:el\b|a\ las\b).{0,60}"""
    ),
    more_markers=_markers(
        r"""lee\ también|lea\ también|leer\ también|te\ puede\ interesar|le\ puede\ interesar
        |noticias\ relacionadas|más\ información|lo\ más\ leído|contenido\ relacionado
        |ver\ también|también\ te\ puede\ interesar"""
    ),
    dangling=word_set(
        """el la los las lo un una unos unas y e o u pero sino ni que quien quienes cuyo
        cuya donde si a al de del en con por para sin sobre entre hacia hasta desde
        según durante tras ante bajo contra es son era eran fue fueron ha han había
        habían será serán muy más su sus se le les no como sr sra dr"""
    ),
)
SPANISH = replace(SPANISH, stop_words=SPANISH.dangling)

ARABIC = LanguageProfile(
    tag="ar",
    name="Arabic",
    words_per_minute=138,
    titles=word_set("د أ م ص ج ت ق أ.د د.م ا.د"),
    ambiguous=word_set("inc ltd co corp etc"),
    before_number=word_set("ص ت رقم"),
    starters=word_set(
        """و وقال وقالت وأضاف وأضافت وأكد وأكدت وفي ومن وكان وكانت وهذا وهذه كما لكن ولكن
        غير في من على إن أن هذا هذه ذلك تلك ثم بعد قبل منذ وقد قد لم لن لا ما هل كيف
        متى أين لماذا"""
    ),
    caseless=True,
    terminals=".!?…؟۔",
    openers="«“\"'([–—",
    closers="»”\"')]",
    quote_pairs=(("«", "»"), ("“", "”")),
    unspaced_letters="\u0621-\u064a",
    boilerplate=_lines(
        r"""(?:الصورة|الصور|صورة|المصدر|فيديو|تصوير)\s*[:：].*
        | إعلان | شارك | مشاركة | طباعة | تعليقات?
        | (?:اشترك|تابعونا|تابعنا|سجل)\b.*
        | (?:جميع\ )?الحقوق\ محفوظة.*
        | (?:اقرأ|إقرأ)\ المزيد.*
        | (?:نشر|تم\ النشر|آخر\ تحديث)\s*(?:في|:).{0,60}"""
    ),
    more_markers=_markers(
        r"""(?:اقرأ|إقرأ|اقرا)\ (?:أيضا|أيضاً|ايضا|ايضاً)|مواضيع\ ذات\ صلة|أخبار\ ذات\ صلة
        |ذات\ صلة|الأكثر\ قراءة|شاهد\ أيضا|شاهد\ أيضاً"""
    ),
    dangling=word_set(
        """في من إلى الى على عن مع بين حتى منذ عند لدى نحو ضد خلال بعد قبل حول دون أن إن
        أنّ إنّ لكن أو و ثم ما لا لم لن قد كان كانت يكون الذي التي الذين اللذين هذا هذه
        ذلك تلك هو هي هم بل كما أي كل بعض"""
    ),
)
ARABIC = replace(ARABIC, stop_words=ARABIC.dangling)

PROFILES: dict[str, LanguageProfile] = {
    p.tag: p for p in (ENGLISH, GERMAN, FRENCH, SPANISH, ARABIC)
}
"""Every language the summariser knows, by primary subtag."""

_warned: set[str] = set()


def profile(tag: str | None) -> LanguageProfile:
    """The profile for a BCP 47 ``tag`` ("de", "fr-CA", "es-419"), by its primary
    subtag; the generic English one for a language not known here, which is logged
    once per language (not per article)."""
    primary = (tag or "en").split("-", 1)[0].split("_", 1)[0].lower()
    found = PROFILES.get(primary)
    if found is not None:
        return found
    if primary not in _warned:
        _warned.add(primary)
        known = ", ".join(sorted(PROFILES))
        log.warning(
            "the summariser has no rules for language %r (it knows %s): "
            "using the generic English rules",
            tag,
            known,
        )
    return ENGLISH
