"""The website: generated Markdown pages, Plotly charts, and the MkDocs build."""
