//! The pod template: resource requests and limits, image tags.

use super::super::node::Node;
use super::super::object::Target;
use super::Sink;

/// The pod rules of one target.
pub(crate) fn check(target: &Target<'_>, out: &mut Sink<'_>) {
    let Some(pod) = target.pod_spec() else { return };
    for group in ["initContainers", "containers"] {
        for (i, container) in pod.at_or_null(group).items().iter().enumerate() {
            let name = container.get("name").and_then(Node::as_str).unwrap_or("?");
            let path = format!("{}.{group}[{i}]", target.pod_spec_path);
            resources(container, name, &path, out);
            image(container, name, &path, out);
        }
    }
}

fn resources(container: &Node, name: &str, path: &str, out: &mut Sink<'_>) {
    let mut missing = Vec::new();
    for kind in ["requests", "limits"] {
        for resource in ["cpu", "memory"] {
            if container.at(&format!("resources.{kind}.{resource}")).is_none() {
                missing.push(format!("{kind}.{resource}"));
            }
        }
    }
    if missing.is_empty() {
        return;
    }
    let anchor = container.at("resources").unwrap_or(container);
    out.push(
        "resources-missing",
        anchor,
        &format!("{path}.resources"),
        format!(
            "container \"{name}\" has no {}: a runaway run can starve its node; set CPU and \
             memory requests and limits",
            missing.join(", ")
        ),
    );
}

fn image(container: &Node, name: &str, path: &str, out: &mut Sink<'_>) {
    let Some(node) = container.get("image") else { return };
    let Some(image) = node.as_str() else { return };
    if image.contains('@') {
        return; // pinned by digest
    }
    // The tag follows the last ':' after the last '/' (a registry may carry a port).
    let last = image.rsplit('/').next().unwrap_or(image);
    let tag = last.rsplit_once(':').map(|(_, tag)| tag);
    let problem = match tag {
        None => "has no tag (so :latest)",
        Some("latest") => "is :latest",
        Some(_) => return,
    };
    out.push(
        "image-tag-latest",
        node,
        &format!("{path}.image"),
        format!(
            "container \"{name}\" image \"{image}\" {problem}: each run may pull different code; \
             pin a version tag or a digest"
        ),
    );
}

#[cfg(test)]
mod tests {
    use super::super::testing::{findings, trips, with};

    #[test]
    fn resources_missing() {
        let yaml = with("                limits: {cpu: \"1\", memory: 512Mi}\n", "");
        assert!(trips("resources-missing", &yaml));
        let f = findings(&yaml);
        let finding = f.iter().find(|f| f.rule == "resources-missing").unwrap();
        assert!(finding.message.contains("limits.cpu, limits.memory"), "{finding:?}");
        assert_eq!(finding.field, "spec.jobTemplate.spec.template.spec.containers[0].resources");
        assert!(!trips("resources-missing", super::super::testing::CLEAN));
    }

    #[test]
    fn image_tag_latest() {
        for image in ["busybox", "registry.example.com:5000/backup", "backup:latest"] {
            let yaml = with("registry.example.com/backup:1.4.2", image);
            assert!(trips("image-tag-latest", &yaml), "{image}");
        }
        for image in ["registry.example.com:5000/backup:1.4", "backup@sha256:abcd"] {
            let yaml = with("registry.example.com/backup:1.4.2", image);
            assert!(!trips("image-tag-latest", &yaml), "{image}");
        }
    }
}
