"""The app's pages: one registry used by the navigation and by the Home page's cards."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class PageInfo:
    """A page of the app: its script, title, icon and URL path (its summary is
    the string ``<key>.summary``)."""

    path: str
    title: str
    icon: str
    url_path: str

    @property
    def key(self) -> str:
        """The string-catalogue key of this page (``nav.<url_path>``)."""
        return "nav." + self.url_path.replace("-", "_")


HOME = PageInfo("app_pages/home.py", "Home", ":material/home:", "home")

PAGES: tuple[PageInfo, ...] = (
    PageInfo(
        "app_pages/sampling_grid.py",
        "Sampling grid",
        ":material/grid_on:",
        "sampling-grid",
    ),
    PageInfo(
        "app_pages/depthwise_separable.py",
        "Depthwise separable",
        ":material/layers:",
        "depthwise-separable",
    ),
    PageInfo(
        "app_pages/receptive_field.py",
        "Receptive field",
        ":material/filter_center_focus:",
        "receptive-field",
    ),
    PageInfo(
        "app_pages/cost.py",
        "Cost",
        ":material/speed:",
        "cost",
    ),
    PageInfo(
        "app_pages/image_lab.py",
        "Image lab",
        ":material/image:",
        "image-lab",
    ),
    PageInfo(
        "app_pages/training_lab.py",
        "Training lab",
        ":material/model_training:",
        "training-lab",
    ),
    PageInfo(
        "app_pages/network.py",
        "Network",
        ":material/account_tree:",
        "network",
    ),
)
