"""Synthetic organisations and the benchmarks that run against them (see bench/README.md)."""
