"""Evaluate a set of real partnerships from scratch: `python eval/run.py --set eval/real
--with-demo [--model NAME]` (see matchmaker/evaluate_set.py and eval/README.md)."""

import sys

from matchmaker.evaluate_set import main

if __name__ == "__main__":
    sys.exit(main())
