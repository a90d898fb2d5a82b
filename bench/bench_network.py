"""Network page figures: the table of every built-in network (cold, no cache), and an ONNX file of ~100 MB
parsed (size, time, peak memory of the process).

    python bench/bench_network.py [--onnx-mb 100] [--repeats 5]

Prints the median time to build and analyse each built-in network's table (the page caches it after the
first time: the goal is under 300 ms), then the time and resident-memory growth to read a generated ONNX
model whose weights take ``--onnx-mb`` MB (goal: under 5 s). Exits with status 1 if a goal is missed.
"""

from __future__ import annotations

import argparse
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

import numpy as np  # noqa: E402
from onnx import TensorProto, helper, numpy_helper  # noqa: E402

from dsdcn.networks import NETWORK_CODES, analyse, builtin  # noqa: E402

CHILD = f"""
import resource, sys, time
sys.path.insert(0, {str(Path(__file__).resolve().parents[1])!r})
from dsdcn.onnx import read_onnx
data = open(sys.argv[1], "rb").read()
base = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
t0 = time.perf_counter()
got = read_onnx(data)
took = time.perf_counter() - t0
print(took, len(got.network.layers), base, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024)
"""
TABLE_GOAL_S = 0.3
ONNX_GOAL_S = 5.0


def big_onnx(megabytes: float) -> bytes:
    """A chain of 3×3 convolutions at 512 channels (9.4 MB of float32 weights each) on a 1×512×32×32 input."""
    per_layer = 512 * 512 * 9
    layers = max(1, round(megabytes * 1e6 / (4 * per_layer)))
    rng = np.random.default_rng(0)
    nodes, inits, prev = [], [], "x"
    for i in range(layers):
        w = numpy_helper.from_array(rng.standard_normal((512, 512, 3, 3), dtype=np.float32), f"w{i}")
        inits.append(w)
        nodes.append(helper.make_node("Conv", [prev, f"w{i}"], [f"c{i}"], kernel_shape=[3, 3], pads=[1, 1, 1, 1]))
        nodes.append(helper.make_node("Relu", [f"c{i}"], [f"r{i}"]))
        prev = f"r{i}"
    x = helper.make_tensor_value_info("x", TensorProto.FLOAT, [1, 512, 32, 32])
    y = helper.make_tensor_value_info(prev, TensorProto.FLOAT, None)
    return helper.make_model(helper.make_graph(nodes, "big", [x], [y], inits)).SerializeToString()


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--onnx-mb", type=float, default=100.0)
    parser.add_argument("--repeats", type=int, default=5)
    args = parser.parse_args()
    ok = True
    print(f"{'network':16s} {'rows':>5s} {'median ms':>10s}")
    for code in NETWORK_CODES:
        times = []
        for _ in range(args.repeats):
            t0 = time.perf_counter()
            a = analyse(builtin(code))
            times.append(time.perf_counter() - t0)
        med = statistics.median(times)
        ok &= med < TABLE_GOAL_S
        print(f"{code:16s} {len(a.rows):5d} {med * 1e3:10.1f}")
    data = big_onnx(args.onnx_mb)
    with tempfile.NamedTemporaryFile(suffix=".onnx") as f:
        f.write(data)
        f.flush()
        # a fresh process: its peak resident memory is the reading's alone (plus imports, printed apart)
        out = subprocess.run([sys.executable, "-c", CHILD, f.name], capture_output=True, text=True, check=True).stdout
    took, layers, base_mb, peak_mb = out.split()
    ok &= float(took) < ONNX_GOAL_S
    print(
        f"ONNX {len(data) / 1e6:.1f} MB, {layers} layers: read in {float(took):.2f} s (goal < {ONNX_GOAL_S:.0f} s); "
        f"peak resident memory {float(peak_mb):.0f} MB, of which {float(base_mb):.0f} MB before reading (imports + file)"
    )
    return 0 if ok else 1


if __name__ == "__main__":
    raise SystemExit(main())
