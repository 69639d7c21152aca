from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cities.api.serializers import LanguageSerializer, SpeakerSerializer
from travelsouth.api.serializers import LinkField, RefField, RefSerializer, ref


class SeriesRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()


class PlatformViewsSerializer(serializers.Serializer):
    platform = serializers.CharField()
    views = serializers.IntegerField()
    as_of = serializers.DateField()
    source = serializers.CharField()


class ViewsSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text=_("Sum of each platform's latest figure."))
    by_platform = PlatformViewsSerializer(many=True)


class WebinarListSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = LinkField("webinar", source="*")
    series = SeriesRefSerializer()
    number = serializers.IntegerField()
    slug = serializers.SlugField()
    title = serializers.CharField()
    title_es = serializers.CharField()
    title_zh = serializers.CharField()
    summary = serializers.CharField()
    summary_es = serializers.CharField()
    summary_zh = serializers.CharField()
    broadcast_on = serializers.DateField()
    broadcast_precision = serializers.ChoiceField(
        choices=["day", "month"], help_text=_("'month': only the month of broadcast_on is known.")
    )
    languages = LanguageSerializer(many=True)
    organising_partners = serializers.SerializerMethodField()
    recording_url = serializers.CharField()
    views = serializers.SerializerMethodField()
    good_practices_url = serializers.SerializerMethodField()

    def get_organising_partners(self, webinar) -> RefSerializer(many=True):
        links = self.context["links"]
        return [
            ref(links, "organisation", organisation.pk, organisation.name)
            for organisation in webinar.organising_partners.all()
        ]

    def get_views(self, webinar) -> ViewsSerializer:
        counts = list(webinar.view_counts.all())
        return {
            "total": sum(count.views for count in counts),
            "by_platform": [
                {"platform": c.platform, "views": c.views, "as_of": c.as_of.isoformat(), "source": c.source}
                for c in counts
            ],
        }

    def get_good_practices_url(self, webinar) -> str:
        return f"{self.context['links'].list('good-practice')}?webinar={webinar.pk}"


class ModeratorSerializer(serializers.Serializer):
    name = serializers.CharField(source="display_name")


class AgendaItemSerializer(serializers.Serializer):
    order = serializers.IntegerField()
    kind = serializers.CharField()
    title = serializers.CharField()
    speaker = SpeakerSerializer(allow_null=True)
    speaker_role = serializers.CharField(help_text=_("Position and affiliation as printed in the agenda."))
    moderator = ModeratorSerializer(allow_null=True)
    city = RefField("city", allow_null=True, help_text=_("The city represented."))
    organisation = RefField("organisation", allow_null=True, help_text=_("The organisation represented."))


class WebinarDetailSerializer(WebinarListSerializer):
    agenda = AgendaItemSerializer(many=True, source="agenda_items")
    speakers = serializers.SerializerMethodField(help_text=_("Everyone who spoke, once, in agenda order."))

    def get_speakers(self, webinar) -> SpeakerSerializer(many=True):
        speakers = {}
        for item in webinar.agenda_items.all():
            if item.speaker_id and item.speaker_id not in speakers:
                speakers[item.speaker_id] = item.speaker
        return SpeakerSerializer(list(speakers.values()), many=True, context=self.context).data
