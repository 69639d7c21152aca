"""Fields shared by every resource's serializers."""

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import extend_schema_field
from rest_framework import serializers


@extend_schema_field(OpenApiTypes.URI)
class LinkField(serializers.Field):
    """The absolute URL of the related resource ``basename`` whose id is the source value."""

    def __init__(self, basename: str, **kwargs):
        self.basename = basename
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def get_attribute(self, instance):
        # The id, without loading the related row: "city" reads instance.city_id.
        if self.source == "*":
            return instance.pk
        attname = f"{self.source}_id"
        return getattr(instance, attname) if hasattr(instance, attname) else super().get_attribute(instance)

    def to_representation(self, value):
        pk = getattr(value, "pk", value)
        return self.context["links"].detail(self.basename, pk)


class RefSerializer(serializers.Serializer):
    """A link to another resource: its id, URL and name."""

    id = serializers.IntegerField()
    url = serializers.URLField()
    name = serializers.CharField()


@extend_schema_field(RefSerializer)
class RefField(serializers.Field):
    """A link to the related object at the source (resource ``basename``): its id, URL and name
    (``name``: the object's attribute that names it; ``str`` for its text). Null when there is none."""

    def __init__(self, basename: str, *, name: str = "name", **kwargs):
        self.basename = basename
        self.name = name
        kwargs.setdefault("read_only", True)
        super().__init__(**kwargs)

    def to_representation(self, value):
        label = str(value) if self.name == "str" else getattr(value, self.name)
        return ref(self.context["links"], self.basename, value.pk, label)


def ref(links, basename: str, pk, name: str) -> dict | None:
    return None if pk is None else {"id": pk, "url": links.detail(basename, pk), "name": name}


def number(value) -> float | None:
    return None if value is None else float(value)
