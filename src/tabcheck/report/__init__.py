"""Renderers: every output reads the same RunReport."""
