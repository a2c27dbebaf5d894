"""The access sweep's machinery: a generic record builder, personas, an independent oracle and
a walker over the URL resolver and the OpenAPI schema (DESIGN.md rules 1 and 13)."""
