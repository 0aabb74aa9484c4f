"""Recognise a post in which the author discloses their own health.

Someone who writes "I was diagnosed with type 2 last year" or "since my miscarriage" is sharing their own special
category data. A public correction aimed at that person needs extra care (or none at all), so the pipeline
flags such posts. Third parties ("my neighbour has diabetes"), general claims ("diabetes is caused by sugar") and
questions about others are not the author's own health and stay unflagged.

The rule set is deliberately small and readable: first-person patterns (English and Spanish here; German, French,
Portuguese, Russian, Bulgarian, Korean, Chinese and Arabic in ``disclosure_languages.py``) around a curated
vocabulary of conditions, treatments and medicines. A match is rejected when it is negated ("I don't have
diabetes"), hypothetical ("if I had cancer") or when the condition qualifies another person ("my diabetic son",
"my cancer patients").
"""

from __future__ import annotations

import re

from functions.ingest.disclosure_languages import disclosure_evidence_in_other_languages

# --- vocabulary ---------------------------------------------------------------------------------------------------

_CONDITIONS = (
    # metabolic, cardiovascular
    r"diabetes|diabetic|pre-?diabetes|pre-?diabetic|type\s?[12](?:\s+diabetes)?|t[12]d|"
    r"high\s+blood\s+pressure|hypertension|high\s+cholesterol|heart\s+attack|heart\s+failure|heart\s+condition|"
    r"stroke|a-?fib|atrial\s+fibrillation|arrhythmia|blood\s+clots?|dvt|"
    # cancer
    r"(?:(?:breast|bowel|colon|colorectal|prostate|lung|skin|ovarian|cervical|pancreatic|brain|thyroid|testicular|"
    r"blood|stage\s?[1-4i]{1,3})\s+)?cancer|tumou?r|leuka?emia|lymphoma|hodgkin'?s(?:\s+lymphoma)?|melanoma|carcinoma|myeloma|sarcoma|"
    # respiratory, neurological, autoimmune, chronic
    r"asthma|asthmatic|copd|emphysema|epilepsy|epileptic|seizures|migraines?|ms|multiple\s+sclerosis|"
    r"parkinson'?s|alzheimer'?s|dementia|lupus|crohn'?s|colitis|ibs|ibd|coeliac|celiac|"
    r"rheumatoid\s+arthritis|arthritis|psoriasis|eczema|fibromyalgia|me/cfs|chronic\s+fatigue|long\s+covid|"
    r"hay\s+fever|allergies|thyroid(?:\s+condition)?|hypothyroidism|hyperthyroidism|hashimoto'?s|graves'?|"
    r"kidney\s+disease|ckd|liver\s+disease|cirrhosis|hepatitis(?:\s+[abc])?|hiv|aids|chlamydia|herpes|gonorrh?oea|"
    r"syphilis|an?\s+sti|an?\s+std|endometriosis|pcos|adenomyosis|infertility|tinnitus|insomnia|sleep\s+apnoea|"
    r"obesity|covid|"
    # mental health, neurodivergence
    r"depression|depressed|anxiety|panic\s+attacks|panic\s+disorder|ptsd|c-?ptsd|ocd|adhd|autism|autistic|"
    r"asperger'?s|bipolar(?:\s+(?:disorder|i{1,2}|[12]))?|schizophrenia|psychosis|eating\s+disorder|anorexia|"
    r"bulimia|postnatal\s+depression|postpartum\s+depression|pnd|self-?harm|addiction|alcoholism|mental\s+health|"
    r"mental\s+illness|"
    # reproductive
    r"pregnancy|pregnant|miscarriages?|stillbirth|ectopic(?:\s+pregnancy)?|abortion|menopause|perimenopause|"
    # Spanish
    r"diab[ée]tic[oa]|c[áa]ncer|leucemia|linfoma|asma|asm[áa]tic[oa]|epilepsia|migra[ñn]as?|hipertensi[óo]n|"
    r"tensi[óo]n\s+alta|presi[óo]n\s+alta|colesterol(?:\s+alto)?|infarto|ictus|vih|sida|clamidia|"
    r"covid\s+persistente|endometriosis|fibromialgia|artritis|celiaqu[íi]a|cel[íi]ac[oa]|hipotiroidismo|tiroides|"
    r"depresi[óo]n|ansiedad|tdah|autismo|trastorno\s+bipolar|esquizofrenia|anorexia|bulimia|embarazo|"
    r"embarazada|aborto(?:\s+espont[áa]neo)?|p[ée]rdida\s+gestacional|menopausia|"
    # French, Portuguese, German
    r"diab[èe]te|diab[ée]tique|asthme|d[ée]pression|enceinte|fausse\s+couche|"
    r"depress[ãa]o|gr[áa]vida|aborto|c[âa]ncer|"
    r"krebs|bluthochdruck|depressionen|schwanger|fehlgeburt|diabetiker(?:in)?"
)
_TREATMENTS = (
    r"meds|medications?|medicines?|tablets|pills|prescriptions?|treatment|therapy|therapist|counsell?ing|cbt|"
    r"psychiatrist|diagnosis|chemo(?:therapy)?|radiotherapy|radiation|immunotherapy|dialysis|operation|"
    r"transplant|insulin|metformin|sertraline|citalopram|escitalopram|fluoxetine|prozac|venlafaxine|mirtazapine|"
    r"amitriptyline|antidepressants?|ssris?|lithium|quetiapine|olanzapine|aripiprazole|methylphenidate|ritalin|"
    r"adderall|elvanse|vyvanse|statins?|atorvastatin|simvastatin|amlodipine|ramipril|lisinopril|losartan|"
    r"bisoprolol|beta\s+blockers?|warfarin|apixaban|levothyroxine|ozempic|semaglutide|wegovy|mounjaro|inhalers?|"
    r"steroids?|prednisolone|hrt|the\s+pill|contraceptive\s+pill|iud|coil|implant|antiretrovirals|arvs|"
    r"antibiotics|painkillers|ivf|c-?section|caesarean|cesarean|hysterectomy|mastectomy|"
    # Spanish
    r"insulina|metformina|antidepresivos?|ansiol[íi]ticos?|sertralina|fluoxetina|escitalopram|litio|pastillas?|"
    r"p[íi]ldora|"
    r"medicaci[óo]n|medicamentos?|tratamiento|terapia|psic[óo]log[oa]|psiquiatra|quimio(?:terapia)?|"
    r"radioterapia|di[áa]lisis|diagn[óo]stico|ces[áa]rea|"
    # French, Portuguese, German
    r"m[ée]dicaments?|traitement|metformine|insuline|rem[ée]dios?|medicamentos?|"
    r"medikamente|tabletten|diagnose|ramipril"
)
_HEALTH = rf"(?:{_CONDITIONS}|{_TREATMENTS})"

# Words that may sit between "my" and the health term: "my own", "my type 2", "my last round of", "my copper".
_MODIFIER = (
    r"(?:own|recent|latest|last|first|second|third|new|current|daily|weekly|monthly|chronic|severe|mild|early|late|"
    r"early-onset|late-onset|adult|stage\s?[1-4i]{1,3}|type\s?[12]|grade\s?\d|"
    r"copper|hormonal|hormone|mental\s+health|adhd|bipolar|depression|anxiety|asthma|"
    r"diabetes|cancer|heart|thyroid|blood\s+pressure|bp|(?:final|next|\d+(?:st|nd|rd|th)?)|"
    r"(?:round|course|cycle|dose|session|bout|flare|flare-up|batch|box|pack)s?\s+of)"
)
# "my diabetic son", "my cancer patients", "my ADHD clinic": the health word qualifies someone or something else.
_NOT_SELF_AFTER = (
    r"(?:sons?|daughters?|kids?|child(?:ren)?|babies|baby|husband|wife|partner|boyfriend|girlfriend|mum|mom|mother|"
    r"dad|father|parents?|brother|sister|sibling|friends?|twins?|people|folks|"
    r"neighbou?rs?|patients?|clients?|students?|pupils?|"
    r"colleagues?|cousin|aunt|uncle|nan|gran|grandma|grandad|grandpa|grandparents?|dog|cat|pet|clinic|ward|team|"
    r"nurse|doctor|unit|practice|service|research|class|course|work|job|book|blog|page|podcast|charity|group|"
    r"jabs?|shots?|vaccines?|vaccination|boosters?|tests?|testing|screening|awareness|month|fundraiser|ribbon|myths?|"
    r"facts?|misinformation|"
    r"hijos?|hijas?|marido|mujer|esposa|esposo|madre|padre|pareja|amig[oa]s?|vecin[oa]s?|pacientes?|vacunas?)"
)
_NOT_QUALIFYING = rf"(?!'s|’s|\s+{_NOT_SELF_AFTER}\b)"
_PERSON = (
    r"(?:neighbou?r|son|daughter|kid|child|husband|wife|partner|boyfriend|girlfriend|mum|mom|mother|dad|father|"
    r"brother|sister|friend|cousin|aunt|uncle|nan|gran|grandma|grandad|grandpa|colleague|boss|patient|dog|cat)"
)

# --- first-person patterns ----------------------------------------------------------------------------------------

_SENTENCE_START = r"(?:^|(?<=[.!?\n])\s*|(?<=[.!?]\s)|(?<=[:;]\s))"
_TIME_SPAN = (
    r"(?:\d+|a|an|one|two|three|four|five|six|seven|eight|nine|ten|twenty|a\s+few|many|several)\s+"
    r"(?:years?|months?|weeks?|days?)"
)
# What may follow a sentence-initial phrase that leaves out "I": "2 years on citalopram." / "... now" /
# "Starting hormone treatment next week", but not "Six months on metformin reduces A1c" (a general claim).
_PERSONAL_ENDING = (
    r"(?=\s*(?:[.,;:!)\n]|$|-|—|–)|\s+(?:now|today|tonight|tomorrow|yesterday|next|last|this|since|for|at|in|on|"
    r"and|but|so|again|already|after|finally|starts?|started|begins?|\d))"
)
_BODY_PART = (
    r"(?:shoulder|back|arm|leg|face|nose|skin|breast|chest|neck|head|brain|lung|liver|kidney|bowel|colon|"
    r"thyroid|ovary|ovaries|womb|cervix|prostate|foot|feet|hand|eye|ear|stomach)"
)

_PATTERNS: tuple[re.Pattern[str], ...] = tuple(
    re.compile(pattern, re.IGNORECASE)
    for pattern in (
        # I was diagnosed with type 2 / I've just been diagnosed as bipolar / I got diagnosed with ADHD at 37
        rf"\b(?:i|i've|i’ve|ive|i have|i'm|i’m|im|i am)\s+(?:(?:just|recently|finally|only|also|now|been|was|got|"
        rf"being|officially|formally|newly|been\s+officially)\s+)*diagnosed\s+(?:with|as|w/)\s+(?:(?:an?|the|"
        rf"{_MODIFIER})\s+)*(?:{_HEALTH})\b{_NOT_QUALIFYING}",
        # sentence-initial "Diagnosed with type 1 at 12" (the subject "I" left out); not a headline question
        rf"{_SENTENCE_START}(?:(?:just|recently|finally|newly|officially)\s+)?diagnosed\s+(?:with|as|w/)\s+"
        rf"(?:(?:an?|{_MODIFIER})\s+)*(?:{_HEALTH})\b(?!\s*\?|[^.!?\n]*\?)",
        # I have asthma / I've had hay fever / I had breast cancer / I suffer from migraines / I'm living with HIV
        rf"\b(?:i\s+(?:have|had|got|get|suffer(?:ed)?\s+(?:from|with)|live\s+with|lived\s+with|struggle\s+with|"
        rf"deal\s+with|survived|beat|battled)|i(?:'ve|’ve|ve)\s+(?:got|had|been\s+living\s+with|been\s+battling|"
        rf"been\s+suffering\s+(?:from|with)|survived|beaten)|i(?:'m|’m|m)\s+(?:living|dealing|struggling|battling)"
        rf"\s+with|i(?:'m|’m|m)\s+(?:recovering|suffering)\s+from|i\s+am\s+(?:living|recovering|suffering)\s+"
        rf"(?:with|from)|i\s+was\s+(?:treated|hospitali[sz]ed)\s+for|i(?:'m|’m|m)\s+being\s+treated\s+for)\s+"
        rf"(?:(?:an?|the|{_MODIFIER})\s+)*(?:{_CONDITIONS})\b{_NOT_QUALIFYING}",
        # I'm diabetic / I'm a type 1 / I'm 12 weeks pregnant / I am bipolar
        rf"\b(?:i(?:'m|’m|m)|i\s+am)\s+(?:(?:a|an|also|now|currently|still|just|recently|newly|\d+\s+weeks?|"
        rf"(?:\w+\s+)?months?)\s+)*(?:{_CONDITIONS})\b(?!\s+{_PERSON}){_NOT_QUALIFYING}",
        # I'm on metformin / I take sertraline / I've been on lithium / I started chemo / I stopped taking my X
        rf"\b(?:i(?:'m|’m|m)\s+(?:on|taking|starting|coming\s+off|going\s+on|back\s+on|injecting)|i\s+(?:am|was)\s+"
        rf"(?:on|taking|starting)|i\s+(?:take|took|use|started|start|stopped|quit|finished|came\s+off|went\s+on|"
        rf"inject|need|needed|ditched|dropped)|i(?:'ve|’ve|ve)\s+(?:been\s+on|been\s+taking|started|stopped|"
        rf"finished|come\s+off|quit|ditched))\s+(?:taking\s+)?(?:(?:the|my|an?|{_MODIFIER})\s+)*(?:{_TREATMENTS})\b",
        # sentence-initial "Been on sertraline", "2 years on citalopram", "two years of long covid"
        rf"{_SENTENCE_START}(?:(?:been|started|starting|finished)\s+(?:on|with)?|{_TIME_SPAN}\s+(?:on|with))\s*"
        rf"(?:(?:the|my|{_MODIFIER})\s+)*(?:{_HEALTH})\b{_PERSONAL_ENDING}",
        rf"{_SENTENCE_START}{_TIME_SPAN}\s+(?:of|with)\s+(?:(?:the|my|{_MODIFIER})\s+)*(?:{_CONDITIONS}|insulin)\b"
        rf"{_PERSONAL_ENDING}",
        # my doctor put me on metformin / my GP prescribed me sertraline
        rf"\b(?:put|started|got|switched|prescribed)\s+me\s+(?:on\s+)?(?:(?:the|an?|{_MODIFIER})\s+)*(?:{_TREATMENTS})\b",
        # I'm in therapy / I'm in remission
        r"\b(?:i(?:'m|’m|m)|i\s+am|i\s+was)\s+in\s+(?:therapy|counsell?ing|rehab|remission|recovery|treatment|hospital)\b",
        # "bipolar II, diagnosed 2021" / "type 2, diagnosed at 40"
        rf"{_SENTENCE_START}(?:{_CONDITIONS}),?\s+diagnosed\s+(?:in\s+)?(?:(?:19|20)\d{{2}}|(?:at|aged)\s+\d+|last\b|"
        rf"this\b|\w+\s+(?:years?|months?|weeks?)\s+ago)",
        # "ADHD diagnosis at 37", "Endometriosis diagnosis after 9 years"
        rf"{_SENTENCE_START}(?:{_CONDITIONS})\s+diagnosis\s+(?:(?:at|aged)\s+\d+\s*[,.;!]|"
        rf"(?:after|in|last|this)\b[^.!?\n]{{0,60}}\b(?:my|me|i|i'm|i’m|i've|i’ve)\b)",
        # my diabetes / my antidepressants / since my miscarriage / my chemo starts Monday / my type 2 diagnosis
        rf"\bmy\s+(?:{_MODIFIER}\s+){{0,3}}(?:{_HEALTH})\b{_NOT_QUALIFYING}",
        # as someone with ADHD / as a diabetic / as a type 1 / as a cancer survivor
        rf"\bas\s+(?:someone|somebody|a\s+(?:person|woman|man|mum|mom|dad|girl|guy))\s+(?:with|who\s+has|"
        rf"living\s+with|who\s+lives\s+with|who(?:'s|’s|\s+has)\s+(?:had|survived))\s+(?:(?:an?|{_MODIFIER})\s+)*"
        rf"(?:{_CONDITIONS})\b{_NOT_QUALIFYING}",
        rf"\bas\s+(?:an?\s+)?(?:{_CONDITIONS})(?:\s+(?:survivor|patient|sufferer|myself))?\s*(?:myself\s*)?,",
        rf"\bas\s+an?\s+(?:{_CONDITIONS})\s+(?:survivor|patient|sufferer)\b",
        # a melanoma off my shoulder / a lump in my breast
        rf"\b(?:{_CONDITIONS})\s+(?:\w+\s+){{0,2}}(?:off|from|on|in)\s+my\s+(?:\w+\s+)?{_BODY_PART}\b",
        # --- Spanish
        rf"\bme\s+(?:diagnosticaron|han\s+diagnosticado|detectaron|han\s+detectado|encontraron|operaron|"
        rf"han\s+operado|recetaron|han\s+recetado|quitaron|mandaron|pusieron|dio|dieron)\s+(?:de\s+|un\s+|una\s+|"
        rf"el\s+|la\s+|los\s+|las\s+)*(?:{_MODIFIER}\s+)*(?:{_HEALTH})\b",
        rf"\b(?:tengo|tuve|padezco|padec[íi]|sufro|sufr[íi]|convivo\s+con|vivo\s+con|superé|lucho\s+contra)\s+"
        rf"(?:de\s+|un\s+|una\s+|el\s+|la\s+)*(?:{_CONDITIONS})\b",
        rf"\b(?:soy|estoy|quedé|me\s+quedé)\s+(?:(?:un\s+|una\s+)?(?:muy\s+)?)(?:{_CONDITIONS})\b",
        rf"\bestoy\s+(?:en\s+tratamiento|con\s+(?:la\s+|el\s+)?(?:{_HEALTH})|tomando\s+(?:la\s+|el\s+|los\s+|las\s+)?"
        rf"(?:{_TREATMENTS}))\b",
        rf"\b(?:tomo|tomaba|tom[ée]|dej[ée]|empec[ée]|empiezo|me\s+pongo|me\s+pinch[oé]|me\s+inyecto|llevo\s+"
        rf"(?:\w+\s+){{0,3}}(?:con|tomando))\s+(?:(?:la|el|los|las|mi|mis|de\s+golpe)\s+)*(?:{_HEALTH})\b",
        rf"\b(?:mi|mis)\s+(?:propi[oa]s?\s+|\w+\s+de\s+)?(?:{_HEALTH})\b{_NOT_QUALIFYING}",
        rf"\bcomo\s+(?:(?:persona|mujer|hombre|madre)\s+(?:con|que\s+tiene)\s+|(?:un|una)\s+)?(?:{_CONDITIONS})\s*,",
    )
)

_NEGATION_BEFORE = re.compile(
    r"(?:\b(?:not|never|no|don't|don’t|doesn't|didn't|dont|didnt|haven't|havent|hasn't|wasn't|isn't|"
    r"no\s+tengo|nunca|jamás|ni|sin)\s+(?:\w+\s+){0,2}|\b(?:if|unless|whether|in\s+case|what\s+if|si)\s+"
    r"(?:\w+\s+){0,1})$",
    re.IGNORECASE,
)
_NEGATION_INSIDE = re.compile(r"\b(?:not|never|n't|n’t|no)\b", re.IGNORECASE)


def disclosure_evidence(text: str) -> str | None:
    """The phrase that shows the author disclosing their own health, or None; for logs and tests. English and
    Spanish here; German, French, Portuguese, Russian, Bulgarian, Korean, Chinese and Arabic in
    ``disclosure_languages``."""
    return _evidence_in_english_or_spanish(text) or disclosure_evidence_in_other_languages(text)


def _evidence_in_english_or_spanish(text: str) -> str | None:
    for pattern in _PATTERNS:
        for match in pattern.finditer(text):
            phrase = match.group(0).strip()
            before = text[max(0, match.start() - 40) : match.start()]
            if _NEGATION_BEFORE.search(before) or _NEGATION_INSIDE.search(phrase):
                continue
            return phrase
    return None


def discloses_own_health(text: str) -> bool:
    """True when the author discloses their own condition, diagnosis, treatment, pregnancy or medication."""
    return disclosure_evidence(text) is not None
