from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("orgs", api.OrganizationViewSet, basename="orgs")
urlpatterns = router.urls
