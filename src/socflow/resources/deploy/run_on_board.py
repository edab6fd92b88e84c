"""Run the paper's Algorithm 1 on this board with the socflow deployment package in this folder.

    sudo python3 run_on_board.py [design.bit] [result.json]

Loads the overlay (design.bit with its design.hwh beside it), streams every test vector through ComBlock to
the inference IP, compares every answer word with the model's, and writes the same JSON as socflow's
board_eval. Exits 1 when an answer differs from the model's.
"""

import json
import sys
from pathlib import Path

here = Path(__file__).resolve().parent
sys.path.insert(0, str(here / "python"))

from socflow.board.pynq import PynqTransport, run_deployed  # noqa: E402

bitfile = sys.argv[1] if len(sys.argv) > 1 else str(here / "design.bit")
output = Path(sys.argv[2] if len(sys.argv) > 2 else "pynq.json")
result = run_deployed(here, PynqTransport(bitfile))
output.write_text(json.dumps(result, indent=2) + "\n")
print(
    f"{result['n']} samples: {result['bit_exact_vs_golden']:.2%} answers equal the model's, "
    f"accuracy {result['board']['accuracy']:.2%}"
)
sys.exit(0 if result["bit_exact_vs_golden"] == 1.0 else 1)
