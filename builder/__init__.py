"""Pathway builder: turn a list of learning resources into a sequenced leadership-development programme."""

__version__ = "0.1.0"
