"""The stream protocol shared by hardware, driver, firmware and emulator: its words, its C header, its named errors."""

from __future__ import annotations

import numpy as np
import pytest

from socflow.board.protocol import Protocol
from socflow.errors import ConfigError


def test_protocol_words_and_header():
    protocol = Protocol(n_inputs=3, input_type="ap_fixed<16,6>", n_classes=2, score_width=19, score_fractional=12)
    words = protocol.encode(np.array([[1.5, -1.5, -32.0]]))
    assert words.dtype == np.uint32 and words.tolist() == [[1536, 2**32 - 1536, 2**32 - 32768]]
    classes, scores = protocol.decode(np.array([[1, 2**32 - 4096, 8192]], dtype=np.uint32))
    assert classes.tolist() == [1] and scores.tolist() == [[-1.0, 2.0]]
    header = protocol.c_header()
    assert "#define SF_N_INPUTS 3" in header and "#define SF_WORDS_OUT 3" in header
    with pytest.raises(ConfigError, match="samples have 4 values, the IP takes 3"):
        protocol.encode(np.zeros((1, 4)))
    with pytest.raises(ConfigError, match="must fit a 32-bit word"):
        Protocol(n_inputs=3, input_type="ap_fixed<40,6>", n_classes=2, score_width=19, score_fractional=12)
