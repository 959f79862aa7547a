"""Assistance: stock, programmes and entitlements, ration cards, distribution and redemption."""
