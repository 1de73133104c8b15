//! 远程监管 — remote inspection (DOMAIN §2.6, seed 002 cases 04 and 10).
//!
//! The officer issues instructions ("open carton 3, film the marks"); the enterprise films or
//! photographs on site and uploads each file against the instruction it answers. The file itself
//! lives outside the journal; the journal keeps its SHA-256, so whoever reads the file back can
//! prove it is the one uploaded ([`check_file`]). The officer then concludes as for a physical
//! inspection.
//!
//! ```text
//! open ─► instructed ─ upload ─► evidence-received ─ conclude ─► concluded
//!             ▲                        │
//!             └──── further instruction┘
//! ```
//! A further instruction puts the inspection back to `instructed`: the enterprise owes more
//! evidence. The officer may still conclude on the evidence already received.

use crate::error::{FieldError, Refusal, RefusalKind, Rule};
use crate::inspection::Outcome;
use crate::types::CustomsCode;
use serde::{Deserialize, Serialize};
use sha2::{Digest, Sha256};
use time::OffsetDateTime;

/// Photographs, video as phones and body cameras produce them, and PDF documents. The type
/// recorded is the one [`sniff`] reads from the content, never the one the client declares.
pub const ALLOWED_MEDIA_TYPES: &[&str] = &[
    "image/jpeg",
    "image/png",
    "image/webp",
    "image/heic",
    "image/heif",
    "image/avif",
    "video/mp4",
    "video/quicktime",
    "video/webm",
    "application/pdf",
];

/// The media type of an evidence file by its signature (magic bytes), or None when it is not
/// one of [`ALLOWED_MEDIA_TYPES`]. ISO base media files (MP4, MOV, HEIC, AVIF) are told by the
/// major brand of their `ftyp` box; WebM by the EBML header naming the `webm` doctype.
pub fn sniff(b: &[u8]) -> Option<&'static str> {
    if b.starts_with(&[0xFF, 0xD8, 0xFF]) {
        return Some("image/jpeg");
    }
    if b.starts_with(b"\x89PNG\r\n\x1a\n") {
        return Some("image/png");
    }
    if b.len() >= 12 && &b[..4] == b"RIFF" && &b[8..12] == b"WEBP" {
        return Some("image/webp");
    }
    if b.starts_with(b"%PDF-") {
        return Some("application/pdf");
    }
    if b.starts_with(&[0x1A, 0x45, 0xDF, 0xA3]) {
        let head = &b[..b.len().min(64)];
        return head.windows(4).any(|w| w == b"webm").then_some("video/webm");
    }
    if b.len() >= 12 && &b[4..8] == b"ftyp" {
        return match &b[8..12] {
            b"heic" | b"heix" | b"hevc" | b"hevx" | b"heim" | b"heis" => Some("image/heic"),
            b"mif1" | b"msf1" => Some("image/heif"),
            b"avif" | b"avis" => Some("image/avif"),
            b"qt  " => Some("video/quicktime"),
            b"isom" | b"iso2" | b"iso3" | b"iso4" | b"iso5" | b"iso6" | b"mp41" | b"mp42" | b"avc1" | b"M4V " | b"M4VH" | b"M4VP"
            | b"dash" | b"mmp4" | b"MSNV" | b"3gp4" | b"3gp5" | b"3gp6" | b"3g2a" => Some("video/mp4"),
            _ => None,
        };
    }
    // QuickTime files from older cameras open with a `wide`, `mdat` or `moov` atom, no `ftyp`.
    if b.len() >= 8 && matches!(&b[4..8], b"wide" | b"mdat" | b"moov" | b"free" | b"skip") {
        return Some("video/quicktime");
    }
    None
}
/// 64 MiB: a few minutes of phone video.
pub const MAX_EVIDENCE_BYTES: u64 = 64 * 1024 * 1024;
/// Longest file name kept, in characters.
pub const MAX_FILE_NAME_CHARS: usize = 255;

/// 远程监管状态
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum RemoteStatus {
    /// 待企业上传 — an instruction is waiting for the enterprise's evidence.
    Instructed,
    /// 已上传影像 — evidence is in, waiting for the officer.
    EvidenceReceived,
    /// 已作出结论
    Concluded,
}

impl RemoteStatus {
    pub const ALL: [RemoteStatus; 3] = [RemoteStatus::Instructed, RemoteStatus::EvidenceReceived, RemoteStatus::Concluded];

    pub fn as_str(self) -> &'static str {
        match self {
            RemoteStatus::Instructed => "instructed",
            RemoteStatus::EvidenceReceived => "evidence-received",
            RemoteStatus::Concluded => "concluded",
        }
    }

    pub fn parse(s: &str) -> Option<Self> {
        RemoteStatus::ALL.into_iter().find(|x| x.as_str() == s)
    }

    pub fn name_zh(self) -> &'static str {
        match self {
            RemoteStatus::Instructed => "待企业上传",
            RemoteStatus::EvidenceReceived => "已上传影像",
            RemoteStatus::Concluded => "已作出结论",
        }
    }
}

/// 监管指令 — what the officer asks the enterprise to show.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Instruction {
    /// 1-based, in the order issued.
    pub no: u32,
    pub text: String,
    pub issued_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// 影像资料 — one uploaded photograph or video, identified by its content hash.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Evidence {
    pub id: String,
    /// The instruction this file answers.
    pub instruction_no: u32,
    pub file_name: String,
    pub media_type: String,
    /// Bytes.
    pub size: u64,
    /// SHA-256 of the content, 64 lower-case hex digits.
    pub sha256: String,
    pub uploaded_by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// 监管结论 — the officer's conclusion on the evidence.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Conclusion {
    pub outcome: Outcome,
    /// What was found; required when not satisfactory.
    pub findings: Vec<String>,
    pub by: String,
    #[serde(with = "time::serde::rfc3339")]
    pub at: OffsetDateTime,
}

/// 远程监管 — one remote inspection of a declaration's goods.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RemoteInspection {
    pub id: String,
    pub declaration_id: String,
    /// The enterprise that films and uploads.
    pub enterprise: CustomsCode,
    pub instructions: Vec<Instruction>,
    pub evidence: Vec<Evidence>,
    pub conclusion: Option<Conclusion>,
    pub status: RemoteStatus,
}

/// The events of a remote inspection; stream `remote:<id>`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "event", rename_all = "snake_case")]
pub enum RemoteEvent {
    Opened { inspection: RemoteInspection },
    Instructed { inspection_id: String, instruction: Instruction },
    EvidenceUploaded { inspection_id: String, evidence: Evidence },
    Concluded { inspection_id: String, conclusion: Conclusion },
}

impl RemoteEvent {
    pub fn inspection_id(&self) -> &str {
        match self {
            RemoteEvent::Opened { inspection } => &inspection.id,
            RemoteEvent::Instructed { inspection_id, .. }
            | RemoteEvent::EvidenceUploaded { inspection_id, .. }
            | RemoteEvent::Concluded { inspection_id, .. } => inspection_id,
        }
    }

    /// The record (journal stream) this event belongs to.
    pub fn stream(&self) -> String {
        format!("remote:{}", self.inspection_id())
    }

    /// Short bilingual description for timelines.
    pub fn summary(&self) -> (String, String) {
        match self {
            RemoteEvent::Opened { inspection } => (
                format!("remote inspection opened for declaration {}", inspection.declaration_id),
                format!("报关单 {} 启动远程监管", inspection.declaration_id),
            ),
            RemoteEvent::Instructed { instruction, .. } => {
                (format!("instruction {} issued", instruction.no), format!("下达第 {} 条监管指令", instruction.no))
            }
            RemoteEvent::EvidenceUploaded { evidence, .. } => (
                format!("{} uploaded for instruction {} (sha256 {})", evidence.file_name, evidence.instruction_no, evidence.sha256),
                format!("上传影像 {}（指令 {}，SHA-256 {}）", evidence.file_name, evidence.instruction_no, evidence.sha256),
            ),
            RemoteEvent::Concluded { conclusion, .. } => match conclusion.outcome {
                Outcome::Satisfactory => ("remote inspection: satisfactory".into(), "远程监管结论：合格".into()),
                Outcome::NotSatisfactory => ("remote inspection: not satisfactory".into(), "远程监管结论：不合格".into()),
            },
        }
    }
}

fn instruction_text(path: &str, text: &str) -> Result<String, Refusal> {
    let t = text.trim();
    if t.is_empty() {
        return Err(Refusal::field(
            path,
            Rule::Required,
            "an instruction needs a text saying what to film or photograph",
            "监管指令须写明拍摄内容",
        ));
    }
    Ok(t.to_owned())
}

/// 启动远程监管 — opens a remote inspection with the officer's first instruction.
pub fn open(
    id: &str,
    declaration_id: &str,
    enterprise: CustomsCode,
    first_instruction_text: &str,
    by: &str,
    now: OffsetDateTime,
) -> Result<Vec<RemoteEvent>, Refusal> {
    let mut errors = Vec::new();
    if declaration_id.trim().is_empty() {
        errors.push(FieldError::new("declaration_id", Rule::Required, "the declaration is required", "报关单号为必填项"));
    }
    match instruction_text("instruction", first_instruction_text) {
        Ok(_) => {}
        Err(r) => errors.extend(r.errors),
    }
    if !errors.is_empty() {
        return Err(Refusal::validation(errors));
    }
    Ok(vec![RemoteEvent::Opened {
        inspection: RemoteInspection {
            id: id.to_owned(),
            declaration_id: declaration_id.trim().to_owned(),
            enterprise,
            instructions: vec![Instruction { no: 1, text: first_instruction_text.trim().to_owned(), issued_by: by.to_owned(), at: now }],
            evidence: Vec::new(),
            conclusion: None,
            status: RemoteStatus::Instructed,
        },
    }])
}

/// SHA-256 of `bytes` as 64 lower-case hex digits.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The content read back is not the content uploaded.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("evidence content changed: sha256 {actual}, journal records {expected}")]
pub struct Tampered {
    /// The hash in the journal.
    pub expected: String,
    /// The hash of the bytes read back.
    pub actual: String,
}

/// 完整性校验 — checks evidence read back from storage against the hash in the journal.
pub fn check_file(e: &Evidence, bytes: &[u8]) -> Result<(), Tampered> {
    let actual = sha256_hex(bytes);
    if actual == e.sha256 {
        Ok(())
    } else {
        Err(Tampered { expected: e.sha256.clone(), actual })
    }
}

fn is_sha256_hex(s: &str) -> bool {
    s.len() == 64 && s.bytes().all(|b| matches!(b, b'0'..=b'9' | b'a'..=b'f'))
}

impl RemoteInspection {
    /// Folds an inspection's events, the first of which must be its opening.
    pub fn from_events(events: &[RemoteEvent]) -> Option<RemoteInspection> {
        let (RemoteEvent::Opened { inspection }, rest) = events.split_first()? else {
            return None;
        };
        let mut r = inspection.clone();
        for e in rest {
            r.apply(e);
        }
        Some(r)
    }

    /// Applies one event of this inspection.
    pub fn apply(&mut self, e: &RemoteEvent) {
        match e {
            RemoteEvent::Opened { inspection } => *self = inspection.clone(),
            RemoteEvent::Instructed { instruction, .. } => {
                self.instructions.push(instruction.clone());
                self.status = RemoteStatus::Instructed;
            }
            RemoteEvent::EvidenceUploaded { evidence, .. } => {
                self.evidence.push(evidence.clone());
                self.status = RemoteStatus::EvidenceReceived;
            }
            RemoteEvent::Concluded { conclusion, .. } => {
                self.conclusion = Some(conclusion.clone());
                self.status = RemoteStatus::Concluded;
            }
        }
    }

    fn wrong_state(&self, what_en: &str, what_zh: &str) -> Refusal {
        Refusal::invalid_state(
            format!("remote inspection {} is {}; cannot {what_en}", self.id, self.status.as_str()),
            format!("远程监管 {} 当前状态为{}，不能{what_zh}", self.id, self.status.name_zh()),
        )
    }

    /// The evidence uploaded against instruction `no`.
    pub fn evidence_for(&self, no: u32) -> Vec<&Evidence> {
        self.evidence.iter().filter(|e| e.instruction_no == no).collect()
    }

    /// 下达监管指令 — a further instruction from the officer.
    pub fn instruct(&self, text: &str, by: &str, now: OffsetDateTime) -> Result<Vec<RemoteEvent>, Refusal> {
        if self.status == RemoteStatus::Concluded {
            return Err(self.wrong_state("issue an instruction", "下达监管指令"));
        }
        let text = instruction_text("text", text)?;
        Ok(vec![RemoteEvent::Instructed {
            inspection_id: self.id.clone(),
            instruction: Instruction { no: self.instructions.len() as u32 + 1, text, issued_by: by.to_owned(), at: now },
        }])
    }

    /// 上传影像资料 — the enterprise uploads a file answering an instruction. The bytes are stored
    /// by the caller; the journal records the name, type, size and hash.
    #[allow(clippy::too_many_arguments)]
    pub fn upload(
        &self,
        uploader: &CustomsCode,
        evidence_id: &str,
        instruction_no: u32,
        file_name: &str,
        media_type: &str,
        size: u64,
        sha256: &str,
        by: &str,
        now: OffsetDateTime,
    ) -> Result<Vec<RemoteEvent>, Refusal> {
        // Another enterprise must not learn that this inspection exists.
        if uploader != &self.enterprise {
            return Err(Refusal::not_found("remote inspection", "远程监管任务"));
        }
        if self.status == RemoteStatus::Concluded {
            return Err(self.wrong_state("upload evidence", "上传影像资料"));
        }
        if self.evidence.iter().any(|e| e.id == evidence_id) {
            return Err(Refusal::new(
                RefusalKind::Conflict,
                format!("evidence {evidence_id} is already uploaded"),
                format!("影像资料 {evidence_id} 已上传"),
            ));
        }
        let mut errors = Vec::new();
        if !self.instructions.iter().any(|i| i.no == instruction_no) {
            errors.push(FieldError::new(
                "instruction_no",
                Rule::InstructionUnknown,
                format!("there are instructions 1 to {}, not {instruction_no}", self.instructions.len()),
                format!("监管指令编号应为1至{}，没有第 {instruction_no} 条", self.instructions.len()),
            ));
        }
        let name_chars = file_name.chars().count();
        if name_chars == 0 || name_chars > MAX_FILE_NAME_CHARS {
            errors.push(FieldError::new(
                "file_name",
                Rule::FileNameLength,
                format!("the file name must be 1 to {MAX_FILE_NAME_CHARS} characters, got {name_chars}"),
                format!("文件名应为1至{MAX_FILE_NAME_CHARS}个字符，实际为 {name_chars} 个"),
            ));
        } else if file_name.chars().any(|c| c == '/' || c == '\\' || c.is_control()) || file_name == "." || file_name == ".." {
            errors.push(FieldError::new(
                "file_name",
                Rule::FileNameChars,
                "the file name is a plain name: no '/', '\\' or control characters",
                "文件名不得包含 '/'、'\\' 或控制字符",
            ));
        }
        let media_type = media_type.trim().to_ascii_lowercase();
        if !ALLOWED_MEDIA_TYPES.contains(&media_type.as_str()) {
            errors.push(FieldError::new(
                "media_type",
                Rule::MediaTypeNotAllowed,
                format!("{media_type:?} is not accepted; allowed: {}", ALLOWED_MEDIA_TYPES.join(", ")),
                format!("不接受 {media_type:?} 类型；允许的类型：{}", ALLOWED_MEDIA_TYPES.join("、")),
            ));
        }
        if size == 0 {
            errors.push(FieldError::new("size", Rule::FileEmpty, "the file is empty", "文件为空"));
        } else if size > MAX_EVIDENCE_BYTES {
            errors.push(FieldError::new(
                "size",
                Rule::FileTooLarge,
                format!("the file is {size} bytes; at most {MAX_EVIDENCE_BYTES} are accepted"),
                format!("文件大小为 {size} 字节，上限为 {MAX_EVIDENCE_BYTES} 字节"),
            ));
        }
        if !is_sha256_hex(sha256) {
            errors.push(FieldError::new(
                "sha256",
                Rule::Sha256Format,
                "the SHA-256 must be 64 lower-case hexadecimal digits",
                "SHA-256 应为64位小写十六进制数字",
            ));
        }
        if !errors.is_empty() {
            return Err(Refusal::validation(errors));
        }
        Ok(vec![RemoteEvent::EvidenceUploaded {
            inspection_id: self.id.clone(),
            evidence: Evidence {
                id: evidence_id.to_owned(),
                instruction_no,
                file_name: file_name.to_owned(),
                media_type,
                size,
                sha256: sha256.to_owned(),
                uploaded_by: by.to_owned(),
                at: now,
            },
        }])
    }

    /// 作出监管结论 — the officer concludes on the evidence received.
    pub fn conclude(&self, outcome: Outcome, findings: Vec<String>, by: &str, now: OffsetDateTime) -> Result<Vec<RemoteEvent>, Refusal> {
        if self.status == RemoteStatus::Concluded {
            return Err(self.wrong_state("conclude", "作出结论"));
        }
        if self.evidence.is_empty() {
            return Err(Refusal::invalid_state(
                format!("remote inspection {} has no evidence yet; a conclusion needs at least one file", self.id),
                format!("远程监管 {} 尚无影像资料，不能作出结论", self.id),
            ));
        }
        let findings: Vec<String> = findings.iter().map(|f| f.trim()).filter(|f| !f.is_empty()).map(str::to_owned).collect();
        if outcome == Outcome::NotSatisfactory && findings.is_empty() {
            return Err(Refusal::field(
                "findings",
                Rule::FindingsRequired,
                "a result that is not satisfactory must list the findings",
                "查验结果不合格时必须填写查验发现",
            ));
        }
        Ok(vec![RemoteEvent::Concluded {
            inspection_id: self.id.clone(),
            conclusion: Conclusion { outcome, findings, by: by.to_owned(), at: now },
        }])
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use time::macros::datetime;

    const NOW: OffsetDateTime = datetime!(2026-04-02 14:00 UTC);
    const LATER: OffsetDateTime = datetime!(2026-04-02 14:20 UTC);
    const ENTERPRISE: &str = "6201960001";
    const OFFICER: &str = "pan.xiao";
    const CLERK: &str = "zhang.clerk";
    const PHOTO: &[u8] = b"\xff\xd8\xff\xe0 carton 3, shipping marks";

    fn cc(s: &str) -> CustomsCode {
        CustomsCode::parse(s).unwrap()
    }

    fn opened() -> RemoteInspection {
        let ev = open("RI2026001", "620120261000000123", cc(ENTERPRISE), "open carton 3 and photograph the shipping marks", OFFICER, NOW)
            .unwrap();
        RemoteInspection::from_events(&ev).unwrap()
    }

    fn upload_photo(r: &RemoteInspection, id: &str) -> Result<Vec<RemoteEvent>, Refusal> {
        r.upload(&cc(ENTERPRISE), id, 1, "carton3.jpg", "image/jpeg", PHOTO.len() as u64, &sha256_hex(PHOTO), CLERK, LATER)
    }

    fn with_evidence() -> RemoteInspection {
        let mut r = opened();
        let ev = upload_photo(&r, "EV1").unwrap();
        for e in &ev {
            r.apply(e);
        }
        r
    }

    /// Uploads with one field changed; returns the failing (path, rule) pairs.
    fn refused(media_type: &str, size: u64, sha: &str, name: &str) -> Vec<(String, Rule)> {
        let r = opened().upload(&cc(ENTERPRISE), "EV1", 1, name, media_type, size, sha, CLERK, LATER).unwrap_err();
        assert_eq!(r.kind, RefusalKind::Validation);
        r.errors.iter().map(|e| (e.path.clone(), e.rule)).collect()
    }

    fn good_hash() -> String {
        sha256_hex(PHOTO)
    }

    #[test]
    fn open_records_the_first_instruction() {
        let r = opened();
        assert_eq!(r.status, RemoteStatus::Instructed);
        assert_eq!(
            r.instructions,
            vec![Instruction { no: 1, text: "open carton 3 and photograph the shipping marks".into(), issued_by: OFFICER.into(), at: NOW }]
        );
        assert!(r.evidence.is_empty());
        assert_eq!(r.conclusion, None);

        let e = open("RI1", " ", cc(ENTERPRISE), "", OFFICER, NOW).unwrap_err();
        let got: Vec<(&str, Rule)> = e.errors.iter().map(|f| (f.path.as_str(), f.rule)).collect();
        assert_eq!(got, vec![("declaration_id", Rule::Required), ("instruction", Rule::Required)]);
    }

    #[test]
    fn upload_of_each_allowed_type() {
        let cases = [
            ("IMG_0001.JPG", "image/jpeg"),
            ("marks.png", "image/png"),
            ("walkaround.mp4", "video/mp4"),
            ("IMG_0002.MOV", "video/quicktime"),
            ("upper.jpg", "Image/JPEG"),
        ];
        for (i, (name, media)) in cases.into_iter().enumerate() {
            let r = opened();
            let id = format!("EV{i}");
            let ev = r
                .upload(&cc(ENTERPRISE), &id, 1, name, media, 1024, &good_hash(), CLERK, LATER)
                .unwrap_or_else(|e| panic!("{media}: {e:?}"));
            let want = Evidence {
                id: id.clone(),
                instruction_no: 1,
                file_name: name.into(),
                media_type: media.to_ascii_lowercase(),
                size: 1024,
                sha256: good_hash(),
                uploaded_by: CLERK.into(),
                at: LATER,
            };
            assert_eq!(ev, vec![RemoteEvent::EvidenceUploaded { inspection_id: "RI2026001".into(), evidence: want.clone() }]);
            let mut r = r;
            r.apply(&ev[0]);
            assert_eq!(r.status, RemoteStatus::EvidenceReceived);
            assert_eq!(r.evidence, vec![want]);
        }
    }

    #[test]
    fn disallowed_media_types() {
        for media in ["image/gif", "application/zip", "video/mp4; codecs=avc1", "", "text/html"] {
            let r = opened().upload(&cc(ENTERPRISE), "EV1", 1, "a.bin", media, 10, &good_hash(), CLERK, LATER).unwrap_err();
            assert_eq!(r.errors.len(), 1, "{media}");
            let e = &r.errors[0];
            assert_eq!((e.path.as_str(), e.rule), ("media_type", Rule::MediaTypeNotAllowed));
            for allowed in ALLOWED_MEDIA_TYPES {
                assert!(e.en.contains(allowed), "{}", e.en);
                assert!(e.zh.contains(allowed), "{}", e.zh);
            }
        }
    }

    #[test]
    fn size_limits() {
        let h = good_hash();
        assert_eq!(refused("video/mp4", MAX_EVIDENCE_BYTES + 1, &h, "a.mp4"), vec![("size".to_owned(), Rule::FileTooLarge)]);
        assert_eq!(refused("video/mp4", 0, &h, "a.mp4"), vec![("size".to_owned(), Rule::FileEmpty)]);
        for ok in [1, MAX_EVIDENCE_BYTES] {
            assert!(opened().upload(&cc(ENTERPRISE), "EV1", 1, "a.mp4", "video/mp4", ok, &h, CLERK, LATER).is_ok());
        }
    }

    #[test]
    fn bad_hashes() {
        let h = good_hash();
        let upper = h.to_ascii_uppercase();
        let short = &h[..63];
        let long = format!("{h}0");
        let not_hex = format!("{}g", &h[..63]);
        for bad in [upper.as_str(), short, long.as_str(), not_hex.as_str(), ""] {
            assert_eq!(refused("image/png", 10, bad, "a.png"), vec![("sha256".to_owned(), Rule::Sha256Format)], "{bad:?}");
        }
    }

    #[test]
    fn file_names() {
        let h = good_hash();
        let long = "a".repeat(256);
        let max = format!("{}.jpg", "长".repeat(251));
        for (name, rule) in [
            ("", Rule::FileNameLength),
            (long.as_str(), Rule::FileNameLength),
            ("../etc/passwd", Rule::FileNameChars),
            ("C:\\photos\\a.jpg", Rule::FileNameChars),
            ("a\nb.jpg", Rule::FileNameChars),
            ("..", Rule::FileNameChars),
        ] {
            assert_eq!(refused("image/jpeg", 10, &h, name), vec![("file_name".to_owned(), rule)], "{name:?}");
        }
        assert_eq!(max.chars().count(), 255);
        assert!(opened().upload(&cc(ENTERPRISE), "EV1", 1, &max, "image/jpeg", 10, &h, CLERK, LATER).is_ok());
    }

    #[test]
    fn every_bad_field_is_reported_at_once() {
        let r = opened().upload(&cc(ENTERPRISE), "EV1", 7, "a/b", "image/gif", 0, "x", CLERK, LATER).unwrap_err();
        let rules: Vec<Rule> = r.errors.iter().map(|e| e.rule).collect();
        assert_eq!(rules, [Rule::InstructionUnknown, Rule::FileNameChars, Rule::MediaTypeNotAllowed, Rule::FileEmpty, Rule::Sha256Format]);
    }

    #[test]
    fn wrong_enterprise_is_not_found() {
        let r = opened().upload(&cc("6201960099"), "EV1", 1, "a.jpg", "image/jpeg", 10, &good_hash(), CLERK, LATER).unwrap_err();
        assert_eq!(r.kind, RefusalKind::NotFound);
        assert!(r.errors.is_empty());
    }

    #[test]
    fn unknown_instruction() {
        let r = opened();
        for no in [0u32, 2] {
            let e = r.upload(&cc(ENTERPRISE), "EV1", no, "a.jpg", "image/jpeg", 10, &good_hash(), CLERK, LATER).unwrap_err();
            assert_eq!(e.errors.len(), 1);
            assert_eq!((e.errors[0].path.as_str(), e.errors[0].rule), ("instruction_no", Rule::InstructionUnknown));
        }
    }

    #[test]
    fn duplicate_evidence_id_is_a_conflict() {
        let r = with_evidence();
        let e = upload_photo(&r, "EV1").unwrap_err();
        assert_eq!(e.kind, RefusalKind::Conflict);
        assert!(upload_photo(&r, "EV2").is_ok());
    }

    #[test]
    fn further_instructions() {
        let mut r = with_evidence();
        assert_eq!(r.status, RemoteStatus::EvidenceReceived);
        let e = r.instruct("  ", OFFICER, LATER).unwrap_err();
        assert_eq!(e.errors[0].path, "text");
        let ev = r.instruct(" film the inside of carton 5 ", OFFICER, LATER).unwrap();
        assert_eq!(
            ev,
            vec![RemoteEvent::Instructed {
                inspection_id: "RI2026001".into(),
                instruction: Instruction { no: 2, text: "film the inside of carton 5".into(), issued_by: OFFICER.into(), at: LATER },
            }]
        );
        r.apply(&ev[0]);
        assert_eq!(r.status, RemoteStatus::Instructed);
        let ev = r.upload(&cc(ENTERPRISE), "EV2", 2, "carton5.mov", "video/quicktime", 5_000_000, &good_hash(), CLERK, LATER).unwrap();
        r.apply(&ev[0]);
        assert_eq!(r.status, RemoteStatus::EvidenceReceived);
        assert_eq!(r.evidence_for(2).len(), 1);
        assert_eq!(r.evidence_for(1)[0].id, "EV1");
    }

    #[test]
    fn conclude_needs_evidence() {
        let r = opened();
        let e = r.conclude(Outcome::Satisfactory, vec![], OFFICER, LATER).unwrap_err();
        assert_eq!(e.kind, RefusalKind::InvalidState);
        assert!(e.detail_en.contains("no evidence"), "{}", e.detail_en);
    }

    #[test]
    fn not_satisfactory_needs_findings() {
        let r = with_evidence();
        for findings in [vec![], vec![" ".to_owned()]] {
            let e = r.conclude(Outcome::NotSatisfactory, findings, OFFICER, LATER).unwrap_err();
            assert_eq!(e.kind, RefusalKind::Validation);
            assert_eq!((e.errors[0].path.as_str(), e.errors[0].rule), ("findings", Rule::FindingsRequired));
        }
        let ev =
            r.conclude(Outcome::NotSatisfactory, vec![" marks do not match the declaration ".into(), "".into()], OFFICER, LATER).unwrap();
        assert_eq!(
            ev,
            vec![RemoteEvent::Concluded {
                inspection_id: "RI2026001".into(),
                conclusion: Conclusion {
                    outcome: Outcome::NotSatisfactory,
                    findings: vec!["marks do not match the declaration".into()],
                    by: OFFICER.into(),
                    at: LATER,
                },
            }]
        );
    }

    #[test]
    fn concluded_is_final() {
        let mut r = with_evidence();
        let ev = r.conclude(Outcome::Satisfactory, vec![], OFFICER, LATER).unwrap();
        r.apply(&ev[0]);
        assert_eq!(r.status, RemoteStatus::Concluded);
        assert_eq!(r.conclusion.as_ref().map(|c| c.outcome), Some(Outcome::Satisfactory));

        let refusals = [
            r.instruct("one more", OFFICER, LATER).unwrap_err(),
            upload_photo(&r, "EV9").unwrap_err(),
            r.conclude(Outcome::Satisfactory, vec![], OFFICER, LATER).unwrap_err(),
        ];
        for e in refusals {
            assert_eq!(e.kind, RefusalKind::InvalidState);
            assert!(e.detail_en.contains("is concluded"), "{}", e.detail_en);
            assert!(e.detail_zh.contains("已作出结论"), "{}", e.detail_zh);
        }
    }

    #[test]
    fn sha256_known_values() {
        assert_eq!(sha256_hex(b""), "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
        assert_eq!(sha256_hex(b"abc"), "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
    }

    #[test]
    fn check_file_detects_a_changed_byte() {
        let r = with_evidence();
        let e = &r.evidence[0];
        assert_eq!(check_file(e, PHOTO), Ok(()));
        let mut changed = PHOTO.to_vec();
        changed[5] ^= 0x01;
        let t = check_file(e, &changed).unwrap_err();
        assert_eq!(t.expected, sha256_hex(PHOTO));
        assert_eq!(t.actual, sha256_hex(&changed));
        assert_ne!(t.expected, t.actual);
        let t = check_file(e, &PHOTO[..PHOTO.len() - 1]).unwrap_err();
        assert_eq!(t.actual, sha256_hex(&PHOTO[..PHOTO.len() - 1]));
    }

    #[test]
    fn events_fold_and_serialize() {
        let first = open("RI7", "D1", cc(ENTERPRISE), "photograph the seals", OFFICER, NOW).unwrap();
        let r = RemoteInspection::from_events(&first).unwrap();
        let up = upload_photo(&r, "EV1").unwrap();
        let mut all = first;
        all.extend(up);
        let folded = RemoteInspection::from_events(&all).unwrap();
        assert_eq!(folded.status, RemoteStatus::EvidenceReceived);
        assert_eq!(folded.evidence.len(), 1);
        assert!(RemoteInspection::from_events(&all[1..]).is_none());
        for e in &all {
            assert_eq!(e.stream(), "remote:RI7");
            let back: RemoteEvent = serde_json::from_value(serde_json::to_value(e).unwrap()).unwrap();
            assert_eq!(&back, e);
        }
        let json = serde_json::to_value(&all[1]).unwrap();
        assert_eq!(json["event"], "evidence_uploaded");
        assert_eq!(json["evidence"]["at"], "2026-04-02T14:20:00Z");
        assert_eq!(json["evidence"]["sha256"], sha256_hex(PHOTO));
        let json = serde_json::to_value(&all[0]).unwrap();
        assert_eq!(json["event"], "opened");
        assert_eq!(json["inspection"]["status"], "instructed");
        for s in RemoteStatus::ALL {
            assert_eq!(RemoteStatus::parse(s.as_str()), Some(s));
        }
    }

    #[test]
    fn files_are_typed_by_their_signature() {
        let cases: &[(&[u8], Option<&str>)] = &[
            (b"\xFF\xD8\xFF\xE0\x00\x10JFIF", Some("image/jpeg")),
            (b"\x89PNG\r\n\x1a\n\x00\x00", Some("image/png")),
            (b"RIFF\x24\x00\x00\x00WEBPVP8 ", Some("image/webp")),
            (b"\x00\x00\x00\x18ftypheic\x00\x00\x00\x00", Some("image/heic")),
            (b"\x00\x00\x00\x18ftypmif1\x00\x00\x00\x00", Some("image/heif")),
            (b"\x00\x00\x00\x20ftypisom\x00\x00\x02\x00", Some("video/mp4")),
            (b"\x00\x00\x00\x14ftypqt  \x20\x05\x03\x00", Some("video/quicktime")),
            (b"\x1A\x45\xDF\xA3\x9f\x42\x86\x81\x01\x42\x82\x84webm", Some("video/webm")),
            (b"%PDF-1.7\n", Some("application/pdf")),
            (b"<html><script>alert(1)</script>", None),
            (b"GIF89a", None),
            (b"RIFF\x24\x00\x00\x00WAVEfmt ", None),
            (b"\x1A\x45\xDF\xA3\x9f\x42\x86\x81\x01\x42\x82\x88matroska", None),
            (b"\x00\x00\x00\x18ftypXXXX", None),
            (b"", None),
        ];
        for (bytes, want) in cases {
            assert_eq!(sniff(bytes), *want, "{:?}", String::from_utf8_lossy(bytes));
            if let Some(t) = want {
                assert!(ALLOWED_MEDIA_TYPES.contains(t));
            }
        }
    }
}
