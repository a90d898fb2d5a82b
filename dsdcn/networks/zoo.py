"""Classic networks as layer tables (no weights, no extra dependency), and published figures to check.

Normalisation layers are left out (they change neither the field nor the MACs counted here); every
convolution is followed by its activation (``act``) unless noted.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from ..receptive import Layer
from .table import NetLayer, Network, causal, conv, merge, pool

ResNetVariant = str  # "v1": stride in the first 1×1; "v1.5": stride in the 3×3


def vgg16(size: int = 224) -> Network:
    """VGG-16 (configuration D), convolutions with biases, three fully connected layers."""
    rows: list[NetLayer] = []
    c = 3
    for stage, (width, n) in enumerate(((64, 2), (128, 2), (256, 3), (512, 3), (512, 3)), start=1):
        for i in range(1, n + 1):
            rows.append(conv(f"conv{stage}_{i}", c, width, 3, bias=True))
            c = width
        rows.append(pool(f"pool{stage}", 2, 2))
    rows += [
        NetLayer("fc6", "fc", c_in=512, c_out=4096, bias=True, act="relu"),
        NetLayer("fc7", "fc", c_in=4096, c_out=4096, bias=True, act="relu"),
        NetLayer("fc8", "fc", c_in=4096, c_out=1000, bias=True),
    ]
    return Network("vgg16", 3, (size, size), tuple(rows), endpoint="pool5")


def _resnet_body(variant: ResNetVariant, dilate: tuple[bool, bool, bool]) -> tuple[list[NetLayer], int, str]:
    """Stem and the four bottleneck stages of ResNet-50; ``dilate`` turns the stride of stages 3..5 into
    dilation (torchvision's ``replace_stride_with_dilation``: the first block keeps the previous rate)."""
    if variant not in ("v1", "v1.5"):
        raise ValueError(f"ResNet variant must be 'v1' or 'v1.5', got {variant!r}")
    rows = [conv("conv1", 3, 64, 7, stride=2, padding=3), pool("pool1", 3, 2, padding=1)]
    prev, c, dilation = "pool1", 64, 1
    for stage, (width, blocks, stride) in enumerate(
        ((64, 3, 1), (128, 4, 2), (256, 6, 2), (512, 3, 2)), start=2
    ):
        before = dilation
        if stage > 2 and dilate[stage - 3]:
            dilation, stride = dilation * stride, 1
        for b in range(1, blocks + 1):
            s = stride if b == 1 else 1
            d = before if b == 1 else dilation
            p = f"res{stage}_{b}"
            s_a, s_b = (s, 1) if variant == "v1" else (1, s)
            rows.append(conv(f"{p}a", c, width, 1, stride=s_a, inputs=(prev,)))
            rows.append(conv(f"{p}b", width, width, 3, stride=s_b, dilation=d))
            rows.append(conv(f"{p}c", width, 4 * width, 1, act=""))
            short = prev
            if b == 1:
                rows.append(conv(f"{p}_proj", c, 4 * width, 1, stride=s, inputs=(prev,), act=""))
                short = f"{p}_proj"
            rows.append(merge(f"{p}", "add", (f"{p}c", short), act="relu"))
            prev, c = p, 4 * width
    return rows, c, prev


def resnet50(variant: ResNetVariant = "v1", size: int = 224) -> Network:
    """ResNet-50: v1 puts a block's stride in its first 1×1 (He et al., Caffe), v1.5 in its 3×3
    (torchvision)."""
    rows, c, last = _resnet_body(variant, (False, False, False))
    rows += [NetLayer("pool5", "gap"), NetLayer("fc", "fc", c_in=c, c_out=1000, bias=True)]
    return Network("resnet50_v1" if variant == "v1" else "resnet50_v15", 3, (size, size), tuple(rows), last)


def deeplab(output_stride: int = 16, size: int = 512, classes: int = 21) -> Network:
    """DeepLab-v3-style head on a dilated ResNet-50 (v1.5): output stride 16 dilates stage 5, 8 dilates
    stages 4 and 5; ASPP rates (6, 12, 18) at OS 16, doubled at OS 8 (Chen et al. 2017). The image-pooling
    branch of ASPP is left out (its field is the whole image)."""
    if output_stride not in (8, 16):
        raise ValueError(f"output stride must be 8 or 16, got {output_stride}")
    dilate = (False, output_stride == 8, True)
    rows, c, last = _resnet_body("v1.5", dilate)
    rates = (6, 12, 18) if output_stride == 16 else (12, 24, 36)
    rows.append(conv("aspp_1x1", c, 256, 1, inputs=(last,)))
    for r in rates:
        rows.append(conv(f"aspp_d{r}", c, 256, 3, dilation=r, inputs=(last,)))
    rows.append(merge("aspp_cat", "concat", ("aspp_1x1", *(f"aspp_d{r}" for r in rates))))
    rows.append(conv("aspp_proj", 256 * (1 + len(rates)), 256, 1))
    rows.append(conv("classifier", 256, classes, 1, bias=True, act=""))
    return Network(f"deeplab_os{output_stride}", 3, (size, size), tuple(rows), "aspp_cat")


def espnet_module(hff: bool = True, channels: int = 80, size: int = 64) -> Network:
    """One ESP module (Mehta et al. 2018): a 1×1 reduction, five parallel 3×3 convolutions at rates
    1, 2, 4, 8, 16, then either hierarchical feature fusion (sums d2, d2+d4, ... before the concat) or a
    plain concat, and the residual sum."""
    n = channels // 5
    n1 = channels - 4 * n
    rows = [conv("reduce", channels, n, 1)]
    for r in (1, 2, 4, 8, 16):
        rows.append(conv(f"d{r}", n, n1 if r == 1 else n, 3, dilation=r, inputs=("reduce",), act=""))
    if hff:
        rows += [
            merge("hff4", "add", ("d2", "d4")),
            merge("hff8", "add", ("hff4", "d8")),
            merge("hff16", "add", ("hff8", "d16")),
        ]
        parts: Sequence[str] = ("d1", "d2", "hff4", "hff8", "hff16")
    else:
        parts = ("d1", "d2", "d4", "d8", "d16")
    rows.append(merge("cat", "concat", parts))
    rows.append(merge("out", "add", ("cat", "input"), act="relu"))
    return Network("espnet_hff" if hff else "espnet_plain", channels, (size, size), tuple(rows), "out")


def mobilenet_v1(size: int = 224) -> Network:
    """MobileNet-v1 (width 1.0): a 3×3 stem and 13 depthwise + pointwise pairs."""
    rows = [conv("conv0", 3, 32, 3, stride=2)]
    c = 32
    plan = ((64, 1), (128, 2), (128, 1), (256, 2), (256, 1), (512, 2), *((512, 1),) * 5, (1024, 2), (1024, 1))
    for i, (width, s) in enumerate(plan, start=1):
        rows.append(conv(f"conv{i}_dw", c, c, 3, stride=s, groups=c))
        rows.append(conv(f"conv{i}_pw", c, width, 1))
        c = width
    rows += [NetLayer("pool", "gap"), NetLayer("fc", "fc", c_in=c, c_out=1000, bias=True)]
    return Network("mobilenet_v1", 3, (size, size), tuple(rows), "conv13_pw")


def mobilenet_v2(size: int = 224) -> Network:
    """MobileNet-v2 (width 1.0): inverted residual blocks (expand 1×1, depthwise 3×3, linear 1×1)."""
    rows = [conv("conv0", 3, 32, 3, stride=2, act="relu6")]
    c, prev, block = 32, "conv0", 0
    for t, width, n, s in (
        (1, 16, 1, 1),
        (6, 24, 2, 2),
        (6, 32, 3, 2),
        (6, 64, 4, 2),
        (6, 96, 3, 1),
        (6, 160, 3, 2),
        (6, 320, 1, 1),
    ):
        for i in range(n):
            block += 1
            stride = s if i == 0 else 1
            hidden = c * t
            p = f"b{block}"
            if t != 1:
                rows.append(conv(f"{p}_expand", c, hidden, 1, inputs=(prev,), act="relu6"))
            rows.append(
                conv(
                    f"{p}_dw",
                    hidden,
                    hidden,
                    3,
                    stride=stride,
                    groups=hidden,
                    inputs=() if t != 1 else (prev,),
                    act="relu6",
                )
            )
            rows.append(conv(f"{p}_project", hidden, width, 1, act=""))
            out = f"{p}_project"
            if stride == 1 and c == width:
                rows.append(merge(p, "add", (f"{p}_project", prev)))
                out = p
            prev, c = out, width
    rows += [
        conv("conv_last", c, 1280, 1, inputs=(prev,), act="relu6"),
        NetLayer("pool", "gap"),
        NetLayer("fc", "fc", c_in=1280, c_out=1000, bias=True),
    ]
    return Network("mobilenet_v2", 3, (size, size), tuple(rows), "conv_last")


def wavenet(length: int = 16000, stacks: int = 2, channels: int = 32, classes: int = 256) -> Network:
    """WaveNet (van den Oord et al. 2016), simplified: a causal 2-tap input layer, then ``stacks`` × 10
    layers of dilated causal 2-tap convolutions (rates 1, 2, ..., 512) each with a 1×1 and a residual
    sum (the gated units are one convolution here, the skip sums are left out), then a 1×1 head."""
    rows = [causal("causal_in", classes, channels, 2, act="")]
    prev = "causal_in"
    for st in range(1, stacks + 1):
        for i in range(10):
            d = 2**i
            p = f"s{st}_d{d}"
            rows.append(causal(f"{p}_conv", channels, channels, 2, dilation=d, inputs=(prev,), act="relu"))
            rows.append(conv(f"{p}_1x1", channels, channels, 1, act=""))
            rows.append(merge(p, "add", (f"{p}_1x1", prev)))
            prev = p
    rows += [conv("head1", channels, 256, 1, inputs=(prev,)), conv("head2", 256, classes, 1, act="")]
    return Network("wavenet", classes, (length,), tuple(rows), prev)


def tcn(
    length: int = 784, levels: int = 8, channels: int = 25, kernel: int = 7, classes: int = 10
) -> Network:
    """A temporal convolutional network (Bai et al. 2018, sequential MNIST): ``levels`` residual blocks
    of two causal convolutions at rate ``2**level``, a 1×1 shortcut where the channels change."""
    rows: list[NetLayer] = []
    prev, c = "input", 1
    for level in range(levels):
        d = 2**level
        p = f"block{level + 1}"
        rows.append(causal(f"{p}_conv1", c, channels, kernel, dilation=d, inputs=(prev,), bias=True))
        rows.append(causal(f"{p}_conv2", channels, channels, kernel, dilation=d, bias=True))
        short = prev
        if c != channels:
            rows.append(conv(f"{p}_down", c, channels, 1, inputs=(prev,), bias=True, act=""))
            short = f"{p}_down"
        rows.append(merge(p, "add", (f"{p}_conv2", short), act="relu"))
        prev, c = p, channels
    rows.append(conv("head", channels, classes, 1, inputs=(prev,), bias=True, act=""))
    return Network("tcn", 1, (length,), tuple(rows), prev)


def from_stack(layers: Sequence[Layer], channels: int = 32, size: int = 64, ndim: int = 2) -> Network:
    """The Receptive field page's stack as a network: each conv ``channels → channels``, pools as max."""
    if not layers:
        raise ValueError("the stack is empty")
    rows = []
    for i, la in enumerate(layers, start=1):
        if la.kind == "pool":
            rows.append(pool(f"pool{i}", la.kernel_size, la.stride, la.padding))
        else:
            rows.append(
                conv(
                    f"conv{i}", channels, channels, la.kernel_size, la.stride, la.dilation, padding=la.padding
                )
            )
    return Network("stack", channels, (size,) * ndim, tuple(rows), rows[-1].name)


@dataclass(frozen=True)
class Builtin:
    """A built-in network: its builder (taking the input size), default and smallest sizes, and the
    figures published for it (``None`` where no source gives one)."""

    build: Callable[[int], Network]
    default_size: int
    ndim: int
    published: dict[str, int] | None = None
    source: str = ""


_GOOGLE = "google-research/receptive_field README (TF-Slim end points)"
BUILTINS: dict[str, Builtin] = {
    "vgg16": Builtin(
        vgg16,
        224,
        2,
        {"rf": 212, "jump": 32, "padding": 90, "params": 138_357_544},
        _GOOGLE + "; torchvision vgg16 params",
    ),
    "resnet50_v1": Builtin(
        lambda n: resnet50("v1", n), 224, 2, {"rf": 483, "jump": 32, "padding": 239}, _GOOGLE
    ),
    "resnet50_v15": Builtin(
        lambda n: resnet50("v1.5", n),
        224,
        2,
        {"rf": 427, "jump": 32},
        "torchvision ResNet-50 (stride in the 3×3)",
    ),
    "mobilenet_v1": Builtin(
        mobilenet_v1,
        224,
        2,
        {"rf": 315, "jump": 32, "padding": 126, "macs": 569_000_000, "params": 4_200_000},
        _GOOGLE + "; Howard et al. 2017, Table 8",
    ),
    "mobilenet_v2": Builtin(
        mobilenet_v2, 224, 2, {"macs": 300_000_000, "params": 3_400_000}, "Sandler et al. 2018, Table 4"
    ),
    "deeplab_os16": Builtin(lambda n: deeplab(16, n), 512, 2),
    "deeplab_os8": Builtin(lambda n: deeplab(8, n), 512, 2),
    "espnet_hff": Builtin(lambda n: espnet_module(True, size=n), 64, 2),
    "espnet_plain": Builtin(lambda n: espnet_module(False, size=n), 64, 2),
    "wavenet": Builtin(lambda n: wavenet(n), 16000, 1),
    "tcn": Builtin(lambda n: tcn(n), 784, 1),
}
NETWORK_CODES: tuple[str, ...] = tuple(BUILTINS)
# published figures are rounded to 2-3 digits (3.4 M for 3.47 M): params and MACs match within this share
PUBLISHED_TOLERANCE = 0.03


def builtin(code: str, size: int | None = None) -> Network:
    """The built-in network ``code`` over a ``size`` input (its default when ``None``)."""
    if code not in BUILTINS:
        raise ValueError(f"network must be one of {', '.join(NETWORK_CODES)}, got {code!r}")
    entry = BUILTINS[code]
    return entry.build(entry.default_size if size is None else size)


def tf_same(net: Network, kinds: tuple[str, ...] = ("conv", "maxpool", "avgpool")) -> Network:
    """``net`` with TensorFlow's ``'SAME'`` padding on its strided layers of ``kinds`` for even inputs:
    ``k - s`` in all, the smaller half before (PyTorch's symmetric padding puts one more pixel before).
    TF-Slim's published effective paddings assume it (its ResNets pad strided convolutions explicitly
    and symmetrically, ``conv2d_same``: only their max-pool uses ``'SAME'``)."""
    rows = []
    for la in net.layers:
        if la.kind in kinds and la.stride > 1:
            total = max(la.dilation * (la.kernel - 1) + 1 - la.stride, 0)
            la = replace(la, padding=(total // 2, total - total // 2))
        rows.append(la)
    return replace(net, name=f"{net.name}_tf", layers=tuple(rows))
