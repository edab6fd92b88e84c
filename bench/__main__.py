"""`python -m bench list | run NAME [--quick] | compare NAME [A B] | render [--check]` (bench/suite.py)."""

from bench.suite import main

main()
