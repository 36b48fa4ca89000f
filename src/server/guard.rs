//! Who may ask: only the page this server served, from this machine.
//!
//! A page on another website can make the browser send requests to
//! 127.0.0.1. Three things keep it out:
//!
//! - **Host.** Only `127.0.0.1:PORT`, `localhost:PORT` and `[::1]:PORT` are
//!   answered. A site that points its own name at 127.0.0.1 (DNS
//!   rebinding) sends its own name as the `Host`, and is refused.
//! - **The token.** Every `/api/` request carries `X-Charter-Token`, a
//!   random value made at start and written into the page. Another origin
//!   cannot read the page, so it cannot know the token; and a request with
//!   a header of its own is one a browser will not send across origins
//!   without asking first (a preflight this server never grants).
//! - **Writes.** A `POST` or `PUT` must be `application/json` (a type a
//!   form cannot send), and one that says where it comes from (`Origin`,
//!   `Sec-Fetch-Site`) must come from this server's own page.

use super::http::Request;

/// A refusal: status and message.
pub type Refusal = (u16, String);

/// The header the page sends the token in.
pub const TOKEN_HEADER: &str = "x-charter-token";

/// What the page is served with and what requests must match.
#[derive(Debug, Clone)]
pub struct Guard {
    hosts: [String; 3],
    token: String,
}

/// A new random token: 128 bits from the operating system, in hex.
pub fn token() -> Result<String, getrandom::Error> {
    let mut bytes = [0u8; 16];
    getrandom::fill(&mut bytes)?;
    Ok(bytes.iter().map(|b| format!("{b:02x}")).collect())
}

impl Guard {
    /// The guard of a server on `port` whose page carries `token`.
    pub fn new(port: u16, token: String) -> Guard {
        Guard {
            hosts: [
                format!("127.0.0.1:{port}"),
                format!("localhost:{port}"),
                format!("[::1]:{port}"),
            ],
            token,
        }
    }

    /// The page with the token written into it (in place of `{{TOKEN}}`).
    pub fn page(&self, index: &str) -> String {
        index.replace("{{TOKEN}}", &self.token)
    }

    /// Whether `given` is the token, compared in time that does not depend
    /// on where it first differs.
    fn is_token(&self, given: &str) -> bool {
        let (a, b) = (given.as_bytes(), self.token.as_bytes());
        a.len() == b.len() && a.iter().zip(b).fold(0u8, |d, (x, y)| d | (x ^ y)) == 0
    }

    /// Whether `host` names this server.
    fn ours(&self, host: &str) -> bool {
        self.hosts.iter().any(|h| h.eq_ignore_ascii_case(host))
    }

    /// Passes a request this server's page could have made; refuses
    /// anything else, saying why.
    pub fn admit(&self, r: &Request) -> Result<(), Refusal> {
        let host = r.header("host").unwrap_or("");
        if !self.ours(host) {
            let [a, b, c] = &self.hosts;
            return Err((421, format!("this server answers only to {a}, {b} and {c}")));
        }
        let reads = matches!(r.method.as_str(), "GET" | "HEAD");
        if !reads {
            if let Some(origin) = r.header("origin") {
                let from_here = origin.strip_prefix("http://").is_some_and(|o| self.ours(o));
                if !from_here {
                    return Err((403, format!("a request from {origin} is not answered")));
                }
            }
            if r.header("sec-fetch-site")
                .is_some_and(|s| !matches!(s, "same-origin" | "none"))
            {
                return Err((403, "a request from another site is not answered".into()));
            }
            let json = r.header("content-type").is_some_and(|t| {
                t.split(';')
                    .next()
                    .is_some_and(|m| m.trim().eq_ignore_ascii_case("application/json"))
            });
            if matches!(r.method.as_str(), "POST" | "PUT") && !json {
                return Err((415, "the body must be sent as application/json".into()));
            }
        }
        if r.path.starts_with("/api/") && !r.header(TOKEN_HEADER).is_some_and(|t| self.is_token(t))
        {
            return Err((
                403,
                format!(
                    "the request lacks this server's token (the `{TOKEN_HEADER}` header the page sends): reload the page"
                ),
            ));
        }
        Ok(())
    }
}
