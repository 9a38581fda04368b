"""Browser views of the graph (pyvis network pages, HTML reports) land here (issue 7)."""

__all__: list[str] = []
