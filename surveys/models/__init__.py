"""The models of surveys, one module per concept.

surveys.py     surveys, their questions and options
responses.py   responses and their answers, invitees with personal links, responses' history
"""

from .responses import Answer, Response, ResponseRevision, SurveyInvitee, SurveyParticipation
from .surveys import RESERVED_SURVEY_SLUGS, Option, Question, Survey

__all__ = [
    "RESERVED_SURVEY_SLUGS",
    "Answer",
    "Option",
    "Question",
    "Response",
    "ResponseRevision",
    "Survey",
    "SurveyInvitee",
    "SurveyParticipation",
]
