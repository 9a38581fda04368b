"""Loaders: read source files into text, and text into records.

:func:`extract_file` is the entry point: one file in, one :class:`~policykg.records.Extraction` out.
"""

from .extract import extract_file, extract_source

__all__ = ["extract_file", "extract_source"]
