//! Processors whose execution is not written yet. Each is declared with
//! Elasticsearch's full option list, so a pipeline using one is recognised
//! and its options checked, and loading then fails with "processor [x] is
//! not supported yet" rather than with the error Elasticsearch gives for a
//! processor it does not have. A processor's file replaces its entry here
//! when it lands.

use super::OptionKind::*;
use super::{OptionSpec as O, ProcessorSpec};

const fn pending(
    name: &'static str,
    description: &'static str,
    options: &'static [O],
) -> ProcessorSpec {
    ProcessorSpec {
        name,
        description,
        options,
        examples: &[],
        build: None,
    }
}

const IGNORE_MISSING: O = O::optional(
    "ignore_missing",
    Bool,
    "If true and field does not exist, the processor quietly exits without modifying the document.",
)
.default("false");

/// Processors Elasticsearch has that the package spec does not allow in an
/// integration's pipelines (`pipeline.spec.yml` leaves them out: `reroute`
/// comes from `routing_rules.yml`, `enrich` and `geo_grid` need more than a
/// package gives). They run (or are refused as pending) when a pipeline is
/// simulated, but the DSL, which writes packages, has no constructor for them.
pub const OUTSIDE_PACKAGE_SPEC: &[&str] = &["enrich", "geo_grid", "ip_location", "reroute", "set_security_user"];

pub const SPECS: &[ProcessorSpec] = &[
    pending("attachment", "Extracts file attachments in common formats (such as PPT, XLS, and PDF) by using the Apache text extraction library Tika.", &[
        O::required("field", String, "The field to get the base64 encoded field from."),
        O::optional("target_field", String, "The field that will hold the attachment information.").default("attachment"),
        O::optional("indexed_chars", Int, "The number of chars being used for extraction to prevent huge fields. Use -1 for no limit.").default("100000"),
        O::optional("indexed_chars_field", String, "Field name from which you can overwrite the number of chars being used for extraction."),
        O::optional("properties", StringList, "Array of properties to select to be stored."),
        IGNORE_MISSING,
        O::optional("remove_binary", Bool, "If true, the binary field will be removed from the document.").default("false"),
        O::optional("resource_name", String, "Field containing the name of the resource to decode."),
    ]),
    pending("circle", "Converts circle definitions of shapes to regular polygons which approximate them.", &[
        O::required("field", String, "The field to interpret as a circle."),
        O::optional("target_field", String, "The field to assign the polygon shape to, by default field is updated in-place."),
        IGNORE_MISSING,
        O::required("error_distance", Any, "The difference between the resulting inscribed distance from center to side and the circle's radius."),
        O::required("shape_type", String, "Which field mapping type is to be used when processing the circle: geo_shape or shape."),
    ]),
    pending("inference", "Uses a pre-trained data frame analytics model or a model deployed for natural language processing tasks to infer against the data that is being ingested in the pipeline.", &[
        O::required("model_id", String, "The ID or alias for the trained model, or the ID of the deployment."),
        O::optional("input_output", Any, "Input fields for inference and output (destination) fields for the inference results."),
        O::optional("target_field", String, "Field added to incoming documents to contain results objects.").default("ml.inference.<processor_tag>"),
        O::optional("field_map", Map, "Maps the document field names to the known field names of the model."),
        O::optional("inference_config", Map, "Contains the inference type and its options."),
        IGNORE_MISSING,
    ]),
    // x-pack/plugin/enrich: EnrichProcessorFactory.
    pending("enrich", "Uses data from an enrich index, built from an enrich policy, to add fields to incoming documents.", &[
        O::required("policy_name", String, "The name of the enrich policy to use."),
        O::required("field", String, "The field in the input document that matches the policy's match_field used to retrieve the enrichment data.").templated(),
        O::required("target_field", String, "Field added to incoming documents to contain enrich data.").templated(),
        IGNORE_MISSING,
        O::optional("override", Bool, "If true, the processor will update fields with a pre-existing non-null-valued field.").default("true"),
        O::optional("max_matches", Int, "The maximum number of matched documents to include under the configured target field.").default("1"),
        O::optional("shape_relation", String, "A spatial relation operator used to match the geoshape of incoming documents to documents in the enrich index.").default("INTERSECTS"),
    ]),
    // x-pack/plugin/spatial: GeoGridProcessor.
    pending("geo_grid", "Converts geo-grid definitions of grid tiles or cells to regular bounding boxes or polygons which describe their shape.", &[
        O::required("field", String, "The field to interpret as a geo-tile."),
        O::required("tile_type", String, "The tile format: geohash, geotile or geohex."),
        O::optional("target_field", String, "The field to assign the polygon shape to, by default field is updated in-place."),
        O::optional("parent_field", String, "If specified and a parent tile exists, save that tile address to this field."),
        O::optional("children_field", String, "If specified and children tiles exist, save those tile addresses to this field as an array of strings."),
        O::optional("non_children_field", String, "If specified and intersecting non-child tiles exist, save their addresses to this field as an array of strings."),
        O::optional("precision_field", String, "If specified, save the tile precision (zoom) as an integer to this field."),
        IGNORE_MISSING,
        O::optional("target_format", String, "Which format to save the generated polygon in: WKT or GeoJSON.").default("GeoJSON"),
    ]),
    // x-pack/plugin/security: SetSecurityUserProcessor.
    pending("set_security_user", "Sets user-related details (such as username, roles, email, full_name, metadata, api_key, realm and authentication_type) from the current authenticated user to the current document.", &[
        O::required("field", String, "The field to store the user information into."),
        O::optional("properties", StringList, "Controls what user related properties are added to the field.").default("[username, roles, email, full_name, metadata, api_key, realm, authentication_type]"),
    ]),
];

#[cfg(test)]
mod tests {
    use crate::processors::{lookup, registry};

    /// The processors package-spec's `pipeline.spec.yml` allows.
    const PACKAGE_SPEC: &[&str] = &[
        "append", "attachment", "bytes", "circle", "community_id", "convert", "csv", "date", "date_index_name", "dissect",
        "dot_expander", "drop", "fail", "fingerprint", "foreach", "geoip", "grok", "gsub", "html_strip", "inference", "join",
        "json", "kv", "lowercase", "network_direction", "pipeline", "redact", "registered_domain", "remove", "rename",
        "script", "set", "sort", "split", "terminate", "trim", "uppercase", "urldecode", "uri_parts", "user_agent",
    ];

    #[test]
    fn every_package_spec_processor_is_known_once() {
        for name in PACKAGE_SPEC {
            assert!(lookup(name).is_some(), "processor [{name}] is not in the registry");
        }
        let mut names: Vec<_> = registry().iter().map(|s| s.name).collect();
        names.dedup();
        assert_eq!(names.len(), registry().len(), "a processor is registered twice");
    }

    #[test]
    fn a_pending_processor_is_recognised_then_refused() {
        use crate::pipeline::{BuildContext, Pipeline};
        use crate::value::Value;
        let load = |json: &str| {
            Pipeline::from_value("p", &Value::from_json_str(json).unwrap(), &BuildContext::default()).unwrap_err()
        };
        let e = load(r#"{"processors": [{"attachment": {"field": "data", "tag": "a"}}]}"#);
        assert_eq!(e.reason, "processor [attachment] is not supported yet");
        assert_eq!(e.extra.get("processor_tag"), Some(&Value::from("a")));
        // Options are still checked against Elasticsearch's list.
        let e = load(r#"{"processors": [{"circle": {"field": "c", "nope": 1}}]}"#);
        assert_eq!(e.reason, "processor [circle] doesn't support one or more provided configuration parameters [nope]");
    }

    /// Elasticsearch has these processors; only the package spec leaves them
    /// out. Loading one either works (`reroute`) or says it is not supported
    /// here, not that no such processor exists, which is what Elasticsearch
    /// says of a misspelt one.
    #[test]
    fn processors_outside_the_package_spec_are_known_to_exist() {
        use super::OUTSIDE_PACKAGE_SPEC;
        use crate::pipeline::{BuildContext, Pipeline};
        use crate::value::Value;
        for name in OUTSIDE_PACKAGE_SPEC {
            assert!(lookup(name).is_some(), "processor [{name}] is not in the registry");
            assert!(!PACKAGE_SPEC.contains(name), "[{name}] is in the package spec");
            let pipeline = format!(r#"{{"processors": [{{"{name}": {{}}}}]}}"#);
            if let Err(e) = Pipeline::from_value("p", &Value::from_json_str(&pipeline).unwrap(), &BuildContext::default()) {
                assert!(!e.reason.contains("No processor type exists"), "{name}: {}", e.reason);
            }
        }
        let e = Pipeline::from_value(
            "p",
            &Value::from_json_str(r#"{"processors": [{"enrich": {"policy_name": "x", "field": "f", "target_field": "t"}}]}"#).unwrap(),
            &BuildContext::default(),
        )
        .unwrap_err();
        assert_eq!(e.reason, "processor [enrich] is not supported yet");
    }
}
