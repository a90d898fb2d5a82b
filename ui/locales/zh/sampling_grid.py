"""采样网格页面。"""

STRINGS: dict[str, str] = {
    "sampling_grid.title": "采样网格",
    "sampling_grid.tagline": "膨胀卷积核的每个权重读取哪里？",
    "sampling_grid.intro": "选择卷积核大小、膨胀率、步幅和填充；看采样点在输入上滑动，输出逐个填满。",
    # presets
    "sampling_grid.preset.dilation_skips": "膨胀留空洞",
    "sampling_grid.preset.dilation_skips.idea": "同样 3 个权重，膨胀率 1 和 3：跨度从 3 增大到 7 个像素，采样点之间留下空洞。",
    "sampling_grid.preset.same_padding": "保持尺寸",
    "sampling_grid.preset.same_padding.idea": "same 共填充 d·(k−1) 个单元，所以步幅为 1 时输出与输入一样大。",
    "sampling_grid.preset.stride_skips": "步幅跳过",
    "sampling_grid.preset.stride_skips.idea": "步幅大于卷积核的跨度时会跳过输入：一半像素不影响任何输出。",
    "sampling_grid.preset.shared_factor": "公因子",
    "sampling_grid.preset.shared_factor.idea": "步幅 2、膨胀率 2：每个采样点都落在偶数像素上，奇数像素从未被读取。",
    "sampling_grid.preset.reflect_padding": "镜像填充",
    "sampling_grid.preset.reflect_padding.idea": "使用 reflect 填充时，输入之外的采样点读取镜像的真实像素，而不是 0。",
    # controls
    "sampling_grid.dims": "维度",
    "sampling_grid.dims_help": "1D：一行像素（如音频或文本）。2D：图像；每个轴有自己的设置。",
    "sampling_grid.tied": "绑定两轴",
    "sampling_grid.tied_help": "开：行和列共用所有设置（方形卷积核）。关：按轴分别设置。",
    "sampling_grid.view": "视图",
    "sampling_grid.view_help": "动画：卷积核滑过每个输出（播放/暂停，步进滑块）。选一个单元：选择一个输出，查看其采样点读取的位置以及相加的数值。选一个像素：选择一个输入像素，查看读取它的每个输出。",
    "sampling_grid.view.animate": "动画",
    "sampling_grid.view.pick": "选一个单元",
    "sampling_grid.view.reads": "选一个像素",
    "sampling_grid.compare": "对比 d = 1",
    "sampling_grid.compare_help": "在你的膨胀率旁边显示膨胀率为 1 的同一卷积核：权重相同，覆盖范围不同。",
    "sampling_grid.mode": "填充方式",
    "sampling_grid.mode_help": (
        "填充单元中的值：zeros（补零）；reflect（镜像，不重复边缘）；replicate（重复边缘像素）；"
        "circular（循环回绕）。名称与 PyTorch 的 padding_mode 相同。"
    ),
    "sampling_grid.mode.zeros": "zeros（补零）",
    "sampling_grid.mode.reflect": "reflect（镜像）",
    "sampling_grid.mode.replicate": "replicate（复制边缘）",
    "sampling_grid.mode.circular": "circular（循环）",
    "sampling_grid.axis._r": "行（高度）",
    "sampling_grid.axis._c": "列（宽度）",
    "sampling_grid.n": "输入大小 n",
    "sampling_grid.n_help": "沿该轴的输入像素个数。",
    "sampling_grid.k": "卷积核大小 k",
    "sampling_grid.k_help": "沿该轴的采样点（权重）个数。偶数大小也可以。",
    "sampling_grid.d": "膨胀率 d",
    "sampling_grid.d_help": "采样点间距：相邻采样点之间跳过 d − 1 个像素。",
    "sampling_grid.s": "步幅 s",
    "sampling_grid.s_help": "卷积核从一个输出移到下一个输出的距离。",
    "sampling_grid.pad": "填充",
    "sampling_grid.pad_help": "valid：不填充。same：共填充 d·(k−1)，步幅为 1 时保持尺寸。自定义：分别选择左右（行为上下）。",
    "sampling_grid.pad.valid": "valid",
    "sampling_grid.pad.same": "same",
    "sampling_grid.pad.custom": "自定义",
    "sampling_grid.p_left": "左填充 p",
    "sampling_grid.p_right": "右填充 p",
    "sampling_grid.p_top": "上填充 p",
    "sampling_grid.p_bottom": "下填充 p",
    "sampling_grid.pl_help": "第一个像素之前的填充单元数（左侧，行为上方）。",
    "sampling_grid.pr_help": "最后一个像素之后的填充单元数（右侧，行为下方）。",
    "sampling_grid.pick_index": "输出索引",
    "sampling_grid.pick_row": "输出行",
    "sampling_grid.pick_col": "输出列",
    "sampling_grid.pick_r_help": "要显示其采样点的输出单元所在的行。",
    "sampling_grid.pick_c_help": "要显示其采样点的输出单元所在的列（1D：索引）。",
    "sampling_grid.pick_only": "{label}：0（唯一的一个）",
    # problems
    "sampling_grid.where.rows": "行：",
    "sampling_grid.where.cols": "列：",
    "sampling_grid.fix.d": "膨胀率 **≤ {d}**",
    "sampling_grid.fix.k": "卷积核大小 **≤ {k}**",
    "sampling_grid.fix.n": "输入大小 **≥ {n}**",
    "sampling_grid.fix.n_none": "宽于 {n_max} 个像素的输入（超出本页范围）",
    "sampling_grid.fix.same": "**same** 填充（使用 zeros 或 replicate 时总能放下）",
    "sampling_grid.fix.mode": "填充方式 **zeros** 或 **replicate**（任意填充量）",
    "sampling_grid.problem.too_wide": (
        "{where}{k} 个采样点、膨胀率 {d} 的卷积核跨度为 **{k_eff} 个像素**（d·(k−1)+1 = {d}·{k1}+1），"
        "但填充后的输入只有 **{padded}** 个（{n} + {pl} + {pr} 填充）。放不下任何输出：没有可计算的内容。"
    ),
    "sampling_grid.problem.reflect": (
        "{where}**{mode}** 填充必须小于输入大小（否则 PyTorch 会拒绝）："
        "这里一侧需要 {pad} 个填充单元，而输入只有 {n}。"
    ),
    "sampling_grid.problem.circular": (
        "{where}**{mode}** 填充最多等于输入大小（否则 PyTorch 会拒绝）："
        "这里一侧需要 {pad} 个填充单元，而输入只有 {n}。"
    ),
    "sampling_grid.change_one": "改变以下任一项：{fixes}。",
    # titles
    "sampling_grid.title.kernel_1d": "{ks} 点卷积核",
    "sampling_grid.title.kernel_2d": "{ks} 卷积核",
    "sampling_grid.title.d1": "{kernel}，d = 1：跨度 {spans}",
    "sampling_grid.title.dilated": "{kernel}，d = {ds}：同样 {n_taps} 个权重，跨度 {spans}",
    # metrics
    "sampling_grid.m.spans": "卷积核跨度",
    "sampling_grid.m.spans_help": "每个轴的有效卷积核大小 d·(k−1)+1：第一个与最后一个采样点的距离加一。",
    "sampling_grid.m.out": "输出大小",
    "sampling_grid.m.out_delta": "输入 {n}",
    "sampling_grid.m.out_help": "每个轴 floor((n + p_l + p_r − d·(k−1) − 1) / s) + 1（PyTorch 的公式）。",
    "sampling_grid.m.pads": "每侧填充",
    "sampling_grid.m.pads_help": "输入之前 | 之后的填充单元：左 | 右；2D 且两轴不同时为 上|下，左|右。",
    "sampling_grid.m.pad_taps": "填充内采样点",
    "sampling_grid.m.pad_taps_help": "所有输出合计：有多少采样点读取的是填充单元而不是真实像素。",
    "sampling_grid.m.pad_taps_of": "共 {total} 个",
    "sampling_grid.m.pad_taps_here_of": "此处共 {total} 个 · 所有输出：{count} / {all}",
    "sampling_grid.m.pad_taps_here": "此处填充内采样点",
    "sampling_grid.m.pad_taps_here_help": "所选输出的采样点中有多少读取填充单元。",
    "sampling_grid.m.unread": "未读取像素",
    "sampling_grid.m.unread_help": "其值不影响任何输出的输入像素所占比例（被填充复制也算读取）。",
    # formulas and notes
    "sampling_grid.f.both": "行和列",
    "sampling_grid.f.rows": "行",
    "sampling_grid.f.cols": "列",
    "sampling_grid.note.between": "{where}步幅 **{s}** 大于卷积核的跨度 **{k_eff}**：两个窗口之间的像素被跳过（共 {count} 个）。",
    "sampling_grid.note.gap_factor": (
        "{where}{count} 个像素落在采样点之间的空洞里，而步幅 {s} 与膨胀率 {d} 有公因子 **{g}**，"
        "所有采样点落在同一相位上：只有每第 {nth} 个像素能被读取。"
    ),
    "sampling_grid.note.gap": "{where}{count} 个像素落在采样点之间的空洞里，其他窗口的采样点也不落在它们上面。",
    "sampling_grid.note.edge_leftover": "{where}边缘的 {count} 个像素从未被读取：最后 {left} 个填充后位置不够再走一个步幅。",
    "sampling_grid.note.edge": "{where}边缘的 {count} 个像素从未被读取。",
    "sampling_grid.taps_1d": "输出 **{i}** 读取输入 {inputs}。",
    "sampling_grid.taps_2d": "输出 **({r}, {c})** 读取行 {rows} × 列 {cols}。",
    # values of the picked cell
    "sampling_grid.v.title": "输出 {pos} 的数值：逐个采样点",
    "sampling_grid.v.example_1d": (
        "示例数值（每个屏幕上都一样）：输入像素 i 的值为 (i mod 9) + 1（1, 2, …, 9, 1, …）；"
        "权重 m 为 (m mod 4) + 1（1, 2, 3, 4, 1, …）。填充单元的值为 0（zeros）或某个像素的副本。"
    ),
    "sampling_grid.v.example_2d": (
        "示例数值（每个屏幕上都一样）：输入像素 (r, c) 的值为 (3·r + c) mod 9 + 1（1 到 9 的整数）；"
        "权重 (m_r, m_c) 按行编号 m = m_r·k + m_c，值为 (m mod 4) + 1（1, 2, 3, 4, 1, …）。"
        "填充单元的值为 0（zeros）或某个像素的副本。"
    ),
    "sampling_grid.v.col_m_1d": "采样点 m",
    "sampling_grid.v.col_m_2d": "采样点 (m_r, m_c)",
    "sampling_grid.v.col_reads": "读取的输入",
    "sampling_grid.v.col_value": "输入值",
    "sampling_grid.v.col_weight": "权重",
    "sampling_grid.v.col_product": "输入 × 权重",
    "sampling_grid.v.pixel": "{pos}",
    "sampling_grid.v.zero": "填充 {pos}：0",
    "sampling_grid.v.copy": "填充 {pos}：复制 {src}（{mode}）",
    "sampling_grid.v.sum": "{n} 个乘积之和：{terms} = **{total}**，即输出 {pos} 的值。",
    "sampling_grid.v.torch": "PyTorch 在该处算得 **{output}**：`{call}`",
    "sampling_grid.v.mismatch": "表格之和（{total}）与 PyTorch 的输出（{output}）不同：这是一个错误，请报告。",
    "sampling_grid.v.failed": "PyTorch 无法计算这些数值：{error}",
    # the reverse view: who reads an input pixel
    "sampling_grid.in_index": "输入像素",
    "sampling_grid.in_row": "输入行",
    "sampling_grid.in_col": "输入列",
    "sampling_grid.in_r_help": "要查看其读取者的输入像素所在的行。",
    "sampling_grid.in_c_help": "要查看其读取者的输入像素所在的列（1D：索引）。",
    "sampling_grid.r.lg_picked": "所选的输入像素",
    "sampling_grid.r.lg_out": "读取它的输出（数字 = 采样点 m，2D 中按行编号）",
    "sampling_grid.r.lg_copy": "经由其读取该像素的填充单元（它的副本）",
    "sampling_grid.r.hole": (
        "没有输出读取输入像素 **{pixel}**：它落在采样点之间的空洞里、被步幅跳过，或位于最后一个窗口之后"
        "（原因见下文）。改变它不会改变任何输出。"
    ),
    "sampling_grid.r.summary": (
        "输入像素 **{pixel}** 被 **{outputs} 个输出** 读取，共读取 {reads} 次（一个输出可能经由多个采样点读取它，"
        "例如经由填充副本）："
    ),
    "sampling_grid.r.summary_one": "输入像素 **{pixel}** 被 **{outputs} 个输出** 读取，共读取 {reads} 次：",
    "sampling_grid.r.col_output": "输出",
    "sampling_grid.r.col_at": "读取位置",
    "sampling_grid.r.via": "填充 {pos}（副本）",
    "sampling_grid.rfig.input": "输入",
    "sampling_grid.rfig.output": "输出",
    "sampling_grid.rfig.hover_in_1d": "输入 %{x}<extra></extra>",
    "sampling_grid.rfig.hover_in_2d": "输入（行 %{y}，列 %{x}）<extra></extra>",
    "sampling_grid.rfig.hover_out_1d": "输出 %{x}<br>采样点：%{text}<extra></extra>",
    "sampling_grid.rfig.hover_out_2d": "输出（行 %{y}，列 %{x}）<br>采样点：%{text}<extra></extra>",
    # legend
    "sampling_grid.lg.pixel": "输入像素",
    "sampling_grid.lg.tap_1d": "采样点（数字 = 卷积核位置 m）",
    "sampling_grid.lg.tap_2d": "采样点（数字 = 卷积核位置 m，按行排列）",
    "sampling_grid.lg.pad_zero": "填充（值为 0）",
    "sampling_grid.lg.pad_copy": "填充（{mode}：复制一个像素）",
    "sampling_grid.lg.tap_pad": "读取填充的采样点",
    "sampling_grid.lg.tap_pad_copy": "读取填充的采样点 · 虚线：它复制的像素",
    "sampling_grid.lg.unread": "没有输出读取的像素",
    "sampling_grid.lg.done": "已计算的输出",
    "sampling_grid.lg.current": "正在计算的输出",
    "sampling_grid.lg.picked": "所选的输出",
    "sampling_grid.lg.span": "卷积核的跨度（k_eff）",
    # captions
    "sampling_grid.drawing": "正在绘制网格…",
    "sampling_grid.compare_nothing": "已开启对比，但膨胀率已经是 1：调高膨胀率才能看到差别。",
    "sampling_grid.nearest": "膨胀层的输出更少；它的面板显示最近的一个。",
    "sampling_grid.too_many": "{total} 个输出位置太多，不便动画：动画均匀选取其中 {shown} 个。用 *选一个单元* 可查看任意一个。",
    "sampling_grid.play_caption": (
        "按 **播放**，或拖动图下方的滑块：每一步是一个输出。虚线框是卷积核的跨度；只有带数字的单元被读取，"
        "它们之间的单元是膨胀留下的空洞。把鼠标悬停在单元上可查看详情。"
    ),
    "sampling_grid.play_caption_compare": (
        "一个 **播放** 同时驱动两个面板，两者显示同一个输出位置，所以两个窗口从输入的同一处开始。d = 1 有 {n1} 个输出，"
        "当前膨胀率有 {n} 个：在更宽的跨度放不下的位置，膨胀面板没有输出，也不画窗口（已算过的输出保持完成状态）。"
    ),
    "sampling_grid.step_prev": "上一步",
    "sampling_grid.step_next": "下一步",
    "sampling_grid.step_prev_help": "后退一个输出（或按 ←）",
    "sampling_grid.step_next_help": "前进一个输出（或按 →）",
    "sampling_grid.step_keys": "或用 ← → 键：每步一个输出",
    "sampling_grid.gif": "下载 GIF",
    "sampling_grid.gif_help": "把当前设置的动画保存为 GIF 动图，用于幻灯片：每个输出位置一帧，采样点编号与图中相同。",
    "sampling_grid.slide": "幻灯片尺寸",
    "sampling_grid.slide_help": "按幻灯片尺寸导出（宽至少 1280 像素，单元更大），图上写有标题、设置（k、d、s、p、填充方式）和图例。",
    "sampling_grid.slide.title": "采样网格：{title}",
    "sampling_grid.slide.settings": "n = {n}, k = {k}, d = {d}, s = {s}, p = {p}, 填充方式 = {mode}",
    "sampling_grid.png": "下载 PNG",
    "sampling_grid.png_help": "把当前视图保存为 PNG 图片（所选输出，采样点带编号），用于幻灯片。",
    "sampling_grid.gif_caption_all": "GIF 共 {frames} 帧，每个输出位置一帧。",
    "sampling_grid.gif_caption_all_one": "GIF 共 {frames} 帧：只有一个输出位置。",
    "sampling_grid.gif_caption_some": "GIF 共 {frames} 帧：{total} 个输出位置按与动画相同的方式限制（均匀选取，含首尾）。",
    "sampling_grid.gif_caption_compare": "GIF 共 {frames} 帧，包含两个面板，在输入上同步移动：{layout}。",
    "sampling_grid.gif_caption_compare_one": "GIF 共 {frames} 帧，包含两个面板：{layout}。",
    "sampling_grid.gif_caption_both": "GIF 包含两个面板并同步移动：{layout}。",
    "sampling_grid.gif_layout.1D": "d = 1（{n1} 个输出）在上，当前膨胀率（{n} 个输出）在下",
    "sampling_grid.gif_layout.2D": "d = 1（{n1} 个输出）在左，当前膨胀率（{n} 个输出）在右",
    # explanation
    "sampling_grid.explain": "讲解：膨胀、填充与公式",
    "sampling_grid.explain_text": (
        "**权重不变，覆盖更远。** 膨胀卷积（也称空洞卷积）的卷积核仍有 k 个采样点（2D 为 k² 个），"
        "但它们相隔 `d` 个像素。权重的数量不变，只是读取的位置变了：跨度增大到 `d·(k−1)+1`。"
        "这样网络无需更多参数量或乘加次数 (MACs) 就能看得更远。\n\n"
        "**空洞。** 两个采样点之间，这个输出跳过 `d−1` 个像素。步幅为 1 时相邻输出会读取它们，"
        "但堆叠多个膨胀率相同的层会一直漏掉同样的像素（网格效应；见 *感受野* 页面）。"
        "步幅大于跨度时，会完全跳过一些输入像素。"
    ),
    "sampling_grid.ex.k_eff": "有效卷积核大小",
    "sampling_grid.ex.output": "输出大小（PyTorch）",
    "sampling_grid.ex.reads": "输出 i 的采样点 m 读取的位置",
    "sampling_grid.ex.same": "same 填充",
    "sampling_grid.explain_modes": (
        "**填充方式**（输入之外的采样点读取什么）：*zeros* 读 0；*reflect* 镜像且不重复边缘"
        "（…x₂ x₁ | x₀ x₁ x₂…）；*replicate* 重复边缘像素；*circular* 回绕到另一端。"
        "reflect 的填充必须小于输入大小，circular 最多等于输入大小。\n\n"
        "PyTorch 的 `nn.Conv2d(padding='same')` 只接受步幅 1；步幅更大时本页仍共填充 `d·(k−1)`，"
        "得到 ⌈n/s⌉ 个输出。"
    ),
    "sampling_grid.current_mode": "当前方式：{mode}。把鼠标悬停在填充单元上可查看它复制的是哪个像素。",
    # figure labels (plotly hover templates keep their %{...} fields)
    "sampling_grid.fig.input": "输入",
    "sampling_grid.fig.output": "输出",
    "sampling_grid.fig.input_row": "输入",
    "sampling_grid.fig.output_row": "输出",
    "sampling_grid.fig.col": "列",
    "sampling_grid.fig.play": "▶ 播放",
    "sampling_grid.fig.pause": "❚❚ 暂停",
    "sampling_grid.fig.slider": "输出 ",
    "sampling_grid.fig.hover_pixel_1d": "输入 x%{x}<extra></extra>",
    "sampling_grid.fig.hover_pixel_2d": "输入像素（行 %{y}，列 %{x}）<extra></extra>",
    "sampling_grid.fig.hover_zero_1d": "位置 %{x} 的填充：读 0<extra></extra>",
    "sampling_grid.fig.hover_zero_2d": "填充（行 %{y}，列 %{x}）：读 0<extra></extra>",
    "sampling_grid.fig.hover_copy_1d": "位置 %{x} 的填充：复制 x%{customdata[0]}<extra></extra>",
    "sampling_grid.fig.hover_copy_2d": "填充（行 %{y}，列 %{x}）：复制像素 (%{customdata[0]}, %{customdata[1]})<extra></extra>",
    "sampling_grid.fig.hover_tap_1d": "采样点 %{text} 读取 %{x}<extra></extra>",
    "sampling_grid.fig.hover_tap_2d": "采样点 %{text} 读取（行 %{y}，列 %{x}）<extra></extra>",
    "sampling_grid.fig.hover_out_1d": (
        "输出 %{customdata[0]}<br>读取输入 %{customdata[1]} 到 %{customdata[2]}，间隔 {d}"
        "<br>%{customdata[3]} 个采样点落在填充中<extra></extra>"
    ),
    "sampling_grid.fig.hover_out_2d_short": "输出（行 %{y}，列 %{x}）<extra></extra>",
    "sampling_grid.fig.hover_out_2d": (
        "输出（行 %{y}，列 %{x}）<br>读取行 %{customdata[0]} 到 %{customdata[1]}，间隔 {dr}"
        "<br>以及列 %{customdata[2]} 到 %{customdata[3]}，间隔 {dc}"
        "<br>%{customdata[4]} 个采样点落在填充中<extra></extra>"
    ),
}
