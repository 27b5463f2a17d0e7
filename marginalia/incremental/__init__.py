"""Incremental: the fast implementations behind the build's seams (cache of parsed files, build state, parallel workers)."""
