"""How text becomes search terms, the same way on every database.

The index keeps every word of an item *folded* (lower case, ø → o, å → a, æ → ae, accents
dropped), so "STRØMMING", "strømming" and "stromming" are one word. A query word becomes one or
more *prefixes*: its Norwegian Snowball stem, folded (a stem is always a beginning of the
word: "utgivelser" and "utgivelse" both give "utgiv", which begins "utgivelsen" too), plus the
stems of its synonyms. A prefix matches an indexed word that starts with it, which is also how
a compound's first part finds it ("kompensasjon" → "kompensasjonsordninger"); a prefix of five
letters or more also matches inside a word, which finds a compound's last part ("ordning" →
"kompensasjonsordning", "avgift" → "merverdiavgift").
"""

from __future__ import annotations

import re
import unicodedata
from dataclasses import dataclass
from functools import lru_cache

import snowballstemmer

MAX_WORDS = 8
MAX_QUERY_CHARS = 200
# Shorter stems match too much as prefixes ("kur" from "kurs" would find "kurator"): below this
# length the folded word itself is the prefix.
MIN_STEM = 4
# A prefix this long may match inside a word (a compound's last part).
MIN_INFIX = 5

_FOLD = str.maketrans({"ø": "o", "å": "a", "æ": "ae", "ö": "o", "ä": "ae", "ß": "ss", "œ": "oe", "ð": "d", "þ": "th"})
_WORD = re.compile(r"[^\W_]+")
_stemmer = snowballstemmer.stemmer("norwegian")

# Words that carry no subject. A query made only of them is searched as typed.
STOP_WORDS = frozenset(
    """
    og i på for til med av en et ei den det de som er jeg meg min mitt mine hva hvordan hvor hvem
    kan om å fra når man seg sin har hvis eller men nå ny nye få skal må vil
    the a an of to in on and or how what when where who do does is are my i me with from about can
    """.split()
)

# Two-word expressions read as one word before synonyms are looked up.
PHRASES = {
    ("gi", "ut"): "utgivelse",
    ("gir", "ut"): "utgivelse",
    ("ga", "ut"): "utgivelse",
    ("gitt", "ut"): "utgivelse",
    ("self", "employed"): "selvstendig",
    ("social", "security"): "trygd",
    ("sick", "pay"): "sykepenger",
    ("record", "label"): "plateselskap",
}

# Left over from an expression ("gi ut") and meaningless alone; dropped after PHRASES.
PARTICLES = frozenset({"ut", "opp", "inn", "up", "out"})

# The field's words in both languages: a query word that stems like one of a group's words is
# also searched as every other word of the group. Keep each group to words that mean the same
# to a musician looking for help; docs/library.md says how to add one.
SYNONYM_GROUPS = [
    ("strømming", "streaming", "strømmetjeneste", "stream"),
    ("royalty", "royalties", "vederlag", "tantieme", "rettighetsinntekt"),
    ("inntekt", "income", "earnings", "revenue", "lønn"),
    ("utgivelse", "release", "slipp"),
    ("skatt", "tax", "taxes", "skattemelding"),
    ("trygd", "sykepenger", "pensjon"),
    ("støtte", "støtteordning", "tilskudd", "stipend", "grant", "grants", "funding"),
    ("kompensasjon", "compensation"),
    ("konsert", "concert", "gig", "spillejobb", "turné", "tour"),
    ("rettighet", "rights", "opphavsrett", "copyright"),
    ("frilanser", "freelancer", "freelance", "frilans"),
    ("selvstendig", "enkeltpersonforetak", "næringsdrivende"),
    ("ansatt", "employee", "employed", "arbeidstaker"),
    ("plateselskap", "label", "management"),
    ("distribusjon", "distribution", "distributor"),
    ("kontrakt", "contract", "avtale", "agreement"),
    ("markedsføring", "marketing", "promotion"),
    ("merverdiavgift", "mva", "vat"),
    ("arrangør", "promoter", "organiser", "organizer"),
    ("opptak", "recording", "recordings"),
    ("veileder", "guide", "guides"),
    ("webinar", "webinarer", "nettseminar"),
    ("kurs", "course", "courses"),
]


def fold(word: str) -> str:
    word = word.lower().translate(_FOLD)
    decomposed = unicodedata.normalize("NFKD", word)
    return "".join(c for c in decomposed if not unicodedata.combining(c))


def words(text: str) -> list[str]:
    """The words of `text`, lower case, as written (for stemming and for "did you mean")."""
    return _WORD.findall(text.lower())


def index_text(*texts: str) -> str:
    """What the index stores for `texts`: each word folded, between spaces, so a prefix
    match is a LIKE '% prefix%' and an exact one '% word %'."""
    folded = [fold(w) for text in texts if text for w in words(text)]
    return " " + " ".join(folded) + " " if folded else " "


@lru_cache(maxsize=4096)
def prefix_of(word: str) -> str:
    """The folded prefix a query word is matched by: its stem, or the word when the stem is short."""
    stem = fold(_stemmer.stemWord(word.lower()))
    folded = fold(word)
    if len(stem) < MIN_STEM or not folded.startswith(stem):
        return folded
    return stem


def verb_prefix(prefix: str) -> str | None:
    """A verbal noun's verb ("strømming" → "strømm", which begins "strømmetjenester"; "betaling"
    → "betal"): Norwegian Snowball leaves -ing alone."""
    if len(prefix) >= 8 and prefix.endswith("ing"):
        return prefix[:-3]
    return None


def _group_words(group: tuple[str, ...]) -> list[str]:
    return [w for member in group for w in words(member)]


_SYNONYMS: dict[str, tuple[str, ...]] = {}
for _group in SYNONYM_GROUPS:
    _prefixes = tuple(dict.fromkeys(prefix_of(w) for w in _group_words(_group)))
    for _member in _group:
        if len(words(_member)) == 1:
            _SYNONYMS[prefix_of(_member)] = _prefixes


@dataclass(frozen=True)
class QueryWord:
    text: str  # as typed, lower case
    prefixes: tuple[str, ...]  # its own prefix first, then its synonyms'


def parse_query(text: str) -> list[QueryWord]:
    """The words a query is searched by: stop words dropped (unless nothing else is left),
    two-word expressions joined, each word with its prefixes (its own first)."""
    typed = [w for w in words(text[:MAX_QUERY_CHARS]) if fold(w) not in STOP_WORDS] or words(text[:MAX_QUERY_CHARS])
    joined: list[str] = []
    i = 0
    while i < len(typed):
        pair = (fold(typed[i]), fold(typed[i + 1])) if i + 1 < len(typed) else None
        if pair in PHRASES:
            joined.append(PHRASES[pair])
            i += 2
        else:
            joined.append(typed[i])
            i += 1
    meaningful = [w for w in joined if fold(w) not in PARTICLES] or joined
    result = []
    for word in list(dict.fromkeys(meaningful))[:MAX_WORDS]:
        own = prefix_of(word)
        verb = verb_prefix(own)
        synonyms = _SYNONYMS.get(own, ())
        if not synonyms:
            # "royalties" stems differently from "royalty": look the group up by the shorter of the two.
            synonyms = next((p for key, p in _SYNONYMS.items() if len(key) >= MIN_INFIX and own.startswith(key)), ())
        result.append(QueryWord(word, tuple(dict.fromkeys(p for p in (own, verb, *synonyms) if p))))
    return result
