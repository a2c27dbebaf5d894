"""Every write to capacity goes through these modules: one
transaction, permission checked, the change log written."""
