"""Reads for capacity, always through visible_to(user) (DESIGN.md style 3)."""
