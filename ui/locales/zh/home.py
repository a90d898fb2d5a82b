"""首页。"""

STRINGS: dict[str, str] = {
    "home.title": "dsdcn explorer",
    "home.tagline": "膨胀卷积与深度可分离膨胀卷积（DS-DCN）的交互式实验室",
    "home.intro": (
        "**膨胀卷积**（又称空洞卷积）让卷积核的采样点间隔 `d` 个像素：同样的权重看得更远，但采样点之间留有空隙。"
        "**深度可分离**层把一次卷积拆成每个通道各自的小卷积核，再加一个跨通道的 1×1 混合："
        "权重和乘加运算都少得多。下面每个页面都可以调整设置并观察效果，"
        "所有数字都由经过测试的库计算，并与 PyTorch 本身核对。"
    ),
    "home.span_label": "卷积核跨度",
    "home.span_delta": "{k}×{k} 核，膨胀率 {d}",
    "home.span_value": "{e}×{e} 像素",
    "home.span_help": "有效卷积核大小 d·(k−1)+1：覆盖范围变大，权重数量仍是 k²。",
    "home.std_label": "参数量：标准 {c_in}→{c_out}",
    "home.std_help": "C_in·C_out·k²，不含偏置。",
    "home.sep_label": "参数量：深度可分离",
    "home.sep_delta": "为标准卷积的 {ratio:.1%}",
    "home.sep_help": "深度乘子为 1 时为 C_in·k² + C_in·C_out：比例为 1/C_out + 1/k²。",
    "home.pages": "页面",
    "home.machine": "本机",
    "home.machine_text": (
        "计算运行在 **{device}** 上，PyTorch 版本 `{torch}`。有 CUDA GPU 时，开销页和图像实验室会使用它；"
        "否则全部在 CPU 上运行。"
    ),
    "home.cheatsheet": "公式速查",
    "home.notation": (
        "每个空间维度：输入大小 n，卷积核大小 k，膨胀率 d，步幅 s，填充 p（左 p_l，右 p_r），"
        "通道数 C_in 与 C_out，深度乘子 m。"
    ),
    "cheat.k_eff": "有效卷积核大小",
    "cheat.output": "输出大小（PyTorch 约定）",
    "cheat.taps": "输出 i 读取的位置",
    "cheat.same": "“same” 填充",
    "cheat.rf": "堆叠层的感受野",
    "cheat.weights": "参数量：标准卷积 vs 深度可分离",
    "cheat.ratio": "开销比例（m = 1）",
    "cheat.flops": "FLOPs（torch.utils.flop_counter）",
}
