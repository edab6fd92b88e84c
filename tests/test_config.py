"""The config schema (defaults, bad values stop the run with the key named) and the wildcard names."""

from __future__ import annotations

import copy
import re

import pytest
import yaml

from socflow.config import SCHEMA, load_config, validate_config
from socflow.errors import ConfigError
from socflow.names import target_name, targets, variant_name, variants


def validated(config):
    return validate_config(copy.deepcopy(config))


@pytest.mark.parametrize(
    "name",
    [
        "config/config.yaml",
        "config/examples/pulses_mlp.yaml",
        "config/examples/digits_cnn.yaml",
        "config/examples/pulses_cnn.yaml",
        "config/examples/cnn_budget.yaml",
        "config/examples/user_data.yaml",
        "config/examples/ecp5.yaml",
        "config/examples/soc.yaml",
        "config/examples/pareto.yaml",
        "config/examples/own_student.yaml",
    ],
)
def test_shipped_configs_are_valid(root, name):
    config = load_config(root / name)
    assert config["experiments"]


def test_every_preset_trains_the_students_its_names_promise(root):
    """An example experiment named ..._cnn has a CNN teacher and a CNN student (QConv2D on images, QConv1D on
    signals), one named ..._mlp MLPs: the promise each file's comment makes, checked against what it configures."""
    promised = {}
    for path in sorted((root / "config" / "examples").glob("*.yaml")):
        for name, raw in yaml.safe_load(path.read_text())["experiments"].items():
            model = name.rsplit("_", 1)[-1]
            if model in ("cnn", "mlp"):
                promised[name] = model
                experiment = validate_config({"experiments": {name: raw}})["experiments"][name]
                assert experiment["student"]["model"] == experiment["teacher"]["model"] == model, f"{path.name}: {name}"
    assert {"digits_cnn", "pulses_mlp", "pulses_cnn"} <= set(promised)


@pytest.mark.parametrize(
    ("name", "expected"),
    [("pest_mobilenet", "mobilenet_v2_weights_tf_dim_ordering_tf_kernels_1.0_224_no_top.h5"),
     ("pest_vgg", "vgg16_weights_tf_dim_ordering_tf_kernels_notop.h5")],
)  # fmt: skip
def test_the_transfer_learning_presets_name_the_weights_file_they_need(root, tmp_path, name, expected):
    """Without the backbone's weights the preset stops before any job, naming Keras's file; with the file (here
    an empty stand-in, the check looks for the file only) it is valid."""
    config = yaml.safe_load((root / "config" / "examples" / f"{name}.yaml").read_text())
    with pytest.raises(ConfigError, match=rf"{name}\.teacher: weights: models/{re.escape(expected)} not found"):
        validate_config(copy.deepcopy(config))
    (tmp_path / expected).write_bytes(b"")
    config["experiments"][name]["teacher"]["weights"] = str(tmp_path / expected)
    experiment = validate_config(config)["experiments"][name]
    assert experiment["teacher"]["freeze_epochs"] > 0 and experiment["student"]["model"] in ("vgg", "mobilenet")


def test_defaults_are_filled(tiny_config):
    exp = validated(tiny_config)["experiments"]["tiny"]
    assert exp["split"] == {"train": 0.7, "val": 0.15, "test": 0.15, "seed": 42}
    assert exp["student"]["variants"] == [{"bits": 8, "sparsity": 0.2, "integer_bits": 0}]
    assert exp["teacher"]["units"] == [32, 300] and exp["teacher"]["search"]["trials"] >= 1
    assert exp["hls"]["targets"][0]["io_type"] == "io_stream"
    assert exp["board"]["backends"] == ["emulated"]


def test_several_experiments(tiny_config):
    tiny_config["experiments"]["digits"] = {"dataset": {"kind": "digits"}}
    assert set(validated(tiny_config)["experiments"]) == {"tiny", "digits"}


def bad(config, path, value):
    node = config
    for key in path[:-1]:
        node = node.setdefault(key, {})
    node[path[-1]] = value
    return config


@pytest.mark.parametrize(
    "path,value,message",
    [
        (
            ["experiments", "tiny", "dataset", "shape"],
            3,
            "experiments.tiny.dataset: Additional properties are not allowed ('shape' was unexpected)",
        ),
        (
            ["experiments", "tiny", "teachr"],
            {},
            "experiments.tiny: Additional properties are not allowed ('teachr' was unexpected)",
        ),
        (["experiments", "tiny", "dataset", "kind"], "mnist", "experiments.tiny.dataset.kind: 'mnist' is not one of"),
        (
            ["experiments", "tiny", "dataset", "n_per_class"],
            "many",
            "experiments.tiny.dataset.n_per_class: 'many' is not of type 'integer'",
        ),
        (
            ["experiments", "tiny", "split", "train"],
            1.5,
            "experiments.tiny.split.train: 1.5 is greater than or equal to the maximum",
        ),
        (
            ["experiments", "tiny", "student", "variants"],
            [{"bits": 8}],
            "experiments.tiny.student.variants[0]: 'sparsity' is a required",
        ),
        (
            ["experiments", "tiny", "hls", "targets"],
            [{"part": "x", "io_type": "axi"}],
            "experiments.tiny.hls.targets[0].io_type: 'axi' is not one of",
        ),
        (["toolchain"], "maybe", "toolchain: 'maybe' is not one of"),
        (
            ["experiments", "tiny", "student", "kd"],
            ["hinton", "fitnet"],
            "experiments.tiny.student.kd[1]: 'fitnet' is not one of ['hinton', 'standardized', 'scaled', 'dkd']",
        ),
        # JSON Schema takes 8.0 for the integer 8; socflow does not (it would name the variant b8.0_s20)
        (
            ["experiments", "tiny", "student", "variants"],
            [{"bits": 8.0, "sparsity": 0.2}],
            "experiments.tiny.student.variants[0].bits: 8.0 is not of type 'integer'",
        ),
        (
            ["experiments", "tiny", "teacher", "search"],
            {"trials": 2.0},
            "experiments.tiny.teacher.search.trials: 2.0 is not of type 'integer'",
        ),
    ],
)
def test_schema_errors_lead_with_the_key_path_and_the_reason(tiny_config, path, value, message):
    with pytest.raises(ConfigError) as info:
        validated(bad(tiny_config, path, value))
    lines = str(info.value).splitlines()
    assert lines[0] == "invalid config:" and lines[1].startswith(message), lines
    assert len(lines) <= 3  # no dump of the schema


def test_every_schema_error_is_listed_on_its_own_line(tiny_config):
    tiny_config["experiments"]["tiny"]["split"] = {"seed": "x"}
    tiny_config["experiments"]["tiny"]["board"] = {"fifo_depth": 1}
    lines = str(pytest.raises(ConfigError, validated, tiny_config).value).splitlines()
    assert lines[1:] == [
        "experiments.tiny.board.fifo_depth: 1 is less than the minimum of 2",
        "experiments.tiny.split.seed: 'x' is not of type 'integer'",
    ]


def test_user_data_kind_needs_a_path(tiny_config):
    tiny_config["experiments"]["tiny"]["dataset"] = {"kind": "npz"}
    with pytest.raises(ConfigError, match="experiments.tiny.dataset: 'path' is a required property"):
        validated(tiny_config)


def test_split_not_summing_to_one_names_the_experiment(tiny_config):
    tiny_config["experiments"]["tiny"]["split"] = {"train": 0.8, "val": 0.15, "test": 0.15}
    with pytest.raises(ConfigError, match=r"experiments\.tiny\.split: train \+ val \+ test must be 1"):
        validated(tiny_config)


def test_inverted_unit_range(tiny_config):
    tiny_config["experiments"]["tiny"]["student"] = {"units": [20, 1]}
    with pytest.raises(ConfigError, match=r"experiments\.tiny\.student\.units: minimum 20 is larger than maximum 1"):
        validated(tiny_config)


def test_integer_bits_must_fit(tiny_config):
    tiny_config["experiments"]["tiny"]["student"] = {"variants": [{"bits": 4, "integer_bits": 4, "sparsity": 0}]}
    with pytest.raises(
        ConfigError,
        match=r"student\.variants: integer_bits 4 and student.activation_integer_bits 3 must be below bits 4",
    ):
        validated(tiny_config)


def test_duplicate_variants_and_targets(tiny_config):
    tiny_config["experiments"]["tiny"]["student"] = {"variants": [{"bits": 8, "sparsity": 0.2}] * 2}
    with pytest.raises(ConfigError, match=r"student\.variants: entries \['b8_s20'\] appear more than once"):
        validated(tiny_config)
    tiny_config["experiments"]["tiny"]["student"] = {}
    tiny_config["experiments"]["tiny"]["hls"] = {"targets": [{"part": "xc7z020clg400-1"}] * 2}
    with pytest.raises(ConfigError, match=r"hls\.targets: entries .* appear more than once"):
        validated(tiny_config)


def test_bad_experiment_name(tiny_config):
    tiny_config["experiments"]["bad/name"] = tiny_config["experiments"]["tiny"]
    with pytest.raises(ConfigError, match="experiments: 'bad/name' does not match any of the regexes"):
        validated(tiny_config)


def test_wildcard_names():
    assert variant_name({"bits": 8, "sparsity": 0.2, "integer_bits": 0}) == "b8_s20"
    assert variant_name({"bits": 6, "sparsity": 0.55, "integer_bits": 1}) == "b6_s55_i1"
    target = {
        "part": "XC7Z020CLG400-1",
        "clock_period": 10.0,
        "reuse_factor": 8,
        "strategy": "Resource",
        "io_type": "io_parallel",
    }
    assert target_name(target) == "xc7z020clg400-1_100mhz_rf8_resource_parallel"
    assert target_name({**target, "clock_period": 7.5}).startswith("xc7z020clg400-1_133.333mhz")
    assert target_name({**target, "name": "pynq"}) == "pynq"


def test_variants_and_targets_by_name(root):
    exp = load_config(root / "config/examples/pulses_mlp.yaml")["experiments"]["pulses_mlp"]
    assert list(variants(exp)) == ["b8_s20", "b6_s20", "b8_s50"]
    names = list(targets(exp))
    assert len(names) == 30 and "zcu102_100mhz_rf64" in names


def subschemas(node, path="schema"):
    """Every subschema of a schema, with its path."""
    yield path, node
    for key in ("properties", "patternProperties", "$defs"):
        for name, sub in node.get(key, {}).items():
            yield from subschemas(sub, f"{path}.{name}")
    for key in ("items", "if", "then", "else"):
        if isinstance(node.get(key), dict):
            yield from subschemas(node[key], f"{path}.{key}")
    for key in ("oneOf", "anyOf", "allOf"):
        for i, sub in enumerate(node.get(key, [])):
            yield from subschemas(sub, f"{path}.{key}[{i}]")


def test_schema_file_is_yaml_with_descriptions():
    schema = yaml.safe_load(SCHEMA.read_text())
    experiment = schema["$defs"]["experiment"]
    assert experiment["additionalProperties"] is False
    assert all("description" in schema["$defs"][s] for s in ("dataset", "split", "teacher", "student", "hls", "board"))


def test_schema_holds_only_json_schema_keywords():
    """An unquoted comma in a YAML flow mapping cuts a description short and makes the rest a key."""
    keywords = {
        "description",
        "type",
        "default",
        "enum",
        "minimum",
        "maximum",
        "exclusiveMinimum",
        "exclusiveMaximum",
        "items",
        "minItems",
        "maxItems",
        "uniqueItems",
        "properties",
        "additionalProperties",
        "required",
        "patternProperties",
        "oneOf",
        "anyOf",
        "allOf",
        "if",
        "then",
        "else",
        "$ref",
        "pattern",
        "minProperties",
        "$schema",
        "$defs",
    }
    found = [
        (path, key)
        for path, node in subschemas(yaml.safe_load(SCHEMA.read_text()))
        for key in node
        if key not in keywords
    ]
    assert found == []
    cut = [
        path
        for path, node in subschemas(yaml.safe_load(SCHEMA.read_text()))
        if isinstance(node.get("description"), str) and node["description"].rstrip()[-1] not in ".)"
    ]
    assert cut == []


def test_equal_configs_are_equal_after_validation(tiny_config):
    """Snakemake compares params by repr: key order and restated defaults must not change it."""
    restated = {
        "experiments": {
            "tiny": {
                "student": {"search": {"workers": 1, "seed": 7, "trials": 4}, "alpha": 0.1},
                "hls": {"targets": [{"reuse_factor": 1, "part": "xc7a100tcsg324-1", "clock_period": 5}]},
                "dataset": {"n_per_class": 40, "kind": "pulses"},
            }
        }
    }
    assert repr(validated(restated)) == repr(validated(tiny_config))
    exp = validated(restated)["experiments"]["tiny"]
    assert list(exp) == sorted(exp) and list(exp["student"]["search"]) == sorted(exp["student"]["search"])
    assert repr(exp["hls"]["targets"][0]["clock_period"]) == "5.0"  # a number setting is a float


def test_a_fixed_point_type_written_another_way_is_the_same_config(tiny_config):
    """`ap_fixed<16, 6>` (a space), `fixed<16,6,TRN,WRAP>` (the default modes stated): the same params as
    `ap_fixed<16,6>`, so a finished run reruns none of its hardware jobs."""
    plain = copy.deepcopy(tiny_config)
    plain["experiments"]["tiny"]["hls"] = {"input_precision": "ap_fixed<16,6>", "default_precision": "ap_fixed<16,6>"}
    tiny_config["experiments"]["tiny"]["hls"] = {
        "input_precision": "ap_fixed<16, 6>",
        "default_precision": "fixed<16,6,TRN,WRAP>",
    }
    assert repr(validated(tiny_config)) == repr(validated(plain))
    listed = {
        "input_precision": ["ap_fixed< 8,4 >", "ap_fixed<16,6,AP_RND,AP_SAT>"],
        "targets": [{"part": "xc7a35tcpg236-1", "reuse_factor": [2, 4], "budget": {"lut": 0.5}}],
    }
    tiny_config["experiments"]["tiny"]["hls"] = listed
    hls = validated(tiny_config)["experiments"]["tiny"]["hls"]
    assert hls["input_precision"] == ["ap_fixed<8,4>", "ap_fixed<16,6,AP_RND,AP_SAT>"]


@pytest.mark.parametrize(
    "target,rtl,message",
    [
        # Kintex-7 is 7 series: Yosys maps it (xc7), the KC705 carries it
        ({"part": "xc7k325tffg900-2"}, True, None),
        (
            {"part": "xc7k325tffg900-2", "board": "basys3"},
            True,
            "hls.targets[0]: board basys3 carries xc7a35tcpg236-1, the target asks for xc7k325tffg900-2",
        ),
        ({"part": "xc7a100tcsg324-1", "board": "nexys"}, True, "hls.targets[0]: board 'nexys' is not one of"),
        ({"part": "xc7a200tfbg676-2"}, True, "hls.targets[0]: no known board carries xc7a200tfbg676-2; set `board`"),
        (
            {"part": "xcvc1902-vsva2197-2MP-e-S"},
            True,
            "hls.targets[0].part: part 'xcvc1902-vsva2197-2MP-e-S' (Versal): stage rtl_synth (Yosys) supports Artix-7",
        ),
        (
            {"part": "10AX115S2F45I1SG"},
            False,
            "hls.targets[0].part: part '10AX115S2F45I1SG': not a part number of a family socflow knows",
        ),
        ({"part": "LFE5U-85F-6BG381C", "clock_period": 10.0}, True, None),  # the ULX3S's ECP5
        ({"part": "LFE5U-85F"}, True, "hls.targets[0].part: part 'LFE5U-85F': an ECP5 part number with its speed"),
        (
            {"part": "LFE5U-25F-8MG285C", "budget": {"lut": 0.5}},
            True,
            "hls.targets[0].budget: the search's cost models are calibrated on Xilinx parts",
        ),
    ],
)
def test_parts_and_boards_are_checked_before_any_job(tiny_config, target, rtl, message):
    tiny_config["experiments"]["tiny"]["hls"] = {"targets": [target]}
    tiny_config["experiments"]["tiny"]["rtl"] = {"enabled": rtl}
    if message is None:
        assert validated(tiny_config)
    else:
        with pytest.raises(ConfigError) as info:
            validated(tiny_config)
        assert str(info.value).startswith(f"experiments.tiny.{message}"), str(info.value)


@pytest.mark.parametrize(
    ("target", "rtl", "message"),
    [
        # 500 MHz: no design of the family reaches it (rtl_pnr would fail after the training)
        (
            {"clock_period": 2.0},
            {},
            r"hls\.targets\[0\]\.clock_period: 2 ns with rtl\.timing_slack 0\.05 asks for "
            r"525\.0 MHz after place and route; no design reaches more than [\d.]+ MHz on an ECP5 \(measured, "
            r"docs/rtl\.md\): set clock_period to [\d.]+ ns or more, or rtl\.timing: warn",
        ),
        ({}, {}, r"hls\.targets\[0\]\.clock_period: 5 ns "),  # the schema's default clock, 200 MHz
        ({"clock_period": 2.0}, {"timing": "warn"}, None),  # a miss is measured and kept: the user's to ask
        ({"clock_period": 2.0}, {"enabled": False}, None),  # no RTL, nothing placed and routed
        ({"clock_period": 10.0}, {"timing_slack": 0.2}, None),
    ],
)
def test_an_ecp5_clock_no_design_reaches_is_named_when_the_workflow_is_planned(tiny_config, target, rtl, message):
    tiny_config["experiments"]["tiny"]["hls"] = {"targets": [{"part": "LFE5U-85F-6BG381C"} | target]}
    tiny_config["experiments"]["tiny"]["rtl"] = rtl
    if message is None:
        assert validated(tiny_config)
    else:
        with pytest.raises(ConfigError, match=r"^experiments\.tiny\." + message):
            validated(tiny_config)


def test_pnr_seeds_are_a_count_or_a_list_and_canonical(tiny_config):
    """rtl.pnr_seeds: a count n is seeds 1 to n, the same params as the list; the default tries 3; a seed list
    with a repeat is refused."""

    def seeds(setting):
        config = copy.deepcopy(tiny_config)
        config["experiments"]["tiny"]["rtl"] = {} if setting is None else {"pnr_seeds": setting}
        return validated(config)["experiments"]["tiny"]["rtl"]

    assert seeds(3) == seeds([1, 2, 3]) == seeds(None) and seeds(3)["pnr_seeds"] == [1, 2, 3]
    assert seeds([7, 42])["pnr_seeds"] == [7, 42] and seeds(3)["timing_slack"] == 0.05
    with pytest.raises(ConfigError, match=r"experiments\.tiny\.rtl\.pnr_seeds: "):
        seeds([1, 1])


@pytest.mark.parametrize(
    "hls,message",
    [
        ({"input_precision": "int8"}, r"input_precision: 'int8' is not a fixed-point type"),
        # hls4ml's KeyError: 'FOO' in hls_convert, after training, where any word was taken for a mode
        ({"input_precision": "ap_fixed<16,6,AP_FOO>"}, r"input_precision: .* AP_FOO is not an ap_fixed rounding mode"),
        ({"input_precision": ["ap_fixed<8,4>", "ap_fixed<16,6,AP_RND,AP_BAR>"]}, r"input_precision: .* AP_BAR is not"),
        ({"default_precision": "ap_fixed<16,6,AP_TRN,AP_FOO>"}, r"default_precision: .* AP_FOO is not an ap_fixed"),
    ],
)
def test_fixed_point_types_are_checked_before_any_job(tiny_config, hls, message):
    tiny_config["experiments"]["tiny"]["hls"] = hls
    with pytest.raises(ConfigError, match=r"experiments\.tiny\.hls\." + message):
        validated(tiny_config)


@pytest.mark.parametrize(
    "target,message",
    [
        ({"reuse_factor": 600}, None),
        ({"reuse_factor": 601}, r"reuse_factor 601: no layer of these students can use it; valid values are 1 to 600"),
        ({"reuse_factor": 8, "rtl_architecture": "stream"}, r"rtl_architecture stream .* = 30"),
        ({"reuse_factor": 30, "rtl_architecture": "stream"}, None),
    ],
)
def test_reuse_factors_no_student_can_use_are_named_before_any_job(tiny_config, target, message):
    """The default student search space: 30 inputs, up to 20 units, 4 classes: 600 products at most."""
    tiny_config["experiments"]["tiny"]["hls"] = {"targets": [{"part": "xc7a35tcpg236-1"} | target]}
    if message is None:
        assert validated(tiny_config)
        return
    with pytest.raises(ConfigError, match=rf"experiments\.tiny\.hls\.targets\[0\]: {message}"):
        validated(tiny_config)


def test_a_conv_student_takes_reuse_factor_lists_and_no_streaming_design(tiny_config):
    """Its reuse factors are held to its space's largest layer when the workflow is planned (test_train_preflight)."""
    tiny = tiny_config["experiments"]["tiny"]
    tiny["student"] = {"model": "cnn", "layers": 2, "units": [2, 8]}
    tiny["hls"] = {"targets": [{"part": "xc7a35tcpg236-1", "reuse_factor": [1, 4, 16], "budget": {"lut": 0.3}}]}
    assert validated(tiny_config)["experiments"]["tiny"]["hls"]["targets"][0]["reuse_factor"] == [1, 4, 16]
    tiny["hls"] = {"targets": [{"part": "xc7a35tcpg236-1", "reuse_factor": 30, "rtl_architecture": "stream"}]}
    with pytest.raises(ConfigError, match=r"targets\[0\]: a cnn student's RTL is the line-buffered conv design"):
        validated(tiny_config)


def test_image_students_on_signals_are_named_before_any_job(tiny_config):
    tiny_config["experiments"]["tiny"]["student"] = {"model": "mobilenet"}
    with pytest.raises(ConfigError, match="tiny.student.model: mobilenet students take images; the pulses are 1D"):
        validate_config(tiny_config)
    tiny_config["experiments"]["tiny"]["dataset"] = {"kind": "digits"}
    assert validate_config(tiny_config)["experiments"]["tiny"]["student"]["model"] == "mobilenet"


def test_built_in_shapes_are_the_generators():
    from socflow.data.pulses import CLASS_NAMES, N_SAMPLES
    from socflow.data.sources import load_digits
    from socflow.families import BUILT_IN_SHAPES

    x, y, _ = load_digits({})
    assert BUILT_IN_SHAPES == {"pulses": ((N_SAMPLES,), len(CLASS_NAMES)), "digits": (x.shape[1:], len(set(y)))}


def _sections():
    """(where, schema object, its TypedDict): every $def, and the array items that have a type of their own."""
    from socflow.settings import SECTIONS, Target, Variant

    defs = yaml.safe_load(SCHEMA.read_text())["$defs"]
    yield from ((name, defs[name], SECTIONS[name]) for name in defs)
    yield "hls.targets[]", defs["hls"]["properties"]["targets"]["items"], Target
    yield "student.variants[]", defs["student"]["properties"]["variants"]["items"], Variant


def _literal(hint):
    """The choices of a Literal hint, or of the Literal in a list[...] hint."""
    import typing

    while typing.get_origin(hint) is not typing.Literal:
        hint = typing.get_args(hint)[0]
    return set(typing.get_args(hint))


@pytest.mark.parametrize(("where", "schema", "typed"), list(_sections()), ids=[s[0] for s in _sections()])
def test_the_typed_sections_have_the_schemas_keys_and_choices(where, schema, typed):
    """socflow.settings names each section's keys as the schema does, with the same choices; a section typed as
    always complete (total) has every key required or filled by a default."""
    import typing

    hints = typing.get_type_hints(typed)
    assert set(hints) == set(schema["properties"]), where
    for key, hint in hints.items():
        spec = schema["properties"][key]
        choices = spec.get("enum") or spec.get("items", {}).get("enum")
        if choices:
            assert _literal(hint) == set(choices), f"{where}.{key}"
        if typed.__total__:
            assert key in schema.get("required", []) or "default" in spec or "$ref" in spec, f"{where}.{key}"


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("experiments:\n  a:\n\tdataset: {kind: pulses}\n", r":3:1: found character '\\t' .* never tabs\)"),
        ("experiments: !!python/object/apply:os.system [ls]\n", r":1:14: could not determine a constructor "),
        ("experiments:\n  a: {}\n  a: {}\n", r":3:3: key 'a' appears twice in one mapping \(first at line 2\)"),
        ("- experiments\n", r": a config is a mapping \(experiments: \.\.\.\), got a list"),
    ],
)
def test_a_config_file_yaml_cannot_read_is_named_with_its_line(tmp_path, text, message):
    from socflow.config import read_config_file

    (tmp_path / "c.yaml").write_text(text)
    with pytest.raises(ConfigError, match=re.escape(str(tmp_path / "c.yaml")) + message):
        load_config(tmp_path / "c.yaml")
    with pytest.raises(ConfigError, match=r"none\.yaml: cannot read the config file \(No such file"):
        read_config_file(tmp_path / "none.yaml")


def test_the_config_command_names_the_line_snakemake_does_not(root, tmp_path, capsys):
    """Snakemake reads a --configfile itself and says only "Config file is not valid JSON or YAML"."""
    from socflow.config import main

    (tmp_path / "bad.yaml").write_text("experiments:\n  a:\n\tdataset: {kind: pulses}\n")
    assert main([str(tmp_path / "bad.yaml"), str(root / "config" / "config.yaml")]) == 1
    out = capsys.readouterr().out
    assert f"ConfigError: {tmp_path / 'bad.yaml'}:3:1: found character" in out and "config.yaml: valid" in out
    assert main([str(root / "config" / "config.yaml")]) == 0


@pytest.mark.parametrize(
    ("edit", "message"),
    [
        ({"teacher": {"search": {"objective": "pareto"}}}, r"tiny\.teacher\.search\.objective: the teacher's search"),
        ({"student": {"select": {"rule": "trial"}}}, r"tiny\.student\.select: rule trial takes a trial number"),
        ({"student": {"select": {"trial": 3}}}, r"tiny\.student\.select: rule trial takes a trial number"),
        ({"student": {"search": {"objective": "pareto"}}, "rtl": {"enabled": False}},
         r"tiny\.student\.search\.objective: pareto costs every trial on the RTL path"),
    ],
)  # fmt: skip
def test_the_pareto_searchs_settings_are_checked(tiny_config, edit, message):
    tiny_config["experiments"]["tiny"] |= edit
    with pytest.raises(ConfigError, match=message):
        validated(tiny_config)


def test_a_pareto_search_takes_lists_of_reuse_factors_and_input_types_without_a_budget(tiny_config):
    tiny = tiny_config["experiments"]["tiny"]
    tiny["hls"] = {"targets": [{"part": "xc7a35tcpg236-1", "reuse_factor": [1, 10]}],
                   "input_precision": ["ap_fixed<8,3>", "ap_fixed<16,6>"]}  # fmt: skip
    with pytest.raises(ConfigError, match="is chosen by the budgeted or Pareto student search"):
        validated(copy.deepcopy(tiny_config))
    tiny["student"] = {"search": {"objective": "pareto"}}
    student = validated(tiny_config)["experiments"]["tiny"]["student"]
    assert student["select"] == {"rule": "accurate", "points": 1.0, "trial": None}
