"""Mawa (مأوى, "shelter"): an information system for the humanitarian response to displacement."""

__version__ = "0.1.0"
