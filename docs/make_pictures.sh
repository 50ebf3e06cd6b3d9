#!/usr/bin/env bash
# Regenerate the README's pictures with the convlens CLI itself.
# Usage: docs/make_pictures.sh   (from the repository root, with convlens installed)
set -euo pipefail
cd "$(dirname "$0")/img"
PY=${PYTHON:-python}
CL=${CONVLENS:-convlens}

# The input: skimage's camera (512 x 512), halved by 2 x 2 averaging to keep the PNGs small.
"$PY" - <<'PYEOF'
import imageio.v3 as iio
import numpy as np
import skimage.data

cam = skimage.data.camera().astype(np.float64)
small = cam.reshape(256, 2, 256, 2).mean(axis=(1, 3))
iio.imwrite("camera.png", np.rint(small).astype(np.uint8))
PYEOF

# The chapter's edge kernel [[1, -1]]: signed output, diverging colour map centred on zero,
# and a figure with input | kernel | output.
"$CL" filter camera.png -k "[[1,-1]]" -o edge.png --compare compare_edge.png --force
# Sobel gradient magnitude sqrt(gx^2 + gy^2).
"$CL" filter camera.png -k sobel --magnitude -o sobel_magnitude.png --force
# Gaussian blur, sigma = 2 pixels (size 17 x 17 from truncate = 4).
"$CL" filter camera.png -k gaussian:2 -o gaussian.png --force
# Sharpen: the image minus its 4-neighbour Laplacian.
"$CL" filter camera.png -k sharpen -o sharpen.png --force
# A kernel on its own.
"$CL" kernels --show directional:30 --plot kernel_directional30.png --force
ls -l ./*.png
