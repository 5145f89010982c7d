//! The HTTP side: libdav over hyper with rustls (the OS trust store, so `SSL_CERT_FILE` or a
//! CA installed on the machine makes a self-signed server work), HTTP Basic auth, a
//! timeout on every request, MKCALENDAR (libdav's extended MKCOL is ignored by some
//! servers), and errors turned into one sentence a person can act on.

use std::future::Future;
use std::task::{Context, Poll};
use std::time::Duration;

use http::{HeaderValue, Method, Request, Response, StatusCode, Uri};
use hyper_rustls::{HttpsConnector, HttpsConnectorBuilder};
use hyper_util::client::legacy::{Client, connect::HttpConnector};
use hyper_util::rt::TokioExecutor;
use libdav::dav::{WebDavClient, WebDavError, make_relative_url};
use libdav::requests::{DavRequest, ParseResponseError};
use tower_service::Service;

use super::SyncError;

/// Adds `Authorization: Basic …` to every request when a user name is set.
#[derive(Clone)]
pub struct Auth<S> {
    inner: S,
    header: Option<HeaderValue>,
}

impl<S, B> Service<Request<String>> for Auth<S>
where
    S: Service<Request<String>, Response = Response<B>>,
{
    type Response = S::Response;
    type Error = S::Error;
    type Future = S::Future;

    fn poll_ready(&mut self, cx: &mut Context<'_>) -> Poll<Result<(), Self::Error>> {
        self.inner.poll_ready(cx)
    }

    fn call(&mut self, mut req: Request<String>) -> Self::Future {
        if let Some(header) = &self.header {
            req.headers_mut()
                .insert(http::header::AUTHORIZATION, header.clone());
        }
        self.inner.call(req)
    }
}

fn base64(bytes: &[u8]) -> String {
    const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(char::from(ALPHABET[(n >> (18 - 6 * i)) as usize & 63]));
            } else {
                out.push('=');
            }
        }
    }
    out
}

pub type Http = Auth<Client<HttpsConnector<HttpConnector>, String>>;
pub type Dav = WebDavClient<Http>;
pub type DavError = WebDavError<hyper_util::client::legacy::Error>;

/// How long one request may take before the sync gives up.
pub const REQUEST_TIMEOUT: Duration = Duration::from_mins(1);
const CONNECT_TIMEOUT: Duration = Duration::from_secs(10);

/// A client for the server at `url`. Must be called inside the runtime.
pub fn client(url: &str, user: Option<&str>, password: Option<&str>) -> Result<Dav, SyncError> {
    let uri: Uri = url
        .parse()
        .map_err(|e| SyncError::Url(format!("'{url}' is not a URL: {e}")))?;
    if !matches!(uri.scheme_str(), Some("http" | "https")) || uri.host().is_none() {
        return Err(SyncError::Url(format!(
            "'{url}' is not an http:// or https:// URL"
        )));
    }
    let mut tcp = HttpConnector::new();
    tcp.enforce_http(false);
    tcp.set_connect_timeout(Some(CONNECT_TIMEOUT));
    let https = HttpsConnectorBuilder::new()
        .with_native_roots()
        .map_err(|e| SyncError::Tls {
            host: host_of(&uri),
            reason: format!("cannot load this machine's trusted certificates: {e}"),
        })?
        .https_or_http()
        .enable_http1()
        .wrap_connector(tcp);
    let http: Client<_, String> = Client::builder(TokioExecutor::new()).build(https);
    let header = match user {
        Some(user) => {
            let token = base64(format!("{user}:{}", password.unwrap_or_default()).as_bytes());
            let mut value = HeaderValue::from_str(&format!("Basic {token}"))
                .map_err(|_| SyncError::Url("the user name cannot be sent in a header".into()))?;
            value.set_sensitive(true);
            Some(value)
        }
        None => None,
    };
    Ok(WebDavClient::new(
        uri,
        Auth {
            inner: http,
            header,
        },
    ))
}

fn host_of(uri: &Uri) -> String {
    match (uri.host(), uri.port_u16()) {
        (Some(h), Some(p)) => format!("{h}:{p}"),
        (Some(h), None) => h.to_owned(),
        _ => uri.to_string(),
    }
}

/// Runs one request with the timeout.
pub async fn timed<T>(
    dav: &Dav,
    what: &str,
    request: impl Future<Output = Result<T, DavError>>,
) -> Result<T, SyncError> {
    match tokio::time::timeout(REQUEST_TIMEOUT, request).await {
        Ok(Ok(value)) => Ok(value),
        Ok(Err(e)) => Err(describe(dav, what, &e)),
        Err(_) => Err(timeout(dav)),
    }
}

/// The error for a request that took longer than [`REQUEST_TIMEOUT`].
pub fn timeout(dav: &Dav) -> SyncError {
    SyncError::Timeout {
        host: host_of(&dav.base_url),
        secs: REQUEST_TIMEOUT.as_secs(),
    }
}

/// The status code a request failed with, if it got that far.
pub fn status(e: &DavError) -> Option<StatusCode> {
    match e {
        WebDavError::BadStatusCode(s) => Some(*s),
        _ => None,
    }
}

/// Has the server refused a sync token (so a full listing is needed)? Radicale answers
/// 403 with DAV:valid-sync-token, Xandikos 412; 409 is taken the same way to be safe.
pub fn token_rejected(e: &DavError) -> bool {
    match e {
        WebDavError::PreconditionFailed(p) => {
            *p == libdav::Precondition::from(libdav::names::VALID_SYNC_TOKEN)
        }
        WebDavError::BadStatusCode(s) => matches!(s.as_u16(), 403 | 409 | 412),
        _ => false,
    }
}

fn chain(e: &(dyn std::error::Error + 'static)) -> Vec<String> {
    let mut out = vec![e.to_string()];
    let mut source = e.source();
    while let Some(s) = source {
        out.push(s.to_string());
        source = s.source();
    }
    out
}

/// One sentence for a failed request.
pub fn describe(dav: &Dav, what: &str, e: &DavError) -> SyncError {
    let host = host_of(&dav.base_url);
    match e {
        WebDavError::BadStatusCode(s) if matches!(s.as_u16(), 401 | 407) => {
            SyncError::Unauthorized(s.as_u16())
        }
        WebDavError::BadStatusCode(s) => SyncError::Status {
            what: what.to_owned(),
            status: s.as_u16(),
        },
        WebDavError::Request(libdav::dav::RequestError::Client(client)) => {
            let messages = chain(client);
            let innermost = messages.last().cloned().unwrap_or_default();
            let tls = messages.iter().any(|m| {
                let m = m.to_ascii_lowercase();
                m.contains("certificate")
                    || m.contains("tls")
                    || m.contains("corrupt message")
                    || m.contains("handshake")
            });
            if tls {
                SyncError::Tls {
                    host,
                    reason: innermost,
                }
            } else if client.is_connect() {
                SyncError::Unreachable {
                    host,
                    reason: innermost,
                }
            } else {
                SyncError::Server(format!("{what}: {innermost}"))
            }
        }
        WebDavError::PreconditionFailed(p)
            if p.to_string().contains("supported-calendar-component") =>
        {
            SyncError::Server(format!(
                "{what}: the calendar does not accept this kind of item"
            ))
        }
        other => SyncError::Server(format!("{what}: {}", chain(other).join(": "))),
    }
}

fn xml_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
}

/// `MKCALENDAR` (RFC 4791 §5.3.1) with a display name and the one component the calendar
/// holds, which both Radicale and Xandikos honour.
pub struct MkCalendar<'a> {
    pub path: &'a str,
    pub display_name: &'a str,
    pub component: &'a str,
}

impl DavRequest for MkCalendar<'_> {
    type Response = StatusCode;
    type ParseError = ParseResponseError;
    type Error<E> = WebDavError<E>;

    fn prepare_request(&self, base_url: Uri) -> Result<Request<String>, http::Error> {
        let body = format!(
            r#"<?xml version="1.0" encoding="utf-8"?><C:mkcalendar xmlns:D="DAV:" xmlns:C="urn:ietf:params:xml:ns:caldav"><D:set><D:prop><D:displayname>{}</D:displayname><C:supported-calendar-component-set><C:comp name="{}"/></C:supported-calendar-component-set></D:prop></D:set></C:mkcalendar>"#,
            xml_escape(self.display_name),
            self.component
        );
        Request::builder()
            .method(Method::from_bytes(b"MKCALENDAR")?)
            .uri(make_relative_url(base_url, self.path)?)
            .header("Content-Type", "application/xml; charset=utf-8")
            .body(body)
    }

    fn parse_response(
        &self,
        parts: &http::response::Parts,
        _body: &[u8],
    ) -> Result<Self::Response, Self::ParseError> {
        if parts.status.is_success() {
            Ok(parts.status)
        } else {
            Err(ParseResponseError::BadStatusCode(parts.status))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn base64_of_credentials() {
        assert_eq!(base64(b"alice:secret"), "YWxpY2U6c2VjcmV0");
        assert_eq!(base64(b"a"), "YQ==");
        assert_eq!(base64(b"ab"), "YWI=");
        assert_eq!(base64(b""), "");
    }
}
