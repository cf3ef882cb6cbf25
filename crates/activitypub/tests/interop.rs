//! Documents as Mastodon, GoToSocial, Akkoma/Pleroma, Misskey and Mitra send them
//! (`tests/fixtures/<server>/`, sources in each folder's README): every actor reads into
//! what Woolly keeps, every WebFinger answer yields its `self` link, and every signed inbox
//! POST (in the server's own header set and format; signed with a test key where the
//! server's real keys are not published) verifies, while tampered, stale, re-targeted and
//! malformed copies do not.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::time::{Duration, SystemTime, UNIX_EPOCH};

use serde_json::Value;
use woolly_activitypub::activity::{Incoming, same_origin};
use woolly_activitypub::actor::RemoteActor;
use woolly_activitypub::inbound::InboundSignature;
use woolly_activitypub::keys::{SigningKey, VerifyingKey};
use woolly_activitypub::signature::{Request, SignatureError, key_owner_guess};
use woolly_activitypub::webfinger::Jrd;

const SERVERS: [&str; 5] = ["mastodon", "gotosocial", "akkoma", "misskey", "mitra"];

fn path(name: &str) -> String {
    format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn fixture(name: &str) -> Value {
    let text = std::fs::read_to_string(path(name)).unwrap_or_else(|e| panic!("{name}: {e}"));
    serde_json::from_str(&text).unwrap_or_else(|e| panic!("{name}: {e}"))
}

/// The public half of `fixtures/test_key.pem` (Mastodon's spec key pair).
fn test_key() -> VerifyingKey {
    let pem = std::fs::read_to_string(path("test_key.pem")).unwrap();
    let signer = SigningKey::from_pem(&pem).unwrap();
    VerifyingKey::from_pem(&signer.public_pem().unwrap()).unwrap()
}

/// A signed request fixture: what the inbox receives.
struct Signed {
    method: String,
    scheme: String,
    path: String,
    headers: Vec<(String, String)>,
    body: String,
    now: SystemTime,
}

impl Signed {
    fn load(name: &str) -> Self {
        let doc = fixture(name);
        let headers = doc["headers"]
            .as_array()
            .unwrap()
            .iter()
            .map(|h| {
                (
                    h[0].as_str().unwrap().to_owned(),
                    h[1].as_str().unwrap().to_owned(),
                )
            })
            .collect();
        Self {
            method: doc["method"].as_str().unwrap().to_owned(),
            scheme: doc["scheme"].as_str().unwrap().to_owned(),
            path: doc["path"].as_str().unwrap().to_owned(),
            headers,
            body: doc["body"].as_str().unwrap().to_owned(),
            now: UNIX_EPOCH + Duration::from_secs(doc["now"].as_u64().unwrap()),
        }
    }

    fn header(&self, name: &str) -> &str {
        self.headers
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, v)| v.as_str())
            .unwrap_or_default()
    }

    fn set(&mut self, name: &str, value: &str) {
        for (n, v) in &mut self.headers {
            if n == name {
                *v = value.to_owned();
            }
        }
    }

    /// Parses and verifies with `key` at `now`, as the inbox does.
    fn verify_at(&self, key: &VerifyingKey, now: SystemTime) -> Result<String, SignatureError> {
        let sig = InboundSignature::from_headers(&self.headers)?;
        let req = Request {
            method: &self.method,
            path: &self.path,
            query: None,
            headers: self.headers.clone(),
            body: self.body.as_bytes(),
        };
        sig.verify(&req, &self.scheme, key, now)?;
        Ok(sig.key_id().to_owned())
    }

    fn verify(&self, key: &VerifyingKey) -> Result<String, SignatureError> {
        self.verify_at(key, self.now)
    }
}

/// Every server's actor reads into what Woolly keeps of it.
#[test]
fn each_servers_actor_parses() {
    let m = RemoteActor::parse(&fixture("mastodon/actor.json")).unwrap();
    assert_eq!(m.id, "https://ap.example.com/users/foo");
    assert_eq!(m.kind, "Person");
    assert_eq!(m.inbox, "https://ap.example.com/users/foo/inbox");
    assert_eq!(
        m.shared_inbox.as_deref(),
        Some("https://ap.example.com/inbox")
    );
    assert!(!m.manually_approves_followers);
    assert_eq!(m.summary, "<p>test</p>");
    assert_eq!(
        m.icon.as_deref(),
        Some("https://quitter.no/avatar/7477-300-20160211190340.png")
    );
    let key = m.public_key.unwrap();
    assert_eq!(key.id, "https://ap.example.com/users/foo#main-key");
    assert_eq!(key.owner, m.id);
    VerifyingKey::from_pem(&key.pem).unwrap();

    let m = RemoteActor::parse(&fixture("mastodon/actor_admin.json")).unwrap();
    assert_eq!(m.fields.len(), 2);
    assert_eq!(m.also_known_as, ["http://example.org/users/foo"]);

    let doc = fixture("gotosocial/update_person.json");
    let g = RemoteActor::parse(&doc["object"]).unwrap();
    assert_eq!(g.inbox, "http://localhost:8080/users/the_mighty_zork/inbox");
    assert_eq!(g.shared_inbox, None, "GoToSocial publishes no shared inbox");
    assert!(!g.manually_approves_followers);
    assert_eq!(g.discoverable, Some(true));
    assert!(g.icon.as_deref().is_some_and(|u| u.ends_with(".jpg")));
    assert!(g.image.as_deref().is_some_and(|u| u.ends_with(".jpg")));
    let key = g.public_key.unwrap();
    assert_eq!(
        key.id,
        "http://localhost:8080/users/the_mighty_zork/main-key"
    );
    assert_eq!(key_owner_guess(&key.id), g.id);
    VerifyingKey::from_pem(&key.pem).unwrap();

    let a = RemoteActor::parse(&fixture("akkoma/actor.json")).unwrap();
    assert_eq!(a.inbox, "https://p.helene.moe/users/helene/inbox");
    assert_eq!(
        a.shared_inbox.as_deref(),
        Some("https://p.helene.moe/inbox")
    );
    assert_eq!(
        a.fields,
        [("Timezone".to_owned(), "UTC+2 (Paris/Berlin)".to_owned())]
    );
    assert!(a.icon.is_some());
    assert!(!a.manually_approves_followers);
    VerifyingKey::from_pem(&a.public_key.unwrap().pem).unwrap();

    let k = RemoteActor::parse(&fixture("misskey/actor.json")).unwrap();
    assert_eq!(k.inbox, "https://misskey.io/users/83ssedkv53/inbox");
    assert_eq!(k.shared_inbox.as_deref(), Some("https://misskey.io/inbox"));
    assert!(k.icon.as_deref().is_some_and(|u| u.ends_with(".jpg")));
    assert!(k.image.as_deref().is_some_and(|u| u.ends_with(".png")));
    assert_eq!(
        k.public_key.unwrap().id,
        "https://misskey.io/users/83ssedkv53#main-key"
    );

    let t = RemoteActor::parse(&fixture("mitra/actor.json")).unwrap();
    assert_eq!(t.inbox, "https://server.example/users/testuser/inbox");
    assert_eq!(t.shared_inbox, None);
    assert!(!t.manually_approves_followers);
    assert_eq!(
        t.public_key.unwrap().id,
        "https://server.example/users/testuser#main-key"
    );
}

/// Every server's WebFinger answer gives the actor through its `self` link (the
/// `application/activity+json` one, or the ld+json profile form Mitra sends).
#[test]
fn each_servers_webfinger_yields_the_actor() {
    let expected = [
        (
            "mastodon",
            "https://ap.example.com/users/foo",
            ("foo", "ap.example.com"),
        ),
        (
            "gotosocial",
            "http://localhost:8080/users/the_mighty_zork",
            ("the_mighty_zork", "localhost:8080"),
        ),
        (
            "akkoma",
            "https://p.helene.moe/users/helene",
            ("helene", "p.helene.moe"),
        ),
        (
            "misskey",
            "https://misskey.io/users/83ssedkv53",
            ("aimu", "misskey.io"),
        ),
        (
            "mitra",
            "https://social.example/users/test",
            ("test", "social.example"),
        ),
    ];
    for (server, actor, acct) in expected {
        let jrd: Jrd = serde_json::from_value(fixture(&format!("{server}/webfinger.json")))
            .unwrap_or_else(|e| panic!("{server}: {e}"));
        assert_eq!(jrd.actor_uri(), Some(actor), "{server}");
        assert_eq!(jrd.subject_acct(), Some(acct), "{server}");
    }
}

/// Every server's signed inbox POST verifies, names its actor's key, and carries an
/// activity of that actor's origin.
#[test]
fn each_servers_signed_post_verifies() {
    let key = test_key();
    let cases = [
        (
            "mastodon/signed_follow.json",
            "https://ap.example.com/users/foo#main-key",
        ),
        (
            "gotosocial/signed_update.json",
            "http://localhost:8080/users/the_mighty_zork/main-key",
        ),
        (
            "akkoma/signed_follow.json",
            "https://p.helene.moe/users/helene#main-key",
        ),
        (
            "misskey/signed_follow.json",
            "https://misskey.io/users/83ssedkv53#main-key",
        ),
        (
            "mitra/signed_follow.json",
            "https://server.example/users/testuser#main-key",
        ),
        (
            "mitra/signed_follow_rfc9421.json",
            "https://server.example/users/testuser#main-key",
        ),
    ];
    for (name, key_id) in cases {
        let s = Signed::load(name);
        assert_eq!(s.verify(&key).as_deref(), Ok(key_id), "{name}");
        let doc: Value = serde_json::from_str(&s.body).unwrap();
        let activity = Incoming::parse(&doc).unwrap();
        assert_eq!(activity.actor, key_owner_guess(key_id), "{name}");
        assert!(same_origin(&activity.id, &activity.actor), "{name}");
    }
    // the formats are the servers' own
    let header = |name: &str| Signed::load(name).header("signature").to_owned();
    assert!(
        header("mastodon/signed_follow.json")
            .contains("headers=\"(request-target) host date digest content-type\"")
    );
    assert!(header("gotosocial/signed_update.json").contains("algorithm=\"hs2019\""));
    assert!(
        header("akkoma/signed_follow.json")
            .contains("headers=\"(request-target) content-length date digest host\"")
    );
    assert!(
        header("misskey/signed_follow.json")
            .contains("headers=\"(request-target) date host digest\"")
    );
    assert!(header("mitra/signed_follow_rfc9421.json").starts_with("sig1=:"));
}

/// Copies of each signed POST that were tampered with, replayed late, re-targeted or
/// signed by another key are refused.
#[test]
fn tampered_signed_posts_are_refused() {
    let key = test_key();
    // a real key that did not sign them
    let other = {
        let actor = RemoteActor::parse(&fixture("mastodon/actor.json")).unwrap();
        VerifyingKey::from_pem(&actor.public_key.unwrap().pem).unwrap()
    };
    for server in SERVERS {
        let name = match server {
            "gotosocial" => "gotosocial/signed_update.json".to_owned(),
            s => format!("{s}/signed_follow.json"),
        };
        let mut names = vec![name];
        if server == "mitra" {
            names.push("mitra/signed_follow_rfc9421.json".to_owned());
        }
        for name in names {
            let s = Signed::load(&name);
            // another body under the same signature: the digest no longer matches
            let mut t = Signed::load(&name);
            t.body = t.body.replace("Follow", "Block");
            if t.body == s.body {
                t.body.push(' ');
            }
            assert_eq!(t.verify(&key), Err(SignatureError::BadDigest), "{name}");
            // replayed two hours later, or sent from an hour and more in the future
            let late = s.now + Duration::from_secs(2 * 3600);
            assert_eq!(
                s.verify_at(&key, late),
                Err(SignatureError::Expired),
                "{name}"
            );
            let early = s.now - Duration::from_secs(2 * 3600);
            assert_eq!(
                s.verify_at(&key, early),
                Err(SignatureError::Expired),
                "{name}"
            );
            // posted to another inbox or another host
            let mut t = Signed::load(&name);
            t.path = "/users/bob/inbox".into();
            assert_eq!(t.verify(&key), Err(SignatureError::Invalid), "{name}");
            let mut t = Signed::load(&name);
            t.set("host", "evil.example");
            assert_eq!(t.verify(&key), Err(SignatureError::Invalid), "{name}");
            // a key that is not the signer's
            assert_eq!(s.verify(&other), Err(SignatureError::Invalid), "{name}");
            // unsigned
            let mut t = Signed::load(&name);
            t.headers.retain(|(n, _)| n != "signature");
            assert_eq!(t.verify(&key), Err(SignatureError::Missing), "{name}");
        }
    }
}

#[test]
fn rfc9421_requirements_are_upstreams() {
    let key = test_key();
    let name = "mitra/signed_follow_rfc9421.json";
    let input = Signed::load(name).header("signature-input").to_owned();
    // the digest must be covered on a POST, created given, @method and @target-uri covered
    for (from, to) in [
        (" \"content-digest\")", ")"),
        (";created=1703066400", ""),
        ("\"@method\" ", ""),
        ("\"@target-uri\" ", ""),
    ] {
        let mut t = Signed::load(name);
        t.set("signature-input", &input.replace(from, to));
        assert!(
            matches!(t.verify(&key), Err(SignatureError::Unsigned(_))),
            "{from}"
        );
    }
    // an algorithm other than RSA PKCS#1 v1.5 SHA-256
    let mut t = Signed::load(name);
    t.set("signature-input", &format!("{input};alg=\"ed25519\""));
    assert!(matches!(t.verify(&key), Err(SignatureError::Algorithm(_))));
    // a parameter added after signing changes @signature-params
    let mut t = Signed::load(name);
    t.set("signature-input", &format!("{input};nonce=\"x\""));
    assert_eq!(t.verify(&key), Err(SignatureError::Invalid));
    // the scheme is covered by @target-uri
    let mut t = Signed::load(name);
    t.scheme = "http".into();
    assert_eq!(t.verify(&key), Err(SignatureError::Invalid));
    // malformed headers
    for (input, sig) in [
        ("sig1=(\"@method\"", "sig1=:AAAA:"),
        ("garbage", "sig1=:AAAA:"),
        (input.as_str(), "sig2=:AAAA:"),
        (input.as_str(), "sig1=AAAA"),
    ] {
        let mut t = Signed::load(name);
        t.set("signature-input", input);
        t.set("signature", sig);
        assert!(
            matches!(t.verify(&key), Err(SignatureError::Malformed(_))),
            "{input} {sig}"
        );
    }
}

/// Activities whose ids are not on their actor's origin are recognised (the inbox refuses
/// them), with each server's shapes.
#[test]
fn origin_spoofing_is_recognised() {
    for name in [
        "mastodon/signed_follow.json",
        "akkoma/signed_follow.json",
        "misskey/signed_follow.json",
        "mitra/signed_follow.json",
    ] {
        let s = Signed::load(name);
        let mut doc: Value = serde_json::from_str(&s.body).unwrap();
        doc["id"] = "https://evil.example/activities/1".into();
        let a = Incoming::parse(&doc).unwrap();
        assert!(!same_origin(&a.id, &a.actor), "{name}");
    }
    let doc = fixture("gotosocial/update_person.json");
    let a = Incoming::parse(&doc).unwrap();
    let mut object = a.object.clone();
    object["id"] = "https://evil.example/users/the_mighty_zork".into();
    let spoofed = RemoteActor::parse(&object).unwrap();
    assert!(!same_origin(&spoofed.id, &a.actor));
}
