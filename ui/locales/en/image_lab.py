"""Image lab."""

STRINGS: dict[str, str] = {
    "image_lab.title": "Image lab",
    "image_lab.intro": (
        "Run a bank of classic filters over a real image as **real PyTorch convolutions** and watch what "
        "dilation does: the same 3×3 weights, spread `d` pixels apart, see a wider neighbourhood, answer "
        "to coarser structure, and skip what lies between their taps. Every map is computed at full "
        "resolution (up to 2048 px a side) and only shrunk for the screen."
    ),
    # presets
    "image_lab.preset.coarser": "Coarser view",
    "image_lab.preset.coarser.idea": (
        "The same Gabor stripes at d = 1, 2, 4, 8 on the zone plate: each doubling of d makes the filter "
        "answer to stripes twice as wide, further out from the centre."
    ),
    "image_lab.preset.gridding": "Gridding",
    "image_lab.preset.gridding.idea": (
        "A box filter stacked three times at d = 2, 2, 2 only ever mixes pixels of one parity: a fine "
        "lattice appears at 1:1. The schedule 1, 2, 5 covers every offset and leaves no holes."
    ),
    "image_lab.preset.colours": "Colours apart",
    "image_lab.preset.colours.idea": (
        "A depthwise layer filters red, green and blue each on its own (groups = C): its maps stay in "
        "colour, where a dense layer sums the channels into one grey map."
    ),
    "image_lab.preset.sobel": "Sobel edges",
    "image_lab.preset.sobel.idea": (
        "Sobel x and y on a line drawing, blue below zero, red above: the sign tells the side of the "
        "edge; at larger d the taps straddle the line, so thin lines turn into doubled edges."
    ),
    # image source
    "image_lab.source": "Image",
    "image_lab.source.sample": "Bundled sample",
    "image_lab.source.upload": "Upload your own",
    "image_lab.source_help": (
        "Start from one of the bundled images, or upload a PNG, JPEG, WebP, BMP, GIF or TIFF file."
    ),
    "image_lab.upload": "Upload an image",
    "image_lab.upload_help": "Up to 50 MB. Larger than 2048 px on a side is shrunk to 2048 for the computation.",
    "image_lab.upload_prompt": (
        "Choose an image file to upload, or switch back to a bundled sample. A link keeps every setting "
        "of this page but cannot carry the image itself: after opening a shared link, upload the file again."
    ),
    "image_lab.sample": "Sample",
    "image_lab.sample_help": (
        "Images made for this lab (see assets/README.md): a photo-like scene, a drawing, a test chart."
    ),
    "image_lab.sample.street_scene.png": "Street scene (photo-like, colour)",
    "image_lab.sample.line_drawing.png": "Line drawing (ink on white)",
    "image_lab.sample.test_pattern.png": "Test pattern (zone plate, star, checkerboards)",
    "image_lab.cannot_use": "**{name}** cannot be used: {error}",
    "image_lab.image_caption": "{name} · {w}×{h} px",
    "image_lab.loaded": "Loaded: {notes}.",
    "image_lab.note_frames": "animated {format} with {frames} frames: the first frame is used",
    "image_lab.note_cmyk": "CMYK colours converted to RGB",
    "image_lab.note_bits": "{bits}-bit samples scaled to 8 bits",
    "image_lab.note_palette": "palette colours expanded to RGB",
    "image_lab.note_alpha": "transparency flattened onto white",
    "image_lab.note_exif": "turned upright as its EXIF orientation ({orientation}) asks",
    "image_lab.note_shrunk": "shrunk from {w0}×{h0} to {w}×{h} (the limit is {limit} px on the longer side)",
    # controls
    "image_lab.controls": "Layer and filters",
    "image_lab.group_layer": "Layer",
    "image_lab.group_bank": "Filter bank",
    "image_lab.group_display": "Dilations and display",
    "image_lab.kind": "Layer kind",
    "image_lab.kind.standard": "Standard",
    "image_lab.kind.dilated": "Dilated",
    "image_lab.kind.depthwise": "Depthwise (dilated)",
    "image_lab.kind.separable": "Depthwise separable (dilated)",
    "image_lab.kind_caption.standard": "dense k×k, d = 1",
    "image_lab.kind_caption.dilated": "dense k×k, taps d apart",
    "image_lab.kind_caption.depthwise": "groups = C: one map per channel",
    "image_lab.kind_caption.separable": "depthwise, then 1×1 pointwise",
    "image_lab.kind_help": (
        "How the filters become a torch layer. Standard: one dense conv at dilation 1. Dilated: the same "
        "with taps d pixels apart. Depthwise: every filter on every colour channel separately "
        "(groups = C). Separable: depthwise, then a 1×1 conv averaging the channels."
    ),
    "image_lab.kernel": "Kernel size k",
    "image_lab.kernel_help": "Every filter is k×k (odd, so 'same' padding is symmetric).",
    "image_lab.channels": "Input channels",
    "image_lab.channels.rgb": "RGB (3)",
    "image_lab.channels.grey": "Grey (1)",
    "image_lab.channels_help": (
        "Grey uses the luma 0.299 R + 0.587 G + 0.114 B; then every layer kind gives the same maps."
    ),
    "image_lab.padding": "Padding ('same' size)",
    "image_lab.padding.zeros": "zeros",
    "image_lab.padding.reflect": "reflect (mirror)",
    "image_lab.padding.replicate": "replicate (edge)",
    "image_lab.padding.circular": "circular (wrap)",
    "image_lab.padding_help": (
        "'Same' padding adds d·(k−1)/2 pixels on each side so every map keeps the image's size. What "
        "those pixels hold shows at the borders; the border band widens with d."
    ),
    "image_lab.filters": "Filters",
    "image_lab.filter.sobel_x": "Sobel x",
    "image_lab.filter.sobel_y": "Sobel y",
    "image_lab.filter.laplacian": "Laplacian",
    "image_lab.filter.gaussian": "Gaussian",
    "image_lab.filter.gabor": "Gabor",
    "image_lab.filter.box": "Box",
    "image_lab.filter.identity": "Identity",
    "image_lab.filter.random": "Random",
    "image_lab.filter_gabor_n": "Gabor {n}",
    "image_lab.filter_random_n": "Random {n}",
    "image_lab.filters_help": (
        "Each filter becomes one output map (one per colour channel for a depthwise layer). Sobel x / y: "
        "horizontal / vertical gradient. Laplacian: second derivative (blobs, lines). Gaussian, Box: blur. "
        "Gabor: stripes at several orientations. Identity: a copy. Random: uniform weights as PyTorch "
        "initialises a layer."
    ),
    "image_lab.gabor_n": "Gabor orientations",
    "image_lab.gabor_n_help": "Gabor filters at 0°, 180°/n, 2·180°/n, … (only used when Gabor is chosen).",
    "image_lab.random_n": "Random filters",
    "image_lab.random_n_help": "How many random filters (only used when Random is chosen).",
    "image_lab.seed": "Random seed",
    "image_lab.seed_help": (
        "Random filters come from torch.Generator().manual_seed(seed): the same seed, the same filters."
    ),
    "image_lab.dilations": "Dilations to compare",
    "image_lab.dilations_help": (
        "Each chosen dilation runs the whole bank once; the maps appear side by side. A standard layer "
        "always has d = 1. At most {max} at once."
    ),
    "image_lab.dilations_capped": "At most {max} dilations at once: the last pick was not added.",
    "image_lab.norm": "Map scale",
    "image_lab.norm.per_map": "Per map",
    "image_lab.norm.per_filter": "Per filter (same scale across dilations)",
    "image_lab.norm.shared": "Shared by all maps",
    "image_lab.norm_help": (
        "How values become grey levels. Per map: each map stretched to its own min…max (shows detail, "
        "hides magnitude). Per filter: one scale for a filter at every dilation (compare dilations "
        "fairly). Shared: one scale for everything."
    ),
    "image_lab.clip": "Clip {pct} % tails",
    "image_lab.clip_help": (
        "Scale from the {pct}th to the {top}th percentile instead of min…max, so a few extreme pixels do "
        "not wash out the map. Off: the exact min…max."
    ),
    "image_lab.centre_zero": "Zero mid-scale",
    "image_lab.centre_zero_help": (
        "For maps with both signs, make the scale symmetric (−a…a): zero is mid-grey (white on the "
        "diverging map), and the sign of an edge is visible."
    ),
    "image_lab.cmap": "Colour map",
    "image_lab.cmap.grey": "Grey",
    "image_lab.cmap.diverging": "Diverging (blue < 0 < red)",
    "image_lab.cmap.viridis": "Viridis",
    "image_lab.cmap_help": "Colour map for one-channel maps. Depthwise maps of an RGB image are shown in colour.",
    "image_lab.view": "View",
    "image_lab.view.whole": "Whole image (downscaled)",
    "image_lab.view.crop": "Centre crop at 1:1 (zoomed ×2)",
    "image_lab.view_help": (
        "Maps are computed at full resolution. Whole image: shrunk by area averaging for the screen, "
        "which hides pixel-level patterns. Crop: the centre at 1:1, enlarged ×2."
    ),
    "image_lab.device": "Run on",
    "image_lab.device.auto": "Best device",
    "image_lab.device.cpu": "CPU",
    "image_lab.device_help": "Best device: a CUDA GPU when there is one, else the CPU.",
    # checks before the run
    "image_lab.no_filter": "Choose at least one filter in the filter bank.",
    "image_lab.no_dilation": "Choose at least one dilation to compare.",
    "image_lab.bank_too_big": (
        "This filter bank is too large: choose fewer filters, Gabor orientations or random filters ({error})."
    ),
    "image_lab.standard_note": (
        "A standard layer has dilation 1. Choose a dilated, depthwise or separable layer to compare dilations."
    ),
    "image_lab.refused_reflect": (
        "Padding '{padding}' cannot pad this {w}×{h} image for d = {ds}: it needs the padding d·(k−1)/2 "
        "smaller than the shorter side."
    ),
    "image_lab.refused_other": (
        "Padding '{padding}' cannot pad this {w}×{h} image for d = {ds}: it needs the padding d·(k−1)/2 "
        "at most the shorter side."
    ),
    "image_lab.refused_left_out": "Those dilations are left out.",
    "image_lab.refused_fix": "Choose zeros or replicate padding, smaller dilations or a smaller kernel.",
    "image_lab.taps_outside": (
        "At d = {d} the {k}×{k} kernel spans {span} px, wider than this {w}×{h} image allows: only "
        "{inside} of its {taps} taps at the centre pixel land inside the image; the rest read "
        "'{padding}' padding. 'Same' padding still keeps the map the image's size."
    ),
    "image_lab.taps_outside_one": (
        "At d = {d} the {k}×{k} kernel spans {span} px, wider than this {w}×{h} image allows: only "
        "{inside} of its {taps} taps at the centre pixel lands inside the image; the rest read "
        "'{padding}' padding. 'Same' padding still keeps the map the image's size."
    ),
    # arithmetic
    "image_lab.arithmetic": "The arithmetic of this run",
    "image_lab.weights": "Weights of this layer",
    "image_lab.weights_help": (
        "Counted from the weight shapes: dense F·C·k²; depthwise C·F·k²; separable C·F·k² + C·F·F. "
        "The same at every dilation."
    ),
    "image_lab.macs": "Multiply-adds",
    "image_lab.macs_value": "{m} M",
    "image_lab.macs_help": "Per dilation: weights × output positions. Dilation adds none, it only spreads the taps.",
    "image_lab.out_maps": "Output maps",
    "image_lab.out_maps_help": "Per dilation: F, or C·F for depthwise.",
    # running
    "image_lab.spinner": "Running {f} filters × {d} dilations ({n} maps) on {device}…",
    "image_lab.run_failed": (
        "The convolutions could not be run. Try a smaller image, fewer filters or fewer dilations. ({error})"
    ),
    "image_lab.what_maps": "Feature maps",
    "image_lab.what_stacks": "Stacks",
    "image_lab.run_fresh": "{what}: computed at {when} on **{device}** in {seconds} s.",
    "image_lab.run_cached": "{what}: shown from the cache; computed at {when} on **{device}** in {seconds} s.",
    "image_lab.cpu_threads": "CPU ({n} threads)",
    "image_lab.oom": (
        "The {device} ran out of memory ({error}); this run was repeated on the CPU. Try a smaller image "
        "or fewer filters and dilations to stay on the GPU."
    ),
    "image_lab.conv_times": (
        "Convolutions alone: {times} (the rest of the run is statistics and previews at full resolution)."
    ),
    "image_lab.run_log": "Runs in this session ({n})",
    "image_lab.log.time": "time",
    "image_lab.log.what": "what",
    "image_lab.log.device": "device",
    "image_lab.log.seconds": "seconds",
    # tabs
    "image_lab.tab.maps": "Feature maps",
    "image_lab.tab.compare": "Compare dilations",
    "image_lab.tab.stats": "Statistics",
    "image_lab.tab.stack": "Stack and gridding",
    "image_lab.tab.download": "Download",
    # feature maps
    "image_lab.maps_scale.per_map": "each map is stretched to its own range (shown under it)",
    "image_lab.maps_scale.per_filter": (
        "each row shares one scale across the dilations (shown left), so brightness compares across dilations"
    ),
    "image_lab.maps_scale.shared": "every map shares the one scale below",
    "image_lab.maps_caption": "Rows: filters; columns: dilations. Scale: {scale}.",
    "image_lab.maps_colour_depthwise": (
        "Depthwise maps of an RGB image are shown in colour: each channel filtered on its own."
    ),
    "image_lab.maps_colour_map": "Colour map: {cmap}.",
    "image_lab.maps_zero": "Mid-scale is zero for maps of both signs.",
    "image_lab.maps_clipped": "The rarest {pct} % at each end is clipped.",
    "image_lab.maps_kernels": "Kernels: blue below zero, red above.",
    "image_lab.maps_shared_scale": "{lo}  ←  scale  →  {hi}",
    "image_lab.maps_filter": "Filter",
    "image_lab.maps_column": "**d = {d}** · spans {span} px",
    "image_lab.maps_kernel": "kernel",
    # compare
    "image_lab.compare": "Filter to compare",
    "image_lab.compare_help": "One filter at every dilation: its dilated footprint, its map and how the map changed.",
    "image_lab.compare_caption": (
        "Top: the {n} weights of the k×k kernel spread d pixels apart (white = zero between the taps). "
        "Middle: the maps on one scale ({lo} … {hi}). Bottom: each map minus the map at d = {d0}, on a "
        "diverging scale ±{bound} (blue: smaller, red: larger)."
    ),
    "image_lab.compare_footprint": "d = {d}: {n}×{n} footprint",
    "image_lab.compare_map": "map at d = {d}",
    "image_lab.compare_reference": "reference for the differences",
    "image_lab.compare_diff": "d = {d} − d = {d0} · mean |Δ| {mean} (full resolution)",
    # statistics
    "image_lab.stat": "Statistic",
    "image_lab.stat.std": "standard deviation",
    "image_lab.stat.mean_abs": "mean |value|",
    "image_lab.stat.diff_mean_abs": "mean |map − map at the first dilation|",
    "image_lab.stat.max": "maximum",
    "image_lab.stat.min": "minimum",
    "image_lab.stat_help": "Computed over every pixel of every map at full resolution.",
    "image_lab.stats_title": "{stat} per map",
    "image_lab.stats_caption": (
        "One group per filter, one bar per dilation. Derivative filters (Sobel, Laplacian) usually answer "
        "more strongly at larger d: their taps straddle bigger intensity steps."
    ),
    "image_lab.col.filter": "filter",
    "image_lab.col.dilation": "dilation",
    "image_lab.col.min": "min",
    "image_lab.col.max": "max",
    "image_lab.col.mean": "mean",
    "image_lab.col.std": "std",
    "image_lab.col.mean_abs": "mean |value|",
    "image_lab.col.diff_mean_abs": "mean |Δ| to the first dilation",
    "image_lab.col.diff_max_abs": "max |Δ| to the first dilation",
    "image_lab.col.percentile": "{pct}th percentile",
    "image_lab.fig_dilation": "dilation",
    "image_lab.fig_bar_name": "d = {d}",
    "image_lab.fig_weight": "weight",
    "image_lab.fig_offset_x": "input offset dx",
    "image_lab.fig_offset_y": "input offset dy",
    # stack and gridding
    "image_lab.stack_intro": (
        "Stack the **same** k×k filter in N layers (each channel on its own) with a dilation schedule. "
        "With `2, 2, 2` every tap of every layer lands on an even offset, so one output only ever sees "
        "the pixels of one parity: the input splits into four interleaved sub-images that never mix "
        "(**gridding**). Hybrid dilated convolution picks schedules such as `1, 2, 5` that leave no holes."
    ),
    "image_lab.stack_filter": "Filter in every layer",
    "image_lab.stack_filter_help": "A smoothing filter (box, Gaussian) shows the holes best.",
    "image_lab.stack_a": "Schedule A",
    "image_lab.stack_a_help": (
        "Dilations of the layers, e.g. 2, 2, 2 (1 to {layers} layers, each 1 to {dmax})."
    ),
    "image_lab.stack_b": "Schedule B",
    "image_lab.stack_b_help": "The schedule to compare with, e.g. 1, 2, 5.",
    "image_lab.bad_schedule": (
        "{which} cannot be used: enter 1 to {layers} dilations, each a whole number from 1 to {dmax}, "
        "separated by commas (for example 1, 2, 5)."
    ),
    "image_lab.stack_cannot_pad": (
        "Padding '{padding}' cannot pad this {w}×{h} image for dilation {ds} (it needs the padding "
        "d·(k−1)/2 smaller than the shorter side). Choose zeros or replicate padding, or smaller dilations."
    ),
    "image_lab.stack_spinner": "Running both stacks…",
    "image_lab.stack_failed": "The stacks could not be run. ({error})",
    "image_lab.stack_holes": "{n} of {extent} offsets per axis never reach the output (gridding)",
    "image_lab.stack_no_holes": "no holes: every offset in the field reaches the output",
    "image_lab.stack_caption": "{name}: d = {ds} · field {extent}×{extent} · {verdict}",
    "image_lab.stack_diff": "A − B (blue < 0 < red, ±{bound}) · mean |A − B| {mean} at full resolution",
    "image_lab.stack_crop": "{name}: the centre {w}×{h} px at 1:1, enlarged ×2",
    "image_lab.stack_crop_diff": "A − B in the centre crop (±{bound})",
    "image_lab.stack_scale_note": (
        "A and B share one scale. Gridding shows at 1:1 as a fine lattice or moiré wherever the image has "
        "texture (try the test pattern); shrinking the whole image averages it away."
    ),
    "image_lab.stack_response": "{name} ({ds}): weight per input offset",
    "image_lab.stack_response_caption": (
        "How much each input pixel around an output contributes, found by running the stack on a single "
        "bright pixel. Grey cells are holes: no path of taps reaches them."
    ),
    # download
    "image_lab.download_intro": (
        "All **{n}** maps at full resolution ({w}×{h}) as PNGs, rendered with the scale and colour map "
        "chosen above, with `stats.csv` and a `README.txt` of the settings. The ZIP is made when you "
        "click: the maps are computed again at full resolution and compressed, which takes a few seconds "
        "for a 2048 px image (about 100 MB for 32 maps)."
    ),
    "image_lab.download_zip": "Download all maps (ZIP of PNGs)",
    "image_lab.download_zip_help": "PNG files named d{dilation}_{index}_{filter}.png.",
    "image_lab.download_csv": "Download the statistics (CSV)",
    "image_lab.download_csv_help": (
        "One row per map: min, max, mean, std, mean |value| and the difference to the first dilation."
    ),
    # the room's budget (dsdcn.budget): a request estimated past it is not run
    "image_lab.too_heavy": (
        "**Not run: too heavy for a shared server.** This run would take about {seconds} s and {memory} of "
        "memory; one request may take at most {limit_s} s and {limit_mem}. {fix}"
    ),
    "image_lab.fix_bank": (
        "Pick fewer filters (fewer Gabor directions or random filters), fewer dilations, a smaller kernel "
        "or a smaller image."
    ),
    "image_lab.fix_stack": (
        "Use smaller dilations, fewer layers or a smaller kernel: each stack's response alone is "
        "{extent} × {extent} offsets."
    ),
    "image_lab.busy": "The server is busy with other heavy requests; try again in a moment.",
    "image_lab.response_cells": (
        " Drawn in cells of {block} × {block} offsets (their mean weight); a blank cell is all holes."
    ),
}
