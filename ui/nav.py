"""The app's pages: one registry used by the navigation and by the Home page's cards."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageInfo:
    """A page of the app: its script, title, icon, URL path and a one-line summary."""

    path: str
    title: str
    icon: str
    url_path: str
    summary: str

    @property
    def key(self) -> str:
        """The string-catalogue key of this page (``nav.<url_path>``)."""
        return "nav." + self.url_path.replace("-", "_")


HOME = PageInfo("app_pages/home.py", "Home", ":material/home:", "home", "What this lab is.")

PAGES: tuple[PageInfo, ...] = (
    PageInfo(
        "app_pages/sampling_grid.py",
        "Sampling grid",
        ":material/grid_on:",
        "sampling-grid",
        "Watch a dilated kernel slide over the input: where every tap reads, padding included.",
    ),
    PageInfo(
        "app_pages/depthwise_separable.py",
        "Depthwise separable",
        ":material/layers:",
        "depthwise-separable",
        "The two stages of a separable layer, channel by channel, against a standard layer.",
    ),
    PageInfo(
        "app_pages/receptive_field.py",
        "Receptive field",
        ":material/filter_center_focus:",
        "receptive-field",
        "Stack layers and see the field grow, break into holes (gridding) and what the gradient sees.",
    ),
    PageInfo(
        "app_pages/cost.py",
        "Cost",
        ":material/speed:",
        "cost",
        "Params and FLOPs by formula and by count, and latency measured on your device.",
    ),
    PageInfo(
        "app_pages/image_lab.py",
        "Image lab",
        ":material/image:",
        "image-lab",
        "Run real convolutions on your own image and compare dilations side by side.",
    ),
    PageInfo(
        "app_pages/training_lab.py",
        "Training lab",
        ":material/model_training:",
        "training-lab",
        "Watch a DS-DCN and its rivals learn, live, and see why the receptive field decides.",
    ),
    PageInfo(
        "app_pages/network.py",
        "Network",
        ":material/account_tree:",
        "network",
        "A whole network layer by layer: its receptive field, and where its parameters and MACs go.",
    ),
)
