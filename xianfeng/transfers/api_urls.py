from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("transfers", api.TransferViewSet, basename="transfers")
urlpatterns = router.urls
