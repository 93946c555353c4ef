"""Benchmarks (not tests): scripts and the bench-only settings they serve the shop with (bench/README.md)."""
