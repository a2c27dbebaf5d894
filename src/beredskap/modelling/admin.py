"""Simulation runs are protected records (owner, classification, sharing) and are therefore not
in the Django admin: the admin reads and writes past `visible_to` and the services, so a staff
user without clearance would see and change classified runs. Operators use the app's own pages
(`/modellering/`), which follow the access rule."""
