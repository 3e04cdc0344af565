"""Figure builders: lesson results in, plotly figures / PIL images out; no gradio."""
