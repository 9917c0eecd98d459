#!/usr/bin/env python3
"""Writes schemas.json: the OpenAPI v3 component schemas of the kinds kuul-sandbox serves and
everything they reference, taken from the `schemars` impls in the k8s-openapi crate's source
(which k8s-openapi generates from upstream's own OpenAPI spec, so descriptions, types, formats
and list/map extensions are upstream's). Run after a k8s-openapi upgrade:

    python3 crates/kuul-sandbox/openapi/generate.py ~/.cargo/registry/src/*/k8s-openapi-0.29.0/src/v1_33

The sandbox serves them in /openapi/v3 (src/api/openapi.rs), so `kubectl explain` works.
"""
import json, os, re, sys

ROOTS = {
    "api/core/v1/namespace.rs": ("", "v1", "Namespace"),
    "api/core/v1/node.rs": ("", "v1", "Node"),
    "api/core/v1/pod.rs": ("", "v1", "Pod"),
    "api/core/v1/event.rs": ("", "v1", "Event"),
    "api/core/v1/config_map.rs": ("", "v1", "ConfigMap"),
    "api/core/v1/secret.rs": ("", "v1", "Secret"),
    "api/core/v1/resource_quota.rs": ("", "v1", "ResourceQuota"),
    "api/batch/v1/job.rs": ("batch", "v1", "Job"),
    "api/batch/v1/cron_job.rs": ("batch", "v1", "CronJob"),
    # What /openapi/v2's operations take and answer besides the kinds (their lists are made
    # in src/api/openapi.rs). Upstream gives DeleteOptions and WatchEvent the kind in every
    # group; these are the sandbox's two.
    "apimachinery/pkg/apis/meta/v1/status.rs": ("", "v1", "Status"),
    "apimachinery/pkg/apis/meta/v1/delete_options.rs": [("", "v1", "DeleteOptions"), ("batch", "v1", "DeleteOptions")],
    "apimachinery/pkg/apis/meta/v1/watch_event.rs": [("", "v1", "WatchEvent"), ("batch", "v1", "WatchEvent")],
    "apimachinery/pkg/apis/meta/v1/patch.rs": None,
    "apimachinery/pkg/apis/meta/v1/list_meta.rs": None,
}

def snake(name):
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()

def path_of(rust_path):
    # crate::api::core::v1::ObjectMeta -> api/core/v1/object_meta.rs
    parts = rust_path.split("::")[1:]
    return "/".join(parts[:-1] + [snake(parts[-1]) + ".rs"])

SUB = re.compile(r'\(\{\s*let mut schema_obj = __gen\.subschema_for::<(crate::[\w:]+)>\(\);\s*'
                 r'schema_obj\.ensure_object\(\)\.insert\("description"\.into\(\), ("(?:[^"\\]|\\.)*")\.into\(\)\);\s*'
                 r'schema_obj\s*\}\)', re.S)
PLAIN = re.compile(r'\(__gen\.subschema_for::<(crate::[\w:]+)>\(\)\)')

def read_schema(src, rel):
    text = open(os.path.join(src, rel)).read()
    name = re.search(r'fn schema_name\(\) -> [^{]*\{\s*"([^"]+)"\.into\(\)', text).group(1)
    body = text[text.index("json_schema!(") + len("json_schema!("):]
    # The macro body is one JSON object: cut at its matching brace.
    depth, i, in_str = 0, 0, False
    while True:
        c = body[i]
        if in_str:
            if c == "\\":
                i += 1
            elif c == '"':
                in_str = False
        elif c == '"':
            in_str = True
        elif c in "{(":
            depth += 1
        elif c in "})":
            depth -= 1
            if depth == 0:
                break
        i += 1
    body = body[: i + 1]
    refs = []
    def sub(m):
        refs.append(m.group(1))
        return '{"description": %s, "allOf": [{"$ref": "@@%s"}]}' % (m.group(2), m.group(1))
    def plain(m):
        refs.append(m.group(1))
        return '{"$ref": "@@%s"}' % m.group(1)
    body = SUB.sub(sub, body)
    body = PLAIN.sub(plain, body)
    body = re.sub(r",(\s*[}\]])", r"\1", body)
    return name, json.loads(body), refs

def main(src):
    schemas, names, todo = {}, {}, list(ROOTS)
    pending_refs = []
    seen = set()
    while todo:
        rel = todo.pop()
        if rel in seen:
            continue
        seen.add(rel)
        name, schema, refs = read_schema(src, rel)
        gvks = ROOTS.get(rel)
        if isinstance(gvks, tuple):
            gvks = [gvks]
        if gvks:
            schema["x-kubernetes-group-version-kind"] = [
                {"group": g, "version": v, "kind": k} for g, v, k in gvks]
        schemas[name] = schema
        names[rel] = name
        for r in refs:
            todo.append(path_of(r))
    def fix(v):
        if isinstance(v, dict):
            return {k: fix(x) for k, x in v.items()}
        if isinstance(v, list):
            return [fix(x) for x in v]
        if isinstance(v, str) and v.startswith("@@"):
            return "#/components/schemas/" + names[path_of(v[2:])]
        return v
    schemas = fix(schemas)
    out = os.path.join(os.path.dirname(os.path.abspath(__file__)), "schemas.json")
    with open(out, "w") as f:
        json.dump(dict(sorted(schemas.items())), f, separators=(",", ":"), sort_keys=True)
        f.write("\n")
    print(f"{len(schemas)} schemas -> {out}")

main(sys.argv[1])
