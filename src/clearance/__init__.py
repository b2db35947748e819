"""Clearance: export-control enforcement for hosted AI models.

Decides, per request, whether a caller may use a model under the directives in force, explains why,
and keeps the evidence.
"""

__version__ = "0.1.0"
