"""Dagster only: thin assets, checks, jobs, schedules and resources over the pure stages."""
