//! Which addresses a webhook may reach. A subscription is an admin's configuration, but an
//! address inside the operator's network (loopback, RFC 1918, link-local and the cloud
//! metadata service, CGNAT, ULA, multicast, unspecified) would let the server be used to reach
//! what the outside cannot. Such addresses are refused when a subscription is made and again at
//! each delivery, after resolving the name: the request then connects only to an address that
//! was checked ([`CheckedResolver`]), so a name cannot resolve to a public address when checked
//! and to an internal one when connected (DNS rebinding).
//!
//! Tests and single-machine deployments that deliver to their own host allow internal
//! addresses explicitly: `GUOMEN_WEBHOOK_ALLOW_PRIVATE=true` or `guomen serve
//! --webhook-allow-private`.

use guomen_domain::Rule;
use reqwest::dns::{Addrs, Name, Resolve, Resolving};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

/// The environment variable that allows internal addresses.
pub const ALLOW_PRIVATE_ENV: &str = "GUOMEN_WEBHOOK_ALLOW_PRIVATE";

/// Which addresses webhooks may reach.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Reach {
    /// Internal addresses (loopback, private, link-local, …) allowed too.
    pub allow_private: bool,
}

/// Why an address is refused, in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Blocked {
    pub ip: IpAddr,
    pub en: &'static str,
    pub zh: &'static str,
}

impl Reach {
    /// Public addresses only.
    pub const PUBLIC: Reach = Reach { allow_private: false };
    /// Any address (tests, a single machine).
    pub const ANY: Reach = Reach { allow_private: true };

    /// From `GUOMEN_WEBHOOK_ALLOW_PRIVATE` (`true`, `1` or `yes` allow internal addresses).
    pub fn from_env() -> Reach {
        let v = std::env::var(ALLOW_PRIVATE_ENV).unwrap_or_default();
        Reach { allow_private: matches!(v.trim().to_ascii_lowercase().as_str(), "true" | "1" | "yes") }
    }

    /// Whether a webhook may connect to `ip`.
    pub fn check(self, ip: IpAddr) -> Result<(), Blocked> {
        if self.allow_private {
            return Ok(());
        }
        match internal(ip) {
            Some((en, zh)) => Err(Blocked { ip, en, zh }),
            None => Ok(()),
        }
    }
}

/// The class of an internal address, or None for a public one.
pub fn internal(ip: IpAddr) -> Option<(&'static str, &'static str)> {
    match ip {
        IpAddr::V4(v4) => internal_v4(v4),
        IpAddr::V6(v6) => internal_v6(v6),
    }
}

fn internal_v4(ip: Ipv4Addr) -> Option<(&'static str, &'static str)> {
    let [a, b, ..] = ip.octets();
    Some(if ip == Ipv4Addr::new(169, 254, 169, 254) {
        ("the cloud metadata service", "云主机元数据服务")
    } else if a == 0 {
        ("an unspecified address", "未指定地址")
    } else if ip.is_loopback() {
        ("a loopback address", "本机回环地址")
    } else if ip.is_private() {
        ("a private (RFC 1918) address", "私有网络地址（RFC 1918）")
    } else if ip.is_link_local() {
        ("a link-local address", "链路本地地址")
    } else if a == 100 && (64..128).contains(&b) {
        ("a carrier-grade NAT (100.64.0.0/10) address", "运营商级 NAT 地址（100.64.0.0/10）")
    } else if ip.is_multicast() {
        ("a multicast address", "组播地址")
    } else if ip.is_broadcast() || a >= 240 {
        ("a reserved or broadcast address", "保留或广播地址")
    } else {
        return None;
    })
}

fn internal_v6(ip: Ipv6Addr) -> Option<(&'static str, &'static str)> {
    // An IPv4 address carried in IPv6 (::ffff:a.b.c.d, NAT64 64:ff9b::a.b.c.d) is that address.
    if let Some(v4) = ip.to_ipv4_mapped() {
        return internal_v4(v4);
    }
    let s = ip.segments();
    if s[..6] == [0x64, 0xff9b, 0, 0, 0, 0] {
        return internal_v4(Ipv4Addr::new((s[6] >> 8) as u8, s[6] as u8, (s[7] >> 8) as u8, s[7] as u8));
    }
    Some(if ip.is_unspecified() {
        ("an unspecified address", "未指定地址")
    } else if ip.is_loopback() {
        ("a loopback address", "本机回环地址")
    } else if s[0] & 0xfe00 == 0xfc00 {
        ("a unique local (fc00::/7) address", "唯一本地地址（fc00::/7）")
    } else if s[0] & 0xffc0 == 0xfe80 || s[0] & 0xffc0 == 0xfec0 {
        ("a link-local address", "链路本地地址")
    } else if ip.is_multicast() {
        ("a multicast address", "组播地址")
    } else {
        return None;
    })
}

/// Why a webhook URL is refused: a rule name and the explanation in both languages.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct UrlRefusal {
    pub rule: Rule,
    pub en: String,
    pub zh: String,
}

fn blocked(host: &str, b: &Blocked) -> UrlRefusal {
    UrlRefusal {
        rule: Rule::UrlInternal,
        en: format!("{host} is {} ({}); webhooks reach public addresses only unless {ALLOW_PRIVATE_ENV}=true", b.en, b.ip),
        zh: format!("{host} 是{}（{}）；除非设置 {ALLOW_PRIVATE_ENV}=true，推送地址只能是公网地址", b.zh, b.ip),
    }
}

/// Checks a webhook URL: an absolute `http://` or `https://` URL whose host is, or resolves
/// only to, addresses `reach` permits. A name that does not resolve now is let through; every
/// delivery resolves and checks it again.
pub async fn check_url(url: &str, reach: Reach) -> Result<(), UrlRefusal> {
    let format = || UrlRefusal {
        rule: Rule::UrlFormat,
        en: "a webhook URL is an absolute http:// or https:// URL".into(),
        zh: "推送地址应为 http:// 或 https:// 开头的绝对地址".into(),
    };
    let parsed = reqwest::Url::parse(url).map_err(|_| format())?;
    if !matches!(parsed.scheme(), "http" | "https") || !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(format());
    }
    let port = parsed.port_or_known_default().unwrap_or(80);
    match parsed.host() {
        None => Err(format()),
        Some(url::Host::Ipv4(ip)) => reach.check(IpAddr::V4(ip)).map_err(|b| blocked(&ip.to_string(), &b)),
        Some(url::Host::Ipv6(ip)) => reach.check(IpAddr::V6(ip)).map_err(|b| blocked(&ip.to_string(), &b)),
        Some(url::Host::Domain(name)) => {
            if reach.allow_private {
                return Ok(());
            }
            let lower = name.trim_end_matches('.').to_ascii_lowercase();
            if lower == "localhost" || lower.ends_with(".localhost") {
                return Err(blocked(name, &Blocked { ip: IpAddr::V4(Ipv4Addr::LOCALHOST), en: "a loopback address", zh: "本机回环地址" }));
            }
            if let Ok(addrs) = tokio::net::lookup_host((name, port)).await {
                for a in addrs {
                    reach.check(a.ip()).map_err(|b| blocked(name, &b))?;
                }
            }
            Ok(())
        }
    }
}

/// The dispatcher's name resolver: resolves with the system resolver and answers only if
/// every address is one `reach` permits, so the connection goes to a checked address.
#[derive(Debug, Clone, Copy)]
pub struct CheckedResolver(pub Reach);

impl Resolve for CheckedResolver {
    fn resolve(&self, name: Name) -> Resolving {
        let reach = self.0;
        Box::pin(async move {
            let host = name.as_str().to_owned();
            let addrs: Vec<SocketAddr> = tokio::net::lookup_host((host.as_str(), 0)).await?.collect();
            for a in &addrs {
                if let Err(b) = reach.check(a.ip()) {
                    return Err(blocked(&host, &b).en.into());
                }
            }
            if addrs.is_empty() {
                return Err(format!("{host} did not resolve to any address").into());
            }
            Ok(Box::new(addrs.into_iter()) as Addrs)
        })
    }
}

/// Checks the address of a URL whose host is an IP literal (the resolver is not asked for
/// those); names are checked by [`CheckedResolver`] as they are resolved.
pub fn check_literal(url: &str, reach: Reach) -> Result<(), String> {
    let parsed = reqwest::Url::parse(url).map_err(|e| format!("not a URL: {e}"))?;
    let ip = match parsed.host() {
        Some(url::Host::Ipv4(ip)) => IpAddr::V4(ip),
        Some(url::Host::Ipv6(ip)) => IpAddr::V6(ip),
        _ => return Ok(()),
    };
    reach.check(ip).map_err(|b| blocked(&ip.to_string(), &b).en)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn internal_addresses_are_refused_and_public_ones_allowed() {
        let refused = [
            "127.0.0.1",
            "127.1.2.3",
            "10.0.0.1",
            "172.16.5.4",
            "172.31.255.255",
            "192.168.1.1",
            "169.254.169.254",
            "169.254.1.1",
            "100.64.0.1",
            "100.127.255.255",
            "0.0.0.0",
            "224.0.0.1",
            "255.255.255.255",
            "::1",
            "::",
            "fc00::1",
            "fd12:3456::1",
            "fe80::1",
            "ff02::1",
            "::ffff:127.0.0.1",
            "::ffff:10.1.2.3",
            "64:ff9b::a9fe:a9fe",
        ];
        for ip in refused {
            let ip: IpAddr = ip.parse().unwrap();
            assert!(Reach::PUBLIC.check(ip).is_err(), "{ip} should be refused");
            assert!(Reach::ANY.check(ip).is_ok(), "{ip} is allowed when internal addresses are");
        }
        for ip in ["8.8.8.8", "100.63.255.255", "100.128.0.1", "172.32.0.1", "203.0.113.9", "2001:4860:4860::8888", "::ffff:8.8.8.8"] {
            let ip: IpAddr = ip.parse().unwrap();
            assert!(Reach::PUBLIC.check(ip).is_ok(), "{ip} is public");
        }
        assert_eq!(internal("169.254.169.254".parse().unwrap()).unwrap().0, "the cloud metadata service");
    }

    #[tokio::test]
    async fn urls_are_checked_by_their_host() {
        for url in [
            "http://127.0.0.1:8080/hook",
            "http://[::1]/hook",
            "http://localhost/hook",
            "http://api.localhost/hook",
            "http://169.254.169.254/latest/meta-data",
            "http://2130706433/",
            "http://0x7f.1/",
            "http://10.1.2.3/",
        ] {
            let e = check_url(url, Reach::PUBLIC).await.unwrap_err();
            assert_eq!(e.rule, Rule::UrlInternal, "{url}: {e:?}");
            assert!(check_url(url, Reach::ANY).await.is_ok(), "{url}");
        }
        for url in ["ftp://example.com/", "not a url", "http://user:pw@203.0.113.9/", "/relative"] {
            assert_eq!(check_url(url, Reach::ANY).await.unwrap_err().rule, Rule::UrlFormat, "{url}");
        }
        assert!(check_url("http://203.0.113.9/hook", Reach::PUBLIC).await.is_ok());
        assert!(check_literal("http://127.0.0.1:9/", Reach::PUBLIC).is_err());
        assert!(check_literal("http://127.0.0.1:9/", Reach::ANY).is_ok());
    }
}
