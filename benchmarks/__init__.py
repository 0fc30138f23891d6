"""Benchmarks: speed and accuracy measurements, run as python -m benchmarks.<name>."""
