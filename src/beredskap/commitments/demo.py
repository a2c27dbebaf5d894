"""Demo data: every commitment from the seeds, some progress, and one earlier Storting report so
the next one shows changes. Idempotent: progress is only added once."""

from __future__ import annotations

from datetime import timedelta

from django.db import transaction
from django.utils import timezone

from beredskap.commitments import reports, services
from beredskap.commitments.loader import load_commitments
from beredskap.commitments.models import Commitment, ProgressNote, StatusReport
from beredskap.core.audit import acting_as
from beredskap.core.models import User

EARLY = [
    (
        "white_paper-21",
        "done",
        "Direktoratet for medisinske produkter ble opprettet 1. januar 2024.",
    ),
    ("white_paper-17", "done", "Arbeidsgruppen leverte sin rapport i desember 2024."),
    (
        "white_paper-18",
        "in_progress",
        "Mandat for utvalg for digital sikkerhet er sendt på høring.",
    ),
]
LATER = [
    ("white_paper-25", "in_progress", "Utvalget for vannforsyning har hatt konstituerende møte."),
    (
        "white_paper_text-1",
        "in_progress",
        "Høringsnotat om endringer i helseberedskapsloven er under arbeid.",
    ),
]


DEMO_INTRODUCTION = (
    "Regjeringen orienterer med dette Stortinget om status for oppfølgingen av Meld. St. 5 "
    "(2023–2024) En motstandsdyktig helseberedskap.\n\nRapporten omfatter regjeringens "
    "forpliktelser i meldingen og Helsedirektoratets tiltaksliste."
)
DEMO_ASSESSMENT = (
    "Arbeidet med den nye helseberedskapsmodellen er i gang. Forpliktelser med passert frist er "
    "listet først, med ansvarlig og siste notat."
)


@transaction.atomic
def load_demo() -> str:
    created, _updated = load_commitments()
    by = (
        User.objects.filter(username="sekretariat").first()
        or User.objects.filter(is_superuser=True).first()
    )
    if by is None or ProgressNote.objects.exists():
        return f"{Commitment.objects.count()} forpliktelser ({created} nye)."
    today = timezone.localdate()
    with acting_as(by):
        for key, status, text in EARLY:
            commitment = Commitment.objects.get(key=key)
            services.add_progress(
                by=by,
                commitment=commitment,
                status=status,
                text=text,
                written_on=today - timedelta(days=90),
            )
        if not StatusReport.objects.exists():
            services.save_preface(
                by=by,
                kind="storting",
                expected_version=None,
                introduction=DEMO_INTRODUCTION,
                assessment=DEMO_ASSESSMENT,
            )
            reports.generate_report(by=by, kind="storting")
        for key, status, text in LATER:
            services.add_progress(
                by=by, commitment=Commitment.objects.get(key=key), status=status, text=text
            )
    return (
        f"{Commitment.objects.count()} forpliktelser med framdrift og en tidligere statusrapport."
    )
