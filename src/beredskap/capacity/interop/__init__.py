"""Standard messages for bed capacity: OASIS EDXL-HAVE 2.0 and HL7 FHIR R4 MeasureReport
(SANER). Schemas and their sources: SOURCES.md in this folder."""
