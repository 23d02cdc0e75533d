//! Where webhooks may be sent: https URLs whose host resolves only to public addresses
//! (no private, loopback, link-local, shared or reserved ones: SSRF). Loopback (over http or
//! https) is allowed only with `WEBHOOK_ALLOW_LOOPBACK=true`, for development and tests. The
//! check runs when subscribing and again before every try, and the delivery client's resolver
//! (`GuardedResolver`) refuses the same addresses, so a name that changes its address after
//! the check is still refused.

use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr};

use url::{Host, Url};

/// The longest URL kept (the column's size).
const MAX_URL_BYTES: usize = 2000;

/// Why a URL is refused, in French for partners.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
#[error("{0}")]
pub struct Refusal(pub String);

fn refused(message: impl Into<String>) -> Refusal {
    Refusal(message.into())
}

/// Whether a webhook may reach `ip`.
pub fn allowed_ip(ip: IpAddr, allow_loopback: bool) -> bool {
    match ip {
        IpAddr::V4(v4) => allowed_v4(v4, allow_loopback),
        IpAddr::V6(v6) => allowed_v6(v6, allow_loopback),
    }
}

fn allowed_v4(ip: Ipv4Addr, allow_loopback: bool) -> bool {
    if ip.is_loopback() {
        return allow_loopback;
    }
    let [a, b, ..] = ip.octets();
    let shared = a == 100 && (64..128).contains(&b);
    let benchmarking = a == 198 && (b == 18 || b == 19);
    let reserved = a >= 240 || a == 0;
    !(ip.is_private()
        || ip.is_link_local()
        || ip.is_unspecified()
        || ip.is_broadcast()
        || ip.is_multicast()
        || ip.is_documentation()
        || shared
        || benchmarking
        || reserved)
}

fn allowed_v6(ip: Ipv6Addr, allow_loopback: bool) -> bool {
    if ip.is_loopback() {
        return allow_loopback;
    }
    if let Some(v4) = embedded_v4(ip) {
        return allowed_v4(v4, allow_loopback);
    }
    let first = ip.segments()[0];
    let unique_local = first & 0xfe00 == 0xfc00;
    let link_local = first & 0xffc0 == 0xfe80;
    let documentation = first == 0x2001 && ip.segments()[1] == 0x0db8;
    !(ip.is_unspecified() || ip.is_multicast() || unique_local || link_local || documentation)
}

/// The IPv4 address an IPv6 one stands for: mapped, compatible, NAT64 or 6to4.
fn embedded_v4(ip: Ipv6Addr) -> Option<Ipv4Addr> {
    let s = ip.segments();
    let low = |hi: u16, lo: u16| Ipv4Addr::from((u32::from(hi) << 16) | u32::from(lo));
    match s {
        [0, 0, 0, 0, 0, 0xffff, hi, lo] | [0, 0, 0, 0, 0, 0, hi, lo] => Some(low(hi, lo)),
        [0x64, 0xff9b, 0, 0, 0, 0, hi, lo] => Some(low(hi, lo)),
        [0x2002, hi, lo, ..] => Some(low(hi, lo)),
        _ => None,
    }
}

/// Reads and checks a subscription's URL (scheme, no credentials, a host), resolving its
/// host: every address must be allowed.
pub async fn check(url: &str, allow_loopback: bool) -> Result<Url, Refusal> {
    let parsed = Url::parse(url.trim()).map_err(|_| refused("l'adresse n'est pas une URL"))?;
    if parsed.as_str().len() > MAX_URL_BYTES {
        return Err(refused("l'adresse est trop longue"));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(refused("l'adresse ne doit pas contenir d'identifiants"));
    }
    let host = parsed
        .host()
        .ok_or_else(|| refused("l'adresse n'a pas d'hôte"))?;
    let port = parsed.port_or_known_default().unwrap_or(443);
    let addresses: Vec<IpAddr> = match host {
        Host::Ipv4(ip) => vec![IpAddr::V4(ip)],
        Host::Ipv6(ip) => vec![IpAddr::V6(ip)],
        Host::Domain(name) => resolve(name, port).await?,
    };
    let loopback_only = addresses.iter().all(|ip| unmapped(*ip).is_loopback());
    match parsed.scheme() {
        "https" => {}
        "http" if allow_loopback && loopback_only => {}
        _ => return Err(refused("l'adresse doit commencer par https://")),
    }
    if addresses.iter().any(|ip| !allowed_ip(*ip, allow_loopback)) {
        return Err(refused(
            "l'adresse mène à un réseau privé, local ou réservé : elle doit être publique",
        ));
    }
    Ok(parsed)
}

fn unmapped(ip: IpAddr) -> IpAddr {
    match ip {
        IpAddr::V6(v6) => embedded_v4(v6).map_or(ip, IpAddr::V4),
        v4 => v4,
    }
}

async fn resolve(name: &str, port: u16) -> Result<Vec<IpAddr>, Refusal> {
    let found: Vec<IpAddr> = tokio::net::lookup_host((name, port))
        .await
        .map_err(|_| refused(format!("l'hôte {name} est introuvable")))?
        .map(|address: SocketAddr| address.ip())
        .collect();
    if found.is_empty() {
        return Err(refused(format!("l'hôte {name} est introuvable")));
    }
    Ok(found)
}

/// The delivery client's resolver: the system's, minus the refused addresses.
pub struct GuardedResolver {
    pub allow_loopback: bool,
}

impl reqwest::dns::Resolve for GuardedResolver {
    fn resolve(&self, name: reqwest::dns::Name) -> reqwest::dns::Resolving {
        let allow_loopback = self.allow_loopback;
        Box::pin(async move {
            let found = tokio::net::lookup_host((name.as_str(), 0)).await?;
            let allowed: Vec<SocketAddr> = found
                .filter(|address| allowed_ip(address.ip(), allow_loopback))
                .collect();
            if allowed.is_empty() {
                return Err("the host resolves to no allowed address".into());
            }
            let addresses: reqwest::dns::Addrs = Box::new(allowed.into_iter());
            Ok(addresses)
        })
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn refuses_private_loopback_link_local_and_reserved_addresses() {
        let refused = [
            "127.0.0.1",
            "10.1.2.3",
            "172.16.0.1",
            "192.168.1.1",
            "169.254.169.254",
            "100.64.0.1",
            "0.0.0.0",
            "255.255.255.255",
            "224.0.0.1",
            "::1",
            "::",
            "fe80::1",
            "fd00::1",
            "::ffff:127.0.0.1",
            "::ffff:10.0.0.1",
            "64:ff9b::7f00:1",
            "2002:7f00:1::",
        ];
        for text in refused {
            let ip: IpAddr = text.parse().unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
            assert!(!allowed_ip(ip, false), "{text}");
        }
        let public: IpAddr = "203.0.114.1"
            .parse()
            .unwrap_or(IpAddr::V4(Ipv4Addr::LOCALHOST));
        assert!(allowed_ip(public, false));
        assert!(allowed_ip(IpAddr::V4(Ipv4Addr::LOCALHOST), true));
    }
}
