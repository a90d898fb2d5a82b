"""深度可分离卷积页面。"""

STRINGS: dict[str, str] = {
    "depthwise_separable.title": "深度可分离卷积",
    "depthwise_separable.intro": (
        "标准卷积让**每个输出通道在每个输入通道上都有自己的 k×k 卷积核**。"
        "深度可分离卷积把这项工作拆成两步：**深度卷积**（逐通道）阶段（每个输入通道一个 k×k 卷积核，"
        "`groups = C_in`，只作用于该通道；深度乘数 `m` 让每个通道有 `m` 个卷积核），以及**逐点卷积**（1×1）"
        "阶段（用 1×1 卷积把 `C_in·m` 个通道混合成 `C_out` 个）。膨胀率让深度卷积核的采样点彼此拉开："
        "用同样的权重看得更远。"
    ),
    # 预设
    "depthwise_separable.preset.why_cheap": "为何如此便宜",
    "depthwise_separable.preset.why_cheap.idea": (
        "64 → 64 个通道、3×3：深度可分离卷积只需标准卷积 1/64 + 1/9 ≈ 12.7% 的参数量和乘加次数，约少 8 倍。"
    ),
    "depthwise_separable.preset.k1_no_gain": "k = 1 无收益",
    "depthwise_separable.preset.k1_no_gain.idea": (
        "1×1 卷积核没有可拆分的东西：深度卷积阶段只会增加权重，所以可分离层反而比标准层更贵"
        "（1/C_out + 1 > 1）。"
    ),
    "depthwise_separable.preset.more_outputs": "输出越多越省",
    "depthwise_separable.preset.more_outputs.idea": (
        "有 512 个输出通道时，1/C_out 项几乎消失：对 3×3 卷积核，节省接近其上限 k² = 9 倍。"
    ),
    "depthwise_separable.preset.depth_multiplier": "深度乘数",
    "depthwise_separable.preset.depth_multiplier.idea": (
        "每个输入通道 m = 4 个卷积核，两项都乘以 4：可分离层现在约为标准层开销的一半；"
        "1/C_out + 1/k² 只在 m = 1 时成立。"
    ),
    "depthwise_separable.preset.dilation_free": "膨胀不加开销",
    "depthwise_separable.preset.dilation_free.idea": (
        "膨胀率 4 把同样的 3×3 权重铺到 9×9 个像素上：覆盖范围变大，参数量和乘加次数完全不变。"
    ),
    # 控件
    "depthwise_separable.c_in": "C_in（输入通道）",
    "depthwise_separable.c_in_help": "输入的通道数，1 到 512。",
    "depthwise_separable.c_out": "C_out（输出通道）",
    "depthwise_separable.c_out_help": "该层输出的通道数，1 到 512。",
    "depthwise_separable.m": "深度乘数 m",
    "depthwise_separable.m_help": "每个输入通道的深度卷积核个数（1 到 4）。",
    "depthwise_separable.k": "卷积核大小 k",
    "depthwise_separable.k_help": "深度卷积（以及标准卷积）卷积核的边长，1 到 9。",
    "depthwise_separable.d": "膨胀率 d",
    "depthwise_separable.d_help": "采样点之间的间隔：相邻采样点之间跳过 d − 1 个像素（1 到 8）。",
    "depthwise_separable.n": "输入大小 H = W",
    "depthwise_separable.n_help": "输入图像的边长，用于计算总乘加次数（步幅 1，'same' 填充），1 到 1024。",
    # 两个阶段的图
    "depthwise_separable.stages": "两个阶段，逐通道展示",
    "depthwise_separable.fig.separable_title": "深度可分离卷积",
    "depthwise_separable.fig.standard_title": "标准卷积",
    "depthwise_separable.fig.input_header": "输入<br>C_in<br>= {c_in}",
    "depthwise_separable.fig.depthwise_header": "深度卷积<br>{k}×{k}<br>d = {d}",
    "depthwise_separable.fig.middle_header": "中间<br>C_in·m<br>= {mid}",
    "depthwise_separable.fig.pointwise_header": "逐点卷积 1×1<br>C_out = {c_out}",
    "depthwise_separable.fig.standard_header": "C_in×C_out = {kernels} 个卷积核<br>{k}×{k}，d = {d}",
    "depthwise_separable.fig.more_inputs": "另有 {n} 个",
    "depthwise_separable.fig.more_outputs": "+{n}",
    "depthwise_separable.fig.tip_input": "输入通道 {c}",
    "depthwise_separable.fig.tip_depthwise": "深度卷积核 {q}：{k}×{k}，膨胀率 {d}，只读取输入通道 {c}",
    "depthwise_separable.fig.tip_middle": "中间通道 {q}（来自输入通道 {c}）",
    "depthwise_separable.fig.tip_pointwise": "逐点卷积权重 P[{o}, {q}]：一个数",
    "depthwise_separable.fig.tip_output": "输出通道 {o} = 该列之和",
    "depthwise_separable.fig.tip_kernel": "卷积核 W[{o}, {c}]：{k}×{k}，膨胀率 {d}",
    "depthwise_separable.fig.step_input": "采样点下的输入",
    "depthwise_separable.fig.step_depthwise": "深度卷积 D{j}（P = {p}）",
    "depthwise_separable.fig.step_composed": "合成卷积核",
    "depthwise_separable.fig.step_hover": "行 %{y}，列 %{x}：%{z:.4g}<extra></extra>",
    "depthwise_separable.stages_caption": (
        "每一行彩色代表一个输入通道。**左图**：通道 c 只与它自己的{kernels}相遇（{k}×{k} 个采样点分布在 "
        "{e}×{e} 个像素上：空白格就是膨胀留下的空洞），得到中间通道 z；逐点卷积阶段再给每个输出 y "
        "在每个中间通道上一个数（一个圆点），并对该列求和。**右图**：标准卷积在每个交叉处都需要一个完整的 "
        "{k}×{k} 卷积核，共 {total} 个。最多画出 8 行和 8 个输出；悬停可查看详情。"
    ),
    "depthwise_separable.kernels_one": "深度卷积核",
    "depthwise_separable.kernels_many": " {m} 个深度卷积核",
    # 开销表
    "depthwise_separable.costs": "参数量与乘加次数",
    "depthwise_separable.col.layer": "层",
    "depthwise_separable.col.formula": "公式",
    "depthwise_separable.col.weights": "参数量",
    "depthwise_separable.col.macs_pixel": "每像素乘加次数",
    "depthwise_separable.col.macs_total": "{n}×{n} 乘加次数",
    "depthwise_separable.col.share": "÷ 标准卷积",
    "depthwise_separable.row.depthwise": "深度卷积阶段",
    "depthwise_separable.row.pointwise": "逐点卷积阶段",
    "depthwise_separable.row.separable": "深度可分离卷积（两阶段合计）",
    "depthwise_separable.row.standard": "标准卷积",
    "depthwise_separable.row.naive": "没有 groups 的“可分离”（常见错误）",
    "depthwise_separable.costs_caption": (
        "不计偏置。一次乘加 (MAC) 是一次乘法加一次加法；torch.utils.flop_counter 等浮点运算次数 (FLOPs) "
        "计数器把每次乘加记为 2 FLOPs。每个输出像素的乘加次数等于参数量，所以总数是它乘以 {n}×{n} = "
        "{pixels} 个输出像素（'same' 填充，步幅 1）。最后一行是自称深度可分离、却忘了 `groups = C_in` "
        "的代码：两个完整的卷积，毫无节省。"
    ),
    "depthwise_separable.ratio_label": "可分离的开销",
    "depthwise_separable.ratio_value": "标准卷积的 {ratio:.1%}",
    "depthwise_separable.ratio_help": "可分离层的参数量或乘加次数除以标准层的（两个比值相同）。",
    "depthwise_separable.saving_label": "节省",
    "depthwise_separable.saving_value": "少 {times:.1f} 倍",
    "depthwise_separable.saving_value_more": "反而是 {times:.1f} 倍",
    "depthwise_separable.saving_help": "标准层除以可分离层：参数量和乘加次数少多少倍（可分离层更贵时显示它是标准层的多少倍）。",
    "depthwise_separable.multiplier_caption": (
        "深度乘数 m = {m} 时两项都乘以 m：大多数教程里的 1/C_out + 1/k² 只在 m = 1 时成立。"
    ),
    "depthwise_separable.dilation_caption": (
        "膨胀率 d = {d} 不改变这些数字中的任何一个：卷积核覆盖 {e}×{e} 个像素，权重仍是同样的 {k}×{k} 个。"
    ),
    # 逐步计算
    "depthwise_separable.step": "同一个输出，两种算法",
    "depthwise_separable.step_intro": (
        "可分离层其实是一个伪装的标准卷积：它对输出 o 和输入通道 c 的卷积核，是通道 c 的深度卷积核乘以"
        "逐点卷积权重，$W[o,c] = \\sum_j P[o, c\\,m+j]\\,D[c\\,m+j]$。下面用小整数权重的层作用在小整数"
        "输入上，因此每个求和都是精确的，两种算法必须分毫不差。"
    ),
    "depthwise_separable.out_channel": "输出通道 o",
    "depthwise_separable.out_channel_help": "要计算哪个输出通道（0 到 C_out − 1）。",
    "depthwise_separable.row": "行",
    "depthwise_separable.row_help": "输出行，0 到 {last}（输入为 {size}×{size}）。",
    "depthwise_separable.col": "列",
    "depthwise_separable.col_help": "输出列，0 到 {last}。",
    "depthwise_separable.channel": "查看的输入通道",
    "depthwise_separable.channel_help": "详细显示哪个输入通道（0 到 C_in − 1）。",
    "depthwise_separable.seed": "随机种子",
    "depthwise_separable.seed_help": "整数权重和输入的随机种子（0 到 10000）。",
    "depthwise_separable.running": "正在运行该层…",
    "depthwise_separable.module_label": "可分离模块：y",
    "depthwise_separable.module_help": (
        "dsdcn.DSDilatedConv2d（先深度卷积再逐点卷积）作用在输入上；取 (o, 行, 列) 处的值。"
    ),
    "depthwise_separable.standard_label": "合成核卷积：y",
    "depthwise_separable.standard_help": "权重为 W[o,c] = Σ_j P[o,cm+j]·D[cm+j] 的 nn.Conv2d，作用在同一输入上。",
    "depthwise_separable.hand_label": "手算，逐阶段",
    "depthwise_separable.hand_help": "下面的求和，由采样点下的输入值算出。",
    "depthwise_separable.agree": "所有算法一致：y[{o}, {row}, {col}] = {value}。",
    "depthwise_separable.differ": "数值不一致；这不应发生。请报告当前设置。",
    "depthwise_separable.taps_caption": (
        "输出 ({row}, {col}) 的采样点读取输入的第 {rows} 行和第 {cols} 列"
        "（0…{last} 以外的下标属于 'same' 填充，读到 0）。"
    ),
    "depthwise_separable.col.channel": "输入通道 c",
    "depthwise_separable.col.middle": "中间 z（深度卷积输出）",
    "depthwise_separable.col.pointwise": "逐点卷积权重 P[o, ·]",
    "depthwise_separable.col.sep_sum": "可分离：Σ P·z",
    "depthwise_separable.col.std_sum": "标准：Σ W[o,c]·x",
    "depthwise_separable.panel.input": "采样点下的<br>输入 x[{c}]",
    "depthwise_separable.panel.depthwise": "深度卷积 D[{q}]<br>（P = {p}）",
    "depthwise_separable.panel.composed": "合成卷积核<br>W[{o},{c}]",
    "depthwise_separable.step_caption": (
        "输入通道 {c}：采样点读取的 {k}×{k} 个输入值、它的{kernels}以及合成的标准卷积核。"
        "把输入与一个深度卷积核相乘再求和，就是 z；乘以 P 并对所有卷积核求和得到 {sep}，"
        "与合成卷积核给出的结果（{std}）完全相同。"
    ),
}
