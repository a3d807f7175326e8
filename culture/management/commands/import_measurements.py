from culture.measurements import import_measurements
from culture.measurements.command import ImportCommand


class Command(ImportCommand):
    help = (
        "Import daily measurements (team,kpi,date,channel,value,numerator,denominator,sample_size; "
        "opening,gained,lost,closing for customer-base KPIs)."
    )
    service = staticmethod(import_measurements)
    kind = "measurements"
