"""开销页：比较精确卷积算法的一节。"""

STRINGS: dict[str, str] = {
    "cost.algo.title": "同样的运算，不同的算法：在这里哪个最快？",
    "cost.algo.intro": (
        "上面那一层的深度卷积 {k}×{k} 阶段（{c_in}→{c_out} 通道，步幅 {s}），用 `dsdcn.engine` 的每一种精确"
        "算法计算，膨胀率 d = 1 … {max_d}，设备 {device}：通常 NCHW 布局上的 torch 默认调用、同一调用在 "
        "`channels_last` 布局上、**空间转批**（把输入的 d×d 相位网格折进批维，再运行不膨胀的卷积核，两种布局"
        "各一种）、**unfold**（im2col 加矩阵乘法）以及 **直接循环**（一个编译好的循环，把平移后的输入行累加进每一行输出；在 CPU 上、装有 numba 时可用）。它们给出相同的结果（至浮点舍入误差）、相同的 FLOPs；"
        "每种算法自选内存布局，所以上面的内存格式设置在这里不适用。"
    ),
    "cost.algo.run": "比较算法",
    "cost.algo.run_help": "按上面的设置，在 {n} 个膨胀率上为每种算法计时。",
    "cost.algo.press": "按 **比较算法**，在 {device} 上于 {n} 个膨胀率处为它们计时。",
    "cost.algo.timing": "正在为算法计时",
    "cost.algo.item": "d = {d}",
    "cost.algo.refused": "d = {d} 未测量：{reason}",
    "cost.algo.winners": "**在这里最快：** {runs}。",
    "cost.algo.run_item": "d = {span} 时为 {name}",
    "cost.algo.best_gain": " 相对 torch 默认调用的最大提升是 d = {d} 处的 {x:.1f} 倍（{default} → {best}）。",
    "cost.algo.no_gain": " 在测量的每个 d 上，torch 的默认调用都是最快的（在噪声范围内）。",
    "cost.algo.why": (
        "**为什么 FLOPs 相同而时间不同：** 深度卷积每个字节只做几次浮点运算，所以遍历内存的方式决定了速度。"
        "快速的向量化内核只为部分布局和膨胀率而写（在 CPU 上，oneDNN 的 NCHW 快速路径从 d = 7 起失效；"
        "`channels_last` 的快速路径在别的膨胀率处结束，而且与通道数有关）；相隔 d 个像素的采样点落在另一条"
        "缓存行上；空间转批用两次重排拷贝，把膨胀卷积换成不膨胀的卷积；直接循环无论 d 多大都从缓存读取每一行输入，"
        "所以它的时间基本不变，约等于写出输出的开销。哪种算法胜出取决于设备、通道数和 d，"
        '所以图像实验室、训练实验室和 `DSDilatedConv2d(algorithm="auto")` 会在每种形状第一次调用时为候选'
        "算法计时并保留最快的一种，就像 cuDNN 的 benchmark 模式。"
    ),
    "cost.algo.name.nchw": "torch 默认（NCHW）",
    "cost.algo.name.channels_last": "channels_last",
    "cost.algo.name.space_to_batch": "空间转批（NCHW）",
    "cost.algo.name.space_to_batch_cl": "空间转批（channels_last）",
    "cost.algo.name.unfold": "unfold + 矩阵乘法",
    "cost.algo.name.direct": "直接循环（numba）",
    "cost.algo.fig.dilation_axis": "膨胀率 d",
    "cost.algo.fig.ms_axis": "每次前向传播的毫秒数（中位数，对数刻度）",
    "cost.algo.fig.winner": "此 d 处最快",
}
