//! The OpenAPI 3.1 document of `/api/v1`, written out by hand so it says exactly what the
//! routes do (roles, media types, problem answers).

use serde_json::{json, Map, Value};

mod certificates;

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
        })), ok: ("201", "The declaration with id, status and lane (customs roles also see the risk decision); a replay of an Idempotency-Key answers the first result with `Idempotent-Replayed: true`") },
        Op { method: "get", path: "/api/v1/declarations", summary: "List declarations the caller may see (status, lane, overdue, before, limit)", roles: "declarant (own), terminal (addressed), officer, risk-analyst, admin", body: None, ok: ("200", "Declaration summaries, newest first") },
        Op { method: "get", path: "/api/v1/declarations/{id}", summary: "A declaration with its timeline of journal entries", roles: "declarant (own), terminal (addressed), officer, risk-analyst, admin", body: None, ok: ("200", "The record") },
        Op { method: "post", path: "/api/v1/declarations/{id}/complete", summary: "Two-step declaration, step 2: the complete declaration", roles: "declarant (own)", body: Some(json_body(json!({ "$ref": "#/components/schemas/DeclarationDraft" }))), ok: ("200", "The record") },
        Op { method: "get", path: "/api/v1/declarations/{id}/replay", summary: "Recompute the risk decision from its recorded seed and rule-set version", roles: "officer, risk-analyst, admin", body: None, ok: ("200", "Recorded and replayed decisions and whether they are identical") },
        Op { method: "post", path: "/api/v1/arrivals", summary: "Arrival report for a bill of lading (releases advance declarations not targeted)", roles: "terminal", body: Some(json_body(json!({ "type": "object", "required": ["bill_no"], "properties": { "bill_no": { "type": "string" }, "arrived_at": { "type": "string", "format": "date-time" } } }))), ok: ("200", "Declarations whose goods arrived") },
        Op { method: "post", path: "/api/v1/declarations/{id}/position", summary: "Container in position for inspection", roles: "terminal (addressed)", body: Some(json_body(json!({ "type": "object", "required": ["record_no", "container_no", "site_name", "slot_code"], "properties": { "record_no": { "type": "string" }, "container_no": { "type": "string" }, "site_name": { "type": "string" }, "slot_code": { "type": "string" }, "arrived_at": { "type": "string", "format": "date-time" } } }))), ok: ("200", "The record") },
        Op { method: "post", path: "/api/v1/declarations/{id}/inspection-result", summary: "Record the inspection result", roles: "officer", body: Some(json_body(json!({ "type": "object", "required": ["outcome"], "properties": { "outcome": { "enum": ["satisfactory", "not-satisfactory"] }, "findings": { "type": "array", "items": { "type": "string" } }, "note": { "type": "string" } } }))), ok: ("200", "The record") },
        Op { method: "post", path: "/api/v1/declarations/{id}/release", summary: "Release after inspection or lift a hold; `permitted_to_enter_only` releases as the first stage of two-stage access", roles: "officer", body: Some(json!({ "required": false, "content": { "application/json": { "schema": { "type": "object", "properties": { "note": { "type": "string" }, "permitted_to_enter_only": { "type": "boolean" } } } } } })), ok: ("200", "The record") },
        Op { method: "post", path: "/api/v1/declarations/{id}/hold", summary: "Hold the goods", roles: "officer", body: Some(json_body(json!({ "type": "object", "required": ["reason"], "properties": { "reason": { "type": "string" } } }))), ok: ("200", "The record") },
        Op { method: "post", path: "/api/v1/declarations/{id}/reroute", summary: "Re-route to another lane (改变通道), with a reason, before examination or release", roles: "officer", body: Some(json_body(json!({ "type": "object", "required": ["lane", "reason"], "properties": { "lane": { "type": "string", "enum": ["green", "blue", "yellow", "red"] }, "reason": { "type": "string" } } }))), ok: ("200", "The record") },
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
        Op { method: "post", path: "/api/v1/tokens", summary: "Issue an API token (shown once); it expires after `expires_in_days` (1–3650; default the server's `--token-days`, 90)", roles: "admin", body: Some(json_body(json!({ "type": "object", "required": ["role"], "properties": { "role": { "$ref": "#/components/schemas/Role" }, "enterprise": { "type": "string" }, "label": { "type": "string", "maxLength": 100 }, "expires_in_days": { "type": "integer", "minimum": 1, "maximum": 3650 } } }))), ok: ("201", "The token as listed (`Token`) with its secret in `token`, shown this once") },
        Op { method: "get", path: "/api/v1/tokens", summary: "API tokens, newest first, never their secrets: every one for the administrator, an enterprise's own for its callers", roles: "admin (all), declarant/terminal/laboratory (their enterprise's)", body: None, ok: ("200", "{tokens: [Token]}") },
        Op { method: "post", path: "/api/v1/tokens/{id}/revoke", summary: "Revoke an API token: it is refused (401) from now on. A token of another enterprise is not found; one already revoked is 409", roles: "admin (any), declarant/terminal/laboratory (their enterprise's)", body: Some(json!({ "required": false, "content": { "application/json": { "schema": { "type": "object", "properties": { "reason": { "type": "string", "maxLength": 500 } } } } } })), ok: ("200", "The token (`Token`)") },
        Op { method: "post", path: "/api/v1/subscriptions", summary: "Subscribe a webhook to an enterprise's notices (or all)", roles: "admin", body: Some(json_body(json!({ "type": "object", "required": ["url"], "properties": { "url": { "type": "string", "format": "uri" }, "enterprise": { "type": "string" } } }))), ok: ("201", "The subscription with its signing secret (shown once)") },
        Op { method: "get", path: "/api/v1/subscriptions", summary: "Subscriptions with delivery state", roles: "admin", body: None, ok: ("200", "Subscriptions") },
        Op { method: "get", path: "/api/v1/journal/verify", summary: "Verify the journal's hash chain; with ?views=true (&limit=1–1000, default 100) also rebuild every view from the journal and list the rows that differ. One verification at a time (429 while one runs)", roles: "admin, officer", body: None, ok: ("200", "ok, entries checked, first break; views: rows compared, tables, differences (table, key, kind, column, field, stored, journal), total, what is not checked") },
        Op { method: "post", path: "/api/v1/permits", summary: "Issue a quarantine permit (检疫审批)", roles: "officer", body: Some(json_body(json!({ "type": "object", "required": ["id", "holder", "hs_prefixes", "botanical_name", "origin_countries", "quantity", "unit", "valid_from", "valid_to"], "properties": { "id": { "type": "string" }, "holder": { "type": "string" }, "hs_prefixes": { "type": "array", "items": { "type": "string" } }, "botanical_name": { "type": "string" }, "origin_countries": { "type": "array", "items": { "type": "string" } }, "quantity": { "type": "string" }, "unit": { "type": "string" }, "valid_from": { "type": "string", "format": "date" }, "valid_to": { "type": "string", "format": "date" }, "conditions": { "type": "array", "items": { "type": "string" } } } }))), ok: ("201", "The permit with status and remaining quantity") },
        Op { method: "get", path: "/api/v1/permits", summary: "Permits (a trader sees its own)", roles: "officer, risk-analyst, admin, declarant (own)", body: None, ok: ("200", "Permits") },
        Op { method: "get", path: "/api/v1/permits/{id}", summary: "One permit with its write-offs", roles: "customs roles, or the holder", body: None, ok: ("200", "The permit") },
        Op { method: "post", path: "/api/v1/permits/{id}/revoke", summary: "Revoke a permit", roles: "officer", body: Some(json_body(json!({ "type": "object", "required": ["reason"], "properties": { "reason": { "type": "string" } } }))), ok: ("200", "The permit") },
        Op { method: "post", path: "/api/v1/declarations/{id}/sampling", summary: "Order laboratory sampling", roles: "officer", body: Some(json_body(json!({ "type": "object", "required": ["note"], "properties": { "note": { "type": "string" } } }))), ok: ("200", "The declaration") },
        Op { method: "post", path: "/api/v1/declarations/{id}/samples", summary: "Take, seal and send the sample (取样送检)", roles: "officer", body: Some(json_body(json!({ "type": "object", "required": ["lab", "seal_no", "quantity"], "properties": { "lab": { "type": "string" }, "seal_no": { "type": "string" }, "quantity": { "type": "string" }, "analytes": { "type": "array", "items": { "type": "string" } } } }))), ok: ("201", "The sample and the declaration") },
        Op { method: "get", path: "/api/v1/samples", summary: "Samples (a laboratory sees those sent to it)", roles: "laboratory, officer, risk-analyst, admin", body: None, ok: ("200", "Samples") },
        Op { method: "get", path: "/api/v1/samples/{id}", summary: "One sample with its results", roles: "its laboratory, customs roles", body: None, ok: ("200", "The sample") },
        Op { method: "post", path: "/api/v1/samples/{id}/receive", summary: "The laboratory receives the sample", roles: "laboratory", body: None, ok: ("200", "The sample") },
        Op { method: "post", path: "/api/v1/samples/{id}/results", summary: "Enter one analyte's result", roles: "laboratory", body: Some(json_body(json!({ "type": "object", "required": ["analyte"], "properties": { "analyte": { "type": "string" }, "value": { "type": "string" }, "detected": { "type": "boolean" } } }))), ok: ("200", "The sample") },
        Op { method: "post", path: "/api/v1/samples/{id}/verify", summary: "Verify the results (not by who entered them)", roles: "laboratory", body: None, ok: ("200", "The sample") },
        Op { method: "post", path: "/api/v1/samples/{id}/publish", summary: "Publish the conclusion; it drives the declaration", roles: "laboratory", body: None, ok: ("200", "The sample and the declaration") },
        Op { method: "post", path: "/api/v1/samples/{id}/retract", summary: "Retract a published result", roles: "laboratory", body: Some(json_body(json!({ "type": "object", "required": ["reason"], "properties": { "reason": { "type": "string" } } }))), ok: ("200", "The sample") },
        Op { method: "post", path: "/api/v1/samples/{id}/invalidate", summary: "Invalidate the results for re-testing", roles: "laboratory", body: Some(json_body(json!({ "type": "object", "required": ["reason"], "properties": { "reason": { "type": "string" } } }))), ok: ("200", "The sample") },
        Op { method: "post", path: "/api/v1/samples/{id}/cancel", summary: "Cancel a sampling order not yet taken", roles: "officer", body: Some(json_body(json!({ "type": "object", "required": ["reason"], "properties": { "reason": { "type": "string" } } }))), ok: ("200", "The sample") },
        Op { method: "post", path: "/api/v1/declarations/{id}/commitment", summary: "Submit a pre-release commitment (预提离承诺书)", roles: "declarant (own)", body: Some(json_body(json!({ "type": "object", "required": ["signed_by", "storage_address", "contact_phone", "promise_accepted"], "properties": { "signed_by": { "type": "string" }, "storage_address": { "type": "string" }, "contact_phone": { "type": "string" }, "promise_accepted": { "type": "boolean" } } }))), ok: ("200", "The declaration") },
        Op { method: "post", path: "/api/v1/declarations/{id}/commitment/accept", summary: "Accept the commitment: pre-release pending laboratory", roles: "officer", body: None, ok: ("200", "The declaration") },
        Op { method: "post", path: "/api/v1/declarations/{id}/commitment/reject", summary: "Refuse the commitment", roles: "officer", body: Some(json_body(json!({ "type": "object", "required": ["reason"], "properties": { "reason": { "type": "string" } } }))), ok: ("200", "The declaration") },
        Op { method: "post", path: "/api/v1/declarations/{id}/disposition", summary: "Order recall, treatment, return or destruction", roles: "officer", body: Some(json_body(json!({ "type": "object", "required": ["kind", "instructions", "deadline"], "properties": { "kind": { "enum": ["recall", "treatment", "return", "destruction"] }, "instructions": { "type": "string" }, "deadline": { "type": "string", "format": "date" } } }))), ok: ("200", "The declaration") },
        Op { method: "post", path: "/api/v1/declarations/{id}/disposition/done", summary: "Record the disposition carried out", roles: "officer", body: Some(json_body(json!({ "type": "object", "required": ["note"], "properties": { "note": { "type": "string" } } }))), ok: ("200", "The declaration") },
        Op { method: "post", path: "/api/v1/declarations/{id}/destination-result", summary: "Second stage of two-stage access: qualified to be marketed or not", roles: "officer", body: Some(json_body(json!({ "type": "object", "required": ["outcome"], "properties": { "outcome": { "enum": ["satisfactory", "not-satisfactory"] }, "findings": { "type": "array", "items": { "type": "string" } } } }))), ok: ("200", "The declaration") },
        Op { method: "post", path: "/api/v1/surveys", summary: "Plan field monitoring of an imported seed lot (three surveys by default)", roles: "officer", body: Some(json_body(json!({ "type": "object", "required": ["declaration_id", "plot", "season", "sown_on"], "properties": { "declaration_id": { "type": "string" }, "plot": { "type": "object", "properties": { "location": { "type": "string" }, "area_mu": { "type": "string" }, "crop": { "type": "string" } } }, "season": { "type": "string" }, "sown_on": { "type": "string", "format": "date" }, "surveys": { "type": "integer" } } }))), ok: ("201", "The plan") },
        Op { method: "get", path: "/api/v1/surveys", summary: "Field monitoring plans (a trader sees its own)", roles: "officer, declarant (own)", body: None, ok: ("200", "Plans") },
        Op { method: "get", path: "/api/v1/surveys/{id}", summary: "One plan with its surveys and actions", roles: "customs roles, or the holder", body: None, ok: ("200", "The plan") },
        Op { method: "post", path: "/api/v1/surveys/{id}/records", summary: "Record a survey; a quarantine pest opens sampling, destruction and notification actions", roles: "officer", body: Some(json_body(json!({ "type": "object", "required": ["no", "findings"], "properties": { "no": { "type": "integer" }, "findings": { "type": "array", "items": { "type": "object" } } } }))), ok: ("200", "The plan") },
        Op { method: "post", path: "/api/v1/surveys/{id}/actions/{action_id}/close", summary: "Close an action", roles: "officer", body: Some(json_body(json!({ "type": "object", "required": ["note"], "properties": { "note": { "type": "string" } } }))), ok: ("200", "The plan") },
        Op { method: "post", path: "/api/v1/surveys/{id}/close", summary: "Close the plan once every survey is done and every action closed", roles: "officer", body: None, ok: ("200", "The plan") },
        Op { method: "put", path: "/api/v1/schedules", summary: "Set a site's appointment capacity and service hours (office, 5+2, 7×24)", roles: "admin", body: Some(json_body(json!({ "type": "object", "required": ["site_code", "kind", "capacity_per_hour", "hours"], "properties": { "site_code": { "type": "string" }, "kind": { "enum": ["inspection", "clearance"] }, "capacity_per_hour": { "type": "integer" }, "hours": { "enum": ["office", "five-plus-two", "seven-by-twenty-four"] } } }))), ok: ("200", "The schedule") },
        Op { method: "get", path: "/api/v1/schedules", summary: "Appointment schedules", roles: "any signed-in role", body: None, ok: ("200", "Schedules") },
        Op { method: "post", path: "/api/v1/appointments", summary: "Book an inspection or clearance slot (预约), confirmed to both sides", roles: "declarant", body: Some(json_body(json!({ "type": "object", "required": ["site_code", "kind", "start", "reason"], "properties": { "site_code": { "type": "string" }, "kind": { "enum": ["inspection", "clearance"] }, "start": { "type": "string", "format": "date-time" }, "declaration_id": { "type": "string" }, "reason": { "type": "string" }, "priority": { "type": "boolean" } } }))), ok: ("201", "The appointment") },
        Op { method: "get", path: "/api/v1/appointments", summary: "The day view (?date=YYYY-MM-DD[&site=CODE])", roles: "officer (all), declarant (own), terminal (its site)", body: None, ok: ("200", "Appointments") },
        Op { method: "get", path: "/api/v1/appointments/{id}", summary: "One appointment", roles: "officer, the enterprise, the site's terminal", body: None, ok: ("200", "The appointment") },
        Op { method: "post", path: "/api/v1/appointments/{id}/cancel", summary: "Cancel a booking", roles: "declarant (own)", body: Some(json_body(json!({ "type": "object", "properties": { "reason": { "type": "string" } } }))), ok: ("200", "The appointment") },
        Op { method: "post", path: "/api/v1/appointments/{id}/complete", summary: "Mark an appointment done", roles: "officer", body: None, ok: ("200", "The appointment") },
        Op { method: "post", path: "/api/v1/declarations/{id}/remote", summary: "Open a remote inspection with a first instruction (远程监管)", roles: "officer", body: Some(json_body(json!({ "type": "object", "required": ["instruction"], "properties": { "instruction": { "type": "string" } } }))), ok: ("201", "The remote inspection") },
        Op { method: "get", path: "/api/v1/declarations/{id}/remote", summary: "Remote inspections of a declaration", roles: "officer, the declaring enterprise", body: None, ok: ("200", "Remote inspections") },
        Op { method: "get", path: "/api/v1/remote/{id}", summary: "One remote inspection with its instructions and evidence hashes", roles: "officer, the declaring enterprise", body: None, ok: ("200", "The remote inspection") },
        Op { method: "post", path: "/api/v1/remote/{id}/instructions", summary: "A further instruction", roles: "officer", body: Some(json_body(json!({ "type": "object", "required": ["text"], "properties": { "text": { "type": "string" } } }))), ok: ("200", "The remote inspection") },
        Op { method: "post", path: "/api/v1/remote/{id}/evidence", summary: "Upload a photo, video or PDF (?instruction=N&file_name=NAME; body = the file, at most 64 MiB). The type is read from the content's signature — JPEG, PNG, WebP, HEIC/HEIF, AVIF, MP4, QuickTime, WebM or PDF — and recorded; anything else is refused with 415", roles: "declarant (the declaring enterprise)", body: Some(json!({ "required": true, "content": { "image/jpeg": {}, "image/png": {}, "image/webp": {}, "image/heic": {}, "image/heif": {}, "image/avif": {}, "video/mp4": {}, "video/quicktime": {}, "video/webm": {}, "application/pdf": {} } })), ok: ("201", "The evidence with its SHA-256 and sniffed media type") },
        Op { method: "get", path: "/api/v1/remote/{id}/evidence/{evidence_id}", summary: "The evidence file, served only if its hash still matches", roles: "officer, the declaring enterprise", body: None, ok: ("200", "The file") },
        Op { method: "post", path: "/api/v1/remote/{id}/conclusion", summary: "Record the result of the remote inspection", roles: "officer", body: Some(json_body(json!({ "type": "object", "required": ["outcome"], "properties": { "outcome": { "enum": ["satisfactory", "not-satisfactory"] }, "findings": { "type": "array", "items": { "type": "string" } } } }))), ok: ("200", "The remote inspection") },
        Op { method: "get", path: "/api/v1/figures/quarantine", summary: "Quarantine figures of a period (?from=YYYY-MM-DD&to=YYYY-MM-DD[&office=CODE])", roles: "officer, risk-analyst, admin", body: None, ok: ("200", "consignments, sampled, pre_released, lab_results, detections, dispositions, surveys") },
        Op { method: "post", path: "/api/v1/ceb", summary: "One cross-border e-commerce message (CEB311 order, CEB411 payment, CEB511 waybill, CEB621 inventory list, CEB623 cancellation, CEB625 return, CEB711 delivery list); the sender must be an enterprise the documents name. A message that breaks the schema is refused (422) with its negative-status receipt in the problem's `receipt` member", roles: "declarant, terminal (enterprise tokens)", body: Some(json!({ "required": true, "content": { "application/xml": { "schema": { "type": "string", "description": "A CEB message (GACC Announcement 2018 No. 113, 2022-05 revision), at most 8 MiB" } } } })), ok: ("200", "The receipt (CEB312, 412, 512, 622, 624, 626 or 712) as application/xml, one return element per document with returnStatus (100 rejected, 120 accepted, 300 manual review, 399 concluded, 500 inspection, 501–599 detained, 700 returned, 800 released, 899 closed) and returnInfo; a re-sent message (same kind and guid) gets the same receipt with `Guomen-Replayed: true`") },
        Op { method: "get", path: "/api/v1/ceb/quota-check", summary: "Quota pre-check at checkout: would an ordinary transaction of `amount` fit the buyer's annual limit (query: buyerIdType, buyerIdNumber, buyerName, amount). The ledger is answered only when lists of this identity under this name were accepted; otherwise as for a buyer with nothing recorded (`recorded: false`). At most 30 a minute per identity and 1,200 per client address (429)", roles: "declarant (platforms for a buyer), officer", body: None, ok: ("200", "{fits, remaining, recorded, year, annualLimit, transactionLimit}") },
        Op { method: "post", path: "/api/v1/ceb/quota-check", summary: "Quota pre-check with the same fields as JSON", roles: "declarant (platforms for a buyer), officer", body: Some(json_body(json!({ "type": "object", "required": ["buyerIdType", "buyerIdNumber", "buyerName", "amount"], "properties": { "buyerIdType": { "type": "string", "enum": ["1", "2"] }, "buyerIdNumber": { "type": "string" }, "buyerName": { "type": "string" }, "amount": { "type": "string" } } }))), ok: ("200", "{fits, remaining, recorded, year, annualLimit, transactionLimit}") },
        Op { method: "get", path: "/api/v1/ceb/parcels", summary: "A buyer's own parcel: the order or logistics number, the identity number and the buyer's name must all match (query: number, buyerIdNumber, buyerName); no sign-in. At most 20 lookups a minute per client address and 10 per identity (429)", roles: "anyone", body: None, ok: ("200", "{orderNo, logisticsNo, ebcName, status (in-clearance, released, left-site, not-accepted, returned, cancelled), statusZh, statusEn, value, tax, updatedAt}; 404 when anything does not match") },
        Op { method: "get", path: "/api/v1/ceb/inventories", summary: "Inventory lists (status, before, limit), newest first", roles: "declarant/terminal (those it sent or is named in), officer, risk-analyst, admin", body: None, ok: ("200", "{items, next}") },
        Op { method: "get", path: "/api/v1/ceb/inventories/{id}", summary: "An inventory list with its lane, tax, quota and timeline (customs roles also see the risk decision and the identity guard's figures)", roles: "declarant/terminal (named in it), officer, risk-analyst, admin", body: None, ok: ("200", "The record") },
        Op { method: "post", path: "/api/v1/ceb/inventories/{id}/{action}", summary: "Officer's step: release, detain (code 501–599, reason), return (reason), clear-identity (note), confirm-identity-theft (note)", roles: "officer", body: Some(json_body(json!({ "type": "object", "properties": { "note": { "type": "string" }, "reason": { "type": "string" }, "code": { "type": "integer" } } }))), ok: ("200", "The record") },
        Op { method: "get", path: "/api/v1/ceb/guarantees", summary: "General guarantees with amount, reserved tax and what is left", roles: "declarant/terminal (own), officer, risk-analyst, admin", body: None, ok: ("200", "Guarantees") },
        Op { method: "post", path: "/api/v1/ceb/tax-payments", summary: "The tax of these inventory lists is paid: the guarantee is restored", roles: "declarant (its own guarantee), officer (names the guarantee)", body: Some(json_body(json!({ "type": "object", "required": ["inventories"], "properties": { "guarantee": { "type": "string" }, "inventories": { "type": "array", "items": { "type": "string" } } } }))), ok: ("200", "The guarantee") },
    ]
}

/// The mandate routes, each with the schema of its answer.
fn mandate_ops() -> Vec<(Op, Value)> {
    let one = json!({ "$ref": "#/components/schemas/Mandate" });
    let list = json!({ "type": "object", "required": ["mandates"], "properties": { "mandates": { "type": "array", "items": { "$ref": "#/components/schemas/Mandate" } } } });
    let with_timeline = json!({ "allOf": [
        { "$ref": "#/components/schemas/Mandate" },
        { "type": "object", "properties": { "timeline": { "type": "array", "items": { "type": "object", "properties": {
            "seq": { "type": "integer" }, "kind": { "type": "string" }, "actor": { "type": "string" }, "at_ms": { "type": "integer" },
            "summary_en": { "type": "string" }, "summary_zh": { "type": "string" }, "hash": { "type": "string" } } } } } }
    ] });
    vec![
        (Op { method: "post", path: "/api/v1/mandates", summary: "Give a mandate (委托) in the caller's enterprise's name to an agent (customs broker): scopes and the customs days it holds. Without one, an agent's filings, steps and inventory lists for the enterprise are refused with 403 `mandate_missing`", roles: "declarant (the consignor)", body: Some(json_body(json!({ "$ref": "#/components/schemas/MandateGrant" }))), ok: ("201", "The mandate, with `Location`") }, one.clone()),
        (Op { method: "get", path: "/api/v1/mandates", summary: "Mandates, newest first (consignor, agent, limit)", roles: "declarant (those it gave or holds), officer, risk-analyst, admin", body: None, ok: ("200", "{mandates}") }, list),
        (Op { method: "get", path: "/api/v1/mandates/{id}", summary: "One mandate with its timeline of journal entries", roles: "declarant (consignor or agent), officer, risk-analyst, admin", body: None, ok: ("200", "The mandate") }, with_timeline),
        (Op { method: "post", path: "/api/v1/mandates/{id}/revoke", summary: "Revoke a mandate: from now on the agent can no longer act under it (it still reads what it filed)", roles: "declarant (the consignor), admin", body: Some(json_body(json!({ "type": "object", "required": ["reason"], "properties": { "reason": { "type": "string", "maxLength": 200 } } }))), ok: ("200", "The mandate, revoked") }, one),
    ]
}

/// The signing keys and the journal's transparency log, each with the schema of its answer.
fn transparency_ops() -> Vec<(Op, Value)> {
    let hashes = json!({ "type": "array", "items": { "$ref": "#/components/schemas/TreeHash" } });
    vec![
        (
            Op { method: "get", path: "/api/v1/keys", summary: "The public signing keys (Ed25519), current and retired: one key per issuing office and one for the journal's checkpoints; a retired key signs nothing new but verifies what it signed. No sign-in", roles: "anyone", body: None, ok: ("200", "PublicKeySet") },
            json!({ "$ref": "#/components/schemas/PublicKeySet" }),
        ),
        (
            Op { method: "get", path: "/api/v1/journal/checkpoint", summary: "The latest signed checkpoint of the journal's Merkle tree (RFC 6962): its size, root hash, when and with which journal key it was signed. Signed at least every N entries or T seconds (`guomen serve --checkpoint-entries/--checkpoint-seconds`); 404 before the first. Keep one to check later that the journal extends it (`guomen verify --checkpoint FILE`). No sign-in", roles: "anyone", body: None, ok: ("200", "Checkpoint") },
            json!({ "$ref": "#/components/schemas/Checkpoint" }),
        ),
        (
            Op { method: "get", path: "/api/v1/journal/proof/inclusion", summary: "The inclusion proof (audit path, RFC 6962 §2.1.1) of journal entry `entry` in the tree of `size` entries (default: the latest checkpoint's). The leaf is SHA-256(0x00 ‖ the entry's hash), leaf_index = entry − 1. No sign-in", roles: "anyone", body: None, ok: ("200", "{leaf_index, tree_size, audit_path}") },
            json!({ "type": "object", "required": ["leaf_index", "tree_size", "audit_path"], "properties": {
                "leaf_index": { "type": "integer", "minimum": 0, "description": "The entry's sequence number − 1" },
                "tree_size": { "type": "integer", "minimum": 1 },
                "audit_path": { "allOf": [hashes.clone()], "description": "From the leaf's sibling up" }
            } }),
        ),
        (
            Op { method: "get", path: "/api/v1/journal/proof/consistency", summary: "The consistency proof (RFC 6962 §2.1.2) that the tree of `to` entries (default: the latest checkpoint's) extends the tree of `from` entries. No sign-in", roles: "anyone", body: None, ok: ("200", "{from, to, proof}") },
            json!({ "type": "object", "required": ["from", "to", "proof"], "properties": {
                "from": { "type": "integer", "minimum": 1 }, "to": { "type": "integer", "minimum": 1 }, "proof": hashes
            } }),
        ),
    ]
}

/// The query parameters of the operations that take some.
fn query_parameters(path: &str) -> Vec<Value> {
    let size = |name: &str, required: bool, description: &str| json!({ "name": name, "in": "query", "required": required, "schema": { "type": "integer", "minimum": 1 }, "description": description });
    match path {
        "/api/v1/journal/proof/inclusion" => vec![
            size("entry", true, "The journal entry's sequence number (from 1)"),
            size("size", false, "The tree size the proof is to; default the latest checkpoint's"),
        ],
        "/api/v1/journal/proof/consistency" => {
            vec![size("from", true, "The older tree's size"), size("to", false, "The newer tree's size; default the latest checkpoint's")]
        }
        _ => vec![],
    }
}

fn checkpoint_schemas() -> (Value, Value) {
    let hash = json!({ "type": "string", "pattern": "^[0-9a-f]{64}$", "description": "A SHA-256 hash of the journal's Merkle tree, lowercase hex" });
    let checkpoint = json!({
        "type": "object",
        "required": ["tree_size", "root_hash", "timestamp", "key_id", "signature"],
        "description": "What `guomen verify --checkpoint FILE` reads. The signature (purpose `journal-checkpoint`) is over the canonical JSON (keys sorted, no whitespace) of the other four fields.",
        "properties": {
            "tree_size": { "type": "integer", "minimum": 1, "description": "Journal entries the tree covers (entries 1 to tree_size)" },
            "root_hash": { "$ref": "#/components/schemas/TreeHash" },
            "timestamp": { "type": "string", "format": "date-time", "pattern": "^\\d{4}-\\d{2}-\\d{2}T\\d{2}:\\d{2}:\\d{2}\\.\\d{3}Z$", "description": "When it was signed, UTC, milliseconds" },
            "key_id": { "type": "string", "description": "The journal key that signed it (`JOURNAL-…`, in `GET /api/v1/keys`)" },
            "signature": { "type": "string", "contentEncoding": "base64", "description": "Ed25519, 64 bytes" }
        }
    });
    (hash, checkpoint)
}

fn public_key_set_schema() -> Value {
    json!({
        "type": "object",
        "required": ["keys"],
        "description": "What `guomen verify-document --keys` reads; `guomen keys --json` prints the same.",
        "properties": { "keys": { "type": "array", "items": {
            "type": "object",
            "required": ["key_id", "owner", "public_key", "created", "retired"],
            "properties": {
                "key_id": { "type": "string", "description": "OWNER-<hex of the public key's first 8 bytes>: `2201-9f3c0a…` for office 2201, `JOURNAL-…` for the journal", "examples": ["JOURNAL-5a1e9c0b7d3f2a64"] },
                "owner": { "type": "string", "description": "`journal`, or the issuing office's 4-digit customs code" },
                "public_key": { "type": "string", "contentEncoding": "base64", "description": "The 32-byte Ed25519 public key (RFC 8032)" },
                "created": { "type": "string", "format": "date-time" },
                "retired": { "type": ["string", "null"], "format": "date-time", "description": "When the key was rotated out; null while it signs" }
            }
        } } }
    })
}

/// The certificate-of-origin routes, each with the schema of its answer.
fn origin_ops() -> Vec<(Op, Value)> {
    let one = json!({ "$ref": "#/components/schemas/OriginCertificate" });
    let list = json!({ "type": "object", "required": ["certificates"], "properties": { "certificates": { "type": "array", "items": one.clone() } } });
    let application = json_body(json!({ "$ref": "#/components/schemas/OriginApplication" }));
    vec![
        (Op { method: "post", path: "/api/v1/certificates/origin", summary: "Apply for a certificate of origin (原产地证书) in the caller's enterprise's name. The intelligent review decides at once: `pass` (issued), `amend` (returned: `reasons[].path` names the fields), `manual-review` or `investigate` (an officer decides). An agreement, criterion, code or number that does not exist is refused (422) and nothing is stored", roles: "declarant (the exporter)", body: Some(application.clone()), ok: ("201", "The certificate with `number`, `outcome`, `reasons`, with `Location`") }, one.clone()),
        (Op { method: "get", path: "/api/v1/certificates/origin", summary: "Certificates of origin, latest change first (status, exporter, limit)", roles: "declarant (its own), officer, risk-analyst, admin", body: None, ok: ("200", "{certificates}") }, list),
        (Op { method: "get", path: "/api/v1/certificates/origin/{number}", summary: "One certificate of origin with its timeline", roles: "declarant (the exporter), officer, risk-analyst, admin", body: None, ok: ("200", "The certificate") }, one.clone()),
        (Op { method: "post", path: "/api/v1/certificates/origin/{number}/amend", summary: "Amend an application returned for amendment: the whole application again (same agreement and office), reviewed at once", roles: "declarant (the exporter)", body: Some(application), ok: ("200", "The certificate") }, one.clone()),
        (Op { method: "post", path: "/api/v1/certificates/origin/{number}/decision", summary: "Decide an application the review referred to customs (manual review or verification): approve (issue), return for amendment, reject; a reason is required to return or reject", roles: "officer", body: Some(json_body(json!({ "type": "object", "required": ["action"], "properties": { "action": { "enum": ["approve", "return", "reject"] }, "reason": { "type": "string", "maxLength": 500 } } }))), ok: ("200", "The certificate") }, one),
    ]
}

fn origin_schemas() -> (Value, Value) {
    let text = json!({ "type": "string", "maxLength": 500 });
    let material = json!({ "type": "object", "required": ["hs", "description", "origin", "value"], "properties": {
        "hs": { "type": "string", "pattern": "^([0-9]{2}){1,5}$", "description": "2 to 10 digits" }, "description": text.clone(),
        "origin": { "type": "string", "description": "ISO 3166 alpha-3; China's and the agreement's other parties' materials originate" },
        "value": { "type": "string", "description": "In the line's currency, decimal" } } });
    let goods = json!({ "type": "object", "required": ["hs", "description", "quantity", "unit", "fob_value", "currency", "criterion"], "properties": {
        "hs": { "type": "string", "description": "Commodity code, 10 digits (6 or 8 accepted)" }, "description": text.clone(),
        "quantity": { "type": "string" }, "unit": { "type": "string", "description": "GACC unit code" },
        "fob_value": { "type": "string" }, "currency": { "type": "string" },
        "criterion": { "enum": ["WO", "PE", "PSR"], "description": "WO wholly obtained; PE produced from originating materials; PSR the product-specific rule of the heading (change of chapter, heading or subheading, or regional value content), any alternative sufficing" },
        "materials": { "type": "array", "maxItems": 30, "items": material } } });
    let application = json!({ "type": "object", "required": ["agreement", "office", "importing_country", "consignee_name", "consignee_address", "transport", "invoice_no", "invoice_date", "goods"], "properties": {
        "agreement": { "enum": ["rcep", "china-asean", "china-korea", "china-australia", "non-preferential"] },
        "office": { "type": "string", "description": "Issuing customs office, 4 digits" },
        "importing_country": { "type": "string", "description": "ISO 3166 alpha-3, a party to the agreement" },
        "consignee_name": text.clone(), "consignee_address": text.clone(), "transport": text.clone(), "invoice_no": text,
        "invoice_date": { "type": "string", "format": "date" },
        "goods": { "type": "array", "minItems": 1, "maxItems": 20, "items": goods } } });
    let reason = json!({ "type": "object", "properties": { "rule": { "type": "string" }, "outcome": { "enum": ["pass", "amend", "manual-review", "investigate"] }, "path": { "type": ["string", "null"] }, "message": { "type": "string" }, "message_zh": { "type": "string" } } });
    let certificate = json!({ "type": "object", "required": ["number", "status", "outcome", "reasons", "agreement", "exporter", "application"], "properties": {
        "number": { "type": "string", "description": "Agreement letter (R, E, K, A, C) + year + office + 7 digits" },
        "status": { "enum": ["amend", "manual-review", "investigate", "issued", "rejected"] },
        "outcome": { "enum": ["pass", "amend", "manual-review", "investigate"], "description": "Of the latest review" },
        "reasons": { "type": "array", "items": reason, "description": "The rules that decided the review. A trader sees those of pass and amend; why an application was referred to an officer is for customs (a trader sees `referred`)" },
        "agreement": { "type": "string" }, "exporter": { "type": "string" }, "exporter_name": { "type": "string" },
        "application": { "$ref": "#/components/schemas/OriginApplication" },
        "lines": { "type": "array", "items": { "type": "object", "properties": { "printed": { "type": ["string", "null"], "description": "The criterion as printed: WO, PE, CC, CTH, CTSH, RVC nn.nn%" }, "rvc": { "type": "string" } } } },
        "amendments": { "type": "integer" }, "decisions": { "type": "array", "items": { "type": "object" } },
        "applied_at": { "type": "string", "format": "date-time" }, "issued_at": { "type": ["string", "null"], "format": "date-time" },
        "ruleset_version": { "type": "integer", "description": "Customs roles only" },
        "timeline": { "type": "array", "items": { "type": "object" } } } });
    (application, certificate)
}

fn mandate_schemas() -> (Value, Value) {
    let scope = json!({ "type": "string", "enum": ["declarations", "ceb-inventories"], "description": "declarations: customs declarations and their later steps (两步申报 completion, commitment, appointments, evidence); ceb-inventories: cross-border inventory lists, cancellations and returns for the consignor as e-commerce enterprise" });
    let grant = json!({
        "type": "object",
        "required": ["agent", "scopes", "valid_until"],
        "properties": {
            "agent": { "type": "string", "minLength": 10, "maxLength": 10, "description": "Customs code of the agent (被委托方)" },
            "scopes": { "type": "array", "minItems": 1, "items": scope.clone() },
            "valid_from": { "type": "string", "format": "date", "description": "First customs day (China Standard Time); today when absent, never earlier" },
            "valid_until": { "type": "string", "format": "date", "description": "Last customs day, included" }
        }
    });
    let mandate = json!({
        "type": "object",
        "required": ["id", "consignor", "agent", "scopes", "valid_from", "valid_until", "granted_by", "granted_at", "status"],
        "properties": {
            "id": { "type": "string", "description": "委托书编号: WT + year + six digits" },
            "consignor": { "type": "string", "description": "委托方" },
            "consignor_name": { "type": "string" },
            "agent": { "type": "string", "description": "被委托方" },
            "agent_name": { "type": "string" },
            "scopes": { "type": "array", "items": scope },
            "valid_from": { "type": "string", "format": "date" },
            "valid_until": { "type": "string", "format": "date" },
            "granted_by": { "type": "string" },
            "granted_at": { "type": "string", "format": "date-time" },
            "revoked": { "type": ["object", "null"], "properties": { "reason": { "type": "string" }, "by": { "type": "string" }, "at": { "type": "string", "format": "date-time" } } },
            "status": { "type": "string", "enum": ["active", "not-yet-valid", "expired", "revoked"], "description": "On today's customs day" }
        }
    });
    (grant, mandate)
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

/// The schema of what an operation answers, where it answers a declaration or an inventory list.
fn answer_schema(method: &str, path: &str) -> Option<Value> {
    let declaration = json!({ "$ref": "#/components/schemas/Declaration" });
    let inventory = json!({ "$ref": "#/components/schemas/InventoryList" });
    match (method, path) {
        (_, "/api/v1/declarations/{id}/replay") | (_, "/api/v1/declarations/{id}/remote") | ("get", "/api/v1/declarations") => None,
        (_, p) if p.ends_with("/samples") => None,
        ("post", "/api/v1/declarations") | ("get", "/api/v1/declarations/{id}") => Some(declaration),
        ("post", p) if p.starts_with("/api/v1/declarations/{id}/") => Some(declaration),
        ("get", "/api/v1/ceb/inventories/{id}") | ("post", "/api/v1/ceb/inventories/{id}/{action}") => Some(inventory),
        _ => None,
    }
}

/// What a trader, a terminal or a laboratory may see of the risk decision is its lane; the
/// decision itself (criteria hit, rates, draws, seed, random selection) is for customs roles.
fn record_schemas() -> (Value, Value) {
    let customs_only = "Present only for officers, risk analysts and administrators.";
    let decision = json!({
        "type": "object",
        "description": format!("The risk decision: rule-set version, seed, credit grade and factor, lane, every criterion that hit with its rate, effective rate and draw, and the random selection. {customs_only}"),
        "properties": {
            "ruleset_version": { "type": "integer" }, "seed": { "type": "integer" }, "grade": { "type": "string" },
            "grade_factor": { "type": "string" }, "lane": { "$ref": "#/components/schemas/Lane" },
            "hits": { "type": "array", "items": { "type": "object" } }, "random": { "type": "object" }
        }
    });
    let declaration = json!({
        "type": "object",
        "required": ["id", "status", "lane", "content", "overdue"],
        "properties": {
            "id": { "type": "string" }, "filed_by": { "type": "string" }, "filed_at": { "type": "string", "format": "date-time" },
            "status": { "type": "string" }, "lane": { "$ref": "#/components/schemas/Lane" },
            "content": { "type": "object" }, "overdue": { "type": "boolean" },
            "decision": decision.clone(),
            "hits": { "type": "array", "items": { "type": "object" }, "description": format!("The criteria that hit. {customs_only}") },
            "timeline": { "type": "array", "items": { "type": "object" } }
        }
    });
    let inventory = json!({
        "type": "object",
        "required": ["id", "status", "returnStatus", "info", "infoZh"],
        "properties": {
            "id": { "type": "string" }, "status": { "type": "string" }, "returnStatus": { "type": "string" },
            "info": { "type": "string" }, "infoZh": { "type": "string" },
            "lane": { "$ref": "#/components/schemas/Lane" },
            "inventory": { "type": "object" },
            "acceptance": { "type": "object", "description": "Regime, value, tax bill and guarantee; `decision` only for customs roles.", "properties": { "decision": decision } },
            "suspicion": { "type": "object", "description": format!("The identity guard's counts, window and limits of a held list. {customs_only}") },
            "timeline": { "type": "array", "items": { "type": "object" } }
        }
    });
    (declaration, inventory)
}

/// `errors[].rule` of the Problem schema: every code of the refusal catalogue
/// (`guomen_domain::Rule`), and in `x-rules` the status each is answered with and what it means.
fn rule_schema() -> Value {
    let rules = guomen_domain::Rule::ALL;
    let meanings: Map<String, Value> = rules
        .iter()
        .map(|r| (r.code().to_owned(), json!({ "status": r.status(), "description": r.en(), "description_zh": r.zh() })))
        .collect();
    json!({
        "type": "string",
        "description": "The rule the field broke (docs/REFUSALS.md lists them).",
        "enum": rules.iter().map(|r| r.code()).collect::<Vec<_>>(),
        "x-rules": meanings
    })
}

/// The document served at `/api/v1/openapi.json`.
pub fn document() -> Value {
    let (declaration_schema, inventory_schema) = record_schemas();
    let mut paths = Map::new();
    for (op, answer) in ops().into_iter().map(|op| (op, None)).chain(
        mandate_ops().into_iter().chain(origin_ops()).chain(transparency_ops()).chain(certificates::ops()).map(|(op, a)| (op, Some(a))),
    ) {
        let mut o = json!({
            "summary": op.summary,
            "description": format!("Roles: {}.", op.roles),
            "security": [{ "bearer": [] }],
            "responses": {
                op.ok.0: { "description": op.ok.1 },
                "4XX": { "description": "Refused; nothing changed", "content": problem_ref() }
            }
        });
        if let Some(schema) = answer_schema(op.method, op.path) {
            o["responses"][op.ok.0]["content"] = json!({ "application/json": { "schema": schema } });
        }
        if let Some(b) = op.body {
            o["requestBody"] = b;
        }
        if let Some(a) = answer {
            o["responses"][op.ok.0]["content"] = json!({ "application/json": { "schema": a } });
        }
        let params: Vec<Value> = op
            .path
            .split('/')
            .filter_map(|seg| seg.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(|name| json!({ "name": name, "in": "path", "required": true, "schema": { "type": "string" } }))
            .collect();
        let params: Vec<Value> = params.into_iter().chain(query_parameters(op.path)).collect();
        if !params.is_empty() {
            o["parameters"] = json!(params);
        }
        if op.roles == "anyone" {
            o["security"] = json!([]);
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
    let (mandate_grant, mandate) = mandate_schemas();
    let (origin_application, origin_certificate) = origin_schemas();
    let (tree_hash, checkpoint) = checkpoint_schemas();
    let mut doc = json!({
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
                        "errors": { "type": "array", "items": { "type": "object", "properties": { "path": { "type": "string" }, "rule": rule_schema(), "message": { "type": "string" }, "message_zh": { "type": "string" } } } }
                    }
                },
                "Role": { "enum": ["declarant", "terminal", "laboratory", "officer", "risk-analyst", "admin"] },
                "Token": { "type": "object", "description": "An API token without its secret", "properties": { "id": { "type": "string" }, "label": { "type": ["string", "null"] }, "role": { "$ref": "#/components/schemas/Role" }, "enterprise": { "type": ["string", "null"] }, "created_at": { "type": "string", "format": "date-time" }, "expires_at": { "type": "string", "format": "date-time" }, "last_used_at": { "type": ["string", "null"], "format": "date-time", "description": "Recorded at most once a minute" }, "revoked_at": { "type": ["string", "null"], "format": "date-time" }, "revoked_by": { "type": ["string", "null"] }, "state": { "enum": ["active", "expired", "revoked"] } } },
                "DeclarationDraft": draft_schema(),
                "Declaration": declaration_schema,
                "InventoryList": inventory_schema,
                "Lane": { "enum": ["green", "blue", "yellow", "red"] },
                "MandateGrant": mandate_grant,
                "PublicKeySet": public_key_set_schema(),
                "Checkpoint": checkpoint,
                "TreeHash": tree_hash,
                "Mandate": mandate,
                "OriginApplication": origin_application,
                "OriginCertificate": origin_certificate,
                "RuleSet": { "type": "object", "required": ["min_random_percent"], "properties": { "min_random_percent": { "type": "string" }, "random_lane": { "enum": ["blue", "yellow", "red"] }, "grade_modifiers": { "type": "object" }, "lists": { "type": "object" }, "criteria": { "type": "array", "items": { "type": "object" } } } }
            }
        }
    });
    for (name, schema) in certificates::schemas() {
        doc["components"]["schemas"][name] = schema;
    }
    doc
}
