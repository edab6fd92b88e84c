"""socflow's AXI-Stream glue around an IP it did not write: the paper repository's own HLS-exported test IP
(tests/fixtures/thirdparty_ip). The emulated board (software ComBlock + socflow_axis + the IP, Verilated) must
return, frame by frame, exactly the score words the IP gives when driven directly by a plain testbench, and
their argmax as the class: words in, words out, AXI-Stream handshakes, the start over AXI-Lite, and the IP's
one-frame lag (it answers a frame when the next one arrives)."""

from __future__ import annotations

import subprocess
from pathlib import Path

import numpy as np
import pytest

from socflow.board.algorithm1 import algorithm1
from socflow.board.comblock import ComBlock, EmulatedComBlock
from socflow.board.protocol import Protocol
from socflow.board.rtl_fabric import HDL, RtlFabric, verilate
from socflow.data.pulses import generate_pulses
from socflow.opentools import verilator_env

IP = Path(__file__).parent / "fixtures" / "thirdparty_ip"
DIRECT_TB = Path(__file__).parent / "thirdparty" / "direct_tb.cc"
PROTOCOL = Protocol(n_inputs=30, input_type="ap_fixed<16,16>", n_classes=4, score_width=32, score_fractional=0, lag_frames=1)
TOP = """
`timescale 1 ns / 1 ps
module socflow_top (
    input wire clk, input wire rst,
    output wire fifo_re, input wire [31:0] fifo_rdata, input wire fifo_rvalid, input wire fifo_empty,
    output wire fifo_we, output wire [31:0] fifo_wdata, input wire fifo_full
);
    wire [31:0] m_tdata, s_tdata, wdata;
    wire m_tvalid, m_tlast, m_tready, s_tvalid, s_tready;
    wire [5:0] awaddr;
    wire awvalid, awready, wvalid, wready, bvalid, bready;
    socflow_axis #(.N_IN(30), .N_OUT(4), .OUT_W(32), .SEND_SCORES(1), .START_IP(1)) glue (
        .clk(clk), .rst(rst), .fifo_re(fifo_re), .fifo_rdata(fifo_rdata), .fifo_rvalid(fifo_rvalid),
        .fifo_empty(fifo_empty), .fifo_we(fifo_we), .fifo_wdata(fifo_wdata), .fifo_full(fifo_full),
        .m_tdata(m_tdata), .m_tvalid(m_tvalid), .m_tlast(m_tlast), .m_tready(m_tready),
        .s_tdata(s_tdata), .s_tvalid(s_tvalid), .s_tready(s_tready),
        .ctrl_awaddr(awaddr), .ctrl_awvalid(awvalid), .ctrl_awready(awready), .ctrl_wdata(wdata),
        .ctrl_wvalid(wvalid), .ctrl_wready(wready), .ctrl_bvalid(bvalid), .ctrl_bready(bready)
    );
    myproject ip (
        .ap_clk(clk), .ap_rst_n(!rst),
        .inputSignal_TDATA(m_tdata), .inputSignal_TVALID(m_tvalid), .inputSignal_TREADY(m_tready),
        .inputSignal_TKEEP(4'hf), .inputSignal_TSTRB(4'hf), .inputSignal_TUSER(2'b0), .inputSignal_TLAST(m_tlast),
        .inputSignal_TID(5'b0), .inputSignal_TDEST(6'b0),
        .outputPrediction_TDATA(s_tdata), .outputPrediction_TVALID(s_tvalid), .outputPrediction_TREADY(s_tready),
        .outputPrediction_TKEEP(), .outputPrediction_TSTRB(), .outputPrediction_TUSER(), .outputPrediction_TLAST(),
        .outputPrediction_TID(), .outputPrediction_TDEST(),
        .s_axi_control_AWVALID(awvalid), .s_axi_control_AWREADY(awready), .s_axi_control_AWADDR(awaddr[4:0]),
        .s_axi_control_WVALID(wvalid), .s_axi_control_WREADY(wready), .s_axi_control_WDATA(wdata),
        .s_axi_control_WSTRB(4'hf), .s_axi_control_ARVALID(1'b0), .s_axi_control_ARREADY(),
        .s_axi_control_ARADDR(5'b0), .s_axi_control_RVALID(), .s_axi_control_RREADY(1'b0), .s_axi_control_RDATA(),
        .s_axi_control_RRESP(), .s_axi_control_BVALID(bvalid), .s_axi_control_BREADY(bready), .s_axi_control_BRESP(),
        .interrupt()
    );
endmodule
"""


@pytest.fixture(scope="module")
def frames() -> np.ndarray:
    """Twelve 30-sample pulses in raw ADC counts, three per class: what the IP takes on TDATA[14:0]."""
    x, y = generate_pulses(n_per_class=3, seed=5)
    return PROTOCOL.encode(x)


def direct_outputs(words: np.ndarray, build: Path) -> np.ndarray:
    """Every output word of the IP driven directly with `words` (frames back to back)."""
    obj = build / "direct"
    command = ["verilator", "--cc", "--exe", "--build", "--no-timing", "-j", "2", "--top-module", "myproject", "-Wno-fatal", "--Mdir",
               str(obj), "-o", "direct_tb", str(DIRECT_TB), *map(str, sorted(IP.glob("*.v")))]
    subprocess.run(command, env=verilator_env(), check=True, capture_output=True)
    stdin = f"{len(words)} {words.shape[1]}\n" + " ".join(map(str, words.ravel())) + "\n"
    done = subprocess.run([str(obj / "direct_tb")], input=stdin, capture_output=True, text=True, check=True, timeout=120)
    return np.array([int(v) for v in done.stdout.split()], dtype=np.int64)


def test_axis_glue_returns_exactly_what_the_ip_computes(frames, tmp_path):
    n = len(frames)
    filler = np.zeros((PROTOCOL.lag_frames, PROTOCOL.n_inputs), dtype=np.uint32)
    reference = direct_outputs(np.concatenate([frames, filler]), tmp_path)
    assert len(reference) >= 4 * n  # the IP answers every frame once the next one arrives
    reference = reference[: 4 * n].reshape(n, 4)

    library = verilate([*sorted(IP.glob("*.v")), HDL / "socflow_axis.v"], TOP, tmp_path / "board", jobs=2)
    fabric = RtlFabric(library)
    try:
        run = algorithm1(ComBlock(EmulatedComBlock(fabric, depth=64)), PROTOCOL, frames)
    finally:
        fabric.close()
    classes, scores = PROTOCOL.decode(run.answers)
    assert np.array_equal(scores.astype(np.int64), reference)
    assert np.array_equal(classes, reference.argmax(axis=1))
    assert len(np.unique(reference, axis=0)) > 1  # the frames gave different answers: nothing was stuck
