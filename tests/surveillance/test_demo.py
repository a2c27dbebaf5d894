"""The demo loads two years of weekly consultations once, and the planted outbreak in Nordland
shows up as signals in Nordland (and, by the fixed seed, nowhere else in the last weeks)."""

from beredskap.surveillance.models import DetectionResult, Indicator, Signal


def test_the_demo_shows_signals_in_nordland_and_loads_once(db):
    from beredskap.actors.demo import load_demo as actors_demo
    from beredskap.surveillance.demo import load_demo

    actors_demo()
    load_demo()
    assert load_demo() == "already loaded"
    assert Indicator.objects.count() == 1
    counties = set(Signal.objects.values_list("series__county_number", flat=True))
    assert "18" in counties
    from beredskap.core.models import Municipality

    in_nordland = Municipality.objects.filter(county__number="18").count()
    nordland = Signal.objects.filter(series__county_number="18").count()
    elsewhere = Signal.objects.exclude(series__county_number="18").count()
    assert nordland == in_nordland  # every planted outbreak is found
    assert elsewhere < 0.25 * (Municipality.objects.count() - in_nordland)
    assert DetectionResult.objects.filter(status="ok").count() >= 357 * 40
