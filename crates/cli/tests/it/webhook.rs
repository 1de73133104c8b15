//! A webhook receiver for tests: records every request it gets.

use axum::body::Bytes;
use axum::extract::State;
use axum::http::HeaderMap;
use axum::routing::post;
use axum::Router;
use serde_json::Value;
use std::sync::{Arc, Mutex};

#[derive(Clone, Debug)]
pub struct Received {
    pub event_id: String,
    pub timestamp: i64,
    pub signature: String,
    pub raw: Vec<u8>,
    pub json: Value,
}

#[derive(Clone, Default)]
pub struct Receiver {
    pub got: Arc<Mutex<Vec<Received>>>,
}

impl Receiver {
    /// Starts on 127.0.0.1:0; returns the receiver and its URL.
    pub async fn start() -> (Receiver, String) {
        let r = Receiver::default();
        let app = Router::new().route("/hook", post(take)).with_state(r.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/hook", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, app).await.unwrap() });
        (r, url)
    }

    pub fn all(&self) -> Vec<Received> {
        self.got.lock().unwrap().clone()
    }

    /// Waits (bounded) until `pred` holds over what was received.
    pub async fn wait_for(&self, what: &str, pred: impl Fn(&[Received]) -> bool) -> Vec<Received> {
        for _ in 0..200 {
            let all = self.all();
            if pred(&all) {
                return all;
            }
            tokio::time::sleep(std::time::Duration::from_millis(50)).await;
        }
        panic!("webhook never received {what}; got {:#?}", self.all().iter().map(|r| &r.json).collect::<Vec<_>>());
    }
}

async fn take(State(r): State<Receiver>, headers: HeaderMap, body: Bytes) -> &'static str {
    let h = |n: &str| headers.get(n).and_then(|v| v.to_str().ok()).unwrap_or("").to_owned();
    r.got.lock().unwrap().push(Received {
        event_id: h("guomen-event-id"),
        timestamp: h("guomen-timestamp").parse().unwrap_or(0),
        signature: h("guomen-signature"),
        raw: body.to_vec(),
        json: serde_json::from_slice(&body).unwrap_or(Value::Null),
    });
    "ok"
}
