"""Every «Regjeringen vil:» commitment and every Directorate measure is seeded
(Meld. St. 5 (2023–2024))."""

import re
from pathlib import Path

import pytest

from beredskap.commitments import loader, seeds
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
    assert loader.load_commitments() == (71, 0)
    Commitment.objects.filter(key="white_paper-1").update(status="done")
    assert loader.load_commitments() == (0, 0)
    assert (
        Commitment.objects.count() == 71
        and Commitment.objects.get(key="white_paper-1").status == "done"
    )
    assert Commitment.objects.filter(source=CommitmentSource.WHITE_PAPER).count() == 30
    assert Commitment.objects.filter(source=CommitmentSource.DIRECTORATE).count() == 39


def test_due_dates_given_in_the_white_paper_are_set(commitments):
    group = commitments.get(text__contains="interdepartemental arbeidsgruppe")
    assert group.due_date.isoformat() == "2024-12-31" and group.section == "4.1"
    assert commitments.get(key="white_paper_text-1").due_date.isoformat() == "2025-06-30"


def test_responsibility_follows_the_committee_lead_of_the_risk_area(commitments):
    assert (
        commitments.get(text__startswith="samle etatsansvaret").responsible_org.short_name == "DMP"
    )
    assert (
        commitments.filter(source="directorate").exclude(responsible_org__short_name="Hdir").count()
        == 0
    )
