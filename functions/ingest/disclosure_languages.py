"""Recognise own-health disclosures in German, French, Portuguese, Russian, Bulgarian, Korean, Chinese and Arabic.

A companion to functions/ingest/disclosure.py (English and Spanish), built the same way: first-person patterns around
a curated vocabulary of conditions, treatments and medicines, per language. A match is dropped when it is negated
("ich habe keinen Diabetes"), hypothetical or a question ("如果我有糖尿病", "Tenho diabetes?"), or when the
condition belongs to someone else ("meine Mutter hat Krebs", "у мамы диабет", "엄마가 당뇨 진단을 받았어요").

Precision comes first: a post is only flagged when the grammar makes the author the person with the condition.
Languages that drop the subject (Korean, Chinese, Arabic verb forms, Russian past tense) only match a subject-less
phrase when no other person is the most recent subject in the same or previous sentence (the "guard").

Public function: discloses_own_health_in_other_languages(text) -> bool.   Only `re` from the standard library is used.
"""

import re
from collections.abc import Callable


def _alt(*parts: str) -> str:
    """A non-capturing alternation of regex fragments."""
    return "(?:" + "|".join(parts) + ")"


# Start of a sentence (or of the text), allowing leading quotes, dashes and bullets.
_S = r"(?:^|(?<=[.!?\n。！？؟…:;]))[\s\"'«»„“”(*\-–—•]*"
# A phrase is treated as a question when its clause ends with a question mark.
_CLAUSE_END = re.compile(r"[.,;:!?\n。，；！？،؛؟]")
_QUESTION_MARKS = "?？؟"


# A rule is a pattern, or (pattern, True) for a subject-less phrase that needs the "other person" guard.
_Rule = str | tuple[str, bool]


class _Language:
    """One language: its rules and the checks that reject a match."""

    def __init__(
        self,
        name: str,
        rules: list[_Rule],
        neg_before: str,
        neg_inside: str,
        *,
        neg_after: str | None = None,
        question_after: str | None = None,
        other_person: str | None = None,
        first_person: str | None = None,
        normalize: Callable[[str], str] | None = None,
    ) -> None:
        self.name = name
        # A rule is a pattern, or (pattern, True) for a subject-less phrase that needs the "other person" guard.
        self.rules: list[tuple[re.Pattern[str], bool]] = []
        for rule in rules:
            pattern, guarded = (rule, False) if isinstance(rule, str) else rule
            self.rules.append((re.compile(pattern, re.IGNORECASE), guarded))
        self.neg_before = re.compile(neg_before, re.IGNORECASE)
        self.neg_inside = re.compile(neg_inside, re.IGNORECASE)
        self.neg_after = re.compile(neg_after, re.IGNORECASE) if neg_after else None
        self.question_after = re.compile(question_after, re.IGNORECASE) if question_after else None
        self.other_person = re.compile(other_person, re.IGNORECASE) if other_person else None
        self.first_person = re.compile(first_person, re.IGNORECASE) if first_person else None
        self.normalize = normalize

    def _guard_fails(self, text: str, start: int) -> bool:
        """True when another person is the latest subject before a subject-less phrase."""
        if self.other_person is None:
            return False
        window = text[max(0, start - 80) : start]
        others = list(self.other_person.finditer(window))
        last_other = others[-1] if others else None
        if last_other is None:
            return False
        return not (self.first_person and self.first_person.search(window, last_other.end()))

    def evidence(self, text: str) -> str | None:
        if self.normalize:
            text = self.normalize(text)
        for regex, guarded in self.rules:
            for match in regex.finditer(text):
                if not self._rejected(text, match, guarded):
                    return match.group(0).strip()
        return None

    def _rejected(self, text: str, match: re.Match[str], guarded: bool) -> bool:
        phrase = match.group(0)
        before = text[max(0, match.start() - 60) : match.start()]
        after = text[match.end() : match.end() + 60]
        if self.neg_before.search(before) or self.neg_inside.search(phrase):
            return True
        if self.neg_after and self.neg_after.search(after):
            return True
        clause_end = _CLAUSE_END.search(after)
        if clause_end and clause_end.group(0) in _QUESTION_MARKS:
            return True
        if self.question_after:
            rest = after[: clause_end.start()] if clause_end else after
            if self.question_after.search(rest):
                return True
        return guarded and self._guard_fails(text, match.start())


# =====================================================================================================================
# German (de)
# =====================================================================================================================

_DE_DIS = _alt(
    # metabolic, cardiovascular
    r"(?:Typ[- ]?(?:1|2|I|II|eins|zwei)[- ]?)?Diabetes(?:\s+(?:mellitus\s+)?Typ\s?(?:1|2|I|II))?",
    r"Prädiabetes",
    r"Schwangerschaftsdiabetes",
    r"Gestationsdiabetes",
    r"Zuckerkrankheit",
    r"Bluthochdruck",
    r"Hypertonie",
    r"(?:zu\s+)?hohe[nm]?\s+Blutdruck",
    r"Herzinfarkt",
    r"Infarkt",
    r"Schlaganfall",
    r"Herzinsuffizienz",
    r"Herzschwäche",
    r"Vorhofflimmern",
    r"Niereninsuffizienz",
    # cancer (German compounds: Brustkrebs, Darmkrebs ...)
    r"(?:Brust|Darm|Dickdarm|Enddarm|Prostata|Lungen|Haut|Eierstock|Gebärmutterhals|Gebärmutter|Bauchspeicheldrüsen|"
    r"Blut|Hoden|Schilddrüsen|Magen|Nieren|Blasen|Leber|Knochen|Hirn|Speiseröhren)?krebs",
    r"Leukämie",
    r"(?:Non-)?(?:Hodgkin-?)?Lymphom",
    r"(?:Hirn)?tumor",
    r"Melanom",
    r"Karzinom",
    r"Myelom",
    # respiratory, neurological, autoimmune, chronic
    r"Asthma",
    r"Epilepsie",
    r"Migräne",
    r"Multiple\s+Sklerose",
    r"MS(?!\s+(?:Word|Office|Teams|Excel))",
    r"Schilddrüsen(?:unterfunktion|überfunktion|erkrankung|probleme)",
    r"Hashimoto",
    r"Morbus\s+(?:Basedow|Crohn|Parkinson|Bechterew)",
    r"Colitis\s+ulcerosa",
    r"Zöliakie",
    r"Psoriasis",
    r"Schuppenflechte",
    r"Neurodermitis",
    r"Fibromyalgie",
    r"rheumatoide\s+Arthritis",
    r"Arthritis",
    r"Rheuma",
    r"Arthrose",
    r"Allergien",
    r"Allergie",
    r"Heuschnupfen",
    r"Pollenallergie",
    r"Lupus",
    r"Parkinson",
    r"Demenz",
    r"Tinnitus",
    r"HIV",
    r"Aids",
    r"Hepatitis(?:\s+[ABC])?",
    r"Long[- ]?Covid",
    r"Post[- ]?Covid",
    r"ME/CFS",
    r"Covid(?:-19)?",
    r"Corona",
    # mental health, neurodivergence
    r"Depressionen",
    r"Depression",
    r"Angststörung(?:en)?",
    r"Panikattacken",
    r"Panikstörung",
    r"bipolare[n]?\s+Störung",
    r"ADHS",
    r"ADS",
    r"Autismus",
    r"Asperger(?:-Syndrom)?",
    r"Burn-?out",
    r"PTBS",
    r"Zwangsstörung",
    r"Essstörung",
    r"Magersucht",
    r"Bulimie",
    r"Schizophrenie",
    # reproductive
    r"Endometriose",
    r"PCOS",
    r"PCO(?:-Syndrom)?",
    r"Unfruchtbarkeit",
    r"Fehlgeburt(?:en)?",
    r"stille\s+Geburt",
)
# Nouns and adjectives for "ich bin ..." / "als ...": Diabetikerin, schwanger, in Therapie, auf Insulin eingestellt.
_DE_IDENT_NOUN = _alt(
    r"(?:Typ[- ]?(?:1|2|I|II)[- ]?)?Diabetiker(?:in)?",
    r"Asthmatiker(?:in)?",
    r"Autist(?:in)?",
    r"Epileptiker(?:in)?",
    r"Allergiker(?:in)?",
    r"Rheumatiker(?:in)?",
    r"Hypertoniker(?:in)?",
    r"Migräniker(?:in)?",
    r"(?:Krebs|Dialyse|Herz|Schmerz|Diabetes|Rheuma)patient(?:in)?",
    r"Krebsüberlebende[r]?",
    r"Schwangere",
)
_DE_IDENT = _alt(
    _DE_IDENT_NOUN,
    r"schwanger",
    r"autistisch",
    r"depressiv",
    r"bipolar",
    r"HIV-positiv",
    r"zuckerkrank",
    r"krebskrank",
    r"herzkrank",
    r"nierenkrank",
    r"unfruchtbar",
    r"prädiabetisch",
    r"in\s+(?:der\s+)?Remission",
    r"in\s+(?:Chemo(?:therapie)?|Behandlung|Therapie|Psychotherapie|Dialyse|Strahlentherapie|Reha)",
    r"(?:gut\s+)?(?:auf|mit)\s+(?:Insulin|Metformin|Antidepressiva|L-Thyroxin|Blutdrucksenker|Tabletten)\s+eingestellt",
    r"in\s+der\s+\d+\.?\s*(?:SSW|Schwangerschaftswoche|Woche\s+schwanger)",
    r"auf\s+(?:Insulin|Metformin|Antidepressiva|Lithium|Cortison|Kortison|L-Thyroxin|Blutdrucksenkern)",
    r"im\s+\d+\.?\s*Monat\s+schwanger",
)
# Medicines and treatments one takes or receives.
_DE_MED = _alt(
    r"Chemo(?:therapie)?",
    r"Bestrahlung(?:en)?",
    r"Strahlentherapie",
    r"Immuntherapie",
    r"Hormontherapie",
    r"Hormonersatztherapie",
    r"Insulin",
    r"Metformin",
    r"Statine?",
    r"Atorvastatin",
    r"Simvastatin",
    r"Antidepressiva",
    r"Antidepressivum",
    r"Sertralin",
    r"Citalopram",
    r"Escitalopram",
    r"Fluoxetin",
    r"Venlafaxin",
    r"Mirtazapin",
    r"Amitriptylin",
    r"Lithium",
    r"Quetiapin",
    r"Methylphenidat",
    r"Ritalin",
    r"Medikinet",
    r"Elvanse",
    r"Blutdrucksenker",
    r"Blutdruck(?:tabletten|medikamente|mittel)",
    r"Betablocker",
    r"Ramipril",
    r"Amlodipin",
    r"Candesartan",
    r"Bisoprolol",
    r"L-Thyroxin",
    r"Thyroxin",
    r"Levothyroxin",
    r"Schilddrüsen(?:tabletten|hormone|medikamente)",
    r"Antibabypille",
    r"Pille(?:\s+danach)?",
    r"(?:Hormon|Kupfer)?spirale",
    r"Dialyse",
    r"Ozempic",
    r"Wegovy",
    r"Mounjaro",
    r"Semaglutid",
    r"Cortison",
    r"Kortison",
    r"Asthmaspray",
    r"Inhalator",
    r"Blutverdünner",
    r"Marcumar",
    r"Eliquis",
    r"Psychopharmaka",
    r"Neuroleptika",
    r"Antibiotika",
    r"Medikamente",
    r"Tabletten",
)
# Procedures one has had.
_DE_PROC = _alt(
    r"Operation",
    r"OP",
    r"Kaiserschnitt",
    r"(?:Nieren|Leber|Herz|Lungen|Stammzell|Knochenmark)?transplantation",
    r"Mastektomie",
    r"Brustamputation",
    r"Gebärmutterentfernung",
    r"Bypass-?OP",
    r"Bypass",
    r"Stent",
    r"Kinderwunschbehandlung",
    r"IVF",
    r"künstliche\s+Befruchtung",
    r"Ausschabung",
    r"Psychotherapie",
    r"Therapie",
)
# What "ich habe/hatte ..." may name besides a condition (not generic words like "Tabletten").
_DE_HAVE_TREAT = _alt(
    r"Chemo(?:therapie)?",
    r"Bestrahlung(?:en)?",
    r"Dialyse",
    r"Operation",
    r"OP",
    r"Kaiserschnitt",
    r"(?:Nieren|Leber|Herz|Lungen|Stammzell|Knochenmark)?transplantation",
    r"Mastektomie",
    r"Bypass-?OP",
    r"Bypass",
    r"Stent",
    r"IVF",
    r"Ausschabung",
    r"Kinderwunschbehandlung",
)
_DE_POSS_WORDS = _alt(
    _DE_DIS,
    _DE_MED,
    _DE_PROC,
    r"Diagnose",
    r"Schwangerschaft",
    r"Therapeut(?:in)?",
    r"Psychiater(?:in)?",
    r"Onkolog(?:e|in)",
    r"Diabetolog(?:e|in)",
    r"Behandlung",
    r"Medikation",
    r"Blutdrucktabletten",
)
# A compound ending may follow (Krebsdiagnose, Diabetes-Medikamente); any other compound (Krebspatienten) blocks.
_DE_END = r"(?:-?(?:Diagnose|Erkrankung|Behandlung|Therapie|Medikamente|Tabletten|Medikation))?(?![\w-])"
_DE_NOT_OTHER = (
    r"(?!\s+(?:Mutter|Vater|Mama|Papa|Sohn|Tochter|Kind|Kinder|Mann|Frau|Partner(?:in)?|Freund(?:in)?|Bruder|"
    r"Schwester|Oma|Opa|Patient\w*|Klient\w*|Schüler\w*|Hund|Katze|Blog|Podcast|Buch|Artikel|Station|Klinik|"
    r"Praxis|Team|Forschung|Kurs|Seminar|Gruppe)\b)"
)
_DE_TIME = (
    r"(?:seit|vor)\s+(?:\d+|einem|einer|einigen|zwei|drei|vier|fünf|sechs|sieben|acht|neun|zehn|zwanzig|vielen|"
    r"ein\s+paar|kurzem|langem|Jahren|Monaten|Wochen|meiner\s+(?:Kindheit|Jugend|Geburt|Schwangerschaft)|\d{4}|"
    r"(?:der|dem)\s+(?:Schwangerschaft|Geburt|Kindheit|Jugend|Pubertät|Diagnose|Operation|OP|Unfall|Infektion))"
    r"(?:\s+(?:Jahr(?:e|en)?|Monat(?:e|en)?|Wochen?|Tag(?:e|en)?|Jahrzehnt(?:e|en)?))?"
)
_DE_FILLER = _alt(
    _DE_TIME,
    r"auch",
    r"selbst",
    r"schon",
    r"leider",
    r"jetzt",
    r"nun",
    r"inzwischen",
    r"mittlerweile",
    r"tatsächlich",
    r"offiziell",
    r"wohl",
    r"ja",
    r"halt",
    r"eben",
    r"nämlich",
    r"ebenfalls",
    r"zusätzlich",
    r"(?:letztes|dieses|vergangenes)\s+Jahr",
    r"\d{4}",
    r"im\s+Jahr\s+\d{4}",
    r"mit\s+\d+(?:\s+Jahren)?",
    r"im\s+(?:Januar|Februar|März|April|Mai|Juni|Juli|August|September|Oktober|November|Dezember|Sommer|Winter|"
    r"Frühjahr|Herbst|Alter\s+von\s+\d+)",
    r"jahrelang",
    r"damals",
    r"zweimal",
    r"einmal",
    r"zwei",
    r"drei",
    r"mehrere",
    r"mehreren",
    r"endlich",
    r"gerade",
    r"bereits",
    r"heute",
    r"wieder",
    r"erneut",
    r"chronische[nmrs]?",
    r"schwere[nmrs]?",
    r"leichte[nmrs]?",
    r"starke[nmrs]?",
    r"insulinpflichtige[nmrs]?",
    r"aggressive[nmrs]?",
    r"metastasierte[nmrs]?",
    r"fortgeschrittene[nmrs]?",
    r"erbliche[nmrs]?",
    r"einen",
    r"eine",
    r"einem",
    r"einer",
    r"ein",
    r"den",
    r"die",
    r"das",
    r"der",
    r"dem",
    r"Typ[- ]?[12]",
)
_DE_FILL = rf"(?:{_DE_FILLER}\s+){{0,6}}"
_DE_POSS = r"(?:meine[nmrs]?|mein)\s+"
_DE_MOD = _alt(
    r"eigene[nmrs]?",
    r"letzte[nmrs]?",
    r"erste[nmrs]?",
    r"zweite[nmrs]?",
    r"dritte[nmrs]?",
    r"neue[nmrs]?",
    r"tägliche[nmrs]?",
    r"aktuelle[nmrs]?",
    r"chronische[nmrs]?",
    r"verdammte[nmrs]?",
    r"blöde[nmrs]?",
    r"ganze[nmrs]?",
    r"Typ[- ]?[12][- ]?",
)
# "ich habe", inverted "(Seit 2019) habe ich" (not sentence-initial, which would be a question), or "Hab ..." alone.
_DE_I_HAVE = r"(?:\bich\s+(?:habe|hab|hab'|hatte)|(?<=\w\s)(?:habe|hab|hatte)\s+ich|" + _S + r"(?:habe|hab))"

_DE_RULES: list[_Rule] = [
    # ich habe Diabetes / ich hatte Brustkrebs / hab seit 10 Jahren Typ 1 / ich hatte einen Kaiserschnitt
    rf"{_DE_I_HAVE}\s+{_DE_FILL}(?:{_DE_DIS}|{_DE_HAVE_TREAT}){_DE_END}{_DE_NOT_OTHER}",
    # ich bin Diabetikerin / bin schwanger / ich bin in der 12. SSW / ich bin in Therapie / ich war schwanger
    rf"(?:\bich\s+(?:bin|war)|(?<=\w\s)(?:bin|war)\s+ich|{_S}bin)\s+{_DE_FILL}{_DE_IDENT}(?![\w-]){_DE_NOT_OTHER}",
    # ich bin an Brustkrebs erkrankt / ich wurde mit ADHS diagnostiziert
    rf"\bich\s+bin\s+{_DE_FILL}an\s+{_DE_FILL}{_DE_DIS}{_DE_END}\s+(?:\w+\s+)?erkrankt",
    rf"\bich\s+(?:wurde|bin)\s+{_DE_FILL}mit\s+{_DE_FILL}{_DE_DIS}{_DE_END}\s+(?:\w+\s+)?diagnostiziert",
    # bei mir wurde Diabetes festgestellt / mir wurde ADHS diagnostiziert
    rf"\bbei\s+mir\s+(?:wurde|wurden|hat\s+man|haben\s+(?:die\s+)?(?:Ärzte|sie)|hat\s+(?:der|die|mein|meine)\s+\w+|"
    rf"ist|sind|kam|kamen|besteht)\s+{_DE_FILL}{_DE_DIS}{_DE_END}",
    rf"\bmir\s+wurde\s+{_DE_FILL}{_DE_DIS}{_DE_END}\s+(?:\w+\s+)?(?:diagnostiziert|festgestellt|attestiert)",
    # ich leide an Migräne / lebe seit 10 Jahren mit HIV / ich kämpfe gegen Krebs
    rf"(?:\bich\s+(?:leide|litt|lebe|lebte|kämpfe|kämpfte|erkrankte)|{_S}(?:leide|lebe|kämpfe))\s+{_DE_FILL}"
    rf"(?:an|unter|mit|gegen)\s+{_DE_FILL}(?:meine[nmrs]?\s+)?{_DE_DIS}{_DE_END}{_DE_NOT_OTHER}",
    # ich nehme Metformin / nehme seit 3 Jahren Sertralin / jeden Morgen nehme ich Ramipril / ich spritze Insulin
    rf"(?:\bich\s+(?:nehme|nahm|spritze|spritzte|bekomme|bekam|kriege|kriegte|brauche|brauchte|schlucke)|"
    rf"(?<=\w\s)(?:nehme|nahm|spritze|bekomme|bekam|kriege|brauche)\s+ich|{_S}(?:nehme|spritze|bekomme|brauche|schlucke))"
    rf"\s+{_DE_FILL}(?:mir\s+)?(?:{_DE_POSS})?(?:{_DE_MED}|{_DE_PROC}){_DE_END}",
    # meine Ärztin hat mir Metformin verschrieben
    rf"\b(?:hat|haben)\s+mir\s+{_DE_FILL}(?:{_DE_MED}){_DE_END}\s+(?:\w+\s+)?(?:verschrieben|verordnet|gegeben|gespritzt)",
    # ich habe meine Tabletten abgesetzt / ich habe aufgehört, die Pille zu nehmen / mit der Chemo angefangen
    rf"{_DE_I_HAVE}\s+{_DE_FILL}(?:{_DE_POSS})?(?:{_DE_MED}|{_DE_PROC}){_DE_END}\s+(?:\w+\s+)?(?:abgesetzt|"
    rf"abgebrochen|ausgeschlichen|beendet|angefangen|begonnen|bekommen|verschrieben|genommen|gespritzt|hinter\s+mir)",
    rf"{_DE_I_HAVE}\s+(?:\w+\s+)?(?:aufgehört|angefangen),?\s+(?:{_DE_POSS}|die\s+|das\s+|den\s+)?{_DE_MED}{_DE_END}"
    rf"\s+zu\s+(?:nehmen|spritzen)",
    rf"{_DE_I_HAVE}\s+(?:\w+\s+)?mit\s+(?:der\s+|dem\s+|den\s+|{_DE_POSS})?(?:{_DE_MED}|{_DE_PROC}){_DE_END}\s+"
    rf"(?:\w+\s+)?(?:angefangen|aufgehört|begonnen)",
    # meine Diabetes / meine Chemo / seit meiner Fehlgeburt / meine Therapeutin (not "ich meine Diabetes ...")
    rf"(?<!\bich\s)\b(?:mein|meine[nmrs]?)\s+(?:{_DE_MOD}\s+){{0,2}}{_DE_POSS_WORDS}{_DE_END}{_DE_NOT_OTHER}",
    # seit ich Diabetes habe / als ich schwanger war / seitdem ich Metformin nehme
    rf"\b(?:seit(?:dem)?|als|nachdem|während|weil|da|obwohl)\s+ich\s+{_DE_FILL}(?:{_DE_POSS})?"
    rf"(?:(?:{_DE_DIS}|{_DE_HAVE_TREAT}){_DE_END}\s+(?:habe|hab|hatte|bekam|bekommen\s+habe|gehabt\s+habe|"
    rf"überlebt\s+habe)|{_DE_IDENT}\s+(?:bin|war|wurde|geworden\s+bin)|(?:{_DE_MED}|{_DE_PROC}){_DE_END}\s+"
    rf"(?:nehme|nahm|spritze|bekomme|bekam|genommen\s+habe|brauche))\b",
    # Als Diabetikerin weiß ich ... / als jemand mit ADHS kann ich ... (first person must follow)
    rf"\bals\s+(?:{_DE_IDENT_NOUN}|(?:jemand|Mensch|Person|Frau|Mann|Mutter)\s+mit\s+{_DE_FILL}{_DE_DIS}{_DE_END})"
    rf"(?![\w-])(?=[^.!?\n]{{0,50}}\b(?:ich|mir|mich|mein\w*)\b)",
    # mein Blutdruck war 160/95 / mein Zucker ist zu hoch / ich habe einen HbA1c von 7
    r"\bmein(?:e)?\s+(?:Blutdruck|Blutzucker(?:wert|spiegel)?|Zucker(?:wert|spiegel)?|Langzeitzucker(?:wert)?|"
    r"HbA1c(?:-Wert)?|Cholesterin(?:wert|spiegel)?|Blutdruckwerte|Zuckerwerte|Blutzuckerwerte)\s+(?:\S+\s+){0,3}?"
    r"(?:\d|zu\s+(?:hoch|niedrig)|erhöht|viel\s+zu)",
    rf"{_DE_I_HAVE}\s+(?:einen\s+)?(?:Blutdruck|Blutzucker|Zucker|HbA1c|Langzeitzucker)\s+von\s+\d",
    # ich wurde operiert / ich wurde positiv auf HIV getestet / ich habe die Diagnose Brustkrebs bekommen
    rf"\bich\s+(?:wurde|bin)\s+{_DE_FILL}(?:(?:an|am)\s+(?:der\s+|den\s+)?\w+\s+)?operiert",
    rf"\bich\s+(?:wurde|bin)\s+{_DE_FILL}positiv\s+auf\s+(?:HIV|Covid|Corona|Hepatitis)",
    rf"(?:\bich\s+(?:habe|hab|hatte|bekam|erhielt)|(?<=\w\s)(?:habe|hab|bekam)\s+ich)\s+{_DE_FILL}(?:die\s+)?"
    rf"Diagnose:?\s+{_DE_FILL}{_DE_DIS}",
    # sentence-initial "Diabetikerin seit 1998." / "Typ-1-Diabetiker hier" / "SSW 20 und ..."
    rf"{_S}{_DE_IDENT_NOUN}\s+(?:hier\b|seit\s+(?:\d{{4}}|\d+\s+Jahren|meiner\s+\w+)\s*(?:[.,!;:)\n]|$|und\s+(?:ich|mir)))",
    rf"{_S}(?:SSW|Schwangerschaftswoche)\s+\d+",
]

_GERMAN = _Language(
    "de",
    _DE_RULES,
    neg_before=(
        r"(?:\b(?:nicht|nie|niemals|kein\w*|ohne|weder|noch\s+nie|nichts)\s+(?:[^\s,.;!?]+\s+){0,2}|"
        r"\b(?:falls|ob|vielleicht|eventuell|möglicherweise|angenommen|womöglich|vermutlich|wahrscheinlich|"
        r"befürchte,?\s+dass|Angst,?\s+dass|glaube,?\s+dass)\s+(?:[^\s,.;!?]+\s+){0,1})$"
    ),
    neg_inside=r"\b(?:nicht|nie|niemals|kein|keine|keinen|keinem|keiner|keines|hätte|hätten|wäre|wären|würde|würden)\b",
)


# =====================================================================================================================
# French (fr)
# =====================================================================================================================

_FR_APO = r"['’]"
_FR_DIS = _alt(
    # metabolic, cardiovascular
    r"(?:pr[ée])?diab[èe]te(?:\s+(?:de\s+)?type\s?(?:1|2|I|II|un|deux))?(?:\s+gestationnel)?",
    r"hypertension(?:\s+art[ée]rielle)?",
    r"infarctus",
    r"crise\s+cardiaque",
    r"AVC",
    r"accident\s+vasculaire\s+c[ée]r[ée]bral",
    r"insuffisance\s+(?:r[ée]nale|cardiaque)",
    r"cholest[ée]rol",
    # cancer
    r"cancer",
    r"leuc[ée]mie",
    r"lymphome",
    r"tumeur",
    r"m[ée]lanome",
    r"carcinome",
    r"my[ée]lome",
    # chronic, respiratory, neurological, autoimmune
    r"asthme",
    r"[ée]pilepsie",
    r"migraines?",
    r"scl[ée]rose\s+en\s+plaques",
    r"SEP",
    r"hypothyro[ïi]die",
    r"hyperthyro[ïi]die",
    r"probl[èe]mes?\s+de\s+thyro[ïi]de",
    r"Hashimoto",
    r"maladie\s+de\s+(?:Crohn|Parkinson|Alzheimer|Hashimoto|Basedow|Lyme)",
    r"maladie\s+c[œo]e?liaque",
    r"psoriasis",
    r"ecz[ée]ma",
    r"fibromyalgie",
    r"polyarthrite(?:\s+rhumato[ïi]de)?",
    r"arthrite",
    r"arthrose",
    r"allergies?",
    r"rhume\s+des\s+foins",
    r"lupus",
    r"apn[ée]e\s+du\s+sommeil",
    r"acouph[èe]nes",
    r"VIH",
    r"sida",
    r"h[ée]patite(?:\s+[ABC])?",
    r"covid\s+long",
    r"covid(?:-19)?",
    # mental health, neurodivergence
    r"d[ée]pression",
    r"burn[- ]?out",
    r"troubles?\s+anxieux",
    r"anxi[ée]t[ée](?:\s+g[ée]n[ée]ralis[ée]e)?",
    r"crises?\s+d['’]angoisse",
    r"(?:attaques|crises)\s+de\s+panique",
    r"trouble\s+bipolaire",
    r"bipolarit[ée]",
    r"TDAH",
    r"TDA",
    r"TSA",
    r"autisme",
    r"syndrome\s+d['’]asperger",
    r"asperger",
    r"TOC",
    r"TSPT",
    r"SSPT",
    r"anorexie",
    r"boulimie",
    r"schizophr[ée]nie",
    # reproductive
    r"endom[ée]triose",
    r"SOPK",
    r"syndrome\s+des\s+ovaires\s+polykystiques",
    r"infertilit[ée]",
    r"fausses?\s+couches?",
    r"grossesse",
)
_FR_IDENT_SHORT = _alt(
    r"(?:pr[ée])?diab[ée]tique(?:\s+de\s+type\s?[12])?",
    r"asthmatique",
    r"enceinte",
    r"autiste",
    r"bipolaire",
    r"[ée]pileptique",
    r"s[ée]ropositi(?:f|ve)",
    r"d[ée]pressi(?:f|ve)",
    r"hypertendue?",
    r"infertile",
    r"TDAH",
)
_FR_ART = r"(?:(?:un|une|le|la|les|des|du|de\s+la|de\s+l['’]|de|d['’]|l['’])\s*)?"
_FR_DRUG = _alt(
    r"chimio(?:th[ée]rapie)?",
    r"radioth[ée]rapie",
    r"immunoth[ée]rapie",
    r"hormonoth[ée]rapie",
    r"insuline",
    r"metformine",
    r"statines?",
    r"antid[ée]presseurs?",
    r"sertraline",
    r"citalopram",
    r"escitalopram",
    r"fluox[ée]tine",
    r"prozac",
    r"venlafaxine",
    r"parox[ée]tine",
    r"anxiolytiques?",
    r"lithium",
    r"l[ée]vothyrox(?:ine)?",
    r"antihypertenseurs?",
    r"b[êe]ta[- ]?bloquants?",
    r"pilule(?:\s+contraceptive)?",
    r"st[ée]rilet",
    r"implant(?:\s+contraceptif)?",
    r"dialyse",
    r"ritaline",
    r"m[ée]thylph[ée]nidate",
    r"ozempic",
    r"ventoline",
    r"inhalateur",
    r"cortico[ïi]des",
    r"cortisone",
    r"anticoagulants?",
    r"antibiotiques",
    r"traitement(?:\s+hormonal)?",
    r"m[ée]dicaments?",
    r"m[ée]docs?",
    r"cachets",
)
_FR_PROC = _alt(
    r"chimio(?:th[ée]rapie)?",
    r"radioth[ée]rapie",
    r"dialyse",
    r"greffe(?:\s+de\s+\w+)?",
    r"transplantation",
    r"c[ée]sarienne",
    r"chirurgie",
    r"op[ée]ration",
    r"ablation(?:\s+d[eu']\s*\w+)?",
    r"mastectomie",
    r"hyst[ée]rectomie",
    r"FIV",
    r"PMA",
    r"IVG",
    r"pontage",
)
_FR_POSS_WORDS = _alt(
    _FR_DIS,
    _FR_DRUG,
    r"greffe",
    r"c[ée]sarienne",
    r"chirurgie",
    r"mastectomie",
    r"FIV",
    r"diagnostic",
    r"psy(?:chiatre|chologue|choth[ée]rapeute)?",
    r"oncologue",
    r"diab[ée]tologue",
    r"endocrinologue",
    r"glyc[ée]mie",
)
_FR_END = r"(?![\w-])"
_FR_NOT_OTHER = (
    r"(?!\s+(?:au\s+s[ée]rieux|de\s+texte|des\s+donn[ée]es|de\s+faveur|de\s+l['’]information|de\s+(?:ce|cette|la)\s+question|"
    r"(?:de|d['’]|du)\s*(?:mon|ma|mes)\s+(?:fils|fille|mari|femme|m[èe]re|p[èe]re|enfants?|patients?))\b)"
)
_FR_FILLER = _alt(
    r"moi-m[êe]me",
    r"moi\s+aussi",
    r"aussi",
    r"d[ée]j[àa]",
    r"encore",
    r"toujours",
    r"enfin",
    r"officiellement",
    r"r[ée]cemment",
    r"maintenant",
    r"actuellement",
    r"de\s+nouveau",
    r"[àa]\s+nouveau",
    r"moi",
    r"perso",
    r"depuis\s+(?:\d+\s+(?:ans?|mois|semaines?|jours?)|l['’][âa]ge\s+de\s+\d+\s+ans|\d{4}|longtemps|peu|toujours|"
    r"l['’]enfance|mon\s+enfance|des\s+ann[ée]es)",
    r"il\s+y\s+a\s+\d+\s+(?:ans?|mois|semaines?)",
    r"en\s+\d{4}",
    r"l['’]an(?:n[ée]e)?\s+derni[èe]re?",
    r"[àa]\s+\d+\s+ans",
    r"un",
    r"une",
    r"type\s?[12]",
)
_FR_FILL = rf"(?:{_FR_FILLER}\s+){{0,4}}"
_FR_MOD = _alt(
    r"propres?",
    r"derni[èe]re?",
    r"premi[èe]re?",
    r"nouvelle",
    r"nouveau",
    r"deuxi[èe]me",
    r"seconde?",
    r"petite?",
    r"fichue?",
    r"(?:cure|s[ée]ances?|dose|traitement\s+(?:contre|pour))\s+(?:de\s+|d['’]|le\s+|la\s+|l['’])?",
)
_FR_POSS_ART = r"(?:(?:mon|ma|mes|le|la|les|l['’]|de\s+la|du|des|de\s+l['’]|une|un)\s*)?"

_FR_RULES: list[_Rule] = [
    # j'ai un diabète / j'ai eu un cancer du sein / j'ai fait une fausse couche / j'avais de l'asthme
    rf"\bj{_FR_APO}(?:ai|avais)\s+{_FR_FILL}(?:(?:eu|fait|subi|attrap[ée]|d[ée]velopp[ée]|contract[ée]|vaincu|"
    rf"surmont[ée]|battu|combattu)\s+)?{_FR_FILL}{_FR_ART}{_FR_DIS}{_FR_END}{_FR_NOT_OTHER}",
    # j'ai eu une césarienne / j'ai subi une mastectomie / j'ai fait de la chimio
    rf"\bj{_FR_APO}ai\s+{_FR_FILL}(?:eu|subi|fait|commenc[ée]|termin[ée]|fini|entam[ée]|repris)\s+{_FR_FILL}"
    rf"{_FR_POSS_ART}(?:s[ée]ances?\s+de\s+)?{_FR_PROC}{_FR_END}",
    # je suis diabétique / je suis enceinte de 5 mois / je suis sous insuline / je suis en rémission
    rf"\b(?:je\s+suis|j{_FR_APO}[ée]tais|je\s+suis\s+tomb[ée]e)\s+{_FR_FILL}(?:{_FR_IDENT_SHORT}|"
    rf"atteinte?\s+(?:d['’]une?|de|du|de\s+la|des|d['’])\s*{_FR_ART}{_FR_DIS}|en\s+r[ée]mission|"
    rf"en\s+(?:chimio(?:th[ée]rapie)?|radioth[ée]rapie|dialyse|traitement|th[ée]rapie)|sous\s+{_FR_POSS_ART}{_FR_DRUG}|"
    rf"(?:suivie?|trait[ée]e?|soign[ée]e?|hospitalis[ée]e?)\s+pour\s+{_FR_ART}{_FR_DIS}|"
    rf"suivie?\s+par\s+(?:un|une)\s+(?:psychiatre|psy|oncologue|diab[ée]tologue|endocrinologue)|"
    rf"op[ée]r[ée]e?|diagnostiqu[ée]e?(?:\s+(?:avec|comme)\s+{_FR_ART}{_FR_DIS}|\s+{_FR_ART}{_FR_DIS})?|"
    rf"allergique\s+(?:aux?|[àa]\s+la|[àa]\s+l['’]|[àa])\s*(?:pollens?|arachides?|cacahu[èe]tes?|p[ée]nicilline|"
    rf"gluten|lactose|noix|fruits\s+[àa]\s+coque|abeilles|gramin[ée]es|acariens|chats|poils|[œo]ufs?|lait|"
    rf"fruits\s+de\s+mer|crustac[ée]s|latex|aspirine)|[àa]\s+\d+\s+(?:SA|semaines\s+de\s+grossesse|mois\s+de\s+grossesse)"
    rf"){_FR_END}",
    # je souffre de migraines / je vis avec le VIH / je me bats contre un cancer / j'ai souffert d'une dépression
    rf"\b(?:je\s+(?:souffre|vis|lutte|me\s+bats|me\s+soigne|me\s+suis\s+battue?|me\s+remets)|"
    rf"j{_FR_APO}ai\s+(?:souffert|v[ée]cu|lutt[ée]))\s+{_FR_FILL}(?:d['’]|de|du|des|avec|contre|pour)\s*{_FR_ART}"
    rf"{_FR_DIS}{_FR_END}{_FR_NOT_OTHER}",
    # on m'a diagnostiqué un TDAH / le médecin m'a prescrit des antidépresseurs / on m'a opérée d'un cancer
    rf"\bm{_FR_APO}(?:a|ont)\s+{_FR_FILL}(?:diagnostiqu[ée]e?|d[ée]couvert|d[ée]pist[ée]|d[ée]tect[ée]|trouv[ée]|"
    rf"annonc[ée]|prescrit|mise?\s+sous|retir[ée]|enlev[ée]|op[ée]r[ée]e?(?:\s+(?:d['’]une?|du|de\s+la|de))?|"
    rf"greff[ée]e?|pos[ée])\s+{_FR_ART}(?:{_FR_DIS}|{_FR_DRUG}|{_FR_PROC}){_FR_END}",
    # j'ai été diagnostiquée / j'ai été opérée / j'ai été traitée pour une dépression / testée positive au VIH
    rf"\bj{_FR_APO}ai\s+(?:\S+\s+)?(?:[ée]t[ée])\s+{_FR_FILL}(?:diagnostiqu[ée]e?|op[ée]r[ée]e?|hospitalis[ée]e?|"
    rf"greff[ée]e?|(?:trait[ée]e?|soign[ée]e?|suivie?)\s+pour\s+{_FR_ART}{_FR_DIS}|test[ée]e?\s+positi(?:f|ve))"
    rf"{_FR_END}",
    # je prends de l'insuline / je prends la pilule / je prends des antidépresseurs depuis 3 ans
    rf"\b(?:je\s+(?:prends|prenais|me\s+pique\s+[àa]|m['’]injecte|fais)|j{_FR_APO}ai\s+pris)\s+{_FR_FILL}"
    rf"{_FR_POSS_ART}(?:s[ée]ances?\s+de\s+|injections?\s+d['’])?{_FR_DRUG}{_FR_END}{_FR_NOT_OTHER}",
    # j'ai arrêté (de prendre) mes antidépresseurs / j'ai commencé la chimio / je viens de finir ma radiothérapie
    rf"\b(?:j{_FR_APO}ai|je\s+viens\s+d['’]?e?)\s*(?:arr[êe]t[ée]|arr[êe]ter|commenc[ée]|commencer|repris|reprendre|"
    rf"fini|finir|termin[ée]|terminer|entam[ée]|d[ée]but[ée]|stopp[ée]|chang[ée]\s+de)\s+(?:de\s+prendre\s+|"
    rf"[àa]\s+prendre\s+)?{_FR_POSS_ART}(?:{_FR_DRUG}|{_FR_PROC}){_FR_END}",
    # mon diabète / ma chimio / mes antidépresseurs / depuis mon infarctus / ma fausse couche / mon psy
    rf"\b(?:mon|ma|mes)\s+(?:{_FR_MOD}\s*){{0,2}}{_FR_POSS_WORDS}{_FR_END}{_FR_NOT_OTHER}",
    # en tant que diabétique, je ... / étant enceinte, je ... / moi qui suis diabétique / diabétique moi-même
    rf"\b(?:en\s+tant\s+qu(?:e|['’])|[ée]tant)\s+(?:(?:une?|personne|femme|homme|maman|patiente?)\s+)?"
    rf"(?:{_FR_IDENT_SHORT}|(?:atteinte?|vivant|souffrant)\s+(?:d['’]une?|de|du|de\s+la|avec|d['’])\s*{_FR_ART}{_FR_DIS})"
    rf"{_FR_END}(?=[^.!?\n]{{0,60}}\b(?:je|j['’]|moi|mon|ma|mes|me|m['’]))",
    rf"\bmoi\s+qui\s+(?:suis|ai)\s+{_FR_FILL}(?:{_FR_IDENT_SHORT}|{_FR_ART}{_FR_DIS}){_FR_END}",
    rf"\b{_FR_IDENT_SHORT}\s+moi-m[êe]me\b",
    # ma tension est à 15/9 / ma glycémie était de 1,80 / j'ai 14 de tension / j'ai de la tension
    r"\b(?:ma|mon)\s+(?:tension(?:\s+art[ée]rielle)?|glyc[ée]mie(?:\s+[àa]\s+jeun)?|taux\s+de\s+(?:sucre|glyc[ée]mie|"
    r"cholest[ée]rol)|h[ée]moglobine\s+glyqu[ée]e|HbA1c|cholest[ée]rol|sucre)\s+(?:\S+\s+){0,3}?(?:\d|trop\s+"
    r"(?:haute|basse|[ée]lev[ée]e?)|[ée]lev[ée]e?)",
    rf"\bj{_FR_APO}ai\s+(?:eu\s+)?\d+(?:[.,]\d+)?\s+de\s+(?:tension|glyc[ée]mie)",
    rf"\bj{_FR_APO}ai\s+(?:de\s+la|trop\s+de)\s+tension\b",
    # sentence-initial "Diabétique de type 2 depuis 2022." / "Enceinte de 6 mois, ..." / "Sous insuline depuis 3 ans."
    rf"{_S}(?:enceinte|(?:pr[ée])?diab[ée]tique|asthmatique|[ée]pileptique|s[ée]ropositive?|bipolaire|autiste|"
    rf"sous\s+{_FR_POSS_ART}{_FR_DRUG})\s+(?:de\s+(?:type\s?[12]|\d+\s+(?:mois|semaines))|depuis)\b",
    # je suis tombée enceinte / j'ai accouché par césarienne
    rf"\bj{_FR_APO}ai\s+accouch[ée]e?\s+par\s+c[ée]sarienne",
]

_FRENCH = _Language(
    "fr",
    _FR_RULES,
    neg_before=(
        r"(?:\b(?:ne|n['’]|pas|jamais|sans|ni|aucun\w*|non)\s*(?:[^\s,.;!?]+\s+){0,2}|"
        r"\b(?:si|s['’]|m[êe]me\s+si|au\s+cas\s+o[ùu]|est-ce\s+qu['’]e?|peut-[êe]tre(?:\s+que)?|imaginons\s+que|"
        r"et\s+si|pas\s+s[ûu]re?\s+que|je\s+crains\s+que|j['’]ai\s+peur\s+que)\s*(?:[^\s,.;!?]+\s+){0,1})$"
    ),
    neg_inside=r"\b(?:pas|jamais|aucun|aucune|ni|sans|plus|non)\b|\bn['’]",
)


# =====================================================================================================================
# Portuguese (pt-BR, pt-PT)
# =====================================================================================================================

_PT_DIS = _alt(
    # metabolic, cardiovascular
    r"(?:pr[ée]-?)?diabetes(?:\s+(?:do\s+)?tipo\s?(?:1|2|I|II|um|dois))?(?:\s+gestacional)?",
    r"hipertens[ãa]o(?:\s+arterial)?",
    r"press[ãa]o\s+alta",
    r"tens[ãa]o\s+alta",
    r"colesterol\s+alto",
    r"enfarte",
    r"infarto",
    r"ataque\s+card[íi]aco",
    r"AVC",
    r"derrame(?:\s+cerebral)?",
    r"insufici[êe]ncia\s+(?:renal|card[íi]aca)",
    # cancer (pt-BR câncer, pt-PT cancro)
    r"c[âa]ncer",
    r"cancro",
    r"leucemia",
    r"linfoma",
    r"tumor",
    r"melanoma",
    r"carcinoma",
    r"mieloma",
    # chronic, respiratory, neurological, autoimmune
    r"asma",
    r"epilepsia",
    r"enxaquecas?",
    r"esclerose\s+m[úu]ltipla",
    r"hipotireoidismo",
    r"hipotiroidismo",
    r"hipertireoidismo",
    r"hipertiroidismo",
    r"problemas?\s+(?:de|na)\s+(?:tireoide|tiroide)",
    r"Hashimoto",
    r"doen[çc]a\s+de\s+(?:Crohn|Parkinson|Alzheimer)",
    r"doen[çc]a\s+cel[íi]aca",
    r"psor[íi]ase",
    r"fibromialgia",
    r"artrite(?:\s+reumatoide)?",
    r"artrose",
    r"reumatismo",
    r"alergias?",
    r"rinite(?:\s+al[ée]rgica)?",
    r"l[úu]pus",
    r"apneia\s+do\s+sono",
    r"HIV",
    r"VIH",
    r"AIDS",
    r"SIDA",
    r"hepatite(?:\s+[ABC])?",
    r"covid\s+long[ao]",
    r"covid(?:-19)?",
    # mental health, neurodivergence
    r"depress[ãa]o",
    r"ansiedade(?:\s+generalizada)?",
    r"crises?\s+de\s+(?:ansiedade|p[âa]nico)",
    r"s[íi]ndrome\s+do\s+p[âa]nico",
    r"transtorno\s+(?:bipolar|de\s+ansiedade|obsessivo[- ]compulsivo|"
    r"do\s+espectro\s+autista|alimentar|de\s+d[ée]ficit\s+de\s+aten[çc][ãa]o)",
    r"bipolaridade",
    r"TDAH",
    r"PHDA",
    r"autismo",
    r"TEA",
    r"s[íi]ndrome\s+de\s+asperger",
    r"asperger",
    r"TOC",
    r"TEPT",
    r"PTSD",
    r"anorexia",
    r"bulimia",
    r"esquizofrenia",
    r"burnout",
    # reproductive
    r"endometriose",
    r"SOP",
    r"s[íi]ndrome\s+dos\s+ov[áa]rios\s+polic[íi]sticos",
    r"ov[áa]rios\s+polic[íi]sticos",
    r"infertilidade",
    r"aborto(?:\s+espont[âa]neo)?",
    r"perda\s+gestacional",
    r"gravidez",
)
_PT_IDENT_SHORT = _alt(
    r"(?:pr[ée]-?)?diab[ée]tic[oa](?:\s+(?:do\s+)?tipo\s?[12])?",
    r"asm[áa]tic[oa]",
    r"gr[áa]vida",
    r"autista",
    r"bipolar",
    r"epil[ée]ptic[oa]",
    r"soropositiv[oa]",
    r"seropositiv[oa]",
    r"hipertens[oa]",
    r"cel[íi]ac[oa]",
    r"inf[ée]rtil",
    r"TDAH",
)
_PT_ART = r"(?:(?:um|uma|o|a|os|as|do|da|de)\s+)?"
_PT_ART_POSS = r"(?:(?:o|a|os|as|um|uma|meu|minha|meus|minhas|o\s+meu|a\s+minha|os\s+meus|as\s+minhas)\s+)?"
_PT_DRUG = _alt(
    r"quimio(?:terapia)?",
    r"radioterapia",
    r"imunoterapia",
    r"insulina",
    r"metformina",
    r"glifage",
    r"estatinas?",
    r"sinvastatina",
    r"atorvastatina",
    r"rosuvastatina",
    r"antidepressivos?",
    r"sertralina",
    r"citalopram",
    r"escitalopram",
    r"fluoxetina",
    r"venlafaxina",
    r"paroxetina",
    r"ansiol[íi]ticos?",
    r"rivotril",
    r"clonazepam",
    r"l[íi]tio",
    r"levotiroxina",
    r"puran",
    r"euthyrox",
    r"rem[ée]dios?\s+(?:para|de|da|pra|pro)\s+(?:a\s+|o\s+)?(?:press[ãa]o|diabetes|tireoide|tiroide|ansiedade|"
    r"depress[ãa]o|colesterol|tens[ãa]o)",
    r"anti-?hipertensivos?",
    r"losartana?",
    r"anticoncepcionais?",
    r"p[íi]lula(?:\s+anticoncepcional)?",
    r"DIU",
    r"implanon",
    r"di[áa]lise",
    r"hemodi[áa]lise",
    r"ritalina",
    r"venvanse",
    r"ozempic",
    r"bombinha",
    r"inalador",
    r"cortic[óo]ides?",
    r"horm[ôo]nios",
    r"tratamento(?:\s+hormonal)?",
    r"rem[ée]dios?",
    r"medicamentos?",
    r"medica[çc][ãa]o",
    r"comprimidos",
)
_PT_PROC = _alt(
    r"quimio(?:terapia)?",
    r"radioterapia",
    r"di[áa]lise",
    r"hemodi[áa]lise",
    r"cirurgia",
    r"opera[çc][ãa]o",
    r"transplante(?:\s+de\s+\w+)?",
    r"ces[áa]rea",
    r"cesariana",
    r"FIV",
    r"fertiliza[çc][ãa]o\s+in\s+vitro",
    r"tratamento",
    r"terapia",
    r"mastectomia",
    r"histerectomia",
    r"aborto",
    r"cateterismo",
    r"ponte\s+de\s+safena",
)
_PT_POSS_WORDS = _alt(
    _PT_DIS,
    r"quimio(?:terapia)?",
    r"radioterapia",
    r"insulina",
    r"metformina",
    r"antidepressivos?",
    r"sertralina",
    r"fluoxetina",
    r"escitalopram",
    r"ansiol[íi]ticos?",
    r"rem[ée]dios",
    r"medicamentos",
    r"medica[çc][ãa]o",
    r"tratamento",
    r"cirurgia",
    r"opera[çc][ãa]o",
    r"transplante",
    r"ces[áa]rea",
    r"cesariana",
    r"di[áa]lise",
    r"hemodi[áa]lise",
    r"p[íi]lula",
    r"anticoncepcional",
    r"DIU",
    r"diagn[óo]stico",
    r"psiquiatra",
    r"psic[óo]log[oa]",
    r"terapeuta",
    r"oncologista",
    r"endocrinologista",
    r"glicemia",
    r"glicose",
)
_PT_END = r"(?![\w-])"
_PT_NOT_OTHER = (
    r"(?!\s+(?:na\s+fam[íi]lia|em\s+casa|de\s+dados|de\s+texto|de\s+imagem|de\s+beleza|capilar|est[ée]tico|(?:do|da|dos|das)\s+(?:meu|minha|meus|minhas)"
    r"\s+(?:filh[oa]s?|mar[ií]do|mulher|esposa|m[ãa]e|pai|pacientes?|amig[oa]s?)|(?:em|nos|nas|com|aos|às)\s+"
    r"(?:meus|minhas|os|as)\s+(?:pacientes|clientes|alunos))\b)"
)
_PT_FILLER = _alt(
    r"tamb[ée]m",
    r"j[áa]",
    r"ainda",
    r"agora",
    r"hoje",
    r"recentemente",
    r"finalmente",
    r"oficialmente",
    r"infelizmente",
    r"sim",
    r"eu",
    r"mesmo",
    r"desde\s+(?:\d{4}|os\s+\d+\s+anos|crian[çc]a|pequen[oa]|sempre|"
    r"novinh[oa]|o\s+ano\s+passado|a\s+adolesc[êe]ncia)",
    r"h[áa]\s+(?:\d+|um|uma|dois|duas|tr[êe]s|quatro|cinco|seis|sete|oito|nove|dez|muitos|alguns|poucos)\s+"
    r"(?:anos?|meses|m[êe]s|semanas?|dias?)",
    r"(?:\d+|um|uma|dois|duas|tr[êe]s|cinco|dez)\s+(?:anos?|meses)\s+atr[áa]s",
    r"em\s+\d{4}",
    r"(?:no\s+)?ano\s+passado",
    r"aos\s+\d+(?:\s+anos)?",
    r"(?:do\s+)?tipo\s?[12]",
    r"um",
    r"uma",
)
_PT_FILL = rf"(?:{_PT_FILLER}\s+){{0,4}}"
_PT_MOD = _alt(
    r"pr[óo]pri[oa]s?",
    r"[úu]ltim[oa]s?",
    r"primeir[oa]s?",
    r"nov[oa]s?",
    r"segund[oa]s?",
    r"(?:sess[ãa]o|sess[õo]es|ciclo|ciclos|dose|rem[ée]dio)\s+(?:de|da|do|pra|para\s+a?)",
)

_PT_RULES: list[_Rule] = [
    # (eu) tenho diabetes / tive câncer de mama / estou com cancro / tô com covid / sofro de enxaqueca
    rf"\b(?:eu\s+)?(?:tenho|tive|estou\s+com|t[ôo]\s+com|to\s+com|fiquei\s+com|peguei|sofro\s+de|sofri\s+(?:de|um|uma)|"
    rf"convivo\s+com|vivo\s+com|luto\s+contra|lutei\s+contra|venci|superei|enfrentei|enfrento|descobri|"
    rf"desenvolvi|tenho\s+tido|j[áa]\s+tive|eu\s+tinha|eu\s+estava\s+com)\s+{_PT_FILL}{_PT_ART}{_PT_FILL}"
    rf"{_PT_DIS}{_PT_END}{_PT_NOT_OTHER}",
    # sou diabética tipo 1 / estou grávida de 20 semanas / fiquei grávida / fui diagnosticada com TDAH
    rf"\b(?:eu\s+)?(?:sou|estou|t[ôo]|fiquei|ando|eu\s+(?:estava|era|tava))\s+{_PT_FILL}(?:um\s+|uma\s+)?"
    rf"(?:{_PT_IDENT_SHORT}|em\s+remiss[ãa]o|em\s+tratamento|em\s+(?:quimio(?:terapia)?|radioterapia|di[áa]lise|"
    rf"hemodi[áa]lise|terapia)|paciente\s+(?:oncol[óo]gic[oa]|renal|card[íi]ac[oa]|diab[ée]tic[oa])|"
    rf"sobrevivente\s+d[eo]\s+(?:c[âa]ncer|cancro)|internad[oa]|operad[oa]|"
    rf"al[ée]rgic[oa]\s+(?:a|ao|à|aos|às)\s+(?:p[óo]len|amendoim|penicilina|gl[úu]ten|lactose|frutos\s+do\s+mar|"
    rf"camar[ãa]o|[áa]caros|gatos|pelos|dipirona|abelhas?|leite|ovo)|"
    rf"com\s+\d+\s+semanas\s+de\s+(?:gravidez|gesta[çc][ãa]o)){_PT_END}",
    rf"\b(?:eu\s+)?fui\s+{_PT_FILL}(?:diagnosticad[oa]|internad[oa]|operad[oa]|hospitalizad[oa])"
    rf"(?:\s+(?:com|de|por)\s+{_PT_ART}{_PT_DIS})?{_PT_END}",
    # me diagnosticaram com TDAH / o médico me receitou sertralina / diagnosticaram-me diabetes / me operei
    rf"\bme\s+(?:diagnosticaram|diagnosticou|descobriram|detectaram|detetaram|operaram|operou|receitaram|receitou|"
    rf"passaram|passou|prescreveram|prescreveu|internaram|tiraram|colocaram\s+(?:em|no|na))\s+{_PT_FILL}"
    rf"(?:com\s+)?{_PT_ART}(?:{_PT_DIS}|{_PT_DRUG}|{_PT_PROC}){_PT_END}",
    rf"\b(?:diagnosticaram|receitaram|operaram|detetaram|detectaram|descobriram|prescreveram|passaram)-me\s+"
    rf"{_PT_FILL}(?:com\s+)?{_PT_ART}(?:{_PT_DIS}|{_PT_DRUG}|{_PT_PROC}){_PT_END}",
    rf"\b(?:me\s+operei|operei-me|recebi\s+o\s+diagn[óo]stico(?:\s+(?:de|do|da)\s+{_PT_DIS})?)",
    # fiz quimio / estou fazendo hemodiálise / vou fazer cirurgia / faço terapia / fiz um aborto
    rf"\b(?:eu\s+)?(?:fiz|fa[çc]o|estou\s+fazendo|t[ôo]\s+fazendo|estou\s+a\s+fazer|comecei|terminei|acabei(?:\s+de\s+fazer)?|"
    rf"vou\s+fazer|j[áa]\s+fiz|passei\s+por)\s+{_PT_FILL}{_PT_ART_POSS}{_PT_PROC}{_PT_END}{_PT_NOT_OTHER}",
    # tomo metformina / estou tomando antidepressivos / parei de tomar os remédios / uso insulina / uso DIU
    rf"\b(?:eu\s+)?(?:tomo|tomei|estou\s+tomando|t[ôo]\s+tomando|estou\s+a\s+tomar|ando\s+a\s+tomar|comecei\s+a\s+tomar|"
    rf"parei\s+de\s+tomar|deixei\s+de\s+tomar|voltei\s+a\s+tomar|preciso\s+tomar|tenho\s+que\s+tomar|"
    rf"tenho\s+de\s+tomar|uso|usei|estou\s+usando|aplico|injeto|parei(?:\s+com)?|larguei|suspendi|eu\s+tomava)\s+"
    rf"{_PT_FILL}{_PT_ART_POSS}{_PT_DRUG}{_PT_END}{_PT_NOT_OTHER}",
    # meu diabetes / minha quimio / meus remédios / desde a minha cirurgia / o meu cancro / minha psiquiatra
    rf"\b(?:meu|minha|meus|minhas)\s+(?:{_PT_MOD}\s+){{0,2}}{_PT_POSS_WORDS}{_PT_END}{_PT_NOT_OTHER}",
    # engravidei / abortei / perdi o bebê / estou com 12 semanas de gestação
    r"\b(?:eu\s+)?(?:engravidei|abortei|perdi\s+(?:o\s+|o\s+meu\s+|meu\s+)(?:beb[êe]|nen[êe]m)|perdi\s+(?:a\s+|a\s+minha\s+|"
    r"minha\s+)gravidez)\b",
    # como diabética, eu ... / sendo diabético, ... / como alguém com TDAH, ... (first person must follow)
    rf"\b(?:como|sendo)\s+(?:(?:uma?|pessoa|mulher|homem|m[ãa]e|algu[ée]m)\s+)?(?:{_PT_IDENT_SHORT}|"
    rf"(?:com|que\s+tem|que\s+vive\s+com|portador[a]?\s+de)\s+{_PT_ART}{_PT_DIS})\s*,"
    rf"(?=[^.!?\n]{{0,60}}\b(?:eu|me|meu|minha|meus|minhas|tenho|sou|estou|tomo|posso|digo|sei|fa[çc]o)\b)",
    # minha pressão está 15 por 9 / minha glicose deu 250 / a minha tensão anda alta
    r"\b(?:minha|meu)\s+(?:press[ãa]o(?:\s+arterial)?|tens[ãa]o(?:\s+arterial)?|glicose|glicemia|"
    r"a[çc][úu]car(?:\s+no\s+sangue)?|hemoglobina\s+glicada|glicada|colesterol)\s+(?:\S+\s+){0,3}?"
    r"(?:\d|alt[ao]|baix[ao]|nas\s+alturas)",
]

_PORTUGUESE = _Language(
    "pt",
    _PT_RULES,
    neg_before=(
        r"(?:\b(?:n[ãa]o|nunca|jamais|nem|sem|nenhum\w*)\s+(?:[^\s,.;!?]+\s+){0,2}|"
        r"\b(?:se|caso|talvez|ser[áa]\s+que|e\s+se|imagina\s+se|mesmo\s+que|acho\s+que|suspeito\s+que|"
        r"medo\s+de|com\s+medo\s+de)\s+(?:eu\s+)?(?:[^\s,.;!?]+\s+){0,1})$"
    ),
    neg_inside=r"\b(?:n[ãa]o|nunca|jamais|nem|nenhum|nenhuma|sem)\b",
)


# =====================================================================================================================
# Russian (ru): stems with case endings (диабет, диабета, диабетом ...)
# =====================================================================================================================

_RU_DIS = _alt(
    # metabolic, cardiovascular
    r"(?:сахарн\w+\s+)?диабет(?!олог)\w*(?:\s+(?:1|2|I|II|первого|второго)(?:-?го)?\s+типа)?",
    r"преддиабет\w*",
    r"гипертони(?!к)\w*",
    r"гипертензи\w*",
    r"(?:высок\w+|повышенн\w+)\s+(?:артериальн\w+\s+)?давлени\w*",
    r"инфаркт\w*",
    r"инсульт\w*",
    r"(?:почечн|сердечн)\w+\s+недостаточност\w*",
    r"холестерин\w*",
    # cancer ("рак" is also a crayfish or a star sign, so only its case forms and never "я рак")
    r"рак(?:а|ом|е|у)?(?:\s+(?:груди|молочной\s+железы|л[её]гких|простаты|предстательной\s+железы|кожи|яичников|"
    r"шейки\s+матки|матки|кишечника|прямой\s+кишки|толстой\s+кишки|щитовидки|щитовидной\s+железы|крови|желудка|"
    r"печени|почки|мозга|поджелудочной(?:\s+железы)?))?",
    r"онкологи[яиюей]",
    r"опухол\w*",
    r"лейкоз\w*",
    r"лейкеми\w*",
    r"лимфом\w*",
    r"меланом\w*",
    r"карцином\w*",
    r"миелом\w*",
    # chronic, respiratory, neurological, autoimmune
    r"(?:бронхиальн\w+\s+)?астм(?!атик)\w*",
    r"эпилепси\w*",
    r"мигрен\w*",
    r"рассеянн\w+\s+склероз\w*",
    r"гипотиреоз\w*",
    r"гипертиреоз\w*",
    r"тиреоидит\w*",
    r"АИТ",
    r"Хашимото",
    r"(?:проблем\w+|болезн\w+)\s+(?:со?\s+)?щитовидк\w+",
    r"болезн\w+\s+(?:Крона|Паркинсона|Альцгеймера|Бехтерева)",
    r"целиаки\w*",
    r"псориаз\w*",
    r"экзем\w*",
    r"фибромиалги\w*",
    r"артрит\w*",
    r"артроз\w*",
    r"ревматизм\w*",
    r"аллерги(?!к)\w*",
    r"поллиноз\w*",
    r"волчанк\w*",
    r"подагр\w*",
    r"ВИЧ",
    r"СПИД\w*",
    r"гепатит\w*(?:\s+[ABCАВСЦ])?",
    r"постковид\w*",
    r"лонг[- ]?ковид\w*",
    r"ковид\w*",
    r"коронавирус\w*",
    # mental health, neurodivergence
    r"депресси\w*",
    r"тревожн\w+\s+расстройств\w*",
    r"тревожност\w*",
    r"паническ\w+\s+(?:атак|расстройств)\w*",
    r"биполярн\w+\s+(?:аффективн\w+\s+)?расстройств\w*",
    r"БАР",
    r"СДВГ",
    r"аутизм\w*",
    r"РАС",
    r"синдром\w*\s+Аспергера",
    r"ОКР",
    r"ПТСР",
    r"анорекси\w*",
    r"булими\w*",
    r"шизофрени\w*",
    r"выгорани\w*",
    # reproductive
    r"эндометриоз\w*",
    r"СПКЯ",
    r"поликистоз\w*(?:\s+яичников)?",
    r"бесплоди\w*",
    r"выкидыш\w*",
    r"замерш\w+\s+беременност\w*",
    r"внематочн\w+\s+беременност\w*",
)
_RU_IDENT = _alt(
    r"диабетик\w*",
    r"диабетичк\w*",
    r"астматик\w*",
    r"беременн\w*",
    r"аутист\w*",
    r"эпилептик\w*",
    r"ВИЧ-положительн\w+",
    r"ВИЧ-инфицированн\w+",
    r"гипертоник\w*",
    r"аллергик\w*",
    r"онкобольн\w+",
    r"биполярник\w*",
    r"сердечник\w*",
    r"в\s+ремиссии",
    r"на\s+(?:инсулине|метформине|антидепрессантах|гормонах|диализе|гемодиализе|химиотерапии|статинах|литии|"
    r"таблетках\s+от\s+давления|ЗГТ)",
    r"на\s+\d+[-\w]*\s+(?:неделе|месяце)\s+беременности",
)
_RU_MED = _alt(
    r"химиотерапи\w*",
    r"химию",
    r"лучев\w+\s+терапи\w*",
    r"облучени\w*",
    r"радиотерапи\w*",
    r"иммунотерапи\w*",
    r"гормональн\w+\s+терапи\w*",
    r"ЗГТ",
    r"инсулин\w*",
    r"метформин\w*",
    r"глюкофаж\w*",
    r"сиофор\w*",
    r"статин\w*",
    r"аторвастатин\w*",
    r"розувастатин\w*",
    r"антидепрессант\w*",
    r"сертралин\w*",
    r"золофт\w*",
    r"циталопрам\w*",
    r"эсциталопрам\w*",
    r"флуоксетин\w*",
    r"прозак\w*",
    r"венлафаксин\w*",
    r"пароксетин\w*",
    r"феварин\w*",
    r"транквилизатор\w*",
    r"нейролептик\w*",
    r"лити[йяюем]",
    r"(?:L-|л-)?тироксин\w*",
    r"эутирокс\w*",
    r"левотироксин\w*",
    r"(?:таблетк|препарат|лекарств)\w*\s+от\s+давлени\w+",
    r"гормон\w*",
    r"(?:оральн\w+\s+)?контрацептив\w*",
    r"противозачаточн\w+(?:\s+таблетк\w+)?",
    r"спирал\w+",
    r"(?:гемо)?диализ\w*",
    r"трансплантаци\w*",
    r"пересадк\w+\s+(?:почки|печени|сердца|костного\s+мозга)",
    r"операци\w*",
    r"кесарев\w*(?:\s+сечени\w*)?",
    r"риталин\w*",
    r"оземпик\w*",
    r"ингалятор\w*",
    r"ЭКО",
    r"уколы\s+инсулина",
    r"психотерапи\w*",
    r"терапи\w*",
    r"лечени\w*",
    r"лекарств\w*",
    r"таблетк\w*",
    r"препарат\w*",
)
_RU_POSS_WORDS = _alt(
    _RU_DIS,
    _RU_MED,
    r"беременност\w*",
    r"диагноз\w*",
    r"онколог(?:а|у|ом|е)?",
    r"эндокринолог\w*",
    r"психиатр\w*",
    r"психотерапевт\w*",
    r"диабетолог\w*",
)
_RU_END = r"(?![\w-])"
_RU_FILLER = _alt(
    r"уже",
    r"тоже",
    r"также",
    r"давно",
    r"ещё",
    r"еще",
    r"же",
    r"есть",
    r"был",
    r"была",
    r"было",
    r"были",
    r"нашли",
    r"обнаружили",
    r"диагностировали",
    r"выявили",
    r"подтвердили",
    r"подтвердился",
    r"подтвердилась",
    r"случился",
    r"случилась",
    r"случилось",
    r"начался",
    r"началась",
    r"началось",
    r"развился",
    r"развилась",
    r"недавно",
    r"сейчас",
    r"теперь",
    r"с\s+детства",
    r"с\s+рождения",
    r"с\s+юности",
    r"с\s+\d+(?:\s+лет)?",
    r"\d+\s+(?:лет|год|года|месяцев|месяца)",
    r"в\s+\d{4}(?:\s+году)?",
    r"в\s+(?:прошлом|этом)\s+году",
    r"(?:\d+\s+)?(?:лет|года?|месяцев|месяца|недел[юи])\s+назад",
    r"хроническ\w+",
    r"тяж[её]л\w+",
    r"сильн\w+",
    r"(?:1|2|первый|второй)\s+тип(?:а)?",
    r"\d+[- ]?(?:я|й)?\s+стади\w+",
    r"диагноз:?",
    r"официально",
    r"в\s+больнице",
    r"дважды",
    r"опять",
    r"снова",
    r"сама",
    r"сам",
)
_RU_FILL = rf"(?:{_RU_FILLER}\s+){{0,5}}"
_RU_POSS = r"(?:(?:мой|моя|мо[её]|мои|моего|моей|моему|моим|мо[её]м|моих|моими|мою)\s+)"
_RU_MOD = _alt(
    r"собственн\w+",
    r"последн\w+",
    r"перв\w+",
    r"втор\w+",
    r"нов\w+",
    r"ежедневн\w+",
    r"хроническ\w+",
    r"(?:курс\w*|дозы?|сеанс\w*)",
    r"(?:1|2)-?го\s+типа",
)
_RU_NOT_OTHER = (
    r"(?!\s+(?:у\s+)?(?:мамы|мамин\w*|папы|мужа|жены|сына|дочери|дочки|ребенка|ребёнка|детей|бабушки|дедушки|"
    r"подруги|друга|пациент\w*|клиент\w*)\b)"
)
_RU_PAST_LEAD = (
    r"(?:(?:в\s+\d{4}(?:\s+году)?|год\s+назад|недавно|в\s+прошлом\s+году|(?:\d+\s+)?(?:лет|года?|месяц\w*)\s+назад|"
    r"тоже|сама|сам|уже|дважды|тогда)\s+)*"
)

_RU_RULES: list[_Rule] = [
    # у меня диабет 2 типа / у меня был инфаркт / у меня нашли рак груди / у меня онкология
    rf"\bу\s+меня\s+{_RU_FILL}(?:{_RU_DIS}|операци\w*|химиотерапи\w*|(?:гемо)?диализ\w*|кесарев\w*)"
    rf"{_RU_END}{_RU_NOT_OTHER}(?!\s+по\s+гороскопу)",
    # диабет у меня с 2010 года
    rf"\b{_RU_DIS}\s+у\s+меня\b",
    # мне поставили диагноз / мне назначили метформин / мне сделали операцию / мне удалили опухоль
    rf"\bмне\s+{_RU_FILL}(?:поставили|диагностировали|нашли|обнаружили|выявили|сделали|удалили|назначили|прописали|"
    rf"выписали|пересадили|делают|колют|провели|вырезали|подтвердили|ставят|назначают|отменили)\s+{_RU_FILL}"
    rf"(?:диагноз\w*|{_RU_DIS}|{_RU_MED}){_RU_END}",
    # я болею диабетом / я живу с ВИЧ / я перенесла инсульт / я лечусь от депрессии
    rf"\bя\s+(?:[^\s,.;!?]+\s+)?(?:болею|болела|болел|болен|больна|страдаю|страдала|страдал|живу|жила|жил|борюсь|"
    rf"боролась|боролся|переболел\w*|перенесла|перен[её]с|победил\w*|вылечил\w*|лечусь|лечилась|лечился|"
    rf"наблюдаюсь|заболела|заболел|лежала|лежал)\s+{_RU_FILL}(?:с\s+|со\s+|от\s+|на\s+)?{_RU_DIS}{_RU_END}",
    rf"\bя\s+(?:[^\s,.;!?]+\s+)?(?:перенесла|перен[её]с)\s+{_RU_FILL}(?:операци\w*|кесарев\w*|трансплантаци\w*|"
    rf"пересадк\w*|химиотерапи\w*){_RU_END}",
    # present-tense first person without "я" is unambiguous: болею диабетом 10 лет / живу с ВИЧ
    rf"\b(?:болею|страдаю|борюсь|лечусь|наблюдаюсь|живу)\s+{_RU_FILL}(?:с\s+|со\s+|от\s+|на\s+)?{_RU_DIS}{_RU_END}",
    # past tense without "я" (could be anyone): "Перенесла инсульт в 40." only with the guard
    (
        rf"{_S}{_RU_PAST_LEAD}(?:болела|болел|перенесла|перен[её]с|переболела|переболел|заболела|заболел|лечилась|"
        rf"лечился|боролась|боролся|победила|победил)\s+{_RU_FILL}(?:с\s+|со\s+|от\s+)?{_RU_DIS}{_RU_END}",
        True,
    ),
    # я диабетик / я беременна / я на 12 неделе беременности / я на инсулине / я в ремиссии
    rf"\bя\s+{_RU_FILL}(?:[—–-]\s*)?{_RU_IDENT}{_RU_END}",
    (rf"{_S}(?:{_RU_PAST_LEAD})(?:беременна|в\s+ремиссии)\b", True),
    rf"\bсижу\s+{_RU_FILL}на\s+{_RU_MED}{_RU_END}",
    # принимаю метформин / пью антидепрессанты / колю инсулин (first-person present)
    rf"\b(?:я\s+(?:[^\s,.;!?]+\s+)?)?(?:принимаю|пью|колю|колюсь|прохожу)\s+{_RU_FILL}(?:курс\s+)?{_RU_POSS}?"
    rf"{_RU_MED}{_RU_END}",
    # я бросила пить таблетки / я начал принимать статины / я прошла химиотерапию
    rf"\bя\s+(?:[^\s,.;!?]+\s+)?(?:принимала|принимал|пила|пил|начала|начал|бросила|бросил|перестала|перестал|"
    rf"закончила|закончил|прошла|прош[её]л|проходила|проходил|сделала|сделал|слезла|слез|отменила|отменил|кололась|"
    rf"кололся)\s+(?:принимать\s+|пить\s+|колоть\s+|курс\s+)?{_RU_FILL}{_RU_POSS}?{_RU_MED}{_RU_END}",
    (
        rf"{_S}{_RU_PAST_LEAD}(?:начала|начал|бросила|бросил|перестала|перестал|закончила|закончил|прошла|прош[её]л)\s+"
        rf"(?:принимать\s+|пить\s+|колоть\s+|курс\s+)?{_RU_FILL}{_RU_MED}{_RU_END}",
        True,
    ),
    # мой диабет / моя беременность / мои антидепрессанты / после моего инфаркта / мой онколог
    rf"\b{_RU_POSS}(?:{_RU_MOD}\s+){{0,2}}{_RU_POSS_WORDS}{_RU_END}{_RU_NOT_OTHER}",
    # как диабетик, я ... / будучи беременной, я ... (first person must follow)
    rf"\b(?:как|будучи)\s+(?:(?:человек|женщина|мужчина|мама|пациент\w*)\s+(?:с|со)\s+{_RU_DIS}|{_RU_IDENT}|"
    rf"онкобольн\w+)(?:\s+со\s+стажем)?\s*,(?=[^.!?\n]{{0,60}}\b(?:я|мне|меня|мой|моя|мои|мо[её]|сама|сам|скажу|"
    rf"говорю|знаю|могу|считаю)\b)",
    # у меня давление 150 на 90 / мой сахар утром 7,5 / сахар у меня 12
    r"(?:\bу\s+меня\s+|\bмо[её]\s+|\bмой\s+)(?:артериальное\s+|верхнее\s+)?(?:давление|сахар(?:\s+в\s+крови)?|"
    r"уровень\s+сахара|глюкоза|гликированный\s+гемоглобин|холестерин)\s+(?:[^\s.!?]+\s+){0,3}?(?:\d|зашкаливает|"
    r"скачет|высок\w+|повышен\w*)",
    r"\b(?:давление|сахар)\s+у\s+меня\s+(?:[^\s.!?]+\s+){0,3}?\d",
    # я забеременела / (guarded) Забеременела в 38.
    r"\bя\s+(?:[^\s,.;!?]+\s+)?забеременела\b",
    (rf"{_S}{_RU_PAST_LEAD}забеременела\b", True),
]

_RUSSIAN = _Language(
    "ru",
    _RU_RULES,
    neg_before=(
        r"(?:\b(?:не|нет|ни|никогда|без|нету)\s+(?:[^\s,.;!?]+\s+){0,2}|"
        r"\b(?:если|вдруг|может|возможно|разве|неужели|чтобы|будто|боюсь|кажется|похоже|наверное|подозреваю|"
        r"вероятно|вдруг)\b,?\s*(?:быть\s+)?,?\s*(?:что\s+)?(?:[^\s,.;!?]+\s+){0,1})$"
    ),
    neg_inside=r"(?<!\w)(?:не|нет|ни|никогда|бы|без|нету)(?!\w)",
    neg_after=r"^\s*(?:у\s+меня\s+)?(?:нет|нету|не\s|так\s+и\s+не)",
    question_after=r"(?<!\w)ли(?!\w)",
    other_person=(
        r"\b(?:мам[аеуы]|мамочк\w*|мать|матери|пап[аеуы]|отец|отца|муж\w*|жена|жены|жене|сын\w*|доч\w*|реб[её]н\w*|"
        r"дет\w*|брат\w*|сестр\w*|бабушк\w*|дедушк\w*|подруг\w*|друг\w*|знаком\w*|коллег\w*|сосед\w*|пациент\w*|"
        r"он|она|они|его|её|ее|т[её]т\w*|дяд\w*|свекров\w*|т[её]щ\w*|внук\w*|внучк\w*)\b"
    ),
    first_person=r"\b(?:я|мне|меня|мной|мой|моя|мо[её]|мои|сама|сам)\b",
)


# =====================================================================================================================
# Bulgarian (bg): definite articles are suffixes (диабетът, астмата); "ми" after a noun means "my" (майка ми)
# =====================================================================================================================

_BG_DIS = _alt(
    # metabolic, cardiovascular
    r"(?:захарен\s+)?диабет(?:ът|а)?(?:\s+(?:тип\s+)?(?:1|2|I|II)(?:\s+тип)?)?",
    r"преддиабет",
    r"хипертония(?:та)?",
    r"(?:високо|повишено)\s+(?:кръвно(?:то)?(?:\s+налягане)?|налягане)",
    r"инфаркт(?:ът|а)?",
    r"инсулт(?:ът|а)?",
    r"бъбречна\s+недостатъчност",
    r"сърдечна\s+недостатъчност",
    r"холестерол(?:ът|а)?",
    # cancer ("рак" only as a noun after a first-person verb; never "аз съм рак", a star sign)
    r"рак(?:ът|а)?(?:\s+(?:на\s+)?(?:гърдата|дебелото\s+черво|простатата|белия\s+дроб|белите\s+дробове|кожата|"
    r"яйчниците|маточната\s+шийка|щитовидната\s+жлеза|кръвта|стомаха|черния\s+дроб|панкреаса))?",
    r"онкологично\s+заболяване",
    r"тумор(?:ът|а)?",
    r"левкемия(?:та)?",
    r"лимфом(?:ът|а)?",
    r"меланом(?:ът|а)?",
    # chronic, respiratory, neurological, autoimmune
    r"астма(?:та)?",
    r"епилепсия(?:та)?",
    r"мигрена(?:та)?",
    r"мигрени(?:те)?",
    r"множествена\s+склероза",
    r"хипотиреоидизъм",
    r"хипотиреоидизма",
    r"хипотиреоза(?:та)?",
    r"хипертиреоидизъм",
    r"хипертиреоза(?:та)?",
    r"Хашимото",
    r"проблеми\s+с\s+щитовидната(?:\s+жлеза)?",
    r"болест(?:та)?\s+на\s+(?:Крон|Паркинсон|Алцхаймер)",
    r"цьолиакия(?:та)?",
    r"псориазис",
    r"фибромиалгия(?:та)?",
    r"артрит(?:ът|а)?",
    r"артроза(?:та)?",
    r"алергия(?:та)?",
    r"алергии(?:те)?",
    r"сенна\s+хрема",
    r"лупус",
    r"ХИВ",
    r"HIV",
    r"СПИН",
    r"хепатит(?:\s+[ABCБВС])?",
    r"(?:дълъг|продължителен)\s+ковид",
    r"постковид\w*",
    r"лонг\s+ковид",
    r"ковид",
    r"covid",
    r"коронавирус",
    # mental health, neurodivergence
    r"депресия(?:та)?",
    r"тревожност(?:та)?",
    r"тревожно\s+разстройство",
    r"паник\s*атаки",
    r"панически\s+атаки",
    r"биполярно(?:то)?\s+разстройство",
    r"ADHD",
    r"СДВХ",
    r"ХАДВ",
    r"аутизъм",
    r"аутизма",
    r"аутизмът",
    r"Аспергер",
    r"ОКР",
    r"ПТСР",
    r"анорексия",
    r"булимия",
    r"шизофрения(?:та)?",
    r"бърнаут",
    # reproductive
    r"ендометриоза(?:та)?",
    r"СПКЯ",
    r"поликистозни\s+яйчници",
    r"поликистоза",
    r"безплодие(?:то)?",
    r"спонтанен\s+аборт",
    r"помятане",
    r"аборт",
    r"бременност(?:та)?",
)
_BG_IDENT = _alt(
    r"диабетик",
    r"диабетичка",
    r"бременна",
    r"астматик",
    r"астматичка",
    r"аутист(?:ка)?",
    r"епилептик",
    r"епилептичка",
    r"ХИВ[- ]позитив(?:ен|на)",
    r"хипертоник",
    r"хипертоничка",
    r"онкоболн(?:а|ен)",
    r"алергич(?:ен|на)\s+(?:към|на)\s+\w+",
    r"в\s+ремисия",
    r"на\s+(?:инсулин|метформин|антидепресанти|хормони|диализа|химиотерапия|химио|лечение)",
)
_BG_MED = _alt(
    r"химиотерапия(?:та)?",
    r"химио",
    r"лъчетерапия(?:та)?",
    r"облъчване(?:то)?",
    r"инсулин(?:ът|а)?",
    r"метформин(?:ът|а)?",
    r"статини(?:те)?",
    r"антидепресанти(?:те)?",
    r"антидепресант(?:ът|а)?",
    r"сертралин",
    r"циталопрам",
    r"есциталопрам",
    r"флуоксетин",
    r"венлафаксин",
    r"(?:лекарства(?:та)?|хапчета(?:та)?|таблетки(?:те)?)\s+за\s+(?:кръвно(?:то)?|налягане(?:то)?|щитовидната(?:\s+жлеза)?|"
    r"диабет|захар|депресия|тревожност)",
    r"противозачатъчни(?:те)?(?:\s+хапчета)?",
    r"спирала(?:та)?",
    r"(?:хемо)?диализа(?:та)?",
    r"трансплантация(?:та)?",
    r"L-тироксин",
    r"Еутирокс",
    r"Euthyrox",
    r"левотироксин",
    r"Оземпик",
    r"Ozempic",
    r"инхалатор(?:а|ът)?",
    r"хормони(?:те)?",
    r"ин\s+витро",
    r"лечение(?:то)?",
    r"лекарства(?:та)?",
    r"хапчета(?:та)?",
    r"таблетки(?:те)?",
    r"терапия(?:та)?",
    r"психотерапия(?:та)?",
)
_BG_PROC = _alt(r"операция(?:та)?", r"секцио(?:то)?", r"цезарово\s+сечение", r"мастектомия(?:та)?")
_BG_POSS_WORDS = _alt(_BG_DIS, _BG_MED, _BG_PROC, r"диагноза(?:та)?", r"кръвно(?:то)?", r"захар(?:та)?")
_BG_END = r"(?![\w-])"
_BG_KIN = (
    r"(?:майка|баща|мъжа|мъжът|съпруга|съпругът|съпругата|жена|сина|синът|дъщеря|брат|брата|сестра|баба|дядо|"
    r"приятел\w*|колег\w*|детето|бебето|леля|чичо|вуйчо|свекърва|тъща|половинката|гаджето|мама|татко|пациент\w*)"
)
_BG_FILLER = _alt(
    r"вече",
    r"също",
    r"отдавна",
    r"от\s+\d+\s+(?:години|месеца|години|седмици)",
    r"от\s+дете",
    r"от\s+детството",
    r"от\s+\d{4}(?:\s+г\.?)?",
    r"от\s+малк[аи]",
    r"от\s+години",
    r"\d+\s+години",
    r"тежк[аo]",
    r"хроничн[аo]",
    r"хроничен",
    r"лек[аo]",
    r"тип\s+[12]",
    r"и",
    r"един",
    r"една",
    r"едно",
    r"сега",
    r"наскоро",
    r"пак",
    r"отново",
    r"миналата\s+година",
    r"през\s+\d{4}(?:\s+г\.?)?",
)
_BG_FILL = rf"(?:{_BG_FILLER}\s+){{0,4}}"

_BG_RULES: list[_Rule] = [
    # имам диабет / имах инфаркт / страдам от мигрена / живея с ХИВ / преживях инсулт / хванах ковид
    rf"\b(?:аз\s+)?(?:имам|имах|страдам\s+от|страдах\s+от|живея\s+с|боледувам\s+от|боледувах\s+от|борих\s+се\s+с|"
    rf"боря\s+се\s+с|преборих|преживях|прекарах|изкарах|получих|хванах|лекувам\s+се\s+от|лекувах\s+се\s+от)\s+"
    rf"{_BG_FILL}{_BG_DIS}{_BG_END}(?!\s+(?:в\s+(?:семейството|рода)|по\s+зодия))",
    # имала съм рак / съм боледувала от депресия
    rf"\b(?:имал[аи]?|боледувал[аи]?|прекарал[аи]?|преживял[аи]?)\s+съм\s+{_BG_FILL}(?:от\s+)?{_BG_DIS}{_BG_END}",
    rf"\b(?:съм|бях)\s+(?:имал[аи]?|боледувал[аи]?|прекарал[аи]?|преживял[аи]?)\s+{_BG_FILL}(?:от\s+)?{_BG_DIS}{_BG_END}",
    # откриха ми рак / (на мен) ми поставиха диагноза / изписаха ми метформин / направиха ми операция
    rf"(?:\b(?:на\s+мен\s+)?ми\s+(?:откриха|поставиха|диагностицираха|установиха|откриват|направиха|изписаха|"
    rf"предписаха|назначиха|сложиха|правят|махнаха|премахнаха|отстраниха)|\b(?:откриха|поставиха|диагностицираха|"
    rf"установиха|направиха|изписаха|предписаха|назначиха|сложиха|махнаха|премахнаха|отстраниха)\s+ми)\s+"
    rf"{_BG_FILL}(?:диагноза|{_BG_DIS}|{_BG_MED}|{_BG_PROC}){_BG_END}",
    rf"\b{_BG_DIS}\s+ми\s+(?:откриха|поставиха|установиха|диагностицираха)\b",
    r"\b(?:диагностицираха|оперираха|хоспитализираха)\s+ме\b",
    # бременна съм / аз съм диабетик / на инсулин съм / оперирана съм / болна съм от рак
    rf"\b(?:аз\s+)?(?:съм|бях|станах|останах)\s+{_BG_FILL}(?:{_BG_IDENT}|болн(?:а|ен)\s+от\s+{_BG_DIS}|"
    rf"диагностицирана?\s+с\s+{_BG_DIS}|оперирана?){_BG_END}",
    rf"\b(?:{_BG_IDENT}|болн(?:а|ен)\s+от\s+{_BG_DIS}|диагностицирана?\s+с\s+{_BG_DIS}|оперирана?)\s+"
    rf"(?:{_BG_FILL})(?:съм|бях)\b",
    # забременях / пометнах / родих със секцио
    r"\b(?:забременях|пометнах)\b",
    r"\bродих\s+(?:\S+\s+)?(?:със|чрез|с)\s+(?:секцио|цезарово)",
    # пия метформин / взимам антидепресанти / бия си инсулин / спрях антидепресантите / минах на инсулин
    rf"\b(?:аз\s+)?(?:пия|взимам|вземам|приемам|слагам\s+си|бия\s+си|инжектирам(?:\s+си)?|започнах|спрях|прекратих|"
    rf"отказах|минах\s+на|минавам\s+на|карам|изкарах|минах|правя|ходя\s+на)\s+{_BG_FILL}"
    rf"(?:да\s+(?:пия|взимам|приемам)\s+)?{_BG_MED}{_BG_END}",
    # моят диабет / моята бременност / моите лекарства
    rf"\b(?:моят|моята|моето|моите|мой|моя|мое|мои)\s+(?:последн\w+\s+|нов\w+\s+|собствен\w+\s+)?{_BG_POSS_WORDS}"
    rf"{_BG_END}",
    # clitic "my": диабетът ми / химиотерапията ми / лекарствата ми (not "от рак ми почина баба")
    rf"\b{_BG_POSS_WORDS}(?:(?<=ът)|(?<=ят)|(?<=та)|(?<=то)|(?<=те)|(?<=а))\s+ми\b(?![^.!?\n]{{0,25}}\b{_BG_KIN}\b)",
    # като диабетик, аз ... (first person must follow)
    rf"\bкато\s+(?:{_BG_IDENT}|(?:човек|жена|мъж|майка|пациент(?:ка)?)\s+с\s+{_BG_DIS})\s*,"
    rf"(?=[^.!?\n]{{0,60}}\b(?:аз|ми|ме|мен|съм|моят|моята|мога|знам|казвам|смятам)\b)",
    # кръвното ми е 150 на 90 / захарта ми сутрин е 7 / имам кръвно 160
    r"\b(?:кръвното(?:\s+налягане)?|налягането|захарта|кръвната\s+захар|холестеролът|гликираният\s+хемоглобин)\s+ми\s+"
    r"(?:[^\s.!?]+\s+){0,3}?(?:\d|високо|висока|вдигнато)",
    r"\bимам\s+(?:високо\s+)?кръвно\s+(?:[^\s.!?]+\s+)?\d",
]

_BULGARIAN = _Language(
    "bg",
    _BG_RULES,
    neg_before=(
        rf"(?:\b(?:не|нито|никога|без|няма)\s+(?:[^\s,.;!?]+\s+){{0,2}}|"
        rf"\b(?:ако|дали|ами\s+ако|може\s+би|може\s+да|сякаш|дано|страх\s+ме\s+е,?\s+че|боя\s+се,?\s+че|"
        rf"мисля,?\s+че)\s+(?:[^\s,.;!?]+\s+){{0,1}}|\b{_BG_KIN}\s+)$"
    ),
    neg_inside=r"(?<!\w)(?:не|нямам|нямах|никога|нито|без|няма)(?!\w)",
)


# =====================================================================================================================
# Korean (ko): subject usually dropped, particles attached (당뇨가, 우울증을), negation after the verb
# =====================================================================================================================

_KO_DIS = _alt(
    # metabolic, cardiovascular
    r"(?:제?\s*[12]\s*형\s*)?당뇨(?:병)?",
    r"전\s*당뇨",
    r"당뇨\s*전단계",
    r"임신성\s*당뇨",
    r"고혈압",
    r"고지혈증",
    r"이상지질혈증",
    r"심근\s*경색",
    r"심장\s*마비",
    r"협심증",
    r"뇌졸중",
    r"뇌경색",
    r"뇌출혈",
    r"중풍",
    r"신부전",
    r"통풍",
    # cancer (bare 암 only as a word of its own)
    r"(?:유방|대장|위|폐|간|갑상선|전립선|자궁경부|자궁|난소|췌장|피부|혈액|신장|방광|뇌|식도|담낭|직장|구강)\s*암",
    r"(?<![가-힣])암(?=\s|$|[이을은에도과와]|으로|[.,!?])",
    r"백혈병",
    r"림프종",
    r"흑색종",
    r"(?:뇌|악성)\s*종양",
    r"종양",
    # chronic, respiratory, neurological, autoimmune
    r"천식",
    r"뇌전증",
    r"간질",
    r"편두통",
    r"다발성\s*경화증",
    r"갑상선\s*(?:기능\s*)?(?:저하증|항진증|질환|결절)",
    r"하시모토",
    r"크론병",
    r"궤양성\s*대장염",
    r"건선",
    r"아토피",
    r"섬유\s*근육통",
    r"(?:류마티스\s*)?관절염",
    r"꽃가루\s*알레르기",
    r"알레르기성\s*비염",
    r"알레르기",
    r"알러지",
    r"비염",
    r"루푸스",
    r"파킨슨(?:병)?",
    r"치매",
    r"HIV",
    r"에이즈",
    r"[ABC]\s*형\s*간염",
    r"간염",
    r"롱\s*코비드",
    r"코로나\s*후유증",
    r"코로나",
    # mental health, neurodivergence
    r"우울증",
    r"조울증",
    r"(?:범\s*)?불안\s*장애",
    r"공황\s*(?:장애|발작)",
    r"양극성\s*(?:정동\s*)?장애",
    r"ADHD",
    r"주의력\s*결핍(?:\s*과잉\s*행동\s*장애)?",
    r"자폐(?:증|\s*스펙트럼(?:\s*장애)?)?",
    r"아스퍼거(?:\s*증후군)?",
    r"강박증",
    r"PTSD",
    r"외상\s*후\s*스트레스\s*장애",
    r"거식증",
    r"폭식증",
    r"섭식\s*장애",
    r"조현병",
    r"번아웃",
    # reproductive
    r"자궁\s*내막증",
    r"다낭성\s*난소\s*증후군",
    r"다낭성",
    r"난임",
    r"불임",
    r"계류\s*유산",
)
_KO_MED = _alt(
    r"항암\s*(?:치료|제)?",
    r"화학\s*요법",
    r"방사선\s*치료",
    r"표적\s*치료(?:제)?",
    r"면역\s*치료",
    r"인슐린",
    r"메트포르민",
    r"메트폴민",
    r"다이아벡스",
    r"스타틴",
    r"고지혈증\s*약",
    r"항우울제",
    r"우울증\s*약",
    r"정신과\s*약",
    r"서트랄린",
    r"졸로푸트",
    r"에스시탈로프람",
    r"렉사프로",
    r"플루옥세틴",
    r"프로작",
    r"푸로작",
    r"벤라팍신",
    r"웰부트린",
    r"부프로피온",
    r"신경\s*안정제",
    r"혈압\s*약",
    r"당뇨\s*약",
    r"갑상선\s*약",
    r"씬지로이드",
    r"신지로이드",
    r"(?:경구\s*)?피임약",
    r"미레나",
    r"(?:혈액\s*)?투석",
    r"(?:신장|간|골수|심장|폐)\s*이식",
    r"콘서타",
    r"메틸페니데이트",
    r"ADHD\s*약",
    r"오젬픽",
    r"위고비",
    r"마운자로",
    r"흡입기",
    r"스테로이드",
    r"시험관(?:\s*시술)?",
    r"호르몬\s*(?:치료|요법|제)",
    r"리튬",
    r"약물\s*치료",
    r"정신과\s*치료",
    r"상담\s*치료",
)
_KO_P = r"(?:이|가|을|를|은|는|도|에|으로|로|이랑|랑)?"
# Words that may open a sentence before the condition: "저는 10년 전부터 당뇨가 있어요".
_KO_LEAD = (
    r"(?:(?:저는|전|저도|나는|난|나도|제가|내가|저|나|사실|사실은|실은|솔직히|원래|요즘|최근(?:에)?|지금|현재|"
    r"작년(?:에)?|올해|재작년(?:에)?|어릴\s*때부터|어렸을\s*때부터|오래\s*전부터|예전부터|몇\s*년\s*전부터|"
    r"\d+\s*(?:년|개월|달)\s*(?:전부터|째|전에|전)?|\d+\s*살\s*(?:때부터|때|부터)?|태어날\s*때부터|평생|이미|계속)\s*)"
)
# What a person with a condition says: has it, was diagnosed, suffers, had surgery, is N years in ...
_KO_HAVE = (
    r"(?:있(?:어요|어|습니다|다|음|는데|고|거든요?|었어요|었는데|었습니다|었다|었고|어서|었음)|"
    r"생겼(?:어요|습니다|다|는데|고|어|음)|생겨서|왔(?:어요|습니다|었어요|는데)|와서)(?![가-힣])"
)
_KO_STRONG = (
    r"(?:(?:진단|판정|확진)\s*(?:을|를)?\s*받(?:았|은\s*지|고)|(?:으로|로)\s*진단\s*(?:을|를)?\s*받(?:았|은\s*지|고)|"
    r"진단받(?:았|은\s*지|고)|앓(?:고\s*있|았|아\s*왔)|겪(?:었|고\s*있)|투병\s*(?:중|했|하고|\d+\s*년)|"
    r"걸렸(?:어요|습니다|다|는데|고|어|었)|걸려서|완치\s*(?:됐|했|되었|판정)|극복했|"
    r"수술\s*(?:을|를)?\s*받(?:았|고)|수술\s*했(?:어요|습니다|고|는데|다)|(?:치료|항암)\s*(?:을|를)?\s*받(?:고\s*있|았|는\s*중)|"
    r"\d+\s*년\s*차|환자(?:예요|입니다|이에요|라서|인데|임|야|이고))"
)
_KO_TAKE = (
    r"(?:먹고\s*있|먹어요|먹습니다|먹어|먹었|먹는\s*중|먹은\s*지|복용\s*(?:중|하고\s*있|해요|합니다|했|한\s*지)|"
    r"맞고\s*있|맞아요|맞습니다|맞았|맞는\s*중|맞은\s*지|끊었|끊은\s*지|중단했|시작했|처방\s*(?:을\s*)?받았|받고\s*있|받았|받는\s*중|"
    r"하고\s*있|했(?:어요|습니다|다|고|는데)|"
    r"중(?:이에요|입니다|이고|인데|이라|이야|임)|중(?=\s*[.,!]|\s*$))"
)
_KO_NOT_REL = r"(?!\s*(?:는|은|ㄴ)?\s*(?:사람|분들?|환자|경우|아이|애|친구|분께))"
_KO_POSS = r"(?<![가-힣])(?:제|내|나의|저의)\s+"
_KO_NOT_OTHER = r"(?!\s*(?:환자|아이|아들|딸|엄마|아빠|친구|학생|고객|클리닉|병동|센터|블로그|연구|강의|관련))"
_KO_SENT = r"(?:^|(?<=[.!?\n]))\s*"

_KO_RULES: list[_Rule] = [
    # (저는) 당뇨가 있어요 / 저 고혈압 있어요 / 작년에 뇌졸중이 왔어요 -- only at the start of a sentence
    (rf"{_KO_SENT}{_KO_LEAD}*{_KO_DIS}\s*{_KO_P}\s*{_KO_HAVE}{_KO_NOT_REL}", True),
    # 당뇨 진단을 받았어요 / 우울증을 앓고 있어요 / 암 투병 중 / 유방암 수술 받았어요 / 당뇨 10년차  (guarded)
    (rf"{_KO_DIS}\s*{_KO_P}\s*{_KO_STRONG}{_KO_NOT_REL}", True),
    # 메트포르민 먹고 있어요 / 인슐린 맞고 있어요 / 항암 치료 중이에요 / 항우울제 끊었어요  (guarded)
    (
        rf"{_KO_MED}\s*(?:을|를|도|은|는)?\s*(?:(?:매일|계속|꾸준히|\d+\s*(?:년|개월|달)\s*(?:째|동안|전부터|넘게)?)\s*)*"
        rf"{_KO_TAKE}{_KO_NOT_REL}",
        True,
    ),
    # 임신 12주예요 / 임신 중이에요 / 임신했어요 / 임산부예요 / 유산했어요 / 제왕절개 했어요  (guarded)
    (
        r"임신\s*(?:\d+\s*(?:주|주차|개월|달)(?:\s*(?:예요|이에요|입니다|째|차|인데|이고|임|야))?(?!\s*(?:에|에는|엔|부터|까지|의|이\s*되면|가\s*되면))|"
        r"중(?:이에요|입니다|이고|인데|이라|이야|임)|했(?:어요|습니다|다|어|음|는데|고)|하고\s*있)",
        True,
    ),
    (r"(?:임산부|임신부)(?:예요|이에요|입니다|인데|라서|임|이고)", True),
    (r"(?<![가-힣])유산(?:했|됐|되었|을\s*했|을\s*겪|이\s*됐)", True),
    (r"제왕\s*절개\s*(?:로\s*(?:낳|출산)|를?\s*했|수술\s*(?:을\s*)?받)", True),
    # 제 당뇨 / 내 우울증 / 제 항암 / 제 혈압약
    rf"{_KO_POSS}(?:{_KO_DIS}|{_KO_MED}|임신|진단|수술|치료|약(?:이|을|은|도|만)?(?![가-힣])){_KO_NOT_OTHER}",
    # 저는 ADHD예요 / 저 당뇨인이에요 / 전 암 환자입니다
    rf"(?:저는|전|나는|난|저|나)\s+(?:{_KO_DIS}\s*(?:환자|인|생존자)?|당뇨인|임산부|자폐인)\s*"
    rf"(?:예요|이에요|입니다|이야|야|임|인데|이라서|라서|이고|이지만)",
    # 당뇨인으로서 제가 ... / 암 환자로서 저는 ... (first person must follow)
    rf"(?:{_KO_DIS}\s*(?:환자|인|생존자)|당뇨인|임산부)\s*(?:으로서|로서|입장에서)"
    rf"(?=[^.!?\n]{{0,40}}(?:저는|제가|저도|제\s|나는|내가|내\s|저희))",
    # 제 혈압이 150이에요 / 저는 공복 혈당이 130 나왔어요 / (guarded) 혈당이 300까지 올라갔어요
    r"(?:제|내|저는|나는|전|난)\s+(?:공복\s*)?(?:혈압|혈당|당화\s*혈색소|콜레스테롤)\s*(?:이|은|가|는|수치가|수치는)?\s*"
    r"(?:[^\s.!?]+\s+){0,2}?\d+",
    (
        r"(?:공복\s*)?(?:혈압|혈당|당화\s*혈색소)\s*(?:이|은|가|는|수치가|수치는)?\s*\d+[^.!?\n]{0,12}?"
        r"(?:나왔|나와요|나옵니다|이에요|예요|였어요|이었어요|까지\s*올라갔|까지\s*떨어졌|넘었|넘어요)",
        True,
    ),
]

_KOREAN = _Language(
    "ko",
    _KO_RULES,
    neg_before=r"(?:만약|만일|혹시나?|아마|혹은)\s*(?:[^\s.!?]+\s+){0,2}$",
    neg_inside=r"(?<![가-힣])(?:안|못)\s|않|없|아니|아닌|아님|것\s*같",
    neg_after=r"^\s*(?:지|진|지는|지도)\s*(?:않|못)|^\s*(?:을까|나요|는지|면|다면|으면|ㄹ까)",
    other_person=(
        r"(?:엄마|어머니|어머님|아빠|아버지|아버님|남편|아내|와이프|신랑|아들|딸|아이|애기|아기|친구|동생|언니|오빠|누나|"
        r"(?<![\d가-힣])형(?:이|은|도|님|이랑)|할머니|할아버지|시어머니|시아버지|장모|장인|이모|고모|삼촌|사촌|조카|"
        r"환자분|환자들|사람들|그분|그녀|그는|그가|지인|이웃|동료|선배|후배|부모님|가족)"
    ),
    first_person=r"(?:저는|전\s|저도|제가|나는|난\s|나도|내가|저\s|제\s|내\s|저의|나의|저희)",
)


# =====================================================================================================================
# Simplified Chinese (zh): no spaces, so no \b; 我 may be dropped; negation 没/不 precedes the verb
# =====================================================================================================================

_ZH_NUM = r"[\d一二三四五六七八九十两几半]+"
_ZH_DIS = _alt(
    # metabolic, cardiovascular
    r"(?:[12一二]|I{1,2}|Ⅰ|Ⅱ)型糖尿病",
    r"妊娠期?糖尿病",
    r"糖尿病(?:前期)?",
    r"高血压",
    r"高血脂",
    r"高胆固醇",
    r"高血糖",
    r"心梗",
    r"心肌梗[死塞]",
    r"心脏病(?:发作)?",
    r"中风",
    r"脑梗(?:塞)?",
    r"脑卒中",
    r"脑出血",
    r"肾衰(?:竭)?",
    r"尿毒症",
    r"痛风",
    # cancer
    r"(?:乳腺|结肠|直肠|结直肠|肠|前列腺|肺|皮肤|卵巢|宫颈|子宫内膜|胰腺|甲状腺|胃|肝|鼻咽|食道|食管|膀胱|肾|脑|骨|血)癌",
    r"癌症",
    r"癌(?=了|[，,。.!！\s]|$)",
    r"白血病",
    r"(?:非霍奇金)?淋巴瘤",
    r"(?:脑|恶性)?肿瘤",
    r"黑色素瘤",
    r"骨髓瘤",
    # chronic, respiratory, neurological, autoimmune
    r"哮喘",
    r"癫痫",
    r"偏头痛",
    r"多发性硬化",
    r"甲减",
    r"甲亢",
    r"甲状腺(?:功能)?(?:减退|亢进)(?:症)?",
    r"桥本(?:甲状腺炎)?",
    r"甲状腺结节",
    r"克罗恩病",
    r"乳糜泻",
    r"银屑病",
    r"牛皮癣",
    r"湿疹",
    r"纤维肌痛",
    r"类风湿(?:性)?(?:关节炎)?",
    r"关节炎",
    r"过敏性鼻炎",
    r"花粉症",
    r"花粉过敏",
    r"过敏",
    r"红斑狼疮",
    r"狼疮",
    r"帕金森",
    r"阿尔茨海默",
    r"老年痴呆",
    r"艾滋病?",
    r"HIV",
    r"[乙丙甲]肝",
    r"[乙丙甲]型肝炎",
    r"肝炎",
    r"长新冠",
    r"新冠后遗症",
    r"新冠",
    # mental health, neurodivergence
    r"(?:重度|中度|轻度)?抑郁症",
    r"(?:重度|中度|轻度)抑郁",
    r"抑郁",
    r"焦虑症",
    r"焦虑障碍",
    r"广泛性焦虑",
    r"惊恐障碍",
    r"惊恐发作",
    r"双相(?:情感)?(?:障碍)?",
    r"躁郁症",
    r"多动症",
    r"ADHD",
    r"注意力缺陷",
    r"自闭症",
    r"孤独症",
    r"阿斯伯格(?:综合征)?",
    r"强迫症",
    r"创伤后应激障碍",
    r"PTSD",
    r"厌食症",
    r"暴食症",
    r"进食障碍",
    r"精神分裂(?:症)?",
    # reproductive
    r"子宫内膜异位(?:症)?",
    r"内异症",
    r"多囊(?:卵巢)?(?:综合征)?",
    r"不孕(?:症)?",
    r"不育(?:症)?",
)
_ZH_MED_DRUG = _alt(
    r"化疗",
    r"放疗",
    r"靶向(?:药|治疗)?",
    r"免疫治疗",
    r"胰岛素",
    r"二甲双胍",
    r"他汀(?:类)?(?:药)?",
    r"阿托伐他汀",
    r"瑞舒伐他汀",
    r"抗抑郁药",
    r"抗焦虑药",
    r"精神类药物?",
    r"舍曲林",
    r"西酞普兰",
    r"艾司西酞普兰",
    r"氟西汀",
    r"百忧解",
    r"文拉法辛",
    r"帕罗西汀",
    r"度洛西汀",
    r"米氮平",
    r"碳酸锂",
    r"锂盐",
    r"喹硫平",
    r"阿立哌唑",
    r"降压药",
    r"降糖药",
    r"降脂药",
    r"甲状腺药",
    r"优甲乐",
    r"左甲状腺素(?:钠)?",
    r"(?:短效|紧急)?避孕药",
    r"(?:血液)?透析",
    r"血透",
    r"腹透",
    r"激素(?:治疗)?",
    r"吸入器",
    r"司美格鲁肽",
    r"利拉鲁肽",
    r"诺和泰",
    r"利他林",
    r"专注达",
    r"择思达",
)
_ZH_MED = _alt(_ZH_MED_DRUG, r"(?:肾|肝|骨髓|心脏|肺)移植", r"剖腹产", r"剖宫产", r"手术", r"试管(?:婴儿)?", r"上环")
_ZH_ADV = (
    r"(?:也|还|一直|从小|从小就|去年|今年|前年|" + _ZH_NUM + r"年前|已经|本身|自己|早就|刚|刚刚|才|之前|以前|最近|"
    r"前段时间|上个月|上周|就|在" + _ZH_NUM + r"岁(?:时|的时候|那年)?|" + _ZH_NUM + r"岁(?:时|的时候|那年)?)*"
)
_ZH_MID = r"(?:了|过|轻度|中度|重度|严重的?|早期|晚期|[一二三四1-4]期|慢性|一种|一次|两次|个)*"
_ZH_NOT_OTHER = (
    r"(?!人|患者|病人|的(?:朋友|家人|病人|患者|孩子|妈妈|爸爸|父亲|母亲|亲戚|人|话)|科|门诊|病房|专家|医生|协会|"
    r"的?(?:家族史|家族|遗传|风险|倾向|前兆|基因))"
)
_ZH_TIME = (
    r"(?:去年|今年|前年|上个月|上周|这个月|最近|前段时间|前几天|昨天|今天|上次|那年|"
    + _ZH_NUM
    + r"年前|"
    + _ZH_NUM
    + r"个月前|"
    + _ZH_NUM
    + r"岁(?:时|的时候|那年)?|\d{4}年)"
)
_ZH_CS = r"(?:^|(?<=[。！？!?.，,；;\n\s]))"
_ZH_SPAN_OR_LE = r"(?=(?:已经|快|差不多|都)?" + _ZH_NUM + r"(?:年|个月|周|天)|了)"

_ZH_RULES: list[_Rule] = [
    # 我有糖尿病 / 我得了乳腺癌 / 我确诊了抑郁症 / 我被诊断为双相 / 我去年查出甲减
    rf"我{_ZH_ADV}(?:有|患有|得了|得过|患了|患过|确诊(?:了|为|出)?|被确诊(?:为|了|患有|出)?|查出(?:了|来)?|"
    rf"检查出(?:了)?|诊断出(?:了)?|被诊断(?:为|出|患有)?|得的是|有过|生过){_ZH_MID}{_ZH_DIS}{_ZH_NOT_OTHER}",
    # 自从我确诊后 / 我确诊那年
    rf"我{_ZH_ADV}(?:被)?确诊(?:了)?(?:以后|之后|后|那天|那年|的时候|至今)",
    # 我是糖尿病患者 / 我是一名孕妇 / 我是二型糖友 / 我是ADHD
    rf"我{_ZH_ADV}(?:是|成了|成为了?)(?:一[个名位])?(?:{_ZH_DIS}(?:患者|病人|人|携带者)|糖友|孕妇|准妈妈|癌症幸存者|"
    rf"抗癌(?:人|者)|(?:HIV)?感染者|透析病人|自闭症人士|{_ZH_DIS}(?=[，,。.!！\s]|$))",
    # 我怀孕了 / 我怀孕12周 / 我流产了 / 我阳了 / 我对花生过敏
    rf"我{_ZH_ADV}(?:怀孕了|怀孕{_ZH_NUM}(?:周|个月)|怀了(?:二胎|老二|三胎|宝宝|孩子)|怀着|流产了|流产过|小产了|"
    rf"胎停了|胎停过|做了人流|做过人流|阳了)",
    r"我对[^，。,.\s]{1,8}过敏",
    # 我在吃二甲双胍 / 我每天打胰岛素 / 我在做化疗 / 我做了手术 / 我停药了
    rf"我{_ZH_ADV}(?:在|正在|每天|长期|一直在|开始|也在)?(?:吃|服用|服|打|注射|用|口服|吃着|打着|做(?!手术)|接受|停了?|停掉了?|"
    rf"戒了?|换了)(?:了|过|着)?(?:{_ZH_NUM}(?:年|个月|周|天)(?:的)?|一些|一种|这个)*(?:{_ZH_MED}|药(?=[了，,。.!！\s呢啊]|$))",
    # subject dropped (guarded): 去年确诊乳腺癌 / 确诊二型糖尿病三年了 / 吃二甲双胍三年了 / 孕20周了
    (
        rf"{_ZH_CS}(?:{_ZH_TIME}(?:刚|刚刚|也|才)?(?:确诊|查出|被确诊为?|被诊断为?|诊断出|得了|患上了?)(?:了)?{_ZH_DIS}|"
        rf"(?:刚|刚刚|也|才)?(?:确诊|查出|被确诊为?|被诊断为?|诊断出|得了|患上了?)(?:了)?{_ZH_DIS}{_ZH_SPAN_OR_LE})"
        rf"{_ZH_NOT_OTHER}",
        True,
    ),
    (
        rf"{_ZH_CS}(?:{_ZH_TIME})?(?:一直|每天|长期|已经)?(?:在)?(?:吃|服用|打|注射)(?:了|着)?{_ZH_MED_DRUG}{_ZH_SPAN_OR_LE}",
        True,
    ),
    (rf"{_ZH_CS}(?:{_ZH_TIME})?(?:怀孕|孕){_ZH_NUM}(?:周|个月)(?:了|啦)?(?![的时期后])", True),
    # 我的糖尿病 / 我的化疗 / 我这糖尿病 / 我的降压药 / 我的病
    rf"我(?:的|这个?)(?:{_ZH_DIS}|{_ZH_MED}|药|病|诊断|孕期|治疗|心理医生|精神科医生|主治医生)"
    rf"(?!人|患者|病人|科|门诊|病房|协会|专家|学|店|房|厂|毒|例|刀|室)",
    # 作为糖尿病患者，我 ... (first person must follow)
    rf"作为(?:一[个名位])?(?:{_ZH_DIS}(?:患者|病人)|糖友|孕妇|准妈妈|癌症幸存者|透析病人|(?:HIV)?感染者)"
    rf"(?=[^。！？!?\n]{{0,40}}我)",
    # 我血压160/100 / 我的血糖是7.8 / 我血压高
    r"我(?:的)?(?:血压|血糖|空腹血糖|餐后血糖|糖化(?:血红蛋白)?|胆固醇|血脂)(?:今天|早上|早晨|晚上|现在|最近|一直|才|都|也|"
    r"是|有|在|到了|高达|只有|已经|达到了?|降到了?|升到了?|飙到了?|测出来是?|量出来是?|空腹|餐后|\s)*"
    r"(?:\d|偏高|很高|有点高|高|偏低|低)",
]

_CHINESE = _Language(
    "zh",
    _ZH_RULES,
    neg_before=(
        r"(?:如果|要是|假如|万一|假设|若是|即使|就算|哪怕|担心|害怕|怕|是否|是不是|会不会|可能|也许|以为|怀疑|觉得|感觉|"
        r"好像|似乎|疑似|不是|没|不|别|怎么知道|如何判断)(?:说)?$"
    ),
    neg_inside=r"没|未|不(?![孕育])|别|无(?!法)",
    question_after=r"吗|(?<![怎什那这多])么|的话",
    other_person=(
        r"(?:我妈|我爸|妈妈|爸爸|母亲|父亲|老公|老婆|丈夫|妻子|媳妇|儿子|女儿|孩子|宝宝|朋友|同事|邻居|病人|患者|"
        r"(?<!其)他|她|奶奶|爷爷|姥姥|姥爷|外婆|外公|姐姐|妹妹|哥哥|弟弟|婆婆|公公|岳母|闺蜜|亲戚|表姐|表妹|堂姐|舅舅|"
        r"叔叔|阿姨|姑姑|同学|网友|很多人|有人|别人|大家|人们)"
    ),
    first_person=r"我(?![妈爸们])|本人|自己",
)


# =====================================================================================================================
# Arabic (ar): text is normalised first (no diacritics or tatweel; أ إ آ ٱ -> ا, ى -> ي, ة -> ه), so every pattern
# below is written in that normalised spelling. Prefixes (و ف ب ل ك ال) and suffixes (ي = my) attach to words.
# =====================================================================================================================

_AR_DIACRITICS = re.compile(r"[\u064B-\u0652\u0670\u0640]")
_AR_MAP = str.maketrans({"أ": "ا", "إ": "ا", "آ": "ا", "ٱ": "ا", "ى": "ي", "ة": "ه"})


def _ar_normalize(text: str) -> str:
    return _AR_DIACRITICS.sub("", text).translate(_AR_MAP)


_AL = r"[\u0620-\u064A\u0671-\u06D3]"  # an Arabic letter
_AB = rf"(?<!{_AL})"  # not inside a word (start)
_AE = rf"(?!{_AL})"  # not inside a word (end)
_AR_DIS = _alt(
    # diabetes: السكري always; bare السكر ("sugar") only where it reads as the illness (see _AR_SUGAR)
    r"(?:مرض\s+)?(?:ال)?سكري(?:\s+(?:من\s+)?(?:ال)?نوع\s+(?:ال)?(?:اول|ثاني|1|2|١|٢))?",
    r"مرض\s+(?:ال)?سكر",
    # cardiovascular
    r"ارتفاع\s+(?:في\s+)?(?:ضغط\s+(?:ال)?دم|(?:ال)?ضغط)",
    r"ضغط\s+(?:ال)?دم(?:\s+(?:ال)?مرتفع)?",
    r"(?:ال)?ضغط\s+(?:ال)?(?:عالي|مرتفع)",
    r"(?:ال)?جلطه(?:\s+(?:ال)?(?:قلبيه|دماغيه|في\s+(?:ال)?قلب|في\s+(?:ال)?مخ))?",
    r"نوبه\s+قلبيه",
    r"ازمه\s+قلبيه",
    r"ذبحه\s+صدريه",
    r"(?:ال)?سكته(?:\s+(?:ال)?(?:دماغيه|قلبيه))?",
    r"(?:ال)?فشل\s+(?:ال)?كلوي",
    r"قصور\s+(?:ال)?كلي",
    r"(?:ال)?كوليسترول(?:\s+(?:ال)?(?:عالي|مرتفع))?",
    r"(?:ال)?نقرس",
    # cancer
    r"(?:ال)?سرطان(?:\s+(?:ال)?(?:ثدي|قولون|بروستاتا|رئه|جلد|مبيض|عنق\s+(?:ال)?رحم|بنكرياس|غده\s+(?:ال)?درقيه|دم|كبد|معده|"
    r"مثانه|دماغ))?",
    r"(?:ال)?لوكيميا",
    r"ابيضاض\s+(?:ال)?دم",
    r"(?:ال)?(?:ليمفوما|لمفوما)",
    r"(?:ال)?ورم(?:\s+(?:ال)?(?:خبيث|سرطاني))?",
    r"(?:ال)?اورام",
    # chronic, respiratory, neurological, autoimmune
    r"(?:ال)?ربو",
    r"(?:ال)?ازمه\s+(?:ال)?صدريه",
    r"حساسيه\s+(?:ال)?صدر",
    r"(?:ال)?صرع",
    r"(?:قصور|خمول|كسل|فرط\s+نشاط)\s+(?:ال)?غده(?:\s+(?:ال)?درقيه)?",
    r"(?:ال)?غده\s+(?:ال)?درقيه",
    r"هاشيموتو",
    r"(?:ال)?صداع\s+(?:ال)?نصفي",
    r"(?:ال)?شقيقه",
    r"(?:ال)?تصلب\s+(?:ال)?(?:متعدد|لويحي)",
    r"(?:مرض\s+)?كرون",
    r"(?:ال)?سيلياك",
    r"حساسيه\s+(?:ال)?(?:قمح|جلوتين|موسميه|انف|ربيع|جلد)",
    r"حمي\s+(?:ال)?قش",
    r"(?:ال)?صدفيه",
    r"(?:ال)?فيبروميالجيا",
    r"التهاب\s+(?:ال)?مفاصل(?:\s+(?:ال)?روماتويدي)?",
    r"(?:ال)?روماتيزم",
    r"(?:ال)?روماتويد",
    r"خشونه\s+(?:ال)?(?:ركبه|مفاصل)",
    r"(?:ال)?ذئبه\s+(?:ال)?حمراء",
    r"(?:ال)?باركنسون",
    r"(?:ال)?زهايمر",
    r"فيروس\s+نقص\s+(?:ال)?مناعه",
    r"HIV",
    r"(?:ال)?ايدز",
    r"التهاب\s+(?:ال)?كبد(?:\s+(?:ال)?وبائي)?(?:\s+(?:[ابج]|سي|بي|C|B))?",
    r"فيروس\s+سي",
    r"(?:كورونا|كوفيد)\s+(?:ال)?طويل(?:ه)?",
    r"(?:ال)?كورونا",
    r"(?:ال)?كوفيد",
    # mental health, neurodivergence
    r"(?:ال)?اكتئاب",
    r"اضطراب\s+(?:ال)?قلق",
    r"نوبات\s+(?:ال)?هلع",
    r"(?:ال)?هلع",
    r"(?:اضطراب\s+)?(?:ال)?ثنائي\s+(?:ال)?قطب",
    r"(?:ال)?بايبولار",
    r"فرط\s+(?:ال)?حركه(?:\s+وتشتت\s+(?:ال)?انتباه)?",
    r"تشتت\s+(?:ال)?انتباه",
    r"ADHD",
    r"(?:ال)?توحد",
    r"(?:متلازمه\s+)?اسبرجر",
    r"(?:ال)?وسواس(?:\s+(?:ال)?قهري)?",
    r"اضطراب\s+ما\s+بعد\s+(?:ال)?صدمه",
    r"فقدان\s+(?:ال)?شهيه(?:\s+(?:ال)?عصبي)?",
    r"(?:ال)?شره\s+(?:ال)?مرضي",
    r"(?:ال)?بوليميا",
    r"(?:ال)?فصام",
    r"(?:ال)?شيزوفرينيا",
    # reproductive
    r"بطانه\s+(?:ال)?رحم\s+(?:ال)?مهاجره",
    r"تكيس(?:\s+(?:ال)?مبايض)?",
    r"متلازمه\s+تكيس\s+(?:ال)?مبايض",
    r"(?:ال)?عقم",
    r"تاخر\s+(?:في\s+)?(?:ال)?(?:انجاب|حمل)",
    r"(?:ال)?اجهاض",
)
# "عندي سكر" / "عندي الضغط": bare sugar / pressure read as the illness only at a clause end or before "and pressure",
# "since", a number or "type" ("عندي سكر وشاي" is groceries).
_AR_SUGAR = (
    r"(?:ال)?سكر(?=\s*(?:$|[.,!؟?،\n]|و(?:ال)?ضغط|نوع|من\s|منذ|[0-9٠-٩]|(?:ال)?تراكمي))|"
    r"(?:ال)?ضغط(?=\s*(?:و(?:ال)?سكر|من\s|منذ))|الضغط(?=\s*(?:$|[.,!؟?،\n]))"
)
_AR_MED = _alt(
    r"(?:جلسات\s+)?(?:ال)?(?:علاج\s+)?(?:ال)?(?:كيماوي|كيميائي|كيمو)",
    r"(?:ال)?علاج\s+(?:ال)?(?:اشعاعي|هرموني|مناعي|نفسي)",
    r"(?:ال)?اشعاع",
    r"(?:ابر\s+|حقن\s+)?(?:ال)?انسولين",
    r"(?:ال)?ميتفورمين",
    r"(?:ال)?جلوكوفاج",
    r"(?:ال)?غلوكوفاج",
    r"(?:ال)?ستاتين",
    r"ليبيتور",
    r"كريستور",
    r"مضادات?\s+(?:ال)?اكتئاب",
    r"سيرترالين",
    r"لوسترال",
    r"زولوفت",
    r"سيتالوبرام",
    r"سيبرالكس",
    r"اسيتالوبرام",
    r"فلوكستين",
    r"فلوكسيتين",
    r"بروزاك",
    r"فافرين",
    r"(?:دواء|ادويه|حبوب|علاج|برشام)\s+(?:ال)?(?:ضغط|سكر|سكري|غده|اكتئاب|قلق|اعصاب|نفسيه)",
    r"حبوب\s+منع\s+(?:ال)?حمل",
    r"موانع\s+(?:ال)?حمل",
    r"(?:ال)?لولب",
    r"(?:ال)?غسيل\s+(?:ال)?(?:كلي|كلوي)",
    r"(?:ال)?ديلزه",
    r"زراعه\s+(?:ال)?(?:كلي|كليه|كبد|قلب|نخاع|رئه)",
    r"(?:ال)?عمليه(?:\s+(?:ال)?(?:جراحيه|قيصريه))?",
    r"(?:ال)?جراحه",
    r"(?:ال)?قيصريه",
    r"ولاده\s+قيصريه",
    r"(?:ال)?ثايروكسين",
    r"يوثيروكس",
    r"(?:ال)?تروكسين",
    r"اوزمبيك",
    r"اوزمبك",
    r"اوزيمبك",
    r"مونجارو",
    r"ساكسندا",
    r"(?:ال)?بخاخ(?:ه)?(?:\s+(?:ال)?ربو)?",
    r"(?:ال)?كورتيزون",
    r"ريتالين",
    r"كونسيرتا",
    r"(?:ال)?ليثيوم",
    r"اطفال\s+(?:ال)?انابيب",
    r"(?:ال)?حقن\s+(?:ال)?مجهري",
    r"(?:ال)?تلقيح\s+(?:ال)?صناعي",
    r"(?:ال)?علاج",
    r"(?:ال)?ادويه",
    r"(?:ال)?دواء",
    r"(?:ال)?حبوب",
    r"(?:ال)?برشام",
)
_AR_FILL = (
    r"(?:(?:كمان|ايضا|برضو|بعد|من\s+زمان|من\s+صغري|من\s+(?:سنين|سنوات|سنه|شهور)|منذ\s+(?:سنوات|سنين|سنه|\S+\s+سنوات)|"
    r"من\s+[0-9٠-٩]+\s+(?:سنين|سنوات|سنه)|[0-9٠-٩]+\s+(?:سنين|سنوات|سنه)|تقريبا|للاسف|الحمد\s+لله|الحين|حاليا|"
    r"دلوقتي|هلا|هلق)\s+){0,3}"
)
# "my": with / after / since + possessive forms (علاجي is also the adjective "therapeutic", so only after these).
_AR_POSS_FORMS = r"(?:علاجي|دوائي|ادويتي|حبوبي|انسوليني|عمليتي|تشخيصي|اكتئابي|اجهاضي|جلطتي|حملي|ولادتي|كيماوي\s+حقي)"
_AR_MINE = r"(?:تبعي|تبعتي|حقي|حقتي|بتاعي|بتاعتي|الخاص(?:ه)?\s+بي|(?:اللي|الي|الذي|التي)\s+(?:عندي|فيني|معي|باخذه|باخدها|اخذه|اخذها|اخذها))"  # noqa: E501
_AR_PRE = r"(?:[وف])?"

_AR_RULES: list[_Rule] = [
    # عندي السكري / عندي سكر / لدي ربو / كان عندي سرطان الثدي / اكتشفت ان عندي ضغط / معي سكري
    rf"{_AB}{_AR_PRE}(?:(?:انا|كان|كانت|صار|صارت|طلع|طلعت|اكتشفت\s+(?:ان|انه|اني)?\s*|عرفت\s+(?:ان|اني)\s*)\s*)?"
    rf"(?:عندي|لدي|معي|معاي|فيني)\s+{_AR_FILL}(?:{_AR_DIS}|{_AR_SUGAR}|(?:جلسه\s+)?(?:ال)?كيماوي|غسيل\s+(?:ال)?(?:كلي|كلوي)|"
    rf"(?:ال)?قيصريه|(?:ال)?عمليه(?!\s+(?:حسابيه|شراء|بيع|دفع|تحويل|تسجيل)))"
    rf"{_AE}(?!\s+(?:مرضي|مرضا|اطفال|طلاب|في\s+(?:ال)?عائله|وراثي))",
    # انا مريض سكري / انا مصابه بالربو / انا حامل / لاني حامل / كوني مصابه بالسكري / انا على الانسولين
    rf"{_AB}{_AR_PRE}(?:انا|اني|انني|لاني|لانني|كوني)\s+{_AR_FILL}(?:مريض(?:ه)?\s+(?:ب)?{_AR_DIS}|مريض(?:ه)?\s+سكر|"
    rf"مصاب(?:ه)?\s+ب{_AR_DIS}|مصاب(?:ه)?\s+بالسكر|متعايش(?:ه)?\s+مع\s+{_AR_DIS}|ناجي(?:ه)?\s+من\s+{_AR_DIS}|"
    rf"حامل(?!\s+(?:ل)?(?:شهاده|لقب|جواز|بطاقه|(?:ال)?جنسيه|ماجستير|دكتوراه|رخصه))|سكري|توحدي(?:ه)?|"
    rf"تحت\s+(?:ال)?علاج|علي\s+{_AR_MED}){_AE}",
    # sentence-initial (guarded): حامل في الشهر السابع / مصابه بالسكري منذ 10 سنوات
    (rf"{_S}(?:حامل\s+(?:في|ب)\s*(?:ال)?(?:شهر|اسبوع)|مصاب(?:ه)?\s+ب{_AR_DIS}\s+(?:من|منذ)\s)", True),
    # first-person verbs: تم تشخيصي بالسكري / شخصوني ب / جاتني جلطه / اعاني من الصداع النصفي / اتعايش مع الايدز
    rf"{_AB}{_AR_PRE}(?:تم\s+تشخيصي|شخصوني|شخصني\s+(?:ال)?(?:دكتور|طبيب|دكتوره|طبيبه)|اصبت|انصبت|جاني|جاتني|جتني|"
    rf"اجاني|اجتني|صابني|صابتني|تعافيت|نجوت|عانيت|اعاني|بعاني|اتعايش|بتعايش|اتعالج|بتعالج|اجريت|سويت|"
    rf"دخلت\s+(?:ال)?مستشفي\s+(?:ب|بسبب))\s*{_AR_FILL}(?:(?:من|ب|ل|مع|علي|في)\s*)?(?:{_AR_DIS}|{_AR_MED}){_AE}",
    # the same with a verb form that may be "I" or "she" (guarded): عملت عمليه / خضعت للكيماوي / اكتشفت اني مصابه
    (
        rf"{_AB}{_AR_PRE}(?:عملت|خضعت|تعالجت|اتعالجت|تشخصت|اتشخصت|انشخصت|اجهضت|شفيت)\s*{_AR_FILL}"
        rf"(?:(?:من|ب|ل|مع|علي|في)\s*)?(?:{_AR_DIS}|{_AR_MED}){_AE}",
        True,
    ),
    rf"{_AB}{_AR_PRE}(?:اكتشفت|عرفت)\s+(?:اني|انني)\s+(?:مصاب(?:ه)?|مريض(?:ه)?|حامل){_AE}",
    # medication: اتناول الميتفورمين / باخذ حبوب الضغط / اضرب ابر انسولين / انا اخذ ...
    rf"{_AB}{_AR_PRE}(?:انا\s+)?(?:اتناول|بتناول|باتناول|باخذ|باخد|اضرب|باضرب|احقن|ماشي\s+علي|ماشيه\s+علي|"
    rf"انا\s+(?:اخذ|استعمل|استخدم))\s+{_AR_FILL}{_AR_MED}{_AE}",
    # may be "I" or "she" (guarded): وقفت حبوب الضغط / تركت مضادات الاكتئاب / بدات الكيماوي / اخذ انسولين
    (
        rf"{_AB}{_AR_PRE}(?:اخذ|استعمل|استخدم|وقفت|توقفت\s+عن|بطلت|تركت|قطعت|بديت(?:\s+(?:اخذ|ب))?|"
        rf"بدات(?:\s+(?:ب|في|اخذ|اتناول))?)\s*{_AR_FILL}{_AR_MED}{_AE}",
        True,
    ),
    # possessive: بعد عمليتي / منذ تشخيصي / خلال حملي / ادويتي / الانسولين تبعي / السكر اللي عندي
    rf"{_AB}{_AR_PRE}(?:بعد|قبل|منذ|من|خلال|اثناء|مع|في|بسبب|فتره)\s+{_AR_POSS_FORMS}{_AE}",
    rf"{_AB}{_AR_PRE}(?:ادويتي|حبوبي|انسوليني|عمليتي|جلطتي|اجهاضي){_AE}",
    rf"{_AB}{_AR_PRE}(?:{_AR_MED}|{_AR_DIS}|(?:ال)?سكر|(?:ال)?ضغط)\s+{_AR_MINE}{_AE}",
    # كمريضه سكري، انا ... / بصفتي مريض سكري
    rf"{_AB}{_AR_PRE}بصفتي\s+(?:مريض(?:ه)?\s+(?:ب)?(?:{_AR_DIS}|سكر)|مصاب(?:ه)?\s+ب{_AR_DIS}|حامل|ام\s+حامل)",
    rf"{_AB}{_AR_PRE}ك(?:مريض(?:ه)?\s+(?:ب)?(?:{_AR_DIS}|سكر)|مصاب(?:ه)?\s+ب{_AR_DIS}|ام\s+حامل|شخص\s+(?:مصاب\s+ب|"
    rf"عنده|لديه|يعاني\s+من)\s*{_AR_DIS})(?=[^.!?؟\n]{{0,60}}{_AB}(?:انا|اني|عندي|لدي|جربت|تجربتي|نصيحتي|اقول|"
    rf"انصح|اعرف|اشعر|احس|باخذ|اتناول){_AE})",
    # measurement: ضغطي 160 / سكري وصل 300 / السكر عندي 250 / نسبه السكر عندي عاليه
    rf"(?<!مرض )(?<!ال){_AB}(?:ضغطي|سكري(?:\s+(?:ال)?تراكمي)?|(?:ال)?(?:سكر|ضغط)\s+(?:ال)?(?:تراكمي\s+)?(?:عندي|حقي|تبعي)|"  # noqa: E501
    rf"(?:نسبه|معدل|مستوي)\s+(?:ال)?(?:سكر|ضغط|كوليسترول)\s+(?:عندي|لدي|في\s+دمي)|(?:ال)?تراكمي\s+(?:عندي|حقي|تبعي))"
    rf"(?!\s*(?:من\s+)?(?:ال)?نوع)\s+(?:\S+\s+){{0,3}}?(?:[0-9٠-٩]|عالي|مرتفع|نازل|منخفض|واطي)",
]

_ARABIC = _Language(
    "ar",
    _AR_RULES,
    neg_before=(
        rf"(?:{_AB}(?:لا|ما|مش|مو|ليس|لست|ليست|لم|لن|مب|مافي|ابدا|بدون|غير|عمري\s+ما)\s+(?:[^\s،,.;!?؟]+\s+){{0,2}}|"
        rf"{_AB}(?:لو|اذا|يمكن|ممكن|ربما|لربما|اخاف|خايف|خايفه|اظن|احس\s+ان|شكلي|هل)\s+(?:[^\s،,.;!?؟]+\s+){{0,1}})$"
    ),
    neg_inside=rf"{_AB}(?:لا|ما(?!\s+بعد)|مش|مو|ليس|لست|لم|لن|مب|ابدا|بدون){_AE}",
    other_person=(
        rf"{_AB}[وف]?(?:امي|ماما|امه|ابي|بابا|ابوي|ابويا|زوجي|زوجتي|مرتي|مراتي|جوزي|ابني|ابنتي|بنتي|اخي|اخوي|اختي|"
        rf"جدتي|جدي|صديقي|صديقتي|صاحبي|صاحبتي|خالتي|عمتي|خالي|عمي|ولدي|طفلي|طفلتي|هو|هي|هم|هن|مريضي|مريضتي|"
        rf"جارتي|جاري|حماتي|زميلتي|زميلي){_AE}"
    ),
    first_person=rf"{_AB}[وف]?(?:انا|اني|انني|عندي|لدي|معي|نفسي){_AE}",
    normalize=_ar_normalize,
)


# =====================================================================================================================
# Public API
# =====================================================================================================================

# Each language with the letters a post in it must hold: a post without Cyrillic letters runs no Russian rule (most
# posts are English, and every rule would otherwise read them).
_LATIN = re.compile(r"[A-Za-zÀ-ÿ]")
_CYRILLIC = re.compile(r"[\u0400-\u04ff]")
_LANGUAGES = (
    (_LATIN, _GERMAN),
    (_LATIN, _FRENCH),
    (_LATIN, _PORTUGUESE),
    (_CYRILLIC, _RUSSIAN),
    (_CYRILLIC, _BULGARIAN),
    (re.compile(r"[\uac00-\ud7af\u1100-\u11ff\u3130-\u318f]"), _KOREAN),
    (re.compile(r"[\u4e00-\u9fff\u3400-\u4dbf]"), _CHINESE),
    (re.compile(r"[\u0600-\u06ff\u0750-\u077f]"), _ARABIC),
)


def disclosure_evidence_in_other_languages(text: str) -> str | None:
    """The phrase that shows the author disclosing their own health, or None; for logs and tests."""
    if not text or not text.strip():
        return None
    for letters, language in _LANGUAGES:
        if letters.search(text) and (phrase := language.evidence(text)):
            return phrase
    return None


def discloses_own_health_in_other_languages(text: str) -> bool:
    """True when the author discloses their own condition, diagnosis, treatment, pregnancy or medication."""
    return disclosure_evidence_in_other_languages(text) is not None


# =====================================================================================================================
# =====================================================================================================================
