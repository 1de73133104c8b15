//! Identifiers that carry their own check digits, built the way carriers and airlines issue them.

/// ISO 6346 container number: a 3-letter owner code, category `U`, a 6-digit serial and the
/// check digit.
pub fn container(owner: &str, serial: u32) -> String {
    let body = format!("{owner}U{:06}", serial % 1_000_000);
    let sum: u32 = body.bytes().enumerate().map(|(i, c)| char_value(c) << i).sum();
    format!("{body}{}", sum % 11 % 10)
}

/// ISO 6346 values: digits are themselves, letters run from A = 10 skipping multiples of 11.
fn char_value(c: u8) -> u32 {
    if c.is_ascii_digit() {
        return u32::from(c - b'0');
    }
    let mut v = 10;
    for _ in b'A'..c {
        v += 1;
        if v % 11 == 0 {
            v += 1;
        }
    }
    v
}

/// IATA air waybill number: 3-digit airline prefix, 7-digit serial and its check digit
/// (the serial modulo 7), written `074-12345675`.
pub fn air_waybill(prefix: &str, serial: u32) -> String {
    let s = serial % 10_000_000;
    format!("{prefix}-{s:07}{}", s % 7)
}

/// `YYYYMMDD`, as flight and train dates are written in the voyage field.
pub fn compact_date(d: time::Date) -> String {
    format!("{:04}{:02}{:02}", d.year(), u8::from(d.month()), d.day())
}

#[cfg(test)]
mod tests {
    use super::*;
    use guomen_domain::declaration::container_number_valid;

    #[test]
    fn container_numbers_carry_their_check_digit() {
        // The example of ISO 6346 itself.
        assert_eq!(container("CSQ", 305438), "CSQU3054383");
        for serial in [0, 1, 123_456, 999_999, 481_516] {
            for owner in ["MSK", "COS", "LZK", "TGH", "ZZZ"] {
                assert!(container_number_valid(&container(owner, serial)));
            }
        }
    }

    #[test]
    fn air_waybills_have_the_mod_7_check() {
        assert_eq!(air_waybill("074", 1234567), "074-12345675");
    }
}
