def test_a_snapshot_of_a_partly_loaded_record_does_not_load_the_rest(
    org, django_assert_num_queries
):
    from beredskap.actors.models import Organisation
    from beredskap.core.audit import snapshot

    partial = Organisation.objects.only("id").get(pk=org("HOD").pk)
    with django_assert_num_queries(0):
        values = snapshot(partial)
    assert values == {"id": partial.pk}
