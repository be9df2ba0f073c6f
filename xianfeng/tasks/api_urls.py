from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("tasks", api.KeyTaskViewSet, basename="tasks")
router.register("brands", api.BrandPlanViewSet, basename="brands")
urlpatterns = router.urls
