"""The admin analytics page (``/analytics``): deflection, handoff reasons, CSAT bot vs human,
unanswered questions, ad impressions and clicks, the per-category demand forecast.

Admins only: the service refuses agents (``ForbiddenError``) and this page shows that refusal
instead of the numbers. The numbers are computed at login and on "Refresh", not on a timer:
the forecast refits a model and the figures move slowly.

The session token is this tab's server-side ``gr.State`` (see ``_login``): the page opens
signed out and needs its own login, even with the console open in another tab. Every event
is private (``_events.PRIVATE``).
"""

from __future__ import annotations

from typing import Any

import gradio as gr

from retrieval import ShopTalkError

from ._events import PRIVATE
from ._login import current_session, login_form, staff_state, try_login
from ._render import escape_md
from ._render_analytics import (
    ads_frame,
    csat_frame,
    forecast_frame,
    forecast_note,
    forecast_table,
    handoff_frame,
    kpi_markdown,
    unanswered_frame,
)

ANALYTICS_LIMIT = 2  # the forecast is CPU work
HEAVY: dict[str, Any] = {"concurrency_id": "analytics", "concurrency_limit": ANALYTICS_LIMIT, **PRIVATE}


def build_analytics_page(demo: gr.Blocks, chat) -> None:
    token = staff_state()
    gr.Markdown("## Analytics")
    login = login_form("Admin login")
    with gr.Column(visible=False, elem_id="st-analytics") as board:
        with gr.Row():
            who = gr.Markdown()
            refresh = gr.Button("Refresh", size="sm", scale=0, min_width=100)
            logout = gr.Button("Log out", size="sm", scale=0, min_width=100)
        kpis = gr.Markdown(elem_id="st-kpis", elem_classes="st-kpi")
        with gr.Row(equal_height=False):
            reasons_plot = gr.BarPlot(
                x="reason", y="handoffs", title="Handoff reasons", height=260, y_lim=[0, None], sort="-y"
            )
            csat = gr.Dataframe(label="CSAT: bot only vs with a person", interactive=False)
        metric = gr.Radio(["purchases", "events"], value="purchases", label="Demand forecast of")
        note = gr.Markdown()
        forecast_plot = gr.LinePlot(
            x="date",
            y="demand",
            color="category",
            title="Daily demand per category: recent actuals, then the forecast",
            height=320,
        )
        forecast_totals = gr.Dataframe(label="Forecast totals and backtest accuracy", interactive=False)
        unanswered = gr.Dataframe(label="Questions the bot could not answer", interactive=False, wrap=True)
        ads = gr.Dataframe(label="Ads: impressions and clicks", interactive=False)

    figure_outputs = [kpis, reasons_plot, csat, note, forecast_plot, forecast_totals, unanswered, ads]

    def figures(tok: str | None, which: str) -> tuple[list, str]:
        s = current_session(chat, tok)
        if s is None:
            return [gr.skip()] * len(figure_outputs), "Log in with an admin account."
        try:
            a = chat.staff.analytics(s)
        except ShopTalkError as exc:  # agents: the service says who may see this
            return [gr.skip()] * len(figure_outputs), f"**{escape_md(str(exc))}**"
        return [
            kpi_markdown(a),
            handoff_frame(a),
            csat_frame(a),
            forecast_note(a),
            forecast_frame(a, which),
            forecast_table(a, which),
            unanswered_frame(a),
            ads_frame(a),
        ], ""

    def signed_in(s) -> str:
        return f"Signed in as **{escape_md(s.username)}** ({s.role})"

    def show(tok: str | None, which: str):
        s = current_session(chat, tok)
        if s is None:  # expired or logged out elsewhere: forget the token, show the form
            return [
                None,
                gr.Column(visible=True),
                gr.Column(visible=False),
                "",
                *[gr.skip()] * len(figure_outputs),
                "" if tok is None else "Your session has ended; log in again.",
            ]
        values, error = figures(tok, which)
        if error:  # signed in but not allowed: keep the login form for an admin account
            return [gr.skip(), gr.Column(visible=True), gr.Column(visible=False), "", *values, error]
        return [gr.skip(), gr.Column(visible=False), gr.Column(visible=True), signed_in(s), *values, ""]

    show_outputs = [token, login.box, board, who, *figure_outputs, login.message]
    refresh.click(show, [token, metric], show_outputs, **HEAVY)
    metric.input(show, [token, metric], show_outputs, **HEAVY)

    def do_login(username: str, password: str, which: str, request: gr.Request):
        s, error = try_login(chat, username, password, request)
        if s is None:
            return [gr.skip(), gr.skip(), gr.skip(), gr.skip(), *[gr.skip()] * len(figure_outputs), error, ""]
        values, error = figures(s.token, which)
        if error:  # an agent: end the session at once rather than keep a token this page cannot use
            chat.staff.logout(s.token)
            return [None, gr.Column(visible=True), gr.Column(visible=False), "", *values, error, ""]
        return [s.token, gr.Column(visible=False), gr.Column(visible=True), signed_in(s), *values, "", ""]

    login_outputs = [*show_outputs, login.password]
    login.button.click(do_login, [login.username, login.password, metric], login_outputs, **HEAVY)
    login.password.submit(do_login, [login.username, login.password, metric], login_outputs, **HEAVY)

    def do_logout(tok: str | None):
        if tok:
            chat.staff.logout(tok)
        return [None, gr.Column(visible=True), gr.Column(visible=False), "You are logged out."]

    logout.click(do_logout, token, [token, login.box, board, login.message], **HEAVY)
