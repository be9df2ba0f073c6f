from rest_framework.routers import SimpleRouter

from . import api

router = SimpleRouter()
router.register("star-ratings", api.StarRatingViewSet, basename="star-ratings")
router.register("member-assessments", api.MemberAssessmentViewSet, basename="member-assessments")
urlpatterns = router.urls
