//! The status page's routes: sign in, the page, sign out. Wiring only: the accounts live in
//! `crate::sqlite`, the HTML in [`crate::page`].

use axum::extract::{ConnectInfo, Form, RawQuery, State};
use axum::http::{header, HeaderMap, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use axum::Router;
use chrono::Utc;
use serde::Deserialize;

use super::wire::{with_store, AppState, Peer};
use crate::page::{self, Lang};
use crate::store::{HubError, SESSION_HOURS};

const COOKIE: &str = "pelita_hub";

#[derive(Deserialize)]
struct LoginForm {
    username: String,
    password: String,
}

fn session_cookie(headers: &HeaderMap) -> Option<String> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|pair| pair.trim().split_once('='))
        .find(|(name, _)| *name == COOKIE)
        .map(|(_, value)| value.to_string())
}

fn html(status: StatusCode, body: String) -> Response {
    (
        status,
        [
            (header::CONTENT_TYPE, "text/html; charset=utf-8"),
            (header::CACHE_CONTROL, "no-store"),
            (header::X_FRAME_OPTIONS, "DENY"),
            (
                header::CONTENT_SECURITY_POLICY,
                "default-src 'none'; style-src 'unsafe-inline'; form-action 'self'; frame-ancestors 'none'",
            ),
        ],
        body,
    )
        .into_response()
}

fn to(path: &str, lang: Lang) -> String {
    match lang {
        Lang::Id => path.to_string(),
        Lang::En => format!("{path}?lang=en"),
    }
}

fn set_cookie(response: &mut Response, value: &str) {
    if let Ok(v) = HeaderValue::from_str(value) {
        response.headers_mut().append(header::SET_COOKIE, v);
    }
}

async fn status_page(
    State(state): State<AppState>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
) -> Response {
    let lang = Lang::from_query(query.as_deref());
    let Some(token) = session_cookie(&headers) else {
        return Redirect::to(&to("/login", lang)).into_response();
    };
    let page = with_store(&state.hub, move |s| {
        let admin = s.admin_session(&token, Utc::now())?;
        Ok((admin, s.overview()?))
    })
    .await;
    match page {
        Ok((admin, overview)) => html(StatusCode::OK, page::status(lang, &admin, &overview)),
        Err(refusal) if refusal.is_unauthorized() => {
            Redirect::to(&to("/login", lang)).into_response()
        }
        Err(refusal) => refusal.into_response(),
    }
}

async fn login_form(RawQuery(query): RawQuery) -> Response {
    html(
        StatusCode::OK,
        page::login(Lang::from_query(query.as_deref()), None),
    )
}

/// Whether a form was posted from another site (a page elsewhere that the admin has open): a
/// browser's `Origin` must name this hub, as the `Host` it asked, and its `Sec-Fetch-Site` must
/// not say cross-site. A request without either (not from a browser) is not refused for it.
fn from_elsewhere(headers: &HeaderMap) -> bool {
    let text = |name: &str| headers.get(name).and_then(|v| v.to_str().ok());
    if text("sec-fetch-site") == Some("cross-site") {
        return true;
    }
    match (text(header::ORIGIN.as_str()), text(header::HOST.as_str())) {
        (None, _) => false,
        (Some(origin), host) => origin.split_once("://").map(|(_, h)| h) != host,
    }
}

fn refused_from_elsewhere(lang: Lang) -> Response {
    let message = match lang {
        Lang::Id => {
            "formulir ini dikirim dari situs lain; buka halaman hub langsung lalu coba lagi"
        }
        Lang::En => {
            "this form was sent from another site; open the hub's page directly and try again"
        }
    };
    html(StatusCode::FORBIDDEN, page::login(lang, Some(message)))
}

async fn login(
    State(state): State<AppState>,
    ConnectInfo(peer): ConnectInfo<Peer>,
    RawQuery(query): RawQuery,
    headers: HeaderMap,
    Form(form): Form<LoginForm>,
) -> Response {
    let lang = Lang::from_query(query.as_deref());
    if from_elsewhere(&headers) {
        return refused_from_elsewhere(lang);
    }
    let opened = with_store(&state.hub, move |s| {
        match s.admin_login(&form.username, &form.password, &peer.address(), Utc::now()) {
            Ok(token) => Ok(Ok(token)),
            Err(e @ (HubError::LoginFailed | HubError::Throttled { .. })) => Ok(Err(e.to_string())),
            Err(e) => Err(e),
        }
    })
    .await;
    match opened {
        Ok(Ok(token)) => {
            let mut response = Redirect::to(&to("/status", lang)).into_response();
            set_cookie(
                &mut response,
                &format!(
                    "{COOKIE}={token}; Path=/; HttpOnly; SameSite=Strict; Max-Age={}{}",
                    SESSION_HOURS * 3600,
                    if state.secure { "; Secure" } else { "" }
                ),
            );
            response
        }
        Ok(Err(message)) => html(StatusCode::UNAUTHORIZED, page::login(lang, Some(&message))),
        Err(refusal) => refusal.into_response(),
    }
}

async fn logout(State(state): State<AppState>, headers: HeaderMap) -> Response {
    if from_elsewhere(&headers) {
        return refused_from_elsewhere(Lang::Id);
    }
    if let Some(token) = session_cookie(&headers) {
        if let Err(refusal) = with_store(&state.hub, move |s| s.admin_logout(&token)).await {
            return refusal.into_response();
        }
    }
    let mut response = Redirect::to("/login").into_response();
    set_cookie(
        &mut response,
        &format!("{COOKIE}=; Path=/; HttpOnly; SameSite=Strict; Max-Age=0"),
    );
    response
}

pub(super) fn routes() -> Router<AppState> {
    Router::new()
        .route("/", get(|| async { Redirect::to("/status") }))
        .route("/status", get(status_page))
        .route("/login", get(login_form).post(login))
        .route("/logout", post(logout))
}
