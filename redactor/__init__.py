"""redactor."""
