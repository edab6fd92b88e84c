"""The config schema (defaults, bad values stop the run with the key named) and the wildcard names."""

from __future__ import annotations

import copy

import pytest
import yaml
from snakemake.exceptions import WorkflowError

from socflow.config import SCHEMA, check_config, load_config, target_name, targets, variant_name, variants
from socflow.errors import ConfigError


def validated(config):
    from snakemake.utils import validate

    config = copy.deepcopy(config)
    validate(config, str(SCHEMA))
    check_config(config)
    return config


@pytest.mark.parametrize("name", ["config/config.yaml", "config/examples/pulses_mlp.yaml", "config/examples/digits_cnn.yaml", "config/examples/user_data.yaml"])
def test_shipped_configs_are_valid(root, name):
    config = load_config(root / name)
    assert config["experiments"]


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
    "path,value,message,where",
    [
        (["experiments", "tiny", "dataset", "shape"], 3, "'shape' was unexpected", "['tiny']['dataset']"),
        (["experiments", "tiny", "teachr"], {}, "'teachr' was unexpected", "['experiments']['tiny']"),
        (["experiments", "tiny", "dataset", "kind"], "mnist", "'mnist' is not one of", "['dataset']['kind']"),
        (["experiments", "tiny", "dataset", "n_per_class"], "many", "'many' is not of type 'integer'", "['n_per_class']"),
        (["experiments", "tiny", "split", "train"], 1.5, "greater than or equal to the maximum", "['split']['train']"),
        (["experiments", "tiny", "student", "variants"], [{"bits": 8}], "'sparsity' is a required", "['variants'][0]"),
        (["experiments", "tiny", "hls", "targets"], [{"part": "x", "io_type": "axi"}], "'axi' is not one of", "[0]['io_type']"),
        (["toolchain"], "maybe", "'maybe' is not one of", "On instance['toolchain']"),
    ],
)
def test_schema_errors_name_the_key(tiny_config, path, value, message, where):
    with pytest.raises(WorkflowError) as info:
        validated(bad(tiny_config, path, value))
    text = str(info.value)
    assert message in text and where in text, text


def test_user_data_kind_needs_a_path(tiny_config):
    tiny_config["experiments"]["tiny"]["dataset"] = {"kind": "npz"}
    with pytest.raises(WorkflowError, match="'path' is a required property"):
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
    with pytest.raises(ConfigError, match=r"student\.variants: integer_bits 4 and student.activation_integer_bits 3 must be below bits 4"):
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
    with pytest.raises(WorkflowError, match="bad/name"):
        validated(tiny_config)


def test_wildcard_names():
    assert variant_name({"bits": 8, "sparsity": 0.2, "integer_bits": 0}) == "b8_s20"
    assert variant_name({"bits": 6, "sparsity": 0.55, "integer_bits": 1}) == "b6_s55_i1"
    target = {"part": "XC7Z020CLG400-1", "clock_period": 10.0, "reuse_factor": 8, "strategy": "Resource", "io_type": "io_parallel"}
    assert target_name(target) == "xc7z020clg400-1_100mhz_rf8_resource_parallel"
    assert target_name({**target, "clock_period": 7.5}).startswith("xc7z020clg400-1_133.333mhz")
    assert target_name({**target, "name": "pynq"}) == "pynq"


def test_variants_and_targets_by_name(root):
    exp = load_config(root / "config/examples/pulses_mlp.yaml")["experiments"]["pulses_mlp"]
    assert list(variants(exp)) == ["b8_s20", "b6_s20", "b8_s50"]
    names = list(targets(exp))
    assert len(names) == 30 and "zcu102_100mhz_rf64" in names


def test_schema_file_is_yaml_with_descriptions():
    schema = yaml.safe_load(SCHEMA.read_text())
    experiment = schema["$defs"]["experiment"]
    assert experiment["additionalProperties"] is False
    assert all("description" in schema["$defs"][s] for s in ("dataset", "split", "teacher", "student", "hls", "board"))
