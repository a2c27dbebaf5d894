"""The access sweep's machinery: a generic record builder, personas, an independent oracle and
a walker over the URL resolver and the OpenAPI schema, so a
new page or endpoint is checked for leaks without editing a test."""
