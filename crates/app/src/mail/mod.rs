//! Outgoing mail: written to `<data_dir>/outbox` as `.eml` files by default, or sent over SMTP
//! when `smtp_url` is set. Callers send after their transaction commits.

use lettre::message::{Mailbox, header::ContentType};
use lettre::{AsyncFileTransport, AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

#[derive(Clone)]
pub enum Mailer {
    Outbox(AsyncFileTransport<Tokio1Executor>),
    Smtp(AsyncSmtpTransport<Tokio1Executor>),
}

/// A message to send.
#[derive(Debug, Clone)]
pub struct Mail {
    pub to: String,
    pub subject: String,
    pub body: String,
}

impl Mailer {
    pub fn from_config(smtp_url: &str, outbox: &std::path::Path) -> Result<Self, String> {
        if smtp_url.is_empty() {
            std::fs::create_dir_all(outbox).map_err(|e| format!("{}: {e}", outbox.display()))?;
            Ok(Self::Outbox(AsyncFileTransport::new(outbox)))
        } else {
            AsyncSmtpTransport::<Tokio1Executor>::from_url(smtp_url)
                .map(|b| Self::Smtp(b.build()))
                .map_err(|e| e.to_string())
        }
    }

    pub async fn send(&self, from: &str, mail: &Mail) -> Result<(), String> {
        let from: Mailbox = from.parse().map_err(|e| format!("from address: {e}"))?;
        let to: Mailbox = mail.to.parse().map_err(|e| format!("to address: {e}"))?;
        let message = Message::builder()
            .from(from)
            .to(to)
            .subject(&mail.subject)
            .header(ContentType::TEXT_PLAIN)
            .body(mail.body.clone())
            .map_err(|e| e.to_string())?;
        match self {
            Self::Outbox(t) => t.send(message).await.map(|_| ()).map_err(|e| e.to_string()),
            Self::Smtp(t) => t.send(message).await.map(|_| ()).map_err(|e| e.to_string()),
        }
    }
}
