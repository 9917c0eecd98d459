//! core/v1 Events as the control plane's components record them, with either of upstream's
//! two recorders.
//!
//! The legacy recorder (client-go `tools/record/event.go` `makeEvent` and `generateEvent`,
//! v1.32), used by kube-controller-manager and the kubelet, names an event `<involved
//! name>.<unix nanos in hex>`, puts it in the involved object's namespace (`default` for
//! cluster-scoped objects), and sets `count: 1`, `firstTimestamp` = `lastTimestamp` = now,
//! `source` and, from it, `reportingComponent`/`reportingInstance` (the host, empty for the
//! controller-manager); `eventTime` stays zero (`null`). Repeats of the same event are folded
//! into one object with a higher `count` by the event correlator; the control plane does that
//! folding (it owns the store), keyed by [`aggregation_key`].
//!
//! kube-scheduler records through the events.k8s.io/v1 recorder instead (client-go
//! `tools/events/recorder.go` `makeEvent`, through `events.NewEventBroadcasterAdapter`,
//! cmd/kube-scheduler/app/server.go): same name and namespace, but `eventTime` = now, an
//! `action`, `reportingInstance` `<controller>-<hostname>`, and none of the deprecated fields, so
//! its core/v1 view has `source: {}`, no `count` and `null` first/last timestamps. Repeats become
//! a `series` ([`series_key`]; folded by the control plane as the broadcaster does).

use jiff::Timestamp;
use k8s_openapi::api::core::v1::{Event, EventSource, ObjectReference};
use k8s_openapi::apimachinery::pkg::apis::meta::v1::{MicroTime, ObjectMeta, Time};

use super::Action;

/// Component names as the real components report them (`source.component`).
pub mod component {
    /// kube-controller-manager's CronJob controller.
    pub const CRONJOB: &str = "cronjob-controller";
    /// kube-controller-manager's Job controller.
    pub const JOB: &str = "job-controller";
    /// kube-scheduler.
    pub const SCHEDULER: &str = "default-scheduler";
    /// The kubelet.
    pub const KUBELET: &str = "kubelet";
}

/// `Normal` or `Warning`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EventType {
    /// `corev1.EventTypeNormal`
    Normal,
    /// `corev1.EventTypeWarning`
    Warning,
}

impl EventType {
    /// The wire value.
    pub fn as_str(self) -> &'static str {
        match self {
            EventType::Normal => "Normal",
            EventType::Warning => "Warning",
        }
    }
}

/// Who records an event: component plus, for the kubelet, the node (`source.host`).
#[derive(Debug, Clone, Copy)]
pub struct Source<'a> {
    /// `source.component` / `reportingComponent`.
    pub component: &'a str,
    /// `source.host` / `reportingInstance` (kubelet: the node name).
    pub host: Option<&'a str>,
}

impl<'a> Source<'a> {
    /// A controller-manager or scheduler source (no host).
    pub fn component(component: &'a str) -> Self {
        Source { component, host: None }
    }
}

/// An event's name and namespace, alike in both recorders: `<involved name>.<unix nanos in
/// hex>`, in the involved object's namespace (`default` for cluster-scoped objects).
fn event_meta(involved: &ObjectReference, now: Timestamp) -> ObjectMeta {
    ObjectMeta {
        name: Some(format!(
            "{}.{:x}",
            involved.name.as_deref().unwrap_or("unknown"),
            now.as_nanosecond().max(0)
        )),
        namespace: Some(involved.namespace.clone().unwrap_or_else(|| "default".to_owned())),
        ..ObjectMeta::default()
    }
}

/// Builds one event (count 1) about `involved` at `now`.
pub fn event(
    involved: &ObjectReference,
    source: Source<'_>,
    type_: EventType,
    reason: &str,
    message: String,
    now: Timestamp,
) -> Event {
    Event {
        metadata: event_meta(involved, now),
        involved_object: involved.clone(),
        reason: Some(reason.to_owned()),
        message: Some(message),
        type_: Some(type_.as_str().to_owned()),
        source: Some(EventSource {
            component: Some(source.component.to_owned()),
            host: source.host.map(str::to_owned),
        }),
        count: Some(1),
        first_timestamp: Some(Time(now)),
        last_timestamp: Some(Time(now)),
        reporting_component: Some(source.component.to_owned()),
        reporting_instance: source.host.map(str::to_owned),
        ..Event::default()
    }
}

/// The host kube-scheduler runs on, for its `reportingInstance`.
pub const SCHEDULER_HOST: &str = "kuul-sandbox-control-plane";

/// Builds one events.k8s.io/v1-style event (no series yet) about `involved` at `now`, as
/// kube-scheduler records it: `reportingInstance` is `<controller>-<hostname>` (client-go
/// `tools/events/event_broadcaster.go` `NewRecorder`, v1.32).
pub fn event_v1(
    involved: &ObjectReference,
    reporting_controller: &str,
    type_: EventType,
    reason: &str,
    action: &str,
    note: String,
    now: Timestamp,
) -> Event {
    Event {
        metadata: event_meta(involved, now),
        involved_object: involved.clone(),
        reason: Some(reason.to_owned()),
        message: Some(note),
        type_: Some(type_.as_str().to_owned()),
        action: Some(action.to_owned()),
        // `source` is a struct without omitempty effect: Go writes `{}`.
        source: Some(EventSource::default()),
        event_time: Some(MicroTime(now)),
        reporting_component: Some(reporting_controller.to_owned()),
        reporting_instance: Some(format!("{reporting_controller}-{SCHEDULER_HOST}")),
        ..Event::default()
    }
}

/// The same, wrapped as an action.
pub fn action_v1(
    involved: &ObjectReference,
    reporting_controller: &str,
    type_: EventType,
    reason: &str,
    action: &str,
    note: String,
    now: Timestamp,
) -> Action {
    Action::CreateEvent(Box::new(event_v1(
        involved,
        reporting_controller,
        type_,
        reason,
        action,
        note,
        now,
    )))
}

/// Whether `event` came from the events.k8s.io/v1 recorder ([`event_v1`]).
pub fn is_v1(event: &Event) -> bool {
    event.action.is_some() && event.count.is_none()
}

/// The events.k8s.io broadcaster's isomorphism key (client-go `tools/events/
/// event_broadcaster.go` `getKey`, v1.32): action, reason, reporting controller, the regarding
/// and related objects. The note is not part of it, so a changed message extends the series.
pub fn series_key(event: &Event) -> String {
    let refs = |o: Option<&ObjectReference>| {
        o.map(|o| {
            join_key(
                &[
                    o.kind.as_deref(),
                    o.namespace.as_deref(),
                    o.name.as_deref(),
                    o.uid.as_deref(),
                    o.api_version.as_deref(),
                    o.resource_version.as_deref(),
                    o.field_path.as_deref(),
                ],
                "\u{1e}",
            )
        })
        .unwrap_or_default()
    };
    [
        "events.k8s.io/v1".to_owned(),
        event.action.clone().unwrap_or_default(),
        event.reason.clone().unwrap_or_default(),
        event.reporting_component.clone().unwrap_or_default(),
        refs(Some(&event.involved_object)),
        refs(event.related.as_ref()),
    ]
    .join("\u{1f}")
}

/// The same, wrapped as an action.
pub fn action(
    involved: &ObjectReference,
    source: Source<'_>,
    type_: EventType,
    reason: &str,
    message: String,
    now: Timestamp,
) -> Action {
    Action::CreateEvent(Box::new(event(involved, source, type_, reason, message, now)))
}

/// The correlator's key (client-go `tools/record/events_cache.go` `getEventKey`): the same
/// source, involved object, type, reason and message make one event with a growing count.
pub fn aggregation_key(event: &Event) -> String {
    let o = &event.involved_object;
    let s = event.source.as_ref();
    let parts = [
        s.and_then(|s| s.component.as_deref()),
        s.and_then(|s| s.host.as_deref()),
        o.kind.as_deref(),
        o.namespace.as_deref(),
        o.name.as_deref(),
        o.uid.as_deref(),
        o.api_version.as_deref(),
        event.type_.as_deref(),
        event.reason.as_deref(),
        event.message.as_deref(),
    ];
    join_key(&parts, "\u{1f}")
}

/// The parts of a cache key joined by `separator` (an unset part is empty).
fn join_key(parts: &[Option<&str>], separator: &str) -> String {
    parts.iter().map(|p| p.unwrap_or("")).collect::<Vec<_>>().join(separator)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn event_is_named_after_the_object_and_the_instant() {
        let involved = ObjectReference {
            kind: Some("CronJob".into()),
            namespace: Some("ops".into()),
            name: Some("nightly".into()),
            uid: Some("u1".into()),
            ..ObjectReference::default()
        };
        let now: Timestamp = "2025-01-01T00:00:00Z".parse().unwrap();
        let e = event(
            &involved,
            Source::component(component::CRONJOB),
            EventType::Normal,
            "SuccessfulCreate",
            "Created job nightly-1".into(),
            now,
        );
        assert_eq!(
            e.metadata.name.as_deref(),
            Some(&*format!("nightly.{:x}", now.as_nanosecond()))
        );
        assert_eq!(e.metadata.namespace.as_deref(), Some("ops"));
        assert_eq!(e.count, Some(1));
        let mut again = e.clone();
        again.metadata.name = Some("other".into());
        assert_eq!(aggregation_key(&e), aggregation_key(&again));
        again.message = Some("Created job nightly-2".into());
        assert_ne!(aggregation_key(&e), aggregation_key(&again));
    }
}
