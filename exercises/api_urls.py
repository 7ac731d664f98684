app_name = "exercises-api"

urlpatterns: list = []
