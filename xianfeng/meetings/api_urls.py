from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("meetings", api.MeetingViewSet, basename="meetings")
urlpatterns = router.urls
