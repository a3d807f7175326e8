from culture.imports.command import ImportCommand
from culture.imports.services import import_measurements


class Command(ImportCommand):
    help = "Import daily measurements (team,kpi,date,channel,value,numerator,denominator,sample_size)."
    service = staticmethod(import_measurements)
