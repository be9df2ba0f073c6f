from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("me/notices", api.MyNoticeViewSet, basename="my-notices")
urlpatterns = router.urls
