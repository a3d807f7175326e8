"""Hiring insights: interviewer calibration, rubric validity, and quality of hire.

Contract for other apps: `hire_quality(start, end)` -> `HireQuality` (a period's hires, their mean panel
score, share meeting the bar and mean 90-day rating); `hires_from_json` reads them back as frozen at a close.
"""

from .quality import Hire, HireQuality, hire_quality, hires_from_json

__all__ = ["Hire", "HireQuality", "hire_quality", "hires_from_json"]
