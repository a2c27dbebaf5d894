"""Every write of operations goes through these modules: one
transaction, permission checked, the change log written."""
