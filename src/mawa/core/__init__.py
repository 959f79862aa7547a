"""Shared core: places (P-coded areas and sites), users with roles and site scope, the audit log."""
