"""图像实验室。"""

STRINGS: dict[str, str] = {
    "image_lab.title": "图像实验室",
    "image_lab.intro": (
        "把一组经典滤波器作为**真正的 PyTorch 卷积**作用在真实图像上，观察膨胀率的作用："
        "同样的 3×3 权重，采样点相隔 `d` 个像素，看到更大的邻域，响应更粗的结构，"
        "并跳过采样点之间的内容。每张特征图都在全分辨率（每边最多 2048 px）下计算，只在显示时缩小。"
    ),
    # presets
    "image_lab.preset.coarser": "更粗结构",
    "image_lab.preset.coarser.idea": (
        "同样的 Gabor 条纹滤波器在 d = 1、2、4、8 下作用于波带片：d 每翻一倍，"
        "滤波器响应的条纹就宽一倍，响应位置离中心更远。"
    ),
    "image_lab.preset.gridding": "网格效应",
    "image_lab.preset.gridding.idea": (
        "均值滤波器以 d = 2、2、2 堆叠三层，只会混合同一奇偶位置的像素：在 1:1 下出现细密的格纹。"
        "膨胀率序列 1、2、5 覆盖每个偏移，没有空洞。"
    ),
    "image_lab.preset.colours": "颜色分开",
    "image_lab.preset.colours.idea": (
        "深度卷积（逐通道，groups = C）对红、绿、蓝各自单独滤波：特征图保持彩色；"
        "而普通卷积把各通道相加，得到一张灰度图。"
    ),
    "image_lab.preset.sobel": "Sobel 边缘",
    "image_lab.preset.sobel.idea": (
        "在线稿上用 Sobel x 和 y，小于零为蓝、大于零为红：符号表示边缘在哪一侧；"
        "d 变大后采样点跨过线条两侧，细线变成双重边缘。"
    ),
    # image source
    "image_lab.source": "图像",
    "image_lab.source.sample": "内置示例",
    "image_lab.source.upload": "上传图像",
    "image_lab.source_help": "从内置图像开始，或上传 PNG、JPEG、WebP、BMP、GIF 或 TIFF 文件。",
    "image_lab.upload": "上传图像",
    "image_lab.upload_help": "最大 50 MB。边长超过 2048 px 的图像在计算时缩小到 2048。",
    "image_lab.upload_prompt": (
        "请选择要上传的图像文件，或切换回内置示例。链接会保存本页的所有设置，但无法携带图像本身："
        "打开分享的链接后，请重新上传该文件。"
    ),
    "image_lab.sample": "示例",
    "image_lab.sample_help": "为本实验室制作的图像（见 assets/README.md）：类似照片的场景、线稿、测试图。",
    "image_lab.sample.street_scene.png": "街景（类似照片，彩色）",
    "image_lab.sample.line_drawing.png": "线稿（白底墨线）",
    "image_lab.sample.test_pattern.png": "测试图（波带片、星形、棋盘格）",
    "image_lab.cannot_use": "无法使用 **{name}**：{error}",
    "image_lab.image_caption": "{name} · {w}×{h} px",
    "image_lab.loaded": "加载时：{notes}。",
    "image_lab.note_frames": "{format} 动画共 {frames} 帧：使用第一帧",
    "image_lab.note_cmyk": "CMYK 颜色已转换为 RGB",
    "image_lab.note_bits": "{bits} 位采样已缩放为 8 位",
    "image_lab.note_palette": "调色板颜色已展开为 RGB",
    "image_lab.note_alpha": "透明部分已铺在白色背景上",
    "image_lab.note_exif": "已按 EXIF 方向（{orientation}）转正",
    "image_lab.note_shrunk": "已从 {w0}×{h0} 缩小到 {w}×{h}（长边上限为 {limit} px）",
    # controls
    "image_lab.controls": "层与滤波器",
    "image_lab.group_layer": "层",
    "image_lab.group_bank": "滤波器组",
    "image_lab.group_display": "膨胀率与显示",
    "image_lab.kind": "层的类型",
    "image_lab.kind.standard": "标准卷积",
    "image_lab.kind.dilated": "膨胀卷积",
    "image_lab.kind.depthwise": "深度卷积（逐通道，膨胀）",
    "image_lab.kind.separable": "深度可分离卷积（膨胀）",
    "image_lab.kind_caption.standard": "稠密 k×k，d = 1",
    "image_lab.kind_caption.dilated": "稠密 k×k，采样点相隔 d",
    "image_lab.kind_caption.depthwise": "groups = C：每个通道一张图",
    "image_lab.kind_caption.separable": "深度卷积后接 1×1 逐点卷积",
    "image_lab.kind_help": (
        "滤波器如何成为一个 torch 层。标准卷积：膨胀率为 1 的稠密卷积。膨胀卷积：同样的卷积，"
        "采样点相隔 d 个像素（也称空洞卷积）。深度卷积：每个滤波器分别作用于每个颜色通道（groups = C）。"
        "深度可分离卷积：深度卷积之后，再用 1×1 卷积对各通道取平均。"
    ),
    "image_lab.kernel": "卷积核大小 k",
    "image_lab.kernel_help": "每个滤波器都是 k×k（奇数，使 “same” 填充左右对称）。",
    "image_lab.channels": "输入通道",
    "image_lab.channels.rgb": "RGB（3）",
    "image_lab.channels.grey": "灰度（1）",
    "image_lab.channels_help": "灰度使用亮度 0.299 R + 0.587 G + 0.114 B；此时各种层给出相同的特征图。",
    "image_lab.padding": "填充（“same” 尺寸）",
    "image_lab.padding.zeros": "零填充",
    "image_lab.padding.reflect": "反射（镜像）",
    "image_lab.padding.replicate": "复制（边缘）",
    "image_lab.padding.circular": "循环（环绕）",
    "image_lab.padding_help": (
        "“same” 填充在每侧加 d·(k−1)/2 个像素，使每张特征图保持图像尺寸。"
        "这些像素的内容体现在边缘处；边缘带随 d 变宽。"
    ),
    "image_lab.filters": "滤波器",
    "image_lab.filter.sobel_x": "Sobel x",
    "image_lab.filter.sobel_y": "Sobel y",
    "image_lab.filter.laplacian": "拉普拉斯",
    "image_lab.filter.gaussian": "高斯",
    "image_lab.filter.gabor": "Gabor",
    "image_lab.filter.box": "均值（Box）",
    "image_lab.filter.identity": "恒等",
    "image_lab.filter.random": "随机",
    "image_lab.filter_gabor_n": "Gabor {n}",
    "image_lab.filter_random_n": "随机 {n}",
    "image_lab.filters_help": (
        "每个滤波器产生一张输出特征图（深度卷积时每个颜色通道一张）。Sobel x / y：水平 / 竖直梯度。"
        "拉普拉斯：二阶导数（斑点、线条）。高斯、均值：模糊。Gabor：多个方向的条纹。恒等：原样复制。"
        "随机：与 PyTorch 初始化层相同的均匀分布权重。"
    ),
    "image_lab.gabor_n": "Gabor 方向数",
    "image_lab.gabor_n_help": "Gabor 滤波器的方向为 0°、180°/n、2·180°/n……（仅在选择 Gabor 时使用）。",
    "image_lab.random_n": "随机滤波器个数",
    "image_lab.random_n_help": "随机滤波器的个数（仅在选择“随机”时使用）。",
    "image_lab.seed": "随机种子",
    "image_lab.seed_help": "随机滤波器来自 torch.Generator().manual_seed(seed)：种子相同，滤波器相同。",
    "image_lab.dilations": "要比较的膨胀率",
    "image_lab.dilations_help": "每个选中的膨胀率都会运行整组滤波器一次，特征图并排显示。标准卷积的 d 始终为 1。最多同时选 {max} 个。",
    "image_lab.dilations_capped": "最多同时比较 {max} 个膨胀率：最后一次选择未被加入。",
    "image_lab.norm": "特征图的标度",
    "image_lab.norm.per_map": "每张图单独",
    "image_lab.norm.per_filter": "每个滤波器一个（各膨胀率同一标度）",
    "image_lab.norm.shared": "所有图共用",
    "image_lab.norm_help": (
        "数值如何变成灰度。每张图单独：每张图拉伸到自己的最小…最大值（显示细节，隐藏大小）。"
        "每个滤波器一个：同一滤波器在各膨胀率下用同一标度（公平比较膨胀率）。所有图共用：全部用一个标度。"
    ),
    "image_lab.clip": "裁掉 {pct} % 极值",
    "image_lab.clip_help": (
        "标度取第 {pct} 到第 {top} 百分位，而不是最小…最大值，少数极端像素就不会让整张图发灰。"
        "关闭：精确的最小…最大值。"
    ),
    "image_lab.centre_zero": "零值居中",
    "image_lab.centre_zero_help": (
        "对有正有负的特征图使用对称标度（−a…a）：零为中灰（发散色图中为白色），能看出边缘的符号。"
    ),
    "image_lab.cmap": "色图",
    "image_lab.cmap.grey": "灰度",
    "image_lab.cmap.diverging": "发散（蓝 < 0 < 红）",
    "image_lab.cmap.viridis": "Viridis",
    "image_lab.cmap_help": "单通道特征图的色图。RGB 图像的深度卷积特征图以彩色显示。",
    "image_lab.view": "视图",
    "image_lab.view.whole": "整幅图像（缩小）",
    "image_lab.view.crop": "中心 1:1 裁剪（放大 ×2）",
    "image_lab.view_help": (
        "特征图在全分辨率下计算。整幅图像：按面积平均缩小显示，会掩盖像素级的图案。"
        "裁剪：中心区域 1:1，放大 ×2。"
    ),
    "image_lab.device": "运行设备",
    "image_lab.device.auto": "最佳设备",
    "image_lab.device.cpu": "CPU",
    "image_lab.device_help": "最佳设备：有 CUDA GPU 时用 GPU，否则用 CPU。",
    # checks before the run
    "image_lab.no_filter": "请在滤波器组中至少选择一个滤波器。",
    "image_lab.no_dilation": "请至少选择一个要比较的膨胀率。",
    "image_lab.bank_too_big": "滤波器组太大：请减少滤波器、Gabor 方向数或随机滤波器个数（{error}）。",
    "image_lab.standard_note": "标准卷积的膨胀率为 1。要比较膨胀率，请选择膨胀卷积、深度卷积或深度可分离卷积。",
    "image_lab.refused_reflect": (
        "“{padding}”填充无法在 d = {ds} 时填充这幅 {w}×{h} 的图像：填充量 d·(k−1)/2 必须小于较短的边。"
    ),
    "image_lab.refused_other": (
        "“{padding}”填充无法在 d = {ds} 时填充这幅 {w}×{h} 的图像：填充量 d·(k−1)/2 不能超过较短的边。"
    ),
    "image_lab.refused_left_out": "这些膨胀率已略去。",
    "image_lab.refused_fix": "请选择零填充或复制填充、更小的膨胀率或更小的卷积核。",
    "image_lab.taps_outside": (
        "d = {d} 时 {k}×{k} 卷积核的范围是 {span} px，超出了这幅 {w}×{h} 图像：中心像素处的 {taps} 个"
        "采样点中只有 {inside} 个落在图像内，其余读取“{padding}”填充。“same” 填充仍使特征图保持图像尺寸。"
    ),
    "image_lab.taps_outside_one": (
        "d = {d} 时 {k}×{k} 卷积核的范围是 {span} px，超出了这幅 {w}×{h} 图像：中心像素处的 {taps} 个"
        "采样点中只有 {inside} 个落在图像内，其余读取“{padding}”填充。“same” 填充仍使特征图保持图像尺寸。"
    ),
    # arithmetic
    "image_lab.arithmetic": "本次运行的计算",
    "image_lab.weights": "该层的参数量",
    "image_lab.weights_help": (
        "由权重形状计算：稠密 F·C·k²；深度卷积 C·F·k²；深度可分离 C·F·k² + C·F·F。各膨胀率下相同。"
    ),
    "image_lab.macs": "乘加次数",
    "image_lab.macs_value": "{m} M",
    "image_lab.macs_help": "每个膨胀率的乘加次数（MACs）：参数量 × 输出位置数。膨胀不增加乘加次数，只是把采样点分散开。",
    "image_lab.out_maps": "输出特征图",
    "image_lab.out_maps_help": "每个膨胀率：F，深度卷积为 C·F。",
    # running
    "image_lab.spinner": "正在 {device} 上运行 {f} 个滤波器 × {d} 个膨胀率（{n} 张特征图）…",
    "image_lab.run_failed": "无法运行卷积。请尝试更小的图像、更少的滤波器或更少的膨胀率。（{error}）",
    "image_lab.what_maps": "特征图",
    "image_lab.what_stacks": "堆叠",
    "image_lab.run_fresh": "{what}：于 {when} 在 **{device}** 上计算，用时 {seconds} s。",
    "image_lab.run_cached": "{what}：取自缓存；于 {when} 在 **{device}** 上计算，用时 {seconds} s。",
    "image_lab.cpu_threads": "CPU（{n} 个线程）",
    "image_lab.oom": (
        "{device} 内存不足（{error}）；本次运行已在 CPU 上重做。"
        "请尝试更小的图像或更少的滤波器和膨胀率，以便留在 GPU 上。"
    ),
    "image_lab.conv_times": "仅卷积：{times}（其余时间用于全分辨率下的统计和预览）。",
    "image_lab.run_log": "本会话的运行记录（{n}）",
    "image_lab.log.time": "时间",
    "image_lab.log.what": "内容",
    "image_lab.log.device": "设备",
    "image_lab.log.seconds": "秒",
    # tabs
    "image_lab.tab.maps": "特征图",
    "image_lab.tab.compare": "比较膨胀率",
    "image_lab.tab.stats": "统计",
    "image_lab.tab.stack": "堆叠与网格效应",
    "image_lab.tab.download": "下载",
    # feature maps
    "image_lab.maps_scale.per_map": "每张图拉伸到自己的范围（标在图下）",
    "image_lab.maps_scale.per_filter": "每一行在各膨胀率间共用一个标度（标在左侧），亮度可跨膨胀率比较",
    "image_lab.maps_scale.shared": "所有图共用下面这一个标度",
    "image_lab.maps_caption": "行：滤波器；列：膨胀率。标度：{scale}。",
    "image_lab.maps_colour_depthwise": "RGB 图像的深度卷积特征图以彩色显示：每个通道各自滤波。",
    "image_lab.maps_colour_map": "色图：{cmap}。",
    "image_lab.maps_zero": "有正有负的特征图以零为中点。",
    "image_lab.maps_clipped": "两端各裁掉最极端的 {pct} %。",
    "image_lab.maps_kernels": "卷积核：小于零为蓝，大于零为红。",
    "image_lab.maps_shared_scale": "{lo}  ←  标度  →  {hi}",
    "image_lab.maps_filter": "滤波器",
    "image_lab.maps_column": "**d = {d}** · 范围 {span} px",
    "image_lab.maps_kernel": "卷积核",
    # compare
    "image_lab.compare": "要比较的滤波器",
    "image_lab.compare_help": "一个滤波器在每个膨胀率下：膨胀后的卷积核、它的特征图，以及特征图的变化。",
    "image_lab.compare_caption": (
        "上：k×k 卷积核的 {n} 个权重相隔 d 个像素分布（采样点之间的白色为零）。"
        "中：同一标度下的特征图（{lo} … {hi}）。下：每张图减去 d = {d0} 时的图，"
        "使用发散标度 ±{bound}（蓝：更小，红：更大）。"
    ),
    "image_lab.compare_footprint": "d = {d}：{n}×{n} 的覆盖范围",
    "image_lab.compare_map": "d = {d} 时的特征图",
    "image_lab.compare_reference": "作为差值的参照",
    "image_lab.compare_diff": "d = {d} − d = {d0} · 平均 |Δ| {mean}（全分辨率）",
    # statistics
    "image_lab.stat": "统计量",
    "image_lab.stat.std": "标准差",
    "image_lab.stat.mean_abs": "平均 |值|",
    "image_lab.stat.diff_mean_abs": "平均 |特征图 − 第一个膨胀率的特征图|",
    "image_lab.stat.max": "最大值",
    "image_lab.stat.min": "最小值",
    "image_lab.stat_help": "在全分辨率下对每张特征图的全部像素计算。",
    "image_lab.stats_title": "每张特征图的{stat}",
    "image_lab.stats_caption": (
        "每个滤波器一组，每个膨胀率一根柱。导数滤波器（Sobel、拉普拉斯）在 d 更大时通常响应更强："
        "它们的采样点跨过更大的亮度跳变。"
    ),
    "image_lab.col.filter": "滤波器",
    "image_lab.col.dilation": "膨胀率",
    "image_lab.col.min": "最小值",
    "image_lab.col.max": "最大值",
    "image_lab.col.mean": "平均值",
    "image_lab.col.std": "标准差",
    "image_lab.col.mean_abs": "平均 |值|",
    "image_lab.col.diff_mean_abs": "与第一个膨胀率的平均 |Δ|",
    "image_lab.col.diff_max_abs": "与第一个膨胀率的最大 |Δ|",
    "image_lab.col.percentile": "第 {pct} 百分位",
    "image_lab.fig_dilation": "膨胀率",
    "image_lab.fig_bar_name": "d = {d}",
    "image_lab.fig_weight": "权重",
    "image_lab.fig_offset_x": "输入偏移 dx",
    "image_lab.fig_offset_y": "输入偏移 dy",
    # stack and gridding
    "image_lab.stack_intro": (
        "把**同一个** k×k 滤波器按一个膨胀率序列堆叠 N 层（每个通道各自进行）。"
        "用 `2, 2, 2` 时每一层的每个采样点都落在偶数偏移上，所以一个输出只能看到同一奇偶位置的像素："
        "输入分裂成四幅互不混合的交错子图（**网格效应**）。"
        "混合膨胀卷积（HDC）选用 `1, 2, 5` 这样不留空洞的膨胀率序列。"
    ),
    "image_lab.stack_filter": "每层使用的滤波器",
    "image_lab.stack_filter_help": "平滑滤波器（均值、高斯）最能显示空洞。",
    "image_lab.stack_a": "膨胀率序列 A",
    "image_lab.stack_a_help": "各层的膨胀率，例如 2, 2, 2（1 到 {layers} 层，每层 1 到 {dmax}）。",
    "image_lab.stack_b": "膨胀率序列 B",
    "image_lab.stack_b_help": "用来比较的膨胀率序列，例如 1, 2, 5。",
    "image_lab.bad_schedule": (
        "无法使用{which}：请输入 1 到 {layers} 个膨胀率，每个是 1 到 {dmax} 的整数，用逗号分隔（例如 1, 2, 5）。"
    ),
    "image_lab.stack_cannot_pad": (
        "“{padding}”填充无法在膨胀率 {ds} 时填充这幅 {w}×{h} 的图像（填充量 d·(k−1)/2 必须小于较短的边）。"
        "请选择零填充或复制填充，或更小的膨胀率。"
    ),
    "image_lab.stack_spinner": "正在运行两个堆叠…",
    "image_lab.stack_failed": "无法运行堆叠。（{error}）",
    "image_lab.stack_holes": "每个轴上 {extent} 个偏移中有 {n} 个永远到达不了输出（网格效应）",
    "image_lab.stack_no_holes": "没有空洞：感受野内每个偏移都能到达输出",
    "image_lab.stack_caption": "{name}：d = {ds} · 感受野 {extent}×{extent} · {verdict}",
    "image_lab.stack_diff": "A − B（蓝 < 0 < 红，±{bound}）· 全分辨率下平均 |A − B| 为 {mean}",
    "image_lab.stack_crop": "{name}：中心 {w}×{h} px，1:1，放大 ×2",
    "image_lab.stack_crop_diff": "中心裁剪中的 A − B（±{bound}）",
    "image_lab.stack_scale_note": (
        "A 与 B 共用一个标度。在 1:1 下，只要图像有纹理，网格效应就表现为细密的格纹或摩尔纹"
        "（试试测试图）；缩小整幅图像会把它平均掉。"
    ),
    "image_lab.stack_response": "{name}（{ds}）：每个输入偏移的权重",
    "image_lab.stack_response_caption": (
        "一个输出周围每个输入像素的贡献，通过在单个亮像素上运行堆叠得到。灰色格子是空洞：没有任何采样点路径能到达。"
    ),
    # download
    "image_lab.download_intro": (
        "全部 **{n}** 张全分辨率（{w}×{h}）特征图的 PNG，按上面选择的标度和色图渲染，"
        "附带 `stats.csv` 和记录设置的 `README.txt`。ZIP 在点击时生成：特征图会在全分辨率下重新计算并压缩，"
        "对 2048 px 的图像需要几秒钟（32 张图约 100 MB）。"
    ),
    "image_lab.download_zip": "下载全部特征图（PNG 的 ZIP）",
    "image_lab.download_zip_help": "PNG 文件名为 d{dilation}_{index}_{filter}.png。",
    "image_lab.download_csv": "下载统计数据（CSV）",
    "image_lab.download_csv_help": "每张特征图一行：最小值、最大值、平均值、标准差、平均 |值| 以及与第一个膨胀率的差。",
    "image_lab.too_heavy": (
        "**未运行：对共享服务器来说负担太重。** 这次运行预计需要约 {seconds} 秒和 {memory} 内存；"
        "每个请求最多 {limit_s} 秒、{limit_mem}。{fix}"
    ),
    "image_lab.fix_bank": "请选择更少的滤波器（更少的 Gabor 方向或随机滤波器）、更少的膨胀率、更小的卷积核或更小的图像。",
    "image_lab.fix_stack": "请使用更小的膨胀率、更少的层或更小的卷积核：每个堆叠的响应本身就有 {extent} × {extent} 个偏移。",
    "image_lab.busy": "服务器正忙于其他繁重的请求，请稍后再试。",
    "image_lab.response_cells": "按 {block} × {block} 个偏移为一格绘制（取平均权重）；空白格全是空洞。",
}
