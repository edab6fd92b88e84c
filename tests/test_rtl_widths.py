"""The one width helper of the RTL generators and the cost model (socflow.rtl.widths)."""

import pytest

from socflow.rtl.widths import bits_for


@pytest.mark.parametrize(("n", "bits"), [(0, 1), (1, 1), (2, 1), (3, 2), (4, 2), (5, 3), (64, 6), (65, 7)])
def test_bits_for_a_counter_or_address_over_n_values(n, bits):
    assert bits_for(n) == bits


def test_a_two_bank_buffer_holds_two_banks_of_the_positions_rounded_up_to_a_power_of_two():
    from socflow.rtl.widths import bank_words

    assert [bank_words(n) for n in (1, 30, 32, 33, 64)] == [4, 64, 64, 128, 128]
