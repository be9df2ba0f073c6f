from rest_framework.exceptions import ValidationError
from rest_framework.pagination import PageNumberPagination


class StablePagination(PageNumberPagination):
    page_size = 50
    page_size_query_param = "page_size"
    max_page_size = 500

    def get_page_size(self, request):
        # A malformed page_size is the client's error, not a silent fall back to the default.
        raw = request.query_params.get(self.page_size_query_param)
        if raw is not None and not raw.isdigit():
            raise ValidationError({self.page_size_query_param: ["每页条数应为整数"]})
        return super().get_page_size(request)
