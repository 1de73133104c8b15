//! The security log and what both edges (the API and the console) need to write it: who is
//! asking (the client address, from the socket or from a trusted proxy's `X-Forwarded-For`),
//! under which request id, over HTTPS or not.
//!
//! The log is structured JSON, one line per event, for an operator to ship to a SIEM:
//!
//! ```text
//! {"time":"2026-03-01T08:00:00.123Z","event":"auth_failed","client":"203.0.113.7",
//!  "request_id":"5f0c…","actor":null,"route":"GET /api/v1/declarations","detail":{"reason":"revoked","token":"a1b2c3d4e5f6"}}
//! ```
//!
//! Events: `auth_failed` (bad, expired or revoked API token, or none), `signin_failed` (wrong
//! password), `signin_locked_out` (a failure locked a username for an address), `signin_refused_locked`,
//! `forbidden` (403), `rate_limited` (429), `personal_data_lookup` (a buyer's parcel or quota,
//! the identity masked) and `personal_data_read` (an inventory list with its buyer read through
//! the API). Each line is written with one `write` call under a lock, so lines never interleave;
//! nothing is buffered in the process, so a crash loses no line the kernel accepted.
//!
//! It lives in the store crate only because both edges depend on it; it touches no database.

use guomen_domain::party::Actor;
use serde::Serialize;
use serde_json::Value;
use std::io::Write;
use std::net::IpAddr;
use std::path::Path;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex};

/// Where security events go.
#[derive(Clone)]
pub struct SecurityLog {
    sink: Arc<Sink>,
}

enum Sink {
    Off,
    Stderr,
    File { path: String, file: Mutex<std::fs::File> },
}

impl std::fmt::Debug for SecurityLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match &*self.sink {
            Sink::Off => f.write_str("SecurityLog(off)"),
            Sink::Stderr => f.write_str("SecurityLog(stderr)"),
            Sink::File { path, .. } => write!(f, "SecurityLog({path})"),
        }
    }
}

impl Default for SecurityLog {
    fn default() -> Self {
        SecurityLog::off()
    }
}

/// One line of the security log.
#[derive(Debug, Serialize)]
struct Line<'a> {
    time: String,
    event: &'a str,
    client: String,
    request_id: &'a str,
    actor: Option<String>,
    route: &'a str,
    detail: Value,
}

impl SecurityLog {
    /// Writes nothing (library use and tools that serve no one).
    pub fn off() -> SecurityLog {
        SecurityLog { sink: Arc::new(Sink::Off) }
    }

    pub fn stderr() -> SecurityLog {
        SecurityLog { sink: Arc::new(Sink::Stderr) }
    }

    /// Appends to `path`, creating it (and its directory) if needed.
    pub fn file(path: &Path) -> std::io::Result<SecurityLog> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)?;
        }
        let file = std::fs::OpenOptions::new().create(true).append(true).open(path)?;
        Ok(SecurityLog { sink: Arc::new(Sink::File { path: path.display().to_string(), file: Mutex::new(file) }) })
    }

    /// `-` for standard error, anything else a file path.
    pub fn open(spec: &str) -> std::io::Result<SecurityLog> {
        if spec == "-" {
            Ok(SecurityLog::stderr())
        } else {
            SecurityLog::file(Path::new(spec))
        }
    }

    /// Records one event of the request `req`.
    pub fn record(&self, req: &RequestContext, event: &str, detail: Value) {
        if matches!(*self.sink, Sink::Off) {
            return;
        }
        let line = Line {
            time: now_rfc3339(),
            event,
            client: req.client_key(),
            request_id: req.id(),
            actor: req.actor(),
            route: req.route(),
            detail,
        };
        let mut text = serde_json::to_string(&line).expect("log lines serialize");
        text.push('\n');
        let written = match &*self.sink {
            Sink::Off => Ok(()),
            Sink::Stderr => std::io::stderr().lock().write_all(text.as_bytes()),
            Sink::File { file, .. } => file.lock().expect("security log lock").write_all(text.as_bytes()),
        };
        if let Err(e) = written {
            tracing::error!(error = %e, event, "cannot write the security log");
        }
    }
}

/// Now, to the millisecond, in UTC (`…Z`).
fn now_rfc3339() -> String {
    let now = time::OffsetDateTime::now_utc();
    let ms = now.replace_nanosecond(now.nanosecond() / 1_000_000 * 1_000_000).unwrap_or(now);
    ms.format(&time::format_description::well_known::Rfc3339).unwrap_or_default()
}

/// An address or a network (`10.0.0.0/8`, `2001:db8::/32`) of trusted proxies.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Network {
    addr: IpAddr,
    prefix: u8,
}

impl Network {
    pub fn parse(s: &str) -> Result<Network, String> {
        let s = s.trim();
        let (a, p) = match s.split_once('/') {
            Some((a, p)) => (a, Some(p)),
            None => (s, None),
        };
        let addr: IpAddr = a.parse().map_err(|_| format!("{s:?} is not an IP address or network"))?;
        let max = if addr.is_ipv4() { 32 } else { 128 };
        let prefix = match p {
            None => max,
            Some(p) => p.parse::<u8>().ok().filter(|p| *p <= max).ok_or_else(|| format!("{s:?}: the prefix length is 0 to {max}"))?,
        };
        Ok(Network { addr: addr.to_canonical(), prefix })
    }

    pub fn contains(&self, ip: IpAddr) -> bool {
        match (self.addr, ip.to_canonical()) {
            (IpAddr::V4(n), IpAddr::V4(a)) => {
                let mask = if self.prefix == 0 { 0 } else { u32::MAX << (32 - u32::from(self.prefix)) };
                u32::from(n) & mask == u32::from(a) & mask
            }
            (IpAddr::V6(n), IpAddr::V6(a)) => {
                let mask = if self.prefix == 0 { 0 } else { u128::MAX << (128 - u32::from(self.prefix)) };
                u128::from(n) & mask == u128::from(a) & mask
            }
            _ => false,
        }
    }
}

/// How the edges learn who is asking, and where security events go. Set once by `guomen serve`
/// ([`crate::Store::with_security`]); the default logs nothing and trusts no proxy.
#[derive(Debug, Clone)]
pub struct SecuritySettings {
    pub log: SecurityLog,
    /// Proxies whose `X-Forwarded-For` and `X-Forwarded-Proto` are believed; from anyone else
    /// those headers are ignored.
    pub trusted_proxies: Vec<Network>,
    /// The console is served to users over HTTPS (`GUOMEN_PUBLIC_URL=https://…`): its cookies
    /// are marked `Secure` whatever the request says.
    pub public_https: bool,
    /// Days a new API token lasts unless its issuer says otherwise.
    pub token_days: u32,
}

impl Default for SecuritySettings {
    fn default() -> Self {
        SecuritySettings {
            log: SecurityLog::off(),
            trusted_proxies: Vec::new(),
            public_https: false,
            token_days: guomen_domain::token::DEFAULT_DAYS,
        }
    }
}

impl SecuritySettings {
    fn trusted(&self, ip: IpAddr) -> bool {
        self.trusted_proxies.iter().any(|n| n.contains(ip))
    }

    /// The client behind `peer`: the socket's address, unless `peer` is a trusted proxy; then the
    /// nearest address in `X-Forwarded-For` (read from the right) that is not itself a trusted
    /// proxy. A value that is not an address ends the walk at the last trusted hop.
    pub fn client(&self, peer: Option<IpAddr>, forwarded_for: Option<&str>) -> Option<IpAddr> {
        let peer = peer.map(|p| p.to_canonical())?;
        if !self.trusted(peer) {
            return Some(peer);
        }
        let Some(chain) = forwarded_for else { return Some(peer) };
        let mut client = peer;
        for hop in chain.rsplit(',') {
            match hop.trim().parse::<IpAddr>() {
                Ok(ip) => {
                    client = ip.to_canonical();
                    if !self.trusted(client) {
                        break;
                    }
                }
                Err(_) => break,
            }
        }
        Some(client)
    }

    /// Whether the user reached the console over HTTPS: the public URL says so, or a trusted
    /// proxy does (`X-Forwarded-Proto: https`, its last value).
    pub fn https(&self, peer: Option<IpAddr>, forwarded_proto: Option<&str>) -> bool {
        self.public_https
            || (peer.is_some_and(|p| self.trusted(p.to_canonical()))
                && forwarded_proto.and_then(|p| p.rsplit(',').next()).is_some_and(|p| p.trim().eq_ignore_ascii_case("https")))
    }
}

/// A request as the security log sees it: shared between the middleware that made it and the
/// handlers and extractors that learn who the caller is.
#[derive(Clone)]
pub struct RequestContext {
    inner: Arc<ContextInner>,
}

struct ContextInner {
    id: String,
    client: Option<IpAddr>,
    route: String,
    https: bool,
    actor: Mutex<Option<String>>,
    logged: AtomicBool,
}

impl std::fmt::Debug for RequestContext {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RequestContext").field("id", &self.inner.id).field("client", &self.inner.client).finish()
    }
}

/// Whether an incoming `X-Request-Id` is kept: 1 to 64 letters, digits, `-`, `_`, `.` or `:`.
pub fn sane_request_id(id: &str) -> bool {
    (1..=64).contains(&id.len()) && id.bytes().all(|b| b.is_ascii_alphanumeric() || b"-_.:".contains(&b))
}

/// A fresh request id: 16 random bytes, hex.
pub fn new_request_id() -> String {
    use rand::RngCore;
    let mut b = [0u8; 16];
    rand::thread_rng().fill_bytes(&mut b);
    hex::encode(b)
}

/// The request's headers that matter here, read by the edge.
#[derive(Debug, Default, Clone, Copy)]
pub struct RequestHeaders<'a> {
    pub forwarded_for: Option<&'a str>,
    pub forwarded_proto: Option<&'a str>,
    pub request_id: Option<&'a str>,
}

impl RequestContext {
    /// `route` is the method and path, without the query (which may carry personal data).
    pub fn new(settings: &SecuritySettings, peer: Option<IpAddr>, headers: RequestHeaders<'_>, route: String) -> RequestContext {
        let id = headers.request_id.map(str::trim).filter(|id| sane_request_id(id)).map(str::to_owned).unwrap_or_else(new_request_id);
        RequestContext {
            inner: Arc::new(ContextInner {
                id,
                client: settings.client(peer, headers.forwarded_for),
                route,
                https: settings.https(peer, headers.forwarded_proto),
                actor: Mutex::new(None),
                logged: AtomicBool::new(false),
            }),
        }
    }

    /// For a request that reached a handler without the edge's middleware (it should not happen).
    pub fn unknown(route: String) -> RequestContext {
        RequestContext::new(&SecuritySettings::default(), None, RequestHeaders::default(), route)
    }

    pub fn id(&self) -> &str {
        &self.inner.id
    }

    pub fn client(&self) -> Option<IpAddr> {
        self.inner.client
    }

    /// The client address as text (`unknown` when the server was not told it).
    pub fn client_key(&self) -> String {
        self.inner.client.map_or_else(|| "unknown".to_owned(), |c| c.to_string())
    }

    pub fn route(&self) -> &str {
        &self.inner.route
    }

    pub fn https(&self) -> bool {
        self.inner.https
    }

    /// Names the caller once it is known (a valid token, a live session, a checked password).
    pub fn set_actor(&self, actor: &Actor) {
        *self.inner.actor.lock().expect("request actor lock") = Some(crate::kernel::actor_str(actor));
    }

    pub fn actor(&self) -> Option<String> {
        self.inner.actor.lock().expect("request actor lock").clone()
    }

    /// Writes one event of this request to `log`.
    pub fn log(&self, log: &SecurityLog, event: &str, detail: Value) {
        self.inner.logged.store(true, Ordering::Relaxed);
        log.record(self, event, detail);
    }

    /// After the answer: a 401, 403 or 429 that no handler logged is logged here, with the
    /// refusal's code and words when the edge left them in `note`.
    pub fn log_refusal(&self, log: &SecurityLog, status: u16, note: Option<&RefusalNote>) {
        if self.inner.logged.load(Ordering::Relaxed) {
            return;
        }
        let event = match status {
            401 => "auth_failed",
            403 => "forbidden",
            429 => "rate_limited",
            _ => return,
        };
        let detail = match note {
            Some(n) => serde_json::json!({ "status": status, "code": n.code, "detail": n.detail }),
            None => serde_json::json!({ "status": status }),
        };
        self.log(log, event, detail);
    }
}

/// What a refusal said, left in the response's extensions by the edge that refused, for the
/// security log.
#[derive(Debug, Clone)]
pub struct RefusalNote {
    pub code: String,
    pub detail: String,
}

/// An identity number as the security log and the console show it: all but the last four
/// characters hidden.
pub fn mask_identity(id: &str) -> String {
    let chars: Vec<char> = id.trim().chars().collect();
    let keep = chars.len().saturating_sub(4);
    chars.iter().enumerate().map(|(i, c)| if i < keep { '*' } else { *c }).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    fn ip(s: &str) -> IpAddr {
        s.parse().unwrap()
    }

    fn settings(proxies: &[&str]) -> SecuritySettings {
        SecuritySettings { trusted_proxies: proxies.iter().map(|p| Network::parse(p).unwrap()).collect(), ..Default::default() }
    }

    #[test]
    fn forwarded_for_is_believed_only_from_a_trusted_proxy() {
        let none = settings(&[]);
        assert_eq!(none.client(Some(ip("198.51.100.9")), Some("203.0.113.7")), Some(ip("198.51.100.9")), "no proxy is trusted");
        let s = settings(&["10.0.0.0/8", "192.0.2.1"]);
        assert_eq!(s.client(Some(ip("10.1.2.3")), Some("203.0.113.7")), Some(ip("203.0.113.7")));
        assert_eq!(s.client(Some(ip("198.51.100.9")), Some("203.0.113.7")), Some(ip("198.51.100.9")), "not from a trusted proxy");
        // A client cannot hide behind a forged entry on the left: the walk stops at the first
        // untrusted address from the right.
        assert_eq!(s.client(Some(ip("10.1.2.3")), Some("1.1.1.1, 203.0.113.7, 192.0.2.1")), Some(ip("203.0.113.7")));
        assert_eq!(s.client(Some(ip("10.1.2.3")), Some("garbage, 10.0.0.5")), Some(ip("10.0.0.5")));
        assert_eq!(s.client(Some(ip("10.1.2.3")), None), Some(ip("10.1.2.3")));
        assert_eq!(s.client(Some(ip("::ffff:10.1.2.3")), Some("2001:db8::1")), Some(ip("2001:db8::1")), "IPv4-mapped peers");
        assert_eq!(s.client(None, Some("203.0.113.7")), None);
    }

    #[test]
    fn https_from_the_public_url_or_a_trusted_proxy() {
        let s = settings(&["10.0.0.1"]);
        assert!(s.https(Some(ip("10.0.0.1")), Some("https")));
        assert!(!s.https(Some(ip("10.0.0.2")), Some("https")), "anyone else's header is ignored");
        assert!(!s.https(Some(ip("10.0.0.1")), Some("http")));
        let public = SecuritySettings { public_https: true, ..Default::default() };
        assert!(public.https(None, None));
    }

    #[test]
    fn networks_parse_and_match() {
        assert!(Network::parse("10.0.0.0/8").unwrap().contains(ip("10.255.0.1")));
        assert!(!Network::parse("10.0.0.0/8").unwrap().contains(ip("11.0.0.1")));
        assert!(Network::parse("0.0.0.0/0").unwrap().contains(ip("8.8.8.8")));
        assert!(Network::parse("2001:db8::/32").unwrap().contains(ip("2001:db8:1::5")));
        assert!(!Network::parse("2001:db8::/32").unwrap().contains(ip("10.0.0.1")));
        assert!(Network::parse("10.0.0.0/33").is_err());
        assert!(Network::parse("proxy.local").is_err());
    }

    #[test]
    fn request_ids_are_kept_when_sane() {
        let s = SecuritySettings::default();
        let h = |id| RequestHeaders { request_id: Some(id), ..Default::default() };
        assert_eq!(RequestContext::new(&s, None, h("abc-123"), "GET /".into()).id(), "abc-123");
        for bad in ["", "a b", "x\ny", &"a".repeat(65), "{\"json\":1}"] {
            let id = RequestContext::new(&s, None, h(bad), "GET /".into()).id().to_owned();
            assert_eq!(id.len(), 32, "{bad:?} replaced by a fresh id");
        }
    }

    #[test]
    fn the_log_writes_one_json_line_per_event() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("sub/security.log");
        let log = SecurityLog::file(&path).unwrap();
        let req = RequestContext::new(&settings(&[]), Some(ip("203.0.113.7")), RequestHeaders::default(), "GET /api/v1/x".into());
        req.log(&log, "auth_failed", serde_json::json!({"reason": "unknown"}));
        req.set_actor(&Actor { id: "token:abc".into(), role: Some(guomen_domain::party::Role::Officer), enterprise: None });
        req.log_refusal(&log, 403, None);
        let forbidden = RequestContext::new(&settings(&[]), None, RequestHeaders::default(), "POST /x".into());
        forbidden.log_refusal(&log, 403, Some(&RefusalNote { code: "forbidden".into(), detail: "no".into() }));
        forbidden.log_refusal(&log, 404, None);
        let text = std::fs::read_to_string(&path).unwrap();
        let lines: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).unwrap()).collect();
        assert_eq!(lines.len(), 2, "{text}: a request logged by its handler is not logged again; a 404 is not a security event");
        assert_eq!(lines[0]["event"], "auth_failed");
        assert_eq!(lines[0]["client"], "203.0.113.7");
        assert_eq!(lines[0]["route"], "GET /api/v1/x");
        assert_eq!(lines[0]["actor"], Value::Null);
        assert_eq!(lines[0]["request_id"].as_str().unwrap().len(), 32);
        assert!(lines[0]["time"].as_str().unwrap().ends_with('Z'));
        assert_eq!(lines[1]["event"], "forbidden");
        assert_eq!(lines[1]["client"], "unknown");
        assert_eq!(lines[1]["detail"]["code"], "forbidden");
    }

    #[test]
    fn identities_are_masked_but_for_the_last_four() {
        assert_eq!(mask_identity("110101199003070066"), "**************0066");
        assert_eq!(mask_identity("abc"), "abc");
    }
}
