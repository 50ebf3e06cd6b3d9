"""The playground's server, without a browser: the JSON API, uploads, static files, binding."""

import io
import json
import re
import socket
import subprocess
import sys
import threading
import time

import hypothesis.strategies as st
import numpy as np
import pytest
import tifffile
from hypothesis import given, settings
from PIL import Image
from starlette.testclient import TestClient

import convlens
from convlens.web import server as srv

RNG = np.random.default_rng(0)
SMALL = RNG.random((13, 17)).astype(np.float32)


@pytest.fixture(scope="module")
def client():
    with TestClient(srv.create_app()) as c:
        yield c


@pytest.fixture(scope="module")
def small_id(client):
    buf = io.BytesIO()
    tifffile.imwrite(buf, SMALL)
    r = client.post("/api/upload", files={"file": ("small.tif", buf.getvalue(), "image/tiff")})
    assert r.status_code == 200, r.text
    assert r.json()["shape"] == [13, 17]
    return r.json()["id"]


def png_bytes(arr, **kw):
    buf = io.BytesIO()
    Image.fromarray(arr).save(buf, format="PNG", **kw)
    return buf.getvalue()


def floats(resp):
    shape = tuple(int(v) for v in resp.headers["X-Shape"].split(","))
    return np.frombuffer(resp.content, "<f4").reshape(shape)


# ------------------------------------------------------------------------- filter


options = st.fixed_dictionaries(
    {
        "padding": st.one_of(
            st.sampled_from(["valid", "same", "full"]),
            st.tuples(
                st.tuples(st.integers(0, 4), st.integers(0, 4)),
                st.tuples(st.integers(0, 4), st.integers(0, 4)),
            ).map(lambda p: [list(p[0]), list(p[1])]),
        ),
        "boundary": st.sampled_from(srv.BOUNDARIES),
        "value": st.sampled_from([0.0, -1.5]),
        "stride": st.tuples(st.integers(1, 3), st.integers(1, 3)).map(list),
        "dilation": st.tuples(st.integers(1, 2), st.integers(1, 2)).map(list),
        "mode": st.sampled_from(["corr", "conv"]),
    }
)
kernels_st = st.tuples(st.integers(1, 4), st.integers(1, 4), st.integers(0, 2**31)).map(
    lambda t: np.round(np.random.default_rng(t[2]).standard_normal(t[:2]), 3)
)


def expected(X, K, opts):
    fn = convlens.conv2d if opts["mode"] == "conv" else convlens.corr2d
    pad = opts["padding"]
    pad = tuple(tuple(p) for p in pad) if isinstance(pad, list) else pad
    return fn(
        X,
        K.astype(np.float32),
        padding=pad,
        boundary=opts["boundary"],
        value=opts["value"],
        stride=tuple(opts["stride"]),
        dilation=tuple(opts["dilation"]),
    )


@settings(max_examples=40)
@given(opts=options, K=kernels_st, data=st.data())
def test_filter_and_inspector_agree_with_corr2d(client, small_id, opts, K, data):
    body = {"image": small_id, "kernel": K.tolist(), **opts}
    r = client.post("/api/filter", json=body)
    try:
        want = expected(SMALL, K, opts)
    except ValueError as exc:
        # An impossible setup: the server says why, in convlens's words, and does not crash.
        assert r.status_code == 400
        assert r.json()["error"] == str(exc).splitlines()[0]
        return
    assert r.status_code == 200, r.text
    got = floats(r)[0]
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)
    assert r.headers["X-Engine"] and float(r.headers["X-Time-Ms"]) >= 0
    i = data.draw(st.integers(0, want.shape[0] - 1))
    j = data.draw(st.integers(0, want.shape[1] - 1))
    ins = client.post("/api/inspect", json={**body, "i": i, "j": j}).json()
    assert ins["output"] == pytest.approx(float(got[i, j]), abs=1e-6)
    assert ins["sum"] == pytest.approx(ins["output"], rel=1e-5, abs=1e-5)
    products = np.array(ins["window"]) * np.array(ins["kernel"])
    np.testing.assert_allclose(products, ins["products"], atol=1e-12)
    Kc = K[::-1, ::-1] if opts["mode"] == "conv" else K
    np.testing.assert_allclose(ins["kernel"], Kc.astype(np.float32), atol=0)
    for row, wrow in zip(ins["cells"], ins["window"]):
        for cell, v in zip(row, wrow):
            if cell["source"] is None:
                assert cell["padded"] and opts["boundary"] == "constant" and v == opts["value"]
            else:
                assert v == float(SMALL[tuple(cell["source"])])


def test_inspector_marks_padding_at_a_corner(client, small_id):
    body = {"image": small_id, "kernel": np.ones((3, 3)).tolist(), "padding": "same"}
    ins = client.post("/api/inspect", json={**body, "i": 0, "j": 0}).json()
    padded = np.array([[c["padded"] for c in row] for row in ins["cells"]])
    assert padded.tolist() == [[True] * 3, [True, False, False], [True, False, False]]


def test_rgb_filters_each_channel(client):
    rgb = (RNG.random((9, 11, 3)) * 255).astype(np.uint8)
    r = client.post("/api/upload", files={"file": ("c.png", png_bytes(rgb), "image/png")})
    key = r.json()["id"]
    K = [[1.0, 0.0], [0.0, -1.0]]
    out = floats(client.post("/api/filter", json={"image": key, "kernel": K, "channels": "rgb"}))
    for c in range(3):
        want = convlens.corr2d(rgb[..., c].astype(np.float32) / 255, np.float32(K))
        np.testing.assert_allclose(out[c], want, rtol=1e-6, atol=1e-6)


def test_image_is_served_as_raw_float32(client):
    r = client.get("/api/image/sample:camera")
    from skimage import data

    assert r.headers["X-Shape"] == "1,512,512"
    np.testing.assert_array_equal(floats(r)[0], data.camera().astype(np.float32) / 255)


@pytest.mark.parametrize(
    ("body", "words"),
    [
        ({"kernel": np.ones((32, 3)).tolist()}, "at most 31x31"),
        ({"kernel": [[1, 2], [3]]}, "`kernel`"),
        ({"kernel": [[1.0]], "padding": "middle"}, "`padding`"),
        ({"kernel": [[1.0]], "boundary": "mirror"}, "`boundary`"),
        ({"kernel": [[1.0]], "stride": 0}, "`stride`"),
        ({"kernel": [[1.0]], "mode": "xcorr"}, "`mode`"),
        ({"kernel": [[1.0]], "image": "sample:nope"}, "`sample`"),
        ({"kernel": [[1.0]], "image": "upload:0000"}, "unknown image"),
        ({"kernel": [[1.0]], "value": "NaN"}, "`value`"),
    ],
)
def test_bad_requests_get_a_clear_message(client, body, words):
    r = client.post("/api/filter", json={"image": "sample:step", **body})
    assert 400 <= r.status_code < 500
    assert words in r.json()["error"]


def test_non_json_body_is_a_400(client):
    r = client.post("/api/filter", content=b"{not json", headers={"content-type": "x"})
    assert r.status_code == 400 and "JSON" in r.json()["error"]


def test_kernel_info_rank_and_separability(client):
    sob = client.post("/api/kernel", json={"spec": "sobel"}).json()
    assert sob["rank"] == 1 and sob["separable"]
    col, row = np.array(sob["factors"]["column"]), np.array(sob["factors"]["row"])
    np.testing.assert_allclose(np.outer(col, row), convlens.kernels.sobel(), atol=1e-12)
    lap = client.post("/api/kernel", json={"kernel": convlens.kernels.laplacian().tolist()})
    assert lap.json()["rank"] == 2 and not lap.json()["separable"]
    bad = client.post("/api/kernel", json={"spec": "gaussian:sigma=-1"})
    assert bad.status_code == 400 and "sigma" in bad.json()["error"]
    names = [b["name"] for b in client.get("/api/bank").json()]
    assert names == convlens.kernels.names()


# ------------------------------------------------------------------------- uploads


def test_upload_too_large_is_refused_with_a_message(client, monkeypatch):
    monkeypatch.setattr(srv, "MAX_UPLOAD_BYTES", 1000)
    data = png_bytes((RNG.random((64, 64)) * 255).astype(np.uint8))
    assert len(data) > 1000
    r = client.post("/api/upload", files={"file": ("big.png", data, "image/png")})
    assert r.status_code == 413 and "limit" in r.json()["error"]
    assert client.get("/api/samples").status_code == 200  # still serving


def test_upload_with_too_many_pixels_is_refused_before_decoding(client):
    data = png_bytes(np.zeros((4100, 4100), np.uint8), optimize=True)
    r = client.post("/api/upload", files={"file": ("huge.png", data, "image/png")})
    assert r.status_code == 413 and "4100x4100" in r.json()["error"]


@pytest.mark.parametrize(
    ("name", "data", "words"),
    [
        ("notes.txt", b"hello, not an image", "not a PNG, JPEG or TIFF"),
        ("fake.png", b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "could not"),
        ("empty.png", b"", "not a PNG"),
    ],
)
def test_upload_not_an_image_is_refused_with_a_message(client, name, data, words):
    r = client.post("/api/upload", files={"file": (name, data, "application/octet-stream")})
    assert 400 <= r.status_code < 500
    assert words in r.json()["error"] and name in r.json()["error"]


def test_upload_of_another_format_or_no_file(client):
    buf = io.BytesIO()
    Image.fromarray(np.zeros((4, 4), np.uint8)).save(buf, format="GIF")
    r = client.post("/api/upload", files={"file": ("a.gif", buf.getvalue(), "image/gif")})
    assert r.status_code == 400 and "GIF" in r.json()["error"]
    r = client.post("/api/upload", data={"other": "x"})
    assert r.status_code == 400 and "`file`" in r.json()["error"]


def test_large_image_round_trips(client):
    big = (RNG.random((2048, 2048)) * 65535).astype(np.uint16)
    r = client.post("/api/upload", files={"file": ("big.png", png_bytes(big), "image/png")})
    assert r.status_code == 200 and r.json()["shape"] == [2048, 2048]
    out = client.post("/api/filter", json={"image": r.json()["id"], "kernel": [[1.0, -1.0]]})
    assert floats(out).shape == (1, 2048, 2047)


# ------------------------------------------------------------------------- learn, rf


def sse(text):
    events = []
    for block in text.strip().split("\n\n"):
        name = re.search(r"^event: (.*)$", block, re.M).group(1)
        events.append((name, json.loads(re.search(r"^data: (.*)$", block, re.M).group(1))))
    return events


def test_learn_streams_epochs_and_converges(client):
    r = client.get("/api/learn", params={"preset": "chapter", "epochs": 30})
    events = sse(r.text)
    assert [e[0] for e in events] == ["setup"] + ["epoch"] * 30 + ["done"]
    losses = [e[1]["loss"] for e in events if e[0] == "epoch"]
    assert all(b < a for a, b in zip(losses, losses[1:]))
    done = events[-1][1]
    assert done["max_error"] < 1e-2 and done["lstsq_error"] < 1e-12
    np.testing.assert_allclose(done["kernel"], [[1.0, -1.0]], atol=1e-2)


def test_learn_bad_settings_are_400(client):
    r = client.get("/api/learn", params={"preset": "chapter", "epochs": 0})
    assert r.status_code == 400 and "`epochs`" in r.json()["error"]
    r = client.get("/api/learn", params={"preset": "chapter", "target": "gaussian:size=9"})
    assert r.status_code == 400 and "7x7" in r.json()["error"]


@pytest.mark.parametrize(("i", "j"), [(0, 0), (3, 7), (12, 12)])
def test_rf_box_and_table_match_receptive_field(client, i, j):
    spec = "conv3,conv3:s2,pool2,conv3:d2"
    q = {"spec": spec, "h": 61, "w": 57}
    rf = convlens.receptive_field(spec, (61, 57))
    table = client.get("/api/rf", params=q).json()
    assert table["out_shape"] == list(rf[-1].shape)
    assert [r["size"] for r in table["rows"]] == [list(r.size) for r in rf]
    i, j = min(i, rf[-1].shape[0] - 1), min(j, rf[-1].shape[1] - 1)
    got = client.get("/api/rf/box", params={**q, "i": i, "j": j}).json()["box"]
    assert tuple(map(tuple, got)) == rf[-1].box(i, j, (61, 57))
    bad = client.get("/api/rf/box", params={**q, "i": 999, "j": 0})
    assert bad.status_code == 400 and "outside" in bad.json()["error"]


def test_rf_fields_and_errors(client):
    q = {"spec": "conv3,conv3", "h": 9, "w": 9, "i": 2, "j": 2}
    m = client.get("/api/rf/fields", params=q).json()
    emp = np.array(m["empirical"])
    assert emp.sum() == 25 and emp[2:7, 2:7].all()
    assert np.array(m["effective"]).max() == pytest.approx(1.0)
    r = client.get("/api/rf", params={"spec": "conv3,blur4"})
    assert r.status_code == 400 and "blur4" in r.json()["error"]
    r = client.get("/api/rf", params={"zoo": "lenet"})
    assert r.status_code == 400 and "`zoo`" in r.json()["error"]


# ------------------------------------------------------------------------- static, binding

TRAVERSALS = [
    "/static/../../etc/passwd",
    "/static/%2e%2e/%2e%2e/etc/passwd",
    "/static/..%2f..%2f..%2fetc%2fpasswd",
    "/static/%2e%2e%2f%2e%2e%2fserver.py",
    "/static/../server.py",
    "/static//etc/passwd",
    "/static/%2fetc%2fpasswd",
    "/static/..\\..\\server.py",
    "/static/%5c..%5c..%5cserver.py",
    "/static/....//....//etc/passwd",
]


@pytest.fixture(scope="module")
def live():
    """``convlens serve --port 0`` in a subprocess, as a user starts it."""
    p = subprocess.Popen(
        [sys.executable, "-m", "convlens", "serve", "--port", "0", "--no-browser"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    line = p.stdout.readline()
    m = re.search(r"http://([\d.]+):(\d+)/", line)
    assert m, line + p.stderr.read()
    yield m.group(1), int(m.group(2))
    p.terminate()
    p.communicate(timeout=30)  # also closes the pipes


def raw_get(host, port, path):
    """A GET with the path sent byte for byte (no client normalises the dots away)."""
    with socket.create_connection((host, port), timeout=10) as s:
        s.sendall(f"GET {path} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n".encode())
        chunks = []
        while chunk := s.recv(65536):
            chunks.append(chunk)
    head, _, body = b"".join(chunks).partition(b"\r\n\r\n")
    return int(head.split()[1]), body


@pytest.mark.parametrize("path", TRAVERSALS)
def test_no_file_outside_the_assets_is_served(live, client, path):
    for status, body in (
        raw_get(*live, path),
        (lambda r: (r.status_code, r.content))(client.get(path)),
    ):
        assert status in (400, 404), (path, status, body[:80])
        assert b"root:" not in body and b"create_app" not in body


def test_assets_are_served(live):
    for path in ("/", "/static/app.js", "/static/style.css"):
        status, body = raw_get(*live, path)
        assert status == 200 and body
    assert b"https://" not in raw_get(*live, "/static/app.js")[1]


def test_the_page_forbids_other_hosts(client):
    csp = client.get("/").headers["Content-Security-Policy"]
    assert "default-src 'self'" in csp and "connect-src 'self'" in csp


def test_binds_127_0_0_1_by_default(live):
    host, port = live
    assert host == "127.0.0.1"
    others = set()
    try:
        others |= {a[4][0] for a in socket.getaddrinfo(socket.gethostname(), port, socket.AF_INET)}
    except socket.gaierror:
        pass
    try:
        # The address of the default route (a UDP connect sends nothing).
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as u:
            u.connect(("10.255.255.255", 1))
            others.add(u.getsockname()[0])
    except OSError:
        pass
    others = {a for a in others if not a.startswith("127.") and a != "0.0.0.0"}
    for addr in others:
        with pytest.raises(OSError):
            socket.create_connection((addr, port), timeout=2).close()
    from convlens.cli import build_parser

    assert build_parser().parse_args(["serve"]).host == "127.0.0.1"


def test_serve_usage_errors_are_one_line():
    for args in (["--port", "http"], ["--port", "70000"]):
        r = subprocess.run(
            [sys.executable, "-m", "convlens", "serve", *args],
            capture_output=True,
            text=True,
            timeout=60,
        )
        assert r.returncode == 2 and len(r.stderr.strip().splitlines()) == 1, r.stderr


def test_busy_port_is_one_line_exit_2(live):
    r = subprocess.run(
        [sys.executable, "-m", "convlens", "serve", "--port", str(live[1]), "--no-browser"],
        capture_output=True,
        text=True,
        timeout=60,
    )
    assert r.returncode == 2 and "cannot listen" in r.stderr and "Traceback" not in r.stderr


def test_concurrent_requests_do_not_crash(client, small_id):
    errors = []

    def hit():
        for _ in range(5):
            r = client.post("/api/filter", json={"image": small_id, "kernel": [[1.0, 2.0]]})
            if r.status_code != 200:
                errors.append(r.text)

    threads = [threading.Thread(target=hit) for _ in range(4)]
    t0 = time.perf_counter()
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert not errors and time.perf_counter() - t0 < 60


def test_serve_without_the_web_extra_says_so_in_one_line():
    hide = (
        "import importlib.abc, sys\n"
        "class Hide(importlib.abc.MetaPathFinder):\n"
        "    def find_spec(self, name, path=None, target=None):\n"
        "        if name.split('.')[0] in ('starlette', 'uvicorn'):\n"
        "            raise ModuleNotFoundError(f'No module named {name!r}', name=name)\n"
        "sys.meta_path.insert(0, Hide())\n"
        "from convlens.cli import entry\n"
        "sys.argv = ['convlens', 'serve', '--no-browser', '--port', '0']\n"
        "entry()\n"
    )
    r = subprocess.run([sys.executable, "-c", hide], capture_output=True, text=True, timeout=60)
    assert r.returncode == 2
    lines = r.stderr.strip().splitlines()
    assert len(lines) == 1 and "convlens[web]" in lines[0], r.stderr


def test_learn_from_your_own_pair(client):
    X = RNG.random((20, 24)).astype(np.float32)
    K = np.array([[0.5, -1.0, 0.25], [0.0, 2.0, -0.5]])
    ids = []
    for arr in (X, convlens.corr2d(X.astype(np.float64), K).astype(np.float32)):
        buf = io.BytesIO()
        tifffile.imwrite(buf, arr)
        ids.append(client.post("/api/upload", files={"file": ("a.tif", buf.getvalue())}).json())
    q = {"preset": "pair", "x": ids[0]["id"], "y": ids[1]["id"], "size": "2x3", "epochs": 400}
    events = sse(client.get("/api/learn", params={**q, "optimizer": "adam", "lr": "0.05"}).text)
    setup, done = events[0][1], events[-1][1]
    assert setup["target"] is None and setup["kernel_shape"] == [2, 3]
    np.testing.assert_allclose(done["lstsq"], K, atol=1e-5)  # float32 files: 1e-7 rounding
    assert done["max_error"] < 0.05 and done["lstsq_error"] is None
    bad = client.get("/api/learn", params={**q, "size": "3x3"})
    assert bad.status_code == 400 and "`y` must be 18x22" in bad.json()["error"]


def test_rf_of_a_zoo_network(client):
    q = {"zoo": "alexnet_v2", "h": 224, "w": 224}
    rf = convlens.receptive_field(convlens.zoo.alexnet_v2((224, 224)), (1, 3, 224, 224))
    table = client.get("/api/rf", params=q).json()
    assert [r["name"] for r in table["rows"]] == rf.names
    assert table["out_shape"] == list(rf[-1].shape)
    box = client.get("/api/rf/box", params={**q, "i": 1, "j": 3}).json()["box"]
    assert tuple(map(tuple, box)) == rf[-1].box(1, 3, (224, 224))
