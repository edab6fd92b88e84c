"""The assessment framework's host side: the protocol, the ComBlock register map and FIFO flags of the emulated
board, the stream wrapper around the real RTL under Verilator, and Algorithm 1 with its named errors."""

from __future__ import annotations

import numpy as np
import pytest

from conftest import INPUT, protocol_of, student_files
from socflow.board.algorithm1 import algorithm1
from socflow.board.comblock import (
    IFIFO_STATUS,
    IFIFO_VALUE,
    OFIFO_STATUS,
    OFIFO_VALUE,
    BoardError,
    ComBlock,
    EmulatedComBlock,
)
from socflow.board.evaluate import board_eval, compare
from socflow.board.firmware import board_firmware, compile_for_host, run_on_emulator, write_firmware
from socflow.board.protocol import Protocol
from socflow.board.rtl_fabric import RtlFabric, build
from socflow.board.vectors import expected_words
from socflow.errors import ConfigError, HardwareMismatchError, ToolError
from socflow.fixed import FixedType
from socflow.io import read_json, read_xy
from socflow.models import load_model
from socflow.rtl.quantized import golden_predict

BOARD = {"send_scores": True, "fifo_depth": 1024, "min_agreement": 1.0}


class Silent:
    """A fabric that reads nothing and answers nothing."""

    def cycle(self, reset, empty, rvalid, rdata, full):
        return False, False, 0


class Chatty:
    """A fabric that writes a word every cycle, whether the IN_FIFO is full or not."""

    def cycle(self, reset, empty, rvalid, rdata, full):
        return False, True, 7


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


def test_emulated_comblock_registers_and_fifo_flags():
    device = EmulatedComBlock(Silent(), depth=4)
    board = ComBlock(device)
    board.register_write(3, 0xABCD)
    assert device.read(16 + 3) == 0xABCD and board.register_read(0) == 0
    assert board.status().in_empty and not board.status().out_full
    for value in range(5):  # one more than the depth
        board.fifo_write(value)
    assert device.read(OFIFO_STATUS) & 0b111 == 0b111  # full, almost full, overflow
    assert device.read(OFIFO_STATUS) & 0b100 == 0  # overflow is cleared when read
    assert board.fifo_read() == 0 and device.read(IFIFO_STATUS) & 0b101 == 0b101  # empty + underflow
    board.fifo_flush()
    assert device.read(OFIFO_STATUS) >> 16 == 0  # element count after the flush
    with pytest.raises(BoardError, match="no readable register at word 35"):
        device.read(35)
    with pytest.raises(BoardError, match="no writable register at word 0"):
        device.write(0, 1)
    with pytest.raises(BoardError, match="wrote to a full IN_FIFO"):
        ComBlock(EmulatedComBlock(Chatty(), depth=2)).fifo_read()
    assert IFIFO_VALUE == 32 and OFIFO_VALUE == 36  # ComBlock rev 2.1 map


def test_an_ip_that_never_answers_is_named():
    protocol = Protocol(n_inputs=2, input_type="ap_fixed<16,6>", n_classes=2, score_width=19, score_fractional=12)
    with pytest.raises(BoardError, match="sample 0: answer word 0 did not arrive after 50 status polls"):
        algorithm1(ComBlock(EmulatedComBlock(Silent())), protocol, np.zeros((3, 2), np.uint32), max_polls=50)


@pytest.fixture(scope="module")
def setup(student, rtl_project, tmp_path_factory):
    out, _ = rtl_project
    folder = tmp_path_factory.mktemp("board")
    protocol, paths = protocol_of(out / "rtl.json", student, folder, BOARD)
    in_type = FixedType.parse(INPUT)
    x, _ = read_xy(student / "test.npz")
    xq = in_type.quantize(x)
    model = load_model(student / "model.h5")
    reference = np.asarray(model.predict(xq.astype(np.float32), verbose=0), dtype=np.float64)
    return {
        "out": out,
        "protocol": protocol,
        "paths": paths,
        "words": protocol.encode(xq),
        "golden": golden_predict(model, xq, in_type),
        "reference": reference,
        "library": build(out / "verilog", protocol, folder / "sim", jobs=2),
    }


def firmware_of(student, protocol_json, ip, folder, samples):
    """board_firmware of the student behind the IP files `ip`, into `folder`."""
    inputs = student_files(student) | ip | {"protocol": protocol_json}
    params = {"samples": samples, "input_precision": INPUT}
    return board_firmware(inputs=inputs, params=params, outputs={"firmware": str(folder)})


def evaluate(student, protocol_json, ip, firmware, output, board=BOARD):
    """board_eval on the emulated board of the student behind the IP files `ip`, into `output`."""
    inputs = student_files(student) | ip | {"protocol": protocol_json, "firmware": str(firmware)}
    params = {"board": board, "input_precision": INPUT, "backend": "emulated"}
    return board_eval(inputs=inputs, params=params, outputs={"result": str(output)}, threads=2)


def run_board(setup, library=None, depth=1024):
    fabric = RtlFabric(library or setup["library"])
    try:
        return algorithm1(ComBlock(EmulatedComBlock(fabric, depth=depth)), setup["protocol"], setup["words"]).answers
    finally:
        fabric.close()


def test_wrapper_and_rtl_answer_every_sample_bit_exactly(setup):
    check = compare(setup["protocol"], run_board(setup), setup["golden"], setup["reference"])
    assert check["agree"].all() and check["exact"].all() and len(check["classes"]) == 200


def test_a_fifo_shallower_than_a_frame_still_works(setup):
    """30 words through a 4-word FIFO: the wrapper drains it while the processor writes."""
    check = compare(setup["protocol"], run_board(setup, depth=4), setup["golden"], setup["reference"])
    assert check["exact"].all()


def test_one_clock_less_latency_is_caught(setup, tmp_path):
    """The wrapper waits exactly the RTL's latency; one clock less reads the pipeline early, and the score
    check sees it even where the class happens to agree."""
    library = build(
        setup["out"] / "verilog", setup["protocol"], tmp_path, jobs=2, latency=setup["protocol"].latency_clocks - 1
    )
    check = compare(setup["protocol"], run_board(setup, library), setup["golden"], setup["reference"])
    assert not check["exact"].all()


def test_board_eval_writes_the_result_and_fails_loudly(setup, student, tmp_path, monkeypatch):
    ip = {"verilog": str(setup["out"] / "verilog")}
    firmware = firmware_of(student, setup["paths"]["json"], ip, tmp_path / "fw", 50)
    args = (student, setup["paths"]["json"], ip, firmware)
    result = evaluate(*args, tmp_path / "emulated.json")
    assert result["agreement"] == result["bit_exact_vs_golden"] == 1.0
    assert read_json(tmp_path / "emulated.json")["board"]["n_test"] == 200
    assert result["fabric_cycles_per_inference"] > setup["protocol"].n_inputs
    assert result["firmware"] == {
        "exit": 0,
        "n": 50,
        "agree": 50,
        "correct": result["firmware"]["correct"],
        "timeouts": 0,
    }

    import socflow.rtl.quantized

    real = socflow.rtl.quantized.golden_predict
    monkeypatch.setattr(
        socflow.rtl.quantized, "golden_predict", lambda *a: real(*a) + (np.arange(200) == 11)[:, None] * 2.0**-12
    )
    with pytest.raises(
        HardwareMismatchError, match="equal the IP model's reference on 99.50% .* first mismatch at test sample 11"
    ):
        evaluate(*args, tmp_path / "bad.json")
    assert not (tmp_path / "bad.json").exists()


def test_generated_firmware_runs_algorithm1_on_the_emulated_board(setup, student, tmp_path, capfd):
    """The C firmware, compiled against the BSP API declarations, agrees with the model on every vector; with one
    expected word altered, it reports exactly that sample and exits 1."""
    protocol, words = setup["protocol"], setup["words"][:40]
    expected = expected_words(protocol, setup["golden"][:40])
    labels = read_xy(student / "test.npz")[1][:40]
    fw = write_firmware(protocol, words, expected, labels, tmp_path / "fw")
    assert {p.name for p in fw.iterdir()} == {"socflow_algorithm1.c", "protocol.h", "test_vectors.h"}
    fabric = RtlFabric(setup["library"])
    result = run_on_emulator(compile_for_host(fw, tmp_path), EmulatedComBlock(fabric))
    fabric.close()
    assert (result["exit"], result["n"], result["agree"], result["timeouts"]) == (0, 40, 40, 0)
    assert result["correct"] == int((expected[:, 0] == labels).sum())

    expected[13, 0] = (expected[13, 0] + 1) % protocol.n_classes
    write_firmware(protocol, words, expected, labels, tmp_path / "bad")
    fabric = RtlFabric(setup["library"])
    result = run_on_emulator(compile_for_host(tmp_path / "bad", tmp_path / "bad"), EmulatedComBlock(fabric))
    fabric.close()
    assert (result["exit"], result["agree"]) == (1, 39) and "sample 13: class" in result["uart"]


def test_a_broken_firmware_template_fails_to_compile(setup, tmp_path, monkeypatch):
    import socflow.board.firmware as firmware

    broken = tmp_path / "socflow_algorithm1.c"
    broken.write_text(firmware.SOURCE.read_text().replace("Xil_Out32(", "Xil_Write32("))
    monkeypatch.setattr(firmware, "SOURCE", broken)
    fw = write_firmware(
        setup["protocol"],
        setup["words"][:2],
        expected_words(setup["protocol"], setup["golden"][:2]),
        np.zeros(2, int),
        tmp_path / "fw",
    )
    with pytest.raises(ToolError, match="does not compile against the Xilinx BSP API"):
        compile_for_host(fw, tmp_path)


def test_deployment_package_holds_a_working_driver(setup, student, tmp_path):
    import subprocess
    import sys
    import zipfile

    from socflow.board.package import board_package
    from socflow.board.pynq import run_deployed
    from socflow.vivado.project import vivado_project

    ip = {"verilog": str(setup["out"] / "verilog")}
    fw = firmware_of(student, setup["paths"]["json"], ip, tmp_path / "fw", 20)
    vivado_project(
        inputs=ip | {"protocol": setup["paths"]["json"]},
        params={"target": {"part": "xc7z020clg400-1", "clock_period": 10.0}, "board": BOARD},
        outputs={"project": str(tmp_path / "vivado"), "check": str(tmp_path / "check.json")},
    )
    inputs = student_files(student) | ip
    inputs |= {"protocol": setup["paths"]["json"], "header": setup["paths"]["header"], "firmware": str(fw)}
    inputs |= {"vivado": str(tmp_path / "vivado")}
    for name in ("a.zip", "b.zip"):
        board_package(inputs=inputs, params={"input_precision": INPUT}, outputs={"package": str(tmp_path / name)})
    assert (tmp_path / "a.zip").read_bytes() == (tmp_path / "b.zip").read_bytes()  # reproducible
    zipfile.ZipFile(tmp_path / "a.zip").extractall(tmp_path / "pkg")
    names = {str(p.relative_to(tmp_path / "pkg")) for p in (tmp_path / "pkg").rglob("*") if p.is_file()}
    assert {
        "run_on_board.py",
        "protocol.json",
        "vectors.npz",
        "firmware/socflow_algorithm1.c",
        "vivado/assessment.tcl",
        "python/socflow/board/pynq.py",
    } <= names

    fabric = RtlFabric(setup["library"])
    result = run_deployed(tmp_path / "pkg", EmulatedComBlock(fabric))
    fabric.close()
    assert result["bit_exact_vs_golden"] == result["agreement"] == 1.0 and result["n"] == 200
    # the packaged driver imports on its own, without TensorFlow or the rest of socflow
    code = (
        "import sys; sys.path.insert(0, 'python'); import socflow.board.pynq as p; "
        "assert p.__file__.startswith(sys.path[0]) or 'pkg' in p.__file__; print('tensorflow' in sys.modules)"
    )
    done = subprocess.run([sys.executable, "-c", code], cwd=tmp_path / "pkg", capture_output=True, text=True)
    assert done.returncode == 0 and done.stdout.strip() == "False", done.stderr


def test_pynq_transport_reads_and_writes_comblock_words(monkeypatch):
    import sys
    import types

    calls = []

    class MMIO:
        def __init__(self, base, size):
            calls.append(("mmio", base, size))

        def read(self, offset):
            calls.append(("read", offset))
            return 1

        def write(self, offset, value):
            calls.append(("write", offset, value))

    class Overlay:
        def __init__(self, bitfile):
            self.ip_dict = {"comblock_0/AXIL": {"phys_addr": 0x43C00000, "addr_range": 0x10000}, "ps": {}}

    monkeypatch.setitem(sys.modules, "pynq", types.SimpleNamespace(MMIO=MMIO, Overlay=Overlay))
    from socflow.board.pynq import PynqTransport

    board = ComBlock(PynqTransport("design.bit"))
    board.fifo_write(-1)
    assert board.in_empty()
    assert calls == [("mmio", 0x43C00000, 0x10000), ("write", 36 * 4, 0xFFFFFFFF), ("read", 34 * 4)]
    with pytest.raises(BoardError, match="no IP 'comblock_1' in the overlay"):
        PynqTransport("design.bit", name="comblock_1")


def test_board_eval_on_pynq_through_the_overlay(setup, student, tmp_path, monkeypatch):
    """The pynq backend end to end: pynq's MMIO here forwards to the emulated ComBlock, so the same run the board
    would do (overlay, ComBlock address from the .hwh, Algorithm 1, answer checks) is exercised."""
    import sys
    import types

    fabric = RtlFabric(setup["library"])
    device = EmulatedComBlock(fabric)

    class MMIO:
        def __init__(self, base, size):
            assert (base, size) == (0x40000000, 0x10000)

        def read(self, offset):
            return device.read(offset // 4)

        def write(self, offset, value):
            device.write(offset // 4, value)

    class Overlay:
        def __init__(self, bitfile):
            assert bitfile.endswith("design.bit")
            self.ip_dict = {"comblock_0": {"phys_addr": 0x40000000, "addr_range": 0x10000}}

    monkeypatch.setitem(sys.modules, "pynq", types.SimpleNamespace(MMIO=MMIO, Overlay=Overlay))
    inputs = student_files(student) | {"verilog": str(setup["out"] / "verilog"), "protocol": setup["paths"]["json"]}
    result = board_eval(
        inputs=inputs | {"bit": str(tmp_path / "design.bit")},
        params={"board": BOARD, "input_precision": INPUT, "backend": "pynq"},
        outputs={"result": str(tmp_path / "pynq.json")},
    )
    fabric.close()
    assert (result["backend"], result["n"], result["bit_exact_vs_golden"], result["first_mismatch"]) == (
        "pynq",
        200,
        1.0,
        None,
    )
    assert read_json(tmp_path / "pynq.json")["board"]["n_test"] == 200


def test_emulated_board_with_the_hls_ip(student, tmp_path):
    """The hls4ml model as the HLS IP socflow_ip: socflow_axis (Verilated) around the C simulation of the
    project's socflow_ip top; driver and firmware must reproduce hls4ml's C simulation word for word."""
    from test_hls import convert, csim

    project = convert(student, tmp_path)
    csim(student, project, tmp_path)
    protocol, paths = protocol_of(tmp_path / "csim.json", student, tmp_path, BOARD)
    assert protocol.latency_clocks == 0 and protocol.words_out == 5
    ip = {"hls_config": project["config"], "project": project["project"]}
    fw = firmware_of(student, paths["json"], ip, tmp_path / "fw", 30)
    result = evaluate(student, paths["json"], ip, fw, tmp_path / "emulated.json")
    assert result["ip_model"].startswith("HLS IP")
    assert result["agreement"] == result["bit_exact_vs_golden"] == 1.0 and result["firmware"]["agree"] == 30


@pytest.mark.parametrize(
    "target,core",
    [
        ({"reuse_factor": 12}, "vector"),
        ({"reuse_factor": 40}, "serial"),
        ({"reuse_factor": 30, "rtl_architecture": "stream"}, "serial"),
    ],
)
def test_emulated_board_with_the_folded_rtl(setup, student, tmp_path, target, core):
    """The folded cores behind socflow_stream, started by model_valid with the whole input (R < n_inputs) or
    fed a value per word (R >= n_inputs, and the streaming design): every answer bit-exact on the emulated
    board; one clock less latency reads the vector core too early."""
    from conftest import RTL_TARGET, generate

    generate(student, tmp_path, RTL_TARGET | target)
    protocol, _ = protocol_of(tmp_path / "rtl.json", student, tmp_path, BOARD)
    assert protocol.core == core
    folded = dict(setup, protocol=protocol)
    library = build(tmp_path / "verilog", protocol, tmp_path / "sim", jobs=2)
    check = compare(protocol, run_board(folded, library), setup["golden"], setup["reference"])
    assert check["exact"].all() and check["agree"].all()
    if core == "vector":  # a serial core answers sooner than rtl.json's latency when the words come apart
        early = build(tmp_path / "verilog", protocol, tmp_path / "early", jobs=2, latency=protocol.latency_clocks - 1)
        assert not compare(protocol, run_board(folded, early), setup["golden"], setup["reference"])["exact"].all()
