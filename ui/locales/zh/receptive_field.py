"""感受野页面。"""

STRINGS: dict[str, str] = {
    "receptive_field.title": "感受野",
    "receptive_field.intro": (
        "卷积堆叠的每个输出都读取输入中的一个窗口：它的**感受野**。感受野的*范围*随每一层增长——"
        "借助膨胀卷积（也称空洞卷积），增长得很快，而且不增加权重。但范围内的像素并非都被读到："
        "有了膨胀，感受野可能裂出**空洞**（网格效应）；即使没有空洞，**有效**感受野——每个像素对输出"
        "影响的强弱——也集中在中心附近。搭建一个堆叠，或载入一个经典堆叠，三者一并查看。"
    ),
    # lesson presets
    "receptive_field.lesson.gridding": "网格效应",
    "receptive_field.lesson.gridding.idea": "三层膨胀率都是 2 (2, 2, 2)：膨胀率相同只能隔一个像素读一个，感受野中每 4 个像素有 3 个是空洞。",
    "receptive_field.lesson.hdc": "HDC 修复",
    "receptive_field.lesson.hdc.idea": "膨胀率 1, 2, 5 没有公因数：它们填满所有空洞，感受野仍增长到 17。",
    "receptive_field.lesson.wavenet": "WaveNet",
    "receptive_field.lesson.wavenet.idea": "卷积核大小 2、膨胀率逐层翻倍：10 个因果层看到过去 1,024 个采样，没有空洞。",
    "receptive_field.lesson.context": "上下文",
    "receptive_field.lesson.context.idea": "上下文模块 (1, 1, 2, 4, 8, 16, 1)：指数增长的膨胀率在 7 层内把感受野扩展到 67，但梯度仍集中在中心附近。",
    "receptive_field.lesson.aspp": "ASPP",
    "receptive_field.lesson.aspp.idea": "ASPP（输出步幅 16 之后的膨胀率 6, 12, 18）：最宽分支的采样点相距 288 个像素，在它们之间留下空洞。",
    # classic stacks
    "receptive_field.stack.plain": "普通 3×3 ×4",
    "receptive_field.stack.plain.text": "四个不膨胀的 3×3 卷积：范围每层增加 2，没有空洞。",
    "receptive_field.stack.gridding": "网格效应 2, 2, 2",
    "receptive_field.stack.gridding.text": "三个膨胀率为 2 的 3×3 卷积：只有偶数偏移能到达输出。",
    "receptive_field.stack.hdc": "HDC 1, 2, 5",
    "receptive_field.stack.hdc.text": "混合膨胀卷积 HDC（Wang 等，2018）：所选膨胀率不留空洞。",
    "receptive_field.stack.sawtooth": "锯齿 (1, 2, 5)×2",
    "receptive_field.stack.sawtooth.text": "重复 HDC 组，如同更深的网络。",
    "receptive_field.stack.context": "上下文模块",
    "receptive_field.stack.context.text": "Yu 与 Koltun（2016）：膨胀率为 1, 1, 2, 4, 8, 16, 1 的 3×3 卷积。",
    "receptive_field.stack.wavenet": "WaveNet 一维",
    "receptive_field.stack.wavenet.text": (
        "卷积核大小为 2 的因果一维卷积，膨胀率 1, 2, 4, …, 512（van den Oord 等，2016）。"
    ),
    "receptive_field.stack.aspp": "ASPP 6, 12, 18",
    "receptive_field.stack.aspp.text": (
        "类似 ResNet 的主干，输出步幅 16，之后是膨胀率 6, 12, 18 的并行 3×3 分支（DeepLab v3）。"
    ),
    "receptive_field.stack.vgg": "VGG-16",
    "receptive_field.stack.vgg.text": "3×3 卷积加 2×2 最大池化（步幅 2），直到 conv5_3（Simonyan 与 Zisserman，2015）。",
    # 1 · the stack
    "receptive_field.stack.header": "1 · 层的堆叠",
    "receptive_field.stack.caption": "点一下载入一个经典堆叠；然后可以编辑任意单元格、在底部添加行或删除行。",
    "receptive_field.mode": "模式",
    "receptive_field.mode.2D": "二维",
    "receptive_field.mode.1D": "一维",
    "receptive_field.mode_help": "二维：图像上的方形卷积核（二维感受野是一维的外积）。一维：序列模型。",
    "receptive_field.causal": "因果填充",
    "receptive_field.causal_help": (
        "仅一维：每层在左侧填充 d·(k−1)，于是输出 t 只看到 t 及之前的输入（此时不使用填充列）。"
    ),
    "receptive_field.branches": "堆叠之后的并行分支（ASPP 膨胀率）",
    "receptive_field.branches_placeholder": "例如 6, 12, 18",
    "receptive_field.branches_help": (
        "在最后一层之后读取的并行 3×3 分支的膨胀率，如 ASPP（DeepLab）。普通堆叠请留空。"
    ),
    "receptive_field.branches_ignored": "分支膨胀率未采用：请输入 1 到 4096 的整数，最多 8 个，用逗号分隔。",
    "receptive_field.col.kind": "类型",
    "receptive_field.col.kind_help": "conv（卷积）或 pool（平均/最大池化）",
    "receptive_field.col.kernel": "卷积核",
    "receptive_field.col.kernel_help": "卷积核大小 k",
    "receptive_field.col.stride": "步幅",
    "receptive_field.col.stride_help": "步幅 s",
    "receptive_field.col.dilation": "膨胀率",
    "receptive_field.col.dilation_help": "膨胀率 d（池化也可以）",
    "receptive_field.col.padding": "填充",
    "receptive_field.col.padding_help": "每侧填充 p：它移动感受野的位置，不改变形状",
    "receptive_field.row_left_out": "第 {row} 行（从上往下数）未计入，其余行照常计算：{message}。",
    "receptive_field.csv": "下载 CSV",
    "receptive_field.csv_help": "层表格，附每层之后的范围、有效步幅和有效填充，可用于幻灯片或电子表格。",
    "receptive_field.link_help": (
        "链接用一段短代码保存表格，每层一个记号：c3d2（卷积核 3，膨胀率 2）、c3s2（步幅 2）、"
        "p2s2（池化 2，步幅 2），z 表示非 'same' 的填充。"
    ),
    "receptive_field.empty": "堆叠为空：请在表格中添加一行或载入一个预设。",
    "receptive_field.too_large": "这个堆叠太大，无法绘制：请减少层数或使用更小的层。",
    "receptive_field.conv": "卷积",
    "receptive_field.pool": "池化",
    # 2 · growth
    "receptive_field.growth.header": "2 · 感受野能延伸多远",
    "receptive_field.growth.text": (
        "每一层把感受野扩宽其有效卷积核大小减一，**以输入像素计**：位于步幅之后的层通过下面各层的"
        "跳距 $j$ 看它的输入。"
    ),
    "receptive_field.growth.figure": "每层的范围与步幅",
    "receptive_field.growth.col.layer": "层",
    "receptive_field.growth.col.k_eff": "k_eff",
    "receptive_field.growth.col.jump_in": "输入跳距 j",
    "receptive_field.growth.col.term": "增加 d(k−1)j",
    "receptive_field.growth.col.extent": "范围 r",
    "receptive_field.growth.col.stride": "有效步幅 j",
    "receptive_field.growth.col.padding": "有效填充 P",
    "receptive_field.growth.col.holes": "空洞（一维）",
    "receptive_field.growth.caption": r"$k_\mathrm{eff} = d\,(k-1)+1$；有效填充 $P = \sum_l p_l\, j_{l-1}$ 表示感受野的起点（偏移 $-P$）。",
    # 3 · coverage
    "receptive_field.coverage.header": "3 · 哪些输入像素能到达同一个输出",
    "receptive_field.coverage.text": (
        "数一数每个输入像素经过堆叠到达某个输出的**路径**数：没有路径的像素就是**空洞**——它位于范围之内，"
        "却从不影响输出（网格效应）。这些计数是精确整数（各层采样点梳状序列的卷积）。"
    ),
    "receptive_field.coverage.cells_2d": "（每格为 {block}×{block} 个输入像素）",
    "receptive_field.coverage.cells_1d": "（每格为 {block} 个输入像素）",
    "receptive_field.coverage.figure_2d": "每个输入像素到一个输出的路径数{cells}",
    "receptive_field.coverage.figure_1d": "每个输入偏移的路径数，逐层显示{cells}",
    "receptive_field.coverage.caption": (
        "颜色：路径数（对数刻度）；红色：空洞；灰色：感受野之外。按 ▶ 观看感受野逐层增长，或拖动滑块。"
    ),
    "receptive_field.coverage.caption_cells": "只有当一格内所有像素都是空洞时才画成红色；下面的计数是精确的。",
    "receptive_field.coverage.caption_frames": "{total} 层中有 {shown} 层显示为动画帧。",
    "receptive_field.coverage.area_2d": "{extent}×{extent} = {pixels} 个像素",
    "receptive_field.coverage.area_1d": "{extent} 个偏移",
    "receptive_field.coverage.no_gridding": "**没有网格效应。** 范围内全部 {area} 都能到达输出。",
    "receptive_field.coverage.more_runs": "，另有 {n} 段",
    "receptive_field.coverage.what_2d": (
        "每个轴上 {extent} 个偏移中有 {holes} 个是空洞：二维感受野的 {pixels} 个像素中有 {holes_2d} 个"
        "（{share:.0%}）永远到达不了输出。"
    ),
    "receptive_field.coverage.what_1d": "{extent} 个偏移中有 {holes} 个（{share:.0%}）永远到达不了输出。",
    "receptive_field.coverage.gridding": "**网格效应。** {what}空洞位于偏移 {runs}{more}。",
    # 4 · effective field
    "receptive_field.erf.header": "4 · 梯度看到什么：有效感受野",
    "receptive_field.erf.text": (
        "Luo 等（2016）：运行堆叠，取**一个输出**并反向传播到输入。梯度的大小表示每个输入像素对该输出的"
        "影响有多大。它并不均匀：对于由普通 3×3 层组成的深层堆叠，它接近高斯分布，只占范围的一小部分"
        "（其宽度按 √n 增长，范围按 n 增长）。膨胀会把它摊开；空洞得不到任何梯度。权重均匀且没有 ReLU 时，"
        "梯度*就是*路径数；随机权重和 ReLU 会改变它。"
    ),
    "receptive_field.erf.weights": "权重",
    "receptive_field.erf.weights.uniform": "均匀（全部相等）",
    "receptive_field.erf.weights.random": "随机（PyTorch 默认初始化）",
    "receptive_field.erf.weights_help": (
        "均匀：每个权重为 1/C，梯度恰好等于路径数。随机：U(−b, b)，b = 1/√(C·k²)，由带种子的生成器产生。"
    ),
    "receptive_field.erf.relu": "ReLU",
    "receptive_field.erf.relu_help": "除最后一层外每个卷积之后接 ReLU；此时梯度取决于输入。",
    "receptive_field.erf.channels": "通道",
    "receptive_field.erf.channels_help": "每层的通道数 C。",
    "receptive_field.erf.samples": "平均的网络数",
    "receptive_field.erf.samples_help": (
        "梯度在这么多个独立网络上取平均，每个网络有自己的随机权重和随机正态输入（没有随机成分时只用一个网络）。"
    ),
    "receptive_field.erf.seed": "种子",
    "receptive_field.erf.seed_help": "权重和输入的随机种子。",
    "receptive_field.erf.too_large_2d": (
        "范围是 {extent}×{extent} 个像素：在这台设备上做交互式二维反向传播太大了（最多 {limit}×{limit}、"
        "{budget} 次乘加）。有效感受野改为按堆叠的一维版本（单个轴）计算。"
    ),
    "receptive_field.erf.too_costly": (
        "反向传播需要 {cost} 次乘加，超过这台设备上交互式响应的上限 {budget}：请减少通道数或网络数，"
        "或使用更小的堆叠。上面的精确覆盖不受影响。"
    ),
    "receptive_field.erf.spinner": "正在 {device} 上反向传播…",
    "receptive_field.erf.pixels": "像素",
    "receptive_field.erf.offsets": "偏移",
    "receptive_field.erf.extent": "范围",
    "receptive_field.erf.extent_help": "感受野的范围 r（每个轴的像素数）。",
    "receptive_field.erf.mass_gradient": "{mass:.0%} 的 |梯度| 位于",
    "receptive_field.erf.mass_gradient_help": "容纳 95% 梯度总量的最小输入{area}集合（从最大的梯度开始取）所占的比例。",
    "receptive_field.erf.mass_paths": "{mass:.0%} 的路径位于",
    "receptive_field.erf.mass_paths_help": "对精确路径数做同样的计算（即均匀权重、无 ReLU 时的结果），为{area}的比例。",
    "receptive_field.erf.cover_map": "精确覆盖（路径数）",
    "receptive_field.erf.erf_map": "有效感受野 |∂y/∂x|",
    "receptive_field.erf.maps_caption": (
        "左：精确路径数（对数着色，红色为空洞）。右：梯度大小，线性刻度（占最大值的比例，白色 = 0）；"
        "橙色线圈出容纳 95% 梯度的像素。"
    ),
    "receptive_field.erf.mirror_2d": (
        " 梯度图是它 8 个镜像（翻转与转置）的平均：这些方形卷积核的期望有效感受野具有这些对称性，"
        "所以平均保留其形状，而把随机抽样的噪声平均掉，效果相当于多用 8 倍的网络。"
    ),
    "receptive_field.erf.mirror_1d": (
        " 梯度是剖面与其镜像的平均：期望有效感受野是对称的，所以这样能平均掉随机抽样的噪声，效果相当于网络数加倍。"
    ),
    "receptive_field.erf.maps_cells": "每格为 {block}×{block} 个输入像素。",
    "receptive_field.erf.profile": "沿感受野的路径数与梯度（各自按最大值缩放）",
    "receptive_field.erf.profile_caption": (
        "紫色：精确路径数；绿色：梯度大小；红叉：空洞；阴影：合计容纳 95% 梯度的偏移。"
    ),
    "receptive_field.erf.one_network": "1 个网络",
    "receptive_field.erf.networks": "{n} 个网络的平均",
    "receptive_field.erf.run_caption": (
        "{layers} 层 × {channels} 个通道在 {size} 的输入上反向传播（{networks}），设备 **{device}**："
        "{ms:.0f} ms。池化层按平均池化计算（最大池化的梯度在每个窗口只选一个像素，且取决于输入）。"
    ),
    # 5 · HDC
    "receptive_field.hdc.header": "5 · HDC 规则与精确覆盖对比",
    "receptive_field.hdc.text": (
        "Wang 等（2018）给出一条为 $K×K$ 层选择膨胀率 $r_1, …, r_n$ 而不留空洞的规则：$M_i$ 是被读到的"
        "像素之间的最大间隔，从最顶层往下计算；目标是 $M_2 \\le K$。该规则假设 $r_1 = 1$，并且是针对 "
        "3×3 卷积核推导的。"
    ),
    "receptive_field.hdc.no_holes": "没有空洞",
    "receptive_field.hdc.holes": "每个轴 {n} 个空洞",
    "receptive_field.hdc.scope": (
        "HDC 规则只适用于卷积核大小相同、步幅为 1 的堆叠；这个堆叠超出其适用范围（{scope}）。"
        "以上面的精确覆盖为准：{truth}。"
    ),
    "receptive_field.hdc.two_layers": "该规则至少需要两层。",
    "receptive_field.hdc.passes": "通过",
    "receptive_field.hdc.fails": "不通过",
    "receptive_field.hdc.agree": "规则与精确覆盖一致：{truth}。",
    "receptive_field.hdc.why_r1": "规则假设 r₁ = 1，这里 r₁ = {r1}",
    "receptive_field.hdc.why_factor": "所有膨胀率都有公因数 {factor}，因此只能读到它的倍数",
    "receptive_field.hdc.why_kernel": "规则是针对 3×3 卷积核推导的，这里 K = {k}",
    "receptive_field.hdc.disagree_pass": (
        "**规则与覆盖不一致。** 规则判定通过，但精确覆盖显示{truth}{why}。以覆盖为准。"
    ),
    "receptive_field.hdc.disagree_fail": (
        "**规则与覆盖不一致。** 规则判定不通过，但精确覆盖没有空洞：该规则是充分条件而非必要条件"
        "（它依赖层的顺序，而步幅为 1 的堆叠的覆盖与顺序无关）{why}。以覆盖为准。"
    ),
    "receptive_field.hdc.fail_kernel": "；且它是针对 3×3 卷积核推导的，这里 K = {k}",
    # 6 · branches
    "receptive_field.branch.header": "{n} · 并行分支（ASPP）",
    "receptive_field.branch.text": (
        "在堆叠之后（输出步幅 {jump}），膨胀率为 {rates} 的并行 3×3 分支读取同一组特征；它们的采样点相距"
        "膨胀率 × {jump} 个输入像素。当这个间隔超过下方堆叠的感受野时，分支就会出现空洞。（DeepLab 还加了"
        "一个 1×1 分支，其感受野就是堆叠的感受野；以及图像级池化，其感受野是整幅图像。）"
    ),
    "receptive_field.branch.error": "未显示分支：分支的感受野太大，无法计算（{error}）。",
    "receptive_field.branch.col.branch": "分支",
    "receptive_field.branch.col.gap": "采样点间隔（像素）",
    "receptive_field.branch.col.extent": "范围",
    "receptive_field.branch.col.holes": "每轴空洞",
    "receptive_field.branch.col.holes_2d": "二维空洞",
    "receptive_field.branch.rate": "膨胀率 {rate}",
    "receptive_field.branch.all": "全部分支",
    "receptive_field.branch.figure": "每个分支的感受野，以及所有分支合在一起的感受野（共用一个网格）",
    "receptive_field.branch.cells": "每格为 {block}×{block} 个输入像素；红格全是空洞。",
    "receptive_field.branch.caption": (
        "合在一起时，只要某个分支同时读到一个像素的行和列，该像素就算被覆盖；因此即使每个轴上的每个偏移"
        "都能读到，并集在二维中仍可能有空洞（在角落和边缘）。"
    ),
    # 7 · suggestion
    "receptive_field.sug.header": "{n} · 推荐一个膨胀率序列",
    "receptive_field.sug.text": (
        "对于 $n$ 个卷积核为 $K$、步幅为 1、膨胀率不超过 $d_{\\max}$ 的层：找出**没有空洞**且"
        "**范围最大**的膨胀率序列，用分支定界搜索并以精确覆盖验证。"
    ),
    "receptive_field.sug.layers": "层数 n",
    "receptive_field.sug.layers_help": "层的数量。",
    "receptive_field.sug.kernel": "卷积核 K",
    "receptive_field.sug.kernel_help": "每层的卷积核大小。",
    "receptive_field.sug.dmax": "最大膨胀率",
    "receptive_field.sug.dmax_help": "膨胀率不超过这个值。",
    "receptive_field.sug.error": "这些设置下没有推荐（{error}）。",
    "receptive_field.sug.rule": " HDC 规则：M₂ = {m2}（{verdict}）。",
    "receptive_field.sug.result": "**膨胀率 {dilations}** — 范围 {extent}，没有空洞（检查了 {visited} 个前缀）。{rule}",
    "receptive_field.sug.caption": "步幅为 1 的堆叠的覆盖与层的顺序无关，所以膨胀率序列按升序列出。",
    "receptive_field.sug.apply": "采用这个膨胀率序列",
    "receptive_field.sug.apply_help": "用这个膨胀率序列替换上面的堆叠。",
    # figures
    "receptive_field.fig.hole": "空洞",
    "receptive_field.fig.paths": "路径数",
    "receptive_field.fig.hover_2d": "偏移 x %{x}，y %{y}<br>log₁₀ 路径数 %{z:.2f}（小于 0：空洞）<extra></extra>",
    "receptive_field.fig.hover_1d": "偏移 %{x}<br>%{y}<br>log₁₀ 路径数 %{z:.2f}（小于 0：空洞）<extra></extra>",
    "receptive_field.fig.play": "▶ 播放",
    "receptive_field.fig.pause": "❚❚ 暂停",
    "receptive_field.fig.after_layer": "经过层 ",
    "receptive_field.fig.offset_x_px": "输入偏移 x（像素）",
    "receptive_field.fig.offset_y_px": "输入偏移 y（像素）",
    "receptive_field.fig.offset_x": "输入偏移 x",
    "receptive_field.fig.offset_y": "输入偏移 y",
    "receptive_field.fig.offset_1d": "输入偏移（像素，相对于输出）",
    "receptive_field.fig.gradient": "|梯度|",
    "receptive_field.fig.hover_erf": "偏移 x %{x}，y %{y}<br>|梯度| 为最大值的 %{z:.3f}<extra></extra>",
    "receptive_field.fig.mass": "95% 的梯度",
    "receptive_field.fig.path_count": "路径数（精确）",
    "receptive_field.fig.erf_line": "|梯度|（有效感受野）",
    "receptive_field.fig.share": "占最大值的比例",
    "receptive_field.fig.extent": "范围 r（像素）",
    "receptive_field.fig.stride": "有效步幅 j",
    "receptive_field.erf.too_wide": (
        "**未计算有效感受野：** 这个堆叠的感受野宽 {extent} 像素，而梯度只对每个轴最多 {limit} 像素的"
        "{ndim}D 感受野计算。请使用更少的带步幅的层、更小的步幅或更小的膨胀率；上面的范围和覆盖在任何大小下都是精确的。"
    ),
    "receptive_field.erf.too_heavy": (
        "**未计算有效感受野：对共享服务器来说负担太重。** 预计需要约 {seconds} 秒和 {memory} 内存；"
        "每个请求最多 {limit_s} 秒、{limit_mem}。请减少通道数或网络数，或使用更小的堆叠。"
    ),
}
