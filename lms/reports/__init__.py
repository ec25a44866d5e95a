"""Organisation reports: aggregates by org unit and competence, small-group suppression, trends, exports."""
