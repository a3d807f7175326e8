from culture.imports.command import ImportCommand
from culture.imports.services import import_responses


class Command(ImportCommand):
    help = "Import survey responses (team,survey,date,channel,score,respondent) and recompute daily NPS/CSAT/CES."
    service = staticmethod(import_responses)
