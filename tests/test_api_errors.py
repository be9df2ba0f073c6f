"""Every 400 from the API has the documented shape {"detail": …}, even for odd query values."""

import pytest
from django.urls import reverse

pytestmark = pytest.mark.django_db


def test_nul_character_in_a_query_value_is_a_documented_400(world, api):
    client = api(world.users["street_admin"])
    response = client.get(reverse("api:transfers-list"), {"search": "\x00H", "page": "-3"})
    assert response.status_code in (200, 400, 404)
    if response.status_code == 400:
        assert isinstance(response.json(), dict) and "detail" in response.json()
