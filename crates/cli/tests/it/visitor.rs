//! A console visitor over plain HTTP: keeps cookies, follows no redirects (tests look at them),
//! and reads the CSRF token from the pages it gets. Also the console users of the test app.

use crate::helpers::*;
use guomen_domain::party::Role;
use guomen_domain::types::CustomsCode;
use guomen_store::secrets;
use guomen_store::AdminCommand;
use reqwest::header::{HeaderMap, LOCATION, SET_COOKIE};
use std::collections::BTreeMap;

/// Every console user of the test app signs in with this password.
pub const PASSWORD: &str = "console-pass-2026";

/// Console users: (username, role, enterprise).
pub const USERS: &[(&str, Role, Option<&str>)] = &[
    ("trader", Role::Declarant, Some(TRADER)),
    ("trader2", Role::Declarant, Some(OTHER_TRADER)),
    ("terminal", Role::Terminal, Some(TERMINAL)),
    ("lab", Role::Laboratory, Some(LAB)),
    ("officer", Role::Officer, None),
    ("analyst", Role::RiskAnalyst, None),
    ("admin", Role::Admin, None),
];

/// Creates the console users (one Argon2id hash, shared: hashing is slow on purpose).
pub async fn add_users(app: &TestApp) {
    let hash = secrets::hash_password(PASSWORD);
    for (name, role, ent) in USERS {
        let cmd = AdminCommand::CreateUser {
            username: (*name).into(),
            password_hash: hash.clone(),
            role: *role,
            enterprise: ent.map(|e| CustomsCode::parse(e).unwrap()),
        };
        app.store.execute(admin(), cmd).await.unwrap();
    }
}

pub struct Page {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: String,
}

impl Page {
    pub fn location(&self) -> &str {
        self.headers.get(LOCATION).and_then(|v| v.to_str().ok()).unwrap_or("")
    }

    pub fn set_cookies(&self) -> Vec<String> {
        self.headers.get_all(SET_COOKIE).iter().filter_map(|v| v.to_str().ok()).map(str::to_owned).collect()
    }
}

/// The value of the first input named NAME in a page.
pub fn field_value(html: &str, name: &str) -> Option<String> {
    let at = html.find(&format!("name=\"{name}\""))?;
    let tag = &html[at..at + html[at..].find('>')?];
    let v = &tag[tag.find("value=\"")? + 7..];
    Some(v[..v.find('"')?].to_owned())
}

pub struct Visitor {
    http: reqwest::Client,
    base: String,
    pub cookies: BTreeMap<String, String>,
}

impl Visitor {
    pub fn new(app: &TestApp) -> Visitor {
        let http = reqwest::Client::builder().redirect(reqwest::redirect::Policy::none()).build().unwrap();
        Visitor { http, base: app.base.clone(), cookies: BTreeMap::new() }
    }

    /// A visitor whose connections come from `local` (another loopback address: 127.0.0.2, …).
    #[allow(dead_code)]
    pub fn from_address(app: &TestApp, local: &str) -> Visitor {
        let http = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .local_address(local.parse::<std::net::IpAddr>().unwrap())
            .build()
            .unwrap();
        Visitor { http, base: app.base.clone(), cookies: BTreeMap::new() }
    }

    fn cookie_header(&self) -> String {
        self.cookies.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join("; ")
    }

    async fn keep(&mut self, res: reqwest::Response) -> Page {
        let status = res.status().as_u16();
        let headers = res.headers().clone();
        for c in headers.get_all(SET_COOKIE).iter().filter_map(|v| v.to_str().ok()) {
            let first = c.split(';').next().unwrap_or("");
            if let Some((k, v)) = first.split_once('=') {
                if v.is_empty() || c.contains("Max-Age=0") {
                    self.cookies.remove(k);
                } else {
                    self.cookies.insert(k.to_owned(), v.to_owned());
                }
            }
        }
        Page { status, headers, body: res.text().await.unwrap() }
    }

    pub async fn get(&mut self, path: &str) -> Page {
        let res = self.http.get(format!("{}{path}", self.base)).header("cookie", self.cookie_header()).send().await.unwrap();
        self.keep(res).await
    }

    pub async fn post(&mut self, path: &str, fields: &[(&str, &str)]) -> Page {
        let body = fields.iter().map(|(k, v)| format!("{}={}", urlencode(k), urlencode(v))).collect::<Vec<_>>().join("&");
        let res = self
            .http
            .post(format!("{}{path}", self.base))
            .header("cookie", self.cookie_header())
            .header("content-type", "application/x-www-form-urlencoded")
            .body(body)
            .send()
            .await
            .unwrap();
        self.keep(res).await
    }

    pub async fn post_raw(&mut self, path: &str, content_type: &str, body: Vec<u8>, extra: &[(&str, &str)]) -> Page {
        let mut req =
            self.http.post(format!("{}{path}", self.base)).header("cookie", self.cookie_header()).header("content-type", content_type);
        for (k, v) in extra {
            req = req.header(*k, *v);
        }
        let res = req.body(body).send().await.unwrap();
        self.keep(res).await
    }

    /// Signs in through the form; returns the answer to the POST.
    pub async fn sign_in(&mut self, username: &str, password: &str) -> Page {
        let form = self.get("/login").await;
        assert_eq!(form.status, 200, "{}", form.body);
        let token = field_value(&form.body, "login_token").expect("the sign-in form carries its token");
        self.post("/login", &[("login_token", &token), ("next", ""), ("username", username), ("password", password)]).await
    }

    /// Signs in and checks it worked.
    pub async fn signed_in(app: &TestApp, username: &str) -> Visitor {
        let mut v = Visitor::new(app);
        let res = v.sign_in(username, PASSWORD).await;
        assert_eq!(res.status, 303, "{username} could not sign in: {}", res.body);
        v
    }

    /// The CSRF token of the session, read from a page.
    pub async fn csrf(&mut self) -> String {
        let home = self.get("/home").await;
        let page = self.get(home.location()).await;
        field_value(&page.body, "csrf").expect("a signed-in page carries the CSRF token")
    }
}

pub fn urlencode(s: &str) -> String {
    s.bytes()
        .map(|b| match b {
            b'A'..=b'Z' | b'a'..=b'z' | b'0'..=b'9' | b'-' | b'_' | b'.' | b'~' => (b as char).to_string(),
            b' ' => "+".into(),
            _ => format!("%{b:02X}"),
        })
        .collect()
}

/// The form fields of a declaration draft (JSON), as the console's form names them.
pub fn form_fields(draft: &serde_json::Value) -> Vec<(String, String)> {
    let mut out = Vec::new();
    for (k, v) in draft["head"].as_object().unwrap() {
        out.push((format!("head.{k}"), v.as_str().unwrap().to_owned()));
    }
    for group in ["items", "containers", "licences"] {
        for (i, row) in draft[group].as_array().unwrap().iter().enumerate() {
            for (k, v) in row.as_object().unwrap() {
                if k != "g_no" {
                    out.push((format!("{group}[{i}].{k}"), v.as_str().unwrap().to_owned()));
                }
            }
        }
    }
    out
}
