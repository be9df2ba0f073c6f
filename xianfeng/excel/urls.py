app_name = "excel"
urlpatterns = []
