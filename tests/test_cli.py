"""The ``skffnn compare`` command, run as a user runs it: a process and files.

Starting Python and importing scikit-learn costs a few seconds per process,
so the user's journeys run as processes, and the long list of error
messages calls the same entry point, ``skffnn.cli.main``, in this process.
"""

import csv
import json
import os
import re
import shutil
import subprocess
import sys

import numpy as np
import pytest

from skffnn.cli import main

pd = pytest.importorskip("pandas")

SUITE = ["xor", "moons", "circles", "digits", "breast_cancer", "wine", "diabetes"]
CLASSIFIERS = [
    "FFNNClassifier",
    "LogisticRegression",
    "MLPClassifier",
    "DummyClassifier",
]
REGRESSORS = ["FFNNRegressor", "Ridge", "MLPRegressor", "DummyRegressor"]


def run(*args, cwd, command=(sys.executable, "-m", "skffnn"), env=None):
    """Run the command in a new process, as a shell would."""
    return subprocess.run(
        [*command, *map(str, args)],
        cwd=cwd,
        capture_output=True,
        text=True,
        timeout=300,
        env={**os.environ, "MPLBACKEND": "Agg", **(env or {})},
    )


def run_main(*args, cwd, capsys, monkeypatch):
    """Run the command's entry point in this process: (status, stdout, stderr)."""
    monkeypatch.chdir(cwd)
    try:
        status = main([*map(str, args)])
    except SystemExit as exc:  # argparse's own exit
        status = exc.code
    out, err = capsys.readouterr()
    return status, out, err


def parse_table(stdout):
    """{(dataset, model): (metric, mean, std)} from the printed table."""
    lines = stdout.strip().splitlines()
    assert lines[0].split()[:3] == ["dataset", "model", "metric"]
    assert set(lines[1]) <= {"-", " "}
    table = {}
    for line in lines[2:]:
        dataset, model, metric, score, fit_time = re.split(r"\s{2,}", line.strip())
        mean, std = map(float, score.split("±"))
        assert float(fit_time) >= 0
        table[dataset, model] = (metric, mean, std)
    return table


@pytest.fixture(scope="module")
def suite(tmp_path_factory):
    """The README's quick start, run once for every test that reads it."""
    result = run("compare", cwd=tmp_path_factory.mktemp("suite"))
    assert result.returncode == 0, result.stderr
    return result


@pytest.fixture(scope="module")
def data_csv(tmp_path_factory):
    """120 rows: XOR-labelled numbers, a colour, gaps, and three targets."""
    rng = np.random.RandomState(0)
    n = 120
    x1, x2 = rng.uniform(-1, 1, n), rng.uniform(-1, 1, n)
    frame = pd.DataFrame(
        {
            "x1": x1,
            "x2": x2,
            "colour": rng.choice(["red", "green", "blue"], n),
            "label": np.where(x1 * x2 > 0, "same", "different"),
            "value": np.sin(3 * x1) + x2**2 + 0.05 * rng.standard_normal(n),
            "grade": rng.randint(1, 4, n),
        }
    )
    frame.loc[::10, "x1"] = np.nan
    frame.loc[::7, "colour"] = np.nan
    path = tmp_path_factory.mktemp("data") / "data.csv"
    frame.to_csv(path, index=False)
    return path


# -- the built-in suite ---------------------------------------------------------


def test_suite_table_has_every_dataset_and_model(suite):
    table = parse_table(suite.stdout)
    expected = [
        (dataset, model)
        for dataset in SUITE
        for model in (REGRESSORS if dataset == "diabetes" else CLASSIFIERS)
    ]
    assert list(table) == expected
    assert {table[key][0] for key in expected if key[0] != "diabetes"} == {"accuracy"}
    assert {table[key][0] for key in expected if key[0] == "diabetes"} == {"r2"}


@pytest.mark.parametrize("dataset", ["xor", "circles"])
def test_suite_logistic_regression_fails_where_the_network_succeeds(suite, dataset):
    table = parse_table(suite.stdout)
    assert 0.3 <= table[dataset, "LogisticRegression"][1] <= 0.7
    assert table[dataset, "FFNNClassifier"][1] >= 0.95


def test_suite_scores_are_sensible(suite):
    table = parse_table(suite.stdout)
    assert table["moons", "FFNNClassifier"][1] > table["moons", "LogisticRegression"][1]
    for dataset in ["digits", "breast_cancer", "wine"]:
        assert table[dataset, "FFNNClassifier"][1] >= 0.9
        assert table[dataset, "DummyClassifier"][1] < 0.7
    assert table["diabetes", "FFNNRegressor"][1] > 0.3
    assert abs(table["diabetes", "DummyRegressor"][1]) < 0.1


def test_suite_reports_progress_without_warnings(suite):
    progress = suite.stderr.strip().splitlines()
    assert len(progress) == 28
    assert progress[0].startswith("[ 1/28] xor  FFNNClassifier  accuracy")
    assert progress[-1].startswith("[28/28] diabetes  DummyRegressor  r2")
    assert "Warning" not in suite.stderr


# -- a user's CSV file ------------------------------------------------------------


def test_csv_classification_with_text_and_gaps(data_csv, tmp_path):
    args = "--target label --cv 3 --output results.csv".split()
    result = run("compare", "--csv", data_csv, *args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    table = parse_table(result.stdout)
    assert list(table) == [("data", model) for model in CLASSIFIERS]
    assert table["data", "FFNNClassifier"][1] > 0.8
    assert table["data", "FFNNClassifier"][1] > table["data", "LogisticRegression"][1]
    with open(tmp_path / "results.csv", newline="") as file:
        rows = list(csv.DictReader(file))
    assert [row["model"] for row in rows] == CLASSIFIERS
    assert list(rows[0]) == ["dataset", "model", "metric", "mean", "std", "fit_time"]
    for row in rows:
        mean = table["data", row["model"]][1]
        assert float(row["mean"]) == pytest.approx(mean, abs=5e-4)


def test_csv_regression_to_json_with_chosen_models_quietly(data_csv, tmp_path):
    args = "--target value --models ffnn ridge --hidden 16,8 --output results.json -q"
    result = run("compare", "--csv", data_csv, *args.split(), cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    records = json.loads((tmp_path / "results.json").read_text())
    assert [record["model"] for record in records] == ["FFNNRegressor", "Ridge"]
    for record in records:
        assert record["metric"] == "r2"
        assert len(record["scores"]) == len(record["fit_times"]) == 5
        assert record["mean"] == pytest.approx(np.mean(record["scores"]))
    assert records[0]["mean"] > records[1]["mean"]


def test_plot_writes_a_bar_chart(data_csv, tmp_path):
    pytest.importorskip("matplotlib")
    args = "--target label --models dummy,logistic --plot scores.png -q".split()
    result = run("compare", "--csv", data_csv, *args, cwd=tmp_path)
    assert result.returncode == 0, result.stderr
    assert (tmp_path / "scores.png").read_bytes().startswith(b"\x89PNG")


def test_plot_without_matplotlib_says_how_to_install(data_csv, tmp_path):
    blocked = tmp_path / "blocked" / "matplotlib"
    blocked.mkdir(parents=True)
    (blocked / "__init__.py").write_text("raise ImportError('blocked for a test')\n")
    path = os.pathsep.join([str(blocked.parent), os.environ.get("PYTHONPATH", "")])
    args = "--target label --plot scores.png".split()
    result = run(
        "compare", "--csv", data_csv, *args, cwd=tmp_path, env={"PYTHONPATH": path}
    )
    assert result.returncode == 2
    assert "requires matplotlib: pip install matplotlib" in result.stderr
    assert result.stdout == ""


def test_console_script(data_csv, tmp_path):
    script = shutil.which("skffnn")
    if script is None:
        pytest.skip("the skffnn console script is not installed")
    args = "--target label --models dummy".split()
    result = run("compare", "--csv", data_csv, *args, cwd=tmp_path, command=[script])
    assert result.returncode == 0, result.stderr
    assert list(parse_table(result.stdout)) == [("data", "DummyClassifier")]


def test_csv_task_is_guessed_and_can_be_set(data_csv, tmp_path, capsys, monkeypatch):
    args = ["compare", "--csv", data_csv, *"--target grade --models dummy".split()]
    status, out, _ = run_main(
        *args, cwd=tmp_path, capsys=capsys, monkeypatch=monkeypatch
    )
    assert status == 0
    assert parse_table(out)["data", "DummyClassifier"][0] == "accuracy"
    status, out, _ = run_main(
        *args,
        "--task",
        "regression",
        cwd=tmp_path,
        capsys=capsys,
        monkeypatch=monkeypatch,
    )
    assert status == 0
    assert parse_table(out)["data", "DummyRegressor"][0] == "r2"


def test_rows_without_target_are_dropped_with_a_note(
    data_csv, tmp_path, capsys, monkeypatch
):
    args = ["compare", "--csv", data_csv, *"--target x1 --models dummy".split()]
    status, _, err = run_main(
        *args, cwd=tmp_path, capsys=capsys, monkeypatch=monkeypatch
    )
    assert status == 0
    assert "dropped 12 row(s) with no 'x1' value" in err


def test_help_explains_the_task_guess(tmp_path, capsys, monkeypatch):
    status, out, _ = run_main(
        "compare", "--help", cwd=tmp_path, capsys=capsys, monkeypatch=monkeypatch
    )
    assert status == 0
    assert "--csv FILE" in out
    assert "numbers with at most 20 distinct values" in out


def _csv(tmp_path, name, frame, **kw):
    path = tmp_path / name
    frame.to_csv(path, **kw)
    return path


def _two_features(n=120):
    rng = np.random.RandomState(0)
    a, b = rng.normal(size=n), rng.normal(size=n)
    return pd.DataFrame({"a": a, "b": b, "label": (a + b > 0).astype(int)})


def test_csv_true_false_columns_are_numbers(tmp_path, capsys, monkeypatch):
    # SimpleImputer refuses bool columns: the comparison failed, blaming
    # the network ("FFNNClassifier failed on ...: ... dtype bool").
    frame = _two_features()
    frame.insert(2, "positive", frame["a"] > 0)
    path = _csv(tmp_path, "flags.csv", frame, index=False)
    args = ["compare", "--csv", path, "--target", "label", "--models", "linear"]
    status, out, _ = run_main(
        *args, cwd=tmp_path, capsys=capsys, monkeypatch=monkeypatch
    )
    assert status == 0
    assert parse_table(out)["flags", "LogisticRegression"][1] > 0.9


@pytest.mark.parametrize("sep", [";", "\t"])
def test_csv_separator_is_sniffed(tmp_path, capsys, monkeypatch, sep):
    # A semicolon file was one column named 'a;b;label': "no column 'label'".
    path = _csv(tmp_path, "europe.csv", _two_features(), sep=sep, index=False)
    args = ["compare", "--csv", path, "--target", "label", "--models", "linear"]
    status, out, _ = run_main(
        *args, cwd=tmp_path, capsys=capsys, monkeypatch=monkeypatch
    )
    assert status == 0, out
    assert parse_table(out)["europe", "LogisticRegression"][1] > 0.9


def test_csv_decimal_commas_are_read_as_numbers(tmp_path, capsys, monkeypatch):
    # A ';' file from a spreadsheet writes 1,5 for 1.5: sniffed as ';', its
    # numbers stayed text (one-hot encoded features; a refused target).
    frame = _two_features()
    path = _csv(tmp_path, "europe.csv", frame, sep=";", decimal=",", index=False)
    assert "," in path.read_text().splitlines()[1]
    args = ["compare", "--csv", path, "--target", "label", "--models", "linear"]
    status, out, err = run_main(
        *args, cwd=tmp_path, capsys=capsys, monkeypatch=monkeypatch
    )
    assert status == 0 and "one-hot" not in err
    assert parse_table(out)["europe", "LogisticRegression"][1] > 0.9


def test_csv_notes_say_how_columns_and_target_are_read(tmp_path, capsys, monkeypatch):
    # One '?' in a numeric column made it 120 one-hot categories, silently.
    frame = _two_features()
    frame["a"] = frame["a"].astype(object)
    frame.loc[3, "a"] = "?"
    frame.loc[0, "label"] = 2  # a class of one member, too rare for 5 folds
    path = _csv(tmp_path, "messy.csv", frame)  # with its index, unnamed
    args = ["compare", "--csv", path, "--target", "label", "--models", "linear,dummy"]
    status, _, err = run_main(
        *args, cwd=tmp_path, capsys=capsys, monkeypatch=monkeypatch
    )
    assert status == 0
    notes = err.splitlines()
    assert "classification with 3 classes, guessed (--task regression" in err
    assert "one-hot encoding the text column(s) 'a' (120 values)" in err
    assert "column 'a' holds numbers but for '?'" in err
    assert "column 'Unnamed: 0' has no name (a saved DataFrame index?)" in err
    # scikit-learn's warning, once as a note rather than once per model
    # as a raw warning with its source line.
    rare = [line for line in notes if "least populated class" in line]
    assert len(rare) == 1 and rare[0].startswith("note (messy): The least")
    assert "warnings.warn" not in err and "UserWarning" not in err
    # With folds in worker processes, which printed raw warnings once per
    # fold (a process of its own: the workers write to its stderr). An
    # empty column makes SimpleImputer warn in every fold's fit.
    frame["empty"] = np.nan
    path = _csv(tmp_path, "messy.csv", frame)
    result = run(*args, "--n-jobs", "2", cwd=tmp_path)
    assert result.returncode == 0 and "Warning" not in result.stderr
    lines = result.stderr.splitlines()
    assert len([line for line in lines if "least populated" in line]) == 1


def test_a_guessed_label_column_of_nearly_unique_text_is_refused(
    tmp_path, capsys, monkeypatch
):
    # Numbers with one 'n.a.' were guessed to be 120 classes, and failed on
    # folds: "n_splits=5 cannot be greater than the number of members".
    frame = _two_features()
    frame["y"] = (frame["a"] * 3).astype(object)
    frame.loc[5, "y"] = "n.a."
    path = _csv(tmp_path, "ids.csv", frame.drop(columns="label"), index=False)
    args = ["compare", "--csv", path, "--target", "y", "--models", "linear"]
    status, _, err = run_main(
        *args, cwd=tmp_path, capsys=capsys, monkeypatch=monkeypatch
    )
    assert status == 2
    assert "120 distinct values in 120 rows" in err
    assert "numbers but for some text" in err and "--task regression" in err


def test_alpha_sets_the_penalty_of_both_networks(data_csv, tmp_path, capsys):
    # The networks on a user's small data had MLP's alpha 1e-4, with no way
    # to change it: on a pure-noise target, R^2 -1.3 against Ridge's -0.04.
    from skffnn.cli import _load_datasets
    from skffnn.cli.arguments import build_parser
    from skffnn.cli.models import make_model

    parse = build_parser().parse_args
    for data in (["--datasets", "wine"], ["--csv", str(data_csv), "--target", "x2"]):
        args = parse(["compare", *data, "--alpha", "2.5", "-q"])
        (dataset,) = _load_datasets(args)
        for key in ("ffnn", "mlp"):
            _, model = make_model(key, dataset, random_state=0)
            params = model.get_params()  # a Pipeline, or one in a wrapper
            alphas = [v for k, v in params.items() if k.endswith("model__alpha")]
            assert alphas == [2.5]
    for bad in ("-1", "inf", "x"):
        with pytest.raises(SystemExit):
            parse(["compare", "--alpha", bad])
        assert "is not a finite number >= 0" in capsys.readouterr().err


# -- errors: exit status 2 and a message naming the problem ------------------------


@pytest.fixture
def bad_files(tmp_path):
    """Small CSV files, each wrong in its own way, in a fresh directory."""
    rows = "".join(f"{i / 3},{i % 2},{'up' if i % 2 else 'down'}\n" for i in range(6))
    files = {
        "empty.csv": "",
        "header.csv": "x,y\n",
        "data.csv": "x,y,word\n" + rows,
        "single.csv": "x,y\n1,a\n2,a\n3,a\n",
    }
    for name, text in files.items():
        (tmp_path / name).write_text(text)
    return tmp_path


ERRORS = {
    "missing file": ("--csv nope.csv --target y", "nope.csv: no such file"),
    "empty file": ("--csv empty.csv --target y", "empty.csv: the file is empty"),
    "header only": ("--csv header.csv --target y", "no data rows"),
    "missing target": (
        "--csv data.csv --target price",
        "no column 'price'; the columns are 'x', 'y', 'word'",
    ),
    "single class": (
        "--csv single.csv --target y",
        "needs at least 2 classes, but every row has the class 'a'",
    ),
    "text target for regression": (
        "--csv data.csv --target word --task regression",
        "regression needs a numeric target, but it holds values such as 'down', 'up'",
    ),
    "continuous target for classification": (
        "--csv data.csv --target x --task classification",
        "classification needs class labels",
    ),
    "more folds than rows": (
        "--csv data.csv --target y --cv 9",
        "--cv 9 needs at least 9 rows, but data has 6",
    ),
    "csv without target": ("--csv data.csv", "--csv needs --target"),
    "target without csv": ("--target y", "--target applies to --csv data only"),
    "hidden not integers": ("--hidden 64,x", "argument --hidden: '64,x'"),
    "hidden zero": ("--hidden 0", "argument --hidden: '0'"),
    "one fold": ("--cv 1", "argument --cv: '1' is not an integer >= 2"),
    "zero jobs": ("--n-jobs 0", "argument --n-jobs: '0' is not a nonzero integer"),
    "negative seed": ("--random-state -3", "argument --random-state: '-3'"),
    "output format": ("--output results.txt", "use a .csv or .json file name"),
    "plot format": ("--plot scores.xyz", "unknown image format .xyz"),
    "unknown model": ("--models ffnn,svm", "unknown model 'svm'"),
    "unknown dataset": ("--datasets xor,mnist", "unknown data set(s) mnist"),
    # Empty lists used to run no data set (an empty table, status 0) or
    # every model.
    "no dataset": ("--datasets ,", "--datasets names no data set"),
    "no model": ("--models , ,", "--models names no model"),
    "unknown task": ("--task ranking", "argument --task: invalid choice"),
}


@pytest.mark.parametrize("args, message", ERRORS.values(), ids=ERRORS.keys())
def test_errors_exit_2_with_a_message(bad_files, capsys, monkeypatch, args, message):
    status, out, err = run_main(
        "compare", *args.split(), cwd=bad_files, capsys=capsys, monkeypatch=monkeypatch
    )
    assert status == 2
    assert message in err
    assert out == ""


@pytest.mark.parametrize(
    "name", ["missing target", "hidden not integers", "output format"]
)
def test_errors_exit_2_from_a_process(bad_files, name):
    args, message = ERRORS[name]
    result = run("compare", *args.split(), cwd=bad_files)
    assert result.returncode == 2
    assert message in result.stderr
    assert result.stdout == ""


@pytest.mark.parametrize(
    "args",
    [
        "--datasets xor --models ffnn , --cv 2 -q",  # a stray comma: no model
        "--datasets xor,xor --models ffnn --cv 2 -q",  # once ran xor twice
    ],
)
def test_each_data_set_and_model_runs_once(args, tmp_path, capsys, monkeypatch):
    status, out, err = run_main(
        "compare", *args.split(), cwd=tmp_path, capsys=capsys, monkeypatch=monkeypatch
    )
    assert status == 0 and err == ""
    rows = out.strip().splitlines()[2:]
    assert [row.split()[:2] for row in rows] == [["xor", "FFNNClassifier"]]


def test_out_of_memory_exits_1_with_a_message(tmp_path, capsys, monkeypatch):
    # --hidden 100000000 asks numpy for 238 GiB: a traceback, once.
    import skffnn.cli

    def too_large(*args, **kwargs):
        raise MemoryError("Unable to allocate 238. GiB for an array")

    monkeypatch.setattr(skffnn.cli, "compare", too_large)
    status, out, err = run_main(
        "compare",
        "--hidden",
        "100000000",
        cwd=tmp_path,
        capsys=capsys,
        monkeypatch=monkeypatch,
    )
    assert status == 1 and out == ""
    assert "error: out of memory (Unable to allocate 238. GiB" in err
    assert "smaller --hidden sizes" in err
