"""Every write to capacity goes through these modules (DESIGN.md style 2)."""
