"""Look and feel: one Gradio theme and the CSS for cards, notices and the staff transcript.

Gradio 6 takes ``theme`` and ``css`` at ``launch()`` / ``gr.mount_gradio_app()``, not in
``gr.Blocks(...)``; ``bot.app.mount`` passes these two.
"""

from __future__ import annotations

import gradio as gr

# System font stacks only: a GoogleFont would be fetched from the internet, and self-hosted
# installs are often offline.
THEME = gr.themes.Soft(
    primary_hue="emerald",
    secondary_hue="slate",
    neutral_hue="slate",
    font=["ui-sans-serif", "system-ui", "-apple-system", "Segoe UI", "sans-serif"],
    font_mono=["ui-monospace", "SFMono-Regular", "Menlo", "monospace"],
)

CSS = """
.st-strip-title { font-weight: 600; margin: 4px 0 6px; font-size: 0.95rem; }
.st-cards { display: grid; grid-template-columns: repeat(auto-fill, minmax(170px, 1fr)); gap: 8px; }
.st-card { border: 1px solid var(--border-color-primary); border-radius: 10px; padding: 8px 10px;
           background: var(--background-fill-primary); font-size: 0.85rem; line-height: 1.35; }
.st-card .st-title { font-weight: 600; }
.st-card .st-brand { color: var(--body-text-color-subdued); font-size: 0.8rem; }
.st-card .st-facts { display: flex; flex-wrap: wrap; gap: 6px; margin-top: 4px; align-items: baseline; }
.st-card .st-price { font-weight: 700; }
.st-card .st-in { color: #047857; } .st-card .st-low { color: #b45309; } .st-card .st-out { color: #b91c1c; }
.st-card .st-note { margin-top: 4px; color: var(--body-text-color-subdued); font-style: italic; }
.st-sponsored { border-style: dashed; background: var(--background-fill-secondary); }
.st-badge { display: inline-block; font-size: 0.7rem; font-weight: 700; text-transform: uppercase;
            letter-spacing: 0.04em; padding: 1px 6px; border-radius: 4px; background: #fde68a; color: #78350f; }
.st-ad-label { font-size: 0.75rem; color: var(--body-text-color-subdued); margin: 2px 0; }
#st-notice p { margin: 0; padding: 6px 10px; border-radius: 8px; background: var(--background-fill-secondary); }
.st-transcript { max-height: 460px; overflow-y: auto; display: flex; flex-direction: column-reverse; }
.st-transcript-body { display: flex; flex-direction: column; gap: 6px; }
.st-msg { border-radius: 8px; padding: 6px 10px; border: 1px solid var(--border-color-primary); }
.st-msg .st-who { font-weight: 600; font-size: 0.8rem; display: flex; justify-content: space-between; }
.st-msg .st-time { color: var(--body-text-color-subdued); font-weight: 400; }
.st-msg .st-meta { font-size: 0.75rem; color: var(--body-text-color-subdued); }
.st-role-shopper { background: var(--background-fill-secondary); }
.st-role-staff { border-color: #10b981; }
.st-role-note { background: #fef9c3; color: #3f3f46; }
.st-role-system { font-style: italic; }
.st-align-end { align-self: flex-end; margin-bottom: 8px; }
.st-kpi p { font-size: 1.05rem; }
"""
