"""Synthetic demo data for trying egovctl and for benchmarks."""
