from django.utils.translation import gettext_lazy as _
from rest_framework import serializers

from cities.api.serializers import LanguageSerializer, SpeakerSerializer
from travelsouth.api.serializers import LinkField, RefField, RefSerializer, ref, with_translations


class SeriesRefSerializer(serializers.Serializer):
    slug = serializers.SlugField()
    title = serializers.CharField()


class PlatformViewsSerializer(serializers.Serializer):
    platform = serializers.CharField()
    views = serializers.IntegerField()
    as_of = serializers.DateField()
    as_of_precision = serializers.ChoiceField(
        choices=["day", "undated"],
        help_text=_("'undated': the source gives no date; as_of is the data set's reading of it."),
    )
    source = serializers.CharField()


class ViewsSerializer(serializers.Serializer):
    total = serializers.IntegerField(help_text=_("Sum of each platform's latest figure."))
    by_platform = PlatformViewsSerializer(many=True)


@with_translations("title", "summary")
class WebinarListSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = LinkField("webinar", source="*")
    series = SeriesRefSerializer()
    number = serializers.IntegerField()
    slug = serializers.SlugField()
    title = serializers.CharField()
    summary = serializers.CharField()
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
                {
                    "platform": c.platform,
                    "views": c.views,
                    "as_of": c.as_of.isoformat(),
                    "as_of_precision": c.as_of_precision,
                    "source": c.source,
                }
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
    moderator_role = serializers.CharField(help_text=_("The moderator's title as printed in the agenda."))
    city = RefField("city", allow_null=True, help_text=_("The city represented."))
    organisation = RefField("organisation", allow_null=True, help_text=_("The organisation represented."))


class QuoteSpeakerSerializer(serializers.Serializer):
    """Who a quote is attributed to: the person as the public sees them, and the role printed with it."""

    name = serializers.CharField(source="person.display_name")
    role = serializers.CharField(help_text=_("As printed with the quote; empty when none is printed."))
    title = serializers.CharField(source="person.title", help_text=_("The person's position, as printed."))
    city = RefField("city", source="person.city", allow_null=True)
    organisation = RefField("organisation", name="str", source="person.organisation", allow_null=True)


class LanguageRefSerializer(serializers.Serializer):
    code = serializers.CharField()
    name = serializers.CharField()


class QuoteSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    url = LinkField("quote", source="*")
    webinar = RefField("webinar", name="title")
    webinar_number = serializers.IntegerField(source="webinar.number")
    section = serializers.ChoiceField(
        choices=["opening_messages", "highlights", "concluding_remarks"],
        help_text=_("Where the report prints it."),
    )
    position = serializers.IntegerField(
        help_text=_("Its place among the webinar's quotes in that section, from 1.")
    )
    text = serializers.CharField(
        help_text=_('As printed: "[sic]" after a misspelling, "[…]" where the text breaks off.')
    )
    language = LanguageRefSerializer(help_text=_("The language of the original (the text as printed)."))
    speakers = QuoteSpeakerSerializer(many=True, source="attributions.all")
    city = RefField("city", allow_null=True, help_text=_("The city or local authority spoken for."))
    cities_mentioned = serializers.SerializerMethodField(
        help_text=_("Other cities and local authorities the quote or its attribution names.")
    )

    def get_cities_mentioned(self, quote) -> RefSerializer(many=True):
        links = self.context["links"]
        return [ref(links, "city", city.pk, city.name) for city in quote.cities_mentioned.all()]


class WebinarDetailSerializer(WebinarListSerializer):
    agenda = AgendaItemSerializer(many=True, source="agenda_items")
    quotes = QuoteSerializer(
        many=True, source="quotes.all", help_text=_("The report's quotes, in its order.")
    )
    speakers = serializers.SerializerMethodField(help_text=_("Everyone who spoke, once, in agenda order."))

    def get_speakers(self, webinar) -> SpeakerSerializer(many=True):
        speakers = {}
        for item in webinar.agenda_items.all():
            if item.speaker_id and item.speaker_id not in speakers:
                speakers[item.speaker_id] = item.speaker
        return SpeakerSerializer(list(speakers.values()), many=True, context=self.context).data
