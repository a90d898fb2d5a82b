"""开销页。"""

STRINGS: dict[str, str] = {
    "cost.title": "开销",
    "cost.intro": (
        "一层卷积的开销，三种算法：**按公式**（权重与乘加次数），在真实的 PyTorch 模块上**计数**"
        "（权重的 `numel`，前向传播时的 `torch.utils.flop_counter`），以及**实测**（本机上的延迟）。"
        "前两者必须完全一致；第三者才有意外：浮点运算次数（FLOPs）少，并不总是意味着时间短。"
    ),
    "cost.preset.not_8x_faster": "为何没快 8 倍",
    "cost.preset.not_8x_faster.idea": (
        "128 → 128 通道，3×3：深度可分离卷积的 FLOPs 约为标准卷积的 1/8（1/C_out + 1/k²）。"
        "点击“测量”：它的时间缩短得少得多，因为深度卷积（逐通道）阶段在等内存，而不是在等运算。"
    ),
    "cost.preset.dilation_slows_depthwise": "膨胀拖慢深度卷积",
    "cost.preset.dilation_slows_depthwise.idea": (
        "FLOPs 不随膨胀率变化。运行膨胀率扫描：随着 d 增大，深度卷积变慢（在 CPU 上从 d = 7 起突然变慢），"
        "而标准卷积几乎不变。"
    ),
    "cost.preset.pointwise_dominates": "1×1 占大头",
    "cost.preset.pointwise_dominates.idea": (
        "256 → 256 通道：1×1 逐点卷积阶段占深度可分离卷积参数量和乘加次数的 C_out/(C_out + k²) = 97 %。"
        "再把 k×k 部分做得更省，几乎没有收益。"
    ),
    "cost.preset.same_rf_three_ways": "同一感受野三种做法",
    "cost.preset.same_rf_three_ways.idea": (
        "7×7 的视野：一个稠密的 7×7 卷积核、膨胀率为 3 的 3×3，或三层堆叠的 3×3（以及 d = 3 的深度可分离 3×3）。"
        "在“相同感受野”一节比较它们的参数量、乘加次数和时间。"
    ),
    "cost.input_and_layer": "输入与层",
    "cost.h": "高度 H",
    "cost.h_help": "输入高度，单位像素（1 到 4096）。",
    "cost.w": "宽度 W",
    "cost.w_help": "输入宽度，单位像素（1 到 4096）。",
    "cost.c_in_help": "输入通道数（1 到 4096）。",
    "cost.batch": "批大小",
    "cost.batch_help": "每次前向传播的图像数（1 到 1024）。",
    "cost.c_out_help": "标准卷积、逐点卷积和深度可分离卷积的输出通道数。",
    "cost.k": "卷积核大小 k",
    "cost.k_help": "k×k 卷积核的边长（1 到 15）。",
    "cost.d": "膨胀率 d",
    "cost.d_help": "采样点的间距（1 到 32）；逐点卷积没有膨胀率。",
    "cost.s": "步幅 s",
    "cost.s_help": "相邻输出之间的步长（1 到 8）。填充方式为 'same'：输出 ceil(H/s) 个。",
    "cost.m": "深度乘子 m",
    "cost.m_help": "每个输入通道的深度卷积核个数（1 到 8）。",
    "cost.kind.standard": "标准卷积",
    "cost.kind.depthwise": "深度卷积",
    "cost.kind.pointwise": "逐点卷积",
    "cost.kind.separable": "深度可分离",
    "cost.kind_long.standard": "标准卷积 k×k",
    "cost.kind_long.depthwise": "深度卷积 k×k（groups = C_in）",
    "cost.kind_long.pointwise": "逐点卷积 1×1",
    "cost.kind_long.separable": "深度可分离（深度卷积 + 逐点卷积）",
    "cost.formula_vs_count": "公式与计数对照",
    "cost.col.layer": "层",
    "cost.col.output": "输出 (B, C, H, W)",
    "cost.col.params_formula": "参数量（公式）",
    "cost.col.params_numel": "参数量（numel）",
    "cost.col.macs_formula": "乘加次数（公式）",
    "cost.col.flops_formula": "FLOPs = 2×乘加次数（公式）",
    "cost.col.flops_counted": "FLOPs（flop_counter）",
    "cost.col.equal": "一致",
    "cost.agree": (
        "每一层的公式与计数都一致：参数量 = 模块权重的 numel，"
        "FLOPs = 2 × 乘加次数，与 torch.utils.flop_counter 的计数相同。"
    ),
    "cost.disagree": "此形状下公式与计数不一致；请报告这些设置。",
    "cost.flops_note": (
        "这里的 FLOPs 是 **2 × 乘加次数（MACs）**（一次乘加算两次运算），与 torch.utils.flop_counter 的约定相同；"
        "不计偏置。只显示*前向*计数：该计数器对分组（深度）卷积的反向计数忽略了分组，"
        "权重梯度会多算 {c_in} 倍，因此这里从不使用。"
    ),
    "cost.formulas": "代入你的数值的公式",
    "cost.formulas_caption": (
        "'same' 填充下的输出大小、有效卷积核大小、各层的参数量和乘加次数，"
        "以及深度可分离卷积与标准卷积之比，均按上面的数值计算。"
    ),
    "cost.measured": "在本机上实测",
    "cost.device": "设备",
    "cost.device_help": "在哪里运行这些层。“自动”即本应用使用的设备（依次优先 CUDA、Apple MPS、CPU）。",
    "cost.device_auto": "自动（{device}）",
    "cost.dtype": "数据类型",
    "cost.dtype_help": "float32，或本设备能运行卷积的 16 位类型（只探测一次）。CPU 大多模拟 float16，所以在 CPU 上很慢。",
    "cost.format": "内存布局",
    "cost.format_help": (
        "contiguous = NCHW（PyTorch 默认）；channels_last = NHWC，在 CPU 上的深度卷积和逐点卷积、"
        "以及 GPU 上的 16 位类型中往往快 2–3 倍。"
    ),
    "cost.format.contiguous": "contiguous",
    "cost.format.channels_last": "channels_last",
    "cost.threads": "CPU 线程数（0 = 全部）",
    "cost.threads_help": (
        "测量时的算子内线程数。1（默认）在其他程序共用 CPU 时能让计时稳定："
        "线程多时，一个线程被其他程序拖住，其余线程都要等它。0 使用 torch 的设置（此处为 {n}）。"
    ),
    "cost.cuda_timing": "同步之后用 CUDA 事件计时。",
    "cost.timing_settings": "计时设置",
    "cost.warmup": "预热次数",
    "cost.warmup_help": "先运行若干次但不计时（缓存、内存分配器、内核）。",
    "cost.repeats": "计时次数（最多）",
    "cost.repeats_help": "用于求中位数和离散程度的运行次数。",
    "cost.budget": "每层时间预算（秒）",
    "cost.budget_help": "计时超过这么多秒就停止（但至少保留 3 次运行）。",
    "cost.memory_peak": "这些层中最大的一层峰值约需 **{size}**",
    "cost.memory_free": "，{device} 上可用 **{free}**",
    "cost.memory_refusal": "。放不进可用内存一半、或耗时过长的层不会启动，而是说明原因。",
    "cost.measure": "在 {device} 上测量",
    "cost.measure_help": "为四种层和相同感受野的几种做法计时。结果按设备、数据类型和形状缓存。",
    "cost.measure_again": "重新测量",
    "cost.measure_again_help": "丢弃缓存的计时并重新测量（每次计时都会有波动）。",
    "cost.measuring": "正在测量",
    "cost.not_measured": "未测量：{reason}",
    "cost.failed": "失败：{reason}",
    "cost.clamped": "{name} 的范围是 {low} 到 {high}：输入的 {typed} 已改为 {used}。",
    "cost.no_reason": "库没有给出原因",
    "cost.press_measure": (
        "点击 **在 {device} 上测量** 为这些层计时（共 {n} 个，每个预热 {warmup} 次 + 最多计时 {repeats} 次）。"
        "修改上面任何输入后都需要重新测量。"
    ),
    "cost.col.median_ms": "中位数 ms",
    "cost.col.iqr_ms": "25–75 % ms",
    "cost.col.range_ms": "最小 – 最大 ms",
    "cost.col.runs": "次数",
    "cost.col.note": "备注",
    "cost.noisy": (
        "{total} 个计时中有 {n} 个噪声较大（中间一半的跨度超过 1.5 倍）：有其他程序在争用设备。"
        "请使用 1 个 CPU 线程、关闭其他程序，或点击“重新测量”。"
    ),
    "cost.thread_note": "，{n} 个 CPU 线程",
    "cost.cuda_events": "（CUDA 事件）",
    "cost.measured_caption": (
        "{device}，{dtype}，{format}{threads}；批大小 {batch}。"
        "预热 {warmup} 次后计时运行的中位数，每次都同步{events}；离散程度为中间一半（25–75 %）和极值。"
        "GFLOP/s = 计数的前向 FLOPs ÷ 中位数；GB/s = 最少的内存读写量"
        "（输入和权重各读一次、输出写一次，再加上深度可分离卷积的中间结果）÷ 中位数。"
    ),
    "cost.list_sep": "，",
    "cost.intensity_item": "{kind} {value:.1f}",
    "cost.why_bars_differ": (
        "**为什么柱子不一样高。** 一层要么受运算限制，要么受内存限制。它的*算术强度*（每搬运一个字节做多少次浮点运算）"
        "决定是哪一种：此处为 {values} FLOP/字节。深度卷积每写一个输出值只做 2k² 次浮点运算，"
        "所以它在等内存（要看它的 GB/s），而标准卷积把每个读入的值复用 C_out 次，让运算单元一直忙碌。"
        "这就是为什么 FLOPs 少很多倍的深度可分离卷积，很少能快那么多倍。"
    ),
    "cost.same_rf": "相同感受野，不同开销",
    "cost.same_rf_intro": (
        "膨胀率为 {d} 的 {k}×{k} 卷积核覆盖 **{e}×{e}** 个像素。看到这么远有四种做法："
        "一个稠密的 {e}×{e} 卷积核、膨胀的 {k}×{k}、{n} 层不膨胀的 3×3 堆叠（每层多看 2 个像素），"
        "以及深度可分离膨胀卷积 {k}×{k}（步幅 1）。"
    ),
    "cost.reach.dense": "稠密 {e}×{e}",
    "cost.reach.dilated": "膨胀 {k}×{k}，d = {d}",
    "cost.reach.stack": "{n} 层 3×3 堆叠",
    "cost.reach.separable": "深度可分离 {k}×{k}，d = {d}",
    "cost.col.way": "做法",
    "cost.col.layers": "层数",
    "cost.col.extent": "范围（像素）",
    "cost.col.params": "参数量",
    "cost.col.macs": "乘加次数 (MACs)",
    "cost.same_rf_caption": (
        "范围是一个输出能看到的输入像素的跨度（跨度为偶数时，堆叠会多看一个像素）。"
        "膨胀卷积用 k² 个而不是 {e}² 个权重就能看得和稠密卷积核一样远，但采样点之间留有空洞；"
        "堆叠则用深度把空洞填上。"
    ),
    "cost.time_after_measure": "测量之后才会显示时间。",
    "cost.sweeps": "扫描",
    "cost.ratio_caption": (
        "深度可分离卷积的参数量和乘加次数与标准卷积之比（两者比例相同），由 dsdcn.conv_cost 计算；"
        "虚线是它的两项：m/C_out（深度卷积阶段的份额）和 m/k²（逐点卷积阶段的份额）。"
        "节省随 k 和 C_out 增大，直到另一项占主导；竖线标出你的设置。"
    ),
    "cost.dilation_sweep": "延迟与膨胀率：FLOPs 不再能预测时间的地方",
    "cost.dilation_sweep_intro": (
        "在上面的输入上，深度卷积（{c_in}→{c_in}）和标准卷积（{c_in}→{c_out}）{k}×{k} 层，"
        "膨胀率从 1 到下面的最大值。它们的 FLOPs 不随 d 变化，所以按 FLOPs 看，曲线应是平的。"
    ),
    "cost.max_d": "最大膨胀率",
    "cost.max_d_help": "扫描 d = 1 … 此值（2 到 32）。",
    "cost.run_sweep": "运行膨胀率扫描",
    "cost.run_sweep_help": "按上面的设置进行 {n} 次测量。",
    "cost.sweeping": "正在扫描",
    "cost.sweep_item": "{kind} d = {d}",
    "cost.press_sweep": "点击 **运行膨胀率扫描**，在 {device} 上为 {n} 个层计时。",
    "cost.sweep_noisy": (
        "这 {total} 个计时中有 {n} 个噪声较大（中间一半的跨度超过 1.5 倍）：有其他程序在争用设备。"
        "请使用 1 个 CPU 线程，或重新运行扫描。"
    ),
    "cost.sweep_refused": "扫描中有 {n} 个层未测量：{reason}",
    "cost.slowdown_item": "{kind} 最多为其 d = 1 时间的 {x:.1f} 倍",
    "cost.sweep_shows": (
        "**扫描说明了什么。** 本机实测：{summary}，而每个 d 的 FLOPs 完全相同。"
        "标准卷积受运算限制：它的内核把每个读入的值在所有输出通道间复用，膨胀只改变读取哪些地址，"
        "所以时间几乎不变。深度卷积受内存限制（每字节只有几次浮点运算），所以它遍历内存的方式决定速度："
    ),
    "cost.sweep_cpu": (
        "在 CPU 上，oneDNN 在 NCHW 布局下的快速深度卷积内核只处理膨胀率不超过 6 的情况；从 d = 7 起 PyTorch "
        "退回到较慢的路径（在 AVX2 的 AMD EPYC 上慢 2.5–5 倍），而运算量完全相同。"
        "下一节为能避开它的精确算法计时（例如空间转批：在 d×d 个相位网格上做不膨胀的卷积）。"
    ),
    "cost.sweep_gpu": "在 GPU 上，库（cuDNN）会为不同的膨胀率选择不同的内核，而且间隔越大，读取越分散到更多的缓存行上。",
    "cost.sweep_moral": "比较设计时数 FLOPs；想知道时间就要实测。",
    "cost.fig.ratio_axis": "比例（对数坐标）",
    "cost.fig.log_scale_of": "÷ {name}（对数坐标）",
    "cost.fig.dilation_axis": "膨胀率 d",
    "cost.fig.ms_axis": "毫秒",
    "cost.fig.relative_axis": "相对于 d = 1",
    "cost.fig.share_flops": "FLOPs 占比",
    "cost.fig.share_time": "时间占比",
    "cost.fig.time_flops_title": "FLOPs 与时间，均以标准卷积为 1",
    "cost.fig.weights": "参数量",
    "cost.fig.time": "时间",
    "cost.fig.same_rf_title": "参数量、乘加次数与时间，均以稠密卷积核为 1",
    "cost.fig.ratio_name": "深度可分离 ÷ 标准",
    "cost.fig.k_axis": "卷积核大小 k",
    "cost.fig.c_out_axis": "C_out（对数坐标）",
    "cost.fig.ratio_k_title": "深度可分离 ÷ 标准，随 k 变化（C_out = {c_out}，m = {m}）",
    "cost.fig.ratio_cout_title": "深度可分离 ÷ 标准，随 C_out 变化（k = {k}，m = {m}）",
    "cost.fig.onednn_mark": "d ≥ 7：oneDNN 较慢的深度卷积路径",
    "cost.fig.latency_panel": "延迟（中位数，误差线：25–75 %）",
    "cost.fig.relative_panel": "时间 ÷ d = 1 时的时间",
    "cost.fig.flops_flat": "FLOPs（每个 d 都相同）",
    "cost.too_heavy": (
        "**未测量：对共享服务器来说负担太重。** 这 {n} 次测量预计需要约 {seconds} 秒和 {memory} 内存；"
        "每个请求最多 {limit_s} 秒、{limit_mem}。{fix}"
    ),
    "cost.fix_measure": "请减少预热次数、运行次数或每层的时间（计时设置），或使用更小的 H × W、批大小或通道数。",
    "cost.fix_sweep": "请降低最大膨胀率、预热次数或每层的时间（计时设置），或使用更小的 H × W 或通道数。",
    "cost.busy": "服务器正忙于其他测量，请稍后再试。",
}
