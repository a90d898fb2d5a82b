"""页面标题与一句话简介。"""

STRINGS: dict[str, str] = {
    "nav.home.title": "首页",
    "nav.home.summary": "这个实验室是什么。",
    "nav.sampling_grid.title": "采样网格",
    "nav.sampling_grid.summary": "看膨胀卷积核在输入上滑动：每个采样点读取哪里，包括填充。",
    "nav.depthwise_separable.title": "深度可分离",
    "nav.depthwise_separable.summary": "逐通道展示可分离层的两个阶段，并与标准卷积层对比。",
    "nav.receptive_field.title": "感受野",
    "nav.receptive_field.summary": "堆叠多层，看感受野如何增长、出现空洞（网格效应），以及梯度真正看到的范围。",
    "nav.cost.title": "开销",
    "nav.cost.summary": "按公式与按实际模块计数的参数量和 FLOPs，以及在你的设备上实测的延迟。",
    "nav.image_lab.title": "图像实验室",
    "nav.image_lab.summary": "在你自己的图像上运行真实卷积，并排比较不同膨胀率。",
    "nav.training_lab.title": "训练实验室",
    "nav.training_lab.summary": "实时观看 DS-DCN 与对手一起学习，理解为什么感受野决定了能学到什么。",
    "nav.network.title": "网络",
    "nav.network.summary": "逐层查看整个网络：它的感受野，以及参数量和 MACs 花在哪里。",
    "common.device": "设备：**{device}** · PyTorch {torch}",
}
