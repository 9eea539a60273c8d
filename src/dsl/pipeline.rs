//! A pipeline as the mapping writes it: processors in order, top to bottom,
//! plus pipeline-level failure handlers. Compiling assigns every processor a
//! stable, unique tag and produces the [`PipelineDefinition`] that ships.

use crate::dsl::ecs;
use crate::dsl::processor::Processor;
use crate::dsl::processors::{append, set};
use crate::pipeline::{PipelineDefinition, ProcessorDefinition};
use std::collections::BTreeSet;

#[derive(Debug, Clone, PartialEq)]
pub struct Pipeline {
    /// The pipeline's file name without extension; `default` is the entry.
    pub name: String,
    pub description: String,
    pub processors: Vec<Processor>,
    pub on_failure: Vec<Processor>,
}

impl Pipeline {
    /// The data stream's entry pipeline (`default`).
    pub fn new(description: &str) -> Pipeline {
        Pipeline::named("default", description)
    }

    pub fn named(name: &str, description: &str) -> Pipeline {
        Pipeline {
            name: name.to_string(),
            description: description.to_string(),
            processors: Vec::new(),
            on_failure: Vec::new(),
        }
    }

    /// Appends one processor.
    pub fn then(mut self, processor: Processor) -> Pipeline {
        self.processors.push(processor);
        self
    }

    /// Appends processors in order.
    pub fn processors(mut self, processors: impl IntoIterator<Item = Processor>) -> Pipeline {
        self.processors.extend(processors);
        self
    }

    pub fn on_failure(mut self, handlers: impl IntoIterator<Item = Processor>) -> Pipeline {
        self.on_failure.extend(handlers);
        self
    }

    /// The usual handler: `event.kind: pipeline_error` and an
    /// `error.message` naming the failed processor by type and tag.
    pub fn on_failure_record_error(self) -> Pipeline {
        self.on_failure([
            set(ecs::EVENT_KIND, "pipeline_error"),
            append(
                ecs::ERROR_MESSAGE,
                "Processor {{{_ingest.on_failure_processor_type}}} with tag {{{_ingest.on_failure_processor_tag}}} \
                 in pipeline {{{_ingest.on_failure_pipeline}}} failed with message: {{{_ingest.on_failure_message}}}",
            ),
        ])
    }

    /// Every processor, handlers included, depth first in pipeline order.
    pub fn all_processors(&self) -> Vec<&Processor> {
        fn walk<'a>(ps: &'a [Processor], out: &mut Vec<&'a Processor>) {
            for p in ps {
                out.push(p);
                walk(&p.on_failure, out);
            }
        }
        let mut out = Vec::new();
        walk(&self.processors, &mut out);
        walk(&self.on_failure, &mut out);
        out
    }

    /// Gives every untagged processor a tag `<type>_<target>` (deduplicated
    /// with `_2`, `_3`, ... in pipeline order). Returns the explicit tags
    /// that are used more than once.
    pub fn assign_tags(&mut self) -> Vec<String> {
        let mut explicit = BTreeSet::new();
        let mut duplicates = Vec::new();
        for p in self.all_processors() {
            if let Some(tag) = &p.def.tag {
                if !explicit.insert(tag.clone()) && !duplicates.contains(tag) {
                    duplicates.push(tag.clone());
                }
            }
        }
        let mut used = explicit;
        fn walk(ps: &mut [Processor], used: &mut BTreeSet<String>) {
            for p in ps {
                if p.def.tag.is_none() {
                    let base = auto_tag_base(p);
                    let mut tag = base.clone();
                    let mut n = 2;
                    while used.contains(&tag) {
                        tag = format!("{base}_{n}");
                        n += 1;
                    }
                    used.insert(tag.clone());
                    p.def.tag = Some(tag);
                }
                walk(&mut p.on_failure, used);
            }
        }
        walk(&mut self.processors, &mut used);
        walk(&mut self.on_failure, &mut used);
        duplicates
    }

    /// The definition that ships, from processors already tagged.
    pub fn definition(&self) -> PipelineDefinition {
        PipelineDefinition {
            description: Some(self.description.clone()),
            version: None,
            meta: None,
            deprecated: None,
            processors: self.processors.iter().map(definition_of).collect(),
            on_failure: self.on_failure.iter().map(definition_of).collect(),
        }
    }
}

fn definition_of(p: &Processor) -> ProcessorDefinition {
    let mut def = p.def.clone();
    if !p.on_failure.is_empty() {
        def.on_failure = Some(p.on_failure.iter().map(definition_of).collect());
    }
    def
}

/// `set_event_outcome` for a `set` of `event.outcome`; `@` and other
/// characters a tag reader would stumble on become `_`.
fn auto_tag_base(p: &Processor) -> String {
    let mut base = p.kind().to_string();
    if let Some(subject) = &p.tag_subject {
        let cleaned: String = subject
            .chars()
            .map(|c| {
                if c.is_ascii_alphanumeric() {
                    c.to_ascii_lowercase()
                } else {
                    '_'
                }
            })
            .collect();
        let cleaned = cleaned.trim_matches('_');
        if !cleaned.is_empty() {
            base.push('_');
            base.push_str(cleaned);
        }
    }
    base
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::dsl::processors::{copy, drop, rename};

    #[test]
    fn tags_are_derived_from_type_and_target_and_deduplicated() {
        let mut p = Pipeline::new("d")
            .then(set(ecs::EVENT_OUTCOME, "success"))
            .then(set(ecs::EVENT_OUTCOME, "failure"))
            .then(copy(ecs::MESSAGE, ecs::EVENT_ORIGINAL).tag("set_event_outcome_3"))
            .then(set(ecs::EVENT_OUTCOME, "unknown"))
            .then(rename(ecs::MESSAGE, ecs::TIMESTAMP).on_failure([drop()]))
            .on_failure_record_error();
        assert!(p.assign_tags().is_empty());
        let tags: Vec<_> = p
            .all_processors()
            .iter()
            .map(|p| p.def.tag.clone().unwrap())
            .collect();
        assert_eq!(
            tags,
            [
                "set_event_outcome",
                "set_event_outcome_2",
                "set_event_outcome_3",
                "set_event_outcome_4",
                "rename_timestamp",
                "drop",
                "set_event_kind",
                "append_error_message"
            ]
        );
        let def = p.definition();
        assert_eq!(
            def.processors[4].on_failure.as_ref().unwrap()[0]
                .tag
                .as_deref(),
            Some("drop")
        );
    }

    #[test]
    fn duplicate_explicit_tags_are_reported() {
        let mut p = Pipeline::new("d")
            .then(drop().tag("x"))
            .then(drop().tag("x"))
            .then(drop().tag("y"));
        assert_eq!(p.assign_tags(), ["x"]);
    }
}
