"""Streamlit-side helpers shared by the pages (the library ``dsdcn`` never imports Streamlit)."""
