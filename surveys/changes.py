"""The hook surveys call when a response is submitted, for the apps above to act on its answers.

Partnerships connects ``partnerships.survey_answers.on_response_submitted`` in its
``AppConfig.ready()``: the answers are merged into the city's partnership interest and become the
respondent's consent (docs/surveys.md). It runs inside the submitting transaction, so a submission and
what it feeds are saved together or not at all. A receiver may return a sentence for the respondent
(what their answers changed), which the answer page shows.
"""

from travelsouth.hooks import Hook

response_submitted = Hook(
    "response_submitted",
    "Called with ``response`` and ``previous_city_id`` inside response_submit's transaction.",
)
