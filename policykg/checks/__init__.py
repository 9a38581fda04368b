"""Consistency checks: SHACL shapes and graph checks, and the report staff act on."""

from .findings import CHECKS, Finding
from .graph_checks import run_graph_checks

__all__ = ["CHECKS", "Finding", "run_graph_checks"]
