"""Shared staff-side widgets and helpers (idle watcher, background tasks)."""
