"""One test per bad input: a ValueError or TypeError that names the argument."""

import numpy as np
import pytest

import convlens

X = np.zeros((5, 5))
K = np.ones((3, 3))


@pytest.mark.parametrize(
    ("kwargs", "exc", "match"),
    [
        (dict(X=np.zeros(5)), ValueError, r"`X` must be 2-D .* got 1-D"),
        (dict(X=np.zeros((1, 1, 1, 5, 5))), ValueError, r"`X` must be .* got 5-D"),
        (dict(K=np.ones(3)), ValueError, r"`K` must be 2-D \(kh, kw\)"),
        (dict(X=np.zeros((1, 1, 5, 5))), ValueError, r"`K` must be 4-D"),
        (dict(K=np.ones((0, 3))), ValueError, r"`K` must have a non-empty"),
        (dict(X=np.zeros((0, 5))), ValueError, r"`X` must have a non-empty"),
        (dict(K=np.ones((6, 6))), ValueError, r"`K` of spatial shape \(6, 6\).*does not fit"),
        (dict(stride=0), ValueError, r"`stride` must be >= 1 .* got 0"),
        (dict(stride=(1, -2)), ValueError, r"`stride` must be >= 1 .* got \(1, -2\)"),
        (dict(stride=1.5), TypeError, r"`stride` must be an int or a pair of ints; got 1.5"),
        (dict(stride=True), TypeError, r"`stride` must be an int"),
        (dict(dilation=0), ValueError, r"`dilation` must be >= 1"),
        (dict(dilation=(1, 2, 3)), TypeError, r"`dilation` must be an int or a pair"),
        (dict(boundary="mirror"), ValueError, r"`boundary` must be one of .*'mirror'"),
        (dict(boundary=None), ValueError, r"`boundary` must be one of"),
        (dict(padding="half"), ValueError, r"`padding` must be one of .*'half'"),
        (dict(padding=-1), ValueError, r"`padding` must be non-negative; got -1"),
        (dict(padding=((1, 2), (3,))), TypeError, r"`padding` must be an int, a pair"),
        (dict(padding=1.0), TypeError, r"`padding` must be an int"),
        (dict(value="zero"), TypeError, r"`value` must be a real number; got 'zero'"),
        (dict(method="fastest"), ValueError, r"`method` must be one of .*'fastest'"),
        (dict(X=np.array([["a"] * 5] * 5)), TypeError, r"`X` must have a real numeric dtype"),
        (dict(X=np.zeros((5, 5), dtype=object)), TypeError, r"`X` must have a real numeric"),
        (dict(K=np.ones((3, 3), dtype=complex)), TypeError, r"`K` must have a real numeric"),
        (dict(X=[[1, 2], [3]]), TypeError, r"`X` must be array-like"),
        (
            dict(K=np.array([[1.0, np.nan]]), check_finite=True),
            ValueError,
            r"`K` holds NaN or infinity",
        ),
        (
            dict(X=np.full((5, 5), np.inf), check_finite=True),
            ValueError,
            r"`X` holds NaN or infinity",
        ),
    ],
)
@pytest.mark.parametrize("fn", [convlens.corr2d, convlens.conv2d])
def test_bad_input(fn, kwargs, exc, match):
    args = dict(X=X, K=K)
    args.update(kwargs)
    with pytest.raises(exc, match=match):
        fn(args.pop("X"), args.pop("K"), **args)


def test_nan_passes_through_without_check_finite():
    Y = convlens.corr2d(X, np.array([[1.0, np.nan]]))
    assert np.isnan(Y).all()


@pytest.mark.parametrize(
    ("x_shape", "k_shape", "groups", "match"),
    [
        ((1, 4, 5, 5), (2, 4, 3, 3), 3, r"`groups`=3 must divide"),
        ((1, 4, 5, 5), (2, 4, 3, 3), 0, r"`groups` must be a positive int; got 0"),
        ((1, 4, 5, 5), (2, 3, 3, 3), 1, r"`K` has 3 input channels per group"),
        ((1, 4, 5, 5), (2, 4, 3, 3), 2, r"expected K.shape\[1\] == 2"),
    ],
)
def test_bad_channels_and_groups(x_shape, k_shape, groups, match):
    with pytest.raises(ValueError, match=match):
        convlens.corr2d(np.zeros(x_shape), np.ones(k_shape), groups=groups)
