//! The receipt each CEB message is answered with (CEB312, 412, 512, 622, 624, 626, 712), one
//! return element per document, from the answers the write path gave.

use super::message::Parsed;
use guomen_messages::ceb::Answer;
use guomen_store::ceb::DocAnswer;

/// `returnTime`: `YYYYMMDDhhmmssSSS` in China time.
pub fn return_time(at_ms: i64) -> String {
    let t = time::OffsetDateTime::from_unix_timestamp_nanos(i128::from(at_ms) * 1_000_000)
        .unwrap_or(time::OffsetDateTime::UNIX_EPOCH)
        .to_offset(time::macros::offset!(+8));
    format!(
        "{:04}{:02}{:02}{:02}{:02}{:02}{:03}",
        t.year(),
        u8::from(t.month()),
        t.day(),
        t.hour(),
        t.minute(),
        t.second(),
        t.millisecond()
    )
}

/// The receipt of the message's kind, one return element per document: the document's codes
/// and numbers as the kind's receipt echoes them, with the numbers customs assigned.
pub fn write(parsed: &Parsed, answers: &[DocAnswer]) -> String {
    let answers: Vec<Answer> = answers
        .iter()
        .map(|a| Answer {
            return_status: a.status.clone(),
            return_time: return_time(a.at_ms),
            return_info: a.info.clone(),
            pre_no: a.pre_no.clone(),
            invt_no: a.invt_no.clone(),
        })
        .collect();
    parsed.message().receipt(&answers).to_xml()
}

#[cfg(test)]
mod tests {
    #[test]
    fn return_time_is_china_time_to_the_millisecond() {
        // 2026-11-30T16:00:00.123Z is 2026-12-01 00:00:00.123 in China.
        assert_eq!(super::return_time(1_796_054_400_123), "20261201000000123");
    }
}
