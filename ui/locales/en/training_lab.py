"""Training lab."""

STRINGS: dict[str, str] = {
    "training_lab.title": "Training lab",
    "training_lab.intro": (
        "Pick a task, pick two to four models and press **Play**: they learn on the same batches and their "
        "loss curves race. A network can only learn from the inputs its receptive field reaches: a field "
        "that is too small, or full of holes (gridding), stays at the *learned nothing* line, while a "
        "hole-free field of the same size learns at once. The DS-DCN (depthwise-separable dilated) models "
        "show how much of that quality a fraction of the weights keeps."
    ),
    # task
    "training_lab.tr_task": "Task",
    "training_lab.tr_task_help": "What the models must learn. Choosing a task loads its default comparison.",
    "training_lab.task.offset": "Reach an offset (2D)",
    "training_lab.task.memory": "Remember (1D, causal)",
    "training_lab.task.filter": "Imitate a wide filter (2D image)",
    "training_lab.task.offset.about": (
        "Input: a noise image. Target: the same image shifted, so each output must copy the input pixel "
        "at offset (dy, dx) from itself. Predicting 0 scores 1.0 (the baseline)."
    ),
    "training_lab.task.memory.about": (
        "The copy-memory task of temporal convolutional networks: 4 symbols, a blank, a recall marker; "
        "the model must name each symbol again 4 + blank steps later, seeing only the past. Guessing "
        "scores ln 4 ≈ 1.386 (the baseline)."
    ),
    "training_lab.task.filter.about": (
        "Input: crops of an image. Target: the image under a wide filter. After training each model "
        "runs on the whole image. Predicting 0 scores 1.0 (the target has unit variance)."
    ),
    "training_lab.tr_dy": "Offset dy (rows)",
    "training_lab.tr_dy_help": "Rows from the output to the input pixel it must copy (down is positive).",
    "training_lab.tr_dx": "Offset dx (columns)",
    "training_lab.tr_dx_help": "Columns from the output to the input pixel it must copy (right is positive).",
    "training_lab.tr_blank": "Blank length T",
    "training_lab.tr_blank_help": (
        "Steps of silence between the symbols and the recall. A symbol must be remembered for 4 + T steps: "
        "the causal receptive field must span at least 4 + T + 1 steps."
    ),
    "training_lab.tr_source": "Image",
    "training_lab.tr_source_help": "A bundled sample, or your own image (used at most 512 pixels per side, in grey).",
    "training_lab.source.sample": "Sample",
    "training_lab.source.upload": "Upload",
    "training_lab.tr_sample": "Sample",
    "training_lab.tr_sample_help": "The test pattern's fine stripes show gridding best.",
    "training_lab.sample.test_pattern.png": "Test pattern",
    "training_lab.sample.line_drawing.png": "Line drawing",
    "training_lab.sample.street_scene.png": "Street scene",
    "training_lab.upload": "Your image",
    "training_lab.upload_help": "PNG, JPEG, WebP, BMP, GIF or TIFF, up to 50 MB; at least 56 pixels per side.",
    "training_lab.upload_prompt": "Upload an image to train on, or switch back to a sample.",
    "training_lab.cannot_use": "This image cannot be used: {error}",
    "training_lab.no_image": "No image yet.",
    "training_lab.tr_op": "Wide filter",
    "training_lab.tr_op_help": "The operator the models must imitate.",
    "training_lab.op.gauss": "Gaussian blur",
    "training_lab.op.dog": "Difference of Gaussians",
    "training_lab.tr_sigma": "σ (pixels)",
    "training_lab.tr_sigma_help": "Width of the Gaussian: it reaches about 3σ pixels on each side.",
    # models
    "training_lab.models": "Models",
    "training_lab.tr_kind1": "Model 1",
    "training_lab.tr_kind2": "Model 2",
    "training_lab.tr_kind3": "Model 3",
    "training_lab.tr_kind4": "Model 4",
    "training_lab.tr_kind1_help": "Dense convolutions, DS-DCN layers (depthwise then 1×1), or off.",
    "training_lab.tr_kind2_help": "Dense convolutions, DS-DCN layers (depthwise then 1×1), or off.",
    "training_lab.tr_kind3_help": "Dense convolutions, DS-DCN layers (depthwise then 1×1), or off.",
    "training_lab.tr_kind4_help": "Dense convolutions, DS-DCN layers (depthwise then 1×1), or off.",
    "training_lab.kind.off": "Off",
    "training_lab.kind.conv": "Dense conv",
    "training_lab.kind.ds": "DS-DCN",
    "training_lab.tr_rates": "Dilation rates, model {n}",
    "training_lab.tr_rates_help": (
        "One rate per layer, e.g. 1, 2, 5 (1 to 10 layers, rates 1 to 64). All ones is a standard stack."
    ),
    "training_lab.bad_rates": (
        "Model {n} is left out: write its dilation rates as 1 to 10 whole numbers from 1 to 64, "
        "separated by commas (e.g. 1, 2, 5)."
    ),
    "training_lab.tr_kernel": "Kernel size k",
    "training_lab.tr_kernel_help": "Kernel of every layer. Images need an odd k (symmetric padding); sequences take any k.",
    "training_lab.tr_width": "Width (channels)",
    "training_lab.tr_width_help": "Channels of every hidden layer.",
    "training_lab.tr_act": "Activation",
    "training_lab.tr_act_help": "The nonlinearity after each layer (none: a linear network).",
    "training_lab.act.none": "None",
    "training_lab.act.relu": "ReLU",
    "training_lab.act.gelu": "GELU",
    "training_lab.act.tanh": "tanh",
    "training_lab.tr_lr": "Learning rate",
    "training_lab.tr_lr_help": "Adam's step size, the same for every model.",
    "training_lab.tr_seed": "Seed",
    "training_lab.tr_seed_help": "Draws the initial weights and every batch: the same seed gives the same curves.",
    "training_lab.tr_steps": "Stop after (steps)",
    "training_lab.tr_steps_help": "The race pauses by itself after this many batches.",
    "training_lab.tr_device": "Device",
    "training_lab.tr_device_help": "Auto uses the GPU when there is one, and falls back to the CPU if it runs out of memory.",
    "training_lab.device.auto": "Auto",
    "training_lab.device.cpu": "CPU",
    "training_lab.odd_kernel": "Image tasks need an odd kernel size (k = {k} cannot be padded symmetrically). Pick 1, 3, 5 or 7.",
    "training_lab.no_models": "Switch at least one model on to start a race.",
    "training_lab.refused": "This race is not trained here: {error}. Use fewer layers, smaller rates or a smaller width.",
    "training_lab.name.ds": "#{n} DS-DCN {rates}",
    "training_lab.name.standard": "#{n} Standard {kernel} ×{layers}",
    "training_lab.name.dilated": "#{n} Dilated {rates}",
    "training_lab.card": "{params} weights · {macs} MACs per sample · field {rf} {unit} · {holes} holes",
    "training_lab.unit.1d": "steps",
    "training_lab.unit.2d": "px",
    "training_lab.reach.reached": ":green[:material/check_circle:] The target {target} is in its field.",
    "training_lab.reach.hole": ":red[:material/block:] The target {target} is a hole of its field: no path reaches it.",
    "training_lab.reach.outside": ":red[:material/block:] The target {target} lies outside its field.",
    "training_lab.reach.memory.reached": ":green[:material/check_circle:] Its field spans the delay of {delay} steps.",
    "training_lab.reach.memory.hole": ":red[:material/block:] The step {delay} back is a hole of its field.",
    "training_lab.reach.memory.outside": ":red[:material/block:] Its field is shorter than the delay of {delay} steps.",
    "training_lab.show_code": "Show as PyTorch",
    "training_lab.coverage.2d": "Where each model can look",
    "training_lab.coverage.1d": "How far back each model can look",
    # race
    "training_lab.race": "Race",
    "training_lab.play": "Play",
    "training_lab.play_help": "Train every model on the same batches, redrawing the curves as they go.",
    "training_lab.pause": "Pause",
    "training_lab.pause_help": "Stop after the current chunk of training; the predictions, effective fields and results table appear below.",
    "training_lab.step": "Step",
    "training_lab.step_help": "Train every model on one more batch (pauses the race first).",
    "training_lab.reset": "Reset",
    "training_lab.reset_help": "Throw the trained models away and start again from step 0 with the same settings.",
    "training_lab.finished": "Finished after {steps} steps. Raise 'Stop after' to go on, or Reset.",
    "training_lab.status": "Step {steps} of {total} · {rate} steps/s · {device}",
    "training_lab.oom": "The GPU ran out of memory ({error}); the race goes on on the CPU.",
    "training_lab.failed": "Training stopped: {error}. Reset, or use fewer or smaller models.",
    "training_lab.ms_per_step": "{ms} ms per training step",
    "training_lab.press_play": "Press Play: the curves appear here.",
    "training_lab.verdict.learned": "learned ({share} of baseline)",
    "training_lab.verdict.learning": "learning ({share} of baseline)",
    "training_lab.verdict.plateau": "stopped improving ({share} of baseline)",
    "training_lab.verdict.stuck": "stuck at baseline ({share})",
    "training_lab.metric_help": "Loss on a fixed held-out batch. Learned nothing = {baseline}.",
    "training_lab.coverage_caption.offset": (
        "Exact coverage of one output: how many paths reach each input offset (red: a hole, reached by "
        "none). The ✕ marks the pixel each output must copy."
    ),
    "training_lab.coverage_caption.memory": "How far back each causal model sees, against the steps it must remember.",
    "training_lab.coverage_caption.filter": (
        "Exact coverage of one output (red: holes). A wide filter needs every pixel around the output: "
        "holes leave a checkerboard in the result."
    ),
    "training_lab.after_when_paused": "Pause (or let the race finish) to see the predictions, the effective fields and the results table.",
    # after
    "training_lab.prediction.offset": "Prediction on a held-out noise image",
    "training_lab.prediction.memory": "Recall of a held-out sequence",
    "training_lab.prediction.filter": "The whole image through each trained model",
    "training_lab.prediction_caption.offset": "The scored square of one held-out input, the target and each model's output, on one grey scale.",
    "training_lab.prediction_caption.memory": (
        "Each column is a recall step: the shade is the probability the model gives each class, the marks "
        "are the true symbols."
    ),
    "training_lab.prediction_caption.filter": (
        "Input, target and each model's output on one grey scale. Gridding leaves a checkerboard; look at "
        "the centre crop at full resolution."
    ),
    "training_lab.tr_view": "View",
    "training_lab.tr_view_help": "The whole image (downscaled to fit) or a 128-pixel centre crop at full resolution.",
    "training_lab.view.whole": "Whole image",
    "training_lab.view.crop": "Centre crop, full resolution",
    "training_lab.input": "input",
    "training_lab.target": "target",
    "training_lab.tr_recall": "Model",
    "training_lab.tr_recall_help": "Whose recall to show.",
    "training_lab.erf": "Effective receptive field: before and after training",
    "training_lab.erf_caption": (
        "The gradient of one output with respect to the input (Luo et al., 2016), averaged over random inputs "
        "and scaled to its maximum. Training reshapes it: a model that learned the offset concentrates it on "
        "the target pixel."
    ),
    "training_lab.results": "Results",
    "training_lab.col.model": "model",
    "training_lab.col.params": "weights",
    "training_lab.col.macs": "MACs per sample",
    "training_lab.col.rf": "field",
    "training_lab.col.holes": "holes",
    "training_lab.col.ms": "ms per step",
    "training_lab.col.loss": "held-out loss",
    "training_lab.col.verdict": "verdict",
    "training_lab.col.steps": "steps",
    "training_lab.claim": "**{ds}** reaches a held-out loss of {loss_ds} against {loss_dense} for **{dense}**, with {params} of its weights and {macs} of its MACs, at {time}× its time per training step on this device: depthwise convolutions are memory-bound, so fewer MACs need not mean faster.",
    "training_lab.download_table": "Results (CSV)",
    "training_lab.download_table_help": "One row per model: weights, MACs, field, holes, ms per step, held-out loss and verdict.",
    "training_lab.download_curves": "Loss curves (CSV)",
    "training_lab.download_curves_help": "Every model's training loss at every step, one column per model.",
    # presets
    "training_lab.preset.hole": "Holes cannot learn",
    "training_lab.preset.hole.idea": (
        "Offset (3, 1) is a hole of rates 2, 2, 2 and 2, 4, 8: they stay at the baseline, while 1, 2, 5 "
        "(HDC) and its DS-DCN twin learn it in a few hundred steps."
    ),
    "training_lab.preset.even": "Even offsets are fine",
    "training_lab.preset.even.idea": "Offset (4, 2) lands on even pixels: the gridding schedules reach it and learn it too.",
    "training_lab.preset.too_far": "The field must reach",
    "training_lab.preset.too_far.idea": (
        "Offset (6, 2) lies outside three plain 3×3 layers (field 7); six plain layers reach it, and so do "
        "three dilated ones."
    ),
    "training_lab.preset.memory": "Memory needs a long field",
    "training_lab.preset.memory.idea": (
        "A delay of 28 steps: rates 1…16 at k = 2 see 32 steps back and recall perfectly; rates 1…8 see "
        "16 and can only guess."
    ),
    "training_lab.preset.long_memory": "Long memory for free",
    "training_lab.preset.long_memory.idea": (
        "Blank 100: seven layers with rates doubling to 64 see 128 steps back. One layer fewer sees 64 and "
        "fails. Dilation buys the memory, not extra weights."
    ),
    "training_lab.preset.gridding_image": "Gridding on a real image",
    "training_lab.preset.gridding_image.idea": (
        "Imitating a Gaussian blur: rates 2, 2, … see only even pixels and leave a checkerboard; 1, 2, 5, "
        "1, 2, 5 (HDC) does not."
    ),
    "training_lab.preset.dog": "Difference of Gaussians",
    "training_lab.preset.dog.idea": "A band-pass filter: positive centre, negative surround. Holes in the field show as stripes.",
    "training_lab.preset.separable": "DS-DCN against dense",
    "training_lab.preset.separable.idea": (
        "The same schedule, dense or depthwise-separable: compare the held-out loss against the weights "
        "and MACs in the results table."
    ),
}
