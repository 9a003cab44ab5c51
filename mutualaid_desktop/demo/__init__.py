"""Realistic fictitious data at any scale, for demos, tests and benchmarks."""

from mutualaid_desktop.demo.generator import DemoSummary, build_demo

__all__ = ["DemoSummary", "build_demo"]
