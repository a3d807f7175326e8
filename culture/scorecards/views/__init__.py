"""Scorecard pages: the dashboards and scorecards, periods and targets, reviews."""
