"""dsdcn.training's models against torch itself: cost by numel and FlopCounterMode, shapes and causality of
the built network, the generated PyTorch code run side by side with it, the field and coverage against a
gradient probe of the real model, and DSDilatedConv1d against two explicit F.conv1d calls."""

from __future__ import annotations

import numpy as np
import pytest
import torch
import torch.nn.functional as F
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from torch import nn

from dsdcn import coverage, coverage_2d, effective_kernel_size, receptive_field, resolve_padding
from dsdcn.layers import DSDilatedConv1d
from dsdcn.training import (
    ACTIVATIONS,
    MODEL_KINDS,
    ModelSpec,
    build_model,
    copy_weights,
    init_parameters,
    model_code,
    model_cost,
    model_layers,
    parse_model_code,
)

from .torch_count import torch_count


@st.composite
def model_specs(
    draw: st.DrawFn,
    ndim: int,
    max_rate: int = 8,
    max_layers: int = 4,
    max_width: int = 8,
    activations: tuple[str, ...] = ACTIVATIONS,
) -> ModelSpec:
    """A spec valid in ``ndim``: odd kernels 1, 3, 5 in 2D ("same" padding), 1..4 in 1D (causal)."""
    kernel = draw(st.sampled_from([1, 3, 5]) if ndim == 2 else st.integers(1, 4))
    rates = tuple(draw(st.lists(st.integers(1, max_rate), min_size=1, max_size=max_layers)))
    return ModelSpec(
        draw(st.sampled_from(MODEL_KINDS)),
        rates,
        kernel,
        draw(st.integers(1, max_width)),
        draw(st.sampled_from(activations)),
    )


def ndim_and_spec(**kwargs: object) -> st.SearchStrategy[tuple[int, ModelSpec]]:
    """``(ndim, spec)`` for ndim 1 and 2."""
    return st.sampled_from([1, 2]).flatmap(lambda n: st.tuples(st.just(n), model_specs(n, **kwargs)))


def seeded(model: nn.Module, seed: int) -> nn.Module:
    """``model`` with weights drawn from a generator seeded with ``seed`` (no global RNG)."""
    return init_parameters(model, torch.Generator().manual_seed(seed))


def all_ones(model: nn.Module) -> nn.Module:
    """Every convolution weight 1 and bias 0, in float64: with no activation the gradient of an output is
    its number of paths to each input (times a constant from the channel sums)."""
    with torch.no_grad():
        for mod in model.modules():
            if isinstance(mod, (nn.Conv1d, nn.Conv2d)):
                mod.weight.fill_(1.0)
                if mod.bias is not None:
                    mod.bias.zero_()
    return model.double()


def input_gradient(model: nn.Module, x: torch.Tensor, index: tuple[int, ...]) -> torch.Tensor:
    """``d model(x)[0, 0, *index] / d x`` for sample 0, summed over input channels."""
    x = x.clone().requires_grad_(True)
    model(x)[(0, 0, *index)].backward()
    assert x.grad is not None
    return x.grad[0].sum(dim=0)


# ---- 1. model_cost against numel and torch's FLOP counter


@settings(max_examples=30)
@given(
    nspec=ndim_and_spec(),
    c_in=st.integers(1, 6),
    c_out=st.integers(1, 6),
    size=st.integers(4, 12),
)
def test_model_cost_equals_torch_count(
    nspec: tuple[int, ModelSpec], c_in: int, c_out: int, size: int
) -> None:
    ndim, spec = nspec
    model = build_model(spec, ndim, c_in, c_out)
    params, flops, shape = torch_count(model, torch.zeros(1, c_in, *((size,) * ndim)))
    cost = model_cost(spec, ndim, c_in, c_out, size**ndim)
    assert cost.params == params
    assert cost.macs * 2 == flops and cost.flops == flops
    assert shape == (1, c_out, *((size,) * ndim))


# ---- 2. output shape, and causality in 1D


@settings(max_examples=25)
@given(
    spec=model_specs(2),
    c_in=st.integers(1, 3),
    c_out=st.integers(1, 3),
    h=st.integers(1, 10),
    w=st.integers(1, 10),
)
def test_2d_model_keeps_height_and_width(spec: ModelSpec, c_in: int, c_out: int, h: int, w: int) -> None:
    model = build_model(spec, 2, c_in, c_out)
    with torch.no_grad():
        assert model(torch.zeros(2, c_in, h, w)).shape == (2, c_out, h, w)


@settings(max_examples=30)
@given(
    spec=model_specs(1),
    c_in=st.integers(1, 3),
    c_out=st.integers(1, 3),
    length=st.integers(1, 24),
    data=st.data(),
    seed=st.integers(0, 2**16),
)
def test_1d_model_keeps_length_and_is_causal(
    spec: ModelSpec, c_in: int, c_out: int, length: int, data: st.DataObject, seed: int
) -> None:
    t = data.draw(st.integers(0, length - 1), label="t")
    model = seeded(build_model(spec, 1, c_in, c_out), seed).double()
    gen = torch.Generator().manual_seed(seed)
    x = torch.randn(2, c_in, length, generator=gen, dtype=torch.float64)
    changed = x.clone()
    changed[..., t] += torch.randn(2, c_in, generator=gen, dtype=torch.float64) + 3.0
    with torch.no_grad():
        y, y_changed = model(x), model(changed)
    assert y.shape == (2, c_out, length)
    # outputs before t never read input t: bit for bit the same
    assert torch.equal(y[..., :t], y_changed[..., :t])
    if spec.activation == "none":  # a linear stack: output t reads input t (every layer's last tap)
        assert not torch.equal(y[..., t], y_changed[..., t])


# ---- 3. model_code: the same network from torch modules alone


@settings(max_examples=30)
@given(
    nspec=ndim_and_spec(max_rate=6, max_layers=3, max_width=6),
    c_in=st.integers(1, 4),
    c_out=st.integers(1, 4),
    size=st.integers(3, 10),
    seed=st.integers(0, 2**16),
)
def test_model_code_builds_the_same_network(
    nspec: tuple[int, ModelSpec], c_in: int, c_out: int, size: int, seed: int
) -> None:
    ndim, spec = nspec
    built = seeded(build_model(spec, ndim, c_in, c_out), seed)
    code = model_code(spec, ndim, c_in, c_out)
    assert "dsdcn" not in code
    namespace: dict[str, object] = {}
    exec(compile(code, "<model_code>", "exec"), namespace)
    executed = namespace["model"]
    assert isinstance(executed, nn.Module)
    assert [p.shape for p in executed.parameters()] == [p.shape for p in built.parameters()]
    assert sum(p.numel() for p in executed.parameters()) == sum(p.numel() for p in built.parameters())
    if spec.kind == "ds":  # depthwise done right: every k x k convolution has groups = its input channels
        spatial = [
            m for m in executed.modules() if isinstance(m, (nn.Conv1d, nn.Conv2d)) and m.kernel_size[0] > 1
        ]
        assert all(m.groups == m.in_channels for m in spatial)
    copy_weights(built, executed)
    x = torch.randn(2, c_in, *((size,) * ndim), generator=torch.Generator().manual_seed(seed + 1))
    with torch.no_grad():
        # different modules (ConstantPad1d/Conv vs DSDilatedConv*/CausalConv1d), same math in float32:
        # allow for a different summation order
        torch.testing.assert_close(executed(x), built(x), rtol=1e-5, atol=1e-6)


def test_model_code_names_the_variable() -> None:
    namespace: dict[str, object] = {}
    exec(model_code(ModelSpec("ds", (1, 2)), 1, 3, 2, name="net"), namespace)
    assert isinstance(namespace["net"], nn.Sequential)


def test_copy_weights_refuses_other_shapes() -> None:
    a = build_model(ModelSpec("conv", (1, 2), 3, 4), 2, 1, 1)
    b = build_model(ModelSpec("conv", (1, 2), 3, 5), 2, 1, 1)
    with pytest.raises(ValueError, match="shape"):
        copy_weights(a, b)


# ---- 4. field and coverage against a gradient probe of the real model


@settings(max_examples=25)
@given(
    spec=model_specs(2, max_rate=4, max_layers=3, max_width=3, activations=("none",)), c_in=st.integers(1, 2)
)
def test_2d_field_and_coverage_equal_gradient_probe(spec: ModelSpec, c_in: int) -> None:
    layers = model_layers(spec, 2)
    rf = receptive_field(layers)[-1]
    r = rf.size
    cov = torch.from_numpy(coverage_2d(layers).astype(np.float64))
    n = 2 * r + 1  # the centre output's field and every path to it lie inside the input
    c = n // 2
    x = torch.randn(1, c_in, n, n, dtype=torch.float64)
    grad = input_gradient(all_ones(build_model(spec, 2, c_in, 1)), x, (c, c))
    start = c - rf.padding  # the field of output c starts at input c - P
    window = grad[start : start + r, start : start + r]
    assert torch.count_nonzero(grad) == torch.count_nonzero(window)  # nothing reaches from outside
    assert torch.equal(window != 0, cov > 0)
    rows, cols = torch.nonzero(grad, as_tuple=True)
    assert int(rows.max() - rows.min()) + 1 == r and int(cols.max() - cols.min()) + 1 == r
    # all weights 1: the gradient is the path count times the same channel factor everywhere
    torch.testing.assert_close(window / window.max(), cov / cov.max())


@settings(max_examples=25)
@given(spec=model_specs(1, max_layers=4, max_width=3, activations=("none",)), c_in=st.integers(1, 2))
def test_1d_field_and_coverage_equal_gradient_probe(spec: ModelSpec, c_in: int) -> None:
    layers = model_layers(spec, 1)
    rf = receptive_field(layers)[-1]
    r = rf.size
    cov = torch.from_numpy(coverage(layers).astype(np.float64))
    length = r + 3
    x = torch.randn(1, c_in, length, dtype=torch.float64)
    grad = input_gradient(all_ones(build_model(spec, 1, c_in, 1)), x, (length - 1,))
    start = length - 1 - rf.padding  # causal: padding r - 1, the field ends at the output itself
    assert start == 3
    assert torch.count_nonzero(grad[:start]) == 0
    assert torch.equal(grad[start:] != 0, cov > 0)
    torch.testing.assert_close(grad[start:] / grad.max(), cov / cov.max())


# ---- 6 (models). bad specs and codes are refused with a reason


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"rates": ()}, "1 to 10 layers"),
        ({"rates": (1,) * 11}, "1 to 10 layers"),
        ({"rates": (0,)}, "rates"),
        ({"rates": (65,)}, "rates"),
        ({"rates": (1, 2.0)}, "rates"),
        ({"width": 65}, "width"),
        ({"width": 0}, "width"),
        ({"kernel_size": 8}, "kernel_size"),
        ({"kernel_size": 0}, "kernel_size"),
        ({"kind": "dense"}, "kind"),
        ({"activation": "swish"}, "activation"),
    ],
)
def test_bad_spec_is_refused(kwargs: dict, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        ModelSpec(**kwargs)


@pytest.mark.parametrize("kind", MODEL_KINDS)
def test_even_kernel_is_refused_in_2d_only(kind: str) -> None:
    spec = ModelSpec(kind, (1, 2), kernel_size=4)
    with pytest.raises(ValueError, match="odd kernel"):
        build_model(spec, 2, 1, 1)
    with pytest.raises(ValueError, match="odd kernel"):
        model_code(spec, 2, 1, 1)
    assert build_model(spec, 1, 1, 1)(torch.zeros(1, 1, 7)).shape == (1, 1, 7)


def test_bad_ndim_and_channels_are_refused() -> None:
    with pytest.raises(ValueError, match="ndim"):
        build_model(ModelSpec(), 3, 1, 1)
    with pytest.raises(ValueError, match="in_channels"):
        build_model(ModelSpec(), 2, 0, 1)
    with pytest.raises(ValueError, match="positions"):
        model_cost(ModelSpec(), 2, 1, 1, 0)


@pytest.mark.parametrize(
    "code",
    [
        "xx:1",
        "conv:",
        "conv:1,a",
        "conv",
        ":1,2",
        "conv:1,,2",
        "conv:-1",
        "conv:1,2;ds:1",
        "conv:" + "1," * 40 + "1",
    ],
)
def test_parse_model_code_refuses_bad_codes(code: str) -> None:
    with pytest.raises(ValueError, match="kind:rates"):
        parse_model_code(code)


@pytest.mark.parametrize(
    ("code", "message"), [("conv:0", "rates"), ("ds:65", "rates"), ("conv:" + "1," * 10 + "1", "layers")]
)
def test_parse_model_code_refuses_bad_models(code: str, message: str) -> None:
    with pytest.raises(ValueError, match=message):
        parse_model_code(code)


def test_parse_model_code_round_trips() -> None:
    spec = parse_model_code(" ds: 1, 2 ,5 ", kernel_size=5, width=3, activation="tanh")
    assert spec == ModelSpec("ds", (1, 2, 5), 5, 3, "tanh")
    assert parse_model_code(spec.code, 5, 3, "tanh") == spec
    assert spec.dilated and not parse_model_code("conv:1,1").dilated


# ---- 10. DSDilatedConv1d against two explicit F.conv1d calls


@given(
    c_in=st.integers(1, 5),
    c_out=st.integers(1, 5),
    k=st.integers(1, 5),
    d=st.integers(1, 4),
    s=st.integers(1, 3),
    m=st.integers(1, 3),
    padding=st.one_of(
        st.integers(0, 3),
        st.sampled_from(["same", "valid", "causal"]),
        st.tuples(st.integers(0, 3), st.integers(0, 3)),
    ),
    bias=st.booleans(),
    length=st.integers(1, 20),
)
def test_ds_conv1d_equals_depthwise_then_pointwise(
    c_in: int,
    c_out: int,
    k: int,
    d: int,
    s: int,
    m: int,
    padding: int | str | tuple[int, int],
    bias: bool,
    length: int,
) -> None:
    left, right = (d * (k - 1), 0) if padding == "causal" else resolve_padding(padding, k, d)
    assume(effective_kernel_size(k, d) <= length + left + right)
    module = DSDilatedConv1d(c_in, c_out, k, d, s, padding, depth_multiplier=m, bias=bias).double()
    dw, pw = module.depthwise, module.pointwise
    assert dw.groups == c_in and dw.weight.shape == (c_in * m, 1, k)
    assert pw.weight.shape == (c_out, c_in * m, 1)
    x = torch.randn(2, c_in, length, dtype=torch.float64)
    mid = F.conv1d(F.pad(x, (left, right)), dw.weight, dw.bias, stride=s, dilation=d, groups=c_in)
    expected = F.conv1d(mid, pw.weight, pw.bias)
    # float64, the same two convolutions: only the summation order may differ
    torch.testing.assert_close(module(x), expected, rtol=1e-12, atol=1e-12)
    if s == 1 and padding in ("same", "causal"):
        assert module(x).shape[-1] == length
    if s == 1 and padding == "same":  # torch's own "same" (extra pixel on the right) agrees
        ref = F.conv1d(
            F.conv1d(x, dw.weight, dw.bias, padding="same", dilation=d, groups=c_in), pw.weight, pw.bias
        )
        torch.testing.assert_close(module(x), ref, rtol=1e-12, atol=1e-12)


@given(c_in=st.integers(1, 6), c_out=st.integers(1, 6), k=st.integers(1, 7), m=st.integers(1, 3))
def test_ds_conv1d_parameter_count(c_in: int, c_out: int, k: int, m: int) -> None:
    module = DSDilatedConv1d(c_in, c_out, k, dilation=3, depth_multiplier=m, bias=False)
    assert sum(p.numel() for p in module.parameters()) == c_in * m * k + c_in * m * c_out


def test_ds_conv1d_causal_never_sees_the_future() -> None:
    module = DSDilatedConv1d(2, 3, kernel_size=3, dilation=2, padding="causal").double()
    x = torch.randn(1, 2, 12, dtype=torch.float64)
    changed = x.clone()
    changed[..., 7] += 1.0
    with torch.no_grad():
        y, y_changed = module(x), module(changed)
    assert torch.equal(y[..., :7], y_changed[..., :7])
    assert not torch.equal(y[..., 7], y_changed[..., 7])


@pytest.mark.parametrize(
    ("kwargs", "name"),
    [
        ({"in_channels": 0}, "in_channels"),
        ({"out_channels": 0}, "out_channels"),
        ({"kernel_size": 0}, "kernel_size"),
        ({"kernel_size": 0, "padding": "causal"}, "kernel_size"),
        ({"dilation": 0}, "dilation"),
        ({"dilation": 0, "padding": "causal"}, "dilation"),
        ({"dilation": -1, "padding": "causal"}, "dilation"),
        ({"stride": 0}, "stride"),
        ({"depth_multiplier": 0}, "depth_multiplier"),
        ({"padding": -1}, "padding"),
        ({"padding": "full"}, "padding"),
    ],
)
def test_ds_conv1d_bad_arguments(kwargs: dict, name: str) -> None:
    with pytest.raises(ValueError, match=name):
        DSDilatedConv1d(**({"in_channels": 3, "out_channels": 4} | kwargs))
