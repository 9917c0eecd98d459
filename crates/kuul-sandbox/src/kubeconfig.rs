//! The kubeconfig the sandbox writes: cluster `kuul-sandbox`, users `admin` and `viewer`,
//! contexts `kuul-sandbox` (admin, namespace `default`, current) and `kuul-sandbox-viewer`.
//! Written to a temporary file then renamed, so a reader never sees half a file, and only once
//! the server is ready to serve.

use std::io::Write;
use std::path::Path;

use base64::Engine;

use crate::auth::Tokens;

/// The kubeconfig YAML for a server at `url`. Over plain HTTP each context's cluster carries
/// the user's path prefix (see `auth`), because kubectl sends no token without TLS.
pub fn render(url: &str, tokens: &Tokens, ca_pem: Option<&str>) -> String {
    let (admin_url, viewer_url) = if ca_pem.is_some() {
        (url.to_string(), url.to_string())
    } else {
        (format!("{url}/as/admin"), format!("{url}/as/viewer"))
    };
    let ca = match ca_pem {
        Some(pem) => format!(
            "    certificate-authority-data: {}\n",
            base64::engine::general_purpose::STANDARD.encode(pem)
        ),
        None => String::new(),
    };
    format!(
        "apiVersion: v1
kind: Config
clusters:
- name: kuul-sandbox
  cluster:
    server: {admin_url}
{ca}- name: kuul-sandbox-viewer
  cluster:
    server: {viewer_url}
{ca}users:
- name: admin
  user:
    token: {admin}
- name: viewer
  user:
    token: {viewer}
contexts:
- name: kuul-sandbox
  context:
    cluster: kuul-sandbox
    user: admin
    namespace: default
- name: kuul-sandbox-viewer
  context:
    cluster: kuul-sandbox-viewer
    user: viewer
    namespace: default
current-context: kuul-sandbox
preferences: {{}}
",
        admin = tokens.admin,
        viewer = tokens.viewer
    )
}

/// Writes `contents` to `path` atomically (temp file in the same directory, then rename).
pub fn write_atomic(path: &Path, contents: &str) -> std::io::Result<()> {
    let dir = path.parent().filter(|p| !p.as_os_str().is_empty()).unwrap_or(Path::new("."));
    std::fs::create_dir_all(dir)?;
    let file_name = path.file_name().map(|f| f.to_string_lossy().into_owned()).unwrap_or_default();
    let tmp = dir.join(format!(".{file_name}.tmp-{}", std::process::id()));
    {
        let mut f = std::fs::File::create(&tmp)?;
        f.write_all(contents.as_bytes())?;
        f.sync_all()?;
    }
    std::fs::rename(&tmp, path)
}
