//! Administration — enterprises, users and webhook subscriptions (API tokens: `tokens.rs`).

use crate::auth::Caller;
use crate::body::RawBody;
use crate::problem::ApiError;
use crate::AppState;
use axum::extract::{Path, State};
use axum::http::StatusCode;
use axum::Json;
use guomen_domain::party::{CreditGrade, Enterprise, Role};
use guomen_domain::types::{CreditCode, CustomsCode};
use guomen_domain::{FieldError, Refusal};
use guomen_store::AdminCommand;
use guomen_store::{secrets, Outcome};
use serde::Deserialize;
use serde_json::{json, Value};

pub(crate) fn fail_if(errors: Vec<FieldError>) -> Result<(), ApiError> {
    if errors.is_empty() {
        Ok(())
    } else {
        Err(ApiError::Refused(Refusal::validation(errors)))
    }
}

fn text(errors: &mut Vec<FieldError>, path: &str, v: &str, max: usize) -> String {
    let t = v.trim();
    if t.is_empty() {
        errors.push(FieldError::new(path, "required", "this field is required", "此字段为必填项"));
    } else if t.chars().count() > max {
        errors.push(FieldError::new(path, "too_long", format!("at most {max} characters"), format!("最多 {max} 个字符")));
    }
    t.to_owned()
}

pub(crate) fn enterprise_code(errors: &mut Vec<FieldError>, path: &str, v: Option<&str>) -> Option<CustomsCode> {
    let v = v?;
    CustomsCode::parse(v).map_err(|e| errors.push(FieldError::new(path, e.rule, e.en, e.zh))).ok()
}

pub(crate) fn role(errors: &mut Vec<FieldError>, v: &str) -> Option<Role> {
    let r = Role::parse(v);
    if r.is_none() {
        errors.push(FieldError::new(
            "role",
            "role_unknown",
            "role is one of declarant, terminal, laboratory, officer, risk-analyst, admin",
            "角色应为 declarant、terminal、laboratory、officer、risk-analyst、admin 之一",
        ));
    }
    r
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct EnterpriseBody {
    code: String,
    credit_code: String,
    name_zh: String,
    #[serde(default)]
    name_en: String,
    grade: String,
    site_code: Option<String>,
}

/// Parses an enterprise from its parts; shared with the CLI.
pub fn parse_enterprise(
    code: &str,
    credit_code: &str,
    name_zh: &str,
    name_en: &str,
    grade: &str,
    site_code: Option<&str>,
) -> Result<Enterprise, Vec<FieldError>> {
    let mut errors = Vec::new();
    let code = enterprise_code(&mut errors, "code", Some(code));
    let credit = CreditCode::parse(credit_code).map_err(|e| errors.push(FieldError::new("credit_code", e.rule, e.en, e.zh))).ok();
    let name_zh = text(&mut errors, "name_zh", name_zh, 100);
    let name_en = if name_en.trim().is_empty() { String::new() } else { text(&mut errors, "name_en", name_en, 200) };
    let grade = CreditGrade::parse(grade);
    if grade.is_none() {
        errors.push(FieldError::new(
            "grade",
            "grade_unknown",
            "grade is advanced (advanced-certified), registered or untrustworthy",
            "信用等级应为 advanced（高级认证）、registered（一般信用）或 untrustworthy（失信）",
        ));
    }
    let site_code = site_code.map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    if let Some(s) = &site_code {
        if s.len() > 16 || !s.bytes().all(|b| b.is_ascii_alphanumeric()) {
            errors.push(FieldError::new(
                "site_code",
                "site_code_format",
                "a supervision-site code is 1–16 letters or digits",
                "监管场所代码应为1至16位字母或数字",
            ));
        }
    }
    match (code, credit, grade, errors.is_empty()) {
        (Some(code), Some(credit_code), Some(grade), true) => Ok(Enterprise { code, credit_code, name_zh, name_en, grade, site_code }),
        _ => Err(errors),
    }
}

/// `POST /api/v1/enterprises`
pub async fn add_enterprise(State(s): State<AppState>, caller: Caller, body: RawBody) -> Result<(StatusCode, Json<Value>), ApiError> {
    caller.require(&[Role::Admin])?;
    let b: EnterpriseBody = body.json()?;
    let e = parse_enterprise(&b.code, &b.credit_code, &b.name_zh, &b.name_en, &b.grade, b.site_code.as_deref())
        .map_err(|errs| ApiError::Refused(Refusal::validation(errs)))?;
    match s.store.execute(caller.0.clone(), AdminCommand::RegisterEnterprise(e)).await? {
        Outcome::Enterprise(e) => Ok((StatusCode::CREATED, Json(json!(e)))),
        other => Err(ApiError::Internal(format!("unexpected outcome {other:?}"))),
    }
}

/// `GET /api/v1/enterprises`
pub async fn enterprises(State(s): State<AppState>, caller: Caller) -> Result<Json<Value>, ApiError> {
    caller.require(&[Role::Admin, Role::Officer, Role::RiskAnalyst])?;
    Ok(Json(json!({ "enterprises": s.store.enterprises().await? })))
}

/// `GET /api/v1/enterprises/{code}` — customs roles, or the enterprise's own people.
pub async fn enterprise(State(s): State<AppState>, caller: Caller, Path(code): Path<String>) -> Result<Json<Value>, ApiError> {
    let own = caller.0.enterprise.as_ref().is_some_and(|e| e.as_str() == code);
    if !caller.is_customs() && !own {
        return Err(ApiError::Refused(Refusal::not_found("enterprise", "企业")));
    }
    let e = s.store.enterprise(&code).await?.ok_or_else(|| ApiError::Refused(Refusal::not_found("enterprise", "企业")))?;
    let mut v = json!(e);
    // 处置记录: open and overdue disposition orders show on the enterprise's record.
    v["dispositions"] = json!(s.store.enterprise_dispositions(&code, super::today()).await?);
    Ok(Json(v))
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UserBody {
    username: String,
    password: String,
    role: String,
    enterprise: Option<String>,
}

/// Checks a username and password against the house rules; shared with the CLI.
pub fn check_user(username: &str, password: &str) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if !(3..=64).contains(&username.len()) || !username.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b)) {
        errors.push(FieldError::new(
            "username",
            "username_format",
            "a username is 3–64 letters, digits, '.', '_' or '-'",
            "用户名应为3至64位字母、数字、'.'、'_' 或 '-'",
        ));
    }
    if password.chars().count() < 8 {
        errors.push(FieldError::new("password", "password_short", "a password has at least 8 characters", "密码至少8位"));
    }
    errors
}

/// `POST /api/v1/users`
pub async fn add_user(State(s): State<AppState>, caller: Caller, body: RawBody) -> Result<(StatusCode, Json<Value>), ApiError> {
    caller.require(&[Role::Admin])?;
    let b: UserBody = body.json()?;
    let cmd = user_command(&b.username, &b.password, &b.role, b.enterprise.as_deref()).await?;
    let AdminCommand::CreateUser { role, enterprise, .. } = &cmd else { unreachable!("user_command makes CreateUser") };
    let (role, enterprise) = (*role, enterprise.clone());
    s.store.execute(caller.0.clone(), cmd).await?;
    Ok((StatusCode::CREATED, Json(json!({ "username": b.username, "role": role, "enterprise": enterprise }))))
}

/// The command that creates a user, every field checked and the password hashed (Argon2id, off
/// the async threads); shared with the console.
pub async fn user_command(username: &str, password: &str, role_name: &str, enterprise: Option<&str>) -> Result<AdminCommand, ApiError> {
    let mut errors = check_user(username, password);
    let role = role(&mut errors, role_name);
    let enterprise = enterprise_code(&mut errors, "enterprise", enterprise.filter(|e| !e.trim().is_empty()));
    fail_if(errors)?;
    let password = password.to_owned();
    let password_hash =
        tokio::task::spawn_blocking(move || secrets::hash_password(&password)).await.map_err(|e| ApiError::Internal(e.to_string()))?;
    Ok(AdminCommand::CreateUser { username: username.to_owned(), password_hash, role: role.expect("checked"), enterprise })
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SubscriptionBody {
    enterprise: Option<String>,
    url: String,
}

/// `POST /api/v1/subscriptions` — a webhook for the notices addressed to an enterprise (or all).
pub async fn subscribe(State(s): State<AppState>, caller: Caller, body: RawBody) -> Result<(StatusCode, Json<Value>), ApiError> {
    caller.require(&[Role::Admin])?;
    let b: SubscriptionBody = body.json()?;
    let (cmd, secret) = subscription_command(s.webhooks, b.enterprise.as_deref(), &b.url).await?;
    match s.store.execute(caller.0.clone(), cmd).await? {
        Outcome::Subscription(sub) => {
            let mut v = json!(sub);
            v["secret"] = json!(secret);
            Ok((StatusCode::CREATED, Json(v)))
        }
        other => Err(ApiError::Internal(format!("unexpected outcome {other:?}"))),
    }
}

/// The command that creates a webhook subscription, and its signing secret (shown once); shared
/// with the console. The URL's host must be, or resolve only to, addresses `reach` permits
/// (public ones unless internal addresses are allowed).
pub async fn subscription_command(
    reach: guomen_delivery::Reach,
    enterprise: Option<&str>,
    url: &str,
) -> Result<(AdminCommand, String), ApiError> {
    let mut errors = Vec::new();
    let enterprise = enterprise_code(&mut errors, "enterprise", enterprise.filter(|e| !e.trim().is_empty()));
    let url = url.trim().to_owned();
    if url.len() > 2000 || url.chars().any(char::is_whitespace) {
        errors.push(FieldError::new(
            "url",
            "url_format",
            "a webhook URL is an absolute http:// or https:// URL",
            "推送地址应为 http:// 或 https:// 开头的绝对地址",
        ));
    } else if let Err(r) = guomen_delivery::reach::check_url(&url, reach).await {
        errors.push(FieldError::new("url", r.rule, r.en, r.zh));
    }
    fail_if(errors)?;
    let secret = secrets::new_secret();
    let id = format!("sub-{}", &secrets::new_token().0);
    Ok((AdminCommand::CreateSubscription { id, enterprise, url, secret: secret.clone() }, secret))
}

/// `GET /api/v1/subscriptions` — with delivery state.
pub async fn subscriptions(State(s): State<AppState>, caller: Caller) -> Result<Json<Value>, ApiError> {
    caller.require(&[Role::Admin])?;
    Ok(Json(json!({ "subscriptions": s.store.subscriptions().await? })))
}
