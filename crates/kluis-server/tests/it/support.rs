//! The store's own test helpers: plain HTTPS requests and error bodies. The
//! store harness itself is shared (`kluis-testkit`).

use kluis_protocol::ErrorBody;
use kluis_server::pki::IssuedCertificate;
pub use kluis_testkit::{Backend, TestStore, client_tls_config, off_runtime};

/// Plain HTTPS clients of a test store, for requests the sync client would
/// never make.
pub trait HttpsClients {
    /// An HTTPS client that trusts this store's CA and presents `identity`.
    fn client(&self, identity: Option<&IssuedCertificate>) -> reqwest::Client;
}

impl<S: Backend> HttpsClients for TestStore<S> {
    fn client(&self, identity: Option<&IssuedCertificate>) -> reqwest::Client {
        let config = self.client_tls_config(identity);
        reqwest::Client::builder()
            .use_preconfigured_tls(config)
            .build()
            .expect("client")
    }
}

pub async fn error_body(response: reqwest::Response) -> (u16, ErrorBody) {
    let status = response.status().as_u16();
    (status, response.json().await.expect("error body"))
}

/// POSTs a JSON body and returns the status and the JSON answer.
pub async fn post_json<T: serde::Serialize>(
    client: &reqwest::Client,
    url: &str,
    body: &T,
) -> (u16, serde_json::Value) {
    let response = client.post(url).json(body).send().await.expect("answer");
    let status = response.status().as_u16();
    (status, response.json().await.expect("json answer"))
}
