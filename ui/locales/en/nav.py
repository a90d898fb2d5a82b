"""Page titles and one-line summaries."""

STRINGS: dict[str, str] = {
    "nav.home.title": "Home",
    "nav.home.summary": "What this lab is.",
    "nav.sampling_grid.title": "Sampling grid",
    "nav.sampling_grid.summary": "Watch a dilated kernel slide over the input: where every tap reads, padding included.",
    "nav.depthwise_separable.title": "Depthwise separable",
    "nav.depthwise_separable.summary": "The two stages of a separable layer, channel by channel, against a standard layer.",
    "nav.receptive_field.title": "Receptive field",
    "nav.receptive_field.summary": "Stack layers and see the field grow, break into holes (gridding) and what the gradient sees.",
    "nav.cost.title": "Cost",
    "nav.cost.summary": "Params and FLOPs by formula and by count, and latency measured on your device.",
    "nav.image_lab.title": "Image lab",
    "nav.image_lab.summary": "Run real convolutions on your own image and compare dilations side by side.",
    "nav.training_lab.title": "Training lab",
    "nav.training_lab.summary": "Watch a DS-DCN and its rivals learn, live, and see why the receptive field decides.",
    "nav.network.title": "Network",
    "nav.network.summary": "A whole network layer by layer: its receptive field, and where its parameters and MACs go.",
    "common.device": "Device: **{device}** · PyTorch {torch}",
}
