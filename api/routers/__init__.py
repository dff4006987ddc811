"""The HTTP routes, one module per audience: recordings (QA, ingest), audit (compliance),
admin, and the web pages."""
