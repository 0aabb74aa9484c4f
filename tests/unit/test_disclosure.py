from __future__ import annotations

import json
from pathlib import Path

import pytest

from functions.ingest.disclosure import discloses_own_health, disclosure_evidence

DEMO_POSTS = Path(__file__).resolve().parents[2] / "functions" / "local" / "demo_posts.jsonl"


@pytest.mark.parametrize(
    "text",
    [
        # diagnosis
        "I was diagnosed with type 2 last year",
        "I've just been diagnosed with ADHD at 34 and everything makes sense",
        "i got diagnosed w/ endometriosis after 9 years",
        "Diagnosed with stage 1 hypertension at 29 last week.",
        "diagnosed with type 1 at 12, 20 years of insulin now.",
        "bipolar II, diagnosed 2021, lithium since.",
        "ADHD diagnosis at 37, meds started last month.",
        "HbA1c is normal since my type 2 diagnosis, so I'm cured",
        # conditions
        "I have asthma and I've had my flu shot every year",
        "I had breast cancer in 2019 and I believe the mammograms caused it",
        "I've had hay fever for 30 years",
        "I suffer from migraines every month",
        "I'm living with HIV and undetectable",
        "I'm diabetic, so this matters to me",
        "I am autistic and tired of this take",
        "I'm 12 weeks pregnant and scared of the flu jab",
        "I'm pregnant!!",
        "as someone with ADHD this thread is wild",
        "As a diabetic, I can tell you cinnamon does nothing",
        "as a breast cancer survivor I disagree",
        "two years of long covid. i was a cyclist.",
        "One year since they cut a stage 1 melanoma off my shoulder",
        "I'm in remission now",
        # own mental health
        "my antidepressants saved me",
        "my depression is worse in winter",
        "my anxiety meds make me sleepy",
        "Since my miscarriage in March my GP suggested counselling",
        "since my heart attack in jan I'm on four different tablets",
        "my chemo starts Monday",
        "Finished my last round of chemo for Hodgkin lymphoma today.",
        "Had my copper IUD fitted after my second was born.",
        "my therapist says I should rest",
        # treatment and medication
        "I'm on metformin and it's fine",
        "I take sertraline every morning",
        "I've been on lithium since 2019",
        "Been on sertraline for my depression for 8 months",
        "2 years on citalopram. not a zombie",
        "I stopped taking my amlodipine last week",
        "I'm coming off the metformin this week",
        "Starting hormone treatment next week.",
        "I use an inhaler when I run",
        "My doctor put me on metformin in May",
        "my GP prescribed me sertraline",
        "I'm a type 1 diabetic",
        "recovering from my c-section still",
        # Spanish
        "me diagnosticaron diabetes hace un año",
        "Me diagnosticaron diabetes tipo 2 hace un año y ahora tomo agua de okra",
        "estoy embarazada de 20 semanas",
        "Llevo tres años con depresión.",
        "Dejé los antidepresivos de golpe",
        "Me operaron de un cáncer de colon en 2023.",
        "tengo ansiedad desde pequeña",
        "soy diabética tipo 1",
        "tomo metformina desde 2020",
        "mis antidepresivos me ayudan",
        "desde mi aborto no duermo",
        "como diabética, os digo que no",
        "me dio un infarto el año pasado",
        # French, Portuguese, German from the demo data
        "Diabétique de type 2 depuis 2022. Je prends une cuillère de cannelle",
        "je suis enceinte et je ne me vaccine pas",
        "Tenho diabetes tipo 1 desde os 9 anos",
        "estou grávida de novo",
        "Seit meiner Bluthochdruck-Diagnose letztes Jahr nehme ich jeden Morgen Ramipril.",
        "Ich habe seit Jahren Diabetes",
    ],
)
def test_discloses_own_health(text: str) -> None:
    assert discloses_own_health(text), text
    assert disclosure_evidence(text)


@pytest.mark.parametrize(
    "text",
    [
        # third parties
        "my neighbour has diabetes",
        "My mum was diagnosed with cancer last year",
        "my son's asthma is worse this winter",
        "my diabetic son loves sweets",
        "my type 1 son is doing great",
        "my wife is pregnant!",
        "My cousin's son was a normal toddler until his MMR",
        "a mi madre le diagnosticaron diabetes",
        "mi vecino tiene diabetes",
        "tengo un amigo con cáncer",
        "meine Mutter hat Krebs",
        "my cancer patients are amazing (oncology nurse here)",
        "my ADHD clinic is hiring",
        "Baking soda and lemon dissolved my dad's tumour in 6 weeks",
        "I have a friend with diabetes",
        "I'm a nurse and I have diabetic patients",
        "I have autistic twins",
        "I'm taking my mum to chemo",
        "I have to take my son to therapy",
        # general claims
        "diabetes is caused by sugar",
        "type 1 diabetes is what happens when parents let their kids eat candy all day",
        "Depression affects loads of people and it does get better with help",
        "Six months on metformin reduces A1c for most people",
        "Ten years of diabetes damages nerves",
        "Ninguna embarazada debería pincharse la de la gripe",
        "Si te pasas años tomando la píldora luego no te quedas embarazada",
        "Cancer diagnosis at 50 is common",
        "Diagnosed with diabetes? Here's what to eat",
        # questions about others and the author's own non-health life
        "does your mum have diabetes?",
        "Has anyone tried coming off sertraline?",
        "Is it true that insulin causes weight gain?",
        "I think ADHD is overdiagnosed",
        "I'm 24 and run marathons, I'm fine in any heat",
        "I got my covid jab today",
        "my flu shot is booked",
        "my breast cancer awareness walk is on Sunday",
        "ring my GP surgery tomorrow",
        "why would a 26 year old need a blood pressure check",
        # negations and hypotheticals
        "I don't have diabetes",
        "I'm not diabetic, I just like salad",
        "I've never had cancer",
        "if I had cancer I would try everything",
        "I'm not on any meds",
        "no tengo diabetes",
        # empty
        "",
        "   ",
    ],
)
def test_does_not_flag_others_or_general_claims(text: str) -> None:
    assert not discloses_own_health(text), disclosure_evidence(text)
    assert disclosure_evidence(text) is None


def test_evidence_is_the_matched_phrase() -> None:
    assert disclosure_evidence("Honestly, I was diagnosed with type 2 last year.") == "I was diagnosed with type 2"
    assert disclosure_evidence("well my chemo starts Monday") == "my chemo"
    assert disclosure_evidence("estoy embarazada 🤰") == "estoy embarazada"


def test_demo_disclosure_posts() -> None:
    with DEMO_POSTS.open(encoding="utf-8") as handle:
        posts = [json.loads(line) for line in handle if line.strip()]
    missed = [p["text"] for p in posts if p["kind"] == "disclosure" and not discloses_own_health(p["text"])]
    flagged = [
        f"{disclosure_evidence(p['text'])!r} in {p['text']}"
        for p in posts
        if p["kind"] != "disclosure" and discloses_own_health(p["text"])
    ]
    disclosures = sum(p["kind"] == "disclosure" for p in posts)
    assert len(missed) <= disclosures // 10, "\n".join(missed)
    assert not flagged, "\n".join(flagged)
