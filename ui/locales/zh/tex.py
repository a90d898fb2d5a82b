"""公式（LaTeX）中的文字（公式里写作 ``\\text{@key}``，见 ``ui.i18n.tex``）。"""

from __future__ import annotations

STRINGS: dict[str, str] = {
    "tex.standard": "标准卷积",
    "tex.separable": "深度可分离",
    "tex.depthwise": "深度卷积",
    "tex.pointwise": "逐点卷积",
    "tex.weights": "个权重",
    "tex.macs_per_image": "次乘加（每张图像）",
    "tex.same_padding": "“same” 填充",
    "tex.batch": "批大小",
    "tex.centre": "中心",
    "tex.per_side": "每侧",
    "tex.goal": "目标：",
    "tex.vs": "对比",
    "tex.bias_not_counted": "不计偏置",
}
