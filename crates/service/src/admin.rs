//! Administration from what an administrator or an operator typed: enterprises, users (their
//! passwords hashed), API tokens and webhook subscriptions.

use crate::fail_if;
use crate::fields::required as text;
use guomen_domain::party::{CreditGrade, Enterprise, Role};
use guomen_domain::token as policy;
use guomen_domain::types::{CreditCode, CustomsCode};
use guomen_domain::{FieldError, Refusal, Rule};
use guomen_store::tokens::TokenCommand;
use guomen_store::{secrets, AdminCommand};

pub fn enterprise_code(errors: &mut Vec<FieldError>, path: &str, v: Option<&str>) -> Option<CustomsCode> {
    let v = v?;
    CustomsCode::parse(v).map_err(|e| errors.push(FieldError::new(path, e.rule, e.en, e.zh))).ok()
}

pub fn role(errors: &mut Vec<FieldError>, v: &str) -> Option<Role> {
    let r = Role::parse(v);
    if r.is_none() {
        errors.push(FieldError::new(
            "role",
            Rule::RoleUnknown,
            "role is one of declarant, terminal, laboratory, officer, risk-analyst, admin",
            "角色应为 declarant、terminal、laboratory、officer、risk-analyst、admin 之一",
        ));
    }
    r
}

/// Parses an enterprise from its parts.
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
            Rule::GradeUnknown,
            "grade is advanced (advanced-certified), registered or untrustworthy",
            "信用等级应为 advanced（高级认证）、registered（一般信用）或 untrustworthy（失信）",
        ));
    }
    let site_code = site_code.map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned);
    if let Some(s) = &site_code {
        if s.len() > 16 || !s.bytes().all(|b| b.is_ascii_alphanumeric()) {
            errors.push(FieldError::new(
                "site_code",
                Rule::SiteCodeFormat,
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

/// Checks a username and password against the house rules.
pub fn check_user(username: &str, password: &str) -> Vec<FieldError> {
    let mut errors = Vec::new();
    if !(3..=64).contains(&username.len()) || !username.bytes().all(|b| b.is_ascii_alphanumeric() || b"._-".contains(&b)) {
        errors.push(FieldError::new(
            "username",
            Rule::UsernameFormat,
            "a username is 3–64 letters, digits, '.', '_' or '-'",
            "用户名应为3至64位字母、数字、'.'、'_' 或 '-'",
        ));
    }
    if password.chars().count() < 8 {
        errors.push(FieldError::new("password", Rule::PasswordShort, "a password has at least 8 characters", "密码至少8位"));
    }
    errors
}

/// The command that creates a user, every field checked and the password hashed (Argon2id, off
/// the async threads).
pub async fn user_command(
    username: &str,
    password: &str,
    role_name: &str,
    enterprise: Option<&str>,
) -> Result<AdminCommand, crate::Failure> {
    let mut errors = check_user(username, password);
    let role = role(&mut errors, role_name);
    let enterprise = enterprise_code(&mut errors, "enterprise", enterprise.filter(|e| !e.trim().is_empty()));
    fail_if(errors)?;
    let password = password.to_owned();
    let password_hash = tokio::task::spawn_blocking(move || secrets::hash_password(&password))
        .await
        .map_err(|e| crate::Failure::Internal(e.to_string()))?;
    Ok(AdminCommand::CreateUser { username: username.to_owned(), password_hash, role: role.expect("checked"), enterprise })
}

/// The command that creates a webhook subscription, and its signing secret (shown once); shared
/// with the console. The URL's host must be, or resolve only to, addresses `reach` permits
/// (public ones unless internal addresses are allowed).
pub async fn subscription_command(
    reach: guomen_delivery::Reach,
    enterprise: Option<&str>,
    url: &str,
) -> Result<(AdminCommand, String), Refusal> {
    let mut errors = Vec::new();
    let enterprise = enterprise_code(&mut errors, "enterprise", enterprise.filter(|e| !e.trim().is_empty()));
    let url = url.trim().to_owned();
    if url.len() > 2000 || url.chars().any(char::is_whitespace) {
        errors.push(FieldError::new(
            "url",
            Rule::UrlFormat,
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

/// The command that issues a token valid for `days` (else `default_days`), and the token itself
/// (shown once).
pub fn token_command(
    role_name: &str,
    enterprise: Option<&str>,
    label: Option<String>,
    days: Option<i64>,
    default_days: u32,
) -> Result<(AdminCommand, String), Refusal> {
    let mut errors = Vec::new();
    let role = role(&mut errors, role_name);
    let enterprise = enterprise_code(&mut errors, "enterprise", enterprise.filter(|e| !e.trim().is_empty()));
    let label = label.map(|l| l.trim().to_owned()).filter(|l| !l.is_empty());
    if label.as_ref().is_some_and(|l| l.chars().count() > 100) {
        errors.push(guomen_domain::FieldError::new("label", Rule::TooLong, "at most 100 characters", "最多 100 个字符"));
    }
    let valid_days = policy::check_days("expires_in_days", days.unwrap_or(i64::from(default_days))).map_err(|e| errors.push(e)).ok();
    fail_if(errors)?;
    let (token_id, token) = secrets::new_token();
    let cmd = AdminCommand::IssueToken {
        token_id,
        token_hash: secrets::token_hash(&token),
        role: role.expect("checked"),
        enterprise,
        label,
        valid_days: valid_days.expect("checked"),
    };
    Ok((cmd, token))
}

/// The command that revokes token `id`, with an optional reason.
pub fn revoke_command(id: &str, reason: Option<&str>) -> Result<AdminCommand, Refusal> {
    let reason = reason.map(str::trim).filter(|r| !r.is_empty()).map(str::to_owned);
    if reason.as_ref().is_some_and(|r| r.chars().count() > 500) {
        return Err(Refusal::field("reason", Rule::TooLong, "at most 500 characters", "最多 500 个字符"));
    }
    Ok(AdminCommand::Token(TokenCommand::Revoke { token_id: id.trim().to_owned(), reason }))
}
