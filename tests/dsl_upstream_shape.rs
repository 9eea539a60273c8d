//! The DSL reads like the pipeline it produces: parts of the upstream
//! Microsoft Exchange Online Message Trace pipeline, written with the DSL,
//! compile to the same processors (tags aside, which the DSL adds).

use ingot::dsl::prelude::*;
use ingot::package::ecs_schema::shared_dir_or_skip;
use ingot::pipeline::{PipelineDefinition, ProcessorDefinition};

fn untagged(mut p: ProcessorDefinition) -> ProcessorDefinition {
    p.tag = None;
    p
}

#[test]
fn message_trace_processors_compile_to_the_upstream_ones() {
    let Some(shared) = shared_dir_or_skip("message_trace_processors_compile_to_the_upstream_ones")
    else {
        return;
    };
    let path = shared.join("reference/upstream/seed/microsoft_exchange_online_message_trace/data_stream/log/elasticsearch/ingest_pipeline/default.yml");
    let upstream = PipelineDefinition::load(&path).unwrap();

    let trace = Group::new("microsoft.online_message_trace");
    let sender = trace.keyword("SenderAddress");
    let start = trace.date_nanos("StartDate");
    let from = Field::temp("_temp_.email.from.address");
    let to = Field::temp("_temp_.email.to.address");
    let formats = ["yyyy-MM-dd'T'HH:mm:ss.SSSSSSSZ", "ISO8601"];
    let written = [
        (0, rename(ecs::MESSAGE, ecs::EVENT_ORIGINAL).ignore_missing().ignore_failure().when(ecs::EVENT_ORIGINAL.is_null())),
        (1, set(ecs::ECS_VERSION, "8.11.0")),
        (2, json(ecs::EVENT_ORIGINAL).target(&trace)),
        (3, drop().when(painless("ctx.microsoft?.online_message_trace?.value instanceof List && ctx.microsoft.online_message_trace.value.length == 0"))),
        (6, set(ecs::EVENT_OUTCOME, "unknown").when(ecs::EVENT_OUTCOME.is_null())),
        (7, copy(&sender, from.clone()).ignore_empty_value()),
        (8, append(ecs::EMAIL_FROM_ADDRESS, "{{{_temp_.email.from.address}}}").when(from.exists())),
        (9, copy(&sender, ecs::SOURCE_USER_ID).ignore_empty_value()),
        (22, date(ecs::EMAIL_DELIVERY_TIMESTAMP, formats)),
        (23, date(&start, formats).target(ecs::EVENT_START).when(start.exists())),
        (25, geoip(ecs::SOURCE_IP, Field::named("source.geo")).ignore_missing()),
        (27, geoip(ecs::SOURCE_IP, Field::named("source.as")).database_file("GeoLite2-ASN.mmdb").properties(["asn", "organization_name"]).ignore_missing()),
        (28, rename(Field::named("source.as.asn"), ecs::SOURCE_AS_NUMBER).ignore_missing()),
        (33, grok(from.clone(), ["^%{DATA}@%{DATA:source.domain}$"]).ignore_missing()),
        (35, registered_domain(ecs::DESTINATION_DOMAIN, Field::named("destination"))),
        (40, dissect(to.clone(), "%{_temp_.to_user_name}@%{_temp_.to_user_domain}").ignore_missing()),
        (55, fingerprint([ecs::EMAIL_FROM_ADDRESS, ecs::EMAIL_TO_ADDRESS, ecs::EMAIL_MESSAGE_ID, ecs::EMAIL_LOCAL_ID, ecs::EMAIL_SUBJECT, ecs::EVENT_OUTCOME, ecs::EMAIL_ATTACHMENTS_FILE_SIZE], Field::named("_id")).ignore_missing()),
        (56, remove([Field::temp("_temp_")]).ignore_failure().ignore_missing()),
    ];
    for (index, processor) in written {
        let mut pipeline = Pipeline::new("p").then(processor);
        pipeline.assign_tags();
        let ours = untagged(pipeline.definition().processors.remove(0));
        assert_eq!(
            ours,
            untagged(upstream.processors[index].clone()),
            "processor {index}"
        );
    }
}

/// The variables found in the upstream agent templates are exactly ones
/// the upstream manifests declare: no false alarms on real templates.
#[test]
fn upstream_agent_templates_use_only_declared_variables() {
    let Some(shared) = shared_dir_or_skip("upstream_agent_templates_use_only_declared_variables") else { return };
    let pkg = shared.join("reference/upstream/seed/microsoft_exchange_online_message_trace");
    let yaml = |p: &str| -> serde_json::Value { serde_yaml_ng::from_str(&std::fs::read_to_string(pkg.join(p)).unwrap()).unwrap() };
    let manifest = yaml("manifest.yml");
    let ds_manifest = yaml("data_stream/log/manifest.yml");
    for stream in ds_manifest["streams"].as_array().unwrap() {
        let input = stream["input"].as_str().unwrap();
        let names = |vars: &serde_json::Value| -> Vec<String> {
            vars.as_array().into_iter().flatten().map(|v| v["name"].as_str().unwrap().to_string()).collect()
        };
        let mut declared = names(&stream["vars"]);
        for input_def in manifest["policy_templates"][0]["inputs"].as_array().unwrap() {
            if input_def["type"] == input {
                declared.extend(names(&input_def["vars"]));
            }
        }
        let template_path = stream["template_path"].as_str().unwrap();
        let hbs = std::fs::read_to_string(pkg.join("data_stream/log/agent/stream").join(template_path)).unwrap();
        let used = ingot::dsl::check::template_variables(&hbs);
        assert!(!used.is_empty());
        let undeclared: Vec<&String> = used.iter().filter(|v| !declared.contains(v)).collect();
        assert!(undeclared.is_empty(), "{template_path}: {undeclared:?}");
    }
}
