from django.urls import reverse


class Links:
    """Absolute URLs of API resources for one request, built without a reverse() per row."""

    def __init__(self, request):
        self._request = request
        self._list_urls: dict[str, str] = {}

    def list(self, basename: str) -> str:
        url = self._list_urls.get(basename)
        if url is None:
            url = self._request.build_absolute_uri(reverse(f"api:{basename}-list"))
            self._list_urls[basename] = url
        return url

    def detail(self, basename: str, pk) -> str | None:
        return None if pk is None else f"{self.list(basename)}{pk}/"
