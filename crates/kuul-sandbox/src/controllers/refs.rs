//! Object references, owner references and deterministic generated names shared by the
//! controllers.
//!
//! Upstream builds these with `ref.GetReference` (client-go `tools/reference`) and
//! `metav1.NewControllerRef` (apimachinery `meta/v1/controller_ref.go`); the shapes here are the
//! same so `kubectl describe`, owner-reference garbage collection and our own plugin see what a
//! real control plane writes.

use k8s_openapi::api::core::v1::ObjectReference;
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{ObjectMeta, OwnerReference};
use serde::Serialize;

/// `ObjectReference` to an object (`ref.GetReference`): kind, apiVersion, namespace, name, uid,
/// resourceVersion.
pub fn object_reference(kind: &str, api_version: &str, meta: &ObjectMeta) -> ObjectReference {
    ObjectReference {
        kind: Some(kind.to_owned()),
        api_version: Some(api_version.to_owned()),
        namespace: meta.namespace.clone(),
        name: meta.name.clone(),
        uid: meta.uid.clone(),
        resource_version: meta.resource_version.clone(),
        field_path: None,
    }
}

/// `metav1.NewControllerRef`: `controller: true`, `blockOwnerDeletion: true`.
pub fn controller_ref(kind: &str, api_version: &str, meta: &ObjectMeta) -> OwnerReference {
    OwnerReference {
        api_version: api_version.to_owned(),
        kind: kind.to_owned(),
        name: meta.name.clone().unwrap_or_default(),
        uid: meta.uid.clone().unwrap_or_default(),
        controller: Some(true),
        block_owner_deletion: Some(true),
    }
}

/// `metav1.GetControllerOf`: the owner reference with `controller: true`, if any.
pub fn controller_of(meta: &ObjectMeta) -> Option<&OwnerReference> {
    meta.owner_references.as_ref()?.iter().find(|r| r.controller == Some(true))
}

/// Serialises a typed object to JSON for the store. k8s-openapi types always serialise; a
/// failure would be a bug in them, reported as `null` rather than a panic.
pub fn to_value<T: Serialize>(object: &T) -> serde_json::Value {
    serde_json::to_value(object).unwrap_or(serde_json::Value::Null)
}

/// The alphabet apimachinery's `utilrand.String` draws generated name suffixes from (no vowels,
/// no confusable digits), so our pod names look like real ones (`backup-28979100-x7k2q`).
const SUFFIX_ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";

/// A 5-character suffix derived deterministically from `seed` (FNV-1a then a 64-bit mix): the
/// sandbox must give the same names for the same inputs, where upstream draws randomly.
pub fn name_suffix(seed: &str) -> String {
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in seed.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    // splitmix64 finaliser: spreads nearby seeds (`...-0`, `...-1`) over the whole alphabet.
    h ^= h >> 30;
    h = h.wrapping_mul(0xbf58_476d_1ce4_e5b9);
    h ^= h >> 27;
    h = h.wrapping_mul(0x94d0_49bb_1331_11eb);
    h ^= h >> 31;
    let n = SUFFIX_ALPHABET.len() as u64;
    (0..5)
        .map(|_| {
            let c = SUFFIX_ALPHABET[usize::try_from(h % n).unwrap_or(0)];
            h /= n;
            char::from(c)
        })
        .collect()
}

/// `names.SimpleNameGenerator.GenerateName`: the base is cut to 58 characters so base + suffix
/// stays a valid 63-character name.
pub fn generate_name(base: &str, seed: &str) -> String {
    const MAX_GENERATED_NAME_LENGTH: usize = 58;
    let base = if base.len() > MAX_GENERATED_NAME_LENGTH {
        &base[..MAX_GENERATED_NAME_LENGTH]
    } else {
        base
    };
    format!("{base}{}", name_suffix(seed))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn suffixes_are_deterministic_and_from_the_alphabet() {
        let a = name_suffix("uid-1/0");
        assert_eq!(a, name_suffix("uid-1/0"));
        assert_ne!(a, name_suffix("uid-1/1"));
        assert_eq!(a.len(), 5);
        assert!(a.bytes().all(|b| SUFFIX_ALPHABET.contains(&b)));
    }

    #[test]
    fn generated_names_fit_in_a_dns_label() {
        let long = "a".repeat(70);
        assert_eq!(generate_name(&format!("{long}-"), "x").len(), 63);
        assert!(generate_name("job-", "x").starts_with("job-"));
    }
}
