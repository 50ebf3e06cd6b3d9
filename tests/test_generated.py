"""The committed generated kernels are exactly what their generator writes (after ruff format)."""

import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from convlens.engines import _gen_direct


def test_jit_direct_is_up_to_date():
    ruff = shutil.which("ruff") or str(Path(sys.executable).with_name("ruff"))
    if not Path(ruff).exists():
        pytest.fail("ruff is needed to format the generated source; install the dev extras")
    formatted = subprocess.run(
        [ruff, "format", "--stdin-filename", "_jit_direct.py", "-"],
        input=_gen_direct.source(),
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    committed = Path(_gen_direct.__file__).with_name("_jit_direct.py").read_text()
    assert formatted == committed, "run: python -m convlens.engines._gen_direct && ruff format"
