//! The protobuf form of `/openapi/v2`: a Swagger 2.0 JSON document encoded as gnostic's
//! `openapi.v2.Document` (github.com/google/gnostic-models `openapiv2/OpenAPIv2.proto`; the
//! field numbers below are that file's). Upstream makes it the same way, from its JSON:
//! kube-openapi `pkg/handler/handler.go` `ToProtoBinary` is `openapi_v2.ParseDocument(json)`
//! then `proto.Marshal`. client-go reads it back with `proto.Unmarshal`
//! (`discovery/discovery_client.go` `OpenAPISchemaWithContext`).
//!
//! Hand-rolled (varints and length-delimited fields, proto3 rules: empty strings and false
//! bools are left out, present sub-messages are written even when empty, since kube-openapi
//! tells `properties: {}` from no properties by presence) rather than a protobuf crate: the
//! sandbox only ever writes this one message family, from JSON it already has.
//!
//! The encoder is strict: a JSON key with no gnostic field is an error, not silently dropped,
//! so the protobuf and JSON documents cannot drift apart unnoticed (a unit test encodes the
//! whole served document). Vendor extensions (`x-...`) become `NamedAny` whose `Any.yaml` is
//! the value's JSON text, which is YAML too: kube-openapi reads them with `yaml.Unmarshal`
//! (`pkg/util/proto/document.go` `VendorExtensionToMap`).

use serde_json::{Map, Value};

type Result<T = ()> = std::result::Result<T, String>;

const VARINT: u8 = 0;
const LEN: u8 = 2;

/// A protobuf message being written.
#[derive(Default)]
struct Writer(Vec<u8>);

impl Writer {
    fn varint(&mut self, mut v: u64) {
        loop {
            let low = (v & 0x7f) as u8;
            v >>= 7;
            if v == 0 {
                self.0.push(low);
                return;
            }
            self.0.push(low | 0x80);
        }
    }

    fn tag(&mut self, field: u32, wire: u8) {
        self.varint((u64::from(field) << 3) | u64::from(wire));
    }

    fn len_delimited(&mut self, field: u32, bytes: &[u8]) {
        self.tag(field, LEN);
        self.varint(bytes.len() as u64);
        self.0.extend_from_slice(bytes);
    }

    /// A singular `string`: proto3 leaves out the empty string.
    fn string(&mut self, field: u32, s: &str) {
        if !s.is_empty() {
            self.len_delimited(field, s.as_bytes());
        }
    }

    /// One element of a `repeated string` (written even when empty).
    fn repeated_string(&mut self, field: u32, s: &str) {
        self.len_delimited(field, s.as_bytes());
    }

    /// A singular `bool`: proto3 leaves out false, except as a oneof member.
    fn bool(&mut self, field: u32, b: bool, in_oneof: bool) {
        if b || in_oneof {
            self.tag(field, VARINT);
            self.varint(u64::from(b));
        }
    }

    /// A sub-message, written by `f`.
    fn message(&mut self, field: u32, f: impl FnOnce(&mut Writer) -> Result) -> Result {
        let mut sub = Writer::default();
        f(&mut sub)?;
        self.len_delimited(field, &sub.0);
        Ok(())
    }

    /// An `Any` (`value` = 1 unused, `yaml` = 2).
    fn any(&mut self, field: u32, v: &Value) -> Result {
        self.message(field, |a| {
            a.string(2, &v.to_string());
            Ok(())
        })
    }

    /// A `NamedAny` (`name` = 1, `value` = 2) for a vendor extension.
    fn extension(&mut self, field: u32, name: &str, v: &Value) -> Result {
        self.message(field, |n| {
            n.string(1, name);
            n.any(2, v)
        })
    }

    /// `repeated NamedX` (`name` = 1, `value` = 2) from a JSON object.
    fn named(
        &mut self,
        field: u32,
        map: &Map<String, Value>,
        value: fn(&mut Writer, &Value) -> Result,
    ) -> Result {
        for (name, v) in map {
            self.message(field, |n| {
                n.string(1, name);
                n.message(2, |w| value(w, v))
            })?;
        }
        Ok(())
    }
}

fn obj<'a>(v: &'a Value, what: &str) -> Result<&'a Map<String, Value>> {
    v.as_object().ok_or_else(|| format!("{what}: not an object: {v}"))
}

fn text<'a>(v: &'a Value, what: &str) -> Result<&'a str> {
    v.as_str().ok_or_else(|| format!("{what}: not a string: {v}"))
}

fn flag(v: &Value, what: &str) -> Result<bool> {
    v.as_bool().ok_or_else(|| format!("{what}: not a boolean: {v}"))
}

fn list<'a>(v: &'a Value, what: &str) -> Result<&'a Vec<Value>> {
    v.as_array().ok_or_else(|| format!("{what}: not an array: {v}"))
}

fn strings(w: &mut Writer, field: u32, v: &Value, what: &str) -> Result {
    for s in list(v, what)? {
        w.repeated_string(field, text(s, what)?);
    }
    Ok(())
}

fn unknown(message: &str, key: &str) -> String {
    format!("{message}: {key:?} has no field in gnostic's openapi.v2.{message}")
}

/// Encodes a Swagger 2.0 document as `openapi.v2.Document`.
pub(super) fn document(doc: &Value) -> Result<Vec<u8>> {
    let mut w = Writer::default();
    for (k, v) in obj(doc, "Document")? {
        match k.as_str() {
            "swagger" => w.string(1, text(v, k)?),
            "info" => w.message(2, |i| info(i, v))?,
            "host" => w.string(3, text(v, k)?),
            "basePath" => w.string(4, text(v, k)?),
            "schemes" => strings(&mut w, 5, v, k)?,
            "consumes" => strings(&mut w, 6, v, k)?,
            "produces" => strings(&mut w, 7, v, k)?,
            "paths" => w.message(8, |p| paths(p, v))?,
            // Definitions { repeated NamedSchema additional_properties = 1 }
            "definitions" => w.message(9, |d| d.named(1, obj(v, k)?, schema))?,
            x if x.starts_with("x-") => w.extension(16, x, v)?,
            _ => return Err(unknown("Document", k)),
        }
    }
    Ok(w.0)
}

fn info(w: &mut Writer, v: &Value) -> Result {
    for (k, v) in obj(v, "Info")? {
        match k.as_str() {
            "title" => w.string(1, text(v, k)?),
            "version" => w.string(2, text(v, k)?),
            "description" => w.string(3, text(v, k)?),
            x if x.starts_with("x-") => w.extension(7, x, v)?,
            _ => return Err(unknown("Info", k)),
        }
    }
    Ok(())
}

/// `Paths { repeated NamedAny vendor_extension = 1; repeated NamedPathItem path = 2 }`
fn paths(w: &mut Writer, v: &Value) -> Result {
    for (k, item) in obj(v, "Paths")? {
        if k.starts_with("x-") {
            w.extension(1, k, item)?;
        } else {
            w.message(2, |n| {
                n.string(1, k);
                n.message(2, |p| path_item(p, item))
            })?;
        }
    }
    Ok(())
}

fn path_item(w: &mut Writer, v: &Value) -> Result {
    for (k, v) in obj(v, "PathItem")? {
        match k.as_str() {
            "$ref" => w.string(1, text(v, k)?),
            "get" => w.message(2, |o| operation(o, v))?,
            "put" => w.message(3, |o| operation(o, v))?,
            "post" => w.message(4, |o| operation(o, v))?,
            "delete" => w.message(5, |o| operation(o, v))?,
            "options" => w.message(6, |o| operation(o, v))?,
            "head" => w.message(7, |o| operation(o, v))?,
            "patch" => w.message(8, |o| operation(o, v))?,
            "parameters" => {
                for p in list(v, k)? {
                    w.message(9, |i| parameters_item(i, p))?;
                }
            }
            x if x.starts_with("x-") => w.extension(10, x, v)?,
            _ => return Err(unknown("PathItem", k)),
        }
    }
    Ok(())
}

fn operation(w: &mut Writer, v: &Value) -> Result {
    for (k, v) in obj(v, "Operation")? {
        match k.as_str() {
            "tags" => strings(w, 1, v, k)?,
            "summary" => w.string(2, text(v, k)?),
            "description" => w.string(3, text(v, k)?),
            "operationId" => w.string(5, text(v, k)?),
            "produces" => strings(w, 6, v, k)?,
            "consumes" => strings(w, 7, v, k)?,
            "parameters" => {
                for p in list(v, k)? {
                    w.message(8, |i| parameters_item(i, p))?;
                }
            }
            "responses" => w.message(9, |r| responses(r, v))?,
            "schemes" => strings(w, 10, v, k)?,
            "deprecated" => w.bool(11, flag(v, k)?, false),
            x if x.starts_with("x-") => w.extension(13, x, v)?,
            _ => return Err(unknown("Operation", k)),
        }
    }
    Ok(())
}

/// `ParametersItem { oneof { Parameter parameter = 1; JsonReference json_reference = 2 } }`,
/// `Parameter { oneof { BodyParameter body_parameter = 1; NonBodyParameter
/// non_body_parameter = 2 } }`, `NonBodyParameter { oneof { header = 1; form_data = 2;
/// query = 3; path = 4 } }`.
fn parameters_item(w: &mut Writer, v: &Value) -> Result {
    let p = obj(v, "ParametersItem")?;
    if let Some(r) = p.get("$ref") {
        return w.message(2, |j| json_reference(j, r, p.get("description")));
    }
    let location = text(p.get("in").unwrap_or(&Value::Null), "Parameter.in")?;
    w.message(1, |param| match location {
        "body" => param.message(1, |b| body_parameter(b, p)),
        "header" => param.message(2, |n| n.message(1, |s| sub_schema(s, p, SUB_HEADER_OR_PATH))),
        "formData" => param.message(2, |n| n.message(2, |s| sub_schema(s, p, SUB_QUERY_OR_FORM))),
        "query" => param.message(2, |n| n.message(3, |s| sub_schema(s, p, SUB_QUERY_OR_FORM))),
        "path" => param.message(2, |n| n.message(4, |s| sub_schema(s, p, SUB_HEADER_OR_PATH))),
        other => Err(format!("Parameter: unknown location {other:?}")),
    })
}

fn json_reference(w: &mut Writer, r: &Value, description: Option<&Value>) -> Result {
    w.string(1, text(r, "$ref")?);
    if let Some(d) = description {
        w.string(2, text(d, "description")?);
    }
    Ok(())
}

fn body_parameter(w: &mut Writer, p: &Map<String, Value>) -> Result {
    for (k, v) in p {
        match k.as_str() {
            "description" => w.string(1, text(v, k)?),
            "name" => w.string(2, text(v, k)?),
            "in" => w.string(3, text(v, k)?),
            "required" => w.bool(4, flag(v, k)?, false),
            "schema" => w.message(5, |s| schema(s, v))?,
            x if x.starts_with("x-") => w.extension(6, x, v)?,
            _ => return Err(unknown("BodyParameter", k)),
        }
    }
    Ok(())
}

/// Field numbers of the non-body parameter sub-schemas that differ between the two layouts:
/// (allowEmptyValue, type, format, uniqueItems, vendor_extension).
type SubFields = (Option<u32>, u32, u32, u32, u32);
/// `QueryParameterSubSchema`, `FormDataParameterSubSchema`.
const SUB_QUERY_OR_FORM: SubFields = (Some(5), 6, 7, 20, 23);
/// `HeaderParameterSubSchema`, `PathParameterSubSchema`.
const SUB_HEADER_OR_PATH: SubFields = (None, 5, 6, 19, 22);

fn sub_schema(w: &mut Writer, p: &Map<String, Value>, f: SubFields) -> Result {
    let (allow_empty, ty, format, unique, ext) = f;
    for (k, v) in p {
        match k.as_str() {
            "required" => w.bool(1, flag(v, k)?, false),
            "in" => w.string(2, text(v, k)?),
            "description" => w.string(3, text(v, k)?),
            "name" => w.string(4, text(v, k)?),
            "allowEmptyValue" if allow_empty.is_some() => {
                w.bool(allow_empty.unwrap_or_default(), flag(v, k)?, false);
            }
            "type" => w.string(ty, text(v, k)?),
            "format" => w.string(format, text(v, k)?),
            "uniqueItems" => w.bool(unique, flag(v, k)?, false),
            x if x.starts_with("x-") => w.extension(ext, x, v)?,
            _ => return Err(unknown("NonBodyParameter", k)),
        }
    }
    Ok(())
}

/// `Responses { repeated NamedResponseValue response_code = 1; vendor_extension = 2 }`,
/// `ResponseValue { oneof { Response response = 1; JsonReference json_reference = 2 } }`.
fn responses(w: &mut Writer, v: &Value) -> Result {
    for (code, r) in obj(v, "Responses")? {
        if code.starts_with("x-") {
            w.extension(2, code, r)?;
            continue;
        }
        w.message(1, |n| {
            n.string(1, code);
            n.message(2, |value| {
                let fields = obj(r, "Response")?;
                if let Some(reference) = fields.get("$ref") {
                    return value
                        .message(2, |j| json_reference(j, reference, fields.get("description")));
                }
                value.message(1, |resp| response(resp, fields))
            })
        })?;
    }
    Ok(())
}

fn response(w: &mut Writer, r: &Map<String, Value>) -> Result {
    for (k, v) in r {
        match k.as_str() {
            "description" => w.string(1, text(v, k)?),
            // SchemaItem { oneof { Schema schema = 1; FileSchema file_schema = 2 } }
            "schema" => w.message(2, |item| item.message(1, |s| schema(s, v)))?,
            x if x.starts_with("x-") => w.extension(5, x, v)?,
            _ => return Err(unknown("Response", k)),
        }
    }
    Ok(())
}

/// `openapi.v2.Schema`.
fn schema(w: &mut Writer, v: &Value) -> Result {
    for (k, v) in obj(v, "Schema")? {
        match k.as_str() {
            "$ref" => w.string(1, text(v, k)?),
            "format" => w.string(2, text(v, k)?),
            "title" => w.string(3, text(v, k)?),
            "description" => w.string(4, text(v, k)?),
            "default" => w.any(5, v)?,
            "required" => strings(w, 19, v, k)?,
            "enum" => {
                for e in list(v, k)? {
                    w.any(20, e)?;
                }
            }
            // AdditionalPropertiesItem { oneof { Schema schema = 1; bool boolean = 2 } }
            "additionalProperties" => w.message(21, |a| match v {
                Value::Bool(b) => {
                    a.bool(2, *b, true);
                    Ok(())
                }
                _ => a.message(1, |s| schema(s, v)),
            })?,
            // TypeItem { repeated string value = 1 }
            "type" => w.message(22, |t| match v {
                Value::Array(_) => strings(t, 1, v, "type"),
                _ => {
                    t.repeated_string(1, text(v, "type")?);
                    Ok(())
                }
            })?,
            // ItemsItem { repeated Schema schema = 1 }
            "items" => w.message(23, |i| match v {
                Value::Array(all) => all.iter().try_for_each(|x| i.message(1, |s| schema(s, x))),
                _ => i.message(1, |s| schema(s, v)),
            })?,
            "allOf" => {
                for x in list(v, k)? {
                    w.message(24, |s| schema(s, x))?;
                }
            }
            // Properties { repeated NamedSchema additional_properties = 1 }
            "properties" => w.message(25, |p| p.named(1, obj(v, k)?, schema))?,
            "discriminator" => w.string(26, text(v, k)?),
            "readOnly" => w.bool(27, flag(v, k)?, false),
            "example" => w.any(30, v)?,
            x if x.starts_with("x-") => w.extension(31, x, v)?,
            _ => return Err(unknown("Schema", k)),
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    #[test]
    fn varints_and_tags_follow_the_wire_format() {
        let mut w = Writer::default();
        w.varint(1);
        w.varint(300);
        w.varint(u64::MAX);
        assert_eq!(w.0[..3], [0x01, 0xac, 0x02]);
        assert_eq!(w.0.len(), 3 + 10);
        assert_eq!(w.0[w.0.len() - 1], 0x01);
        let mut t = Writer::default();
        t.tag(31, LEN);
        assert_eq!(t.0, [0xfa, 0x01]); // (31 << 3) | 2 = 250
    }

    /// A length-delimited field: its tag bytes, the length, the content.
    fn ld(tag: &[u8], content: &[u8]) -> Vec<u8> {
        let mut out = tag.to_vec();
        out.push(u8::try_from(content.len()).unwrap());
        out.extend(content);
        out
    }

    #[test]
    fn a_document_encodes_byte_for_byte() {
        let doc = json!({
            "swagger": "2.0",
            "definitions": {"A": {
                "type": "object",
                "required": ["x"],
                "properties": {"x": {"$ref": "#/definitions/B", "description": ""}},
                "x-k": [{"group": ""}]
            }}
        });
        // Schema x: { _ref = 1 } (the empty description is left out, as proto3 does).
        let x = ld(&[0x0a], b"#/definitions/B");
        // Properties { NamedSchema { name = 1 "x", value = 2 } }
        let props = ld(&[0x0a], &[ld(&[0x0a], b"x"), ld(&[0x12], &x)].concat());
        // NamedAny { name "x-k", value Any { yaml = 2 } }
        let ext = [ld(&[0x0a], b"x-k"), ld(&[0x12], &ld(&[0x12], br#"[{"group":""}]"#))].concat();
        let a = [
            ld(&[0xb2, 0x01], &ld(&[0x0a], b"object")), // type = 22: TypeItem { value = 1 }
            ld(&[0x9a, 0x01], b"x"),                    // required = 19
            ld(&[0xca, 0x01], &props),                  // properties = 25
            ld(&[0xfa, 0x01], &ext),                    // vendor_extension = 31
        ]
        .concat();
        // Definitions { NamedSchema { name "A", value } }
        let defs = ld(&[0x0a], &[ld(&[0x0a], b"A"), ld(&[0x12], &a)].concat());
        let want = [ld(&[0x0a], b"2.0"), ld(&[0x4a], &defs)].concat(); // swagger = 1, definitions = 9
        assert_eq!(document(&doc).unwrap(), want);
    }

    #[test]
    fn present_empty_messages_and_oneof_false_are_written() {
        // kube-openapi reads `properties: {}` as a kind with no fields, and no `properties`
        // as an arbitrary value: presence must survive.
        let mut w = Writer::default();
        schema(&mut w, &json!({"properties": {}, "additionalProperties": false})).unwrap();
        assert_eq!(w.0, [0xca, 0x01, 0, 0xaa, 0x01, 2, 0x10, 0]);
    }

    #[test]
    fn keys_without_a_gnostic_field_are_errors() {
        let e = document(&json!({"definitions": {"A": {"nullable": true}}})).unwrap_err();
        assert!(e.contains("\"nullable\"") && e.contains("openapi.v2.Schema"), "{e}");
        assert!(document(&json!({"openapi": "3.0.0"})).is_err());
    }
}
