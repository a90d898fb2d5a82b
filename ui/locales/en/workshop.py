"""English UI strings."""

STRINGS: dict[str, str] = {
    "workshop.language": "Language",
    "workshop.language_help": "Switch every label, help text and explanation; kept in the link.",
    "workshop.projector": "Projector view",
    "workshop.projector_help": "Larger fonts, thicker lines and bigger figures for a room; kept in the link.",
    "workshop.present": "Presentation: hide the controls",
    "workshop.present_help": "Only in the projector view: the page's sliders, menus and buttons are hidden, the figures and numbers they set stay; kept in the link.",
    "workshop.reset": "Reset",
    "workshop.reset_help": "Every control on this page back to its default.",
    "workshop.presets": "Lesson presets",
    "workshop.some_settings": "some settings",
    "workshop.link_ignored": "The link had values this page cannot use ({names}); defaults are shown instead.",
    "workshop.copy_link": "Copy link",
    "workshop.copy_link_help": "Copy this page's address with every setting on screen: whoever opens it sees the same view, in any language.",
    "workshop.copy_link_done": "Link copied",
    "workshop.copy_link_manual": "Copy this link:",
    "workshop.busy": "The server is busy with other heavy requests; try again in a moment.",
    "workshop.waiting_cpu": "Waiting for the CPU: {ahead} heavy request(s) on this server run or wait before yours. Yours starts by itself.",
}
