from culture.measurements import import_measurements
from culture.measurements.command import ImportCommand


class Command(ImportCommand):
    help = "Import daily measurements (team,kpi,date,channel,value,numerator,denominator,sample_size)."
    service = staticmethod(import_measurements)
