"""Tip visit bookings: residents book a time at a household waste recycling centre; site staff check
visitors in. Rules in `services.py`, slot times in `availability.py`, registrations in `registrations.py`."""
