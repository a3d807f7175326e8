"""Measurement and survey-response imports: reading files, pure validation rules, and the write path."""
