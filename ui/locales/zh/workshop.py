"""中文界面字符串（与 en.py 的键一一对应）。"""

STRINGS: dict[str, str] = {
    "workshop.language": "语言",
    "workshop.language_help": "切换所有标签、帮助文字和说明；会保存在链接中。",
    "workshop.projector": "投影模式",
    "workshop.projector_help": "更大的字体、更粗的线条和更大的图，适合教室投影；会保存在链接中。",
    "workshop.present": "演示模式：隐藏控件",
    "workshop.present_help": "仅在投影模式下：隐藏页面上的滑块、菜单和按钮，保留它们设定的图和数值；会保存在链接中。",
    "workshop.reset": "重置",
    "workshop.reset_help": "将本页所有控件恢复为默认值。",
    "workshop.presets": "课程预设",
    "workshop.some_settings": "部分设置",
    "workshop.link_ignored": "链接中有本页无法使用的值（{names}），已改用默认值。",
    "workshop.copy_link": "复制链接",
    "workshop.copy_link_help": "复制本页地址及屏幕上的全部设置：任何人打开它都会看到相同的视图，无论使用哪种语言。",
    "workshop.copy_link_done": "链接已复制",
    "workshop.copy_link_manual": "请复制此链接：",
    "workshop.busy": "服务器正忙于其他繁重的请求，请稍后再试。",
    "workshop.waiting_cpu": "正在等待 CPU：本服务器上还有 {ahead} 个重任务在你之前运行或排队。轮到你时会自动开始。",
}
