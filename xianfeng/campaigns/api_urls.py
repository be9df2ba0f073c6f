from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("campaigns", api.CampaignViewSet, basename="campaigns")
router.register("campaign-cases", api.CaseViewSet, basename="campaign-cases")
urlpatterns = router.urls
