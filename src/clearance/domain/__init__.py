"""Pure values and rules of export control for model access: no I/O, no clocks, no globals.

Everything here is deterministic, so it is where the exhaustive and property-based tests live.
"""
