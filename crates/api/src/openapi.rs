//! The OpenAPI 3.1 document of `/api/v1`, written out by hand so it says exactly what the
//! routes do (roles, media types, problem answers).

use serde_json::{json, Map, Value};

struct Op {
    method: &'static str,
    path: &'static str,
    summary: &'static str,
    roles: &'static str,
    body: Option<Value>,
    ok: (&'static str, &'static str),
}

fn problem_ref() -> Value {
    json!({ "application/problem+json": { "schema": { "$ref": "#/components/schemas/Problem" } } })
}

fn json_body(schema: Value) -> Value {
    json!({ "required": true, "content": { "application/json": { "schema": schema } } })
}

fn ops() -> Vec<Op> {
    let any_obj = json!({ "type": "object" });
    vec![
        Op { method: "post", path: "/api/v1/declarations", summary: "File a declaration (JSON or GACC DecMessage XML); targeted at once", roles: "declarant", body: Some(json!({
            "required": true,
            "content": {
                "application/json": { "schema": { "$ref": "#/components/schemas/DeclarationDraft" } },
                "application/xml": { "schema": { "type": "string", "description": "GACC DecMessage (Announcement 2018 No. 67)" } }
            }
        })), ok: ("201", "The declaration with id, status, lane and hits; a replay of an Idempotency-Key answers the first result with `Idempotent-Replayed: true`") },
        Op { method: "get", path: "/api/v1/declarations", summary: "List declarations the caller may see (status, lane, overdue, before, limit)", roles: "declarant (own), terminal (addressed), officer, risk-analyst, admin", body: None, ok: ("200", "Declaration summaries, newest first") },
        Op { method: "get", path: "/api/v1/declarations/{id}", summary: "A declaration with its timeline of journal entries", roles: "declarant (own), terminal (addressed), officer, risk-analyst, admin", body: None, ok: ("200", "The record") },
        Op { method: "post", path: "/api/v1/declarations/{id}/complete", summary: "Two-step declaration, step 2: the complete declaration", roles: "declarant (own)", body: Some(json_body(json!({ "$ref": "#/components/schemas/DeclarationDraft" }))), ok: ("200", "The record") },
        Op { method: "get", path: "/api/v1/declarations/{id}/replay", summary: "Recompute the risk decision from its recorded seed and rule-set version", roles: "officer, risk-analyst", body: None, ok: ("200", "Recorded and replayed decisions and whether they are identical") },
        Op { method: "post", path: "/api/v1/arrivals", summary: "Arrival report for a bill of lading (releases advance declarations not targeted)", roles: "terminal", body: Some(json_body(json!({ "type": "object", "required": ["bill_no"], "properties": { "bill_no": { "type": "string" }, "arrived_at": { "type": "string", "format": "date-time" } } }))), ok: ("200", "Declarations whose goods arrived") },
        Op { method: "post", path: "/api/v1/declarations/{id}/position", summary: "Container in position for inspection", roles: "terminal (addressed)", body: Some(json_body(json!({ "type": "object", "required": ["record_no", "container_no", "site_name", "slot_code"], "properties": { "record_no": { "type": "string" }, "container_no": { "type": "string" }, "site_name": { "type": "string" }, "slot_code": { "type": "string" }, "arrived_at": { "type": "string", "format": "date-time" } } }))), ok: ("200", "The record") },
        Op { method: "post", path: "/api/v1/declarations/{id}/inspection-result", summary: "Record the inspection result", roles: "officer", body: Some(json_body(json!({ "type": "object", "required": ["outcome"], "properties": { "outcome": { "enum": ["satisfactory", "not-satisfactory"] }, "findings": { "type": "array", "items": { "type": "string" } }, "note": { "type": "string" } } }))), ok: ("200", "The record") },
        Op { method: "post", path: "/api/v1/declarations/{id}/release", summary: "Release after inspection or lift a hold", roles: "officer", body: Some(json!({ "required": false, "content": { "application/json": { "schema": { "type": "object", "properties": { "note": { "type": "string" } } } } } })), ok: ("200", "The record") },
        Op { method: "post", path: "/api/v1/declarations/{id}/hold", summary: "Hold the goods", roles: "officer", body: Some(json_body(json!({ "type": "object", "required": ["reason"], "properties": { "reason": { "type": "string" } } }))), ok: ("200", "The record") },
        Op { method: "get", path: "/api/v1/notices", summary: "Notices addressed to the caller's enterprise (customs: all, or ?recipient=)", roles: "declarant, terminal, laboratory, officer, admin", body: None, ok: ("200", "Outbox messages after ?after=") },
        Op { method: "get", path: "/api/v1/events", summary: "The same notices as Server-Sent Events; resumes from Last-Event-ID", roles: "declarant, terminal, laboratory, officer, admin", body: None, ok: ("200", "text/event-stream") },
        Op { method: "get", path: "/api/v1/rules", summary: "The rule set in force", roles: "risk-analyst, officer", body: None, ok: ("200", "RuleSet") },
        Op { method: "put", path: "/api/v1/rules", summary: "Publish a whole rule set as a new version", roles: "risk-analyst", body: Some(json_body(json!({ "type": "object", "required": ["reason", "rules"], "properties": { "reason": { "type": "string" }, "rules": { "$ref": "#/components/schemas/RuleSet" } } }))), ok: ("200", "The published RuleSet") },
        Op { method: "get", path: "/api/v1/rules/history", summary: "Every published version", roles: "risk-analyst, officer", body: None, ok: ("200", "Versions, newest first") },
        Op { method: "get", path: "/api/v1/rules/{version}", summary: "One version of the rule set", roles: "risk-analyst, officer", body: None, ok: ("200", "RuleSet") },
        Op { method: "get", path: "/api/v1/criteria", summary: "Criteria in force with hit and selection counts", roles: "risk-analyst, officer", body: None, ok: ("200", "Criteria") },
        Op { method: "put", path: "/api/v1/criteria/{id}", summary: "Add or change one criterion (new version)", roles: "risk-analyst", body: Some(json_body(json!({ "type": "object", "required": ["reason", "criterion"], "properties": { "reason": { "type": "string" }, "criterion": any_obj.clone() } }))), ok: ("200", "The published RuleSet") },
        Op { method: "delete", path: "/api/v1/criteria/{id}", summary: "Retire one criterion (new version); ?reason= required", roles: "risk-analyst", body: None, ok: ("200", "The published RuleSet") },
        Op { method: "post", path: "/api/v1/enterprises", summary: "Register an enterprise", roles: "admin", body: Some(json_body(json!({ "type": "object", "required": ["code", "credit_code", "name_zh", "grade"], "properties": { "code": { "type": "string", "minLength": 10, "maxLength": 10 }, "credit_code": { "type": "string", "minLength": 18, "maxLength": 18 }, "name_zh": { "type": "string" }, "name_en": { "type": "string" }, "grade": { "enum": ["advanced", "advanced-certified", "registered", "untrustworthy"] }, "site_code": { "type": "string" } } }))), ok: ("201", "The enterprise") },
        Op { method: "get", path: "/api/v1/enterprises", summary: "All enterprises", roles: "admin, officer, risk-analyst", body: None, ok: ("200", "Enterprises") },
        Op { method: "get", path: "/api/v1/enterprises/{code}", summary: "One enterprise", roles: "admin, officer, risk-analyst, or its own people", body: None, ok: ("200", "The enterprise") },
        Op { method: "post", path: "/api/v1/users", summary: "Create a user", roles: "admin", body: Some(json_body(json!({ "type": "object", "required": ["username", "password", "role"], "properties": { "username": { "type": "string" }, "password": { "type": "string", "minLength": 8 }, "role": { "$ref": "#/components/schemas/Role" }, "enterprise": { "type": "string" } } }))), ok: ("201", "The user (without password)") },
        Op { method: "post", path: "/api/v1/tokens", summary: "Issue an API token (shown once)", roles: "admin", body: Some(json_body(json!({ "type": "object", "required": ["role"], "properties": { "role": { "$ref": "#/components/schemas/Role" }, "enterprise": { "type": "string" }, "label": { "type": "string" } } }))), ok: ("201", "The token") },
        Op { method: "post", path: "/api/v1/subscriptions", summary: "Subscribe a webhook to an enterprise's notices (or all)", roles: "admin", body: Some(json_body(json!({ "type": "object", "required": ["url"], "properties": { "url": { "type": "string", "format": "uri" }, "enterprise": { "type": "string" } } }))), ok: ("201", "The subscription with its signing secret (shown once)") },
        Op { method: "get", path: "/api/v1/subscriptions", summary: "Subscriptions with delivery state", roles: "admin", body: None, ok: ("200", "Subscriptions") },
        Op { method: "get", path: "/api/v1/journal/verify", summary: "Verify the journal's hash chain", roles: "admin", body: None, ok: ("200", "ok, entries checked, first break") },
    ]
}

fn draft_schema() -> Value {
    let strings = |names: &[&str]| -> Value {
        let mut m = Map::new();
        for n in names {
            m.insert((*n).to_owned(), json!({ "type": "string" }));
        }
        Value::Object(m)
    };
    json!({
        "type": "object",
        "description": "A declaration: head + items as in DecMessage, every value as text. Validation answers with every failing field path.",
        "properties": {
            "head": { "type": "object", "properties": strings(&["ie_flag", "mode", "customs_master", "ie_port", "ie_date", "trade_code", "owner_code", "agent_code", "traf_mode", "traf_name", "voyage_no", "bill_no", "manifest_no", "trade_mode", "trade_country", "trans_mode", "pack_no", "gross_wt", "net_wt", "site_code", "note"]) },
            "items": { "type": "array", "maxItems": 50, "items": { "type": "object", "properties": strings(&["g_no", "code_ts", "g_name", "g_model", "g_qty", "g_unit", "decl_price", "decl_total", "trade_curr", "origin_country", "destination_country"]) } },
            "containers": { "type": "array", "items": { "type": "object", "properties": strings(&["container_id", "container_md"]) } },
            "licences": { "type": "array", "items": { "type": "object", "properties": strings(&["docu_code", "cert_code"]) } }
        }
    })
}

/// The document served at `/api/v1/openapi.json`.
pub fn document() -> Value {
    let mut paths = Map::new();
    for op in ops() {
        let mut o = json!({
            "summary": op.summary,
            "description": format!("Roles: {}.", op.roles),
            "security": [{ "bearer": [] }],
            "responses": {
                op.ok.0: { "description": op.ok.1 },
                "4XX": { "description": "Refused; nothing changed", "content": problem_ref() }
            }
        });
        if let Some(b) = op.body {
            o["requestBody"] = b;
        }
        let params: Vec<Value> = op
            .path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }))
            .collect();
        if !params.is_empty() {
            o["parameters"] = json!(params);
        }
        if op.method == "post" && op.path == "/api/v1/declarations" {
            o["parameters"] =
                json!([{ "name": "Idempotency-Key", "in": "header", "required": false, "schema": { "type": "string", "maxLength": 255 } }]);
        }
        let entry = paths.entry(op.path.to_owned()).or_insert_with(|| json!({}));
        entry[op.method] = o;
    }
    paths.insert("/healthz".into(), json!({ "get": { "summary": "Liveness", "responses": { "200": { "description": "ok" } } } }));
    paths.insert(
        "/api/v1/openapi.json".into(),
        json!({ "get": { "summary": "This document", "responses": { "200": { "description": "OpenAPI 3.1" } } } }),
    );
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Guomen customs clearance API",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Declarations, risk targeting, inspection and release. Every refusal is RFC 9457 problem+json with field paths in Chinese and English."
        },
        "paths": paths,
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer" } },
            "schemas": {
                "Problem": {
                    "type": "object",
                    "required": ["type", "title", "status", "code"],
                    "properties": {
                        "type": { "type": "string" }, "title": { "type": "string" }, "title_zh": { "type": "string" },
                        "status": { "type": "integer" }, "code": { "type": "string" },
                        "detail": { "type": "string" }, "detail_zh": { "type": "string" },
                        "errors": { "type": "array", "items": { "type": "object", "properties": { "path": { "type": "string" }, "rule": { "type": "string" }, "message": { "type": "string" }, "message_zh": { "type": "string" } } } }
                    }
                },
                "Role": { "enum": ["declarant", "terminal", "laboratory", "officer", "risk-analyst", "admin"] },
                "DeclarationDraft": draft_schema(),
                "RuleSet": { "type": "object", "required": ["min_random_percent"], "properties": { "min_random_percent": { "type": "string" }, "random_lane": { "enum": ["blue", "yellow", "red"] }, "grade_modifiers": { "type": "object" }, "lists": { "type": "object" }, "criteria": { "type": "array", "items": { "type": "object" } } } }
            }
        }
    })
}
