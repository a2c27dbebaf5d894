"""Every write of operations goes through these modules (DESIGN.md style 2)."""
