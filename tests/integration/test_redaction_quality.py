"""Redaction as ingest runs it (spaCy's model and Rampart's included) on the labelled personal-data set: its floors.

The floors are regression floors at the figures measured when they were set (docs/benchmarks.md, "Personal
data"); the held-back part's are the ones reported. Where a floor is below the goal (recall 0.98 per kind, false
removals at most 2 %), the goal is not met yet, and the docs say so.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from functools import cache

import pytest

from functions.cli.pii import DEFAULT_DATA
from functions.ingest.redaction_eval import KINDS, Report, evaluate, load_posts
from functions.shared.redaction import redact, redact_many
from functions.shared.settings import PROJECT_ROOT

# The development floors fell when the third round's 314 posts joined that part (names 0.969 -> 0.872, address
# 1.0 -> 0.992, look-alikes 0.33 % -> 1.71 %): one batch of them (r3c) was written with names that come without any
# cue and famous people no list names, and one (r3b) is never tuned on (docs/benchmarks.md, "Personal data").
# Rampart's names then raised names to 0.948 (development) and 0.931 (held-back), and the look-alikes removed to
# 3.17 % and 7.27 %: it does not know who is famous either.
# Lower-case given names after a relation and five more record labels (fifth session of 2026-12-02): development
# names 0.935 -> 0.940, record numbers 0.945 -> 0.982, cards 0.986 -> 1.0; the held-back part unchanged.
FLOORS: dict[str, dict[str, float]] = {
    "development": {
        "person_name": 0.939,
        "handle": 1.0,
        "phone": 0.99,
        "email": 1.0,
        "address": 0.97,
        "record_number": 0.98,
        "date_of_birth": 0.98,
        "card_number": 1.0,
        "national_id": 0.99,
    },
    "heldback": {
        "person_name": 0.93,
        "handle": 1.0,
        "phone": 0.96,
        "email": 1.0,
        "address": 0.95,
        "record_number": 1.0,
        "date_of_birth": 1.0,
        "card_number": 1.0,
        "national_id": 0.87,
    },
}
# The held-back look-alike ceiling rose from 0.043 to 0.055 when names with a surname began to be removed in any
# post (names 0.845 -> 0.879): famous people no list names are removed too (docs/benchmarks.md, "Personal data").
# Places the models took for names are kept since the eighth session of 2026-11-30 (place_names.txt): development
# look-alikes 0.0305 -> 0.0232, precision 0.957 -> 0.966; the held-back part unchanged (0.0727, 0.934).
# Relations said as people say them ("my mate", "mi compadre", "tia"), landmarks and public addresses (first
# session of 2026-12-01): development names 0.955 -> 0.965, look-alikes 0.0134 -> 0.0085, precision 0.975 -> 0.979;
# the held-back part unchanged. Then medical centres that bear a person's or a place's name (public_names.txt):
# development look-alikes 0.0085 -> 0.0049, precision 0.979 -> 0.983; held-back 0.0727 -> 0.0667, 0.934 -> 0.939.
# Then a fourth round of 220 development posts written blind (batch r4: names from many cultures, addresses, ids
# and helplines of twenty countries), and the rules its failures showed were missing (addresses' national shapes,
# more labels and birth verbs, helplines, acronyms and institutions' names, surnames after a found given name):
# development names 0.935 -> 0.952, look-alikes 3.03 % -> 1.69 %, precision 0.947 -> 0.964 (all with r4); held-back
# addresses 0.917 -> 0.958, look-alikes 6.67 % -> 4.24 %, precision 0.939 -> 0.958.
# Then a fifth round of 240 development posts written blind by two writers (batches r5a, r5b: national ids and names
# without cues from many countries; look-alikes beside private people). Measured before any rule for it, the batches
# alone: names 0.868 / 0.903, national ids 0.667 / 1.0, cards 0.25 / 0.125, record numbers 0.625 / 0.583,
# look-alikes removed 4.37 % / 7.06 %; the development part with them: names 0.932, addresses 0.983, record numbers
# 0.885, cards 0.831, national ids 0.923, look-alikes 3.01 %, precision 0.937. The rules their failures showed were
# missing (names listed with a found name, kin words and thanks in Dutch, Swedish, Polish and Turkish, a card's
# layout whatever its check digit, more id labels and labels a few words from the number, spelt-out emails;
# hashtags, "the"/"het" before a name, a town before its state, a public name's first name alone, offices, laws and
# streets named after people) brought the development part to names 0.961, record numbers 0.987, cards 1.0,
# national ids 0.972, look-alikes 2.08 %, precision 0.952 (addresses stay 0.983: three of r5's addresses are
# layouts no rule reads); held-back names unchanged (0.931), look-alikes 4.24 % -> 3.64 %, precision 0.958 -> 0.963.
# Then a numbered district after the street ("Lekki Phase 1") and an Italian flat ("int. 7") in an address's tail:
# development addresses 0.983 -> 0.994.
# Then a sixth round of 120 posts written blind (batch r6: phones, ids and addresses of twenty countries, public
# helplines and institutions' addresses beside private ones). Before any rule, the batch alone: addresses 0.500,
# look-alikes removed 6.81 %, precision 0.881; after (helplines named before their number and institutions' addresses
# kept, units and house words around an address, lower-case street types): addresses 0.786, look-alikes 3.72 %,
# precision 0.926. The development part with r6: names 0.961, phones 0.996, addresses 0.965, record numbers 0.956,
# national ids 0.961, look-alikes 2.30 %, precision 0.949; held-back unchanged.
# Then a seventh round of 120 posts written blind (batch r7: private people named without any cue, beside public
# figures, eponyms, brands and streets named after people). Before any rule, the batch alone: names 0.757, handles
# 0.667, look-alikes removed 6.73 %, precision 0.868; after (Reddit's u/ names, "meet", "cheers to" and birthday
# wishes before a name, French kin words, Turkish "Hanım"/"Bey" after one, a third name word after a two-word name;
# streets and Polish "im." before a name kept): names 0.811, handles 1.0. The development part with r7: names 0.939,
# look-alikes 2.59 %, precision 0.945; held-back unchanged.
# Then medicines kept by name (medicine_names.txt, 26,542 generic and brand names, 2026-12-02): development
# look-alikes 2.59 % -> 2.40 %, precision 0.945 -> 0.948, names unchanged; held-back unchanged.
# Then (third session of 2026-12-02) id layouts kept whatever their check digit after the document's name, medicines'
# product codes (NDC, PZN) and more helplines kept: development national ids 0.962 -> 0.995, look-alikes 2.40 % ->
# 2.11 %, precision 0.948 -> 0.953; held-back unchanged. Then Korean road-name, Japanese block (with the building)
# and Welsh type-first addresses: development addresses 0.960 -> 0.975; held-back unchanged.
# Then an eighth round of 120 posts written blind (batch r8: national ids of 28 countries, phones in national formats,
# addresses in 25 countries' shapes, 370 look-alikes). Before any rule, the batch alone: addresses 0.594, national
# ids 0.941, dates of birth 0.812, record numbers 0.812, look-alikes removed 8.92 %; after (institutions' addresses in
# more languages, house-number suffixes, Turkish, Colombian, Philippine, Indian and estate addresses, neighbourhoods
# and landmarks in the tail, more id and birth-date words, batch codes and helplines kept): 1.0, 1.0, 1.0, 0.875,
# 5.95 %. The development part with r8, before -> after: addresses 0.923 -> 0.979, national ids 0.982 -> 0.996, dates
# of birth 0.959 -> 0.990, record numbers 0.936 -> 0.945, look-alikes 2.93 % -> 2.57 %, precision 0.942 -> 0.947;
# held-back unchanged.
MAX_LOOKALIKES_REMOVED = {"development": 0.026, "heldback": 0.037}
MAX_ORDINARY_WORDS_REMOVED = {"development": 0.0027, "heldback": 0.003}
MIN_PRECISION = {"development": 0.945, "heldback": 0.96}


@cache
def report(split: str) -> Report:
    posts = [p for p in load_posts(DEFAULT_DATA) if p.split == split]
    return evaluate(posts, lambda text, author: redact(text, author, use_model=True))


@pytest.mark.parametrize("split", ["development", "heldback"])
@pytest.mark.parametrize("kind", KINDS)
def test_recall_per_kind_holds_its_floor(split: str, kind: str) -> None:
    recall, count = report(split).recall(kind)
    assert count > 0
    assert recall >= FLOORS[split][kind], f"{split} {kind}: {recall:.3f} over {count} items"


@pytest.mark.parametrize("split", ["development", "heldback"])
def test_false_removals_hold_their_ceiling(split: str) -> None:
    measured = report(split)
    assert measured.lookalike_removal_rate <= MAX_LOOKALIKES_REMOVED[split]
    assert measured.ordinary_removal_rate <= MAX_ORDINARY_WORDS_REMOVED[split]
    assert measured.precision()[0] >= MIN_PRECISION[split]


def test_pii_eval_prints_both_parts_and_lists_development_failures_only() -> None:
    run = subprocess.run(
        [sys.executable, "-m", "functions.cli.app", "pii", "eval", "--failures"],
        cwd=PROJECT_ROOT,
        env={**os.environ, "COLUMNS": "200"},
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    assert "development:" in run.stdout
    assert "heldback:" in run.stdout
    assert "recall     person_name" in run.stdout
    held_back_ids = {p.id for p in load_posts(DEFAULT_DATA) if p.split == "heldback"}
    listed = run.stdout.split("failures (development part):", 1)[1]
    assert not any(f" {post_id} " in listed for post_id in held_back_ids)
    as_json = subprocess.run(
        [sys.executable, "-m", "functions.cli.app", "pii", "eval", "--json"],
        cwd=PROJECT_ROOT,
        capture_output=True,
        text=True,
        timeout=600,
        check=True,
    )
    figures = json.loads(as_json.stdout)
    assert figures["heldback"]["recall"]["email"] == round(report("heldback").recall("email")[0], 4)


def test_the_models_load_in_a_fresh_process_without_torch_or_arcjet() -> None:
    """spaCy's backend probes for torch at import; redaction hides it, so ingest never loads torch (it is installed
    here for building the index, and absent from the Lambda image). Rampart's files are read from its package
    without importing the package, whose own module needs arcjet's client (not installed)."""
    script = (
        "import json, sys\n"
        "from functions.shared.redaction import redact\n"
        "text = redact('pray for Thandiwe Mokoena, DOB 1984-06-21', None, use_model=True).text\n"
        "loaded = {m: m in sys.modules for m in ('torch', 'spacy', 'onnxruntime', 'arcjet')}\n"
        "print(json.dumps({'text': text, **loaded}))\n"
    )
    done = subprocess.run(
        [sys.executable, "-c", script], cwd=PROJECT_ROOT, capture_output=True, text=True, timeout=600, check=True
    )
    result = json.loads(done.stdout.strip().splitlines()[-1])
    expected = {"torch": False, "spacy": True, "onnxruntime": True, "arcjet": False}
    assert result == {"text": "pray for [name], DOB [date of birth]", **expected}


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        # names no list holds and no cue introduces: only Rampart finds them
        ("Nkechi Obi and I argued about the vaccine again.", "[name] and I argued about the vaccine again."),
        ("Dilnoza swears the drops cured him, text 07700 900123", "[name] swears the drops cured him, text [phone]"),
        # public people stay: named in a news sense, listed, or after a title of office
        ("Marcus Rashford said free school meals matter", "Marcus Rashford said free school meals matter"),
        ("Anthony Fauci lied about the lab, wake up", "Anthony Fauci lied about the lab, wake up"),
    ],
)
def test_rampart_finds_names_without_cues_and_keeps_public_people(text: str, expected: str) -> None:
    assert redact(text, None, use_model=True).text == expected


def test_a_long_post_is_read_in_windows() -> None:
    """Past the model's window a post is read in overlapping windows: a name near the end of a long post is found
    with the confidence it has in a short one."""
    from functions.shared.name_tagger import tag_names

    ending = " Nkechi Obi and I argued about it."
    long_text = "The flu jab is safe for most people and it is offered every autumn. " * 50 + ending
    short, long = tag_names([ending.strip(), long_text])
    assert [long_text[s:e] for s, e in long.spans(0.8)] == ["Nkechi Obi"]
    assert min(w.confidence for w in long.words) > min(w.confidence for w in short.words) - 0.15


def test_a_batch_is_redacted_exactly_as_one_post_at_a_time() -> None:
    """``redact_many`` (ingest's path: the model reads the batch with ``nlp.pipe``) gives every labelled post the
    same text and spans as ``redact`` does post by post."""
    posts = load_posts(DEFAULT_DATA)
    batched = redact_many([(p.text, p.author_handle) for p in posts], use_model=True)
    for post, together in zip(posts, batched, strict=True):
        alone = redact(post.text, post.author_handle, use_model=True)
        assert (together.text, together.spans) == (alone.text, alone.spans), post.id


def test_the_model_reads_only_posts_whose_result_it_can_change(monkeypatch: pytest.MonkeyPatch) -> None:
    """spaCy's model reads a post only when it exposes someone's details or holds a word that may be a listed given
    name; over every labelled post and every stance example (ten languages) the result is exactly what reading every
    post gives, and most posts are spared."""
    from functions.shared import names, redaction

    posts = [(p.text, p.author_handle) for p in load_posts(DEFAULT_DATA)]
    for path in sorted((PROJECT_ROOT / "knowledge_base" / "stance").glob("*.jsonl")):
        posts += [(json.loads(line)["text"], None) for line in path.read_text("utf-8").splitlines() if line.strip()]
    read: list[str] = []
    parse_many = names.parse_many

    def counting(texts: list[str]) -> list[object]:
        read.extend(texts)
        return parse_many(texts)

    monkeypatch.setattr(redaction, "parse_many", counting)
    found = redact_many(posts, use_model=True)
    assert len(read) < len(posts) / 2  # 1,839 of 6,225 with the CheckThat tweets and the demo posts too

    def skipped(text: str, author: str | None) -> bool:
        redactor = redaction._Redactor(text, author)
        redactor.before_the_model()
        return not redactor.needs_the_model()

    # The posts the model did not read, read by it now: the same result (a post's redaction does not depend on the
    # others in its batch, test_a_batch_is_redacted_exactly_as_one_post_at_a_time).
    spared = [i for i, (text, author) in enumerate(posts) if skipped(text, author)]
    assert len(spared) == len(posts) - len(read)
    monkeypatch.setattr(redaction._Redactor, "needs_the_model", lambda _self: True)
    assert [found[i] for i in spared] == redact_many([posts[i] for i in spared], use_model=True)


def test_skipping_regions_whose_numbers_need_more_digits_changes_no_finding(monkeypatch: pytest.MonkeyPatch) -> None:
    """libphonenumber runs only for regions whose shortest valid number fits in the post's digits; over every
    labelled post it finds exactly what running every region finds."""
    from functions.shared import redaction

    texts = [json.loads(line)["text"] for line in DEFAULT_DATA.read_text("utf-8").splitlines() if line.strip()]
    texts += ["+49 30 901820", "ring 0228 1234", "+44 20 7946 0958 or 116 123", "1998"]
    gated = [redaction._valid_phone_numbers(text) for text in texts]
    monkeypatch.setattr(redaction, "_fewest_phone_digits", lambda: dict.fromkeys(redaction.PHONE_REGIONS, 0))
    assert gated == [redaction._valid_phone_numbers(text) for text in texts]
    assert sum(map(len, gated)) > 100  # the labelled posts hold well over a hundred national numbers
