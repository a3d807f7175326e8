"""Hiring pages, one module per area; `hiring.urls` wires them."""
