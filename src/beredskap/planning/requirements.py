"""The ten requirements of box 2.1 in Meld. St. 5 (2023–2024) (samfunnssikkerhetsinstruksen):
what every ministry must be able to document. Paraphrased short titles."""

from django.utils.translation import gettext_lazy as _

BOX_2_1 = {
    1: _("Roller og ansvar i samfunnssikkerhetsarbeidet er avklart og beskrevet"),
    2: _("Systematiske risiko- og sårbarhetsanalyser av tilsiktede og utilsiktede hendelser"),
    3: _("Nødvendige kompenserende tiltak er iverksatt"),
    4: _(
        "Beredskapstiltakenes evne til å redusere sannsynlighet og håndtere konsekvenser er "
        "beskrevet"
    ),
    5: _("Mål for samfunnssikkerhetsarbeidet i sektoren"),
    6: _("Forebygging, beredskap og krisehåndtering er samordnet med berørte departementer"),
    7: _("Krisehåndtering: planverk og målrettede øvelser (med øvingsplan)"),
    8: _("Hendelser og øvelser evalueres, og læringspunkter følges opp i en tiltaksplan"),
    9: _("Relevante planer og regelverksendringer forelegges Justis- og beredskapsdepartementet"),
    10: _("Kunnskapsbasert arbeid, forskning og utvikling i sektoren"),
}
