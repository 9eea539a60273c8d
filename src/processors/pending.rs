//! Processors whose execution is not written yet. Each is declared with
//! Elasticsearch's full option list, so a pipeline using one is recognised
//! and its options checked, and loading then fails with "processor [x] is
//! not supported yet". A processor's file replaces its entry here when it
//! lands.

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
    pending("date", "Parses dates from fields, and then uses the date or timestamp as the timestamp for the document.", &[
        O::required("field", String, "The field to get the date from."),
        O::optional("target_field", String, "The field that will hold the parsed date.").default("@timestamp"),
        O::required("formats", StringList, "An array of the expected date formats."),
        O::optional("timezone", String, "The timezone to use when parsing the date.").default("UTC").templated(),
        O::optional("locale", String, "The locale to use when parsing the date.").default("ENGLISH").templated(),
        O::optional("output_format", String, "The format to use when writing the date to target_field.").default("yyyy-MM-dd'T'HH:mm:ss.SSSXXX"),
    ]),
    pending("date_index_name", "Points documents to the right time based index based on a date or timestamp field in a document.", &[
        O::required("field", String, "The field to get the date or timestamp from."),
        O::optional("index_name_prefix", String, "A prefix of the index name to be prepended before the printed date.").templated(),
        O::required("date_rounding", String, "How to round the date when formatting the date into the index name.").templated(),
        O::optional("date_formats", StringList, "An array of the expected date formats for parsing dates / timestamps in the document being preprocessed.").default("yyyy-MM-dd'T'HH:mm:ss.SSSXX"),
        O::optional("timezone", String, "The timezone to use when parsing the date and when date math index supports resolves expressions into concrete index names.").default("UTC"),
        O::optional("locale", String, "The locale to use when parsing the date from the document being preprocessed.").default("ENGLISH"),
        O::optional("index_name_format", String, "The format to be used when printing the parsed date into the index name.").default("yyyy-MM-dd").templated(),
    ]),
    pending("dissect", "Extracts structured fields out of a single text field by matching the text field against a delimiter-based pattern.", &[
        O::required("field", String, "The field to dissect."),
        O::required("pattern", String, "The pattern to apply to the field."),
        O::optional("append_separator", String, "The character(s) that separate the appended fields.").default(""),
        IGNORE_MISSING,
    ]),
    pending("grok", "Extracts structured fields out of a single text field within a document.", &[
        O::required("field", String, "The field to use for grok expression parsing."),
        O::required("patterns", StringList, "An ordered list of grok expression to match and extract named captures with."),
        O::optional("pattern_definitions", Map, "A map of pattern-name and pattern tuples defining custom patterns to be used by the current processor."),
        O::optional("ecs_compatibility", String, "Must be disabled or v1. If v1, the processor uses patterns with ECS field names.").default("disabled"),
        O::optional("trace_match", Bool, "When true, _ingest._grok_match_index will be inserted into your matched document's metadata.").default("false"),
        IGNORE_MISSING,
    ]),
    pending("inference", "Uses a pre-trained data frame analytics model or a model deployed for natural language processing tasks to infer against the data that is being ingested in the pipeline.", &[
        O::required("model_id", String, "The ID or alias for the trained model, or the ID of the deployment."),
        O::optional("input_output", Any, "Input fields for inference and output (destination) fields for the inference results."),
        O::optional("target_field", String, "Field added to incoming documents to contain results objects.").default("ml.inference.<processor_tag>"),
        O::optional("field_map", Map, "Maps the document field names to the known field names of the model."),
        O::optional("inference_config", Map, "Contains the inference type and its options."),
        IGNORE_MISSING,
    ]),
    pending("user_agent", "Extracts details from the user agent string a browser sends with its web requests.", &[
        O::required("field", String, "The field containing the user agent string."),
        O::optional("target_field", String, "The field that will be filled with the user agent details.").default("user_agent"),
        O::optional("regex_file", String, "The name of the file in the config/ingest-user-agent directory containing the regular expressions for parsing the user agent string."),
        O::optional("properties", StringList, "Controls what properties are added to target_field."),
        O::optional("extract_device_type", Bool, "Extracts device type from the user agent string on a best-effort basis.").default("false"),
        IGNORE_MISSING,
    ]),
];
