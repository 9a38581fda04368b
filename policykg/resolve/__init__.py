"""Resolution: from what the text says to canonical nodes.

- :mod:`.gazetteer`: the one gazetteer of agencies, collectives, provinces and named units;
- :mod:`.jurisdictions`: the province a document belongs to, before or after the 2025 merger;
- :mod:`.agencies`: one agency per gazetteer entry per jurisdiction;
- :mod:`.documents`: one node per document, however it is cited.
"""

from .agencies import AgencyRef, resolve_agency, resolve_issuer
from .documents import DocumentIndex
from .gazetteer import Gazetteer, gazetteer
from .jurisdictions import Jurisdiction, jurisdiction_for, national

__all__ = ["AgencyRef", "resolve_agency", "resolve_issuer", "DocumentIndex", "Gazetteer", "gazetteer", "Jurisdiction",
           "jurisdiction_for", "national"]
