"""Synthetic demo and benchmark data: ``normalitet.demo.seed.seed(scale=...)``."""
