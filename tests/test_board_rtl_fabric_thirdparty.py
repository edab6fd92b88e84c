"""socflow's AXI-Stream glue around an IP it did not write: the paper repository's own HLS-exported test IP
(tests/fixtures/thirdparty_ip), through the path of an exported socflow_ip (rtl_fabric.build_exported: the
generated socflow_top, socflow_axis). The emulated board (software ComBlock + socflow_axis + the IP, Verilated) must
return, frame by frame, exactly the score words the IP gives when driven directly by a plain testbench, and
their argmax as the class: words in, words out, AXI-Stream handshakes, the start over AXI-Lite, and the IP's
one-frame lag (it answers a frame when the next one arrives)."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

import numpy as np
import pytest

from socflow.board.algorithm1 import algorithm1
from socflow.board.comblock import ComBlock, EmulatedComBlock
from socflow.board.protocol import Protocol
from socflow.board.rtl_fabric import RtlFabric, build_exported
from socflow.data.pulses import generate_pulses
from socflow.tools import verilator_env

IP = Path(__file__).parent / "fixtures" / "thirdparty_ip"
DIRECT_TB = Path(__file__).parent / "thirdparty" / "direct_tb.cc"
PROTOCOL = Protocol(
    n_inputs=30, input_type="ap_fixed<16,16>", n_classes=4, score_width=32, score_fractional=0, lag_frames=1
)
# Adapts the paper's IP to the ports of socflow_ip, so that it goes through the same path as an exported
# socflow_ip (rtl_fabric.build_exported: socflow_top, socflow_axis): side channels tied off, TLAST unused by it.
ADAPTER = """
`timescale 1 ns / 1 ps
module socflow_ip (
    input wire ap_clk, input wire ap_rst_n,
    input wire [31:0] words_in_TDATA, input wire words_in_TVALID, output wire words_in_TREADY,
    output wire [31:0] words_out_TDATA, output wire words_out_TVALID, input wire words_out_TREADY,
    input wire [5:0] s_axi_control_AWADDR, input wire s_axi_control_AWVALID, output wire s_axi_control_AWREADY,
    input wire [31:0] s_axi_control_WDATA, input wire [3:0] s_axi_control_WSTRB, input wire s_axi_control_WVALID,
    output wire s_axi_control_WREADY, output wire [1:0] s_axi_control_BRESP, output wire s_axi_control_BVALID,
    input wire s_axi_control_BREADY, input wire [5:0] s_axi_control_ARADDR, input wire s_axi_control_ARVALID,
    output wire s_axi_control_ARREADY, output wire [31:0] s_axi_control_RDATA, output wire [1:0] s_axi_control_RRESP,
    output wire s_axi_control_RVALID, input wire s_axi_control_RREADY, output wire interrupt
);
    myproject ip (
        .ap_clk(ap_clk), .ap_rst_n(ap_rst_n),
        .inputSignal_TDATA(words_in_TDATA), .inputSignal_TVALID(words_in_TVALID), .inputSignal_TREADY(words_in_TREADY),
        .inputSignal_TKEEP(4'hf), .inputSignal_TSTRB(4'hf), .inputSignal_TUSER(2'b0), .inputSignal_TLAST(1'b0),
        .inputSignal_TID(5'b0), .inputSignal_TDEST(6'b0),
        .outputPrediction_TDATA(words_out_TDATA), .outputPrediction_TVALID(words_out_TVALID),
        .outputPrediction_TREADY(words_out_TREADY), .outputPrediction_TKEEP(), .outputPrediction_TSTRB(),
        .outputPrediction_TUSER(), .outputPrediction_TLAST(), .outputPrediction_TID(), .outputPrediction_TDEST(),
        .s_axi_control_AWVALID(s_axi_control_AWVALID), .s_axi_control_AWREADY(s_axi_control_AWREADY),
        .s_axi_control_AWADDR(s_axi_control_AWADDR[4:0]), .s_axi_control_WVALID(s_axi_control_WVALID),
        .s_axi_control_WREADY(s_axi_control_WREADY), .s_axi_control_WDATA(s_axi_control_WDATA),
        .s_axi_control_WSTRB(s_axi_control_WSTRB), .s_axi_control_ARVALID(s_axi_control_ARVALID),
        .s_axi_control_ARREADY(s_axi_control_ARREADY), .s_axi_control_ARADDR(s_axi_control_ARADDR[4:0]),
        .s_axi_control_RVALID(s_axi_control_RVALID), .s_axi_control_RREADY(s_axi_control_RREADY),
        .s_axi_control_RDATA(s_axi_control_RDATA), .s_axi_control_RRESP(s_axi_control_RRESP),
        .s_axi_control_BVALID(s_axi_control_BVALID), .s_axi_control_BREADY(s_axi_control_BREADY),
        .s_axi_control_BRESP(s_axi_control_BRESP), .interrupt(interrupt)
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
    command = [
        "verilator",
        "--cc",
        "--exe",
        "--build",
        "--no-timing",
        "-j",
        "2",
        "--top-module",
        "myproject",
        "-Wno-fatal",
        "--Mdir",
        str(obj),
        "-o",
        "direct_tb",
        str(DIRECT_TB),
        *map(str, sorted(IP.glob("*.v"))),
    ]
    subprocess.run(command, env=verilator_env(), check=True, capture_output=True)
    stdin = f"{len(words)} {words.shape[1]}\n" + " ".join(map(str, words.ravel())) + "\n"
    done = subprocess.run(
        [str(obj / "direct_tb")], input=stdin, capture_output=True, text=True, check=True, timeout=120
    )
    return np.array([int(v) for v in done.stdout.split()], dtype=np.int64)


@pytest.mark.slow
def test_axis_glue_returns_exactly_what_the_ip_computes(frames, tmp_path):
    n = len(frames)
    filler = np.zeros((PROTOCOL.lag_frames, PROTOCOL.n_inputs), dtype=np.uint32)
    reference = direct_outputs(np.concatenate([frames, filler]), tmp_path)
    assert len(reference) >= 4 * n  # the IP answers every frame once the next one arrives
    reference = reference[: 4 * n].reshape(n, 4)

    export = tmp_path / "export"  # laid out as hls_synth leaves an exported socflow_ip
    shutil.copytree(IP, export)
    (export / "socflow_ip.v").write_text(ADAPTER)
    fabric = RtlFabric(build_exported(export, PROTOCOL, tmp_path / "board", jobs=2))
    try:
        run = algorithm1(ComBlock(EmulatedComBlock(fabric, depth=64)), PROTOCOL, frames)
    finally:
        fabric.close()
    classes, scores = PROTOCOL.decode(run.answers)
    assert np.array_equal(scores.astype(np.int64), reference)
    assert np.array_equal(classes, reference.argmax(axis=1))
    assert len(np.unique(reference, axis=0)) > 1  # the frames gave different answers: nothing was stuck
