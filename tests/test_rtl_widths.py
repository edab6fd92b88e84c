"""The one width helper of the RTL generators and the cost model (socflow.rtl.widths)."""

import pytest

from socflow.rtl.widths import bits_for


@pytest.mark.parametrize(("n", "bits"), [(0, 1), (1, 1), (2, 1), (3, 2), (4, 2), (5, 3), (64, 6), (65, 7)])
def test_bits_for_a_counter_or_address_over_n_values(n, bits):
    assert bits_for(n) == bits
