from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("instructor-visits", api.VisitViewSet, basename="instructor-visits")
urlpatterns = router.urls
