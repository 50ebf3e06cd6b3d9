"""The benchmark harness (convlens.bench), benchmarks/run.py and `convlens bench`.

No timing is asserted: only that the harness measures what it says, compares equal work,
and reports it in the promised shape.
"""

from __future__ import annotations

import importlib.util
import json
import math
import sys
import time
from pathlib import Path

import numpy as np
import pytest
import scipy.ndimage as ndi
from hypothesis import given, settings
from hypothesis import strategies as st

import convlens
from convlens import bench
from convlens.cli import main

ROOT = Path(__file__).resolve().parents[1]


def _tiny_rows(**kw):
    pts = bench.sweep_points(
        kw.get("sizes", [(40, 48)]),
        kw.get("kernels", [3, 5]),
        kw.get("kinds", ["gaussian", "random"]),
        kw.get("dtypes", ["float32"]),
        kw.get("boundaries", ["constant", "reflect"]),
    )
    return bench.run_sweep(pts, repeat=kw.get("repeat", 2))


@pytest.fixture(scope="module")
def rows():
    return _tiny_rows()


# --------------------------------------------------------------------------- data


@pytest.mark.parametrize("k", [3, 7, 15])
def test_kernels_have_their_rank(k):
    assert np.linalg.matrix_rank(bench.make_kernel("gaussian", k)) == 1
    assert np.linalg.matrix_rank(bench.make_kernel("log", k)) == 2
    assert np.linalg.matrix_rank(bench.make_kernel("random", k)) == k


def test_gaussian_kernel_known_values():
    # k=3: OpenCV's sigma = 0.8, so the 1-D factor is exp(-1/1.28) normalised.
    e = math.exp(-1 / (2 * 0.8**2))
    g = np.array([e, 1.0, e]) / (1 + 2 * e)
    np.testing.assert_allclose(bench.make_kernel("gaussian", 3), np.outer(g, g), rtol=1e-14)


@pytest.mark.parametrize("k", [3, 7, 15, 31])
def test_kernels_match_scipy_gaussian_and_laplace(k):
    # scipy.ndimage's Gaussian filters, applied to an impulse, draw the kernels themselves.
    sigma, r = 0.3 * ((k - 1) / 2 - 1) + 0.8, (k - 1) // 2
    impulse = np.zeros((k, k))
    impulse[r, r] = 1.0
    want_g = ndi.gaussian_filter(impulse, sigma, mode="constant", radius=r)
    want_log = ndi.gaussian_laplace(impulse, sigma, mode="constant", radius=r)
    np.testing.assert_allclose(bench.make_kernel("gaussian", k), want_g, atol=1e-15)
    np.testing.assert_allclose(bench.make_kernel("log", k), want_log, atol=1e-15)


def test_kernel_dtype_and_bad_kind():
    assert bench.make_kernel("random", 5, "float32").dtype == np.float32
    with pytest.raises(ValueError, match="`kind`"):
        bench.make_kernel("box", 3)


@pytest.mark.parametrize("k", [0, 4, -3, 2.0, True])
def test_bad_kernel_size(k):
    with pytest.raises(ValueError, match="`--kernel`"):
        bench.make_kernel("gaussian", k)


def test_make_image_reproducible_and_typed():
    a = bench.make_image((5, 7), "float32")
    assert a.shape == (5, 7) and a.dtype == np.float32
    np.testing.assert_array_equal(a, bench.make_image((5, 7), "float32"))
    assert 0 <= a.min() and a.max() < 1


@pytest.mark.parametrize(
    "text,want", [("512", (512, 512)), ("1536x2560", (1536, 2560)), ("3X4", (3, 4))]
)
def test_parse_size(text, want):
    assert bench.parse_size(text) == want


@pytest.mark.parametrize("text", ["0", "-5", "12y", "1x2x3", "", "x4"])
def test_parse_size_bad(text):
    with pytest.raises(ValueError, match="`--size`"):
        bench.parse_size(text)


def test_sweep_points_cover_the_product_in_order():
    pts = bench.sweep_points(
        [(64, 64), (8, 8)], [5, 3], ["random", "log"], ["float64"], ["reflect", "constant"]
    )
    assert len(pts) == 2 * 2 * 2 * 2
    assert pts[0].shape == (8, 8) and pts[-1].shape == (64, 64)  # small images first
    assert [p.ksize for p in pts[:2]] == [3, 5]  # small kernels first
    assert {p.boundary for p in pts} == {"reflect", "constant"}
    assert {p.kind for p in pts} == {"random", "log"}


def test_default_sweep_is_the_issues():
    pts = bench.sweep_points()
    assert len(pts) == 5 * 7 * 3 * 2 * 2
    assert {p.shape for p in pts} == {
        (256, 256),
        (512, 512),
        (2048, 2048),
        (4096, 4096),
        (1536, 2560),
    }
    assert {p.ksize for p in pts} == {3, 5, 7, 11, 15, 31, 63}


@pytest.mark.parametrize("arg,kw", [("kind", {"kinds": ["box"]}), ("dtype", {"dtypes": ["int8"]})])
def test_sweep_points_bad_names(arg, kw):
    with pytest.raises(ValueError, match=f"`{arg}`"):
        bench.sweep_points([(8, 8)], [3], **kw)


def test_sweep_points_bad_boundary():
    with pytest.raises(ValueError, match="`boundary`"):
        bench.sweep_points([(8, 8)], [3], boundaries=["mirror"])


# --------------------------------------------------------------------------- peers


@settings(max_examples=25, deadline=None)
@given(
    k=st.sampled_from([1, 3, 5, 7]),
    kind=st.sampled_from(bench.KINDS),
    dtype=st.sampled_from(bench.DTYPES),
    boundary=st.sampled_from(bench.ALL_BOUNDARIES),
    h=st.integers(9, 24),
    w=st.integers(9, 24),
)
def test_every_peer_computes_what_convlens_computes(k, kind, dtype, boundary, h, w):
    p = bench.Point((h, w), k, kind, dtype, boundary)
    X = bench.make_image(p.shape, dtype)
    K = bench.make_kernel(kind, k, dtype)
    Y = convlens.corr2d(X, K, padding="same", boundary=boundary)
    for peer in bench.PEERS:
        m = bench.measure_peer(peer, X, K, Y, p, repeat=1)
        if peer.name == "cv2.filter2D" and boundary == "wrap":
            assert m.status == bench.NA and "wrap" in m.note
            continue
        assert m.status == bench.OK, (peer.name, m)
        assert m.error <= bench.AGREE_RTOL[dtype]


def test_peers_agree_with_an_independent_oracle():
    # The agreement check compares with convlens; here the peers' call is checked against
    # scipy.ndimage directly, so a bug shared by convlens and the peers' set-up is caught.
    X = bench.make_image((20, 23), "float64")
    K = bench.make_kernel("random", 5)
    want = ndi.correlate(X, K, mode="mirror")
    for peer in bench.PEERS:
        got = peer.prepare(X, K, "reflect")()
        np.testing.assert_allclose(got, want, rtol=1e-9, atol=1e-12, err_msg=peer.name)


def _peer(result, per_tap=False, calls=None):
    def prepare(X, K, boundary):
        if calls is not None:
            calls.append(boundary)
        return lambda: result(X, K)

    return bench.Peer("fake", prepare, per_tap)


def test_a_disagreeing_peer_is_a_mismatch_and_never_best():
    p = bench.Point((16, 16), 3, "random", "float64", "constant")
    X, K = bench.make_image(p.shape, "float64"), bench.make_kernel("random", 3)
    Y = convlens.corr2d(X, K, padding="same")
    flipped = _peer(lambda X, K: convlens.conv2d(X, K, padding="same"))  # not corr2d
    m = bench.measure_peer(flipped, X, K, Y, p, repeat=1)
    assert m.status == bench.MISMATCH and m.error > 1e-3 and "max|diff|" in m.note
    row = bench.Row(p, "numpy", "", bench.Measure(bench.OK, 5.0, 1), 1.0, {"fake": m})
    assert row.best_peer is None and row.ratio is None
    s = bench.summarize([row])
    assert len(s.problems) == 1 and "MISMATCH" in s.problems[0]
    assert any(line.startswith("PROBLEM") for line in bench.summary_lines(s))


def test_a_peer_of_the_wrong_shape_is_a_mismatch():
    p = bench.Point((16, 16), 3, "gaussian", "float32", "constant")
    X, K = bench.make_image(p.shape), bench.make_kernel("gaussian", 3, "float32")
    Y = convlens.corr2d(X, K, padding="same")
    valid = _peer(lambda X, K: convlens.corr2d(X, K))
    assert bench.measure_peer(valid, X, K, Y, p).status == bench.MISMATCH


def test_a_raising_peer_is_an_error_not_a_crash():
    p = bench.Point((8, 8), 3, "gaussian", "float32", "constant")
    X, K = bench.make_image(p.shape), bench.make_kernel("gaussian", 3, "float32")

    def boom(X, K):
        raise RuntimeError("no such luck")

    m = bench.measure_peer(_peer(boom), X, K, X, p)
    assert m.status == bench.ERROR and "no such luck" in m.note


# --------------------------------------------------------------------------- timing


def test_time_call_warms_up_then_takes_the_median():
    calls = []
    durations = iter([0.05, 0.03, 0.001, 0.002])  # a slow warm-up, then three timed calls

    def fn():
        calls.append(1)
        time.sleep(next(durations))
        return "out"

    out, m = bench.time_call(fn, repeat=3, budget_s=0.04, min_s=0.0)
    assert out == "out" and len(calls) == 4 and m.runs == 3 and m.status == bench.OK
    assert 2.0 <= m.median_ms < 25.0  # the middle one (2 ms): not the warm-up, not 30 ms


def test_time_call_times_short_calls_for_at_least_min_s():
    calls = []

    def fn():
        calls.append(1)
        time.sleep(0.002)

    _, m = bench.time_call(fn, repeat=3, min_s=0.05)
    assert m.runs == len(calls) - 1 and 10 <= m.runs <= 26  # 0.05 s of 2 ms calls
    assert m.status == bench.OK and 2.0 <= m.median_ms < 10.0


def test_time_call_over_budget_runs_once_after_the_warm_up():
    calls = []

    def fn():
        calls.append(1)
        time.sleep(0.02)

    _, m = bench.time_call(fn, repeat=5, budget_s=0.005)
    assert len(calls) == 2 and m.runs == 1 and m.status == bench.SLOW and m.median_ms >= 20


def test_budget_skips_only_calls_dominated_by_a_slow_one():
    budget = bench.Budget(0.1)
    direct = bench.Peer("direct", None, per_tap=True)
    fft = bench.Peer("fft", None, per_tap=False)
    small = bench.Point((100, 100), 5, "random", "float32", "constant")
    budget.observe(direct, small, 0.05)  # under budget: nothing learnt
    assert (
        budget.estimate(direct, bench.Point((1000, 1000), 63, "random", "float32", "constant"))
        is None
    )
    budget.observe(direct, small, 0.2)
    budget.observe(fft, small, 0.2)
    bigger = bench.Point((200, 100), 15, "log", "float32", "reflect")
    assert budget.estimate(direct, bigger) == pytest.approx(0.2 * 2 * 9)
    assert budget.estimate(direct, small) is None  # the same point may run again
    assert budget.estimate(direct, bench.Point((200, 100), 3, "log", "float32", "reflect")) is None
    assert (
        budget.estimate(direct, bench.Point((200, 100), 15, "log", "float64", "reflect")) is None
    )
    assert budget.estimate(fft, bigger) is None  # FFT cost does not grow with taps


def test_measure_peer_skips_without_running():
    calls = []
    budget = bench.Budget(0.01)
    peer = _peer(lambda X, K: X, per_tap=True, calls=calls)
    budget.observe(peer, bench.Point((10, 10), 3, "random", "float32", "constant"), 1.0)
    p = bench.Point((10, 10), 5, "random", "float32", "constant")
    m = bench.measure_peer(peer, None, None, None, p, budget=budget)
    assert (
        m.status == bench.SKIPPED and calls == [] and m.median_ms == pytest.approx(1000 * 25 / 9)
    )
    assert bench.cell(m).startswith("~") and not m.counts


# --------------------------------------------------------------------------- the table


def test_sweep_rows_are_complete_and_agree(rows):
    assert len(rows) == 2 * 2 * 2  # kernels x kinds x boundaries
    for r in rows:
        assert list(r.peers) == [p.name for p in bench.PEERS]
        for name, m in r.peers.items():
            assert m.status == bench.OK, (r.point.label, name, m)
        p = r.point
        X, K = bench.make_image(p.shape, p.dtype), bench.make_kernel(p.kind, p.ksize, p.dtype)
        assert r.engine == convlens.plan(X, K, padding="same", boundary=p.boundary).engine
        assert math.isfinite(r.ratio) and r.ratio > 0
        assert r.floor_ms > 0 and math.isfinite(r.floor_ratio)
        best = min(r.peers.values(), key=lambda m: m.median_ms)
        assert r.peers[r.best_peer] is best
        assert r.ratio == pytest.approx(r.convlens.median_ms / best.median_ms)


def test_markdown_table_shape(rows):
    lines = bench.to_markdown(rows).splitlines()
    head = [c.strip() for c in lines[0].strip("|").split("|")]
    assert head == bench.columns(p.name for p in bench.PEERS)
    assert len(lines) == 2 + len(rows)
    for line, r in zip(lines[2:], rows):
        cells = [c.strip() for c in line.strip("|").split("|")]
        assert len(cells) == len(head)
        assert cells[0] == "40x48" and cells[1] == str(r.point.ksize)
        assert float(cells[-1]) == pytest.approx(r.ratio, abs=0.006)
        assert cells[-2] == r.best_peer


def test_rich_table_shape(rows):
    table = bench.to_rich_table(rows)
    assert [c.header for c in table.columns] == bench.columns(p.name for p in bench.PEERS)
    assert table.row_count == len(rows)


def test_cells():
    assert bench.cell(bench.Measure(bench.OK, 1234.5, 5)) == "1,234"
    assert bench.cell(bench.Measure(bench.OK, 0.01234, 5)) == "0.012"
    assert bench.cell(bench.Measure(bench.SLOW, 2500.0, 1)) == "2,500*"
    assert bench.cell(bench.Measure(bench.NA)) == "n/a"
    assert bench.cell(bench.Measure(bench.MISMATCH, 1.0, 1)) == "MISMATCH"


def _row(ratio, **point):
    defaults = dict(shape=(64, 64), ksize=5, kind="random", dtype="float32", boundary="reflect")
    p = bench.Point(**{**defaults, **point})
    mine = bench.Measure(bench.OK, 10.0 * ratio, 5)
    peers = {
        "a": bench.Measure(bench.OK, 10.0, 5),
        "b": bench.Measure(bench.SLOW, 40.0, 1),
        "c": bench.Measure(bench.SKIPPED, 1.0, 0),  # skipped never counts, however small
    }
    return bench.Row(p, "numpy", "", mine, 2.0, peers)


def test_summary_known_answers():
    rows = [
        _row(0.25),
        _row(4.0, ksize=7),
        _row(0.5, ksize=3, shape=(4096, 4096)),
        _row(1.0, ksize=3, shape=(4096, 4096), dtype="float64"),
    ]
    s = bench.summarize(rows)
    assert s.points == 4 and s.compared == 4
    assert s.geomean_ratio == pytest.approx((0.25 * 4.0 * 0.5 * 1.0) ** 0.25)
    assert s.worst is rows[1] and [r.point.ksize for r in s.slower] == [7]
    assert s.floor_rows == [rows[2]] and rows[2].floor_ratio == pytest.approx(2.5)
    text = "\n".join(bench.summary_lines(s))
    assert "worst point: 64² k=7" in text and "ratio 4.00" in text
    assert "slower than the best peer: 1 of 4" in text
    assert "2.50x the floor" in text


def test_report_is_json(rows, tmp_path):
    out = tmp_path / "r.json"
    bench.write_json(out, bench.report(rows, {"cpu_count": 2}, extra={"x": 1}))
    data = json.loads(out.read_text())
    assert len(data["rows"]) == len(rows) and data["extra"] == {"x": 1}
    assert data["rows"][0]["peers"]["ndimage"]["status"] == "ok"
    assert [p.name for p in tmp_path.iterdir()] == ["r.json"]  # no temporary left behind


def test_environment_names_versions_and_threads():
    env = bench.environment()
    for key in ("cpu_count", "numpy", "scipy", "cv2", "torch", "numba", "torch_threads"):
        assert env[key] is not None, key
    assert "torch_threads" in bench.environment_line(env)


# --------------------------------------------------------------------------- sections


def test_cnn_rows_agree_with_torch():
    cases = [bench.CnnCase(2, 4, 6, 12, 3), bench.CnnCase(1, 3, 2, 20, 7)]
    got = bench.run_cnn(cases, repeat=1)
    assert [r.case for r in got] == cases
    for r in got:
        assert r.torch.status == bench.OK and r.torch.error <= 2e-4
        assert math.isfinite(r.ratio) and r.ratio > 0
    table = bench.cnn_markdown(got)
    assert "N=2 4->6 12² 3x3" in table and len(table.splitlines()) == 4


def test_cold_times_fresh_processes():
    r = bench.run_cold(runs=2, argv=[sys.executable, "-c", "pass"])
    assert len(r.times_s) == 2 and r.median_s > 0 and r.baseline_s > 0


def test_cold_command_uses_filter_when_it_exists(tmp_path):
    argv, desc = bench.cold_command(str(tmp_path), size=16)
    assert np.load(tmp_path / "in.npy").shape == (16, 16)
    if "filter" in convlens.cli.SUBCOMMANDS:
        assert argv[1:4] == ["-m", "convlens", "filter"] and "convlens filter" in desc
    r = bench.run_cold(runs=1, argv=argv)
    assert r.median_s > 0


def test_cold_reports_a_failing_command():
    with pytest.raises(RuntimeError, match="exited 3"):
        bench.run_cold(runs=1, argv=[sys.executable, "-c", "raise SystemExit(3)"])


# --------------------------------------------------------------------------- the CLI

TINY = ["bench", "--size", "24x40", "--kernel", "3", "--kind", "log", "--repeat", "1"]


def test_cli_prints_the_table(capsys, tmp_path):
    out = tmp_path / "b.json"
    args = [*TINY, "--boundary", "reflect", "symmetric", "--dtype", "float64", "--json", str(out)]
    assert main(args) == 0
    text = capsys.readouterr().out
    for col in bench.columns(p.name for p in bench.PEERS):
        assert col in text
    assert (
        "24x40" in text and "float64" in text and "symmetric" in text and "geometric mean" in text
    )
    data = json.loads(out.read_text())
    assert [(r["boundary"], r["dtype"], r["kind"], r["ksize"]) for r in data["rows"]] == [
        ("reflect", "float64", "log", 3),
        ("symmetric", "float64", "log", 3),
    ]
    assert all(r["convlens"]["runs"] == 1 for r in data["rows"])  # --repeat


def test_cli_repeat_and_budget(tmp_path):
    out = tmp_path / "b.json"
    assert (
        main(
            [
                "bench",
                "--size",
                "16",
                "--kernel",
                "5",
                "--kind",
                "random",
                "--repeat",
                "3",
                "--json",
                str(out),
            ]
        )
        == 0
    )
    assert json.loads(out.read_text())["rows"][0]["convlens"]["runs"] == 3
    # A budget nobody meets: every call runs once and says so.
    assert (
        main(
            [
                "bench",
                "--size",
                "16",
                "--kernel",
                "5",
                "--kind",
                "random",
                "--budget",
                "1e-9",
                "--json",
                str(out),
                "--force",  # replaces the first run's file, which needs saying
            ]
        )
        == 0
    )
    row = json.loads(out.read_text())["rows"][0]
    assert row["convlens"]["status"] == "slow" and row["peers"]["ndimage"]["runs"] == 1


def _exit_code(argv):
    try:
        return main(argv)
    except SystemExit as exc:  # argparse's own usage errors
        return exc.code


@pytest.mark.parametrize(
    "extra,needle",
    [
        (["--size", "12y"], "--size"),
        (["--size", "0"], "--size"),
        (["--kernel", "4"], "--kernel"),
        (["--kernel", "x"], "--kernel"),
        (["--repeat", "0"], "--repeat"),
        (["--budget", "-1"], "--budget"),
        (["--dtype", "int8"], "--dtype"),
        (["--quick"], "--quick"),
    ],
)
def test_cli_bad_input_is_one_line(capsys, extra, needle):
    assert _exit_code(["bench", *extra]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and needle in err and "Traceback" not in err


def test_cli_json_into_missing_folder(capsys, tmp_path):
    code = main([*TINY, "--json", str(tmp_path / "nope" / "b.json")])
    assert code == 2 and len(capsys.readouterr().err.strip().splitlines()) == 1


@pytest.mark.parametrize("quick", [False, True])
def test_cli_calibrate(monkeypatch, capsys, tmp_path, quick):
    import convlens.planner

    seen = {}

    def calibrate(*, quick=False, progress=None):
        seen["quick"] = quick
        progress(1, 2)
        progress(2, 2)
        return tmp_path / "model.json"

    monkeypatch.setattr(convlens.planner, "calibrate", calibrate, raising=False)
    assert main(["bench", "--calibrate", *(["--quick"] if quick else [])]) == 0
    assert seen == {"quick": quick}
    assert str(tmp_path / "model.json") in capsys.readouterr().out.replace("\n", "")


def test_cli_calibrate_without_a_calibrator(monkeypatch, capsys):
    import convlens.planner

    monkeypatch.delattr(convlens.planner, "calibrate", raising=False)
    assert main(["bench", "--calibrate"]) == 2
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1 and "calibrate" in err


def test_cli_module_imports_no_heavy_peer():
    import subprocess

    code = (
        "import sys, convlens.cli; convlens.cli.build_parser(); "
        "print(sorted(m for m in ('torch', 'cv2', 'scipy.signal', 'scipy.ndimage') "
        "if m in sys.modules))"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "[]"


# --------------------------------------------------------------------------- benchmarks/run.py


def _run_module():
    spec = importlib.util.spec_from_file_location("bench_run", ROOT / "benchmarks" / "run.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def test_run_script_writes_markdown_and_json(tmp_path, capsys, monkeypatch):
    run = _run_module()
    real_cnn = bench.run_cnn
    tiny = [bench.CnnCase(1, 2, 2, 10, 3)]  # the real CNN shapes are for the real run
    monkeypatch.setattr(bench, "run_cnn", lambda cases, repeat: real_cnn(tiny, repeat=repeat))
    md, js = tmp_path / "r.md", tmp_path / "r.json"
    argv = [
        "--sizes",
        "20",
        "--kernels",
        "3",
        "5",
        "--kinds",
        "gaussian",
        "--dtypes",
        "float32",
        "--boundaries",
        "reflect",
        "--repeat",
        "1",
        "--markdown",
        str(md),
        "--json",
        str(js),
        "--cnn",
        "--cold",
        "--cold-runs",
        "1",
    ]
    assert run.main(argv) == 0
    assert bench.MIN_S == 0.0  # --min-time holds for that run only
    text = md.read_text()
    assert "| size | k |" in text and "geometric mean" in text and "## Cold start" in text
    assert "## CNN shapes" in text
    data = json.loads(js.read_text())
    assert len(data["rows"]) == 2 and data["cold"]["median_s"] > 0 and len(data["cnn"]) == 1
    assert "convlens vs peers" in capsys.readouterr().out


def test_run_script_quick_preset():
    args = _run_module().parse_args(["--quick", "--kernels", "5"])
    assert args.sizes == ["256", "512"] and args.kernels == [5] and args.repeat == 3
    assert args.cnn and args.cold and args.overhead and args.user_points
    full = _run_module().parse_args([])
    assert full.kernels == [3, 5, 7, 11, 15, 31, 63] and full.dtypes == ["float32", "float64"]


# --------------------------------------------------------------------------- issue 10


def test_sobel_kernel_is_sobel():
    np.testing.assert_array_equal(
        bench.make_kernel("sobel", 3), [[-1, 0, 1], [-2, 0, 2], [-1, 0, 1]]
    )
    K = bench.make_kernel("sobel", 5)
    assert np.linalg.matrix_rank(K) == 1 and K.sum() == 0 and (K[:, 2] == 0).all()


def test_user_points_cover_the_issue_table():
    pts = bench.user_points()
    assert set(bench.ISSUE_POINTS) <= set(pts)
    assert any(p.dtype == "uint8" and p.shape == (480, 640) for p in pts)
    assert any(p.batch == 64 and p.shape == (128, 128) for p in pts)
    assert [p.pixels * p.batch for p in pts] == sorted(p.pixels * p.batch for p in pts)


@pytest.mark.parametrize("boundary", ["constant", "reflect", "symmetric", "wrap"])
@pytest.mark.parametrize(
    "point",
    [
        bench.Point((20, 24), 3, "sobel", "uint8", "?"),
        bench.Point((16, 16), 5, "random", "float32", "?", batch=4),
        bench.Point((16, 16), 3, "gaussian", "uint8", "?", batch=3),
    ],
)
def test_uint8_and_batch_points_every_peer_agrees(point, boundary):
    import dataclasses

    p = dataclasses.replace(point, boundary=boundary)
    row = bench.run_point(p, repeat=1)
    assert row.convlens.status == bench.OK and row.ratio is not None
    for name, m in row.peers.items():
        if name == "cv2.filter2D" and boundary == "wrap":
            assert m.status == bench.NA
            continue
        assert m.status == bench.OK, (name, m)
        assert m.error <= bench.AGREE_RTOL[p.dtype]
        if p.dtype == "uint8":
            assert m.note.startswith("output ")  # the peer's own output dtype is stated
    # the peers really saw every image of the batch: a wrong one would be a mismatch
    bad = bench.Peer("first-only", lambda X, K, b: lambda: np.zeros_like(X, np.float32))
    if p.batch > 1:
        m = bench.measure_peer(bad, *_data(p), p, repeat=1)
        assert m.status == bench.MISMATCH


def _echo_peer(calls):
    """A peer that returns convlens's own answer, counting its timed calls."""

    def prepare(X, K, boundary):
        Y = convlens.corr2d(X, K, padding="same", boundary=boundary)

        def call():
            calls.append(1)
            return Y

        return call

    return bench.Peer("echo", prepare)


def test_the_best_peer_is_timed_again_in_turns_with_convlens():
    calls = []
    p = bench.Point((32, 32), 3, "gaussian", "float32", "reflect")
    row = bench.run_point(p, [_echo_peer(calls)], repeat=3)
    m = row.peers["echo"]
    assert m.status == bench.OK and m.note == "timed in turns with convlens"
    # A warm-up and 3 calls alone, then a warm-up and 3 calls in turns with convlens.
    assert len(calls) == 8 and m.runs == 3 and row.convlens.runs == 3
    assert row.ratio == row.convlens.median_ms / m.median_ms


def test_calls_over_the_budget_are_not_timed_again():
    calls = []
    p = bench.Point((32, 32), 3, "gaussian", "float32", "reflect")
    row = bench.run_point(p, [_echo_peer(calls)], repeat=3, budget=bench.Budget(0.0))
    assert row.peers["echo"].status == bench.SLOW and len(calls) == 2
    assert "in turns" not in row.peers["echo"].note


def _data(p):
    X = bench.make_image((p.batch, *p.shape) if p.batch > 1 else p.shape, p.dtype)
    K = bench.make_kernel(p.kind, p.ksize, p.kernel_dtype)
    Y = convlens.corr2d(X[:, None], K[None, None], padding="same", boundary=p.boundary)[:, 0]
    return X, K, Y


def test_summary_small_images_and_worst_points():
    rows = bench.run_sweep(
        [bench.Point((32, 32), 3, "gaussian", "float32", "reflect"),
         bench.Point((600, 600), 3, "gaussian", "float32", "reflect")],
        [p for p in bench.PEERS if p.name == "ndimage"],
        repeat=1,
    )  # fmt: skip
    s = bench.summarize(rows)
    assert s.geomean_small == pytest.approx(rows[0].ratio)
    assert s.worst_rows[0] is s.worst and len(s.worst_rows) == 2
    assert any("512² and smaller" in line for line in bench.summary_lines(s))


def test_overhead_rows():
    rows = bench.run_overhead(repeat=2)
    assert [r.label for r in rows] == [c[0] for c in bench.OVERHEAD_CASES]
    for r in rows:
        assert r.call_us > 0 and r.engine_us > 0 and r.forced_us > 0
        assert r.overhead_us == r.call_us - r.engine_us
    assert "| 8x8, 3x3, valid |" in bench.overhead_markdown(rows)


def test_cnn_with_torch_tensors():
    [row] = bench.run_cnn([bench.CnnCase(2, 3, 4, 12, 3, tensors=True)], repeat=1)
    assert row.torch.status == bench.OK and "(torch tensors)" in row.case.label
