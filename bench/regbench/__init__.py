"""Helpers of the registry benchmark (bench/run.py): build, measure, import, report."""
