"""Every «Regjeringen vil:» commitment and every Directorate measure is seeded
(Meld. St. 5 (2023–2024))."""

import re
from pathlib import Path

import pytest

from beredskap.commitments import loader, seeds, seeds_attribution, seeds_prose
from beredskap.commitments.models import Commitment, CommitmentSource

SEED_DIR = Path("/work/shared/seeds")
needs_seeds = pytest.mark.skipif(
    not (SEED_DIR / loader.WHITE_PAPER_FILE).exists(), reason="seed text not present"
)


def _bullets_after_each_list(text: str) -> int:
    """Independent count: bullets between each «Regjeringen vil:» and the next numbered heading."""
    lines, total = text.splitlines(), 0
    for i, line in enumerate(lines):
        if re.match(r"^\s*Regjeringen vil:\s*$", line):
            for following in lines[i + 1 : i + 80]:
                if re.match(r"^\s?\d(\.\d{1,2})?\s+[A-ZÆØÅ]", following):
                    break
                total += following.strip().startswith("•")
    return total


@needs_seeds
def test_the_parser_finds_every_bullet_of_every_regjeringen_vil_list():
    text = (SEED_DIR / loader.WHITE_PAPER_FILE).read_text(encoding="utf-8")
    found = seeds.parse_white_paper(text)
    assert len(re.findall(r"(?m)^\s*Regjeringen vil:\s*$", text)) == 12
    assert len(found) == _bullets_after_each_list(text) == 30
    assert [f.section for f in found].count("4.6") == 3
    assert found[6].text.endswith("Helse- og omsorgsdepartementet og frivillige organisasjoner")
    assert all(not re.search(r"\d\s{2}[A-ZÆØÅ]", f.text) for f in found)


@needs_seeds
def test_the_parser_finds_every_measure_of_the_directorate_and_no_attachment():
    text = (SEED_DIR / loader.DIRECTORATE_FILE).read_text(encoding="utf-8")
    found = seeds.parse_directorate_measures(text)
    assert len(found) == 39
    assert found[0].section_title == "Risikostyring"
    assert not any("IS-2635" in f.text for f in found)
    assert found[-1].text.startswith("Vurdere en egen trusselanalyse")


@needs_seeds
def test_the_shipped_file_matches_the_seed_text():
    assert loader.extract(SEED_DIR) == loader.shipped_rows()


def test_hyphenated_line_breaks_are_joined():
    assert (
        seeds.join_lines(["styrke helsebered-", "skapen og sivil-", "militært"])
        == "styrke helseberedskapen og sivil-militært"
    )


def test_loading_is_idempotent_and_keeps_status(db):
    assert loader.load_commitments() == (114, 0)
    Commitment.objects.filter(key="white_paper-1").update(status="done")
    assert loader.load_commitments() == (0, 0)
    assert (
        Commitment.objects.count() == 114
        and Commitment.objects.get(key="white_paper-1").status == "done"
    )
    assert Commitment.objects.filter(source=CommitmentSource.WHITE_PAPER).count() == 30
    assert Commitment.objects.filter(source=CommitmentSource.WHITE_PAPER_TEXT).count() == 45
    assert Commitment.objects.filter(source=CommitmentSource.DIRECTORATE).count() == 39


@needs_seeds
def test_every_regjeringen_vil_of_the_running_text_is_found_and_the_seeded_count_matches(db):
    text = (SEED_DIR / loader.WHITE_PAPER_FILE).read_text(encoding="utf-8")
    # Independent count over the raw text with end-of-line hyphens undone («regjerin-» + «gen»),
    # across line breaks: every «Regjeringen vil» without a colon opens one sentence.
    unbroken = re.sub(r"-[ \t]*\n[ \t]*", "", text)
    raw = len(re.findall(r"Regjeringen\s+vil(?!:)\s", unbroken))
    counts = seeds_prose.tally(text)
    assert raw == counts["running_text_sentences"] == 54
    assert (counts["about_the_paper"], counts["restating_a_list_item"]) == (2, 7)
    loader.load_commitments()
    seeded = Commitment.objects.filter(source=CommitmentSource.WHITE_PAPER_TEXT).count()
    assert seeded == counts["running_text_commitments"] == 54 - 2 - 7


@needs_seeds
def test_a_sentence_cut_by_a_page_break_goes_on_after_the_footnotes():
    text = (SEED_DIR / loader.WHITE_PAPER_FILE).read_text(encoding="utf-8")
    found = {f.text for f in seeds_prose.parse_prose_commitments(text)}
    assert (
        "videreføre eller etablere arenaer for dialog med representanter for innvandrergrupper og "
        "utsatte grupper, og opprette kanaler for kommunikasjon med disse gruppene"
    ) in found
    assert "fra 1. januar 2024 opprette et direktorat for medisinske produkter" in found
    assert not any("denne meldingen" in f for f in found)
    assert not any(f.startswith("legge til rette for at frivillig sektor") for f in found)


def test_a_restated_list_item_is_recognised_and_a_new_commitment_is_not():
    item = "kartlegge situasjonen for nødvannsforsyning og utrede behov for tiltak"
    assert seeds_prose.restates(
        "kartlegge situasjonen for nødvannsforsyning og utrede eventuelle behov og tiltak", item
    )
    assert not seeds_prose.restates("utvikle et regelverk om biosikring", item)


@pytest.mark.parametrize(
    ("text", "due"),
    [
        ("fra 1. januar 2024 opprette et direktorat", "2024-01-01"),
        ("fremlegge forslag til lovendringer våren 2025", "2025-06-30"),
        ("fremme en stortingsmelding i løpet av 2024", "2024-12-31"),
        ("i 2024 fremme en egen stortingsmelding om Svalbard", "2024-12-31"),
        ("revidere handlingsplanen 2019–2023", None),
    ],
)
def test_a_deadline_is_taken_from_the_words_of_the_text(text, due):
    given = seeds_attribution.due_from_text(text)
    assert (given[0] if given else None) == due


def test_due_dates_given_in_the_white_paper_are_set(commitments):
    group = commitments.get(text__contains="interdepartemental arbeidsgruppe")
    assert group.due_date.isoformat() == "2024-12-31" and group.section == "4.1"
    law = commitments.get(key="white_paper_text-1")
    assert law.due_date.isoformat() == "2025-06-30" and "våren 2025" in law.due_note
    dmp = commitments.get(text__startswith="fra 1. januar 2024 opprette")
    assert dmp.due_date.isoformat() == "2024-01-01" and dmp.section == "4.3"
    assert commitments.filter(due_date__isnull=False).count() == 5


def test_responsibility_is_who_the_text_names(commitments):
    assert (
        commitments.get(text__startswith="samle etatsansvaret").responsible_org.short_name == "DMP"
    )
    assert commitments.get(
        text__startswith="styrke sivilt-militært"
    ).responsible_org.short_name == ("HOD")
    measures = commitments.filter(source="directorate")
    assert measures.get(text__contains="foreslår at DSB").responsible_org.short_name == "DSB"
    assert measures.get(text__contains="foreslår at HOD").responsible_org.short_name == "HOD"
    assert measures.get(text__contains="HelseCERT").responsible_org.short_name == "NHN"
    council = measures.get(text__startswith="Kommuner og helseforetak")
    assert (
        council.responsible_org is None and council.responsible_text == "Kommuner og helseforetak"
    )
    security = measures.filter(responsible_text__contains="sikkerhetsloven")
    assert security.count() == 7 and not security.filter(responsible_org__isnull=False).exists()
    assert measures.filter(responsible_org__short_name="Hdir").count() == 39 - 15


def test_a_commitment_loaded_before_the_text_attribution_gets_it_once(commitments, org):
    measure = commitments.get(text__contains="foreslår at DSB")
    type(measure).objects.filter(pk=measure.pk).update(
        responsible_org=org("Hdir"), responsible_text=""
    )
    assert loader.load_commitments() == (0, 1)
    measure.refresh_from_db()
    assert measure.responsible_org.short_name == "DSB" and measure.responsible_text == "DSB"
    type(measure).objects.filter(pk=measure.pk).update(responsible_org=org("FHI"))
    assert loader.load_commitments() == (0, 0)  # a later change by the secretariat is kept
    measure.refresh_from_db()
    assert measure.responsible_org.short_name == "FHI"
