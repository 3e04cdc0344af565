"""Benchmarks that print ratios measured in one run (never part of the pass/fail tests).

    python -m bench            # everything
    python -m bench cold_start # one or more of: cold_start, conv, train
"""
