from culture.measurements import import_responses
from culture.measurements.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Import survey responses (team,survey,date,channel,score,respondent[,comment]) "
        "and recompute daily NPS/CSAT/CES."
    )
    service = staticmethod(import_responses)
    kind = "responses"
