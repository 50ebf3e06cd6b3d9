"""The playground in real Chromium (Debian's ``chromium``, driven by Playwright).

One server and one browser for the whole file. Without Chromium these tests fail, on
purpose: CI installs it (``.ci/run``). ``CONVLENS_SCREENSHOTS=docs/img`` also writes the
README's screenshots.
"""

import json
import os
import shutil
import statistics
import threading
import time
from pathlib import Path
from urllib.parse import quote, urlparse

import numpy as np
import pytest

import convlens

SHOTS = os.environ.get("CONVLENS_SCREENSHOTS")
ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
]


@pytest.fixture(scope="module")
def base_url():
    import uvicorn

    from convlens.cli.serve import bind
    from convlens.web.server import create_app

    sock = bind("127.0.0.1", 0)
    server = uvicorn.Server(uvicorn.Config(create_app(), log_level="warning"))
    thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
    thread.start()
    deadline = time.monotonic() + 60
    while not server.started and time.monotonic() < deadline:
        time.sleep(0.05)
    assert server.started
    yield f"http://127.0.0.1:{sock.getsockname()[1]}/"
    server.should_exit = True
    thread.join(timeout=30)
    sock.close()


@pytest.fixture(scope="module")
def browser():
    exe = shutil.which("chromium")
    if exe is None:
        pytest.fail("Debian's chromium is not installed: apt-get install -y chromium")
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(executable_path=exe, args=ARGS)
        yield b
        b.close()


class Page:
    """One browser page on the playground; records console errors and every host it asks.

    Each test opens the state it needs through the URL (the page keeps its whole state
    there), so no test depends on another, also when xdist spreads them over workers.
    """

    def __init__(self, browser, base):
        self.base, self.n = base, 0
        # Playwright's wait_for_function evaluates strings, which the page's Content Security
        # Policy forbids (test_web_server checks the policy); requests are watched below.
        self.page = browser.new_page(viewport={"width": 1400, "height": 1000}, bypass_csp=True)
        self.errors, self.hosts = [], set()
        self.page.on("console", lambda m: m.type == "error" and self.errors.append(m.text))
        self.page.on("pageerror", lambda e: self.errors.append(str(e)))
        self.page.on("request", lambda r: self.hosts.add(urlparse(r.url).hostname))

    def open(self, **state):
        # A new query string each time, so that the browser loads the page afresh.
        self.n += 1
        self.errors.clear()
        self.hosts.clear()
        url = f"{self.base}?t={self.n}"
        if state:
            url += "#" + quote(json.dumps(state))
        self.page.goto(url)
        self.page.wait_for_selector("body[data-ready='1']", timeout=60_000)
        self.settle(0)
        return self

    def renders(self):
        return int(self.page.evaluate("window.playground.renders"))

    def settle(self, after):
        self.page.wait_for_function(
            f"window.playground.renders > {after} && !window.playground.busy", timeout=60_000
        )

    def change(self, action):
        """Do ``action`` and wait until the output has been redrawn for it."""
        n = self.renders()
        action()
        self.settle(n)

    def set(self, selector, value):
        self.change(
            lambda: (
                self.page.fill(selector, str(value))
                or self.page.dispatch_event(selector, "change")
            )
        )

    def output(self):
        out = self.page.evaluate(
            "({data: Array.from(window.playground.output.data),"
            " shape: window.playground.output.shape})"
        )
        return np.array(out["data"], dtype=np.float32).reshape(out["shape"])

    def state(self):
        return self.page.evaluate("JSON.parse(JSON.stringify(window.playground.state))")

    def shot(self, name):
        if SHOTS:
            self.page.screenshot(path=str(Path(SHOTS) / f"serve_{name}.png"))


@pytest.fixture(scope="module")
def tab(browser, base_url):
    p = Page(browser, base_url)
    yield p
    p.page.close()


def camera():
    from skimage import data

    return data.camera().astype(np.float32) / 255


def oracle(state, image):
    fn = convlens.conv2d if state["mode"] == "conv" else convlens.corr2d
    pad = state["padding"]
    if pad == "explicit":
        pad = tuple(map(tuple, state["explicit"]))
    return fn(
        image,
        np.array(state["kernel"], dtype=np.float32),
        padding=pad,
        boundary=state["boundary"],
        value=state["value"],
        stride=tuple(state["stride"]),
        dilation=tuple(state["dilation"]),
    )


EDGE = [[0.0, 0.0, 0.0], [1.0, 0.0, -1.0], [0.0, 0.0, 0.0]]


def test_the_policy_does_not_break_the_page(browser, base_url):
    """With the Content Security Policy enforced, the page still loads and filters."""
    page = browser.new_page()
    errors = []
    page.on("console", lambda m: m.type == "error" and errors.append(m.text))
    page.on("pageerror", lambda e: errors.append(str(e)))
    try:
        page.goto(base_url)
        page.wait_for_selector("body[data-ready='1']", timeout=60_000)
        page.wait_for_selector("#f-status:has-text('engine:')", timeout=60_000)
        assert errors == []
    finally:
        page.close()


def test_page_loads_without_errors_or_other_hosts(tab):
    tab.open(display="signed99")
    assert "engine:" in tab.page.inner_text("#f-status")
    assert "99.5th percentile" in tab.page.inner_text("#f-range")
    # The picture after an edit: the first load also pays for the JIT's warm-up.
    tab.change(lambda: tab.page.fill("#f-grid input[data-a='1'][data-b='0']", "1"))
    tab.shot("filter")
    for view in ("learn", "rf", "anim", "filter"):
        tab.page.click(f"#tabs button[data-view={view}]")
    tab.page.wait_for_function("window.playground.rf && window.playground.rf.info")
    assert tab.errors == []
    assert tab.hosts == {"127.0.0.1"}


def test_editing_a_kernel_cell_changes_the_output_to_corr2d(tab):
    tab.open(kernel=EDGE, padding="same", boundary="reflect")
    before = tab.output()
    tab.change(lambda: tab.page.fill("#f-grid input[data-a='0'][data-b='0']", "2.5"))
    after, state = tab.output(), tab.state()
    assert state["kernel"][0][0] == 2.5
    assert not np.array_equal(before, after)
    np.testing.assert_allclose(after[0], oracle(state, camera()), rtol=1e-6, atol=1e-6)
    # Other options take the same path: a boundary, stride, dilation.
    tab.change(lambda: tab.page.select_option("#f-boundary", "wrap"))
    tab.set("#f-sh", 2)
    tab.set("#f-dw", 3)
    state = tab.state()
    assert state["stride"] == [2, 1] and state["dilation"] == [1, 3]
    Y = tab.output()[0]
    np.testing.assert_allclose(Y, oracle(state, camera()), rtol=1e-6, atol=1e-6)
    # The canvas shows those values: the diverging map is red above zero, blue below.
    px = tab.page.evaluate(
        "(() => { const c = document.getElementById('f-output');"
        " return Array.from(c.getContext('2d').getImageData(0, 0, c.width, c.height).data); })()"
    )
    rgb = np.array(px, dtype=int).reshape(*Y.shape, 4)[..., :3]
    pos, neg = np.unravel_index(Y.argmax(), Y.shape), np.unravel_index(Y.argmin(), Y.shape)
    assert rgb[pos][0] > rgb[pos][2] and rgb[neg][2] > rgb[neg][0]


def hover_output(tab, i, j):
    box = tab.page.locator("#f-output").bounding_box()
    w, h = tab.page.evaluate(
        "(() => { const c = document.getElementById('f-output'); return [c.width, c.height]; })()"
    )
    tab.page.mouse.move(
        box["x"] + (j + 0.5) * box["width"] / w, box["y"] + (i + 0.5) * box["height"] / h
    )
    tab.page.wait_for_function(
        f"window.playground.lastInspect && window.playground.lastInspect.i === {i}"
        f" && window.playground.lastInspect.j === {j}",
        timeout=30_000,
    )


@pytest.mark.parametrize(("i", "j", "n_padded"), [(0, 0, 5), (200, 311, 0), (511, 3, 3)])
def test_inspector_sum_equals_the_output_value(tab, i, j, n_padded):
    tab.open(
        kernel=[[1, 2, 0], [-1, 0.5, 3], [0, -2, 1]],
        padding="same",
        boundary="constant",
        value=0.25,
        zoom=1,
    )
    hover_output(tab, i, j)
    shown_sum = float(tab.page.inner_text("#f-sum"))
    shown_value = float(tab.page.inner_text("#f-value-shown"))
    Y = tab.output()[0]
    assert shown_value == pytest.approx(float(Y[i, j]), rel=1e-5, abs=1e-6)
    assert shown_sum == pytest.approx(shown_value, rel=1e-5, abs=1e-6)
    products = tab.page.eval_on_selector_all(
        "#f-inspector table:nth-of-type(3) td", "tds => tds.map(t => parseFloat(t.textContent))"
    )
    assert len(products) == 9
    assert sum(products) == pytest.approx(shown_value, rel=1e-3, abs=1e-3)
    pads = tab.page.eval_on_selector_all(
        "#f-inspector table:first-of-type td.pad", "t => t.map(x => parseFloat(x.textContent))"
    )
    assert len(pads) == n_padded and all(v == 0.25 for v in pads)
    if (i, j) == (0, 0):
        tab.shot("inspector")


def test_convolution_switch_flips_the_kernel(tab):
    K = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0], [-4.0, 0.0, 5.0]])
    tab.open(kernel=K.tolist(), mode="corr", padding="valid", boundary="constant")
    assert not tab.page.is_visible("#f-flipped")
    tab.change(lambda: tab.page.check("input[name=f-mode][value=conv]"))
    shown = tab.page.eval_on_selector_all(
        "#f-flipped span", "s => s.map(x => parseFloat(x.textContent))"
    )
    assert tab.page.is_visible("#f-flipped")
    np.testing.assert_array_equal(np.array(shown).reshape(K.shape), K[::-1, ::-1])
    state = tab.state()
    assert state["mode"] == "conv"
    np.testing.assert_allclose(tab.output()[0], oracle(state, camera()), rtol=1e-6, atol=1e-6)
    hover_output(tab, 5, 7)
    inspected = tab.page.evaluate("window.playground.lastInspect.kernel")
    np.testing.assert_array_equal(inspected, K[::-1, ::-1])


def test_bank_kernel_with_parameters_and_rank(tab):
    tab.open()
    tab.change(lambda: tab.page.select_option("#f-bank", "gaussian"))
    tab.set("#f-params input[data-param=sigma]", 2)
    K = np.array(tab.state()["kernel"])
    np.testing.assert_allclose(K, convlens.kernels.gaussian(2.0), atol=1e-12)
    tab.page.wait_for_function("document.querySelector('#f-kinfo').textContent.includes('17')")
    assert "rank 1" in tab.page.inner_text("#f-kinfo")
    assert "separable" in tab.page.inner_text("#f-kinfo")
    np.testing.assert_allclose(tab.output()[0], oracle(tab.state(), camera()), atol=1e-6)


def test_invalid_setup_is_explained_in_words(tab):
    tab.open(kernel=EDGE, padding="valid", dilation=[1, 1])
    tab.set("#f-dh", 300)
    err = tab.page.inner_text("#f-error")
    assert "does not fit" in err and "convlens says" in err
    tab.set("#f-dh", 1)
    assert not tab.page.is_visible("#f-error")


def test_state_is_in_the_url(tab):
    tab.open(kernel=[[1, -1]], padding="full", boundary="symmetric", stride=[2, 3])
    tab.change(lambda: tab.page.fill("#f-grid input[data-a='0'][data-b='1']", "-3"))
    url, state, out = tab.page.url, tab.state(), tab.output()
    tab.page.goto("about:blank")
    tab.page.goto(url)
    tab.page.wait_for_selector("body[data-ready='1']", timeout=60_000)
    tab.settle(0)
    again = tab.state()
    assert again["kernel"] == [[1, -3]] and again["padding"] == "full"
    assert again == state
    np.testing.assert_array_equal(tab.output(), out)


def test_copy_as_code_translates_boundary_names(tab):
    tab.open(boundary="symmetric", lang="scipy")
    tab.page.click("#f-code-box summary")
    code = tab.page.inner_text("#f-code")
    assert 'mode="symmetric"' in code and "correlate2d" in code
    assert "scipy.ndimage.correlate(X, np.array(" in code and 'mode="reflect"' in code
    tab.page.click(".code-tabs button[data-lang=torch]")
    assert 'no "symmetric"' in tab.page.inner_text("#f-code")
    tab.change(lambda: tab.page.select_option("#f-boundary", "edge"))
    assert 'mode="replicate"' in tab.page.inner_text("#f-code")
    tab.page.click(".code-tabs button[data-lang=convlens]")
    assert 'boundary="edge"' in tab.page.inner_text("#f-code")


def test_copied_code_runs_and_matches(tab):
    """The scipy and convlens snippets, executed, give the page's output."""
    tab.open(
        kernel=[[1, 2], [0, -1], [3, 1]],
        padding="full",
        boundary="reflect",
        stride=[2, 1],
        dilation=[1, 2],
        lang="scipy",
    )
    want = tab.output()[0]
    tab.page.click("#f-code-box summary")
    for lang in ("scipy", "convlens", "torch"):
        tab.page.click(f".code-tabs button[data-lang={lang}]")
        code = tab.page.inner_text("#f-code")
        scope = {"X": camera()}
        exec(code, scope)  # noqa: S102 - the snippet the page offers to copy
        got = scope["y"].numpy() if lang == "torch" else scope["Y"]
        np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-5)


def test_round_trip_under_100_ms(tab):
    tab.open(kernel=EDGE, image="sample:camera", padding="same")
    for k in range(3):  # the first edits after a load still meet cold caches
        tab.change(lambda k=k: tab.page.fill("#f-grid input[data-a='1'][data-b='1']", str(k)))
    tab.page.evaluate("window.playground.roundTrips.length = 0")
    for k in range(15):
        tab.change(lambda k=k: tab.page.fill("#f-grid input[data-a='1'][data-b='1']", str(k)))
    times = tab.page.evaluate("window.playground.roundTrips")
    assert len(times) >= 15
    assert statistics.median(times) < 100, times


def test_learning_converges_to_the_target(tab):
    tab.open(view="learn")
    tab.page.fill("#l-epochs", "30")
    tab.page.check("#l-hide")
    tab.page.click("#l-start")
    tab.page.wait_for_function("window.playground.learn && window.playground.learn.target")
    hidden = tab.page.get_attribute("#l-target-k", "class")
    assert "hidden" in hidden or tab.page.evaluate("window.playground.learn.done")
    tab.page.wait_for_function(
        "window.playground.learn && window.playground.learn.done", timeout=60_000
    )
    learn = tab.page.evaluate("window.playground.learn")
    assert learn["target"] == [[1, -1]]
    np.testing.assert_allclose(learn["kernel"], [[1.0, -1.0]], atol=1e-2)
    np.testing.assert_allclose(learn["lstsq"], [[1.0, -1.0]], atol=1e-9)
    losses = [v for _, v in learn["losses"]]
    assert len(losses) == 30 and losses[-1] < losses[0] / 100
    assert "hidden" not in tab.page.get_attribute("#l-target-k", "class")
    tab.shot("learn")


@pytest.mark.parametrize(("i", "j"), [(0, 0), (9, 17)])
def test_receptive_field_box_equals_receptive_field(tab, i, j):
    spec = "conv3,conv3:s2,pool2,conv3:d2"
    tab.open(view="rf", rf={"spec": spec, "zoo": "", "h": 80, "w": 96})
    tab.page.wait_for_function("window.playground.rf && window.playground.rf.info")
    rf = convlens.receptive_field(spec, (1, 1, 80, 96))
    assert tab.page.evaluate("window.playground.rf.info.out_shape") == list(rf[-1].shape)
    cell = int(tab.page.get_attribute("#r-units", "data-cell"))
    box = tab.page.locator("#r-units").bounding_box()
    x, y = box["x"] + (j + 0.5) * cell, box["y"] + (i + 0.5) * cell
    tab.page.mouse.move(x, y)
    tab.page.wait_for_function("window.playground.rf.box")
    assert tab.page.locator("#r-units").bounding_box() == box  # the grid has not moved
    tab.page.mouse.click(x, y)
    tab.page.wait_for_function(
        f"document.querySelector('#r-box-text').dataset.unit === '[{i},{j}]'", timeout=30_000
    )
    got = json.loads(tab.page.get_attribute("#r-box-text", "data-box"))
    assert tuple(map(tuple, got)) == rf[-1].box(i, j, (80, 96))
    tab.page.wait_for_function("window.playground.rf.fields", timeout=60_000)
    emp = np.array(tab.page.evaluate("window.playground.rf.fields.empirical"))
    rows, cols = np.nonzero(emp)
    assert ((rows.min(), rows.max()), (cols.min(), cols.max())) == rf[-1].box(i, j, (80, 96))
    if (i, j) == (9, 17):
        tab.shot("rf")


def test_animation_steps_and_states_the_law(tab):
    tab.open(view="anim", anim={"n": 5, "k": 3, "p": 1, "s": 2, "d": 1, "t": False})
    assert tab.page.inner_text("#a-law").endswith("= 3")  # floor((5 + 2 - 2 - 1) / 2) + 1
    tab.page.click("#a-step")
    tab.page.click("#a-step")
    assert tab.page.input_value("#a-scrub") == "2"
    tab.page.check("#a-t")
    law = tab.page.inner_text("#a-law")
    assert "transposed" in law and law.splitlines()[0].endswith("= 9")  # (5-1)2 - 2 + 2 + 1
    tab.page.click("#a-play")
    tab.page.wait_for_function("document.querySelector('#a-scrub').value !== '0'")
    tab.page.click("#a-play")
    tab.shot("anim")
    assert tab.errors == [] and tab.hosts == {"127.0.0.1"}


def test_rgb_output_and_inspector_per_channel(tab):
    from skimage import data

    tab.open(image="sample:astronaut", channels="rgb", kernel=EDGE, padding="same")
    rgb = data.astronaut().astype(np.float32) / 255
    out = tab.output()
    assert out.shape == (3, 512, 512)
    for c in range(3):
        want = oracle(tab.state(), np.ascontiguousarray(rgb[..., c]))
        np.testing.assert_allclose(out[c], want, rtol=1e-6, atol=1e-6)
    tab.page.select_option("#f-ichan", "2")
    hover_output(tab, 100, 200)
    assert "blue channel" in tab.page.inner_text("#f-inspector")
    assert float(tab.page.inner_text("#f-value-shown")) == pytest.approx(
        float(out[2, 100, 200]), rel=1e-5, abs=1e-6
    )


def test_learning_from_your_own_pair(tab, tmp_path):
    import tifffile

    X = np.random.default_rng(1).random((16, 18)).astype(np.float32)
    K = np.array([[1.0, 0.5], [-0.5, 2.0]])
    tifffile.imwrite(tmp_path / "x.tif", X)
    tifffile.imwrite(tmp_path / "y.tif", convlens.corr2d(X.astype(float), K).astype(np.float32))
    tab.open(view="learn")
    tab.page.select_option("#l-preset", "pair")
    for sel, name in (("#l-x", "x.tif"), ("#l-y", "y.tif")):
        key = sel[-1]
        tab.page.set_input_files(sel, str(tmp_path / name))
        tab.page.wait_for_function(f"window.playground.state.learn.{key}")
    tab.page.fill("#l-size", "2x2")
    tab.page.fill("#l-epochs", "300")
    tab.page.select_option("#l-opt", "adam")
    tab.page.fill("#l-lr", "0.05")
    tab.page.click("#l-start")
    tab.page.wait_for_function(
        "window.playground.learn && window.playground.learn.done", timeout=60_000
    )
    learn = tab.page.evaluate("window.playground.learn")
    np.testing.assert_allclose(learn["lstsq"], K, atol=1e-5)
    np.testing.assert_allclose(learn["kernel"], K, atol=0.05)
    assert "unknown" in tab.page.inner_text("#l-target-k")


def test_a_bad_upload_is_explained_and_the_page_keeps_working(tab, tmp_path):
    tab.open(kernel=EDGE)
    (tmp_path / "notes.txt").write_text("not an image")
    tab.page.set_input_files("#f-upload", str(tmp_path / "notes.txt"))
    tab.page.wait_for_function("document.querySelector('#f-error').textContent.length > 0")
    err = tab.page.inner_text("#f-error")
    assert "upload refused" in err and "not a PNG, JPEG or TIFF" in err
    tab.change(lambda: tab.page.fill("#f-grid input[data-a='1'][data-b='1']", "1"))
    np.testing.assert_allclose(tab.output()[0], oracle(tab.state(), camera()), atol=1e-6)
