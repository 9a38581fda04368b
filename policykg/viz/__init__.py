"""Browser views: interactive network pages (pyvis) and the HTML report.

- :mod:`.views`: which nodes a view shows (a plan, an agency, a national document, a province, a
  neighbourhood, the overview), grouped when large;
- :mod:`.network`: the self-contained network page;
- :mod:`.report`: the HTML report (plans, agencies, findings) and the XLSX task tables.
"""

from .network import render
from .views import View, select

__all__ = ["View", "select", "render"]
